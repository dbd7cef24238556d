"""The five reports as plain data: sections of rows with named columns, and totals.

Every figure is an exact Decimal; rounding happens only when a renderer shows it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assetreg.core.choices import CATEGORIES, CLOSED_STATUSES, RESTRUCTURING
from assetreg.core.records import status_on
from assetreg.core.registry import Record, Registry
from assetreg.core.rent import PERIODS_PER_YEAR, arrears, collected_between, is_active_on, rent_due_between, unpaid_dues
from assetreg.core.settings import effective
from assetreg.core.values import Step, steps, value_on
from assetreg.core.views import is_open
from assetreg.i18n import N_

ZERO = Decimal("0.00")
BUCKETS = ("0-30", "31-90", "91-180", "180+")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # msgid
    kind: str = "text"  # text, label, money, area, int, percent, date, mark


@dataclass
class Section:
    name: str
    title: str  # msgid
    columns: list[Column]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None


@dataclass
class Report:
    name: str
    title: str  # msgid
    period: dict[str, str]
    sections: list[Section]
    notes: list[str] = field(default_factory=list)  # msgids

    def as_json(self) -> dict[str, Any]:
        main, *rest = self.sections
        data: dict[str, Any] = {"report": self.name, **self.period, "rows": main.rows}
        if main.total is not None:
            data["total"] = main.total
        for section in rest:
            data[section.name] = {"rows": section.rows, **({"total": section.total} if section.total else {})}
        return data


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _sum(rows: Iterable[dict[str, Any]], keys: Iterable[str]) -> dict[str, Any]:
    rows = list(rows)
    return {k: sum((r[k] for r in rows if r[k] is not None), ZERO) for k in keys}


def _owned(reg: Registry, member: str | None) -> list[Record]:
    return [a for a in reg.assets.values() if member is None or a["owner"] == member]


# -- value preservation ---------------------------------------------------------


def ratio(adjusted: Decimal, opening: Decimal) -> Decimal | None:
    if opening == 0:
        return None
    return (adjusted / opening * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


FACTORS = ("acquired", "revalued", "proceeds", "force_majeure", "depreciation")


def value_factors(history: list[Step], period: Period) -> dict[str, Decimal]:
    """One asset's contribution to each column of the preservation table."""
    opening = closing = ZERO
    out = dict.fromkeys(FACTORS, ZERO)
    before_start = period.start - timedelta(days=1)
    for step in history:
        if step.day <= before_start:
            opening = step.after or ZERO
        if step.day <= period.end:
            closing = step.after or ZERO
        if step.day not in period:
            continue
        if step.kind == "acquire":
            out["acquired"] += step.amount
        elif step.kind == "revalue":  # every basis: an estimate is not management's result
            out["revalued"] += step.change
        elif step.kind == "impair" and step.event.get("cause") == "disaster":
            out["force_majeure"] -= step.change
        elif step.kind == "impair" and step.event.get("cause") == "depreciation":
            out["depreciation"] -= step.change
        elif step.kind == "dispose":
            transfer = step.event.get("method") == "transfer_out"
            out["proceeds"] += (step.before or ZERO) if transfer else step.amount
    return {"opening": opening, "closing": closing, **out}


def _value_row(factors: Iterable[dict[str, Decimal]]) -> dict[str, Any]:
    row = _sum(factors, ("opening", "closing", *FACTORS))
    row["adjusted_closing"] = (
        row["closing"] - row["acquired"] - row["revalued"] + row["proceeds"] + row["force_majeure"] + row["depreciation"]
    )
    row["change"] = row["adjusted_closing"] - row["opening"]
    row["ratio"] = ratio(row["adjusted_closing"], row["opening"])
    row["below"] = row["ratio"] is not None and row["ratio"] < 100
    return row


VALUE_COLS = [
    Column("opening", N_("Opening V0"), "money"),
    Column("closing", N_("Closing V1"), "money"),
    Column("acquired", N_("Acquired A"), "money"),
    Column("revalued", N_("Revalued R"), "money"),
    Column("proceeds", N_("Proceeds P"), "money"),
    Column("force_majeure", N_("Force majeure F"), "money"),
    Column("depreciation", N_("Depreciation D"), "money"),
    Column("adjusted_closing", N_("Adjusted closing"), "money"),
    Column("change", N_("Change"), "money"),
    Column("ratio", N_("Ratio %"), "percent"),
    Column("below", N_("Below 100 %"), "mark"),
]
VALUE_NOTE = N_(
    "Ratio on an asset basis (资产口径): adjusted closing = V1 − A − R + P + F + D; ratio = adjusted closing ÷ V0 × "
    "100, half-up to two decimals; none when V0 is 0. A: every acquisition in the period; R: the net change of every "
    "revaluation; P: disposal proceeds (a free transfer out counts its value); F: disaster losses; D: depreciation. "
    "It is not the owners'-equity ratio of SASAC Order No. 9 (国资委令第9号): the registry records assets, not debts "
    "or owners' equity. Below 100 % (marked) means value not preserved (impaired)."
)


