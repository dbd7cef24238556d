"""Rent: what fell due, what was paid, and what is still owed.

Rent falls due at the start of each period: on `start`, and then every one,
three or twelve months after it while that day is before the lease's end (or
the day it was ended early). Payments settle the oldest dues first; only
payments and dues on or before the as-of day count.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assetreg.core.registry import Record

MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
PERIODS_PER_YEAR = {"monthly": 12, "quarterly": 4, "annual": 1}


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day(lease: Record) -> date:
    """The last day of the lease: its end, or the day it was ended if earlier."""
    end = date.fromisoformat(lease["end"])
    if lease.get("ended_on"):
        end = min(end, date.fromisoformat(lease["ended_on"]))
    return end


def due_dates(lease: Record, as_of: date) -> list[date]:
    start = date.fromisoformat(lease["start"])
    stop = last_day(lease)
    step = MONTHS[lease["period"]]
    result: list[date] = []
    k = 0
    while True:
        due = add_months(start, k * step)
        if due > as_of or (k > 0 and due >= stop):
            return result
        result.append(due)
        k += 1


@dataclass(frozen=True)
class Unpaid:
    due: date
    amount: Decimal


def payments_until(lease: Record, as_of: date) -> Decimal:
    return sum((Decimal(p["amount"]) for p in lease["payments"] if date.fromisoformat(p["date"]) <= as_of), Decimal("0.00"))


def unpaid_dues(lease: Record, as_of: date) -> list[Unpaid]:
    """The dues on or before `as_of` that payments on or before it did not settle, oldest first."""
    rent = Decimal(lease["rent"])
    paid = payments_until(lease, as_of)
    result = []
    for due in due_dates(lease, as_of):
        settled = min(paid, rent)
        paid -= settled
        if settled < rent:
            result.append(Unpaid(due, rent - settled))
    return result


def rent_due_between(lease: Record, start: date, end: date) -> Decimal:
    rent = Decimal(lease["rent"])
    return sum((rent for due in due_dates(lease, end) if due >= start), Decimal("0.00"))


def collected_between(lease: Record, start: date, end: date) -> Decimal:
    return sum(
        (Decimal(p["amount"]) for p in lease["payments"] if start <= date.fromisoformat(p["date"]) <= end),
        Decimal("0.00"),
    )


def is_active_on(lease: Record, day: date) -> bool:
    """Active on `day`: started, and not ended by `lease end` on or before it."""
    if date.fromisoformat(lease["start"]) > day:
        return False
    ended = lease.get("ended_on")
    return not (ended and date.fromisoformat(ended) <= day)
