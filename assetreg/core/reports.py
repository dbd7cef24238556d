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
from assetreg.core.history import completed_on, incident_age, incident_status_on, owner_on, restructuring_on, state_on
from assetreg.core.registry import Record, Registry
from assetreg.core.rent import (
    PERIODS_PER_YEAR,
    arrears,
    collected_between,
    deposit_held,
    is_active_on,
    rent_due_between,
    rent_on,
    unpaid_dues,
    written_off_between,
)
from assetreg.core.settings import effective
from assetreg.core.values import Step, comes_before, steps, value_on
from assetreg.core.views import Index, is_open, is_stake
from assetreg.i18n import N_

ZERO = Decimal("0.00")
BUCKETS = ("0-30", "31-90", "91-180", "180+")
# Headings say "days": a bare "180+" is read as the number 180 by a spreadsheet.
AGING_LABELS = {"0-30": N_("0-30 days"), "31-90": N_("31-90 days"), "91-180": N_("91-180 days"), "180+": N_("180+ days")}


LEFT_OUT_TITLE = N_("Left out of the total: intra-federation equity")
LEFT_OUT_LABEL = N_("Intra-federation equity")
INTERNAL_LABEL = N_("Transfers between members")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # msgid
    kind: str = "text"  # text, label, money, area, int, percent, date, mark
    # a figure marked ▼ (below 100 %) when the row's value under this key is true or lists the column's key
    mark_by: str = ""


@dataclass
class Section:
    name: str
    title: str  # msgid
    columns: list[Column]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    # what the total leaves out (intra-federation equity), shown under it; JSON `intra_equity`
    left_out: dict[str, Any] | None = None
    # transfers between members the total leaves out (value table), shown under it; JSON `internal_transfers`
    internal: dict[str, Any] | None = None
    # JSON only: keys of each row gathered under one key (the trend's years), so renderers see flat rows
    nest: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # JSON only: more keys of the section
    in_json: bool = True  # False: shown to people only (its figures are in another section's `extra`)

    def json_row(self, row: dict[str, Any]) -> dict[str, Any]:
        if not self.nest:
            return row
        inner = {k for keys in self.nest.values() for k in keys}
        out = {k: v for k, v in row.items() if k not in inner}
        for name, keys in self.nest.items():  # `book_count` is `count` inside `book`
            out[name] = {k.removeprefix(name + "_"): row.get(k) for k in keys}
        return out

    def left_out_section(self) -> Section | None:
        """What the total left out, as a one-row table to show under it; None when nothing was."""
        row = self.left_out
        if not row or not any(v for k, v in row.items() if k != "below"):
            return None
        first = self.columns[0].key
        return Section(self.name + "_left_out", LEFT_OUT_TITLE, self.columns, [{**row, first: LEFT_OUT_LABEL}])

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rows": [self.json_row(r) for r in self.rows]}
        if self.total is not None:
            data["total"] = self.json_row(self.total)
        if self.left_out is not None:
            data["intra_equity"] = self.json_row(self.left_out)
        if self.internal is not None:
            data["internal_transfers"] = self.json_row(self.internal)
        return {**data, **self.extra}


@dataclass
class Report:
    name: str
    title: str  # msgid
    period: dict[str, str]
    sections: list[Section]
    notes: list[str] = field(default_factory=list)  # msgids

    def as_json(self) -> dict[str, Any]:
        main, *rest = self.sections
        data: dict[str, Any] = {"report": self.name, **self.period, **main.as_json()}
        for section in rest:
            if section.in_json:
                data[section.name] = section.as_json()
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


def _owned(reg: Registry, member: str | None, day: date | None = None) -> list[Record]:
    """The assets of `member` (all when None): owned at the end of `day` if given, else owned now."""
    if member is None:
        return list(reg.assets.values())
    if day is None:
        return [a for a in reg.assets.values() if a["owner"] == member]
    return [a for a in reg.assets.values() if (owner_on(a, day) if "transfers" in a else a["owner"]) == member]


# -- value preservation ---------------------------------------------------------