def value_report(reg: Registry, period: Period, *, member: str | None = None, by: str = "member") -> Report:
    per_asset = {a["id"]: value_factors(steps(a), period) for a in _owned(reg, member)}
    groups: dict[str, list[dict[str, Decimal]]] = defaultdict(list)
    for asset_id, factors in per_asset.items():
        asset = reg.assets[asset_id]
        groups[asset["owner"] if by == "member" else asset["category"]].append(factors)
    rows = []
    if by == "member":
        for member_id in sorted(groups):
            m = reg.members.get(member_id, {})
            rows.append({"member": member_id, "name": m.get("name", ""), **_value_row(groups[member_id])})
        head = [Column("member", N_("Member")), Column("name", N_("Name"))]
    else:
        for category in (c for c in CATEGORIES if c in groups):
            rows.append({"category": category, **_value_row(groups[category])})
        head = [Column("category", N_("Category"), "label")]
    total = _value_row(per_asset.values())
    section = Section("rows", N_("Value preservation and appreciation"), head + VALUE_COLS, rows, total)
    return Report("value", N_("Value preservation and appreciation (保值增值)"), period.as_dict(), [section], [VALUE_NOTE])


# -- register ---------------------------------------------------------------------


def register_report(reg: Registry, day: date, *, member: str | None = None) -> Report:
    rows = []
    for asset in sorted(_owned(reg, member), key=lambda a: (a["owner"], CATEGORIES.index(a["category"]), a["id"])):
        value = value_on(asset, day)
        if value is None:
            continue
        owner = reg.members.get(asset["owner"], {})
        rows.append(
            {
                "owner": asset["owner"],
                "owner_name": owner.get("name", ""),
                "category": asset["category"],
                "id": asset["id"],
                "name": asset["name"],
                "location": asset.get("location"),
                "area": Decimal(asset["area"]) if asset.get("area") else None,
                "status": asset["status"],
                "title_no": asset.get("title_no"),
                "value": value,
            }
        )
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["owner"], row["category"])].append(row)
    summary = [
        {
            "owner": owner,
            "owner_name": items[0]["owner_name"],
            "category": category,
            "count": len(items),
            **_sum(items, ("area", "value")),
        }
        for (owner, category), items in groups.items()
    ]
    total = {"count": len(rows), **_sum(rows, ("area", "value"))}
    detail_cols = [
        Column("owner", N_("Owner")),
        Column("owner_name", N_("Owner name")),
        Column("category", N_("Category"), "label"),
        Column("id", N_("Id")),
        Column("name", N_("Name")),
        Column("location", N_("Location")),
        Column("area", N_("Area m²"), "area"),
        Column("status", N_("Status"), "label"),
        Column("title_no", N_("Title no.")),
        Column("value", N_("Value"), "money"),
    ]
    group_cols = [
        Column("owner", N_("Owner")),
        Column("owner_name", N_("Owner name")),
        Column("category", N_("Category"), "label"),
        Column("count", N_("Assets"), "int"),
        Column("area", N_("Area m²"), "area"),
        Column("value", N_("Value"), "money"),
    ]
    return Report(
        "register",
        N_("Asset register (资产台账)"),
        {"as_of": day.isoformat()},
        [
            Section("rows", N_("Assets held"), detail_cols, rows, total),
            Section("groups", N_("By owner and category"), group_cols, summary, total),
        ],
    )


# -- rent roll ---------------------------------------------------------------------


def aging(lease: Record, day: date) -> dict[str, Decimal]:
    buckets = dict.fromkeys(BUCKETS, ZERO)
    for unpaid in unpaid_dues(lease, day):
        age = (day - unpaid.due).days
        key = "0-30" if age <= 30 else "31-90" if age <= 90 else "91-180" if age <= 180 else "180+"
        buckets[key] += unpaid.amount
    return buckets


