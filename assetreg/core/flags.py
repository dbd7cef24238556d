"""Risk flags: each rule is a small pure function of the registry and a day.

`RULES` is the list of rules; `evaluate` runs them all in one pass over the
records (value steps computed once per asset, leases and incidents grouped
by asset once).
"""

from __future__ import annotations

import functools
import operator
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from assetreg.core.choices import LABELS, SEVERITIES
from assetreg.core.history import COMPLETED, incident_status_on, own_status_on, owner_on, restructuring_state, state_on
from assetreg.core.registry import Record, Registry
from assetreg.core.rent import add_months, arrears
from assetreg.core.settings import effective
from assetreg.core.values import Step, steps, value_on
from assetreg.core.views import Index, is_open
from assetreg.i18n import N_

ENCROACHING = ("encroachment", "occupation", "damage", "illegal_transfer")
DISPUTES = ("land_dispute", "other")
NOT_MANAGEMENT = ("disaster", "depreciation")  # impairment causes management does not answer for
# Each code's name (msgids): the code in plain words; Chinese from the catalogue (PRODUCT.md, Flags).
LABELS_OF_CODES: dict[str, str] = {
    "ENCROACHMENT_OPEN": N_("Open encroachment"),
    "ENCROACHMENT_STALE": N_("Stale encroachment"),
    "ASSET_DAMAGED_UNREPORTED": N_("Damage unreported"),
    "LEASE_EXPIRED_ACTIVE": N_("Expired lease still active"),
    "LEASE_EXPIRING": N_("Lease expiring"),
    "RENT_ARREARS": N_("Rent arrears"),
    "VALUE_DROP": N_("Value drop"),
    "DISPOSAL_BELOW_VALUE": N_("Disposal below value"),
    "DISPOSAL_UNDOCUMENTED": N_("Disposal undocumented"),
    "VALUE_CHANGE_UNDOCUMENTED": N_("Value change undocumented"),
    "VALUATION_STALE": N_("Valuation stale"),
    "IDLE_ASSET": N_("Idle asset"),
    "NO_TITLE": N_("No title certificate"),
    "RESTRUCTURING_STALLED": N_("Restructuring stalled"),
    "DISPUTE_OPEN": N_("Open dispute"),
    "LEASE_TERM_LONG": N_("Lease term long"),
    "RESTRUCTURED_HOLDING": N_("Restructured, holdings unsettled"),
    "CLEARANCE_DUE": N_("Clearance due"),
    "SHORTFALL_UNRESOLVED": N_("Shortfall unresolved"),
}
LAND_OR_BUILDING = ("building", "land")
RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
ZERO = Decimal("0.00")


@dataclass(slots=True)
class Flag:
    code: str
    severity: str
    record_type: str
    record_id: str
    name: str
    since: date
    message: str  # a msgid with {placeholders}
    values: tuple[Any, ...] = ()  # the placeholders' values in their order (a tuple: a province has 10^5 flags)
    owners: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return RANK[self.severity]

    def text(self, translate: Callable[[str], str] = lambda s: s) -> str:
        return _formatter(self.message, translate)(self.values)

    def label(self, translate: Callable[[str], str] = lambda s: s) -> str:
        return translate(LABELS_OF_CODES[self.code])

    def as_json(self, translate: Callable[[str], str] = lambda s: s) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label(translate),
            "severity": self.severity,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "name": self.name,
            "message": self.text(translate),
            "since": self.since.isoformat(),
            "owners": list(self.owners),
        }


@functools.cache
def placeholders(message: str) -> tuple[str, ...]:
    """The names of a message's {placeholders}, each once, in order."""
    return tuple(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(message) if name))


@functools.cache
def _positional(template: str, names: tuple[str, ...]) -> str:
    """`template` with each {name} numbered by its place in `names`, for `str.format(*values)`."""
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        parts.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            parts.append(
                "{" + str(names.index(name)) + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            )
    return "".join(parts)


def _formatter(message: str, translate: Callable[[str], str]) -> Callable[[tuple[Any, ...]], str]:
    """What turns a flag's values into its message in the reader's language."""
    names = placeholders(message)
    template = _positional(translate(message), names).format
    if "_label}" not in message:
        return lambda values: template(*values)
    labelled = [n.endswith("_label") for n in names]  # stored values shown in the reader's language
    return lambda values: template(*(translate(LABELS.get(v, v)) if lab else v for lab, v in zip(labelled, values, strict=True)))


