"""Rent: what fell due, what was paid, and what is still owed.

Rent falls due at the start of each period: on `start`, and then every one,
three or twelve months after it while that day is before the lease's end (or
the day it was ended early): a period that would start on the end day is not
due; one starting on the 29th-31st falls due on the last day of a shorter
month. Payments and write-offs (坏账核销) settle the oldest dues first; only
those and dues on or before the as-of day count. A payment before the start
(prepaid rent) settles dues as they fall due.

A rent change agreed during the term (`lease edit --rent AMOUNT --from DATE`) is kept as ``rents``
(``[{"date", "amount"}, …]`` in date order): each due is the rent in force on its day, so the dues
before a change keep the rent they fell due with. ``rent`` stays the rent the lease started with.

A lease keeps ``writeoffs`` (``[{"date", "amount", "doc", "note"}, …]`` in date
order), a payment that set the deposit against arrears carries ``"deposit":
true``, and a deposit returned to the tenant is ``refunded`` (amount) on
``refunded_on``. Records of version 2 lack them: nothing written off, applied
or returned.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from assetreg.core.registry import Record

MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
PERIODS_PER_YEAR = {"monthly": 12, "quarterly": 4, "annual": 1}


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if day.day <= 28:  # every month has the day
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day(lease: Record) -> date:
    """The last day of the lease: its end, or the day it was ended if earlier."""
    end = date.fromisoformat(lease["end"])
    if lease.get("ended_on"):
        end = min(end, date.fromisoformat(lease["ended_on"]))
    return end


def _last_index(start: date, step: int, limit: date, *, inclusive: bool) -> int:
    """The largest k >= 0 whose due day is on or before `limit` (before it, when not inclusive)."""
    months = (limit.year - start.year) * 12 + limit.month - start.month
    k = max(months // step, 0)
    while k > 0 and (add_months(start, k * step) > limit if inclusive else add_months(start, k * step) >= limit):
        k -= 1
    return k


def dues_count(lease: Record, as_of: date) -> int:
    """How many dues fell on or before `as_of` (computed, not counted one by one)."""
    start = date.fromisoformat(lease["start"])
    if start > as_of:
        return 0
    step = MONTHS[lease["period"]]
    return 1 + min(_last_index(start, step, as_of, inclusive=True), _last_index(start, step, last_day(lease), inclusive=False))


def due_dates(lease: Record, as_of: date) -> list[date]:
    start = date.fromisoformat(lease["start"])
    step = MONTHS[lease["period"]]
    return [add_months(start, k * step) for k in range(dues_count(lease, as_of))]


def rent_on(lease: Record, day: date) -> Decimal:
    """The rent per period in force on `day`: the last change from that day or before, else the first rent."""
    rent = lease["rent"]
    iso = day.isoformat()
    for change in lease.get("rents") or ():
        if change["date"] <= iso:
            rent = change["amount"]
    return Decimal(rent)


@dataclass(slots=True)
class Unpaid:
    due: date
    amount: Decimal


Due = Unpaid  # a due and its amount: the same shape as what is left of it unpaid


ZERO = Decimal("0.00")


def dues(lease: Record, as_of: date) -> list[Due]:
    """Every due on or before `as_of`, with the rent in force on its day."""
    return [Due(day, rent_on(lease, day)) for day in due_dates(lease, as_of)]


def due_total(lease: Record, as_of: date) -> Decimal:
    """What fell due on or before `as_of` (without listing the dues when the rent never changed)."""
    if not lease.get("rents"):
        return Decimal(lease["rent"]) * dues_count(lease, as_of)
    return sum((d.amount for d in dues(lease, as_of)), ZERO)


def _until(items: list[Record], iso: str) -> Decimal:
    return sum((Decimal(x["amount"]) for x in items if x["date"] <= iso), ZERO)  # ISO dates compare as strings


def payments_until(lease: Record, as_of: date) -> Decimal:
    return _until(lease["payments"], as_of.isoformat())


def settled_until(lease: Record, as_of: date) -> Decimal:
    """Paid and written off on or before `as_of`: what settles dues."""
    iso = as_of.isoformat()
    return _until(lease["payments"], iso) + _until(lease.get("writeoffs") or [], iso)


def still_owed(lease: Record) -> Decimal:
    """What the lease owes over its whole term, every payment and write-off counted (negative: paid ahead)."""
    return due_total(lease, last_day(lease)) - settled_until(lease, date.max)


def deposit_held(lease: Record, day: date) -> Decimal:
    """The deposit at the end of `day`, less what was set against arrears or returned by then."""
    iso = day.isoformat()
    held = Decimal(lease.get("deposit") or ZERO) - _until([p for p in lease["payments"] if p.get("deposit")], iso)
    if lease.get("refunded_on") and lease["refunded_on"] <= iso:
        held -= Decimal(lease["refunded"])
    return held


def _unsettled(lease: Record, as_of: date) -> tuple[list[Due], Decimal]:
    """The dues on or before `as_of` that what was paid and written off by then did not settle in full,
    oldest first, and the part of the first of them that was settled. Settling goes oldest due first;
    with one rent throughout the settled dues are counted, not walked: the rent roll asks this of every
    lease."""
    if not lease.get("rents"):
        rent, count = Decimal(lease["rent"]), dues_count(lease, as_of)
        if not count or not rent:
            return [], ZERO
        paid = settled_until(lease, as_of)
        settled = min(int(paid // rent), count)
        start, step = date.fromisoformat(lease["start"]), MONTHS[lease["period"]]
        return [Due(add_months(start, k * step), rent) for k in range(settled, count)], paid - rent * settled
    all_dues = dues(lease, as_of)
    left = settled_until(lease, as_of) if all_dues else ZERO
    for n, due in enumerate(all_dues):
        if due.amount > left:
            return all_dues[n:], left
        left -= due.amount
    return [], ZERO


def unpaid_dues(lease: Record, as_of: date) -> list[Unpaid]:
    """The dues on or before `as_of` that payments on or before it did not settle, oldest first."""
    unsettled, part = _unsettled(lease, as_of)
    if not unsettled:
        return []
    first = unsettled[0]
    return [Unpaid(first.due, first.amount - part), *unsettled[1:]]


def arrears(lease: Record, as_of: date) -> Unpaid | None:
    """What `unpaid_dues` adds up to, dated by the oldest of them; None when nothing is owed. With one
    rent throughout, worked out without listing the dues."""
    if not lease.get("rents"):
        rent, count = Decimal(lease["rent"]), dues_count(lease, as_of)
        paid = settled_until(lease, as_of) if count and rent else ZERO
        settled = min(int(paid // rent), count) if rent else count
        if settled == count:
            return None
        oldest = add_months(date.fromisoformat(lease["start"]), settled * MONTHS[lease["period"]])
        return Unpaid(oldest, rent * count - paid)
    unsettled, part = _unsettled(lease, as_of)
    if not unsettled:
        return None
    return Unpaid(unsettled[0].due, sum((d.amount for d in unsettled), ZERO) - part)


def rent_due_between(lease: Record, start: date, end: date) -> Decimal:
    return due_total(lease, end) - due_total(lease, start - timedelta(days=1))


def _between(items: list[Record], start: date, end: date) -> Decimal:
    low, high = start.isoformat(), end.isoformat()
    return sum((Decimal(x["amount"]) for x in items if low <= x["date"] <= high), ZERO)


def collected_between(lease: Record, start: date, end: date) -> Decimal:
    return _between(lease["payments"], start, end)


def written_off_between(lease: Record, start: date, end: date) -> Decimal:
    return _between(lease.get("writeoffs") or [], start, end)


def is_active_on(lease: Record, day: date) -> bool:
    """Active on `day`: started, and not ended by `lease end` on or before it."""
    if date.fromisoformat(lease["start"]) > day:
        return False
    ended = lease.get("ended_on")
    return not (ended and date.fromisoformat(ended) <= day)
