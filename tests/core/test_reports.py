"""Report figures worked out by hand in the comments, never copied from the program."""

from datetime import date
from decimal import Decimal as D

from assetreg.core import records
from assetreg.core.registry import Registry
from assetreg.core.reports import (
    Period,
    incidents_report,
    leases_report,
    register_report,
    summary_report,
    trend_report,
    value_report,
)
from tests.core import build as b

YEAR_2004 = Period(date(2004, 1, 1), date(2004, 12, 31))


def federation() -> Registry:
    reg = b.registry()
    m1 = b.member(reg, "柳市布厂")  # M001
    m2 = b.member(reg, "大荆木器厂")  # M002
    a1 = b.asset(reg, m1, "500000", acquired="1990-01-01")  # A0001
    b.event(reg, a1, "impair", "2004-12-25", "350000", cause="encroachment")
    b.asset(reg, m1, "200000.10", acquired="2004-05-01")  # A0002: bought inside the period, with cents
    a3 = b.asset(reg, m2, "300000", acquired="1995-01-01")  # A0003
    b.event(reg, a3, "revalue", "2004-03-01", "360000.25", basis="appraisal")
    b.event(reg, a3, "impair", "2004-08-13", "240000", cause="disaster")  # typhoon Rananim
    a4 = b.asset(reg, m2, "100000", acquired="1998-01-01")  # A0004: sold below value inside the period
    b.event(reg, a4, "dispose", "2004-06-30", "80000", method="sale")
    a5 = b.asset(reg, m2, "50000", acquired="1999-01-01")  # A0005: transferred out for nothing
    b.event(reg, a5, "dispose", "2004-09-01", "0", method="transfer_out")
    a6 = b.asset(reg, m2, "70000", acquired="1990-01-01")  # A0006: disposed of before the period
    b.event(reg, a6, "dispose", "2003-05-01", "70000", method="sale")
    b.asset(reg, m2, "999", acquired="2005-02-01")  # A0007: acquired after the period
    return reg


def test_value_preservation_by_hand() -> None:
    report = value_report(federation(), YEAR_2004)
    rows = {r["member"]: r for r in report.sections[0].rows}
    # M001: V0 = 500,000.00 (A0001); V1 = 350,000.00 + 200,000.10 = 550,000.10; A = 200,000.10
    #       adjusted = 550,000.10 − 200,000.10 = 350,000.00; change −150,000.00; ratio 70.00 %
    m1 = rows["M001"]
    assert (m1["opening"], m1["closing"], m1["acquired"]) == (D("500000.00"), D("550000.10"), D("200000.10"))
    assert (m1["revalued"], m1["proceeds"], m1["force_majeure"], m1["depreciation"]) == (0, 0, 0, 0)
    assert (m1["adjusted_closing"], m1["change"], m1["ratio"], m1["below"]) == (D("350000.00"), D("-150000.00"), D("70.00"), True)
    # M002: V0 = 300,000 + 100,000 + 50,000 = 450,000.00 (A0006 gone before, A0007 comes after)
    #       V1 = 240,000.00; R = 360,000.25 − 300,000 = 60,000.25; P = 80,000 + 50,000 (transfer counts its value)
    #       F = 360,000.25 − 240,000 = 120,000.25
    #       adjusted = 240,000.00 − 0 − 60,000.25 + 130,000.00 + 120,000.25 = 430,000.00
    #       ratio = 430,000 / 450,000 × 100 = 95.5555… → 95.56
    m2 = rows["M002"]
    assert (m2["opening"], m2["closing"], m2["acquired"]) == (D("450000.00"), D("240000.00"), 0)
    assert (m2["revalued"], m2["proceeds"], m2["force_majeure"]) == (D("60000.25"), D("130000.00"), D("120000.25"))
    assert (m2["adjusted_closing"], m2["change"], m2["ratio"]) == (D("430000.00"), D("-20000.00"), D("95.56"))
    # Federation: V0 950,000.00; V1 790,000.10; adjusted 780,000.00; ratio 780/950 = 82.105… → 82.11
    total = report.sections[0].total
    assert total is not None
    assert (total["opening"], total["closing"], total["adjusted_closing"]) == (D("950000.00"), D("790000.10"), D("780000.00"))
    assert (total["change"], total["ratio"]) == (D("-170000.00"), D("82.11"))
    json_rows = report.as_json()
    assert json_rows["rows"][0]["member"] == "M001" and json_rows["rows"][0]["name"] == "柳市布厂"
    assert json_rows["total"]["ratio"] == D("82.11")