def ratio(adjusted: Decimal, opening: Decimal) -> Decimal | None:
    if opening == 0:
        return None
    return (adjusted / opening * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


FACTORS = ("acquired", "revalued", "proceeds", "force_majeure", "depreciation")


def _add_step(out: dict[str, Decimal], step: Step) -> None:
    """A value event inside the period, into the columns it belongs to."""
    if step.kind == "acquire":
        out["acquired"] += step.amount
    elif step.kind == "revalue" and step.event.get("basis") != "recovery":
        # every basis but a recovery: an estimate is not management's result, while an asset found again
        # after a clearance's shortfall undoes that loss in the ratio (PRODUCT.md, Annual clearance)
        out["revalued"] += step.change
    elif step.kind == "impair" and step.event.get("cause") == "disaster":
        out["force_majeure"] -= step.change
    elif step.kind == "impair" and step.event.get("cause") == "depreciation":
        out["depreciation"] -= step.change
    elif step.kind == "dispose":
        transfer = step.event.get("method") == "transfer_out"
        out["proceeds"] += (step.before or ZERO) if transfer else step.amount


def _no_factors() -> dict[str, Decimal]:
    return dict.fromkeys(("opening", "closing", *FACTORS), ZERO)


def value_factors(history: list[Step], period: Period) -> dict[str, Decimal]:
    """One asset's contribution to each column of the preservation table."""
    out = _no_factors()
    before_start = period.start - timedelta(days=1)
    for step in history:
        if step.day <= before_start:
            out["opening"] = step.after or ZERO
        if step.day <= period.end:
            out["closing"] = step.after or ZERO
        if step.day in period:
            _add_step(out, step)
    return out


def _value_at(history: list[Step], day: date) -> Decimal:
    value = ZERO
    for step in history:
        if step.day > day:
            break
        value = step.after or ZERO
    return value


Moved = tuple[str, str, Decimal]  # a transfer inside the period: giver, receiver, the value it carried


def owner_factors(asset: Record, history: list[Step], period: Period) -> tuple[dict[str, dict[str, Decimal]], list[Moved]]:
    """The asset's contribution to each owner's row, and its transfers inside the period. An event counts
    for the owner at the moment it takes effect (events of one day in the order entered); a transfer moves
    the value the asset had just before it: proceeds (P) of the giver, acquired (A) by the receiver, so
    neither ratio moves."""
    transfers = asset.get("transfers")
    if not transfers:
        return {asset["owner"]: value_factors(history, period)}, []
    before_start = period.start - timedelta(days=1)
    out: dict[str, dict[str, Decimal]] = defaultdict(_no_factors)
    out[owner_on(asset, before_start)]["opening"] += _value_at(history, before_start)
    out[owner_on(asset, period.end)]["closing"] += _value_at(history, period.end)
    moved: list[Moved] = []
    owner, value, pending = transfers[0]["from"], ZERO, list(transfers)

    def transfer_until(event: Record | None) -> None:
        nonlocal owner
        while pending and (event is None or comes_before(pending[0], event)):
            done = pending.pop(0)
            if date.fromisoformat(done["date"]) in period:
                out[done["from"]]["proceeds"] += value
                out[done["to"]]["acquired"] += value
                moved.append((done["from"], done["to"], value))
            owner = done["to"]

    for step in history:
        transfer_until(step.event)
        if step.day in period:
            _add_step(out[owner], step)
        value = step.after or ZERO
    transfer_until(None)
    return dict(out), moved


def district_of(reg: Registry, member_id: str) -> str:
    return str(reg.members.get(member_id, {}).get("district") or "")


def _value_row(sums: dict[str, Decimal]) -> dict[str, Any]:
    """A row of the table from its assets' summed factors."""
    row: dict[str, Any] = dict(sums)
    row["adjusted_closing"] = (
        row["closing"] - row["acquired"] - row["revalued"] + row["proceeds"] + row["force_majeure"] + row["depreciation"]
    )
    row["change"] = row["adjusted_closing"] - row["opening"]
    row["ratio"] = ratio(row["adjusted_closing"], row["opening"])
    # judged on the exact figures: a loss of one cent is below though the ratio rounds to 100.00
    row["below"] = row["opening"] > 0 and row["adjusted_closing"] < row["opening"]
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
    "Ratio on an asset basis (资产口径): adjusted closing = V1 − A − R + P + F + D; ratio = adjusted "
    "closing ÷ V0 × 100, half-up to two decimals; none when V0 is 0. A: every acquisition in the period; R: the net "
    "change of every revaluation; P: disposal proceeds (a free transfer out counts its value); F: disaster losses; "
    "D: depreciation. Taking D out is the registry's own adjustment: wear is not an objective factor of SASAC Order "
    "No. 9 (国资委令第9号), but the registry keeps no income to set against it. It is not the owners'-equity ratio "
    "of that order: the registry records assets, not debts or owners' equity. Below 100 % (marked ▼, judged on the "
    "exact figures: a loss of one cent is marked though the ratio rounds to 100.00) means value not preserved "
    "(impaired)."
)

