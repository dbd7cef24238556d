"""The clearance's small pure functions on in-memory registries: the scope of a day, the counts, and
what a close plans to change (before anything is changed)."""

from __future__ import annotations

from datetime import date

import pytest

from assetreg.core import clearance
from assetreg.core.errors import Conflict
from assetreg.core.registry import Registry
from tests.core import build


@pytest.fixture
def reg() -> Registry:
    r = build.registry()
    m = build.member(r)
    build.asset(r, m, "320000.00", "1985-06-01", area="1200")  # A0001
    build.asset(r, m, "50000.00", "1995-01-01")  # A0002
    build.asset(r, m, "100000.00", "2005-01-05")  # A0003, after the day
    build.asset(r, m, "80000.00", "1990-01-01")  # A0004, sold before the day
    build.event(r, "A0004", "dispose", "2004-06-30", "80000.00", method="sale")
    build.incident(r, ["A0001"], "2004-12-20", kind="damage")
    return r


def test_scope_of_a_day_holds_what_was_held_with_its_status_that_day(reg: Registry) -> None:
    scope = clearance.scope_of(reg, date(2004, 12, 31))
    assert list(scope) == ["A0001", "A0002"]
    assert scope["A0001"]["status"] == "damaged"  # from the open incident, as the register of that day shows
    assert scope["A0001"]["value"] == "320000.00" and scope["A0001"]["area"] == "1200"
    assert list(clearance.scope_of(reg, date(2004, 6, 29))) == ["A0001", "A0002", "A0004"]  # not sold yet
    assert clearance.scope_of(reg, date(2004, 12, 31), members=["M999"]) == {}


def test_counts_and_the_plan_of_a_close(reg: Registry) -> None:
    reg.today = date(2005, 3, 15)
    record, count = clearance.open_clearance(reg, {"as_of": "2004-12-31"})
    assert count == 2
    clearance.record_finding(reg, "C001", "A0001", {"result": "differs", "value": "200000", "status": "idle"})
    findings = clearance.findings_of(reg, "C001")
    assert clearance.counts(record, findings) == {
        "scope": 2, "checked": 1, "found": 0, "differs": 1, "missing": 0, "surplus": 0, "unchecked": 1,
    }  # fmt: skip
    with pytest.raises(Conflict):  # one asset not checked
        clearance.plan_close(reg, record, findings, date(2005, 1, 25), "文号", partial=False)
    plan = clearance.plan_close(reg, record, findings, date(2005, 1, 25), "文号", partial=True)
    assert [(s.kind, s.asset) for s in plan] == [("event", "A0001"), ("status", "A0001")]
    assert plan[0].data == {
        "date": "2004-12-31", "kind": "revalue", "amount": "200000.00", "basis": "clearance", "doc": "文号", "note": None,
    }  # fmt: skip
    assert reg.assets["A0001"]["events"][-1]["kind"] == "acquire"  # planning changed nothing
