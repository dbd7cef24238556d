"""Records with what a reader wants beside them: current value, arrears, age, related records."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from assetreg.core.choices import CLOSED_STATUSES
from assetreg.core.history import incident_age, incident_status_on, owner_on, restructuring_state, state_on
from assetreg.core.registry import Record, Registry
from assetreg.core.rent import PERIODS_PER_YEAR, arrears, deposit_held, is_active_on, unpaid_dues
from assetreg.core.values import steps, value_on


class Index:
    """Incidents grouped by the assets they name, assets by owner: each built once per command, when
    first asked for."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg

    @cached_property
    def incidents_of(self) -> dict[str, list[Record]]:
        grouped: dict[str, list[Record]] = defaultdict(list)
        for incident in self.reg.incidents.values():
            for asset_id in incident["assets"]:
                grouped[asset_id].append(incident)
        return grouped

    @cached_property
    def assets_of(self) -> dict[str, list[Record]]:
        grouped: dict[str, list[Record]] = defaultdict(list)
        for asset in self.reg.assets.values():
            grouped[asset["owner"]].append(asset)
        return grouped

    def owned_on(self, day: date) -> dict[str, list[Record]]:
        """Assets by the member owning them at the end of `day` (transfers taken into account)."""
        grouped: dict[str, list[Record]] = defaultdict(list)
        for asset in self.reg.assets.values():
            grouped[owner_on(asset, day) if "transfers" in asset else asset["owner"]].append(asset)
        return grouped

    def state(self, asset: Record, day: date) -> tuple[str, date] | None:
        """The asset's status on `day` and since when, the incidents naming it included."""
        return state_on(asset, day, self.incidents_of.get(asset["id"], ()))


def is_open(incident: Record, day: date) -> bool:
    return incident["occurred"] <= day.isoformat() and incident_status_on(incident, day) not in CLOSED_STATUSES


def last_action(incident: Record, day: date) -> Record | None:
    """The last action on or before `day`."""
    iso = day.isoformat()
    done = [a for a in incident["actions"] if a["date"] <= iso]
    return done[-1] if done else None


def member_row(member: Record, assets: list[Record], day: date) -> dict[str, Any]:
    """A member with its restructuring status on `day` and the number and value of the assets it holds
    then (`assets`: those it owns on `day`)."""
    values = [value_on(a, day) for a in assets]
    held = [v for v in values if v is not None]
    status, since = restructuring_state(member, day)
    row = {**member, "assets": len(held), "value": sum(held, Decimal("0.00")), "restructuring": status}
    row["restructuring_status_since"] = since.isoformat() if since else None
    return row


def asset_row(reg: Registry, asset: Record, day: date, incidents: list[Record] | None = None) -> dict[str, Any]:
    """The asset as it stood at the end of `day`: owner, status (incidents naming it included) and value.
    `incidents`: those naming it, if the caller has them grouped; else they are looked up."""
    row = {k: v for k, v in asset.items() if k != "events"}
    if asset.get("transfers"):  # `seq` (the order entered) is the registry's own, as in the history
        row["transfers"] = [{k: v for k, v in t.items() if k != "seq"} for t in asset["transfers"]]
    row["owner"] = owner = owner_on(asset, day)
    member = reg.members.get(owner)
    row["owner_name"] = member["name"] if member else None
    if incidents is None:
        incidents = [i for i in reg.incidents.values() if asset["id"] in i["assets"]]
    state = state_on(asset, day, incidents)
    row["status"], row["status_since"] = (state[0], state[1].isoformat()) if state else (None, None)
    row["value"] = value_on(asset, day)
    return row


def lease_row(reg: Registry, lease: Record, day: date) -> dict[str, Any]:
    row = {k: v for k, v in lease.items() if k != "payments"}
    if lease["start"] <= day.isoformat():
        row["status"] = "active" if is_active_on(lease, day) else "ended"
    asset = reg.assets.get(lease["asset"])
    row["asset_name"] = asset["name"] if asset else None
    owed = arrears(lease, day)
    row["arrears"] = owed.amount if owed else Decimal("0.00")
    row["deposit_held"] = deposit_held(lease, day)
    return row


def incident_row(reg: Registry, incident: Record, day: date) -> dict[str, Any]:
    row = {k: v for k, v in incident.items() if k not in ("actions", "initial_status")}
    row["asset_names"] = [reg.assets[a]["name"] for a in incident["assets"] if a in reg.assets]
    row["status"] = incident_status_on(incident, day)
    row["age_days"] = incident_age(incident, day)
    row["last_action"] = last_action(incident, day)
    return row