def test_every_factor_in_one_period() -> None:
    reg = b.registry()
    m = b.member(reg)
    a1 = b.asset(reg, m, "400000", acquired="1990-01-01")
    b.event(reg, a1, "revalue", "2004-03-01", "500000", basis="market")  # R +100,000
    b.event(reg, a1, "impair", "2004-10-01", "450000", cause="damage")  # management's loss: 50,000
    a2 = b.asset(reg, m, "200000", acquired="1995-01-01")
    b.event(reg, a2, "impair", "2004-08-13", "150000", cause="disaster")  # F 50,000
    a3 = b.asset(reg, m, "100000", acquired="2000-01-01")
    b.event(reg, a3, "impair", "2004-12-31", "90000", cause="depreciation")  # D 10,000
    a4 = b.asset(reg, m, "80000", acquired="1998-01-01")
    b.event(reg, a4, "dispose", "2004-06-30", "70000", method="sale")  # P 70,000 (10,000 below value)
    b.asset(reg, m, "30000.50", acquired="2004-05-01")  # A 30,000.50
    a6 = b.asset(reg, m, "60000", acquired="1999-01-01")
    b.event(reg, a6, "dispose", "2004-09-01", "0", method="transfer_out")  # P 60,000: its value
    a7 = b.asset(reg, m, "40000", acquired="2001-01-01")
    b.event(reg, a7, "revalue", "2004-07-01", "36000", basis="book")  # R −4,000
    row = value_report(reg, YEAR_2004).sections[0].rows[0]
    # V0 = 400,000 + 200,000 + 100,000 + 80,000 + 60,000 + 40,000 = 880,000.00
    # V1 = 450,000 + 150,000 + 90,000 + 30,000.50 + 36,000 = 756,000.50
    # A = 30,000.50; R = 100,000 − 4,000 = 96,000; P = 70,000 + 60,000 = 130,000; F = 50,000; D = 10,000
    # adjusted = 756,000.50 − 30,000.50 − 96,000 + 130,000 + 50,000 + 10,000 = 820,000.00
    # change = 820,000 − 880,000 = −60,000 (the damage 50,000 and the sale 10,000 below value)
    # ratio = 820,000 / 880,000 × 100 = 93.1818… → 93.18
    assert (row["opening"], row["closing"]) == (D("880000.00"), D("756000.50"))
    assert (row["acquired"], row["revalued"], row["proceeds"]) == (D("30000.50"), D("96000.00"), D("130000.00"))
    assert (row["force_majeure"], row["depreciation"]) == (D("50000.00"), D("10000.00"))
    assert (row["adjusted_closing"], row["change"]) == (D("820000.00"), D("-60000.00"))
    assert (row["ratio"], row["below"]) == (D("93.18"), True)


def test_value_by_category_and_for_one_member() -> None:
    reg = federation()
    by_category = value_report(reg, YEAR_2004, by="category")
    assert [r["category"] for r in by_category.sections[0].rows] == ["building"]
    assert by_category.sections[0].rows[0]["ratio"] == D("82.11")
    one = value_report(reg, YEAR_2004, member="M001")
    assert one.sections[0].total is not None and one.sections[0].total["ratio"] == D("70.00")


def test_ratio_is_none_without_opening_value_and_preserved_when_unchanged() -> None:
    reg = b.registry()
    m = b.member(reg)
    b.asset(reg, m, "100", acquired="2004-06-01")
    total = value_report(reg, YEAR_2004).sections[0].total
    assert total is not None and total["ratio"] is None and total["below"] is False
    reg2 = b.registry()
    a = b.asset(reg2, b.member(reg2), "1000", acquired="2000-01-01")
    b.event(reg2, a, "revalue", "2004-06-01", "1500", basis="market")  # an estimate's gain is taken out
    b.event(reg2, a, "revalue", "2004-09-01", "1200", basis="book")  # and so is a book revaluation's loss
    total2 = value_report(reg2, YEAR_2004).sections[0].total
    # V0 1,000; V1 1,200; R = 500 − 300 = 200; adjusted = 1,200 − 200 = 1,000; ratio 100.00
    assert total2 is not None and total2["ratio"] == D("100.00")


def test_register_groups_and_totals() -> None:
    reg = federation()
    report = register_report(reg, date(2004, 12, 31))
    rows = report.sections[0].rows
    # held on 2004-12-31: A0001 (350,000.00), A0002 (200,000.10), A0003 (240,000.00)
    assert [r["id"] for r in rows] == ["A0001", "A0002", "A0003"]
    assert report.sections[0].total == {"count": 3, "area": 0, "value": D("790000.10")}
    groups = {(g["owner"], g["category"]): g for g in report.sections[1].rows}
    assert groups[("M001", "building")]["value"] == D("550000.10")


