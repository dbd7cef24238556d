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
    assert "ENCROACHMENT_OPEN" in table and "侵权未结" in table and "租期过长" in table
    liushi.ok("lease", "add", "--asset", "A0002", *TEN_YEARS, "--doc", "乐二轻〔2004〕40号")
    assert liushi.json("lease", "show", "L0002")["doc"] == "乐二轻〔2004〕40号"
    assert [f["record_id"] for f in liushi.json("flags") if f["code"] == "LEASE_TERM_LONG"] == ["L0001"]
    shown = liushi.json("settings", "show")
    assert (shown["lease_long_years"], shown["restructured_holding_days"]) == (5, 365)
    liushi.ok("settings", "set", "lease_long_years", "11")
    assert [f for f in liushi.json("flags") if f["code"] == "LEASE_TERM_LONG"] == []
    assert "设定值" in liushi.ok("--lang", "zh", "settings", "show").stdout


def test_year_by_and_trend_through_the_command_line(liushi: Cli) -> None:
    liushi.ok("asset", "impair", "A0001", "--date", "2004-12-31", "--value", "120000", "--cause", "damage", "--doc", "评估")
    by_year = liushi.json("report", "value", "--year", "2004", "--by", "district")
    by_dates = liushi.json("report", "value", "--from", "2004-01-01", "--to", "2004-12-31", "--by", "district")
    assert by_year["rows"] == by_dates["rows"] and (by_year["from"], by_year["to"]) == ("2004-01-01", "2004-12-31")
    # 柳市片: five buildings of 320,000 = 1,600,000; one impaired to 120,000: 1,400,000 / 1,600,000 → 87.50
    assert [(r["district"], r["ratio"]) for r in by_year["rows"]] == [("柳市片", "87.50")]
    assert set(by_year["intra_equity"]) == set(by_year["total"])
    register = liushi.json("report", "register", "--year", "2004", "--by", "category")
    assert register["as_of"] == "2004-12-31" and register["groups"]["rows"][0]["category"] == "building"
    trend = liushi.json("report", "trend", "--from", "2003-07-01", "--to", "2005-03-15")
    assert trend["total"]["years"] == {"2003": "100.00", "2004": "87.50", "2005": "100.00"}
    assert trend["total"]["span"] == "87.50"
    assert "2003年" in liushi.ok("--lang", "zh", "report", "trend", "--year", "2003").stdout
    # a year is named as one: a bare 2003 in a CSV heading is read as a number by a spreadsheet
    csv_head = liushi.ok("report", "trend", "--from", "2003-07-01", "--to", "2005-03-15", "--format", "csv").stdout
    assert csv_head.lstrip("\ufeff").splitlines()[0] == "Member,Name,Year 2003,Year 2004,Year 2005,Whole period"
    assert "--year" in liushi.refused("report", "value", "--year", "2004", "--from", "2004-02-01")
    assert "'04'" in liushi.refused("report", "value", "--year", "04")
    assert "--by" in liushi.refused("report", "leases", "--by", "district")
    assert "--by" in liushi.refused("report", "value", "--by", "town")


def test_asset_show_gives_its_flags_names_in_the_reader_s_language(liushi: Cli) -> None:
    shown = liushi.json("--lang", "zh", "asset", "show", "A0001")
    # acquired 1985-06-01 with no value event since: its valuation is stale too
    assert [(f["code"], f["label"]) for f in shown["flags"]] == [
        ("ENCROACHMENT_OPEN", "侵权未结"),
        ("VALUATION_STALE", "久未评估"),
    ]
    assert shown["flags"][0]["message"] == "柳市镇上峰村损坏，已 85 天未解决"