def texts(flags: Iterable[Flag], translate: Callable[[str], str] = lambda s: s) -> list[str]:
    """Each flag's message, each kind of message prepared once (a province has 10^5 flags)."""
    formatters: dict[str, Callable[[tuple[Any, ...]], str]] = {}
    result = []
    for flag in flags:
        formatter = formatters.get(flag.message)
        if formatter is None:
            formatter = formatters[flag.message] = _formatter(flag.message, translate)
        result.append(formatter(flag.values))
    return result


def _values(message: str, params: dict[str, Any]) -> tuple[Any, ...]:
    """Named values as a flag keeps them: a tuple in the order of the message's placeholders."""
    return tuple(map(params.__getitem__, placeholders(message)))


class _Shared(dict[str, tuple[str]]):
    """One owner tuple per member, shared by all its flags (a province has 10^5 flags)."""

    def __missing__(self, member_id: str) -> tuple[str]:
        shared = self[member_id] = (member_id,)
        return shared


class Facts:
    """The registry as the rules see it on one day; everything derived once."""

    def __init__(self, reg: Registry, day: date) -> None:
        self.reg = reg
        self.day = day
        self.iso = day.isoformat()
        self.settings = effective(reg.settings)
        self.index = Index(reg)
        self._owners = _Shared()

    @cached_property
    def acquired(self) -> dict[str, Record]:
        """The assets acquired on or before the day."""
        return {aid: a for aid, a in self.reg.assets.items() if a["acquired"] <= self.iso}

    @cached_property
    def gone(self) -> set[str]:
        """The assets disposed of on or before the day (an asset's first event is its acquisition)."""
        return {
            aid
            for aid, a in self.acquired.items()
            if len(a["events"]) > 1 and any(e["kind"] == "dispose" and e["date"] <= self.iso for e in a["events"])
        }

    @cached_property
    def changes(self) -> tuple[list[tuple[Record, Step]], list[tuple[Record, Step]]]:
        """One pass over the value steps up to the day of the assets whose value changed after their
        acquisition: the revalue and impair events that moved the value, up or down, by more than the
        threshold (from nothing to something counts); and the disposals."""
        limit = Decimal(self.settings["value_drop_percent"])
        moves, disposals = [], []
        for asset in self.acquired.values():
            if len(asset["events"]) < 2:
                continue
            history = steps(asset)
            while history and history[-1].day > self.day:  # steps are in date order
                history.pop()
            for step in history:
                if step.kind in ("revalue", "impair") and step.after is not None:
                    before = step.before or ZERO
                    if abs(step.after - before) * 100 > limit * before:  # exact: 10.0001 % is more than 10 %
                        moves.append((asset, step))
            if history and history[-1].kind == "dispose":
                disposals.append((asset, history[-1]))
        return moves, disposals

    @cached_property
    def held_by(self) -> dict[str, list[Record]]:
        """The assets each member holds at the end of the day."""
        grouped: dict[str, list[Record]] = {}
        for asset_id, asset in self.acquired.items():
            if asset_id not in self.gone:
                grouped.setdefault(owner_on(asset, self.day), []).append(asset)
        return grouped

    def held(self, asset_id: str) -> bool:
        return asset_id in self.acquired and asset_id not in self.gone

    def owner(self, asset: Record) -> str:
        """The member owning the asset at the end of the day."""
        return owner_on(asset, self.day) if "transfers" in asset else str(asset["owner"])

    def owners_of_lease(self, lease: Record) -> tuple[str, ...]:
        asset = self.reg.assets.get(lease["asset"])
        return self._owners[self.owner(asset)] if asset else ()

    def asset_flag(self, code: str, severity: str, asset: Record, since: date, message: str, *values: Any) -> Flag:
        """`values` fill the message's placeholders, in their order."""
        owners = self._owners[self.owner(asset)]
        return Flag(code, severity, "asset", asset["id"], asset["name"], since, message, values, owners, (asset["id"],))

    def incidents(self, kinds: tuple[str, ...] = ENCROACHING) -> Iterator[Record]:
        for incident in self.reg.incidents.values():
            if incident["kind"] in kinds and is_open(incident, self.day):
                yield incident

    def incident_flag(
        self, code: str, incident: Record, since: date, message: str, severity: str = "high", **params: Any
    ) -> Flag:
        assets = [self.reg.assets[a] for a in incident["assets"] if a in self.reg.assets]
        name = assets[0]["name"] + (f" (+{len(assets) - 1})" if len(assets) > 1 else "") if assets else ""
        return Flag(
            code,
            severity,
            "incident",
            incident["id"],
            name,
            since,
            message,
            _values(message, {"kind_label": incident["kind"], "counterparty": incident["counterparty"] or "?", **params}),
            tuple(dict.fromkeys(self.owner(a) for a in assets)),
            tuple(incident["assets"]),
        )


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def encroachment_open(f: Facts) -> list[Flag]:
    return [
        f.incident_flag(
            "ENCROACHMENT_OPEN",
            i,
            date.fromisoformat(i["occurred"]),
            N_("{kind_label} by {counterparty}, open for {days} days"),
            days=(f.day - date.fromisoformat(i["occurred"])).days,
        )
        for i in f.incidents()
    ]