CLEARANCE_NOTE = N_(
    "Clearance results (资产清查): a shortfall (盘亏) counts against the ratio, a surplus (盘盈) counts as acquired "
    "(A), a clearance revaluation (清查核实) is in R, and a recovery (追回) counts in the ratio as the reverse of the "
    "shortfall it undoes. Unlike SASAC Order No. 9, which takes approved clearance results out as objective factors, "
    "the registry keeps shortfalls in the ratio: a missing asset is what the ratio exists to show."
)


GROUPINGS = ("member", "district", "category")


@dataclass
class ValueGroups:
    """Each group's assets' factors, those the total counts, and the intra-federation equity it leaves out."""

    groups: dict[str, dict[str, Decimal]] = field(default_factory=lambda: defaultdict(_no_factors))
    counted: dict[str, Decimal] = field(default_factory=_no_factors)
    left_out: dict[str, Decimal] = field(default_factory=_no_factors)
    internal: dict[str, Decimal] = field(default_factory=_no_factors)  # transfers between members the total leaves out


def _take_out(sums: dict[str, Decimal], value: Decimal) -> None:
    """A transfer both of whose sides a figure covers: the federation neither acquired nor sold anything."""
    sums["acquired"] -= value
    sums["proceeds"] -= value


def _add_into(sums: dict[str, Decimal], factors: dict[str, Decimal]) -> None:
    for key, amount in factors.items():
        sums[key] += amount


def _group_key(reg: Registry, by: str, owner: str, asset: Record) -> str:
    return owner if by == "member" else district_of(reg, owner) if by == "district" else str(asset["category"])


def value_groups(reg: Registry, periods: list[Period], member: str | None, by: str) -> list[ValueGroups]:
    """For each period, in one pass over the assets (each one's value steps worked out once). A member's own
    row keeps its stakes in other members; figures covering several members (district and category rows,
    totals) leave them out. With --member the total covers one member and keeps them. A transfer between
    members stays in the giver's and the receiver's rows and leaves every figure that holds both sides: the
    total, a district holding both, any category row."""
    results = [ValueGroups() for _ in periods]  # sums, not lists: a province's trend spans years
    for asset in reg.assets.values():
        stake = member is None and is_stake(reg, asset)
        history = steps(asset)

        for period, result in zip(periods, results, strict=True):
            per_owner, moved = owner_factors(asset, history, period)
            for owner, factors in per_owner.items():
                if member is not None and owner != member:
                    continue
                _add_into(result.left_out if stake else result.counted, factors)
                if stake and by != "member":
                    continue
                _add_into(result.groups[_group_key(reg, by, owner, asset)], factors)
            if member is not None:
                continue  # one member's figures: each transfer has one side in them
            for giver, receiver, value in moved:
                _take_out(result.left_out if stake else result.counted, value)
                if not stake:
                    result.internal["acquired"] += value
                    result.internal["proceeds"] += value
                if (not stake or by == "member") and _group_key(reg, by, giver, asset) == _group_key(reg, by, receiver, asset):
                    _take_out(result.groups[_group_key(reg, by, giver, asset)], value)
    return results


def _group_order(reg: Registry, keys: Iterable[str], by: str) -> list[str]:
    if by == "category":
        return [c for c in CATEGORIES if c in keys]
    return sorted(keys)


def _group_head(reg: Registry, key: str, by: str) -> dict[str, Any]:
    if by == "member":
        return {"member": key, "name": reg.members.get(key, {}).get("name", "")}
    return {by: key}


