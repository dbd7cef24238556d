"""What an open clearance holds still: the assets it counts keep the book figures it opened with.

Apart from core/clearance.py so that the record rules (core/records.py), which must ask it, and the
clearance, which adds and checks records, do not import each other."""

from __future__ import annotations

from assetreg.core.errors import Conflict
from assetreg.core.registry import Record, Registry
from assetreg.i18n import N_


def finding_id(clearance_id: str, asset_id: str) -> str:
    return f"{clearance_id}/{asset_id}"  # "/" is in no id


def open_ones(reg: Registry) -> list[Record]:
    return [c for c in reg.tables["clearances"].values() if c["status"] == "open"]


def guard(reg: Registry, asset_id: str, day: str) -> None:
    """A value event, transfer or status change dated on or before the as-of day of an open clearance
    whose scope holds the asset is refused naming it: the book figures stay those it opened with."""
    if not reg.ids("clearances"):
        return
    for clearance in open_ones(reg):
        if day <= clearance["as_of"] and finding_id(clearance["id"], asset_id) in reg.ids("findings"):
            raise Conflict(
                "--date",
                day,
                N_("asset {id} is being counted in open clearance {other} as of {day}; close or remove it first"),
                id=asset_id,
                other=clearance["id"],
                day=clearance["as_of"],
            )
