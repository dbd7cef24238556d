"""A roll-up's reports from its sources' figures: each source's figures as that registry reports them
alone, the totals their sums, and every ratio worked out again from the summed columns (never averaged).

A source's rows keep their own ids and gain `source`; in text (`qualify`) the ids and the groups that
belong to one source (a member, a district) are written `乐清:A0001`, `乐清:城区片`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from assetreg.core.choices import CATEGORIES, RESTRUCTURING
from assetreg.core.errors import NotFound
from assetreg.core.registry import Registry
from assetreg.core.reports import (
    FACTORS,
    STAKE_NOTE,
    TREND_NOTE,
    VALUE_COLS,
    VALUE_NOTE,
    Column,
    Period,
    Report,
    Section,
    _value_row,
)
from assetreg.i18n import N_

# keys of a row that hold a record's id, or a group that belongs to one source
QUALIFIED = ("id", "member", "owner", "asset", "record", "district")
VALUE_KEYS = ("opening", "closing", *FACTORS)
SOURCE_COLUMNS = [Column("source", N_("Source")), Column("registry", N_("Registry"))]
_ORDER = {key: n for n, key in enumerate((*CATEGORIES, *RESTRUCTURING))}


@dataclass
class Part:
    """One source's contribution: its name, its registry's name and the task's figures."""

    source: str
    registry: str
    figures: Any


def qualified(source: str, value: Any) -> Any:
    return f"{source}:{value}" if isinstance(value, str) and value else value


def mark_rows(part: Part, rows: Iterable[dict[str, Any]], qualify: bool) -> list[dict[str, Any]]:
    """The source's rows, in place: `source` added, ids qualified in text. Text inside a row that lists
    records (`A0001 name、A0002 name`) has each of them qualified."""
    out = []
    for row in rows:
        row["source"] = part.source
        if qualify:
            for key in QUALIFIED:
                if key in row:
                    row[key] = qualified(part.source, row[key])
            if isinstance(row.get("files"), str) and row["files"]:  # a case's files: `F1 name hash; F2 …`
                row["files"] = "; ".join(qualified(part.source, item) for item in row["files"].split("; "))
            if isinstance(row.get("assets"), str) and row["assets"]:
                row["assets"] = "、".join(qualified(part.source, item) for item in row["assets"].split("、"))
            elif isinstance(row.get("assets"), list):
                row["assets"] = [qualified(part.source, item) for item in row["assets"]]
        out.append(row)
    return out


def summed(rows: Iterable[dict[str, Any] | None]) -> dict[str, Any]:
    """The sum of each figure of the rows (nested tables of figures too); a value row's adjusted closing,
    change and ratio worked out from the summed columns."""
    out: dict[str, Any] = {}
    for row in rows:
        for key, value in (row or {}).items():
            if isinstance(value, bool) or key in ("ratio", "adjusted_closing", "change", "age_days", "days_left"):
                continue
            if isinstance(value, Decimal | int):
                out[key] = out.get(key, 0) + value
            elif isinstance(value, dict):
                out[key] = summed([out.get(key), value])
    if "opening" in out:
        out = {**out, **_value_row({k: out.get(k, Decimal("0.00")) for k in VALUE_KEYS})}
    return out