def dispute_open(f: Facts) -> list[Flag]:
    result = []
    for i in f.incidents(DISPUTES):
        occurred = date.fromisoformat(i["occurred"])
        result.append(
            f.incident_flag(
                "DISPUTE_OPEN",
                i,
                occurred,
                N_("{kind_label} with {counterparty}, {status_label}, open for {days} days"),
                "medium",
                status_label=incident_status_on(i, f.day),
                days=(f.day - occurred).days,
            )
        )
    return result


def encroachment_stale(f: Facts) -> list[Flag]:
    limit = f.settings["stale_action_days"]
    result = []
    for i in f.incidents():
        known = [i["occurred"], i.get("reported") or "", *(a["date"] for a in i["actions"])]
        last = date.fromisoformat(max(d for d in known if d and d <= f.iso))
        days = (f.day - last).days
        if days >= limit:
            result.append(
                f.incident_flag(
                    "ENCROACHMENT_STALE",
                    i,
                    last + timedelta(days=limit),
                    N_("no action for {days} days (last on {last})"),
                    days=days,
                    last=last.isoformat(),
                )
            )
    return result


def asset_damaged_unreported(f: Facts) -> list[Flag]:
    result = []
    for asset in f.reg.assets.values():
        if asset["status"] not in ("damaged", "occupied") and "status_history" in asset:
            own = None  # never damaged or occupied now; whether it was on a past day is asked below
            if any(e["status"] in ("damaged", "occupied") for e in asset["status_history"]):
                own = own_status_on(asset, f.day)
        else:
            own = own_status_on(asset, f.day)
        if own is None or own[0] not in ("damaged", "occupied") or not f.held(asset["id"]):
            continue
        if not any(is_open(i, f.day) for i in f.index.incidents_of.get(asset["id"], [])):
            result.append(
                f.asset_flag(
                    "ASSET_DAMAGED_UNREPORTED",
                    "medium",
                    asset,
                    own[1],
                    N_("{status_label} with no open incident naming it"),
                    own[0],
                )
            )
    return result


def _running_leases(f: Facts) -> Iterator[Record]:
    for lease in f.reg.leases.values():
        ended = lease.get("ended_on")
        if lease["start"] <= f.iso and not (ended and ended <= f.iso):
            yield lease


def _lease_flag(f: Facts, code: str, severity: str, lease: Record, since: date, message: str, *values: Any) -> Flag:
    """`values` fill the message's placeholders, in their order."""
    return Flag(
        code,
        severity,
        "lease",
        lease["id"],
        lease["tenant"],
        since,
        message,
        values,
        f.owners_of_lease(lease),
        (lease["asset"],),
    )


def lease_expired_active(f: Facts) -> list[Flag]:
    return [
        _lease_flag(
            f,
            "LEASE_EXPIRED_ACTIVE",
            "high",
            x,
            date.fromisoformat(x["end"]) + timedelta(days=1),
            N_("still active {days} days after it ended on {end}"),
            (f.day - date.fromisoformat(x["end"])).days,
            x["end"],
        )
        for x in _running_leases(f)
        if x["end"] < f.iso
    ]