GROUP_COLUMNS = {
    "member": [Column("member", N_("Member")), Column("name", N_("Name"))],
    "district": [Column("district", N_("District"))],
    "category": [Column("category", N_("Category"), "label")],
}


def value_report(reg: Registry, period: Period, *, member: str | None = None, by: str = "member") -> Report:
    found = value_groups(reg, [period], member, by)[0]
    rows = [{**_group_head(reg, key, by), **_value_row(found.groups[key])} for key in _group_order(reg, found.groups, by)]
    total = _value_row(found.counted)
    left_out = _value_row(found.left_out)
    columns = GROUP_COLUMNS[by] + VALUE_COLS
    internal = _value_row(found.internal)
    section = Section("rows", N_("Value preservation and appreciation"), columns, rows, total, left_out, internal)
    title = N_("Value preservation and appreciation (保值增值)")
    return Report("value", title, period.as_dict(), [section], [VALUE_NOTE, CLEARANCE_NOTE, *_stake_note(reg)])


STAKE_NOTE = N_(
    "Intra-federation equity (a stake in a member of this registry) stays in its owner's row; district and "
    "category rows and the total leave it out, since that member's own assets are counted already: the line "
    "under the total shows how much. A transfer between members counts as acquired (A) for the receiver and as "
    "proceeds (P, at its value) for the giver; the total, and a district or category row holding both sides, "
    "leave it out of A and P (the federation neither acquired nor sold anything): the line under the total shows "
    "how much."
)


TREND_NOTE = N_("Each year counts only its part inside the period; none where there is no opening value.")


def _stake_note(reg: Registry) -> list[str]:
    """The note on intra-federation equity and transfers, where the registry has either."""
    if any(is_stake(reg, a) or a.get("transfers") for a in reg.assets.values()):
        return [STAKE_NOTE]
    return []


def _years(period: Period) -> list[Period]:
    """The calendar years the period touches, the first and the last cut to the period."""
    return [
        Period(max(period.start, date(year, 1, 1)), min(period.end, date(year, 12, 31)))
        for year in range(period.start.year, period.end.year + 1)
    ]


def trend_report(reg: Registry, period: Period, *, member: str | None = None, by: str = "member") -> Report:
    """Each year's ratio and the whole span's (the term-of-office figure, 任期保值增值率)."""
    spans = [(str(p.start.year), p) for p in _years(period)] + [("span", period)]
    rows: dict[str, dict[str, Any]] = {}
    empty = {"years_below": [], "span_below": False}
    total: dict[str, Any] = dict(empty, years_below=[])
    left_out: dict[str, Any] = dict(empty, years_below=[])
    internal: dict[str, Any] = {}

    def put(row: dict[str, Any], key: str, factors: dict[str, Decimal]) -> None:
        figures = _value_row(factors)
        row[key] = figures["ratio"]
        if figures["below"] and key == "span":
            row["span_below"] = True
        elif figures["below"]:
            row["years_below"].append(key)

    for (key, _), found in zip(spans, value_groups(reg, [span for _, span in spans], member, by), strict=True):
        for group, factors in found.groups.items():
            if group not in rows:
                rows[group] = {**_group_head(reg, group, by), "years_below": [], "span_below": False}
            put(rows[group], key, factors)
        put(total, key, found.counted)
        put(left_out, key, found.left_out)
        internal[key] = found.internal["acquired"]
    years = [key for key, _ in spans[:-1]]
    for row in rows.values():
        for key, _ in spans:
            row.setdefault(key, None)
    columns = (
        GROUP_COLUMNS[by]
        + [Column(y, y, "percent", mark_by="years_below") for y in years]
        + [Column("span", N_("Whole period"), "percent", mark_by="span_below")]
    )
    section = Section(
        "rows",
        N_("Ratio per year and for the whole period (%)"),
        columns,
        [rows[k] for k in _group_order(reg, rows, by)],
        total,
        left_out,
        internal,
        {"years": years},
    )
    return Report(
        "trend",
        N_("Value preservation trend (保值增值趋势)"),
        period.as_dict(),
        [section],
        [TREND_NOTE, VALUE_NOTE, *_stake_note(reg)],
    )


