"""Domain truth, round 3 (issue #24): every figure below is worked out by hand in the test."""

from __future__ import annotations

from tests.conftest import Cli


def _members(cli: Cli) -> None:
    """M001 and M002 in 柳市片, M003 in 大荆片."""
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    cli.ok("member", "add", "--name", "柳市塑料厂", "--district", "柳市片", "--kind", "enterprise")
    cli.ok("member", "add", "--name", "大荆木器厂", "--district", "大荆片", "--kind", "enterprise")


def _building(cli: Cli, owner: str, value: str, name: str) -> None:
    cli.ok(
        "asset",
        "add",
        "--name",
        name,
        "--owner",
        owner,
        "--category",
        "building",
        "--acquired",
        "2000-01-01",
        "--value",
        value,
        "--title-no",
        name,
    )


# -- transfers between members ---------------------------------------------------------------


def test_a_transfer_inside_a_district_and_across_districts_leaves_the_totals(cli: Cli) -> None:
    _members(cli)
    _building(cli, "M001", "1000000", "一号厂房")  # A0001, moved inside 柳市片
    _building(cli, "M001", "500000", "二号厂房")  # A0002, moved to 大荆片
    # outside dealings: M002 buys a building for 120,000 and M003 sells one worth 200,000 for 240,000
    _building(cli, "M003", "200000", "三号厂房")  # A0003
    cli.ok(
        "asset",
        "add",
        "--name",
        "新厂房",
        "--owner",
        "M002",
        "--category",
        "building",
        "--acquired",
        "2004-03-01",
        "--value",
        "120000",
        "--title-no",
        "新",
    )
    cli.ok("asset", "dispose", "A0003", "--date", "2004-08-01", "--proceeds", "240000", "--method", "sale", "--doc", "卖")
    cli.ok("asset", "transfer", "A0001", "--to", "M002", "--date", "2004-06-30", "--doc", "划转1")
    cli.ok("asset", "transfer", "A0002", "--to", "M003", "--date", "2004-07-31", "--doc", "划转2")
    value = cli.json("report", "value", "--year", "2004")
    rows = {r["member"]: r for r in value["rows"]}
    # each side keeps its transfer: M001 gives 1,000,000 + 500,000 (P), M002 receives 1,000,000 (A)
    assert (rows["M001"]["proceeds"], rows["M001"]["opening"], rows["M001"]["closing"]) == ("1500000.00", "1500000.00", "0.00")
    assert rows["M001"]["ratio"] == "100.00"  # 0 − 0 − 0 + 1,500,000 = 1,500,000 over 1,500,000
    assert (rows["M002"]["acquired"], rows["M002"]["closing"], rows["M002"]["ratio"]) == ("1120000.00", "1120000.00", None)
    # M003: V0 200,000; V1 500,000; A 500,000; P 240,000 → 500,000 − 500,000 + 240,000 = 240,000 → 120.00
    assert (rows["M003"]["acquired"], rows["M003"]["proceeds"], rows["M003"]["ratio"]) == ("500000.00", "240000.00", "120.00")
    total = value["total"]
    # the federation: acquired only the outside 120,000, sold only for 240,000
    assert (total["acquired"], total["proceeds"]) == ("120000.00", "240000.00")
    # V0 1,700,000; V1 1,620,000 → 1,620,000 − 120,000 + 240,000 = 1,740,000 → 102.35 (1.0235294)
    assert (total["opening"], total["closing"], total["adjusted_closing"], total["ratio"]) == (
        "1700000.00",
        "1620000.00",
        "1740000.00",
        "102.35",
    )
    assert value["internal_transfers"]["acquired"] == value["internal_transfers"]["proceeds"] == "1500000.00"
    assert set(value["internal_transfers"]) == set(total)
    district = {r["district"]: r for r in cli.json("report", "value", "--year", "2004", "--by", "district")["rows"]}
    # 柳市片 holds both sides of A0001's transfer: out of A and P; A0002 left it (P 500,000) for 大荆片 (A 500,000)
    assert (district["柳市片"]["acquired"], district["柳市片"]["proceeds"]) == ("120000.00", "500000.00")
    assert (district["大荆片"]["acquired"], district["大荆片"]["proceeds"]) == ("500000.00", "240000.00")
    category = cli.json("report", "value", "--year", "2004", "--by", "category")["rows"]
    assert [(r["category"], r["acquired"], r["proceeds"]) for r in category] == [("building", "120000.00", "240000.00")]
    summary = cli.json("report", "summary", "--year", "2004")
    assert (summary["value"]["rows"][0]["acquired"], summary["value"]["rows"][0]["proceeds"]) == ("120000.00", "240000.00")
    trend = cli.json("report", "trend", "--from", "2004-01-01", "--to", "2004-12-31")
    assert trend["total"]["years"] == {"2004": "102.35"} and trend["internal_transfers"]["span"] == "1500000.00"
    shown = cli.ok("report", "value", "--year", "2004", "--wide").stdout
    assert "Transfers between members" in shown and "1,500,000.00" in shown
    # the owner changes only by a transfer
    error = cli.refused("asset", "edit", "A0002", "--owner", "M001")
    assert "--owner" in error and "asset transfer A0002" in error


