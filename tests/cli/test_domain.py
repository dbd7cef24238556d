"""Flags' names and the lease's document through the command line."""

from __future__ import annotations

from tests.conftest import Cli

TEN_YEARS = ["--tenant", "某电器公司", "--start", "2005-01-01", "--end", "2015-12-31", "--rent", "8000", "--period", "monthly"]


def test_flag_names_follow_the_language_and_a_lease_document_silences_the_long_term(liushi: Cli) -> None:
    liushi.ok("lease", "add", "--asset", "A0001", *TEN_YEARS)
    en = [f for f in liushi.json("flags") if f["code"] == "LEASE_TERM_LONG"]
    assert [(f["record_id"], f["label"], f["severity"]) for f in en] == [("L0001", "Lease term long", "low")]
    zh = [f for f in liushi.json("--lang", "zh", "flags") if f["code"] == "LEASE_TERM_LONG"]
    assert zh[0]["label"] == "租期过长" and zh[0]["message"] == "租期自 2005-01-01 至 2015-12-31，超过 5 年，未注明批准文号"
    table = liushi.ok("--lang", "zh", "flags").stdout
    assert "ENCROACHMENT_OPEN" in table and "侵占未结" in table and "租期过长" in table
    liushi.ok("lease", "add", "--asset", "A0002", *TEN_YEARS, "--doc", "乐二轻〔2004〕40号")
    assert liushi.json("lease", "show", "L0002")["doc"] == "乐二轻〔2004〕40号"
    assert [f["record_id"] for f in liushi.json("flags") if f["code"] == "LEASE_TERM_LONG"] == ["L0001"]
    shown = liushi.json("settings", "show")
    assert (shown["lease_long_years"], shown["restructured_holding_days"]) == (5, 365)
    liushi.ok("settings", "set", "lease_long_years", "11")
    assert [f for f in liushi.json("flags") if f["code"] == "LEASE_TERM_LONG"] == []
    assert "设定值" in liushi.ok("--lang", "zh", "settings", "show").stdout
