"""Each rule with hand-built records: where it fires, its boundary day, and where it stays silent."""

import gettext
from datetime import date

from assetreg.core import records
from assetreg.core.flags import evaluate, placeholders
from assetreg.core.registry import Registry
from assetreg.i18n import DOMAIN, LOCALE_DIR
from tests.core import build as b

ZH = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh"]).gettext


def codes(reg: Registry, day: str, code: str) -> list[tuple[str, str, str]]:
    found = [f for f in evaluate(reg, date.fromisoformat(day)) if f.code == code]
    for flag in found:  # each rule fills exactly its message's placeholders, and the message reads in both languages
        assert len(flag.values) == len(placeholders(flag.message)), flag.code
        assert "{" not in flag.text() + flag.text(ZH)
    return [(f.record_id, f.severity, f.since.isoformat()) for f in found]


def liushi() -> tuple[Registry, list[str], str]:
    reg = b.registry()
    m = b.member(reg)
    assets = [b.asset(reg, m, "320000", acquired="1985-06-01", name=f"{n}号厂房") for n in range(1, 6)]
    i = b.incident(reg, assets, "2004-12-20", kind="damage", reported="2004-12-22")
    records.act(reg, i, {"date": "2005-01-10", "note": "成立调解小组", "status": "mediation"})
    return reg, assets, i


def test_encroachment_open_is_high_with_its_age() -> None:
    reg, _, i = liushi()
    flags = [f for f in evaluate(reg, date(2005, 3, 15)) if f.code == "ENCROACHMENT_OPEN"]
    assert [(f.record_id, f.severity) for f in flags] == [(i, "high")]
    assert "85 days" in flags[0].text()  # 2004-12-20 → 2005-03-15: 11 + 31 + 28 + 15
    assert codes(reg, "2004-12-19", "ENCROACHMENT_OPEN") == []  # not yet happened


def test_encroachment_stale_after_exactly_90_days_without_action() -> None:
    reg, _, i = liushi()
    assert codes(reg, "2005-04-09", "ENCROACHMENT_STALE") == []  # 89 days after the action of 01-10
    assert codes(reg, "2005-04-10", "ENCROACHMENT_STALE") == [(i, "high", "2005-04-10")]


def test_closed_incidents_and_disasters_are_silent() -> None:
    reg, assets, i = liushi()
    records.act(reg, i, {"date": "2005-05-01", "note": "达成协议"}, closing=True)
    assert codes(reg, "2005-06-01", "ENCROACHMENT_OPEN") == []
    assert codes(reg, "2005-04-30", "ENCROACHMENT_OPEN") == [(i, "high", "2004-12-20")]  # as of a day before closing
    b.incident(reg, assets[:1], "2004-08-13", kind="disaster")
    assert codes(reg, "2005-06-01", "ENCROACHMENT_OPEN") == []


def test_damaged_asset_without_open_incident() -> None:
    reg, assets, _ = liushi()
    other = b.asset(reg, b.member(reg, "大荆木器厂"), "1000", acquired="2000-01-01")
    records.edit_asset(reg, other, {"status": "damaged", "status_since": "2004-08-13"}, date(2004, 8, 14))
    records.edit_asset(reg, assets[0], {"status": "damaged", "status_since": "2004-12-20"}, date(2005, 1, 1))
    assert codes(reg, "2005-03-15", "ASSET_DAMAGED_UNREPORTED") == [(other, "medium", "2004-08-13")]


def test_lease_expired_but_active_and_expiring_within_90_days() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1000")
    old = b.lease(reg, a, "2003-01-01", "2004-12-31", "100")
    soon = b.lease(reg, a, "2004-06-14", "2005-06-13", "100")
    later = b.lease(reg, a, "2004-06-15", "2005-06-14", "100")
    assert codes(reg, "2005-03-15", "LEASE_EXPIRED_ACTIVE") == [(old, "high", "2005-01-01")]
    assert codes(reg, "2005-03-15", "LEASE_EXPIRING") == [(soon, "low", "2005-03-15")]  # exactly 90 days ahead
    assert later not in [r for r, *_ in codes(reg, "2005-03-15", "LEASE_EXPIRING")]
    records.end_lease(reg, old, {"date": "2004-12-31"})
    assert codes(reg, "2005-03-15", "LEASE_EXPIRED_ACTIVE") == []


