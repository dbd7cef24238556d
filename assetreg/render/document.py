"""One document model for every report and for `flags`; one module per format under render/formats walks it.

A document says what it is (title, period or day, unit, registry, when it was made, the log head)
and holds tables of typed columns. Rows stay the report's own dicts of exact values (a province's
register is 10^5 rows: nothing is copied); each format asks `shown` for the text a person reads or
`exact` for the figure a spreadsheet keeps, so every format shows the same figures.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from assetreg.i18n import N_, _, language
from assetreg.render.text import WAN, clean, label, number, unit_label

if TYPE_CHECKING:
    from assetreg.core.flags import Flag
    from assetreg.core.reports import Report

# Column kinds. `mark` is the below-100 % marker: its row is marked, and it shows as ▼.
KINDS = ("text", "id", "money", "area", "count", "ratio", "date", "mark")
NUMERIC = ("money", "area", "count", "ratio")
RIGHT = (*NUMERIC,)
FORMATS = ("table", "txt", "md", "html", "svg", "csv", "json", "xlsx", "pdf")
EXTENSIONS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".svg": "svg", ".csv": "csv", ".json": "json"}
EXTENSIONS |= {".xlsx": "xlsx", ".pdf": "pdf", ".markdown": "md"}
BINARY = ("xlsx", "pdf")  # need --output: never written to a terminal
MARK = "▼"
FORM_ROLES = (N_("Prepared by"), N_("Checked by"), N_("Approved by"))  # 制表人 / 审核人 / 负责人
CENTS = Decimal("0.01")
# The core's column kinds, as documents type them; ids are text columns holding a record's id.
_CORE_KINDS = {"label": "text", "int": "count", "percent": "ratio"}
_ID_KEYS = frozenset(("id", "member", "owner", "asset"))


@dataclass(frozen=True)
class Col:
    key: str
    heading: str  # in the reader's language
    kind: str = "text"
    translate: bool = False  # a stored value (status, category…) shown in the reader's language
    mark_by: str = ""  # a trend's year: marked ▼ when the row's value under this key is true or lists the column


def marked_cell(col: Col, row: dict[str, Any]) -> bool:
    """Whether a figure is marked below 100 % (each year of a trend)."""
    if not col.mark_by:
        return False
    flag = row.get(col.mark_by)
    return flag is True or (isinstance(flag, list) and col.key in flag)


@dataclass
class Table:
    title: str
    columns: list[Col]
    rows: Sequence[dict[str, Any]]
    total: dict[str, Any] | None = None
    mark: str | None = None  # the key whose true value marks a row (below 100 %)
    after: list[dict[str, Any]] = field(default_factory=list)  # under the total: what it left out, its first cell says so

    def marked(self, row: dict[str, Any]) -> bool:
        return bool(self.mark and row.get(self.mark))

    def all_rows(self) -> Iterator[tuple[dict[str, Any], bool]]:
        """Each row and whether it is the total row: the rows, the total, then the rows under it."""
        for row in self.rows:
            yield row, False
        if self.total is not None:
            yield self.total, True
        for row in self.after:
            yield row, False


@dataclass
class Document:
    name: str
    title: str
    period: tuple[str, str]  # (label, text): ("Reporting period", "2004-01-01 – 2004-12-31") or ("As of", day)
    unit: str  # yuan or wan
    registry: str
    made: datetime
    log_head: tuple[int, str]  # the last log entry's number and full hash
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    json: dict[str, Any] | None = None  # the report's JSON (always in yuan)
    lang: str = "en"
    head_label: str = "log"  # "rollup": a roll-up's own head, over its sources' names and heads
    # The blanks a printed form ends with, each a role in the reader's language (清查人, 复核人, …); the
    # clearance's result document names its own. Not in csv or json.
    signatures: list[str] = field(default_factory=list)

    @property
    def form_roles(self) -> list[str]:
        """The blanks a printed form (html, pdf, xlsx) ends with: its own, else 制表人 / 审核人 / 负责人."""
        return self.signatures or [_(role) for role in FORM_ROLES]

    @property
    def unit_line(self) -> str:
        """编制单位 above a printed form's table: the registry's name."""
        return f"{_('Reporting unit')}{_(': ')}{clean(self.registry)}"

    def signature_blanks(self) -> list[str]:
        """Each role with its blank: 清查人：＿＿＿＿"""
        return [f"{role}{_(': ')}{'_' * 14}" for role in self.signatures]

    def signature_line(self) -> str:
        """The signature blanks on one line: 清查人：＿＿＿＿　复核人：＿＿＿＿ …"""
        return "    ".join(self.signature_blanks())

    @property
    def head_text(self) -> str:
        return f"{self.head_label} {self.log_head[0]}:{self.log_head[1][:16]}"

    @property
    def made_text(self) -> str:
        return self.made.isoformat(sep=" ", timespec="seconds")

    def facts(self) -> list[tuple[str, str]]:
        """What the document is, as label and value pairs, for every format's header."""
        return [
            self.period,
            (_("Unit"), unit_label(self.unit)),
            (_("Registry"), clean(self.registry)),
            (_("Made"), self.made_text),
            (_("Log head"), self.head_text),
        ]

    def fact_lines(self) -> list[str]:
        """The facts as lines, with the language's colon (：in Chinese)."""
        return [f"{label}{_(': ')}{value}" for label, value in self.facts()]

    def meta_json(self) -> dict[str, Any]:
        made = self.made.isoformat(timespec="seconds")
        return {"registry": self.registry, "made": made, f"{self.head_label}_head": self.head_json()}

    def head_json(self) -> dict[str, Any]:
        return {"n": self.log_head[0], "hash": self.log_head[1]}


