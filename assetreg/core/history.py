"""Records on a past day: the state of an asset, a member or an incident at the end of a day.

The dated history lives on the records themselves. Every field below is an addition to the version 1
file format; a record written by version 1 lacks it and is read as the "missing" line says, so its
current state holds since the date it carries.

Asset
  ``status_history``  ``[{"date": ISO, "status": S}, …]`` in date order (same-day entries in the order
      they were made): the asset's own status changes — ``asset add`` (its status from ``status_since``),
      ``asset edit --status S --status-since D``, a lease starting or ending, a disposal. ``status`` and
      ``status_since`` are always the last entry's. Missing: ``in_use`` from ``acquired``, then
      ``status`` from ``status_since``.
  ``transfers``  ``[{"date": ISO, "from": MEMBER, "to": MEMBER, "doc": str|null, "note": str|null}, …]``
      in date order: ``asset transfer`` (划转). ``owner`` is always the last ``to``; before the first
      transfer the owner is its ``from``. Missing: no transfer, ``owner`` held from acquisition.
  ``holds``  a member id or null: an ``equity`` asset that is a stake in that member of the registry
      (intra-federation equity). Missing: null.
Member
  ``restructuring_history``  ``[{"date": ISO|null, "status": S}, …]`` in date order; a null date holds
      from the start. ``restructuring`` is always the last entry's status; ``not_started`` before the
      first entry. Missing: read from ``restructuring``, ``restructuring_since`` (the start) and
      ``restructuring_finished`` (see `derived_restructuring`).
Incident
  its status on a day comes from ``initial_status`` and the ``status`` of its dated actions (version 1
  already kept them); an incident without ``initial_status`` started with its ``status``.

Incidents act on the status of the assets they name (PRODUCT.md, Records on a past day): while an
incident of kind damage or disaster is open the asset is ``damaged``, encroachment, occupation or
illegal_transfer make it ``occupied``, from the day it occurred; once no such incident is open the
asset's own status shows again. That part is worked out when asked, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from assetreg.core.choices import CLOSED_STATUSES
from assetreg.core.registry import Record

INCIDENT_EFFECT = {
    "damage": "damaged",
    "disaster": "damaged",
    "encroachment": "occupied",
    "occupation": "occupied",
    "illegal_transfer": "occupied",
}
COMPLETED = ("completed", "verified")
_START = ""  # sorts before every ISO date: "since always"


# -- incidents ------------------------------------------------------------------------------


def incident_status_on(incident: Record, day: date) -> str:
    """The incident's status at the end of `day`, from its timeline."""
    status = str(incident.get("initial_status") or incident["status"])
    iso = day.isoformat()
    for action in incident["actions"]:
        if action["date"] <= iso and action.get("status"):
            status = action["status"]
    return status


def closed_on(incident: Record) -> date | None:
    """The day its timeline resolved or closed it, if it did."""
    for action in incident["actions"]:
        if action.get("status") in CLOSED_STATUSES:
            return date.fromisoformat(action["date"])
    if (incident.get("initial_status") or incident["status"]) in CLOSED_STATUSES:
        return date.fromisoformat(incident["occurred"])
    return None


def incident_age(incident: Record, day: date) -> int:
    """Days from its occurrence to `day`, or to the day it was resolved or closed if that came first."""
    end = closed_on(incident)
    last = end if end is not None and end < day else day
    return (last - date.fromisoformat(incident["occurred"])).days


# -- assets -----------------------------------------------------------------------------------


def status_history(asset: Record) -> list[dict[str, Any]]:
    """The asset's own dated statuses (without incidents), as stored or as a version 1 record is read."""
    stored = asset.get("status_history")
    if stored is not None:
        return list(stored)
    entries = []
    if asset["status_since"] > asset["acquired"]:
        entries.append({"date": asset["acquired"], "status": "in_use"})
    entries.append({"date": asset["status_since"], "status": asset["status"]})
    return entries


def own_status_on(asset: Record, day: date) -> tuple[str, date] | None:
    """The asset's own status at the end of `day` and since when; None before its first status."""
    iso = day.isoformat()
    found = None
    for entry in status_history(asset):
        if entry["date"] > iso:
            break
        if found is None or entry["status"] != found["status"]:
            found = entry
    return (found["status"], date.fromisoformat(found["date"])) if found else None