# -- same-day order ---------------------------------------------------------------------------


def test_an_appraisal_then_a_transfer_on_one_day_moves_with_the_asset(cli: Cli) -> None:
    _members(cli)
    _building(cli, "M001", "1000000", "一号厂房")
    cli.ok("asset", "revalue", "A0001", "--date", "2004-06-30", "--value", "1300000", "--doc", "评")
    cli.ok("asset", "transfer", "A0001", "--to", "M003", "--date", "2004-06-30")
    rows = {r["member"]: r for r in cli.json("report", "value", "--year", "2004")["rows"]}
    # M001: R +300,000 is its own; it gives 1,300,000: 0 − 0 − 300,000 + 1,300,000 = 1,000,000 over 1,000,000
    assert (rows["M001"]["revalued"], rows["M001"]["proceeds"], rows["M001"]["ratio"]) == ("300000.00", "1300000.00", "100.00")
    assert (rows["M003"]["acquired"], rows["M003"]["revalued"], rows["M003"]["closing"]) == ("1300000.00", "0.00", "1300000.00")


def test_a_transfer_then_an_appraisal_on_one_day_leaves_the_appraisal_with_the_receiver(cli: Cli) -> None:
    _members(cli)
    _building(cli, "M001", "1000000", "一号厂房")
    cli.ok("asset", "transfer", "A0001", "--to", "M003", "--date", "2004-06-30")
    cli.ok("asset", "revalue", "A0001", "--date", "2004-06-30", "--value", "1300000", "--doc", "评")
    rows = {r["member"]: r for r in cli.json("report", "value", "--year", "2004")["rows"]}
    # M001 gives the 1,000,000 it had; M003 receives 1,000,000 and its appraisal adds 300,000:
    # M003: 1,300,000 − 1,000,000 − 300,000 = 0 with no opening: no ratio
    assert (rows["M001"]["revalued"], rows["M001"]["proceeds"]) == ("0.00", "1000000.00")
    assert (rows["M003"]["acquired"], rows["M003"]["revalued"], rows["M003"]["adjusted_closing"]) == (
        "1000000.00",
        "300000.00",
        "0.00",
    )
    # and the order survives export and import
    exported = cli.registry.parent / "out"
    cli.ok("export", "csv", "--output", str(exported))
    again = Cli(cli.registry.parent / "again.json")
    again.ok("init")
    for kind in ("members", "assets", "transfers", "values"):
        again.ok("import", kind, str(exported / f"{kind}.csv"))
    assert {r["member"]: r["revalued"] for r in again.json("report", "value", "--year", "2004")["rows"]} == {
        "M001": "0.00",
        "M003": "300000.00",
    }


# -- the mark below 100 % ---------------------------------------------------------------------


def test_a_loss_of_one_cent_is_marked_below_though_the_ratio_rounds_to_100(cli: Cli) -> None:
    _members(cli)
    _building(cli, "M001", "1000000", "一号厂房")
    cli.ok("asset", "impair", "A0001", "--date", "2004-05-01", "--value", "999999.99", "--cause", "damage", "--doc", "损")
    value = cli.json("report", "value", "--year", "2004")
    # 999,999.99 / 1,000,000 × 100 = 99.999999 → 100.00 half-up; adjusted closing < V0 by 0.01: below
    row = value["rows"][0]
    assert (row["ratio"], row["change"], row["below"]) == ("100.00", "-0.01", True)
    assert value["total"]["below"] is True
    assert "▼" in cli.ok("report", "value", "--year", "2004", "--wide").stdout
    trend = cli.json("report", "trend", "--from", "2003-01-01", "--to", "2005-12-31")
    # 2003 kept its value (not below), 2004 lost a cent, 2005 kept 999,999.99; the span lost a cent
    assert trend["total"]["years"] == {"2003": "100.00", "2004": "100.00", "2005": "100.00"}
    assert (trend["total"]["years_below"], trend["total"]["span_below"]) == (["2004"], True)
    assert trend["rows"][0]["years_below"] == ["2004"]
    table = cli.ok("report", "trend", "--from", "2003-01-01", "--to", "2005-12-31", "--wide").stdout
    assert "100.00 % ▼" in table and table.count("▼") == 4  # 2004 and the span, in the row and in the total