def made_now() -> datetime:
    """Now, in local time with its offset; SOURCE_DATE_EPOCH (reproducible builds) fixes it, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now().astimezone()


# -- values -------------------------------------------------------------------------


def in_unit(value: Decimal, unit: str) -> Decimal:
    """A money figure in the unit asked, exact (万元 keeps every digit: 1,234.56 yuan is 0.123456)."""
    return value / WAN if unit == "wan" else value


def shown(col: Col, value: Any, unit: str) -> str:
    """The text a person reads: money with thousands separators and two decimals, half-up."""
    if value is None or value == "":
        return ""
    kind = col.kind
    if kind == "money":
        return f"{in_unit(Decimal(value), unit).quantize(CENTS, rounding=ROUND_HALF_UP):,.2f}"
    if kind == "area":  # whole square metres without decimals, as a register writes them
        return number(Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP))
    if kind == "count":
        return f"{value:,}" if isinstance(value, int) else number(value)
    if kind == "ratio":
        return f"{Decimal(value):.2f} %"
    if kind == "mark":
        return MARK if value else ""
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    return label(value) if col.translate else clean(value)


def exact(col: Col, value: Any, unit: str) -> Any:
    """The value a spreadsheet keeps: Decimal for figures (money exact in the unit), date for dates, else text."""
    if value is None or value == "":
        return None
    kind = col.kind
    if kind == "money":
        return in_unit(Decimal(value), unit)
    if kind in ("area", "ratio"):  # to the cent, as totals come out: 2200 and 2200.00 read as one figure
        return Decimal(value).quantize(CENTS)
    if kind == "count":
        return value if isinstance(value, int) else Decimal(value)
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return shown(col, value, unit)


def total_cells(table: Table, row: dict[str, Any], unit: str, is_total: bool) -> list[str]:
    """A row as the texts a person reads; the total row says so in its first column."""
    cells = [shown(c, row.get(c.key), unit) + (" " + MARK if marked_cell(c, row) else "") for c in table.columns]
    if is_total:
        cells[0] = _("Total")
    return cells


# -- building documents ------------------------------------------------------------------


def _period(report_period: dict[str, str], name: str) -> tuple[str, str]:
    if "from" in report_period and name != "register":
        return (_("Reporting period"), f"{report_period['from']} – {report_period['to']}")
    return (_("As of"), report_period.get("as_of") or report_period.get("to", ""))


def from_report(report: Report, *, unit: str, registry: str, log_head: tuple[int, str], made: datetime | None = None) -> Document:
    from assetreg.core.reports import INTERNAL_LABEL, LEFT_OUT_LABEL

    tables = []
    for section in report.sections:
        columns = []
        mark = None
        for column in section.columns:
            kind = _CORE_KINDS.get(column.kind, column.kind)
            if kind == "text" and column.key in _ID_KEYS:
                kind = "id"
            if kind not in KINDS:
                kind = "text"
            if kind == "mark":
                mark = column.key
            # a trend's year is named as a year: a bare "2004" heading is read as a number by a spreadsheet
            heading = _("Year {year}").format(year=column.label) if column.label.isdigit() else _(column.label)
            columns.append(Col(column.key, heading, kind, translate=column.kind == "label", mark_by=column.mark_by))
        after = []
        if section.left_out_section() is not None and section.left_out:  # intra-federation equity, left out of the total
            after.append({**section.left_out, columns[0].key: _(LEFT_OUT_LABEL)})
        if section.internal and section.internal.get("acquired"):  # transfers between members, left out of the total
            after.append({**section.internal, columns[0].key: _(INTERNAL_LABEL)})
        tables.append(Table(_(section.title), columns, section.rows, section.total, mark, after))
    return Document(
        name=report.name,
        title=_(report.title),
        period=_period(report.period, report.name),
        unit=unit,
        registry=registry,
        made=made or made_now(),
        log_head=log_head,
        tables=tables,
        notes=[_(note) for note in report.notes],
        json=report.as_json(),
        lang=language(),
    )


FLAG_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("code", "Code", "id"),
    ("label", "Flag", "text"),
    ("severity", "Severity", "text"),
    ("record", "Record", "id"),
    ("name", "Name", "text"),
    ("message", "Message", "text"),
    ("since", "Since", "date"),
)


def from_flags(
    flags: Sequence[Flag], day: date, *, registry: str, log_head: tuple[int, str], made: datetime | None = None
) -> Document:
    """The risk list as a document: one table, the most severe first, as the work report lists them."""
    from assetreg.core.flags import texts

    ordered = sorted(flags, key=lambda f: -f.rank)
    rows = [
        {
            "code": f.code,
            "label": f.label(_),
            "severity": label(f.severity),
            "record": f"{label(f.record_type)} {f.record_id}",
            "name": f.name,
            "message": text,
            "since": f.since,
        }
        for f, text in zip(ordered, texts(ordered, _), strict=True)
    ]
    columns = [Col(key, _(heading), kind) for key, heading, kind in FLAG_COLUMNS]
    return Document(
        name="flags",
        title=_("Flags"),
        period=(_("As of"), day.isoformat()),
        unit="yuan",
        registry=registry,
        made=made or made_now(),
        log_head=log_head,
        tables=[Table(_("Flags as of {day}: {count}").format(count=len(rows), day=day.isoformat()), columns, rows)],
        json=None,
        lang=language(),
    )


def render(document: Document, fmt: str, **options: Any) -> Iterable[bytes]:
    """The document in a format, as pieces of bytes to write in turn: one module per format."""
    # a table written to a file or a pipe is the txt format (formats/table draws only on the terminal)
    module = importlib.import_module(f"assetreg.render.formats.{'txt' if fmt == 'table' else fmt}")
    return module.write(document, **options)  # type: ignore[no-any-return]
