"""An asset's value through time, from its value events.

"Value on a day" is the value at the end of that day: events dated that day
count, and an asset disposed that day is no longer held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assetreg.core.registry import Record

VALUE_SETTING = ("acquire", "revalue", "impair")


def entry_order(event: Record) -> tuple[str, int]:
    """Date, then the order entered (`seq`; records of version 2 and earlier have none: list order)."""
    return event["date"], event.get("seq") or 0  # ISO dates sort as strings


def next_seq(asset: Record) -> int:
    """The number of the next event or transfer entered on the asset: events of one day take effect in
    the order they were entered (PRODUCT.md, Records), value events and transfers alike."""
    entered = [*(asset.get("events") or ()), *(asset.get("transfers") or ())]
    return 1 + max((e.get("seq") or 0 for e in entered), default=0)


def comes_before(transfer: Record, event: Record) -> bool:
    """Whether a transfer takes effect before a value event: by date, then by the order entered (a transfer
    and an event of one day without `seq`, from an older registry: the transfer first)."""
    return entry_order(transfer) <= entry_order(event)


@dataclass(slots=True)
class Step:
    """One value event with the value before and after it."""

    day: date
    kind: str
    amount: Decimal
    before: Decimal | None
    after: Decimal | None
    event: Record

    @property
    def change(self) -> Decimal:
        """New value minus old; for a disposal, minus the value it had."""
        return (self.after or Decimal("0.00")) - (self.before or Decimal("0.00"))


def steps(asset: Record) -> list[Step]:
    """The asset's events in date order (ties keep entry order) with values before and after."""
    result = []
    value: Decimal | None = None
    events = asset["events"]
    for event in sorted(events, key=entry_order) if len(events) > 1 else events:
        amount = Decimal(event["amount"])
        after = amount if event["kind"] in VALUE_SETTING else None
        result.append(Step(date.fromisoformat(event["date"]), event["kind"], amount, value, after, event))
        value = after
    return result


def value_on(asset: Record, day: date) -> Decimal | None:
    """The value at the end of `day`; None when not yet acquired or already disposed. Read straight from the
    events (the last one on or before the day decides), without building the steps: reports ask it of
    every asset."""
    iso = day.isoformat()
    events = asset["events"]
    last = None
    for event in sorted(events, key=entry_order) if len(events) > 1 else events:
        if event["date"] > iso:
            break
        last = event
    if last is None or last["kind"] not in VALUE_SETTING:
        return None
    return Decimal(last["amount"])


def disposal(asset: Record) -> Step | None:
    for step in steps(asset):
        if step.kind == "dispose":
            return step
    return None