def test_totals_are_exact() -> None:
    reg = b.registry()
    m = b.member(reg)
    b.asset(reg, m, "0.10")
    b.asset(reg, m, "0.20")
    assert register_report(reg, date(2004, 1, 1)).sections[0].total["value"] == D("0.30")  # type: ignore[index]


def test_rent_roll_aging_and_collections() -> None:
    reg = b.registry()
    m = b.member(reg)
    a = b.asset(reg, m, "100000")
    lid = b.lease(reg, a, "2004-01-01", "2005-04-30", "1000")  # monthly, due on the 1st
    b.pay(reg, lid, "2004-01-05", "3000")  # settles Jan, Feb, Mar 2004
    b.pay(reg, lid, "2003-12-20", "500")  # paid before the period: settles half of April
    idle = b.asset(reg, m, "5000", name="闲置仓库")
    records.edit_asset(reg, idle, {"status": "idle", "status_since": "2004-02-01"}, date(2004, 2, 1))
    report = leases_report(reg, Period(date(2004, 1, 1), date(2004, 12, 31)))
    row = report.sections[0].rows[0]
    # dues Jan–Dec 2004 = 12,000; paid 3,500; the oldest unpaid due is April (500 left), then May–Dec
    # ages on 2004-12-31: Dec 1 → 30 days, Nov 1 → 60, Oct 1 → 91, Sep 1 → 121, Aug 1 → 152, Jul 1 → 183,
    # Jun 1 → 213, May 1 → 244, Apr 1 → 274
    assert row["rent_per_year"] == D("12000.00")
    assert row["collected"] == D("3000.00")  # only the payment inside the period
    assert row["arrears"] == D("8500.00")
    assert row["aging"] == {"0-30": D("1000.00"), "31-90": D("1000.00"), "91-180": D("3000.00"), "180+": D("3500.00")}
    assert report.sections[2].rows == []  # ends 2005-04-30: 120 days ahead, not within 90
    soon = leases_report(reg, Period(date(2005, 1, 1), date(2005, 1, 30))).sections[2].rows
    assert [(x["id"], x["days_left"]) for x in soon] == [(lid, 90)]  # 2005-01-30 → 2005-04-30
    assert [x["id"] for x in report.sections[3].rows] == [idle]


def test_rent_roll_keeps_ended_leases_that_still_owe() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1")
    lid = b.lease(reg, a, "2004-01-01", "2004-12-31", "200", "quarterly")
    records.end_lease(reg, lid, {"date": "2004-05-01"})
    report = leases_report(reg, Period(date(2004, 1, 1), date(2004, 12, 31)))
    # not among the active leases, but in the section of ended ones: 2 quarters due (Jan, Apr) = 400 owed
    assert report.sections[0].rows == []
    rows = report.sections[1].rows
    assert [(r["id"], r["status"], r["arrears"]) for r in rows] == [(lid, "ended", D("400.00"))]


def test_incidents_report_and_summary() -> None:
    reg = federation()
    i = b.incident(reg, ["A0001"], "2004-12-20", kind="damage", estimated_loss="150000")
    records.act(reg, i, {"date": "2005-01-10", "note": "调解", "status": "mediation"})
    old = b.incident(reg, ["A0003"], "2003-01-01", kind="land_dispute")
    records.act(reg, old, {"date": "2003-06-01", "note": "结案"}, closing=True)
    report = incidents_report(reg, YEAR_2004)
    rows = report.sections[0].rows
    assert [r["id"] for r in rows] == [i]  # the 2003 dispute was closed before the period
    assert rows[0]["status"] == "open" and rows[0]["age_days"] == 11
    assert rows[0]["assets_value"] == D("350000.00")
    summary = summary_report(reg, YEAR_2004).as_json()
    assert summary["incidents"]["rows"] == [{"opened": 1, "resolved": 0, "open": 1}]
    assert summary["value"]["rows"][0]["ratio"] == D("82.11")
    assert summary["total"]["value"] == D("790000.10")