def test_rent_arrears_turn_high_after_180_days() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1000")
    lid = b.lease(reg, a, "2004-01-01", "2005-12-31", "1000")
    # 2004-01-01 → 2004-06-29 is 180 days (2004 is a leap year): still medium
    assert codes(reg, "2004-06-29", "RENT_ARREARS") == [(lid, "medium", "2004-01-01")]
    assert codes(reg, "2004-06-30", "RENT_ARREARS") == [(lid, "high", "2004-01-01")]
    flag = next(f for f in evaluate(reg, date(2004, 6, 30)) if f.code == "RENT_ARREARS")
    assert "6,000.00" in flag.text()  # six dues of 1,000 (Jan–Jun)
    for month in range(1, 7):
        b.pay(reg, lid, f"2004-0{month}-05", "1000")
    assert codes(reg, "2004-06-30", "RENT_ARREARS") == []
    assert codes(reg, "2004-07-01", "RENT_ARREARS") == [(lid, "medium", "2004-07-01")]


def test_value_drop_above_ten_percent_unless_disaster_or_depreciation() -> None:
    reg = b.registry()
    m = b.member(reg)
    exact, over, disaster, worn = (b.asset(reg, m, "100000") for _ in range(4))
    b.event(reg, exact, "revalue", "2004-01-01", "90000", basis="market")  # exactly 10 %: silent
    b.event(reg, over, "impair", "2004-01-01", "89999.99", cause="encroachment")
    b.event(reg, disaster, "impair", "2004-08-13", "10000", cause="disaster")
    b.event(reg, worn, "impair", "2004-01-01", "50000", cause="depreciation")
    assert codes(reg, "2005-01-01", "VALUE_DROP") == [(over, "medium", "2004-01-01")]


def test_disposal_below_value_and_undocumented() -> None:
    reg = b.registry()
    m = b.member(reg)
    cheap, fair, given_away = (b.asset(reg, m, "100000") for _ in range(3))
    records.add_event(reg, cheap, "dispose", {"date": "2004-07-01", "amount": "60000", "method": "auction"})
    b.event(reg, fair, "dispose", "2004-07-01", "100000", method="sale")
    b.event(reg, given_away, "dispose", "2004-07-01", "0", method="transfer_out")
    assert codes(reg, "2005-01-01", "DISPOSAL_BELOW_VALUE") == [(cheap, "high", "2004-07-01")]
    assert codes(reg, "2005-01-01", "DISPOSAL_UNDOCUMENTED") == [(cheap, "medium", "2004-07-01")]
    assert codes(reg, "2004-06-30", "DISPOSAL_BELOW_VALUE") == []


def test_stale_valuation_idle_assets_missing_titles_and_stalled_restructuring() -> None:
    reg = b.registry()
    m = b.member(reg, restructuring="in_progress", restructuring_since="2003-03-15")
    a = b.asset(reg, m, "1000", acquired="2002-03-15", title_no="")
    records.add_asset(reg, {"name": "织机", "owner": m, "category": "equipment", "acquired": "2002-03-15", "value": "5"})
    records.edit_asset(reg, a, {"status": "idle", "status_since": "2004-03-15"}, date(2004, 3, 15))
    assert codes(reg, "2005-03-14", "VALUATION_STALE") == []
    assert [r for r, *_ in codes(reg, "2005-03-15", "VALUATION_STALE")] == [a, "A0002"]  # three years exactly
    assert codes(reg, "2005-03-14", "IDLE_ASSET") == []
    assert codes(reg, "2005-03-15", "IDLE_ASSET") == [(a, "low", "2005-03-15")]
    assert codes(reg, "2005-03-15", "NO_TITLE") == [(a, "medium", "2002-03-15")]  # equipment needs no title
    assert codes(reg, "2005-03-14", "RESTRUCTURING_STALLED") == []
    assert codes(reg, "2005-03-15", "RESTRUCTURING_STALLED") == [(m, "medium", "2005-03-15")]


def test_thresholds_come_from_settings() -> None:
    reg, _, i = liushi()
    reg.tables["settings"]["settings"]["stale_action_days"] = 30
    assert codes(reg, "2005-02-09", "ENCROACHMENT_STALE") == [(i, "high", "2005-02-09")]


def test_member_filter_and_severity_floor() -> None:
    reg, _, _ = liushi()
    other = b.member(reg, "大荆木器厂")
    assert evaluate(reg, date(2005, 3, 15), member=other) == []
    assert {f.severity for f in evaluate(reg, date(2005, 3, 15), min_severity="high")} == {"high"}


