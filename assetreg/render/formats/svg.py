"""A picture of the document, legible in both languages: dark text on a light page, sized to its content.

Laid out on a grid of cells as a terminal would: a Chinese character takes two cells, every other one.
Each piece of text is drawn with `textLength` set to its own width in cells (Rich sizes it by
characters, so Chinese comes out half as wide and overlaps: Textualize/rich#2742), so a column lines
up whatever font the viewer picks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

from assetreg.render.document import RIGHT, Document, Table, total_cells
from assetreg.render.text import width

CELL = 8  # px per cell: a Latin character of the monospace font at 13 px
LINE = 22  # px per text line
PAD = 16
FONT = "'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', monospace"


def text(x: float, y: float, value: str, *, end: bool = False, bold: bool = False, size: int = 13) -> str:
    """One piece of text exactly as wide as its cells."""
    cells = width(value)
    anchor = ' text-anchor="end"' if end else ""
    weight = ' font-weight="bold"' if bold else ""
    scale = size / 13  # larger text takes proportionally wider cells
    return (
        f'<text x="{x:g}" y="{y:g}"{anchor}{weight} font-size="{size}" textLength="{cells * CELL * scale:g}" '
        f'lengthAdjust="spacingAndGlyphs">{escape(value)}</text>'
    )


def fold(value: str, cells: int) -> list[str]:
    """A note folded to `cells` wide: at a space in its second half if there is one, else between characters."""
    lines, line, used = [], "", 0
    for char in value:
        size = width(char)
        if used + size > cells:
            cut = line.rfind(" ")
            head, line = (line[:cut], line[cut + 1 :]) if cut > len(line) // 2 else (line, "")
            lines.append(head)
            used = width(line)
        line += char
        used += size
    return [*lines, line] if line else lines


def write(document: Document, **_: Any) -> Iterator[bytes]:
    unit = document.unit
    laid = [_layout(t, unit) for t in document.tables]
    facts = "   ".join(document.fact_lines())
    cells = max([int(width(document.title) * 1.3) + 1, width(facts), *(sum(w) for _, w, _ in laid)])
    notes = [line for note in document.notes for line in fold(note, cells)]
    if document.signatures:
        notes += ["", document.signature_line()]
    body: list[str] = []
    y = PAD + 18
    body.append(text(PAD, y, document.title, bold=True, size=17))
    y += LINE
    body.append(text(PAD, y, facts))
    y += LINE
    for table, (rows, widths, right) in zip(document.tables, laid, strict=True):
        y += LINE // 2
        body.append(text(PAD, y, table.title, bold=True))
        y += LINE + 4
        y = _draw(body, table, rows, widths, right, y)
    for line in notes:
        body.append(text(PAD, y + 4, line))
        y += LINE
    total_width = cells * CELL + 2 * PAD
    total_height = y + PAD
    yield (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" height="{total_height}" '
        f'viewBox="0 0 {total_width} {total_height}" font-family="{FONT}" font-size="13" fill="#111">\n'
        f"<title>{escape(document.title)} · {escape(document.period[1])}</title>\n"
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n'
    ).encode()
    yield ("\n".join(body) + "\n</svg>\n").encode()


def _layout(table: Table, unit: str) -> tuple[list[tuple[list[str], str]], list[int], list[bool]]:
    """Each row's texts and its kind (total, marked or plain), and each column's width in cells."""
    rows = [
        (total_cells(table, row, unit, is_total), "total" if is_total else "marked" if table.marked(row) else "")
        for row, is_total in table.all_rows()
    ]
    headers = [c.heading for c in table.columns]
    widths = [max(width(v) for v in column) + 2 for column in zip(headers, *(r for r, _ in rows), strict=True)]
    return [(headers, "head"), *rows], widths, [c.kind in RIGHT for c in table.columns]


def _draw(body: list[str], table: Table, rows: list[tuple[list[str], str]], widths: list[int], right: list[bool], y: int) -> int:
    left = PAD
    span = sum(widths) * CELL
    top = y - LINE + 6
    for cells, kind in rows:
        fill = {"head": "#e8ecf1", "marked": "#fdecea", "total": "#f4f4f4"}.get(kind)
        if fill:
            body.append(f'<rect x="{left}" y="{y - LINE + 6}" width="{span}" height="{LINE}" fill="{fill}"/>')
        if kind == "total":
            body.append(f'<line x1="{left}" y1="{y - LINE + 6}" x2="{left + span}" y2="{y - LINE + 6}" stroke="#333"/>')
        x = left
        for value, cells_wide, is_right in zip(cells, widths, right, strict=True):
            if value:
                bold = kind in ("head", "total")
                if is_right:
                    body.append(text(x + (cells_wide - 1) * CELL, y, value, end=True, bold=bold))
                else:
                    body.append(text(x + CELL, y, value, bold=bold))
            x += cells_wide * CELL
        y += LINE
    bottom = y - LINE + 6
    body.append(f'<rect x="{left}" y="{top}" width="{span}" height="{bottom - top}" fill="none" stroke="#888"/>')
    body.append(f'<line x1="{left}" y1="{top + LINE}" x2="{left + span}" y2="{top + LINE}" stroke="#888"/>')
    x = left
    for cells_wide in widths[:-1]:
        x += cells_wide * CELL
        body.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#ccc"/>')
    return y + LINE // 2