def stake_and_transfer() -> Registry:
    reg = b.registry()
    fed = b.member(reg, "联社", kind="federation", district="市区")  # M001
    company = b.member(reg, "资产营运公司", kind="company", district="市区")  # M002
    liushi = b.member(reg, "柳市布厂")  # M003, 柳市片
    records.add_asset(  # A0001: the federation's stake in its own company
        reg,
        {
            "name": "营运公司股权",
            "owner": fed,
            "category": "equity",
            "acquired": "2000-01-01",
            "value": "1000000",
            "holds": company,
        },
    )
    truck = b.asset(reg, company, "100000", acquired="2000-01-01", name="货车", category="vehicle")  # A0002
    b.event(reg, truck, "impair", "2004-12-31", "80000", cause="depreciation")
    warehouse = b.asset(reg, liushi, "500000", acquired="1990-01-01", name="仓库")  # A0003
    records.transfer(reg, warehouse, {"to": company, "date": "2004-07-01", "doc": "乐二轻〔2004〕30号"})
    b.event(reg, warehouse, "revalue", "2004-09-01", "600000", basis="appraisal")
    building = b.asset(reg, liushi, "300000", acquired="1990-01-01")  # A0004
    b.event(reg, building, "impair", "2004-10-01", "240000", cause="damage")
    return reg


def test_intra_federation_stake_and_a_transfer_between_members() -> None:
    report = value_report(stake_and_transfer(), YEAR_2004)
    rows = {r["member"]: r for r in report.sections[0].rows}
    # M001 keeps its stake in its own row: V0 = V1 = 1,000,000 → 100.00
    assert (rows["M001"]["opening"], rows["M001"]["closing"], rows["M001"]["ratio"]) == (D("1000000.00"),) * 2 + (D("100.00"),)
    # M002: V0 100,000 (truck); V1 80,000 + 600,000 = 680,000; A 500,000 (the warehouse's value when it came);
    #       R 100,000; D 20,000; adjusted = 680,000 − 500,000 − 100,000 + 20,000 = 100,000 → 100.00
    m2 = rows["M002"]
    assert (m2["opening"], m2["closing"], m2["acquired"]) == (D("100000.00"), D("680000.00"), D("500000.00"))
    assert (m2["revalued"], m2["depreciation"], m2["adjusted_closing"], m2["ratio"]) == (
        D("100000.00"),
        D("20000.00"),
        D("100000.00"),
        D("100.00"),
    )
    # M003: V0 500,000 + 300,000 = 800,000; V1 240,000; P 500,000 (the warehouse given at its value)
    #       adjusted = 240,000 + 500,000 = 740,000; change −60,000 (the damage); 740/800 → 92.50
    m3 = rows["M003"]
    assert (m3["proceeds"], m3["adjusted_closing"], m3["change"], m3["ratio"]) == (
        D("500000.00"),
        D("740000.00"),
        D("-60000.00"),
        D("92.50"),
    )
    # total without the stake: V0 100,000 + 800,000 = 900,000; V1 680,000 + 240,000 = 920,000; A 500,000 and
    # P 500,000 cancel; adjusted = 920,000 − 500,000 − 100,000 + 500,000 + 20,000 = 840,000; 840/900 → 93.33
    data = report.as_json()
    total, stake = data["total"], data["intra_equity"]
    assert (total["opening"], total["closing"], total["adjusted_closing"]) == (D("900000.00"), D("920000.00"), D("840000.00"))
    assert (total["change"], total["ratio"]) == (D("-60000.00"), D("93.33"))
    assert (stake["opening"], stake["closing"], stake["ratio"]) == (D("1000000.00"), D("1000000.00"), D("100.00"))
    assert set(stake) == set(total)
    # one member's own report keeps its stake in the total and leaves nothing out
    one = value_report(stake_and_transfer(), YEAR_2004, member="M001").as_json()
    assert one["total"]["opening"] == D("1000000.00") and one["intra_equity"]["opening"] == 0


def test_value_by_district_leaves_the_stake_out() -> None:
    rows = value_report(stake_and_transfer(), YEAR_2004, by="district").sections[0].rows
    # 市区: the company only (the federation's stake left out): as M002 above → 100.00; 柳市片: M003 → 92.50
    assert [(r["district"], r["opening"], r["ratio"]) for r in rows] == [
        ("市区", D("100000.00"), D("100.00")),
        ("柳市片", D("800000.00"), D("92.50")),
    ]
    by_category = value_report(stake_and_transfer(), YEAR_2004, by="category").sections[0].rows
    assert [r["category"] for r in by_category] == ["building", "vehicle"]  # no equity row: the stake is left out