def on_day(kind: str, record: Record, day: date) -> Record:
    """The record as it stood at the end of `day` (`show --as-of`): its dated entries after the day (value
    events, transfers, statuses, payments, write-offs, actions, restructuring steps) left out, and the dates
    of what had not happened yet (an end, a refund, a report, a finish) empty. Statuses, owners and figures
    on the day are worked out from what is left, as on any day."""
    iso = day.isoformat()

    def upto(key: str) -> list[Record]:
        return [e for e in record.get(key) or () if (e.get("date") or "") <= iso]

    out = dict(record)
    for key in ("events", "transfers", "status_history", "payments", "writeoffs", "actions", "restructuring_history"):
        if key in record:
            out[key] = upto(key)

    def later(key: str) -> bool:
        return bool(record.get(key)) and record[key] > iso

    if kind == "assets" and out.get("transfers") is not None and record.get("transfers"):
        out["owner"] = owner_on(record, day)
    if kind == "leases" and later("ended_on"):
        out.update(status="active", ended_on=None, end_note=None)
    if kind == "leases" and later("refunded_on"):
        out.update(refunded=None, refunded_on=None)
    if kind == "incidents" and later("reported"):
        out["reported"] = None
    if kind == "members":
        for key in ("restructuring_since", "restructuring_finished"):
            if later(key):
                out[key] = None
    return out


def is_stake(reg: Registry, asset: Record) -> bool:
    """Intra-federation equity: a stake in a member of this registry, whose assets are counted already."""
    return asset["category"] == "equity" and bool(asset.get("holds")) and asset["holds"] in reg.members


# What `list --search` looks in: a record's name, tenant, counterparty, location, title number and
# note (an incident's description), and the name of the asset a lease or an incident is about.
SEARCHED = ("name", "tenant", "counterparty", "location", "title_no", "note", "description", "asset_name")


def search(rows: list[dict[str, Any]], text: str | None) -> list[dict[str, Any]]:
    """The rows holding `text` in a searched field, case ignored; all of them when `text` is empty."""
    if not text:
        return rows
    needle = text.casefold()

    def found(row: dict[str, Any]) -> bool:
        texts = [row.get(key) for key in SEARCHED] + list(row.get("asset_names") or ())
        return any(needle in value.casefold() for value in texts if isinstance(value, str))

    return [row for row in rows if found(row)]


def _money(values: Any) -> Decimal:
    return sum((Decimal(v) for v in values if v is not None), Decimal("0.00"))


def list_totals(reg: Registry, kind: str, rows: list[dict[str, Any]], stakes: Decimal | None = None) -> dict[str, Any]:
    """The totals line under a list, over the listed rows. A figure covering several members leaves
    intra-federation equity out and names it (`intra_equity`); `stakes`: its value in a member list."""
    totals: dict[str, Any] = {"count": len(rows)}
    if kind == "members":
        several = len(rows) > 1
        left_out = stakes if several and stakes else Decimal("0.00")
        totals |= {"assets": sum(row["assets"] for row in rows), "value": _money(row["value"] for row in rows) - left_out}
        totals["intra_equity"] = left_out
    elif kind == "assets":
        several = len({row["owner"] for row in rows}) > 1
        left_out = _money(row["value"] for row in rows if several and is_stake(reg, row))
        totals["area"] = sum((Decimal(row["area"]) for row in rows if row.get("area")), Decimal(0))
        totals["value"] = _money(row["value"] for row in rows) - left_out
        totals["intra_equity"] = left_out
    elif kind == "leases":
        totals["rent_per_year"] = _money(Decimal(row["rent"]) * PERIODS_PER_YEAR[row["period"]] for row in rows)
        totals["arrears"] = _money(row["arrears"] for row in rows)
    return totals


def around(reg: Registry, asset_id: str) -> tuple[list[Record], list[Record]]:
    """The leases of an asset and the incidents naming it."""
    leases = [x for x in reg.leases.values() if x["asset"] == asset_id]
    return leases, [i for i in reg.incidents.values() if asset_id in i["assets"]]


def asset_detail(reg: Registry, asset: Record, day: date, leases: list[Record], incidents: list[Record]) -> dict[str, Any]:
    detail = asset_row(reg, asset, day, incidents)
    # `seq` (the order entered) is the registry's own: the history's order and numbers show it
    detail["history"] = [
        {"n": n, **{k: v for k, v in s.event.items() if k != "seq"}, "before": s.before, "after": s.after}
        for n, s in enumerate(steps(asset), start=1)
    ]
    detail["leases"] = [lease_row(reg, x, day) for x in leases]
    detail["incidents"] = [incident_row(reg, i, day) for i in incidents]
    detail["open_incidents"] = [i["id"] for i in incidents if is_open(i, day)]
    return detail


def incident_detail(reg: Registry, incident: Record, day: date) -> dict[str, Any]:
    detail = incident_row(reg, incident, day)
    detail["actions"] = incident["actions"]
    timeline: list[Record] = [{"date": incident["occurred"], "what": "occurred", "note": None, "status": None, "doc": None}]
    if incident.get("reported"):
        timeline.append({"date": incident["reported"], "what": "reported", "note": None, "status": None, "doc": None})
    timeline += [{**action, "what": "action"} for action in incident["actions"]]
    detail["timeline"] = timeline
    return detail


def lease_detail(reg: Registry, lease: Record, day: date) -> dict[str, Any]:
    detail = lease_row(reg, lease, day)
    detail["payments"] = lease["payments"]
    detail["writeoffs"] = lease.get("writeoffs") or []
    detail["unpaid"] = [{"due": u.due, "amount": u.amount} for u in unpaid_dues(lease, day)]
    return detail
