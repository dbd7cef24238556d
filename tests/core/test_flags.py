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
