"""`lease statement` (租金对账单), `lease edit --rent --from`, `lease edit --end`, and the corrections of value
events (`asset edit --event N --amount | --date`, `--acquired`), issue 23. Every figure is worked out by hand
in the comments; the tests' today is 2005-03-15."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples"


def _statement(cli: Cli, lease: str, *args: str) -> dict[str, Any]:
    return dict(cli.json("lease", "statement", lease, *args))


def _dues(statement: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str, str]], str]]:
    """Each due as (day, rent, [(settled on, amount, how)], unpaid)."""
    return [
        (r["due"], r["amount"], [(p["date"], p["amount"], p["kind"]) for p in r["settlements"]], r["unpaid"])
        for r in statement["rows"]
    ]


def _roll_arrears(cli: Cli, lease: str, day: str) -> str:
    """The arrears `report leases` gives the lease on the day (active rows or the ended leases' section)."""
    report = cli.json("report", "leases", "--as-of", day)
    rows = [*report["rows"], *(row for value in report.values() if isinstance(value, dict) for row in value.get("rows", []))]
    return str(next(r["arrears"] for r in rows if r.get("id") == lease))


# -- the example registry ------------------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Cli:
    for name in ("registry.json", "registry.json.journal"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    return Cli(tmp_path / "registry.json")


def test_the_statement_of_the_example_warehouse_lease(example: Cli) -> None:
    # L0001 (examples/registry.json): 8,000.00 a month from 2004-01-01 to 2005-12-31, deposit 16,000; paid
    # 8,000 on 2004-01-05, 02-05, 03-08, 04-06, 05-10, 06-07, 07-06, 08-09, 09-06 and 4,000 on 2004-10-12.
    lease = example.json("lease", "show", "L0001")
    assert (lease["rent"], lease["period"], lease["start"], lease["deposit"]) == ("8000.00", "monthly", "2004-01-01", "16000.00")
    s = _statement(example, "L0001", "--as-of", "2005-03-15")
    # dues 2004-01-01 … 2005-03-01: 15 months × 8,000 = 120,000; paid 9 × 8,000 + 4,000 = 76,000
    dues = _dues(s)
    assert len(dues) == 15 and s["total"]["amount"] == "120000.00"
    paid_on = ["2004-01-05", "2004-02-05", "2004-03-08", "2004-04-06", "2004-05-10", "2004-06-07", "2004-07-06",
               "2004-08-09", "2004-09-06"]  # fmt: skip
    for n, day in enumerate(paid_on):  # each payment settles its month, oldest first
        assert dues[n] == (f"2004-{n + 1:02d}-01", "8000.00", [(day, "8000.00", "payment")], "0.00")
    assert dues[9] == ("2004-10-01", "8000.00", [("2004-10-12", "4000.00", "payment")], "4000.00")
    assert [d[0] for d in dues[10:]] == ["2004-11-01", "2004-12-01", "2005-01-01", "2005-02-01", "2005-03-01"]
    assert all(d[2] == [] and d[3] == "8000.00" for d in dues[10:])
    # owed 4,000 + 5 × 8,000 = 44,000 = 120,000 − 76,000, as the rent roll says; the deposit is still held
    assert (s["due"], s["paid"], s["written_off"], s["owed"], s["paid_ahead"]) == (
        "120000.00", "76000.00", "0.00", "44000.00", "0.00",
    )  # fmt: skip
    assert s["total"]["unpaid"] == "44000.00" == _roll_arrears(example, "L0001", "2005-03-15")
    assert s["deposit_held"] == "16000.00" and s["payments"]["total"]["amount"] == "76000.00"
    # as of 2004-10-31: dues Jan–Oct = 80,000, paid 76,000: only October's 4,000 unpaid
    earlier = _statement(example, "L0001", "--as-of", "2004-10-31")
    assert (earlier["owed"], len(earlier["rows"])) == ("4000.00", 10) == ("4000.00", len(earlier["payments"]["rows"]))
    assert earlier["owed"] == _roll_arrears(example, "L0001", "2004-10-31")


def test_every_example_lease_agrees_with_the_rent_roll(example: Cli) -> None:
    # L0002: 15,000 a quarter from 2003-04-01 to 2005-03-31: 8 dues (2003-04 … 2005-01) = 120,000, paid 30,000
    # L0003: 60,000 a year from 2004-07-01: one due, paid 2004-07-01
    for lease, owed in (("L0001", "44000.00"), ("L0002", "90000.00"), ("L0003", "0.00")):
        s = _statement(example, lease, "--as-of", "2005-03-15")
        assert s["owed"] == owed == (_roll_arrears(example, lease, "2005-03-15") or "0.00"), lease
    l2 = _statement(example, "L0002", "--as-of", "2005-03-15")
    assert [r["due"] for r in l2["rows"]][-2:] == ["2004-10-01", "2005-01-01"] and l2["due"] == "120000.00"
    assert [r["settled"] for r in l2["rows"]][:3] == ["15000.00", "15000.00", "0.00"]


# -- a registry of our own: a partial payment, a write-off, the deposit applied, a payment after the end --


@pytest.fixture
def ended(cli: Cli) -> Cli:
    """L0001: 1,000 a month from 2004-01-01 to 2004-06-30, deposit 1,500.
    Paid 1,000 on 2004-01-05 and 600 on 2004-02-10 (part of February); 400 written off on 2004-05-01; ended on
    2004-06-30 with the deposit set against the arrears (6 × 1,000 − 2,000 = 4,000 owed then: all 1,500 applied);
    1,000 paid on 2004-08-15, after the end (accepted: 2,500 was still owed)."""
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    cli.ok("asset", "add", "--name", "仓库", "--owner", "M001", "--category", "building", "--acquired", "2000-01-01",
           "--value", "100000", "--title-no", "乐房字第1号")  # fmt: skip
    cli.ok("lease", "add", "--asset", "A0001", "--tenant", "某公司", "--start", "2004-01-01", "--end", "2004-06-30",
           "--rent", "1000", "--period", "monthly", "--deposit", "1500")  # fmt: skip
    cli.ok("lease", "pay", "L0001", "--date", "2004-01-05", "--amount", "1000")
    cli.ok("lease", "pay", "L0001", "--date", "2004-02-10", "--amount", "600")
    cli.ok("lease", "write-off", "L0001", "--date", "2004-05-01", "--amount", "400", "--doc", "乐二轻〔2004〕9号")
    cli.ok("lease", "end", "L0001", "--date", "2004-06-30", "--apply-deposit")
    cli.ok("lease", "pay", "L0001", "--date", "2004-08-15", "--amount", "1000")
    return cli


def test_a_statement_with_a_part_payment_a_write_off_the_deposit_and_a_late_payment(ended: Cli) -> None:
    s = _statement(ended, "L0001", "--as-of", "2005-03-15")
    # settled in date order against the oldest dues: 1,000 (01-05) → Jan; 600 (02-10) + 400 written off
    # (05-01) → Feb; the deposit 1,500 (06-30) → Mar and half of Apr; 1,000 (08-15) → the rest of Apr, half of May
    assert _dues(s) == [
        ("2004-01-01", "1000.00", [("2004-01-05", "1000.00", "payment")], "0.00"),
        ("2004-02-01", "1000.00", [("2004-02-10", "600.00", "payment"), ("2004-05-01", "400.00", "write_off")], "0.00"),
        ("2004-03-01", "1000.00", [("2004-06-30", "1000.00", "deposit")], "0.00"),
        ("2004-04-01", "1000.00", [("2004-06-30", "500.00", "deposit"), ("2004-08-15", "500.00", "payment")], "0.00"),
        ("2004-05-01", "1000.00", [("2004-08-15", "500.00", "payment")], "500.00"),
        ("2004-06-01", "1000.00", [], "1000.00"),
    ]
    # due 6,000; paid 1,000 + 600 + 1,500 + 1,000 = 4,100; written off 400; owed 6,000 − 4,100 − 400 = 1,500
    assert (s["due"], s["paid"], s["written_off"], s["owed"]) == ("6000.00", "4100.00", "400.00", "1500.00")
    assert s["total"] == {"amount": "6000.00", "settled": "4500.00", "unpaid": "1500.00"}
    assert s["owed"] == _roll_arrears(ended, "L0001", "2005-03-15")
    assert [(r["item"], r["date"], r["amount"]) for r in s["deposit"]["rows"]] == [
        ("deposit_agreed", "2004-01-01", "1500.00"),
        ("deposit_applied", "2004-06-30", "1500.00"),
        ("deposit_held", "2005-03-15", "0.00"),
    ]
    assert [(w["date"], w["amount"], w["doc"]) for w in s["writeoffs"]["rows"]] == [("2004-05-01", "400.00", "乐二轻〔2004〕9号")]
    assert s["lease"]["ended_on"] == "2004-06-30"
    # as of 2004-07-31 the late payment has not happened: 6,000 − 3,100 − 400 = 2,500 owed (April's 500, May, June)
    before = _statement(ended, "L0001", "--as-of", "2004-07-31")
    assert (before["owed"], before["paid"], len(before["payments"]["rows"])) == ("2500.00", "3100.00", 3)
    assert [r["unpaid"] for r in before["rows"]] == ["0.00", "0.00", "0.00", "500.00", "1000.00", "1000.00"]
    assert before["owed"] == _roll_arrears(ended, "L0001", "2004-07-31")
    # as of 2004-05-31, before the end: the deposit is still held
    assert _statement(ended, "L0001", "--as-of", "2004-05-31")["deposit_held"] == "1500.00"


def test_the_statement_in_words_and_in_chinese(ended: Cli) -> None:
    text = ended.ok("lease", "statement", "L0001", "--format", "txt").stdout
    assert "Rent statement: L0001 某公司" in text and "2004-06-30 (deposit), 2004-08-15" in text
    assert "2004-02-10, 2004-05-01 (written off)" in text and "Term: 2004-01-01 – 2004-06-30 (ended on 2004-06-30)" in text
    zh = ended.ok("--lang", "zh", "lease", "statement", "L0001", "--format", "txt").stdout
    assert "租金对账单：L0001 某公司" in zh and "尚欠" in zh and "2004-05-01 (核销)" in zh


def test_a_statement_of_a_lease_that_does_not_exist_is_refused(ended: Cli) -> None:
    assert "L0009" in ended.refused("lease", "statement", "L0009")
    assert "--as-of" in ended.refused("lease", "statement", "L0001", "--as-of", "2005-13-01")
    assert "--output" in ended.refused("lease", "statement", "L0001", "--format", "pdf")


@pytest.mark.parametrize("fmt", ["table", "txt", "md", "html", "svg", "csv", "json", "xlsx", "pdf"])
def test_every_format_writes(ended: Cli, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"statement.{'txt' if fmt == 'table' else fmt}"
    ended.ok("lease", "statement", "L0001", "--format", fmt, "--output", str(out))
    data = out.read_bytes()
    assert data
    if fmt == "csv":  # the main table: the dues; 6 rows and the total
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Due on,Rent due,Settled") and lines[-1] == "Total,6000.00,4500.00,,1500.00"
    if fmt == "json":
        assert json.loads(data)["owed"] == "1500.00"
    if fmt in ("html", "md", "txt", "table", "svg"):
        assert "1,500.00" in data.decode("utf-8")


# -- lease edit --rent AMOUNT --from DATE ------------------------------------------------------------


@pytest.fixture
def lease_2005(cli: Cli) -> Cli:
    """L0001: 12,000 a year paid monthly (1,000) from 2005-01-01 to 2005-12-31, nothing paid."""
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    cli.ok("asset", "add", "--name", "仓库", "--owner", "M001", "--category", "building", "--acquired", "2000-01-01",
           "--value", "100000", "--title-no", "乐房字第1号")  # fmt: skip
    cli.ok("lease", "add", "--asset", "A0001", "--tenant", "某公司", "--start", "2005-01-01", "--end", "2005-12-31",
           "--rent", "1000", "--period", "monthly")  # fmt: skip
    return cli


def test_a_rent_change_from_a_day_leaves_the_dues_before_it(lease_2005: Cli) -> None:
    cli = lease_2005
    lease = cli.json("lease", "edit", "L0001", "--rent", "1500", "--from", "2005-07-01")  # 18,000 a year from July
    assert lease["rents"] == [{"date": "2005-07-01", "amount": "1500.00"}]
    # to 2005-12-31: 6 × 1,000 + 6 × 1,500 = 15,000
    s = _statement(cli, "L0001", "--as-of", "2005-12-31")
    assert [r["amount"] for r in s["rows"]] == ["1000.00"] * 6 + ["1500.00"] * 6 and s["due"] == "15000.00"
    assert _roll_arrears(cli, "L0001", "2005-12-31") == "15000.00"
    assert _statement(cli, "L0001", "--as-of", "2005-06-30")["due"] == "6000.00"  # unchanged before July
    # rent per year: the rent in force that day (12 × 1,000 in June, 12 × 1,500 in July)
    for day, per_year in (("2005-06-30", "12000.00"), ("2005-07-01", "18000.00")):
        assert cli.json("report", "leases", "--as-of", day)["rows"][0]["rent_per_year"] == per_year
        assert cli.json("lease", "list", "--as-of", day)[0]["rent"] == str(int(per_year[:-3]) // 12) + ".00"
    # a payment of 7,000 settles Jan–Jun (6,000) and 1,000 of July's 1,500: owed 15,000 − 7,000 = 8,000
    cli.ok("lease", "pay", "L0001", "--date", "2005-03-01", "--amount", "7000")
    s = _statement(cli, "L0001", "--as-of", "2005-12-31")
    assert s["rows"][6]["unpaid"] == "500.00" and s["owed"] == "8000.00" == _roll_arrears(cli, "L0001", "2005-12-31")


def test_a_rent_change_is_refused_outside_the_term_before_a_change_or_without_its_day(lease_2005: Cli) -> None:
    cli = lease_2005
    assert cli.refused("lease", "edit", "L0001", "--rent", "1500") == (
        "error: --rent '1500': needs --from DATE: the day the new rent is in force from\n"
    )
    assert "--from '2005-07-01': needs --rent AMOUNT" in cli.refused("lease", "edit", "L0001", "--from", "2005-07-01")
    assert "--from '2004-12-31': is before the lease starts (2005-01-01)" in cli.refused(
        "lease", "edit", "L0001", "--rent", "1500", "--from", "2004-12-31"
    )
    assert "--from '2006-01-01': is after the lease's last day (2005-12-31)" in cli.refused(
        "lease", "edit", "L0001", "--rent", "1500", "--from", "2006-01-01"
    )
    assert "--rent '1000.00': is already the rent in force on 2005-07-01" in cli.refused(
        "lease", "edit", "L0001", "--rent", "1000", "--from", "2005-07-01"
    )
    cli.ok("lease", "edit", "L0001", "--rent", "1500", "--from", "2005-07-01")
    assert "--from '2005-06-01': is not after the lease's last rent change (2005-07-01)" in cli.refused(
        "lease", "edit", "L0001", "--rent", "1600", "--from", "2005-06-01"
    )
    assert "--rent '-5'" in cli.refused("lease", "edit", "L0001", "--rent", "-5", "--from", "2005-09-01")


def test_undo_takes_a_rent_change_back_and_says_so(lease_2005: Cli) -> None:
    cli = lease_2005
    cli.ok("lease", "edit", "L0001", "--rent", "1500", "--from", "2005-07-01")
    undone = cli.ok("undo", "--yes")
    assert "lease L0001: rent changes 2005-07-01 1,500.00 → —" in undone.stderr
    assert _statement(cli, "L0001", "--as-of", "2005-12-31")["due"] == "12000.00"  # 12 × 1,000 again
    cli.ok("redo", "--yes")
    assert _statement(cli, "L0001", "--as-of", "2005-12-31")["due"] == "15000.00"


def test_rent_changes_go_through_export_and_import(lease_2005: Cli, tmp_path: Path) -> None:
    cli = lease_2005
    cli.ok("lease", "edit", "L0001", "--rent", "1500", "--from", "2005-07-01")
    cli.ok("lease", "edit", "L0001", "--rent", "2000", "--from", "2005-10-01")
    folder = tmp_path / "csv"
    cli.ok("export", "csv", "--output", str(folder))
    assert "2005-07-01:1500.00;2005-10-01:2000.00" in (folder / "leases.csv").read_text(encoding="utf-8-sig")
    other = Cli(tmp_path / "other.json")
    other.ok("init", "--name", "乐清市二轻联社")
    for kind in ("members", "assets", "leases"):
        other.ok("import", kind, str(folder / f"{kind}.csv"))
    # 6 × 1,000 + 3 × 1,500 + 3 × 2,000 = 16,500 in both
    assert _statement(other, "L0001", "--as-of", "2005-12-31")["due"] == "16500.00"
    assert _statement(cli, "L0001", "--as-of", "2005-12-31")["due"] == "16500.00"
    assert json.loads((tmp_path / "other.json").read_text())["leases"]["L0001"]["rents"] == [
        {"date": "2005-07-01", "amount": "1500.00"},
        {"date": "2005-10-01", "amount": "2000.00"},
    ]


def test_lease_edit_end_renews_and_the_dues_follow(lease_2005: Cli) -> None:
    # renewed to 2006-06-30: 12 dues of 2005 and 6 of 2006 by 2006-12-31 = 18 × 1,000
    cli = lease_2005
    cli.ok("lease", "edit", "L0001", "--end", "2006-06-30")
    assert _statement(cli, "L0001", "--as-of", "2006-12-31")["due"] == "18000.00"
    assert _roll_arrears(cli, "L0001", "2006-03-31") == "15000.00"  # 2005-01 … 2006-03: 15 dues
    cli.ok("lease", "edit", "L0001", "--end", "2005-03-31")  # an earlier end agreed: Jan–Mar only
    assert _statement(cli, "L0001", "--as-of", "2006-12-31")["due"] == "3000.00"
    # renewed to 2006-12-31 at 1,200 from 2006-01-01, in one command: 12 × 1,000 + 12 × 1,200 = 26,400
    cli.ok("lease", "edit", "L0001", "--end", "2006-12-31", "--rent", "1200", "--from", "2006-01-01")
    assert _statement(cli, "L0001", "--as-of", "2006-12-31")["due"] == "26400.00"


# -- asset edit --event N --amount | --date, --acquired --------------------------------------------------


@pytest.fixture
def valued(cli: Cli) -> Cli:
    """A0001: acquired 2000-01-01 for 100,000; revalued to 150,000 on 2004-03-01 (appraisal); impaired to
    120,000 on 2004-09-01 (damage)."""
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    cli.ok("asset", "add", "--name", "仓库", "--owner", "M001", "--category", "building", "--acquired", "2000-01-01",
           "--value", "100000", "--title-no", "乐房字第1号")  # fmt: skip
    cli.ok("asset", "revalue", "A0001", "--date", "2004-03-01", "--value", "150000", "--basis", "appraisal")
    cli.ok("asset", "impair", "A0001", "--date", "2004-09-01", "--value", "120000", "--cause", "damage")
    return cli


def _value_2004(cli: Cli) -> dict[str, str]:
    return dict(cli.json("report", "value", "--year", "2004")["total"])


def test_correcting_an_amount_moves_the_value_report_by_the_difference(valued: Cli) -> None:
    cli = valued
    # 2004: V0 100,000; V1 120,000; R 50,000; adjusted 120,000 − 50,000 = 70,000; 70.00 %
    first = _value_2004(cli)
    assert (first["opening"], first["closing"], first["revalued"], first["adjusted_closing"]) == (
        "100000.00", "120000.00", "50000.00", "70000.00",
    )  # fmt: skip
    # the revaluation was 160,000, not 150,000: R +10,000, adjusted −10,000
    cli.ok("asset", "edit", "A0001", "--event", "2", "--amount", "160000")
    second = _value_2004(cli)
    assert (second["revalued"], second["adjusted_closing"], second["closing"]) == ("60000.00", "60000.00", "120000.00")
    # the impairment left 110,000, not 120,000: V1 −10,000, adjusted −10,000
    cli.ok("asset", "edit", "A0001", "--event", "3", "--amount", "110000")
    third = _value_2004(cli)
    assert (third["closing"], third["adjusted_closing"]) == ("110000.00", "50000.00")
    # the acquisition was 90,000: V0 −10,000, and the revaluation's change R +10,000 (160,000 − 90,000)
    cli.ok("asset", "edit", "A0001", "--event", "1", "--amount", "90000")
    fourth = _value_2004(cli)
    assert (fourth["opening"], fourth["revalued"], fourth["adjusted_closing"]) == ("90000.00", "70000.00", "40000.00")
    # undo takes the last correction back
    cli.ok("undo", "--yes")
    assert _value_2004(cli) == third


def test_correcting_a_day_moves_the_event_between_periods(valued: Cli) -> None:
    cli = valued
    # the appraisal was on 2003-12-01: in 2004, V0 = 150,000, R = 0 → adjusted 120,000, 80.00 %
    cli.ok("asset", "edit", "A0001", "--event", "2", "--date", "2003-12-01")
    total = _value_2004(cli)
    assert (total["opening"], total["revalued"], total["adjusted_closing"], total["ratio"]) == (
        "150000.00", "0.00", "120000.00", "80.00",
    )  # fmt: skip
    history = cli.json("asset", "show", "A0001")["history"]
    assert [(h["n"], h["date"], h["kind"]) for h in history] == [
        (1, "2000-01-01", "acquire"), (2, "2003-12-01", "revalue"), (3, "2004-09-01", "impair"),
    ]  # fmt: skip
    # acquired on 1999-06-01, not 2000-01-01: the first event, the asset's day and its first status move
    asset = cli.json("asset", "edit", "A0001", "--acquired", "1999-06-01")
    assert asset["acquired"] == "1999-06-01" == asset["history"][0]["date"]
    assert asset["status_history"][0]["date"] == "1999-06-01"


def test_a_correction_that_breaks_the_order_or_an_impairment_is_refused(valued: Cli) -> None:
    cli = valued
    assert cli.refused("asset", "edit", "A0001", "--event", "2", "--date", "1999-12-31") == (
        "error: --date '1999-12-31': is before event 1 (acquire 2000-01-01 100,000.00), which comes before it\n"
    )
    assert "is after event 3 (impair 2004-09-01 120,000.00)" in cli.refused(
        "asset", "edit", "A0001", "--event", "2", "--date", "2004-10-01"
    )
    assert "--acquired '2004-05-01': is after event 2 (revalue 2004-03-01 150,000.00)" in cli.refused(
        "asset", "edit", "A0001", "--acquired", "2004-05-01"
    )
    # a revaluation to 110,000 would make the impairment to 120,000 a gain
    assert "--amount '110000.00': is below event 3 (impair 2004-09-01 120,000.00)" in cli.refused(
        "asset", "edit", "A0001", "--event", "2", "--amount", "110000"
    )
    assert "--amount '155000.00': is above the value before the impairment (150,000.00)" in cli.refused(
        "asset", "edit", "A0001", "--event", "3", "--amount", "155000"
    )
    assert "--event '4'" in cli.refused("asset", "edit", "A0001", "--event", "4", "--amount", "1")
    assert "--event" in cli.refused("asset", "edit", "A0001", "--amount", "1")  # no terminal: which event?
    assert "--date '2005-03-16'" in cli.refused("asset", "edit", "A0001", "--event", "3", "--date", "2005-03-16")


# -- at a terminal ------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_at_a_terminal_the_missing_half_is_asked(lease_2005: Cli) -> None:
    from tests.cli.test_prompts import finish, spawn, stored

    child = spawn(lease_2005.registry, "lease", "edit", "L0001", "--rent", "1500")
    child.expect_exact("--from: ")
    child.sendline("2004-12-31")  # before the start: asked again at once
    child.expect_exact("is before the lease starts (2005-01-01)")
    child.expect_exact("--from: ")
    child.sendline("2005-07-01")
    assert finish(child) == 0
    assert stored(lease_2005)["leases"]["L0001"]["rents"] == [{"date": "2005-07-01", "amount": "1500.00"}]
    child = spawn(lease_2005.registry, "asset", "edit", "A0001", "--amount", "90000")
    child.expect_exact("--event: ")
    child.sendline("1")
    assert finish(child) == 0
    assert stored(lease_2005)["assets"]["A0001"]["events"][0]["amount"] == "90000.00"
    child = spawn(lease_2005.registry, "lease", "statement", "--format", "csv")
    child.expect_exact("L0001")  # the leases to choose from
    child.expect_exact(": ")
    child.sendline("L0001")
    child.expect_exact("Total,3000.00")  # today (2005-03-15): the dues of January to March, 3 × 1,000
    assert finish(child) == 0


def test_a_returned_deposit_is_on_the_statement(ended: Cli) -> None:
    # L0002: 500 a quarter from 2004-01-01 to 2004-06-30 (dues 2004-01-01 and 2004-04-01), deposit 800; both
    # quarters paid, ended on 2004-06-30 and the whole deposit returned that day: nothing owed, nothing held
    ended.ok("asset", "add", "--name", "门面", "--owner", "M001", "--category", "building", "--acquired", "2000-01-01",
             "--value", "50000", "--title-no", "乐房字第2号")  # fmt: skip
    ended.ok("lease", "add", "--asset", "A0002", "--tenant", "某商店", "--start", "2004-01-01", "--end", "2004-06-30",
             "--rent", "500", "--period", "quarterly", "--deposit", "800")  # fmt: skip
    ended.ok("lease", "pay", "L0002", "--date", "2004-01-02", "--amount", "1000")
    ended.ok("lease", "end", "L0002", "--date", "2004-06-30", "--refund-deposit")
    s = _statement(ended, "L0002", "--as-of", "2005-03-15")
    assert [(r["due"], r["unpaid"]) for r in s["rows"]] == [("2004-01-01", "0.00"), ("2004-04-01", "0.00")]
    assert [(r["item"], r["date"], r["amount"]) for r in s["deposit"]["rows"]] == [
        ("deposit_agreed", "2004-01-01", "800.00"),
        ("deposit_refunded", "2004-06-30", "800.00"),
        ("deposit_held", "2005-03-15", "0.00"),
    ]
    assert (s["owed"], s["deposit_held"]) == ("0.00", "0.00")
    # the day before, it was held still and not yet returned
    before = _statement(ended, "L0002", "--as-of", "2004-06-29")
    assert [r["item"] for r in before["deposit"]["rows"]] == ["deposit_agreed", "deposit_held"] and before[
        "deposit_held"
    ] == "800.00"