def merged(rows: Iterable[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Rows of several sources with the same `key` (a category, a status) summed into one."""
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.get(key), []).append(row)
    ordered = sorted(groups, key=lambda k: (_ORDER.get(k, len(_ORDER)), str(k)))
    return [{key: k, **summed(groups[k])} for k in ordered]


def _summed_of(sections: Sequence[Section], attr: str) -> dict[str, Any] | None:
    """The sum of one of the sections' total rows (`total`, `left_out`, `internal`), where they have it."""
    found = [getattr(s, attr) for s in sections]
    return summed(found) if any(f is not None for f in found) else None


def combine_sections(parts: Sequence[Part], index: int, by: str, qualify: bool) -> Section:
    """Section `index` of every source's report as one: a row per source (`by` source, from each one's
    total), each source's rows (member, district and the rows of a list), or rows summed across
    sources by their first column (category, status)."""
    sections: list[Section] = [p.figures.sections[index] for p in parts]
    first = sections[0]
    # a column only some sources' sections have (the Files column of cases with evidence) is kept
    columns = list(first.columns)
    for section in sections[1:]:
        columns += [c for c in section.columns if c.key not in {k.key for k in columns}]
    extra = first.extra
    if by == "source":
        rows = [{"source": p.source, "registry": p.registry, **(s.total or {})} for p, s in zip(parts, sections, strict=True)]
        columns = SOURCE_COLUMNS + [c for c in first.columns if c.kind not in ("text", "label")]
    elif by == "merge":
        if first.columns[0].kind in ("text", "label"):
            rows = merged((r for s in sections for r in s.rows), first.columns[0].key)
        else:
            rows = [summed(r for s in sections for r in s.rows)]
        extra = summed(s.extra for s in sections) if first.extra else {}
    else:
        rows = [r for p, s in zip(parts, sections, strict=True) for r in mark_rows(p, s.rows, qualify)]
        for row in rows:  # a source without a column another has: an empty cell
            for column in columns[len(first.columns) :]:
                row.setdefault(column.key, None)
    return replace(
        first,
        columns=columns,
        rows=rows,
        total=_summed_of(sections, "total"),
        left_out=_summed_of(sections, "left_out"),
        internal=_summed_of(sections, "internal"),
        extra=extra,
    )


def _notes(parts: Sequence[Part], *base: str) -> list[str]:
    notes = list(base)
    for part in parts:
        for note in part.figures.notes:
            if note not in notes:
                notes.append(note)
    return notes


def combine(parts: Sequence[Part], name: str, by: str, *, qualify: bool) -> Report:
    """The roll-up of one report (not the summary, see `combine_summary`; not the trend, see
    `combine_trend`): every section combined, the grouping `by` applied to the main groups."""
    first = parts[0].figures
    sections = []
    for index, section in enumerate(first.sections):
        grouped = name == "value" or (name == "register" and section.name == "groups")
        how = ("merge" if by == "category" else by) if grouped else "rows"
        if how == "district" or how == "member":
            how = "rows"
        sections.append(combine_sections(parts, index, how, qualify))
    return Report(first.name, first.title, first.period, sections, _notes(parts))


def combine_summary(parts: Sequence[Part], titled: Any, *, qualify: bool) -> tuple[Report, list[dict[str, Any]]]:
    """One set of sections per source (titled by `titled(source, title)`), then the total's; and each
    source's own JSON."""
    first = parts[0].figures
    sections = []
    for part in parts:
        for section in part.figures.sections:
            own = replace(section, title=titled(part.source, section.title), in_json=False)
            own.rows = mark_rows(part, [dict(r) for r in own.rows], qualify)
            sections.append(own)
    for index in range(len(first.sections)):
        sections.append(combine_sections(parts, index, "merge", qualify))
    per_source = [{"source": p.source, "registry": p.registry, **p.figures.as_json()} for p in parts]
    return Report(first.name, first.title, first.period, sections, _notes(parts)), per_source


@dataclass
class TrendFigures:
    """A source's trend: its own report (rows by member or district) and, for each span, the factors
    of its total, of what the total leaves out, of its internal transfers and of each category."""

    report: Report | None
    counted: list[dict[str, Decimal]]
    left_out: list[dict[str, Decimal]]
    internal: list[Decimal]
    categories: list[dict[str, dict[str, Decimal]]] = field(default_factory=list)


def _trend_row(keys: Sequence[str], factors: Sequence[dict[str, Decimal] | None], **head: Any) -> dict[str, Any]:
    """A trend row from each span's factors: its ratios, and the years (and whole span) below 100 %."""
    row: dict[str, Any] = {**head, "years_below": [], "span_below": False}
    for key, found in zip(keys, factors, strict=True):
        figures = summed([found]) if found else {"ratio": None, "below": False}
        row[key] = figures["ratio"]
        if figures["below"] and key == "span":
            row["span_below"] = True
        elif figures["below"]:
            row["years_below"].append(key)
    return row


def combine_trend(parts: Sequence[Part], spans: Sequence[tuple[str, Period]], by: str, *, qualify: bool) -> Report:
    """The trend of a roll-up: each source's ratios as it reports them, the total's from summed factors."""
    keys = [key for key, _ in spans]
    spans_of = range(len(keys))

    def total_of(attr: str) -> dict[str, Any]:
        return _trend_row(keys, [summed(getattr(p.figures, attr)[i] for p in parts) for i in spans_of])

    years = keys[:-1]
    base = [Column(y, y, "percent", mark_by="years_below") for y in years]
    base.append(Column("span", N_("Whole period"), "percent", mark_by="span_below"))
    rows: list[dict[str, Any]]
    if by == "source":
        columns = SOURCE_COLUMNS + base
        rows = [_trend_row(keys, p.figures.counted, source=p.source, registry=p.registry) for p in parts]
    elif by == "category":
        columns = [Column("category", N_("Category"), "label"), *base]
        found = [c for c in CATEGORIES if any(c in p.figures.categories[i] for p in parts for i in spans_of)]
        rows = [
            _trend_row(keys, [summed(p.figures.categories[i].get(c) for p in parts) for i in spans_of], category=c) for c in found
        ]
    else:
        columns = parts[0].figures.report.sections[0].columns
        rows = [r for p in parts for r in mark_rows(p, p.figures.report.sections[0].rows, qualify)]
    internal = {key: sum((p.figures.internal[i] for p in parts), Decimal("0.00")) for i, key in enumerate(keys)}
    section = Section(
        "rows",
        N_("Ratio per year and for the whole period (%)"),
        columns,
        rows,
        total_of("counted"),
        total_of("left_out"),
        internal,
        {"years": years},
    )
    notes = [TREND_NOTE, VALUE_NOTE]
    if any(p.figures.report is not None and STAKE_NOTE in p.figures.report.notes for p in parts):
        notes.append(STAKE_NOTE)
    return Report("trend", N_("Value preservation trend (保值增值趋势)"), spans[-1][1].as_dict(), [section], notes)


def value_columns() -> list[Column]:
    return SOURCE_COLUMNS + VALUE_COLS


# -- what a worker computes for one source ---------------------------------------------------------


class Absent:
    """The record a command names is not in this source (or the id is qualified by another one)."""


def own_id(reg: Registry, source: str, target: tuple[str | None, str], kind: str, field: str) -> str | Absent:
    """The id in this source of a record named `target` (its source when qualified, the text)."""
    named, text = target
    if named is not None:
        return reg.resolve(kind, text, field) if named == source else Absent()
    try:
        return reg.resolve(kind, text, field)
    except NotFound:
        return Absent()


def resolved_task(
    reg: Registry, meta: dict[str, Any], source: str, fn: Any, specs: Sequence[tuple[str, str, Any]], *args: Any
) -> Any:
    """`fn(registry, *ids, *args)` with each record a command names (`specs`: kind, option, target)
    resolved in this source first; Absent when the source has not one of them."""
    ids = []
    for kind, option, target in specs:
        found = own_id(reg, source, target, kind, option) if target is not None else None
        if isinstance(found, Absent):
            return found
        ids.append(found)
    return fn(reg, *ids, *args)


def report_task(
    reg: Registry, meta: dict[str, Any], source: str, name: str, span: Period, member: tuple[str | None, str] | None, by: str
) -> Any:
    """The figures of one report of one source, computed as that registry reports them alone."""
    from assetreg.core import reports

    wanted = own_id(reg, source, member, "members", "--member") if member else None
    if isinstance(wanted, Absent):
        return wanted
    if name == "value":
        found = reports.value_report(reg, span, member=wanted, by="category" if by == "source" else by)
        if by == "source":
            found.sections[0].rows = []  # only the total travels
        return found
    if name == "register":
        return reports.register_report(reg, span.end, member=wanted, by=None if by == "source" else by)
    if name == "trend":
        spans = trend_spans(span)
        groups = reports.value_groups(reg, [p for _, p in spans], wanted, "category")
        own = reports.trend_report(reg, span, member=wanted, by=by) if by in ("member", "district") else None
        counted, left_out = [g.counted for g in groups], [g.left_out for g in groups]
        internal = [g.internal["acquired"] for g in groups]
        return TrendFigures(own, counted, left_out, internal, [dict(g.groups) for g in groups])
    build = {"leases": reports.leases_report, "incidents": reports.incidents_report, "summary": reports.summary_report}[name]
    return build(reg, span, member=wanted)


def trend_spans(period: Period) -> list[tuple[str, Period]]:
    from assetreg.core.reports import _years

    return [(str(p.start.year), p) for p in _years(period)] + [("span", period)]


def flags_task(reg: Registry, meta: dict[str, Any], source: str, day: date, member: tuple[str | None, str] | None) -> Any:
    from assetreg.core.flags import evaluate

    wanted = own_id(reg, source, member, "members", "--member") if member else None
    if isinstance(wanted, Absent):
        return wanted
    return evaluate(reg, day, member=wanted)
