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
    assert summary["value"]["internal_transfers"]["acquired"] == "1500000.00"
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
    assert table.count("100.00 % ▼") == 4  # 2004 and the span, in the row and in the total


# -- rent: prepaid, arrears, after the end, write-off, deposit ---------------------------------


def _four_buildings(cli: Cli) -> None:
    _members(cli)
    for n in range(1, 5):
        _building(cli, "M001", "100000", f"{n}号厂房")


def _lease(cli: Cli, asset: str, start: str, end: str, rent: str, period: str, deposit: str = "0") -> None:
    cli.ok(
        "lease",
        "add",
        "--asset",
        asset,
        "--tenant",
        f"承租人{asset}",
        "--start",
        start,
        "--end",
        end,
        "--rent",
        rent,
        "--period",
        period,
        "--deposit",
        deposit,
        "--doc",
        "合同",
    )


def test_a_lease_with_prepayment_arrears_a_payment_after_the_end_and_a_write_off(cli: Cli) -> None:
    _four_buildings(cli)
    # L0001: from 31 January 2004 to 30 June 2004, 1,000 a month, deposit 3,000. Dues: 01-31, 02-29 (the 31st
    # falls on the last day of February, a leap year), 03-31, 04-30, 05-31; the period that would start on the
    # end day 06-30 is not due: 5 dues, 5,000.
    _lease(cli, "A0001", "2004-01-31", "2004-06-30", "1000", "monthly", "3000")
    cli.ok("lease", "pay", "L0001", "--date", "2004-01-10", "--amount", "2000")  # prepaid before the start
    early = cli.json("lease", "show", "L0001", "--as-of", "2004-02-29")
    assert early["arrears"] == "0.00"  # the prepayment settled the dues of 01-31 and 02-29 as they fell due
    cli.ok("lease", "pay", "L0001", "--date", "2004-04-15", "--amount", "500")
    cli.ok("lease", "end", "L0001", "--date", "2004-06-30")
    # owed at the end: 5,000 − 2,500 = 2,500, the oldest unpaid due 03-31 (its 500 left), 04-30, 05-31
    assert cli.json("lease", "show", "L0001", "--as-of", "2004-06-30")["unpaid"] == [
        {"due": "2004-03-31", "amount": "500.00"},
        {"due": "2004-04-30", "amount": "1000.00"},
        {"due": "2004-05-31", "amount": "1000.00"},
    ]
    error = cli.refused("lease", "pay", "L0001", "--date", "2004-08-10", "--amount", "3000")
    assert "--amount" in error and "2,500.00" in error
    cli.ok("lease", "pay", "L0001", "--date", "2004-08-10", "--amount", "1000")  # after the end, within what is owed
    assert cli.json("lease", "show", "L0001", "--as-of", "2004-08-10")["arrears"] == "1500.00"
    flags = [f for f in cli.json("flags", "--as-of", "2004-09-29") if f["code"] == "RENT_ARREARS"]
    # 1,500 owed, the oldest unpaid due 04-30 (the 500 of 03-31 settled by August's payment): 152 days old
    assert [(f["record_id"], f["message"]) for f in flags] == [
        ("L0001", "arrears of 1,500.00 yuan; oldest unpaid due is 152 days old")
    ]
    assert "--doc" in cli.refused("lease", "write-off", "L0001", "--date", "2004-09-30", "--amount", "1500")
    error = cli.refused("lease", "write-off", "L0001", "--date", "2004-09-30", "--amount", "1500.01", "--doc", "核")
    assert "1,500.00" in error
    cli.ok("lease", "write-off", "L0001", "--date", "2004-09-30", "--amount", "1500", "--doc", "乐二轻〔2004〕88号")
    shown = cli.json("lease", "show", "L0001")
    assert shown["arrears"] == "0.00" and shown["writeoffs"][0]["doc"] == "乐二轻〔2004〕88号"
    assert [f for f in cli.json("flags", "--as-of", "2004-12-31") if f["record_id"] == "L0001"] == []
    # the lease on a past day: nothing after it listed
    past = cli.json("lease", "show", "L0001", "--as-of", "2004-03-31")
    assert [p["date"] for p in past["payments"]] == ["2004-01-10"] and past["writeoffs"] == []
    assert (past["status"], past["ended_on"], past["arrears"]) == ("active", None, "1000.00")  # 3,000 due − 2,000

    # L0002: a quarter of 3,000 from 1 January, deposit 5,000; paid 3,000; ended 31 May with 3,000 owed (the due of
    # 1 April): the deposit settles it, the 2,000 left is returned.
    _lease(cli, "A0002", "2004-01-01", "2004-12-31", "3000", "quarterly", "5000")
    cli.ok("lease", "pay", "L0002", "--date", "2004-01-01", "--amount", "3000")
    cli.ok("lease", "end", "L0002", "--date", "2004-05-31", "--apply-deposit", "--refund-deposit")
    l2 = cli.json("lease", "show", "L0002")
    assert (l2["arrears"], l2["deposit_held"], l2["refunded"], l2["refunded_on"]) == ("0.00", "0.00", "2000.00", "2004-05-31")
    # L0003: signed to start on 1 March 2005, 2,000 a month; 4,000 paid ahead on 20 December 2004
    _lease(cli, "A0003", "2005-03-01", "2006-02-28", "2000", "monthly")
    cli.ok("lease", "pay", "L0003", "--date", "2004-12-20", "--amount", "4000")
    # L0004: 6,000 a quarter from 1 July 2004, nothing paid: dues 07-01 (183 days old on 31 December) and 10-01 (91)
    _lease(cli, "A0004", "2004-07-01", "2009-06-30", "6000", "quarterly")

    roll = cli.json("report", "leases", "--year", "2004")
    assert [(r["id"], r["status"], r["rent_per_year"]) for r in roll["rows"]] == [
        ("L0003", "signed", None),
        ("L0004", "active", "24000.00"),
    ]
    assert roll["rows"][0]["collected"] == "4000.00"
    assert (roll["rows"][1]["aging"]["180+"], roll["rows"][1]["aging"]["91-180"]) == ("6000.00", "6000.00")
    ended = {r["id"]: r for r in roll["ended"]["rows"]}
    # L0001: still holds its 3,000 deposit; collected 2,000 + 500 + 1,000 = 3,500; wrote off 1,500
    assert (ended["L0001"]["deposit"], ended["L0001"]["collected"], ended["L0001"]["written_off"]) == (
        "3000.00",
        "3500.00",
        "1500.00",
    )
    assert ended["L0001"]["rent_per_year"] is None and ended["L0001"]["arrears"] == "0.00"
    # L0002: owes nothing and holds nothing, but collected 3,000 + 3,000 (the deposit applied) in the year
    assert (ended["L0002"]["deposit"], ended["L0002"]["collected"]) == ("0.00", "6000.00")
    total = roll["total"]
    # rent per year: the active L0004 only; collected 4,000 + 3,500 + 6,000 = 13,500
    assert (total["rent_per_year"], total["deposit"], total["collected"], total["written_off"], total["arrears"]) == (
        "24000.00",
        "3000.00",
        "13500.00",
        "1500.00",
        "12000.00",
    )
    summary = cli.json("report", "summary", "--year", "2004")["rent"]["rows"][0]
    # due in 2004: 5,000 + 6,000 + 0 + 12,000 = 23,000; the roll and the summary collect the same 13,500
    assert summary == {"due": "23000.00", "collected": "13500.00", "written_off": "1500.00", "arrears": "12000.00"}
    table = cli.ok("report", "leases", "--year", "2004", "--wide").stdout
    assert "Ended leases still owing rent or holding a deposit" in table and "signed," in table
    # export and import give the same rent roll: write-offs, the deposit applied and returned, payments after the end
    exported = cli.registry.parent / "out"
    cli.ok("export", "csv", "--output", str(exported))
    again = Cli(cli.registry.parent / "again.json")
    again.ok("init")
    for kind in ("members", "assets", "statuses", "leases", "payments", "writeoffs"):
        again.ok("import", kind, str(exported / f"{kind}.csv"))
    assert again.json("report", "leases", "--year", "2004") | {"log_head": None, "made": None, "registry": None} == roll | {
        "log_head": None,
        "made": None,
        "registry": None,
    }


