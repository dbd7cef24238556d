from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetreg.core import records
from assetreg.core.errors import Conflict, InvalidValue, NotFound
from assetreg.core.rent import add_months, due_dates, unpaid_dues
from assetreg.core.values import value_on
from tests.core import build as b


def test_value_on_follows_the_last_event_and_ends_at_disposal() -> None:
    reg = b.registry()
    m = b.member(reg)
    a = b.asset(reg, m, "100000", acquired="2000-01-01")
    b.event(reg, a, "revalue", "2003-06-30", "150000", basis="market")
    b.event(reg, a, "impair", "2004-08-13", "90000", cause="disaster")
    b.event(reg, a, "dispose", "2005-02-01", "80000", method="sale")
    asset = reg.assets[a]
    assert value_on(asset, date(1999, 12, 31)) is None
    assert value_on(asset, date(2000, 1, 1)) == Decimal("100000.00")
    assert value_on(asset, date(2003, 6, 29)) == Decimal("100000.00")
    assert value_on(asset, date(2003, 6, 30)) == Decimal("150000.00")
    assert value_on(asset, date(2004, 8, 13)) == Decimal("90000.00")
    assert value_on(asset, date(2005, 1, 31)) == Decimal("90000.00")
    assert value_on(asset, date(2005, 2, 1)) is None
    assert asset["status"] == "disposed"


def test_event_rules() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "100000", acquired="2000-01-01")
    with pytest.raises(InvalidValue):  # before acquisition
        b.event(reg, a, "revalue", "1999-12-31", "1", basis="book")
    with pytest.raises(InvalidValue):  # an impairment cannot raise a value
        b.event(reg, a, "impair", "2001-01-01", "100000.01", cause="damage")
    b.event(reg, a, "dispose", "2002-01-01", "5", method="sale")
    with pytest.raises(Conflict):  # disposing of a disposed asset
        b.event(reg, a, "dispose", "2003-01-01", "5", method="sale")


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2004, 1, 31), 1) == date(2004, 2, 29)
    assert add_months(date(2004, 11, 30), 3) == date(2005, 2, 28)
    assert add_months(date(2004, 3, 15), 12) == date(2005, 3, 15)


def test_dues_fall_at_the_start_of_each_period_until_the_end() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1")
    lease = reg.leases[b.lease(reg, a, "2004-01-01", "2004-12-31", "3000", "quarterly")]
    assert due_dates(lease, date(2006, 1, 1)) == [date(2004, 1, 1), date(2004, 4, 1), date(2004, 7, 1), date(2004, 10, 1)]
    assert due_dates(lease, date(2004, 3, 31)) == [date(2004, 1, 1)]


def test_payments_settle_the_oldest_dues_first_and_only_up_to_the_day() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1")
    lid = b.lease(reg, a, "2004-01-01", "2004-12-31", "1000.50")
    b.pay(reg, lid, "2004-02-10", "1500.00")  # all of January, 499.50 of February
    b.pay(reg, lid, "2004-06-01", "100.00")  # counted only from June 1
    lease = reg.leases[lid]
    unpaid = unpaid_dues(lease, date(2004, 3, 15))
    assert [(u.due, u.amount) for u in unpaid] == [(date(2004, 2, 1), Decimal("501.00")), (date(2004, 3, 1), Decimal("1000.50"))]
    unpaid = unpaid_dues(lease, date(2004, 6, 1))
    # dues Jan..Jun = 6 × 1000.50 = 6003.00; paid 1600.00; owed 4403.00, oldest February with 401.00 left
    assert unpaid[0] == type(unpaid[0])(date(2004, 2, 1), Decimal("401.00"))
    assert sum(u.amount for u in unpaid) == Decimal("4403.00")


def test_rent_owed_when_a_lease_ends_stays_owed() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1")
    lid = b.lease(reg, a, "2004-01-01", "2004-12-31", "500")
    records.end_lease(reg, lid, {"date": "2004-03-10"})
    lease = reg.leases[lid]
    assert due_dates(lease, date(2005, 1, 1)) == [date(2004, 1, 1), date(2004, 2, 1), date(2004, 3, 1)]
    assert sum(u.amount for u in unpaid_dues(lease, date(2005, 1, 1))) == Decimal("1500.00")
    assert reg.assets[a]["status"] == "idle"
    with pytest.raises(Conflict):  # after the end, a payment is accepted up to what is owed: 1,500
        b.pay(reg, lid, "2004-03-11", "1500.01")
    b.pay(reg, lid, "2004-03-11", "1000")
    b.pay(reg, lid, "2004-03-10", "500")  # one dated while it ran is history, and is recorded
    with pytest.raises(Conflict):  # nothing is owed any more
        b.pay(reg, lid, "2004-04-01", "0.01")