def state_on(asset: Record, day: date, incidents: Iterable[Record] = ()) -> tuple[str, date] | None:
    """The status at the end of `day` and the day it took effect, incidents naming the asset included;
    None before the asset was acquired.

    While an incident that damages or occupies is open, it decides (the latest one, if several);
    afterwards the asset's own status shows again, counted from the day the last one ended."""
    iso = day.isoformat()
    if asset["acquired"] > iso:
        return None
    own = own_status_on(asset, day) or ("in_use", date.fromisoformat(asset["acquired"]))
    if own[0] == "disposed":
        return own
    status, since = own
    latest: tuple[str, str] | None = None  # (occurred, effect) of the latest open incident with an effect
    opened: dict[str, str] = {}  # effect -> earliest occurrence among the open ones
    for incident in incidents:
        effect = INCIDENT_EFFECT.get(incident["kind"])
        if effect is None or incident["occurred"] > iso:
            continue
        ended = closed_on(incident)
        if ended is not None and ended <= day:
            if ended > since:
                since = ended
            continue
        occurred = incident["occurred"]
        if latest is None or occurred >= latest[0]:
            latest = (occurred, effect)
        if effect not in opened or occurred < opened[effect]:
            opened[effect] = occurred
    if latest is not None:
        return latest[1], date.fromisoformat(opened[latest[1]])
    return status, since


def status_on(asset: Record, day: date, incidents: Iterable[Record] = ()) -> str | None:
    """The status at the end of `day` (see `state_on`); None before the asset was acquired."""
    state = state_on(asset, day, incidents)
    return state[0] if state else None


def owner_on(asset: Record, day: date) -> str:
    """The owning member at the end of `day`: the receiver of the last transfer on or before it."""
    transfers = asset.get("transfers")
    if not transfers:
        return str(asset["owner"])
    iso = day.isoformat()
    owner = transfers[0]["from"]
    for transfer in transfers:
        if transfer["date"] > iso:
            break
        owner = transfer["to"]
    return str(owner)


def insert_dated(entries: list[dict[str, Any]], entry: dict[str, Any]) -> None:
    """Put `entry` after every entry dated on or before it."""
    position = len(entries)
    while position and (entries[position - 1]["date"] or _START) > (entry["date"] or _START):
        position -= 1
    entries.insert(position, entry)


def set_status(asset: Record, day: str, status: str) -> None:
    """Record that the asset's own status became `status` on `day` (ISO)."""
    entries = status_history(asset)
    insert_dated(entries, {"date": day, "status": status})
    asset["status_history"] = entries
    asset["status"], asset["status_since"] = entries[-1]["status"], entries[-1]["date"]


# -- members ------------------------------------------------------------------------------------


def derived_restructuring(member: Record) -> list[dict[str, Any]]:
    """A version 1 member's history from its fields: `restructuring_since` is when the restructuring
    started (`in_progress` from then on, or the status itself when that is `preparing`), and
    `restructuring_finished` when it became `completed` or `verified`; `not_started` before."""
    status = member.get("restructuring") or "not_started"
    since, finished = member.get("restructuring_since"), member.get("restructuring_finished")
    if status == "not_started":
        return [{"date": since, "status": status}] if since else []
    if status not in COMPLETED:
        return [{"date": since, "status": status}]
    entries = []
    if since and (not finished or since < finished):
        entries.append({"date": since, "status": "in_progress"})
    entries.append({"date": finished or since, "status": status})
    return entries


def restructuring_history(member: Record) -> list[dict[str, Any]]:
    stored = member.get("restructuring_history")
    return list(stored) if stored is not None else derived_restructuring(member)


def restructuring_state(member: Record, day: date) -> tuple[str, date | None]:
    """The member's restructuring status at the end of `day`, and since when (None: since always)."""
    iso = day.isoformat()
    found: dict[str, Any] | None = None
    for entry in restructuring_history(member):
        if (entry["date"] or _START) > iso:
            break
        if found is None or entry["status"] != found["status"]:
            found = entry
    if found is None:
        return "not_started", None
    return found["status"], date.fromisoformat(found["date"]) if found["date"] else None


def restructuring_on(member: Record, day: date) -> str:
    return restructuring_state(member, day)[0]


def completed_on(member: Record) -> date | None:
    """The first day it reached `completed` or `verified`; None if never (or on no known day)."""
    for entry in restructuring_history(member):
        if entry["status"] in COMPLETED:
            return date.fromisoformat(entry["date"]) if entry["date"] else None
    return None


def set_restructuring(member: Record, day: str | None, status: str) -> None:
    entries = restructuring_history(member)
    insert_dated(entries, {"date": day, "status": status})
    member["restructuring_history"] = entries
    member["restructuring"] = entries[-1]["status"]