def test_rules_group_events_once_per_asset(monkeypatch) -> None:
    """All rules together compute each asset's value steps once, not once per rule."""
    import assetreg.core.flags as flags_module

    reg, assets, _ = liushi()
    b.event(reg, assets[0], "revalue", "2004-01-01", "330000", basis="market")
    b.event(reg, assets[0], "impair", "2004-12-31", "1000", cause="damage")
    calls = []
    real = flags_module.steps
    monkeypatch.setattr(flags_module, "steps", lambda asset: calls.append(asset["id"]) or real(asset))
    evaluate(reg, date(2005, 3, 15))
    # at most once per asset, and only for assets whose value changed after acquisition
    assert len(calls) == len(set(calls))
    assert set(calls) == {a for a, asset in reg.assets.items() if len(asset["events"]) > 1}


def test_flags_of_one_asset_are_those_the_whole_registry_gives_it() -> None:
    from assetreg.core.flags import evaluate_asset
    from assetreg.core.views import around

    reg, assets, _ = liushi()
    other = b.asset(reg, b.member(reg, "大荆木器厂"), "100", title_no="")
    b.lease(reg, assets[0], "2004-01-01", "2004-12-31", "100")
    day = date(2005, 3, 15)
    for asset_id in [*assets, other]:
        whole = [(f.code, f.record_id, f.since) for f in evaluate(reg, day) if asset_id in f.assets]
        nearby = around(reg, asset_id)
        assert [(f.code, f.record_id, f.since) for f in evaluate_asset(reg, asset_id, day, *nearby)] == whole


def _undocumented(reg: Registry, asset_id: str, kind: str, day: str, amount: str, **extra: str) -> None:
    records.add_event(reg, asset_id, kind, {"date": day, "amount": amount, **extra})


def test_value_change_undocumented_up_or_down_beyond_ten_percent() -> None:
    reg = b.registry()
    m = b.member(reg)
    up_exact, up_over, down_exact, down_over, documented, worn, storm, from_nothing = (
        b.asset(reg, m, "100000" if n < 7 else "0") for n in range(8)
    )
    _undocumented(reg, up_exact, "revalue", "2004-01-01", "110000", basis="market")  # +10 % exactly: silent
    _undocumented(reg, up_over, "revalue", "2004-01-01", "110000.01", basis="book")  # +10.00001 %
    _undocumented(reg, down_exact, "revalue", "2004-01-01", "90000", basis="appraisal")  # −10 % exactly: silent
    _undocumented(reg, down_over, "impair", "2004-01-01", "89999.99", cause="damage")  # −10.00001 %
    b.event(reg, documented, "revalue", "2004-01-01", "150000", basis="appraisal")  # cites 文号1
    _undocumented(reg, worn, "impair", "2004-01-01", "50000", cause="depreciation")  # left out
    _undocumented(reg, storm, "impair", "2004-01-01", "10000", cause="disaster")  # left out
    _undocumented(reg, from_nothing, "revalue", "2004-01-01", "1", basis="market")  # 0 → 1: more than 10 %
    found = codes(reg, "2004-01-01", "VALUE_CHANGE_UNDOCUMENTED")
    assert found == [(a, "medium", "2004-01-01") for a in (up_over, down_over, from_nothing)]
    assert codes(reg, "2003-12-31", "VALUE_CHANGE_UNDOCUMENTED") == []  # not yet happened
    assert codes(reg, "2004-01-01", "DISPOSAL_UNDOCUMENTED") == []  # no disposal among them
    flag = next(f for f in evaluate(reg, date(2004, 1, 1)) if f.code == "VALUE_CHANGE_UNDOCUMENTED")
    assert flag.text() == "revalue on 2004-01-01 changed the value from 100,000.00 to 110,000.01 and cites no document"
    assert flag.label() == "Value change undocumented" and flag.label(ZH) == "价值变动无依据"
    assert flag.as_json(ZH)["label"] == "价值变动无依据"
    reg.tables["settings"]["settings"]["value_drop_percent"] = 5  # the same setting moves the edge
    assert len(codes(reg, "2004-01-01", "VALUE_CHANGE_UNDOCUMENTED")) == 5  # ±10 % now beyond it too


def test_disposal_undocumented_is_about_disposals_only() -> None:
    reg = b.registry()
    m = b.member(reg)
    sold, cut = b.asset(reg, m, "100"), b.asset(reg, m, "100")
    _undocumented(reg, sold, "dispose", "2004-07-01", "100", method="sale")
    _undocumented(reg, cut, "impair", "2004-07-01", "10", cause="damage")  # a loss, not a disposal
    assert codes(reg, "2004-07-01", "DISPOSAL_UNDOCUMENTED") == [(sold, "medium", "2004-07-01")]
    flag = next(f for f in evaluate(reg, date(2004, 7, 1)) if f.code == "DISPOSAL_UNDOCUMENTED")
    assert flag.text() == "disposed of by sale on 2004-07-01; cites no document"
    assert flag.text(ZH) == "2004-07-01 以出售方式处置，未注明批准文号"