def lease_expiring(f: Facts) -> list[Flag]:
    ahead = f.settings["lease_expiring_days"]
    result = []
    for x in _running_leases(f):
        end = date.fromisoformat(x["end"])
        if f.day <= end <= f.day + timedelta(days=ahead):
            since = max(end - timedelta(days=ahead), date.fromisoformat(x["start"]))
            result.append(
                _lease_flag(
                    f,
                    "LEASE_EXPIRING",
                    "low",
                    x,
                    since,
                    N_("ends on {end}, in {days} days"),
                    x["end"],
                    (end - f.day).days,
                )
            )
    return result


def lease_term_long(f: Facts) -> list[Flag]:
    """A lease runs longer than N years when its end is later than the day before its start's Nth
    anniversary (2000-01-01 to 2004-12-31 is five years exactly)."""
    months = 12 * f.settings["lease_long_years"]
    result = []
    for x in _running_leases(f):
        if x.get("doc"):
            continue
        start = date.fromisoformat(x["start"])
        if x["end"] >= add_months(start, months).isoformat():
            result.append(
                _lease_flag(
                    f,
                    "LEASE_TERM_LONG",
                    "low",
                    x,
                    start,
                    N_("runs from {start} to {end}, longer than {years} years, and cites no document"),
                    x["start"],
                    x["end"],
                    f.settings["lease_long_years"],
                )
            )
    return result


def rent_arrears(f: Facts) -> list[Flag]:
    high_after = f.settings["arrears_high_days"]
    result = []
    for lease in f.reg.leases.values():
        owed = arrears(lease, f.day)
        if owed:
            age = (f.day - owed.due).days
            result.append(
                _lease_flag(
                    f,
                    "RENT_ARREARS",
                    "high" if age > high_after else "medium",
                    lease,
                    owed.due,
                    N_("arrears of {amount:,.2f} yuan; oldest unpaid due is {days} days old"),
                    owed.amount,
                    age,
                )
            )
    return result


def value_drop(f: Facts) -> list[Flag]:
    return [
        f.asset_flag(
            "VALUE_DROP",
            "medium",
            asset,
            step.day,
            N_("value fell {percent}% on {day}, from {before:,.2f} to {after:,.2f}"),
            _percent(step.before - step.after, step.before),
            step.day.isoformat(),
            step.before,
            step.after,
        )
        for asset, step in f.changes[0]
        if step.before and step.after is not None and step.after < step.before and step.event.get("cause") not in NOT_MANAGEMENT
    ]


def value_change_undocumented(f: Facts) -> list[Flag]:
    return [
        f.asset_flag(
            "VALUE_CHANGE_UNDOCUMENTED",
            "medium",
            asset,
            step.day,
            N_("{event_label} on {day} changed the value from {before:,.2f} to {after:,.2f} and cites no document"),
            step.kind,
            step.day.isoformat(),
            step.before or ZERO,
            step.after,
        )
        for asset, step in f.changes[0]
        if not step.event.get("doc") and step.event.get("cause") not in NOT_MANAGEMENT
    ]


def disposal_below_value(f: Facts) -> list[Flag]:
    return [
        f.asset_flag(
            "DISPOSAL_BELOW_VALUE",
            "high",
            asset,
            step.day,
            N_("disposed of by {method_label} on {day} for {proceeds:,.2f}, below its value {before:,.2f}"),
            step.event["method"],
            step.day.isoformat(),
            step.amount,
            step.before,
        )
        for asset, step in f.changes[1]
        if step.event["method"] != "transfer_out" and step.before is not None and step.amount < step.before
    ]


def disposal_undocumented(f: Facts) -> list[Flag]:
    return [
        f.asset_flag(
            "DISPOSAL_UNDOCUMENTED",
            "medium",
            asset,
            step.day,
            N_("disposed of by {method_label} on {day}; cites no document"),
            step.event["method"],
            step.day.isoformat(),
        )
        for asset, step in f.changes[1]
        if not step.event.get("doc")
    ]


def valuation_stale(f: Facts) -> list[Flag]:
    months = 12 * f.settings["valuation_stale_years"]
    result = []
    gone = f.gone
    stale_from_of: dict[str, date] = {}  # assets share last dates: each worked out once
    for asset_id, asset in f.acquired.items():
        if asset_id in gone:
            continue
        events = asset["events"]
        last = events[0]["date"] if len(events) == 1 else max(e["date"] for e in events if e["date"] <= f.iso)
        stale_from = stale_from_of.get(last)
        if stale_from is None:
            stale_from = stale_from_of[last] = add_months(date.fromisoformat(last), months)
        if stale_from <= f.day:
            result.append(f.asset_flag("VALUATION_STALE", "low", asset, stale_from, N_("no value event since {last}"), last))
    return result