def test_register_on_a_day_follows_transfers_and_leaves_the_stake_out_of_totals() -> None:
    reg = stake_and_transfer()
    report = register_report(reg, date(2004, 12, 31), by="district")
    held, groups = report.sections
    assert [(r["id"], r["owner"]) for r in held.rows if r["id"] == "A0003"] == [("A0003", "M002")]
    # held: stake 1,000,000 (left out), truck 80,000, warehouse 600,000, building 240,000
    assert held.total == {"count": 3, "area": 0, "value": D("920000.00")}
    assert held.left_out == {"count": 1, "area": 0, "value": D("1000000.00")}
    # 市区: truck + warehouse = 680,000 (2 assets); 柳市片: the building 240,000
    assert [(g["district"], g["count"], g["value"]) for g in groups.rows] == [
        ("市区", 2, D("680000.00")),
        ("柳市片", 1, D("240000.00")),
    ]
    before = register_report(reg, date(2004, 6, 30))
    assert [r["owner"] for r in before.sections[0].rows if r["id"] == "A0003"] == ["M003"]  # not yet transferred
    by_owner = {(g["owner"], g["category"]): g["value"] for g in before.sections[1].rows}
    assert by_owner[("M001", "equity")] == D("1000000.00")  # a member's own group keeps its stake


def test_trend_over_three_years_with_a_partial_first_year() -> None:
    reg = b.registry()
    m = b.member(reg)  # M001
    x = b.asset(reg, m, "100000", acquired="1990-01-01")
    b.event(reg, x, "impair", "2003-03-01", "95000", cause="damage")  # before the period
    b.event(reg, x, "impair", "2003-09-01", "85500", cause="damage")
    y = b.asset(reg, m, "50000", acquired="2004-03-01")
    b.event(reg, y, "dispose", "2005-06-01", "40000", method="sale")
    n = b.member(reg, "新厂")  # M002: its first asset comes in 2004
    b.asset(reg, n, "100000", acquired="2004-05-01")
    report = trend_report(reg, Period(date(2003, 7, 1), date(2005, 12, 31)))
    data = report.as_json()
    rows = {r["member"]: r for r in data["rows"]}
    # M001 2003 (07-01 – 12-31 only): V0 95,000 (end of 06-30); V1 85,500 → 90.00 (the whole year would be 85.50)
    # 2004: V0 85,500; A 50,000; V1 135,500; adjusted 85,500 → 100.00
    # 2005: V0 135,500; P 40,000; V1 85,500; adjusted 125,500; 125,500 / 135,500 = 92.619… → 92.62
    # span: V0 95,000; V1 85,500; A 50,000; P 40,000; adjusted 75,500; 75,500 / 95,000 = 79.473… → 79.47
    assert rows["M001"]["years"] == {"2003": D("90.00"), "2004": D("100.00"), "2005": D("92.62")}
    assert rows["M001"]["span"] == D("79.47")
    # M002 had no opening value in 2003, 2004 and for the span; 2005: 100,000 kept → 100.00
    assert rows["M002"]["years"] == {"2003": None, "2004": None, "2005": D("100.00")} and rows["M002"]["span"] is None
    # total 2005: V0 135,500 + 100,000 = 235,500; V1 185,500; P 40,000; 225,500 / 235,500 = 95.753… → 95.75
    # total span: V0 95,000; V1 185,500; A 150,000; P 40,000; adjusted 75,500 → 79.47
    assert data["total"]["years"] == {"2003": D("90.00"), "2004": D("100.00"), "2005": D("95.75")}
    assert data["total"]["span"] == D("79.47")
    assert [c.key for c in report.sections[0].columns] == ["member", "name", "2003", "2004", "2005", "span"]


def test_rent_roll_shows_the_deposit_held_while_a_lease_runs() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1")
    raw = {"asset": a, "tenant": "某公司", "start": "2004-01-01", "end": "2005-12-31", "rent": "100", "period": "monthly"}
    running = records.add_lease(reg, {**raw, "deposit": "16000"})["id"]
    ended = records.add_lease(reg, {**raw, "deposit": "500"})["id"]
    records.end_lease(reg, ended, {"date": "2004-06-30"})
    report = leases_report(reg, YEAR_2004)
    rows = {r["id"]: r for section in report.sections[:2] for r in section.rows}
    # the ended lease still owes (Jan–Jun: 600 unpaid) and, neither applied nor returned, still holds its 500
    assert (rows[running]["deposit"], rows[ended]["deposit"]) == (D("16000.00"), D("500.00"))
    assert report.sections[0].total["deposit"] == D("16500.00")  # type: ignore[index]
    records.end_lease(reg, running, {"date": "2004-12-31"}, deposit_note="押金抵欠租", refund=True)
    # Dec 2004: 12 dues of 100 unpaid = 1,200 set against the 16,000; the 14,800 left returned
    after = leases_report(reg, YEAR_2004).sections[1].rows
    assert [(r["id"], r["deposit"], r["arrears"]) for r in after] == [
        (running, D("0.00"), D("0.00")),
        (ended, D("500.00"), D("600.00")),
    ]
    assert reg.leases[running]["refunded"] == "14800.00"
