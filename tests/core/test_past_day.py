"""Reports and flags on a past day: one history, asked for the day before and the day of each change.

The history (every figure and date chosen for the test; the expected values are read off it by hand):

- M001 皮件厂 (enterprise): in_progress from 2000-03-01, completed 2004-09-30.
- M002 资产营运公司 (company): not an enterprise, so never counted among restructurings.
- M003 制鞋总厂 (enterprise): preparing from 1999-05-01 (never moves on).
- A0001 皮件厂厂房, M001, 1,600,000 from 1990-01-01, in_use; auctioned 2004-09-28 for 1,520,000.
- A0002 皮件厂仓库, M001, 300,000 from 1995-01-01; idle from 2002-06-01; leased 2003-01-01 – ended
  2003-06-30 (idle again); damaged by an incident 2004-12-20, resolved 2005-01-31; transferred to M002 on
  2005-02-01.
- A0003 新厂房, M003, 500,000, acquired 2004-05-01 (not there yet before).
"""

from __future__ import annotations

from datetime import date, timedelta

from assetreg.core import records
from assetreg.core.flags import evaluate
from assetreg.core.registry import Registry
from assetreg.core.reports import Period, incidents_report, leases_report, register_report, summary_report
from tests.core import build as b

D = date.fromisoformat


def history() -> Registry:
    reg = b.registry()
    m1 = b.member(reg, "皮件厂", restructuring="in_progress", restructuring_since="2000-03-01")
    m2 = str(records.add_member(reg, {"name": "资产营运公司", "district": "市区", "kind": "company"})["id"])
    b.member(reg, "制鞋总厂", restructuring="preparing", restructuring_since="1999-05-01")
    records.edit_member(reg, m1, {"restructuring": "completed", "restructuring_finished": "2004-09-30"}, D("2005-03-15"))
    a1 = b.asset(reg, m1, "1600000", acquired="1990-01-01", name="皮件厂厂房")
    b.event(reg, a1, "dispose", "2004-09-28", "1520000", method="auction")
    a2 = b.asset(reg, m1, "300000", acquired="1995-01-01", name="皮件厂仓库")
    records.edit_asset(reg, a2, {"status": "idle", "status_since": "2002-06-01"}, D("2005-03-15"))
    lease = b.lease(reg, a2, "2003-01-01", "2005-12-31", "1000")
    records.end_lease(reg, lease, {"date": "2003-06-30"})
    incident = b.incident(reg, [a2], "2004-12-20", kind="damage")
    records.act(reg, incident, {"date": "2005-01-31", "note": "修复", "status": "resolved"})
    records.transfer(reg, a2, {"to": m2, "date": "2005-02-01"})
    b.asset(reg, "M003", "500000", acquired="2004-05-01", name="新厂房")
    return reg


def _register(reg: Registry, day: str) -> dict[str, tuple[str, str, str]]:
    rows = register_report(reg, D(day)).as_json()["rows"]
    return {r["id"]: (r["owner"], r["status"], str(r["value"])) for r in rows}


def test_register_before_and_after_each_change() -> None:
    reg = history()
    assert _register(reg, "2002-05-31") == {"A0001": ("M001", "in_use", "1600000.00"), "A0002": ("M001", "in_use", "300000.00")}
    assert _register(reg, "2002-06-01")["A0002"] == ("M001", "idle", "300000.00")
    assert _register(reg, "2002-12-31")["A0002"] == ("M001", "idle", "300000.00")
    assert _register(reg, "2003-01-01")["A0002"] == ("M001", "leased", "300000.00")
    assert _register(reg, "2003-06-29")["A0002"] == ("M001", "leased", "300000.00")
    assert _register(reg, "2003-06-30")["A0002"] == ("M001", "idle", "300000.00")
    # the register of 2003-12-31 shows neither the auction of 2004 nor the damage of 2004
    assert _register(reg, "2003-12-31") == {"A0001": ("M001", "in_use", "1600000.00"), "A0002": ("M001", "idle", "300000.00")}
    assert "A0003" not in _register(reg, "2004-04-30")
    assert _register(reg, "2004-05-01")["A0003"] == ("M003", "in_use", "500000.00")
    assert _register(reg, "2004-09-27")["A0001"] == ("M001", "in_use", "1600000.00")
    assert "A0001" not in _register(reg, "2004-09-28")  # disposed of that day: no longer held
    assert _register(reg, "2004-12-19")["A0002"] == ("M001", "idle", "300000.00")
    assert _register(reg, "2004-12-20")["A0002"] == ("M001", "damaged", "300000.00")
    assert _register(reg, "2005-01-30")["A0002"] == ("M001", "damaged", "300000.00")
    assert _register(reg, "2005-01-31")["A0002"] == ("M001", "idle", "300000.00")
    assert _register(reg, "2005-02-01")["A0002"] == ("M002", "idle", "300000.00")
    # one member's register follows the owner on the day
    assert [r["id"] for r in register_report(reg, D("2005-01-31"), member="M001").as_json()["rows"]] == ["A0002"]
    assert register_report(reg, D("2005-02-01"), member="M001").as_json()["rows"] == []


def _idle(reg: Registry, day: str) -> list[tuple[str, str]]:
    report = leases_report(reg, Period(D(day) - timedelta(days=30), D(day))).as_json()
    return [(r["id"], r["idle_since"]) for r in report["idle"]["rows"]]


