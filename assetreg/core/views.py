"""Records with what a reader wants beside them: current value, arrears, age, related records."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from assetreg.core.choices import CLOSED_STATUSES
from assetreg.core.records import status_on
from assetreg.core.registry import Record, Registry
from assetreg.core.rent import arrears, unpaid_dues
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


def is_open(incident: Record, day: date) -> bool:
    return incident["occurred"] <= day.isoformat() and status_on(incident, day) not in CLOSED_STATUSES


def last_action(incident: Record) -> Record | None:
    return incident["actions"][-1] if incident["actions"] else None


def member_row(member: Record, assets: list[Record], day: date) -> dict[str, Any]:
    """A member with the number and value of the assets it holds on `day`."""
    values = [value_on(a, day) for a in assets]
    held = [v for v in values if v is not None]
    return {**member, "assets": len(held), "value": sum(held, Decimal("0.00"))}


def asset_row(reg: Registry, asset: Record, day: date) -> dict[str, Any]:
    row = {k: v for k, v in asset.items() if k != "events"}
    owner = reg.members.get(asset["owner"])
    row["owner_name"] = owner["name"] if owner else None
    row["value"] = value_on(asset, day)
    return row


def lease_row(reg: Registry, lease: Record, day: date) -> dict[str, Any]:
    row = {k: v for k, v in lease.items() if k != "payments"}
    asset = reg.assets.get(lease["asset"])
    row["asset_name"] = asset["name"] if asset else None
    owed = arrears(lease, day)
    row["arrears"] = owed.amount if owed else Decimal("0.00")
    return row


def incident_row(reg: Registry, incident: Record, day: date) -> dict[str, Any]:
    row = {k: v for k, v in incident.items() if k not in ("actions", "initial_status")}
    row["asset_names"] = [reg.assets[a]["name"] for a in incident["assets"] if a in reg.assets]
    row["age_days"] = (day - date.fromisoformat(incident["occurred"])).days
    row["last_action"] = last_action(incident)
    return row


def around(reg: Registry, asset_id: str) -> tuple[list[Record], list[Record]]:
    """The leases of an asset and the incidents naming it."""
    leases = [x for x in reg.leases.values() if x["asset"] == asset_id]
    return leases, [i for i in reg.incidents.values() if asset_id in i["assets"]]


def asset_detail(reg: Registry, asset: Record, day: date, leases: list[Record], incidents: list[Record]) -> dict[str, Any]:
    detail = asset_row(reg, asset, day)
    detail["history"] = [{**s.event, "before": s.before, "after": s.after} for s in steps(asset)]
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
    detail["unpaid"] = [{"due": u.due, "amount": u.amount} for u in unpaid_dues(lease, day)]
    return detail