def test_the_rent_roll_leaves_out_an_ended_lease_s_rent_but_keeps_its_deposit(cli: Cli) -> None:
    cli.env["ASSETREG_TODAY"] = "2011-01-01"
    _four_buildings(cli)
    _lease(cli, "A0001", "2010-01-01", "2012-12-31", "10000", "monthly", "20000")  # 120,000 a year
    _lease(cli, "A0002", "2010-01-01", "2012-12-31", "85000", "annual")
    for month in range(1, 5):
        cli.ok("lease", "pay", "L0001", "--date", f"2010-{month:02d}-01", "--amount", "10000")
    cli.ok("lease", "pay", "L0002", "--date", "2010-01-01", "--amount", "85000")
    cli.ok("lease", "end", "L0001", "--date", "2010-04-30")
    data = cli.json("report", "leases", "--as-of", "2010-12-31")
    assert [r["id"] for r in data["rows"]] == ["L0002"] and data["total"]["rent_per_year"] == "85000.00"
    # L0001 ended on 30 April, paid up (4 × 10,000), its 20,000 deposit neither applied nor returned: still held
    assert [(r["id"], r["deposit"], r["arrears"]) for r in data["ended"]["rows"]] == [("L0001", "20000.00", "0.00")]
    assert data["total"]["deposit"] == "20000.00"
    error = cli.refused("lease", "edit", "L0002", "--refund-deposit", "--date", "2011-01-01")
    assert "once the lease has ended" in error
    cli.ok("lease", "edit", "L0001", "--refund-deposit", "--date", "2011-01-01")  # returned later
    assert cli.json("lease", "show", "L0001")["refunded"] == "20000.00"
    assert cli.json("report", "leases", "--as-of", "2010-12-31")["ended"]["rows"][0]["deposit"] == "20000.00"
    assert cli.json("report", "leases", "--as-of", "2011-01-01")["ended"]["rows"] == []  # nothing held, owed or paid
    assert "no deposit" in cli.refused("lease", "edit", "L0001", "--refund-deposit", "--date", "2011-01-01")
    # a deposit all set against arrears leaves nothing to return: asked together, nothing is returned
    _lease(cli, "A0003", "2010-01-01", "2010-12-31", "1000", "monthly", "500")
    cli.ok("lease", "end", "L0003", "--date", "2010-03-31", "--apply-deposit", "--refund-deposit")
    l3 = cli.json("lease", "show", "L0003")  # 3,000 due, 500 of deposit applied: 2,500 owed, nothing held
    assert (l3["arrears"], l3["deposit_held"], l3.get("refunded")) == ("2500.00", "0.00", None)
    preview = cli.run("--lang", "zh", "undo", input="否\n", env={"ASSETREG_INTERACTIVE": "1"}).stderr
    assert "去掉 2010-03-31 500.00 （押金抵扣）" in preview and "True" not in preview


