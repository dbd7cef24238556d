"""Records on a past day: each state asked for the day before and the day after every change.

Every expected value is read off the history the test builds, by hand."""

from __future__ import annotations

from datetime import date

import pytest

from assetreg.core import records
from assetreg.core.errors import AssetregError
from assetreg.core.history import (
    completed_on,
    incident_age,
    incident_status_on,
    owner_on,
    restructuring_on,
    restructuring_state,
    state_on,
    status_on,
)
from tests.core import build as b

D = date.fromisoformat


def test_own_status_changes_on_its_days() -> None:
    reg = b.registry()
    m = b.member(reg)
    a = b.asset(reg, m, "100000", acquired="2000-01-01")  # in_use from 2000-01-01
    records.edit_asset(reg, a, {"status": "idle", "status_since": "2002-03-01"}, D("2005-01-01"))
    lease = b.lease(reg, a, "2003-01-01", "2003-12-31", "1000")  # idle -> leased on 2003-01-01
    records.end_lease(reg, lease, {"date": "2003-06-30"})  # leased -> idle on 2003-06-30
    b.event(reg, a, "dispose", "2004-09-28", "90000", method="sale")
    asset = reg.assets[a]
    assert status_on(asset, D("1999-12-31")) is None  # not acquired yet
    assert state_on(asset, D("2000-01-01")) == ("in_use", D("2000-01-01"))
    assert status_on(asset, D("2002-02-28")) == "in_use"
    assert state_on(asset, D("2002-03-01")) == ("idle", D("2002-03-01"))
    assert status_on(asset, D("2002-12-31")) == "idle"
    assert state_on(asset, D("2003-01-01")) == ("leased", D("2003-01-01"))
    assert status_on(asset, D("2003-06-29")) == "leased"
    assert state_on(asset, D("2003-06-30")) == ("idle", D("2003-06-30"))
    assert status_on(asset, D("2004-09-27")) == "idle"
    assert state_on(asset, D("2004-09-28")) == ("disposed", D("2004-09-28"))
    assert (asset["status"], asset["status_since"]) == ("disposed", "2004-09-28")


def test_a_version_1_asset_holds_its_status_since_the_date_it_carries() -> None:
    asset = {"acquired": "2000-01-01", "status": "idle", "status_since": "2003-10-01", "events": []}
    assert state_on(asset, D("2003-09-30")) == ("in_use", D("2000-01-01"))
    assert state_on(asset, D("2003-10-01")) == ("idle", D("2003-10-01"))


def test_incidents_damage_and_occupy_from_the_day_they_occur_until_they_are_resolved() -> None:
    reg = b.registry()
    m = b.member(reg)
    a = b.asset(reg, m, "100000", acquired="2000-01-01", status="idle", status_since="2001-01-01")
    storm = b.incident(reg, [a], "2004-08-12", kind="disaster")
    grab = b.incident(reg, [a], "2004-10-01", kind="occupation")
    dispute = b.incident(reg, [a], "2004-07-01", kind="land_dispute")  # no effect on the status
    records.act(reg, storm, {"date": "2004-11-30", "note": "修复", "status": "resolved"})
    records.act(reg, grab, {"date": "2005-01-10", "note": "腾退", "status": "closed"})
    asset, named = reg.assets[a], [reg.incidents[i] for i in (storm, grab, dispute)]
    assert state_on(asset, D("2004-08-11"), named) == ("idle", D("2001-01-01"))
    assert state_on(asset, D("2004-08-12"), named) == ("damaged", D("2004-08-12"))
    assert state_on(asset, D("2004-09-30"), named) == ("damaged", D("2004-08-12"))
    # two open: the latest decides
    assert state_on(asset, D("2004-10-01"), named) == ("occupied", D("2004-10-01"))
    # the storm resolved 2004-11-30, the occupation still open: still occupied
    assert state_on(asset, D("2004-11-30"), named) == ("occupied", D("2004-10-01"))
    assert state_on(asset, D("2005-01-09"), named) == ("occupied", D("2004-10-01"))
    # closed 2005-01-10: idle again, counted from that day
    assert state_on(asset, D("2005-01-10"), named) == ("idle", D("2005-01-10"))


def test_a_disposed_asset_is_disposed_whatever_names_it() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "100000")
    i = b.incident(reg, [a], "2004-01-01", kind="damage")
    b.event(reg, a, "dispose", "2004-05-01", "1", method="write_off")
    assert status_on(reg.assets[a], D("2004-04-30"), [reg.incidents[i]]) == "damaged"
    assert status_on(reg.assets[a], D("2004-05-01"), [reg.incidents[i]]) == "disposed"