def leases_report(reg: Registry, period: Period, *, member: str | None = None) -> Report:
    day = period.end
    owned = {a["id"] for a in _owned(reg, member)}
    rows = []
    for lease in sorted(reg.leases.values(), key=lambda x: x["id"]):
        if lease["asset"] not in owned or date.fromisoformat(lease["start"]) > day:
            continue
        buckets = aging(lease, day)
        arrears = sum(buckets.values(), ZERO)
        active = is_active_on(lease, day)
        if not active and not arrears:
            continue
        asset = reg.assets[lease["asset"]]
        rows.append(
            {
                "id": lease["id"],
                "asset": lease["asset"],
                "asset_name": asset["name"],
                "tenant": lease["tenant"],
                "start": lease["start"],
                "end": lease["end"],
                "status": "active" if active else "ended",
                "rent_per_year": Decimal(lease["rent"]) * PERIODS_PER_YEAR[lease["period"]],
                "collected": collected_between(lease, period.start, day),
                "arrears": arrears,
                "aging": buckets,
                **{f"aging_{k}": v for k, v in buckets.items()},
            }
        )
    total = _sum(rows, ("rent_per_year", "collected", "arrears", *(f"aging_{k}" for k in BUCKETS)))
    total["aging"] = {k: total[f"aging_{k}"] for k in BUCKETS}
    ahead = effective(reg.settings)["lease_expiring_days"]
    ending = [
        {
            "id": r["id"],
            "tenant": r["tenant"],
            "asset": r["asset"],
            "asset_name": r["asset_name"],
            "end": r["end"],
            "days_left": (date.fromisoformat(r["end"]) - day).days,
        }
        for r in rows
        if r["status"] == "active" and day <= date.fromisoformat(r["end"]) <= day + timedelta(days=ahead)
    ]
    idle = [
        {
            "id": a["id"],
            "name": a["name"],
            "owner": a["owner"],
            "category": a["category"],
            "area": Decimal(a["area"]) if a.get("area") else None,
            "idle_since": a["status_since"],
            "value": value_on(a, day),
        }
        for a in sorted(_owned(reg, member), key=lambda a: a["id"])
        if a["category"] in ("building", "land") and a["status"] == "idle" and value_on(a, day) is not None
    ]
    lease_cols = [
        Column("id", N_("Lease")),
        Column("asset", N_("Asset")),
        Column("asset_name", N_("Asset name")),
        Column("tenant", N_("Tenant")),
        Column("end", N_("End"), "date"),
        Column("status", N_("Status"), "label"),
        Column("rent_per_year", N_("Rent per year"), "money"),
        Column("collected", N_("Collected"), "money"),
        Column("arrears", N_("Arrears"), "money"),
        *(Column(f"aging_{k}", k, "money") for k in BUCKETS),
    ]
    return Report(
        "leases",
        N_("Rent roll (租金台账)"),
        {**period.as_dict(), "as_of": day.isoformat()},
        [
            Section("rows", N_("Leases"), lease_cols, rows, total),
            Section(
                "ending_soon",
                N_("Leases ending soon"),
                [
                    Column("id", N_("Lease")),
                    Column("tenant", N_("Tenant")),
                    Column("asset", N_("Asset")),
                    Column("asset_name", N_("Asset name")),
                    Column("end", N_("End"), "date"),
                    Column("days_left", N_("Days left"), "int"),
                ],
                ending,
            ),
            Section(
                "idle",
                N_("Idle buildings and land"),
                [
                    Column("id", N_("Asset")),
                    Column("name", N_("Name")),
                    Column("owner", N_("Owner")),
                    Column("category", N_("Category"), "label"),
                    Column("area", N_("Area m²"), "area"),
                    Column("idle_since", N_("Idle since"), "date"),
                    Column("value", N_("Value"), "money"),
                ],
                idle,
                _sum(idle, ("area", "value")),
            ),
        ],
        [
            N_(
                "Arrears are dues not settled by payments dated on or before the as-of day, oldest first; "
                "aged by due date. Collected counts payments from the start of the period to the as-of day."
            )
        ],
    )


# -- incidents --------------------------------------------------------------------------