def test_an_asset_is_idle_from_its_lease_s_end_and_staleness_counts_from_the_report(cli: Cli) -> None:
    _four_buildings(cli)
    _lease(cli, "A0001", "2002-01-01", "2003-12-31", "1000", "monthly")
    cli.ok("lease", "pay", "L0001", "--date", "2003-12-01", "--amount", "24000")
    cli.ok("lease", "end", "L0001", "--date", "2003-12-31")
    idle = [f for f in cli.json("flags", "--as-of", "2004-12-30") if f["code"] == "IDLE_ASSET"]
    assert idle == []  # idle from 2003-12-31: a year on 2004-12-31
    idle = [f for f in cli.json("flags", "--as-of", "2004-12-31") if f["code"] == "IDLE_ASSET"]
    assert [(f["record_id"], f["since"], f["message"]) for f in idle] == [("A0001", "2004-12-31", "idle since 2003-12-31")]
    cli.ok(
        "incident",
        "add",
        "--kind",
        "encroachment",
        "--asset",
        "A0002",
        "--occurred",
        "2004-01-01",
        "--reported",
        "2004-03-01",
        "--counterparty",
        "某村",
    )
    # no action: stale 90 days after the report (1 March + 90 days = 30 May), not after the occurrence
    stale = [f for f in cli.json("flags", "--as-of", "2004-05-29") if f["code"] == "ENCROACHMENT_STALE"]
    assert stale == []
    stale = [f for f in cli.json("flags", "--as-of", "2004-05-30") if f["code"] == "ENCROACHMENT_STALE"]
    assert [(f["record_id"], f["since"]) for f in stale] == [("I0001", "2004-05-30")]


# -- language ---------------------------------------------------------------------------------


def test_wording_a_finance_office_would_write(cli: Cli) -> None:
    cli.ok(
        "member",
        "add",
        "--name",
        "泡沫塑料厂",
        "--district",
        "城区片",
        "--kind",
        "enterprise",
        "--restructuring",
        "completed",
        "--restructuring-since",
        "2002-01-01",
        "--restructuring-finished",
        "2003-01-01",
    )
    _building(cli, "M001", "100000", "厂房")
    cli.ok("incident", "add", "--kind", "damage", "--asset", "A0001", "--occurred", "2004-01-01", "--counterparty", "某村")
    flags = {f["code"]: f for f in cli.json("flags", "--as-of", "2004-12-31")}
    # completed on 2003-01-01, a year (365 days) later still holding one asset
    assert flags["RESTRUCTURED_HOLDING"]["message"] == "completed since 2003-01-01 and still holds 1 asset worth 100,000.00"
    zh = {f["code"]: f["label"] for f in cli.json("--lang", "zh", "flags", "--as-of", "2004-12-31")}
    assert (zh["ENCROACHMENT_OPEN"], zh["ENCROACHMENT_STALE"]) == ("侵权未结", "久拖未决")
    value = cli.ok("--lang", "zh", "report", "value", "--year", "2004", "--wide").stdout
    assert "期初资产价值" in value and "期末资产价值" in value and "增减额" in value
    assert "折旧不属于国资委令第9号所列的客观因素" in value
    summary = cli.ok("--lang", "zh", "report", "summary", "--year", "2004", "--wide").stdout
    assert "本期应收" in summary and "本期实收" in summary and "期内应收" not in summary