# -- register ---------------------------------------------------------------------


def register_report(reg: Registry, day: date, *, member: str | None = None, by: str | None = None) -> Report:
    """Assets held on the day with their state that day, grouped by owner and category (or `by`). The total
    and groups covering several members (district, category) leave intra-federation equity out."""
    incidents_of = Index(reg).incidents_of
    rows = []
    left_out = []
    for asset in reg.assets.values():
        value = value_on(asset, day)
        if value is None:
            continue
        owner_id = owner_on(asset, day)
        if member is not None and owner_id != member:
            continue
        owner = reg.members.get(owner_id, {})
        row = {
            "owner": owner_id,
            "owner_name": owner.get("name", ""),
            "district": owner.get("district", ""),
            "category": asset["category"],
            "id": asset["id"],
            "name": asset["name"],
            "location": asset.get("location"),
            "area": Decimal(asset["area"]) if asset.get("area") else None,
            "status": state_on(asset, day, incidents_of.get(asset["id"], ()))[0],  # type: ignore[index]
            "title_no": asset.get("title_no"),
            "value": value,
        }
        rows.append(row)
        if member is None and is_stake(reg, asset):
            left_out.append(row)
    keys = {
        None: ("owner", "category"),
        "member": ("owner",),
        "district": ("district",),
        "category": ("category",),
    }[by]
    rank = {c: n for n, c in enumerate(CATEGORIES)}
    rows.sort(key=lambda r: (*(rank[r[k]] if k == "category" else r[k] for k in keys), r["owner"], r["id"]))
    stakes = {id(r) for r in left_out}
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if keys == ("owner", "category") or keys == ("owner",) or id(row) not in stakes:
            groups[tuple(row[k] for k in keys)].append(row)
    summary = []
    for key, items in groups.items():
        head = dict(zip(keys, key, strict=True))
        if "owner" in head:
            head["owner_name"] = items[0]["owner_name"]
        summary.append({**head, "count": len(items), **_sum(items, ("area", "value"))})
    counted = [r for r in rows if id(r) not in stakes]
    total = {"count": len(counted), **_sum(counted, ("area", "value"))}
    stake_total = {"count": len(left_out), **_sum(left_out, ("area", "value"))}
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
    head_cols = {
        "owner": [Column("owner", N_("Owner")), Column("owner_name", N_("Owner name"))],
        "district": [Column("district", N_("District"))],
        "category": [Column("category", N_("Category"), "label")],
    }
    group_cols = [
        *(c for k in keys for c in head_cols[k]),
        Column("count", N_("Assets"), "int"),
        Column("area", N_("Area m²"), "area"),
        Column("value", N_("Value"), "money"),
    ]
    group_titles = {
        None: N_("By owner and category"),
        "member": N_("By member"),
        "district": N_("By district"),
        "category": N_("By category"),
    }
    return Report(
        "register",
        N_("Asset register (资产台账)"),
        {"as_of": day.isoformat()},
        [
            Section("rows", N_("Assets held"), detail_cols, rows, total, stake_total),
            Section("groups", group_titles[by], group_cols, summary, total, stake_total),
        ],
        _stake_note(reg),
    )


# -- rent roll ---------------------------------------------------------------------


def aging(lease: Record, day: date) -> dict[str, Decimal]:
    buckets = dict.fromkeys(BUCKETS, ZERO)
    for unpaid in unpaid_dues(lease, day):
        age = (day - unpaid.due).days
        key = "0-30" if age <= 30 else "31-90" if age <= 90 else "91-180" if age <= 180 else "180+"
        buckets[key] += unpaid.amount
    return buckets


LEASE_SUMS = ("rent_per_year", "deposit", "collected", "written_off", "arrears", *(f"aging_{k}" for k in BUCKETS))