def test_rent_roll_idle_buildings_on_the_day() -> None:
    reg = history()
    assert _idle(reg, "2002-05-31") == []
    assert _idle(reg, "2002-06-01") == [("A0002", "2002-06-01")]
    assert _idle(reg, "2003-01-01") == []  # leased
    assert _idle(reg, "2003-06-30") == [("A0002", "2003-06-30")]
    assert _idle(reg, "2004-12-20") == []  # damaged, not idle
    assert _idle(reg, "2005-01-31") == [("A0002", "2005-01-31")]  # idle again from the day the damage ended


def _ages(reg: Registry, day: str) -> list[tuple[str, str, int]]:
    rows = incidents_report(reg, Period(D("2004-01-01"), D(day))).as_json()["rows"]
    return [(r["id"], r["status"], r["age_days"]) for r in rows]


def test_incident_age_stops_on_the_day_it_was_resolved() -> None:
    reg = history()
    assert _ages(reg, "2004-12-19") == []  # not there yet
    assert _ages(reg, "2004-12-20") == [("I0001", "open", 0)]
    # 2004-12-20 .. 2005-01-30: 11 + 30 = 41 days
    assert _ages(reg, "2005-01-30") == [("I0001", "open", 41)]
    assert _ages(reg, "2005-01-31") == [("I0001", "resolved", 42)]
    assert _ages(reg, "2005-03-15") == [("I0001", "resolved", 42)]


def _restructuring(reg: Registry, start: str, end: str) -> dict[str, object]:
    section = summary_report(reg, Period(D(start), D(end))).as_json()["restructuring"]
    return {"rows": {r["status"]: r["members"] for r in section["rows"]}, "done": section["completed_in_period"]}


def test_summary_counts_enterprises_by_status_at_the_end_and_those_completed_inside() -> None:
    reg = history()
    # the company M002 is not an enterprise: two enterprises in all
    assert _restructuring(reg, "1999-01-01", "1999-04-30") == {"rows": {"not_started": 2}, "done": 0}
    assert _restructuring(reg, "1999-01-01", "1999-05-01") == {"rows": {"not_started": 1, "preparing": 1}, "done": 0}
    assert _restructuring(reg, "2000-01-01", "2000-03-01") == {"rows": {"preparing": 1, "in_progress": 1}, "done": 0}
    assert _restructuring(reg, "2003-01-01", "2003-12-31") == {"rows": {"preparing": 1, "in_progress": 1}, "done": 0}
    assert _restructuring(reg, "2004-01-01", "2004-09-29") == {"rows": {"preparing": 1, "in_progress": 1}, "done": 0}
    assert _restructuring(reg, "2004-01-01", "2004-09-30") == {"rows": {"preparing": 1, "completed": 1}, "done": 1}
    assert _restructuring(reg, "2004-10-01", "2004-12-31") == {"rows": {"preparing": 1, "completed": 1}, "done": 0}


def _flags(reg: Registry, day: str, code: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.record_id, f.since.isoformat(), f.owners) for f in evaluate(reg, D(day)) if f.code == code]


def test_flags_on_a_past_day() -> None:
    reg = history()
    # IDLE_ASSET after a year idle: idle from 2002-06-01, a year is 2003-06-01 — but it was leased from
    # 2003-01-01; idle again from 2003-06-30, so a year on is 2004-06-30
    assert _flags(reg, "2003-06-29", "IDLE_ASSET") == []
    assert _flags(reg, "2004-06-29", "IDLE_ASSET") == []
    assert _flags(reg, "2004-06-30", "IDLE_ASSET") == [("A0002", "2004-06-30", ("M001",))]
    assert _flags(reg, "2004-12-20", "IDLE_ASSET") == []  # damaged that day
    # RESTRUCTURING_STALLED after two years preparing or in progress: M003 from 1999-05-01 → 2001-05-01,
    # M001 from 2000-03-01 → 2002-03-01, until it completed on 2004-09-30
    assert _flags(reg, "2001-04-30", "RESTRUCTURING_STALLED") == []
    assert _flags(reg, "2001-05-01", "RESTRUCTURING_STALLED") == [("M003", "2001-05-01", ("M003",))]
    assert [f[0] for f in _flags(reg, "2002-03-01", "RESTRUCTURING_STALLED")] == ["M001", "M003"]
    assert [f[0] for f in _flags(reg, "2004-09-29", "RESTRUCTURING_STALLED")] == ["M001", "M003"]
    assert [f[0] for f in _flags(reg, "2004-09-30", "RESTRUCTURING_STALLED")] == ["M003"]
    # the damage is an open encroachment from 2004-12-20 until 2005-01-31; owners follow the transfer
    assert _flags(reg, "2004-12-19", "ENCROACHMENT_OPEN") == []
    assert _flags(reg, "2004-12-20", "ENCROACHMENT_OPEN") == [("I0001", "2004-12-20", ("M001",))]
    assert _flags(reg, "2005-01-31", "ENCROACHMENT_OPEN") == []
    # the disposal is not a flag before it happened
    assert _flags(reg, "2004-09-27", "DISPOSAL_BELOW_VALUE") == []
    assert _flags(reg, "2004-09-28", "DISPOSAL_BELOW_VALUE") == [("A0001", "2004-09-28", ("M001",))]
    # a status set by hand without an incident: damaged from 2005-03-01, flagged from that day only
    records.edit_asset(reg, "A0003", {"status": "damaged", "status_since": "2005-03-01"}, D("2005-03-15"))
    assert _flags(reg, "2005-02-28", "ASSET_DAMAGED_UNREPORTED") == []
    assert _flags(reg, "2005-03-01", "ASSET_DAMAGED_UNREPORTED") == [("A0003", "2005-03-01", ("M003",))]
    # after the transfer the idle warehouse's flag belongs to the company
    assert _flags(reg, "2006-02-01", "IDLE_ASSET") == [("A0002", "2006-01-31", ("M002",))]