def test_dispute_open_with_kind_counterparty_status_and_age() -> None:
    reg = b.registry()
    land = b.asset(reg, b.member(reg, "市制鞋总厂"), "3200000", acquired="1980-09-01", category="land")
    lawsuit = b.incident(reg, [land], "2002-04-01", kind="land_dispute", counterparty="中心村")
    records.act(reg, lawsuit, {"date": "2003-01-01", "note": "提起行政诉讼", "status": "litigation"})
    other = b.incident(reg, [land], "2004-01-01", kind="other")
    b.incident(reg, [land], "2004-01-01", kind="encroachment")  # ENCROACHMENT_OPEN's, not this rule's
    records.act(reg, other, {"date": "2005-03-16", "note": "和解"}, closing=True)
    assert codes(reg, "2002-03-31", "DISPUTE_OPEN") == []  # before it began
    assert codes(reg, "2002-04-01", "DISPUTE_OPEN") == [(lawsuit, "medium", "2002-04-01")]  # open from its first day
    assert codes(reg, "2005-03-15", "DISPUTE_OPEN") == [(lawsuit, "medium", "2002-04-01"), (other, "medium", "2004-01-01")]
    assert codes(reg, "2005-03-16", "DISPUTE_OPEN") == [(lawsuit, "medium", "2002-04-01")]  # the other was settled
    flag = next(f for f in evaluate(reg, date(2005, 3, 15)) if f.code == "DISPUTE_OPEN")
    # 2002-04-01 → 2005-04-01 is 365 + 365 + 366 (2004-02-29) = 1,096 days; 2005-03-15 is 17 days earlier: 1,079
    assert flag.text() == "land dispute with 中心村, litigation, open for 1079 days"
    assert flag.text(ZH) == "与中心村的土地纠纷，诉讼中，已 1079 天未解决"
    assert flag.label(ZH) == "纠纷未结"


def test_lease_term_long_beyond_five_years_without_a_document() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "100000")
    raw = {"asset": a, "tenant": "某公司", "start": "2000-01-01", "rent": "100", "period": "annual"}
    five = records.add_lease(reg, {**raw, "end": "2004-12-31"})["id"]  # five years exactly: silent
    longer = records.add_lease(reg, {**raw, "end": "2005-01-01"})["id"]  # a day more
    records.add_lease(reg, {**raw, "end": "2020-12-31", "doc": "乐二轻〔1999〕9号"})  # approved: silent
    later = records.add_lease(reg, {**raw, "start": "2001-03-01", "end": "2006-03-01"})["id"]
    assert codes(reg, "1999-12-31", "LEASE_TERM_LONG") == []  # none had started
    assert codes(reg, "2000-06-01", "LEASE_TERM_LONG") == [(longer, "low", "2000-01-01")]
    assert codes(reg, "2001-03-01", "LEASE_TERM_LONG") == [(longer, "low", "2000-01-01"), (later, "low", "2001-03-01")]
    records.end_lease(reg, longer, {"date": "2002-01-01"})
    assert codes(reg, "2002-01-01", "LEASE_TERM_LONG") == [(later, "low", "2001-03-01")]  # ended: nothing to approve
    assert five not in {r for r, *_ in codes(reg, "2001-03-01", "LEASE_TERM_LONG")}
    flag = next(f for f in evaluate(reg, date(2001, 3, 1)) if f.code == "LEASE_TERM_LONG")
    assert flag.text() == "runs from 2000-01-01 to 2005-01-01, longer than 5 years, and cites no document"
    reg.tables["settings"]["settings"]["lease_long_years"] = 6
    assert codes(reg, "2001-03-01", "LEASE_TERM_LONG") == []