def _roll_row(reg: Registry, lease: Record, period: Period, status: str) -> dict[str, Any]:
    day = period.end
    buckets = aging(lease, day)
    asset = reg.assets[lease["asset"]]
    return {
        "id": lease["id"],
        "asset": lease["asset"],
        "asset_name": asset["name"],
        "tenant": lease["tenant"],
        "start": lease["start"],
        "end": lease["end"],
        "ended_on": lease.get("ended_on"),
        "status": status,
        # rent per year: what the active leases bring in; an ended or not yet started lease brings nothing
        "rent_per_year": rent_on(lease, day) * PERIODS_PER_YEAR[lease["period"]] if status == "active" else None,
        "deposit": deposit_held(lease, day),
        "collected": collected_between(lease, period.start, day),
        "written_off": written_off_between(lease, period.start, day),
        "arrears": sum(buckets.values(), ZERO),
        "aging": buckets,
        **{f"aging_{k}": v for k, v in buckets.items()},
    }


def leases_report(reg: Registry, period: Period, *, member: str | None = None) -> Report:
    """The rent roll on the period's last day: the leases active that day (and those signed to start later
    whose rent was paid ahead), then the ended leases still owing rent or holding a deposit, or whose
    payments or write-offs fall in the period, so that the roll collects what the summary collects."""
    day = period.end
    iso = day.isoformat()
    owned = {a["id"] for a in _owned(reg, member, day)}
    rows, ended = [], []
    for lease in sorted(reg.leases.values(), key=lambda x: x["id"]):
        if lease["asset"] not in owned:
            continue
        if lease["start"] > iso:  # signed ahead: shown when rent was paid before the start
            if any(p["date"] <= iso for p in lease["payments"]):
                rows.append(_roll_row(reg, lease, period, "signed"))
            continue
        if is_active_on(lease, day):
            rows.append(_roll_row(reg, lease, period, "active"))
            continue
        row = _roll_row(reg, lease, period, "ended")
        if row["arrears"] or row["deposit"] or row["collected"] or row["written_off"]:
            ended.append(row)
    # the total counts the ended leases too: what they owe is still owed, the deposit still held
    total = _sum(rows + ended, LEASE_SUMS)
    total["aging"] = {k: total[f"aging_{k}"] for k in BUCKETS}
    ended_total = _sum(ended, LEASE_SUMS)
    ended_total["aging"] = {k: ended_total[f"aging_{k}"] for k in BUCKETS}
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
    index = Index(reg)
    idle = [
        {
            "id": a["id"],
            "name": a["name"],
            "owner": owner_on(a, day),
            "category": a["category"],
            "area": Decimal(a["area"]) if a.get("area") else None,
            "idle_since": state[1].isoformat(),
            "value": value,
        }
        for a in sorted(_owned(reg, member, day), key=lambda a: a["id"])
        if a["category"] in ("building", "land")
        and (value := value_on(a, day)) is not None
        and (state := index.state(a, day)) is not None
        and state[0] == "idle"
    ]
    figures = [
        Column("deposit", N_("Deposit held"), "money"),
        Column("collected", N_("Collected"), "money"),
        Column("written_off", N_("Written off"), "money"),
        Column("arrears", N_("Arrears"), "money"),
        *(Column(f"aging_{k}", AGING_LABELS[k], "money") for k in BUCKETS),
    ]
    head = [Column("id", N_("Lease")), Column("asset", N_("Asset")), Column("asset_name", N_("Asset name"))]
    lease_cols = [
        *head,
        Column("tenant", N_("Tenant")),
        Column("end", N_("End"), "date"),
        Column("status", N_("Status"), "label"),
        Column("rent_per_year", N_("Rent per year"), "money"),
        *figures,
    ]
    ended_cols = [*head, Column("tenant", N_("Tenant")), Column("ended_on", N_("Ended on"), "date"), *figures]
    return Report(
        "leases",
        N_("Rent roll (租金台账)"),
        {**period.as_dict(), "as_of": day.isoformat()},
        [
            Section("rows", N_("Leases"), lease_cols, rows, total),
            Section("ended", N_("Ended leases still owing rent or holding a deposit"), ended_cols, ended, ended_total),
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
                "Arrears are dues not settled by payments or write-offs dated on or before the as-of day, oldest "
                "first; aged by due date. Collected and written off count those from the start of the period to the "
                "as-of day; rent paid before a lease starts counts as collected on its day (the lease shows as "
                "signed). Rent per year counts the active leases; the total's other figures count the ended leases "
                "below too: what they owe is still owed, their deposit still held."
            )
        ],
    )