def incidents_report(reg: Registry, period: Period, *, member: str | None = None) -> Report:
    day = period.end
    owned = {a["id"] for a in _owned(reg, member)}
    rows = []
    for incident in sorted(reg.incidents.values(), key=lambda i: (i["occurred"], i["id"])):
        if not owned.intersection(incident["assets"]) or incident["occurred"] > day.isoformat():
            continue
        acted = [a for a in incident["actions"] if a["date"] <= day.isoformat()]
        recent = date.fromisoformat(incident["occurred"]) in period or any(date.fromisoformat(a["date"]) in period for a in acted)
        if not (is_open(incident, day) or recent):
            continue
        assets = [reg.assets[a] for a in incident["assets"] if a in reg.assets]
        last = acted[-1] if acted else None
        rows.append(
            {
                "id": incident["id"],
                "kind": incident["kind"],
                "status": status_on(incident, day),
                "counterparty": incident.get("counterparty"),
                "occurred": incident["occurred"],
                "age_days": (day - date.fromisoformat(incident["occurred"])).days,
                "assets": "、".join(f"{a['id']} {a['name']}" for a in assets),
                "assets_value": sum((value_on(a, day) or ZERO for a in assets), ZERO),
                "estimated_loss": Decimal(incident["estimated_loss"]) if incident.get("estimated_loss") else None,
                "last_action": f"{last['date']} {last['note'] or ''}".strip() if last else None,
            }
        )
    total = _sum(rows, ("assets_value", "estimated_loss"))
    cols = [
        Column("id", N_("Incident")),
        Column("kind", N_("Kind"), "label"),
        Column("status", N_("Status"), "label"),
        Column("counterparty", N_("Counterparty")),
        Column("occurred", N_("Occurred"), "date"),
        Column("age_days", N_("Age (days)"), "int"),
        Column("assets", N_("Assets")),
        Column("assets_value", N_("Assets' value"), "money"),
        Column("estimated_loss", N_("Estimated loss"), "money"),
        Column("last_action", N_("Last action")),
    ]
    return Report(
        "incidents",
        N_("Incidents (侵权与损失事件)"),
        period.as_dict(),
        [Section("rows", N_("Open and recent incidents"), cols, rows, total)],
        [N_("Open incidents as of the end of the period, and those that occurred or had an action in it.")],
    )


# -- summary -----------------------------------------------------------------------------


def summary_report(reg: Registry, period: Period, *, member: str | None = None) -> Report:
    day = period.end
    held = [(a, value_on(a, day)) for a in _owned(reg, member)]
    by_category = []
    for category in CATEGORIES:
        items = [(a, v) for a, v in held if a["category"] == category and v is not None]
        if items:
            by_category.append(
                {
                    "category": category,
                    "count": len(items),
                    "area": sum((Decimal(a["area"]) for a, _ in items if a.get("area")), ZERO),
                    "value": sum((v for _, v in items), ZERO),
                }
            )
    value_total = value_report(reg, period, member=member).sections[0].total or {}
    owned = {a["id"] for a, _ in held}
    incidents = [i for i in reg.incidents.values() if owned.intersection(i["assets"])]
    opened = sum(date.fromisoformat(i["occurred"]) in period for i in incidents)
    resolved = sum(
        any(a.get("status") in CLOSED_STATUSES and date.fromisoformat(a["date"]) in period for a in i["actions"])
        for i in incidents
    )
    still_open = sum(is_open(i, day) for i in incidents)
    leases = [x for x in reg.leases.values() if x["asset"] in owned]
    rent = {
        "due": sum((rent_due_between(x, period.start, day) for x in leases), ZERO),
        "collected": sum((collected_between(x, period.start, day) for x in leases), ZERO),
        "arrears": sum((owed.amount for x in leases if (owed := arrears(x, day))), ZERO),
    }
    members = [m for m in reg.members.values() if member is None or m["id"] == member]
    counts = Counter(m["restructuring"] for m in members)
    restructuring = [{"status": s, "members": counts[s]} for s in RESTRUCTURING if counts[s]]
    return Report(
        "summary",
        N_("Annual summary (年度资产工作摘要)"),
        period.as_dict(),
        [
            Section(
                "assets",
                N_("Assets held at the end of the period"),
                [
                    Column("category", N_("Category"), "label"),
                    Column("count", N_("Assets"), "int"),
                    Column("area", N_("Area m²"), "area"),
                    Column("value", N_("Value"), "money"),
                ],
                by_category,
                {"count": sum(r["count"] for r in by_category), **_sum(by_category, ("area", "value"))},
            ),
            Section("value", N_("Value preservation"), VALUE_COLS[:-1], [value_total]),
            Section(
                "incidents",
                N_("Incidents"),
                [
                    Column("opened", N_("Opened in period"), "int"),
                    Column("resolved", N_("Resolved in period"), "int"),
                    Column("open", N_("Open at end"), "int"),
                ],
                [{"opened": opened, "resolved": resolved, "open": still_open}],
            ),
            Section(
                "rent",
                N_("Rent"),
                [
                    Column("due", N_("Due in period"), "money"),
                    Column("collected", N_("Collected in period"), "money"),
                    Column("arrears", N_("Arrears at end"), "money"),
                ],
                [rent],
            ),
            Section(
                "restructuring",
                N_("Members by restructuring status"),
                [Column("status", N_("Status"), "label"), Column("members", N_("Members"), "int")],
                restructuring,
                {"members": len(members)},
            ),
        ],
        [VALUE_NOTE],
    )