def test_restructured_holding_a_year_after_completion() -> None:
    reg = b.registry()
    foam = b.member(reg, "泡沫塑料厂", restructuring="completed", restructuring_since="2003-05-01")
    records.edit_member(reg, foam, {"restructuring_finished": "2004-10-31"}, date(2004, 10, 31))
    b.asset(reg, foam, "750000.50", acquired="1990-07-01")
    sold = b.asset(reg, foam, "100", acquired="1990-07-01")
    b.event(reg, sold, "dispose", "2004-12-01", "100", method="sale")
    company = b.member(reg, "资产营运公司", kind="company", restructuring="completed", restructuring_since="2003-01-01")
    b.asset(reg, company, "1")
    emptied = b.member(reg, "锁厂", restructuring="verified", restructuring_since="2003-01-01")
    records.edit_member(reg, emptied, {"restructuring_finished": "2003-06-01"}, date(2003, 6, 1))
    handed = b.asset(reg, emptied, "500")
    records.transfer(reg, handed, {"to": foam, "date": "2004-12-01"})  # 划转 to another member
    # 2004-10-31 + 365 days = 2005-10-31 (no 29 February in between)
    assert codes(reg, "2005-10-30", "RESTRUCTURED_HOLDING") == []
    assert codes(reg, "2005-10-31", "RESTRUCTURED_HOLDING") == [(foam, "medium", "2005-10-31")]
    flag = next(f for f in evaluate(reg, date(2005, 10, 31)) if f.code == "RESTRUCTURED_HOLDING")
    # held: the building 750,000.50 and the stake handed over 500; the one sold is gone: 2 assets, 750,500.50
    assert flag.text() == "completed since 2004-10-31 and still holds 2 assets worth 750,500.50"
    assert flag.text(ZH) == "自 2004-10-31 起已改制，仍持有资产 2 项，价值 750,500.50"
    # the lock factory, verified on 2003-06-01 (+ 365 days = 2004-05-31, 29 February 2004 between), held its
    # asset until it was transferred on 2004-12-01
    assert codes(reg, "2004-11-30", "RESTRUCTURED_HOLDING") == [(emptied, "medium", "2004-05-31")]
    assert codes(reg, "2004-12-01", "RESTRUCTURED_HOLDING") == []
    reg.tables["settings"]["settings"]["restructured_holding_days"] = 30
    # 2004-10-31 + 30 = 2004-11-30; 2003-06-01 + 30 = 2003-07-01
    assert codes(reg, "2004-11-30", "RESTRUCTURED_HOLDING") == [(foam, "medium", "2004-11-30"), (emptied, "medium", "2003-07-01")]


def test_every_code_has_a_name_in_both_languages() -> None:
    from assetreg.core.flags import LABELS_OF_CODES, RULES

    assert len(LABELS_OF_CODES) == 19 and len(RULES) == 19  # 17, and the clearance's two (version 3)
    assert all(ZH(name) != name for name in LABELS_OF_CODES.values())
    assert ZH(LABELS_OF_CODES["RESTRUCTURED_HOLDING"]) == "改制后产权未清"
    assert ZH(LABELS_OF_CODES["CLEARANCE_DUE"]) == "清查逾期" and ZH(LABELS_OF_CODES["SHORTFALL_UNRESOLVED"]) == "盘亏未处理"


def test_durations_count_from_the_date_of_the_current_status() -> None:
    reg = b.registry()
    m = b.member(reg, restructuring="preparing", restructuring_since="2000-01-01")
    records.edit_member(reg, m, {"restructuring": "in_progress", "restructuring_since": "2003-03-15"}, date(2003, 3, 15))
    # preparing from 2000-01-01 (two years: 2002-01-01), in progress from 2003-03-15 (two years: 2005-03-15)
    assert codes(reg, "2002-01-01", "RESTRUCTURING_STALLED") == [(m, "medium", "2002-01-01")]  # preparing, that day
    assert codes(reg, "2005-03-14", "RESTRUCTURING_STALLED") == []
    assert codes(reg, "2005-03-15", "RESTRUCTURING_STALLED") == [(m, "medium", "2005-03-15")]
    a = b.asset(reg, m, "1000", acquired="1990-01-01")
    records.edit_asset(reg, a, {"status": "idle", "status_since": "2001-01-01"}, date(2001, 1, 1))
    records.edit_asset(reg, a, {"status": "in_use", "status_since": "2002-06-01"}, date(2002, 6, 1))
    records.edit_asset(reg, a, {"status": "idle", "status_since": "2004-03-15"}, date(2004, 3, 15))
    assert codes(reg, "2002-01-01", "IDLE_ASSET") == [(a, "low", "2002-01-01")]  # the first idle year, as it stood
    assert codes(reg, "2003-01-01", "IDLE_ASSET") == []  # in use again
    assert codes(reg, "2005-03-14", "IDLE_ASSET") == []  # idle again since 2004-03-15: a year on 2005-03-15
    assert codes(reg, "2005-03-15", "IDLE_ASSET") == [(a, "low", "2005-03-15")]