# -- incidents --------------------------------------------------------------------------


def case_files(reg: Registry, table: str, record_id: str) -> str | None:
    """A case's attachments as a document lists them: number, name and hash prefix each."""
    from assetreg.core.attachments import SHOWN_HASH, of_record

    def listed(a: Record) -> str:
        mark = file_mark(reg, a)
        return f"{a['id']} {a['name']} {a['sha256'][:SHOWN_HASH]}" + (f" [{mark}]" if mark else "")

    return "; ".join(listed(a) for a in of_record(reg, table, record_id)) or None


def file_mark(reg: Registry, attachment: Record) -> str:
    """MISSING or CHANGED, in the reader's language, for a file verify would find so ("" when it is
    sound or was not checked: a roll-up's sources carry no files)."""
    from assetreg.i18n import _

    marks = {"missing": N_("MISSING"), "changed": N_("CHANGED (hash differs)")}
    problem = reg.file_state(attachment["sha256"]) if reg.file_state else None
    return _(marks[problem]) if problem else ""


def incidents_report(reg: Registry, period: Period, *, member: str | None = None) -> Report:
    day = period.end
    owned = {a["id"] for a in _owned(reg, member, day)}
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
                "status": incident_status_on(incident, day),
                "counterparty": incident.get("counterparty"),
                "occurred": incident["occurred"],
                "age_days": incident_age(incident, day),
                "assets": "、".join(f"{a['id']} {a['name']}" for a in assets),
                "assets_value": sum((value_on(a, day) or ZERO for a in assets), ZERO),
                "estimated_loss": Decimal(incident["estimated_loss"]) if incident.get("estimated_loss") else None,
                "last_action": f"{last['date']} {last['note'] or ''}".strip() if last else None,
                "files": case_files(reg, "incidents", incident["id"]),
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
    if any(r["files"] for r in rows):  # the case's evidence, so that a printed case file names it
        cols.append(Column("files", N_("Files (附件)")))
    else:  # no evidence kept: the document stays as it was before files were
        for r in rows:
            del r["files"]
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
    assets = register_report(reg, day, member=member, by="category").sections[1]
    value_section = value_report(reg, period, member=member).sections[0]
    value_total = value_section.total or {}
    owned = {a["id"] for a in _owned(reg, member, day)}
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
        "written_off": sum((written_off_between(x, period.start, day) for x in leases), ZERO),
        "arrears": sum((owed.amount for x in leases if (owed := arrears(x, day))), ZERO),
    }
    # restructuring is what enterprises go through: the federation, its companies and associations do not
    members = [m for m in reg.members.values() if m["kind"] == "enterprise" and (member is None or m["id"] == member)]
    counts = Counter(restructuring_on(m, day) for m in members)
    restructuring = [{"status": s, "members": counts[s]} for s in RESTRUCTURING if counts[s]]
    completed = sum((finished := completed_on(m)) is not None and finished in period for m in members)
    return Report(
        "summary",
        N_("Annual summary (年度资产工作摘要)"),
        period.as_dict(),
        [
            Section(
                "assets",
                N_("Assets held at the end of the period"),
                assets.columns,
                assets.rows,
                assets.total,
                assets.left_out,
            ),
            Section(
                "value",
                N_("Value preservation"),
                VALUE_COLS,
                [value_total],
                extra={"internal_transfers": value_section.internal, "intra_equity": value_section.left_out},
            ),
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
                    Column("written_off", N_("Written off in period"), "money"),
                    Column("arrears", N_("Arrears at end"), "money"),
                ],
                [rent],
            ),
            Section(
                "restructuring",
                N_("Enterprises by restructuring status at the end of the period"),
                [Column("status", N_("Status"), "label"), Column("members", N_("Members"), "int")],
                restructuring,
                {"members": len(members)},
                extra={"completed_in_period": completed},
            ),
            Section(
                "completed_in_period",
                N_("Restructurings completed in the period"),
                [Column("completed_in_period", N_("Enterprises"), "int")],
                [{"completed_in_period": completed}],
                in_json=False,
            ),
        ],
        [VALUE_NOTE],
    )