def test_lease_end_before_start_and_unknown_asset_refused() -> None:
    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1")
    with pytest.raises(InvalidValue):
        b.lease(reg, a, "2004-01-01", "2003-12-31", "500")
    with pytest.raises(NotFound):
        b.lease(reg, "A9999", "2004-01-01", "2004-12-31", "500")


def _naive_unpaid(lease: dict, as_of: date) -> list[tuple[date, Decimal]]:
    """The rule as PRODUCT.md states it, one due at a time: the reference for the computed version."""
    start, end = date.fromisoformat(lease["start"]), date.fromisoformat(lease["end"])
    if lease.get("ended_on"):
        end = min(end, date.fromisoformat(lease["ended_on"]))
    step = {"monthly": 1, "quarterly": 3, "annual": 12}[lease["period"]]
    dues, k = [], 0
    while (due := add_months(start, k * step)) <= as_of and (k == 0 or due < end):
        dues.append(due)
        k += 1
    paid = sum((Decimal(p["amount"]) for p in lease["payments"] if p["date"] <= as_of.isoformat()), Decimal(0))
    rent, owed = Decimal(lease["rent"]), []
    for due in dues:
        settled = min(paid, rent)
        paid -= settled
        if settled < rent:
            owed.append((due, rent - settled))
    return owed


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2006, 12, 31)),
    days=st.integers(0, 2000),
    period=st.sampled_from(["monthly", "quarterly", "annual"]),
    rent=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
    payments=st.lists(
        st.tuples(st.integers(-100, 3000), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2)),
        max_size=12,
    ),
    ended=st.one_of(st.none(), st.integers(0, 2000)),
    as_of_offset=st.integers(-50, 3000),
)
def test_computed_dues_match_the_rule_due_by_due(start, days, period, rent, payments, ended, as_of_offset) -> None:
    lease = {
        "start": start.isoformat(),
        "end": (start + timedelta(days=days)).isoformat(),
        "period": period,
        "rent": str(rent),
        "ended_on": (start + timedelta(days=ended)).isoformat() if ended is not None else None,
        "payments": [{"date": (start + timedelta(days=d)).isoformat(), "amount": str(a)} for d, a in payments],
    }
    as_of = start + timedelta(days=as_of_offset)
    assert [(u.due, u.amount) for u in unpaid_dues(lease, as_of)] == _naive_unpaid(lease, as_of)


def test_each_due_is_the_rent_in_force_on_its_day() -> None:
    from assetreg.core.rent import arrears, dues, rent_due_between, rent_on, still_owed
    from assetreg.core.statement import allocated

    reg = b.registry()
    a = b.asset(reg, b.member(reg), "1")
    lid = b.lease(reg, a, "2005-01-01", "2005-12-31", "1000")
    # a change from 2005-07-15, between two dues: July's (07-01) keeps 1,000, August's is the first at 1,500
    records.change_rent(reg, lid, {"rent": "1500", "from": "2005-07-15"})
    lease = reg.leases[lid]
    assert rent_on(lease, date(2005, 7, 14)) == Decimal("1000.00") and rent_on(lease, date(2005, 7, 15)) == Decimal("1500.00")
    assert [d.amount for d in dues(lease, date(2005, 12, 31))] == [Decimal("1000.00")] * 7 + [Decimal("1500.00")] * 5
    # 7 × 1,000 + 5 × 1,500 = 14,500 over the term; the third quarter: July 1,000 + August and September
    # 2 × 1,500 = 4,000
    assert still_owed(lease) == Decimal("14500.00")
    assert rent_due_between(lease, date(2005, 7, 1), date(2005, 9, 30)) == Decimal("4000.00")
    # 7,600 paid ahead on 2004-12-20 settles Jan–Jul (7,000) and 600 of August's 1,500
    b.pay(reg, lid, "2004-12-20", "7600")
    unpaid = unpaid_dues(lease, date(2005, 9, 1))
    assert [(u.due, u.amount) for u in unpaid] == [(date(2005, 8, 1), Decimal("900.00")), (date(2005, 9, 1), Decimal("1500.00"))]
    owed = arrears(lease, date(2005, 9, 1))
    assert owed is not None and (owed.due, owed.amount) == (date(2005, 8, 1), Decimal("2400.00"))
    rows, ahead = allocated(lease, date(2005, 9, 1))
    assert [r["unpaid"] for r in rows] == [Decimal("0.00")] * 7 + [Decimal("900.00"), Decimal("1500.00")] and ahead == 0
    # as of 2005-06-30 the payment covers January–June and 1,600 is paid ahead
    assert unpaid_dues(lease, date(2005, 6, 30)) == [] and allocated(lease, date(2005, 6, 30))[1] == Decimal("1600.00")