def test_a_clearance_revaluation_takes_effect_after_the_events_entered_before_it_on_its_day(cli: Cli) -> None:
    _members(cli)
    _building(cli, "M001", "320000", "一号厂房")
    cli.ok("asset", "impair", "A0001", "--date", "2004-12-31", "--value", "120000", "--cause", "damage", "--doc", "损")
    cli.ok("clearance", "open", "--as-of", "2004-12-31")
    cli.ok("clearance", "check", "C001", "A0001", "--result", "differs", "--value", "150000", "--date", "2005-01-10")
    cli.ok("clearance", "close", "C001", "--date", "2005-01-20", "--doc", "乐二轻〔2005〕3号")
    # the impairment (entered first) then the clearance's revaluation, both on 2004-12-31: the value found stands
    assert cli.json("asset", "show", "A0001", "--as-of", "2004-12-31")["value"] == "150000.00"
    row = cli.json("report", "value", "--year", "2004")["rows"][0]
    # V0 320,000; V1 150,000; R +30,000 (120,000 → 150,000): 150,000 − 30,000 = 120,000 → 37.50
    assert (row["revalued"], row["ratio"]) == ("30000.00", "37.50")


def test_list_totals_count_what_is_held(cli: Cli) -> None:
    _members(cli)
    for n, area in ((1, "1000"), (2, "2000"), (3, "4000")):
        cli.ok(
            "asset",
            "add",
            "--name",
            f"{n}号",
            "--owner",
            "M001",
            "--category",
            "building",
            "--acquired",
            "2000-01-01",
            "--value",
            f"{n}00000",
            "--area",
            area,
            "--title-no",
            f"T{n}",
        )
    cli.ok("asset", "dispose", "A0003", "--date", "2004-06-30", "--proceeds", "350000", "--method", "sale", "--doc", "卖")
    # three listed, two held: 1,000 + 2,000 m², 100,000 + 200,000
    assert "Total: count 2, area 3,000 m², value 300,000.00 yuan" in cli.ok("asset", "list").stdout
    # listed on purpose, the disposed one counts (no value after its disposal)
    assert "Total: count 1, area 4,000 m², value 0.00 yuan" in cli.ok("asset", "list", "--status", "disposed").stdout
    _lease(cli, "A0001", "2004-01-01", "2004-12-31", "1000", "monthly")
    _lease(cli, "A0002", "2004-01-01", "2005-12-31", "2000", "monthly")
    cli.ok("lease", "end", "L0001", "--date", "2004-03-31")
    # L0002 alone: 24,000 a year, 15 months (January 2004 to March 2005) of 2,000 unpaid = 30,000
    assert "Total: count 1, rent per year 24,000.00 yuan, arrears 30,000.00 yuan" in cli.ok("lease", "list").stdout
    # L0001 ended owing January to March, 3 × 1,000
    ended = cli.ok("lease", "list", "--status", "ended").stdout
    assert "Total: count 1, rent per year 12,000.00 yuan, arrears 3,000.00 yuan" in ended


def test_an_anniversary_of_the_29th_falls_on_the_last_day_of_a_shorter_month(cli: Cli) -> None:
    cli.ok(
        "member",
        "add",
        "--name",
        "翁垟木器厂",
        "--district",
        "翁垟片",
        "--kind",
        "enterprise",
        "--restructuring",
        "preparing",
        "--restructuring-since",
        "2004-02-29",
    )
    # preparing from 29 February 2004: two years on is 28 February 2006 (2006 has no 29 February)
    assert [f for f in cli.json("flags", "--as-of", "2006-02-27") if f["code"] == "RESTRUCTURING_STALLED"] == []
    stalled = [f for f in cli.json("flags", "--as-of", "2006-02-28") if f["code"] == "RESTRUCTURING_STALLED"]
    assert [(f["record_id"], f["since"]) for f in stalled] == [("M001", "2006-02-28")]
