"""Records with what a reader wants beside them: current value, arrears, age, related records."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from assetreg.core.choices import CLOSED_STATUSES
from assetreg.core.errors import InvalidValue
from assetreg.core.history import incident_age, incident_status_on, owner_on, restructuring_state, state_on
from assetreg.core.parse import fold
from assetreg.core.registry import Record, Registry
from assetreg.core.rent import PERIODS_PER_YEAR, arrears, deposit_held, is_active_on, rent_on, unpaid_dues
from assetreg.core.values import steps, value_on
from assetreg.i18n import N_


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
    if lease.get("rents"):  # the rent in force that day (its changes stay under `rents`)
        row["rent"] = str(rent_on(lease, day))
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
    began = {
        "assets": ("acquired", N_("{id} was acquired on {other}, after that day")),
        "incidents": ("occurred", N_("{id} occurred on {other}, after that day")),
    }.get(kind)
    if began and record[began[0]] > iso:  # not there yet: nothing of it to show
        raise InvalidValue("--as-of", iso, began[1], id=record["id"], other=record[began[0]])

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
    if kind == "leases" and record["start"] > iso:
        out["status"] = "signed"  # not started yet (as the rent roll says of one paid ahead)
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


def district(reg: Registry, text: str, field: str = "--district") -> str:
    """The district a filter names, as members record it (folded: ` 柳市片` is `柳市片`); one that no
    member is in is refused, naming those that hold the text (else all of them)."""
    wanted = fold(text)
    known = sorted({m["district"] for m in reg.members.values() if m.get("district")})
    for name in known:
        if fold(name) == wanted:
            return name
    like = [name for name in known if wanted and wanted in fold(name)]
    if like:
        raise InvalidValue(
            field, str(text).strip(), N_("no member is in this district; did you mean: {like}"), like=", ".join(like[:5])
        )
    raise InvalidValue(
        field, str(text).strip(), N_("no member is in this district; the districts are: {like}"), like=", ".join(known) or "—"
    )


# What `--sort` may name beside a row's own fields (a name for a lease is its tenant's).
SORT_ALIASES = {"name": ("name", "tenant", "counterparty"), "end": ("end",), "tenant": ("tenant",)}


def sort_rows(rows: list[dict[str, Any]], field: str, option: str = "--sort") -> list[dict[str, Any]]:
    """`rows` ordered by `field` (`-field`: descending), figures as numbers, text folded; a row without
    the field last either way. A field no row has is refused naming those it may be."""
    descending = field.startswith("-")
    wanted = field.lstrip("-+").strip().replace("-", "_").lower()
    keys = [k for k in SORT_ALIASES.get(wanted, (wanted,)) if any(k in row for row in rows)]
    if rows and not keys:
        fields = sorted({k for row in rows for k, v in row.items() if isinstance(v, str | int | Decimal) or v is None})
        raise InvalidValue(option, field, N_("not a field of these rows; one of: {choices}"), choices=", ".join(fields))

    def value(row: dict[str, Any]) -> Any:
        found = next((row[k] for k in keys if row.get(k) not in (None, "")), None)
        if isinstance(found, int | Decimal):
            return found
        if isinstance(found, str):
            try:
                return Decimal(found) if found.replace(".", "", 1).isdigit() else fold(found)
            except ArithmeticError:
                return fold(found)
        return found

    present = [row for row in rows if value(row) is not None]
    absent = [row for row in rows if value(row) is None]
    kinds = {type(value(row)) for row in present}
    key = value if len(kinds) <= 1 else (lambda row: str(value(row)))
    return sorted(present, key=key, reverse=descending) + absent


def search(rows: list[dict[str, Any]], text: str | None) -> list[dict[str, Any]]:
    """The rows holding `text` in a searched field, folded (case, full-width forms and spaces aside);
    all of them when `text` is empty."""
    if not text:
        return rows
    needle = fold(text)

    def found(row: dict[str, Any]) -> bool:
        texts = [row.get(key) for key in SEARCHED] + list(row.get("asset_names") or ())
        return any(needle in fold(value) for value in texts if isinstance(value, str))

    return [row for row in rows if found(row)]


def _money(values: Any) -> Decimal:
    return sum((Decimal(v) for v in values if v is not None), Decimal("0.00"))


GONE = {"assets": "disposed", "leases": "ended"}  # what a list's totals leave out unless listed on purpose


def list_totals(
    reg: Registry, kind: str, rows: list[dict[str, Any]], stakes: Decimal | None = None, *, on_purpose: bool = False
) -> dict[str, Any]:
    """The totals line under a list, over the listed rows that are held: a disposed asset or an ended lease
    only when listed on purpose (`on_purpose`: `--status disposed`, `--status ended`). A figure covering
    several members leaves intra-federation equity out and names it (`intra_equity`); `stakes`: its value
    in a member list."""
    if kind in GONE and not on_purpose:
        rows = [row for row in rows if row.get("status") != GONE[kind]]
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
