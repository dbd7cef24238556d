"""Reports to the terminal and to txt, md, html, svg, csv and json, all from the same figures."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import orjson
from rich.console import Group
from rich.table import Table
from rich.text import Text

from assetreg.core.reports import LEFT_OUT_LABEL, Column, Report, Section
from assetreg.core.transfer import neutralise
from assetreg.i18n import _
from assetreg.render.console import Grid, console, render_text
from assetreg.render.text import clean, json_default, label, money, number, percent, unit_label, width

FORMATS = ("table", "txt", "md", "html", "svg", "csv", "json")
RIGHT = ("money", "area", "int", "percent")


def sections(report: Report) -> list[Section]:
    """The report's tables, each followed by what its total left out (intra-federation equity), if anything."""
    result = []
    for section in report.sections:
        result.append(section)
        left_out = section.left_out_section()
        if left_out is not None:
            result.append(left_out)
    return result


def shown(column: Column, value: Any, unit: str) -> str:
    """A value as the reader sees it."""
    if column.kind == "money":
        return money(value, unit)
    if column.kind == "area":
        return number(value.quantize(Decimal("0.01")) if isinstance(value, Decimal) else value)
    if column.kind == "percent":
        return percent(value)
    if value == LEFT_OUT_LABEL:
        return _(value)
    if column.kind == "label":
        return label(value)
    if column.kind == "mark":
        return "▼" if value else ""
    return "" if value is None else clean(value)


def header(column: Column, unit: str) -> str:
    return _(column.label)


def title(report: Report, unit: str) -> str:
    period = report.period
    span = period.get("as_of") if report.name == "register" else f"{period['from']} – {period['to']}"
    return _("{title}  {span}  (money in {unit})").format(title=_(report.title), span=span, unit=unit_label(unit))


def _cells(section: Section, unit: str) -> tuple[list[str], list[list[str]]]:
    headers = [header(c, unit) for c in section.columns]
    rows = [[shown(c, row.get(c.key), unit) for c in section.columns] for row in section.rows]
    if section.total is not None:
        total = [shown(c, section.total.get(c.key), unit) if c.key in section.total else "" for c in section.columns]
        total[0] = _("Total")
        rows.append(total)
    return headers, rows


def rich_table(section: Section, unit: str) -> Grid:
    headers, rows = _cells(section, unit)
    return Grid(
        _(section.title),
        headers,
        [c.kind in RIGHT for c in section.columns],
        rows,
        total=section.total is not None,
        red=[c.kind == "money" for c in section.columns],
    )


def renderables(report: Report, unit: str) -> list[Any]:
    """Title, tables, notes. The summary sets its small tables side by side so it fits one screen."""
    parts: list[Any] = [Text(title(report, unit), style="bold")]
    tables: list[Any] = [rich_table(s, unit) for s in sections(report)]
    if report.name == "summary":
        side = Table.grid(padding=(0, 2))
        side.add_row(*tables[2:])
        tables = [*tables[:2], side]
    parts += tables
    parts += [Text(_(note)) for note in report.notes]
    return parts


def markdown(report: Report, unit: str) -> str:
    """Pipe tables padded by display width, so Chinese columns line up in a monospace editor too."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("\n", " ").replace("\r", " ")

    lines = [f"# {esc(title(report, unit))}", ""]
    for section in sections(report):
        headers, rows = _cells(section, unit)
        table = [[esc(h) for h in headers], *[[esc(v) for v in row] for row in rows]]
        widths = [max(width(r[i]) for r in table) for i in range(len(headers))]
        right = [c.kind in RIGHT for c in section.columns]
        rule = "|" + "|".join(("-" * (w + 1) + ":") if r else ("-" * (w + 2)) for w, r in zip(widths, right, strict=True))
        lines += [
            f"## {esc(_(section.title))}",
            "",
            _md_line(table[0], widths, right),
            rule + "|",
            *(_md_line(r, widths, right) for r in table[1:]),
            "",
        ]
    lines += [esc(_(note)) for note in report.notes]
    return "\n".join(lines) + "\n"


def _md_line(row: list[str], widths: list[int], right: list[bool]) -> str:
    padded = [(" " * (w - width(v)) + v) if r else (v + " " * (w - width(v))) for v, w, r in zip(row, widths, right, strict=True)]
    return "| " + " | ".join(padded) + " |"


def csv_text(report: Report, unit: str) -> str:
    """One header row; numbers stay numbers (plain, in the chosen unit), text cells are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    sections = report.sections if report.name == "summary" else report.sections[:1]
    if report.name == "summary":
        writer.writerow([_("Section"), _("Item"), _("Value")])
    for section in sections:
        rows = section.rows + ([{**section.total, section.columns[0].key: _("Total")}] if section.total else [])
        left_out = section.left_out_section()
        if left_out is not None and report.name != "summary":  # self-describing: its first cell names it
            rows += [{**left_out.rows[0], section.columns[0].key: _(LEFT_OUT_LABEL)}]
        if report.name != "summary":
            writer.writerow([neutralise(header(c, unit)) for c in section.columns])
        for row in rows:
            values = [_csv_value(c, row.get(c.key), unit) for c in section.columns]
            if report.name == "summary":
                for column, value in zip(section.columns, values, strict=True):
                    writer.writerow([neutralise(_(section.title)), neutralise(header(column, unit)), value])
            else:
                writer.writerow(values)
    return out.getvalue()


def _csv_value(column: Column, value: Any, unit: str) -> str:
    if value is None:
        return ""
    if column.kind == "money":
        return money(value, unit).replace(",", "")
    if column.kind in ("area", "int", "percent"):
        return str(value)
    return neutralise(shown(column, value, unit))


# Monospace fonts whose Chinese glyphs are two columns wide, so exported tables line up as on a terminal.
FONTS = "'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', 'Sarasa Mono SC', NSimSun, Menlo, Consolas, monospace"


def self_contained(document: str) -> str:
    """No web fonts fetched from elsewhere; a font stack with Chinese monospace fonts instead."""
    document = re.sub(r"@font-face \{.*?\}\s*", "", document, flags=re.S)
    document = document.replace("font-family: Fira Code, monospace;", f"font-family: {FONTS};")
    return document.replace("font-family:Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace", f"font-family:{FONTS}")


def export(report: Report, fmt: str, unit: str) -> bytes:
    if fmt == "json":
        return orjson.dumps(report.as_json(), default=json_default, option=orjson.OPT_INDENT_2) + b"\n"
    if fmt == "csv":
        return ("\ufeff" + csv_text(report, unit)).encode("utf-8")
    if fmt == "md":
        return markdown(report, unit).encode("utf-8")
    parts = renderables(report, unit)
    recorder = console(record=True, width=200, file=io.StringIO())
    if fmt == "txt":
        text = io.StringIO()
        if render_text(parts, recorder, text.write):
            return text.getvalue().encode("utf-8")
    recorder.print(Group(*parts))
    if fmt == "html":
        return self_contained(recorder.export_html(inline_styles=True)).encode("utf-8")
    if fmt == "svg":
        return self_contained(recorder.export_svg(title=clean(title(report, unit)))).encode("utf-8")
    return recorder.export_text().encode("utf-8")