def idle_asset(f: Facts) -> list[Flag]:
    """Counted from the day the asset became idle, as its dated statuses and incidents give it on the day."""
    years = f.settings["idle_years"]
    result = []
    for asset in f.reg.assets.values():
        if asset["category"] not in LAND_OR_BUILDING or not _ever_idle(asset) or not f.held(asset["id"]):
            continue
        state = state_on(asset, f.day, f.index.incidents_of.get(asset["id"], ()))
        if state is not None and state[0] == "idle":
            idle_from = state[1]
            since = add_months(idle_from, 12 * years)
            if since <= f.day:
                result.append(f.asset_flag("IDLE_ASSET", "low", asset, since, N_("idle since {start}"), idle_from.isoformat()))
    return result


def _ever_idle(asset: Record) -> bool:
    history = asset.get("status_history")
    return asset["status"] == "idle" or bool(history and any(e["status"] == "idle" for e in history))


def no_title(f: Facts) -> list[Flag]:
    return [
        f.asset_flag("NO_TITLE", "medium", a, date.fromisoformat(a["acquired"]), N_("no title certificate number"))
        for a in f.reg.assets.values()
        if a["category"] in LAND_OR_BUILDING and not a.get("title_no") and f.held(a["id"])
    ]


def restructuring_stalled(f: Facts) -> list[Flag]:
    """Counted from the day the member's status on the day began (PRODUCT.md: the current status)."""
    years = f.settings["restructuring_stalled_years"]
    result = []
    for m in f.reg.members.values():
        status, started = restructuring_state(m, f.day)
        if status in ("preparing", "in_progress") and started is not None:
            since = add_months(started, 12 * years)
            if since <= f.day:
                result.append(
                    Flag(
                        "RESTRUCTURING_STALLED",
                        "medium",
                        "member",
                        m["id"],
                        m["name"],
                        since,
                        N_("{status_label} since {start}"),
                        (status, started.isoformat()),
                        (m["id"],),
                    )
                )
    return result


HOLDS_ONE = N_("{status_label} since {start} and still holds {count} asset worth {value:,.2f}")
HOLDS_MANY = N_("{status_label} since {start} and still holds {count} assets worth {value:,.2f}")


def restructured_holding(f: Facts) -> list[Flag]:
    days = f.settings["restructured_holding_days"]
    result = []
    for m in f.reg.members.values():
        if m["kind"] != "enterprise":
            continue
        status, finished = restructuring_state(m, f.day)
        if status not in COMPLETED or finished is None or finished + timedelta(days=days) > f.day:
            continue
        held = f.held_by.get(m["id"])
        if held:
            value = sum((value_on(a, f.day) or ZERO for a in held), ZERO)
            result.append(
                Flag(
                    "RESTRUCTURED_HOLDING",
                    "medium",
                    "member",
                    m["id"],
                    m["name"],
                    finished + timedelta(days=days),
                    HOLDS_ONE if len(held) == 1 else HOLDS_MANY,
                    (status, finished.isoformat(), len(held), value),
                    f._owners[m["id"]],  # a member's flag: not repeated on each of its assets
                )
            )
    return result


def due_year_end(day: date, due: str) -> tuple[date, date] | None:
    """The latest 31 December whose clearance due day (`due`, MM-DD of the next year) has passed by
    `day`, and the day after that due day (when the flag holds from)."""
    month, dom = (int(part) for part in due.split("-"))
    for year in (day.year - 1, day.year - 2):
        if date(year + 1, month, dom) < day:
            return date(year, 12, 31), date(year + 1, month, dom) + timedelta(days=1)
    return None