def test_owner_on_a_day_is_the_receiver_of_the_last_transfer_on_or_before_it() -> None:
    reg = b.registry()
    giver, company, third = b.member(reg, "皮件厂"), b.member(reg, "资产营运公司"), b.member(reg, "联社")
    a = b.asset(reg, giver, "500000", acquired="1990-05-01")
    records.transfer(reg, a, {"to": company, "date": "2004-06-30", "doc": "乐二轻〔2004〕9号"})
    records.transfer(reg, a, {"to": third, "date": "2005-02-01"})
    asset = reg.assets[a]
    assert owner_on(asset, D("1995-01-01")) == giver
    assert owner_on(asset, D("2004-06-29")) == giver
    assert owner_on(asset, D("2004-06-30")) == company
    assert owner_on(asset, D("2005-01-31")) == company
    assert owner_on(asset, D("2005-02-01")) == third
    assert asset["owner"] == third
    assert asset["transfers"][0] == {
        "date": "2004-06-30",
        "from": giver,
        "to": company,
        "doc": "乐二轻〔2004〕9号",
        "note": None,
        "seq": 2,  # entered after the acquisition (1)
    }


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"to": "M001", "date": "2004-01-01"}, "--to"),  # already owns it
        ({"to": "M002", "date": "1989-12-31"}, "--date"),  # before acquisition
        ({"to": "M009", "date": "2004-01-01"}, "--to"),  # no such member
        ({"date": "2004-01-01"}, "--to"),  # missing
    ],
)
def test_bad_transfers_are_refused(raw: dict[str, str], field: str) -> None:
    reg = b.registry()
    b.member(reg, "甲")
    b.member(reg, "乙")
    a = b.asset(reg, "M001", "1000", acquired="1990-01-01")
    with pytest.raises(AssetregError) as caught:
        records.transfer(reg, a, raw)
    assert field in str(caught.value)
    assert "transfers" not in reg.assets[a]


def test_a_transfer_after_disposal_or_before_the_last_transfer_is_refused() -> None:
    reg = b.registry()
    x, y, z = b.member(reg, "甲"), b.member(reg, "乙"), b.member(reg, "丙")
    a = b.asset(reg, x, "1000", acquired="1990-01-01")
    records.transfer(reg, a, {"to": y, "date": "2004-06-30"})
    with pytest.raises(AssetregError):
        records.transfer(reg, a, {"to": z, "date": "2004-06-29"})
    b.event(reg, a, "dispose", "2004-09-01", "1000", method="sale")
    with pytest.raises(AssetregError):
        records.transfer(reg, a, {"to": z, "date": "2004-09-01"})


def test_restructuring_status_on_a_day() -> None:
    reg = b.registry()
    m = b.member(reg, restructuring="in_progress", restructuring_since="2000-03-01")
    records.edit_member(reg, m, {"restructuring": "completed", "restructuring_finished": "2004-06-30"}, D("2005-03-15"))
    records.edit_member(reg, m, {"restructuring": "verified"}, D("2005-03-15"))  # today
    member = reg.members[m]
    assert restructuring_on(member, D("2000-02-29")) == "not_started"
    assert restructuring_state(member, D("2000-03-01")) == ("in_progress", D("2000-03-01"))
    assert restructuring_on(member, D("2004-06-29")) == "in_progress"
    assert restructuring_state(member, D("2004-06-30")) == ("completed", D("2004-06-30"))
    assert restructuring_on(member, D("2005-03-14")) == "completed"
    assert restructuring_state(member, D("2005-03-15")) == ("verified", D("2005-03-15"))
    assert completed_on(member) == D("2004-06-30")
    assert member["restructuring"] == "verified"


def test_a_version_1_member_reads_from_its_dates() -> None:
    member = {"restructuring": "verified", "restructuring_since": "1999-01-01", "restructuring_finished": "2004-06-30"}
    assert restructuring_on(member, D("1998-12-31")) == "not_started"
    assert restructuring_on(member, D("1999-01-01")) == "in_progress"
    assert restructuring_on(member, D("2004-06-29")) == "in_progress"
    assert restructuring_on(member, D("2004-06-30")) == "verified"
    assert completed_on(member) == D("2004-06-30")
    undated = {"restructuring": "preparing", "restructuring_since": None, "restructuring_finished": None}
    assert restructuring_state(undated, D("1950-01-01")) == ("preparing", None)


def test_incident_status_and_age_stop_on_the_day_it_was_resolved() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1000")
    i = b.incident(reg, [a], "2004-08-12", kind="disaster")
    records.act(reg, i, {"date": "2004-09-01", "note": "调解", "status": "mediation"})
    records.act(reg, i, {"date": "2004-11-30", "note": "修复完成", "status": "resolved"})
    incident = reg.incidents[i]
    assert incident_status_on(incident, D("2004-08-31")) == "open"
    assert incident_status_on(incident, D("2004-09-01")) == "mediation"
    assert incident_status_on(incident, D("2004-11-29")) == "mediation"
    assert incident_status_on(incident, D("2004-11-30")) == "resolved"
    # 2004-08-12 .. 2004-11-29: 19 + 30 + 31 + 29 = 109 days; it stops at 110 on 2004-11-30
    assert incident_age(incident, D("2004-11-29")) == 109
    assert incident_age(incident, D("2004-11-30")) == 110
    assert incident_age(incident, D("2026-11-29")) == 110