def clearance_due(f: Facts) -> list[Flag]:
    """Each member that held assets at the end of the year-end day whose clearance is due, unless every
    one of them was checked in a clearance with that as-of day closed on or before the flag's day."""
    found = due_year_end(f.day, f.settings["clearance_due"])
    if found is None:
        return []
    year_end, since = found
    iso = year_end.isoformat()
    counted: set[str] = set()
    closed = [
        c for c in f.reg.tables["clearances"].values() if c["as_of"] == iso and c["status"] == "closed" and c["closed"] <= f.iso
    ]
    counted.update(s["asset"] for c in closed for s in c["surplus"] if s.get("asset"))  # found there, entered by the close
    if closed:
        prefixes = tuple(c["id"] + "/" for c in closed)
        for key, entry in f.reg.tables["findings"].items():
            if key.startswith(prefixes) and entry["finding"] is not None:
                counted.add(entry["asset"])
    held: dict[str, int] = {}
    for asset in f.reg.assets.values():
        if asset["acquired"] > iso or asset["id"] in counted:
            continue
        events = asset["events"]  # held unless disposed of by then (most assets have one or two events)
        if len(events) > 1 and any(e["kind"] == "dispose" and e["date"] <= iso for e in events):
            continue
        owner = owner_on(asset, year_end) if "transfers" in asset else asset["owner"]
        held[owner] = held.get(owner, 0) + 1
    result = []
    for member_id, count in sorted(held.items()):
        member = f.reg.members.get(member_id, {"name": ""})
        message = N_("assets held on {day} and not counted in a clearance closed by its due day: {count}")
        result.append(
            Flag(
                "CLEARANCE_DUE", "medium", "member", member_id, member["name"], since, message, (iso, count), f._owners[member_id]
            )
        )
    return result


def shortfall_unresolved(f: Facts) -> list[Flag]:
    """An asset `missing` (盘亏) for `shortfall_days`, counted from the as-of day that made it missing,
    with no disposal and no open incident naming it."""
    days = f.settings["shortfall_days"]
    result = []
    for asset in f.reg.assets.values():
        history = asset.get("status_history")
        if asset["status"] != "missing" and not (history and len(history) > 1 and any(e["status"] == "missing" for e in history)):
            continue
        if not f.held(asset["id"]):
            continue
        incidents = f.index.incidents_of.get(asset["id"], ())
        if any(is_open(i, f.day) for i in incidents):
            continue
        own = own_status_on(asset, f.day)
        if own is None or own[0] != "missing" or own[1] + timedelta(days=days) > f.day:
            continue
        since = own[1] + timedelta(days=days)
        message = N_("missing since {start} ({days} days), neither disposed of nor under an open incident")
        result.append(
            f.asset_flag("SHORTFALL_UNRESOLVED", "high", asset, since, message, own[1].isoformat(), (f.day - own[1]).days)
        )
    return result


RULES: list[Callable[[Facts], list[Flag]]] = [
    encroachment_open,
    encroachment_stale,
    dispute_open,
    asset_damaged_unreported,
    lease_expired_active,
    lease_expiring,
    lease_term_long,
    rent_arrears,
    value_drop,
    value_change_undocumented,
    disposal_below_value,
    disposal_undocumented,
    valuation_stale,
    idle_asset,
    no_title,
    restructuring_stalled,
    restructured_holding,
    clearance_due,
    shortfall_unresolved,
]


def evaluate_asset(reg: Registry, asset_id: str, day: date, leases: list[Record], incidents: list[Record]) -> list[Flag]:
    """The flags concerning one asset, evaluated on just the records around it (its leases, its incidents)."""
    asset = reg.get("assets", asset_id)
    named = {a for i in incidents for a in i["assets"]} | {asset_id}
    owner = asset["owner"]
    nearby = Registry(
        {
            "members": {owner: reg.members[owner]} if owner in reg.members else {},
            "assets": {a: found for a in named if (found := reg.find("assets", a))},
            "leases": {x["id"]: x for x in leases},
            "incidents": {i["id"]: i for i in incidents},
            "settings": reg.tables["settings"],
        }
    )
    return [f for f in evaluate(nearby, day) if asset_id in f.assets]


def evaluate(reg: Registry, day: date, *, member: str | None = None, min_severity: str = "low") -> list[Flag]:
    """Every rule's flags, most severe first, then by code, record and since."""
    facts = Facts(reg, day)
    floor = RANK[min_severity]
    groups: dict[tuple[str, str], list[Flag]] = {}
    for rule in RULES:
        for flag in rule(facts):
            if RANK[flag.severity] >= floor and (member is None or member in flag.owners):
                group = groups.get(key := (flag.severity, flag.code))
                if group is None:
                    group = groups[key] = []
                group.append(flag)
    by_record = operator.attrgetter("record_id", "since")  # each group comes nearly in order: cheap to sort
    order = sorted(groups, key=lambda key: (-RANK[key[0]], key[1]))
    return [flag for key in order for flag in sorted(groups[key], key=by_record)]
