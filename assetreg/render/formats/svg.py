"""A picture of the document, legible in both languages: dark text on a light page, sized to its content.

Laid out on a grid of cells as a terminal would: a Chinese character takes two cells, every other one.
Each piece of text is drawn with `textLength` set to its own width in cells (Rich sizes it by
characters, so Chinese comes out half as wide and overlaps: Textualize/rich#2742), so a column lines
up whatever font the viewer picks. The picture is at most MAX_WIDTH px wide whatever the user typed:
a long cell (a 300-character name, a counterparty, a list of assets) wraps at its words (Chinese
between characters) in a column of at most TEXT_CELLS, each line its own <text>; only figures, ids,
dates and short names (LEAST_CELLS), which never wrap, can make it wider.
"""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterator
from typing import Any
from xml.sax.saxutils import escape

from assetreg.render.document import RIGHT, Document, Table, total_cells
from assetreg.render.text import fold as wrap
from assetreg.render.text import width

CELL = 8  # px per cell: a Latin character of the monospace font at 13 px
LINE = 22  # px per text line
PAD = 16
MAX_WIDTH = 1600  # px: a picture as wide as a screen
MAX_CELLS = (MAX_WIDTH - 2 * PAD) // CELL
TEXT_CELLS = 48  # a column of text wraps past this many cells even when there is room
LEAST_CELLS = 24  # nor narrower than this when the table is too wide: a name of twelve Chinese characters stays whole
WHOLE = ("money", "area", "count", "ratio", "id", "date", "mark")  # never wrapped
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
    tables = max((sum(w) for _, w, _ in laid), default=0)
    cells = max(int(width(document.title) * 1.3) + 1, min(width(facts), MAX_CELLS), tables)
    notes = [line for note in document.notes for line in fold(note, cells)]
    if document.signatures:
        notes += ["", document.signature_line()]
    packed = _pack(document.fact_lines(), cells)  # one line, unless a long registry name makes it wider
    # the height goes first, in the <svg> element: worked out before the body, which is then streamed
    y = PAD + 18 + LINE + LINE * len(packed)
    y += sum(LINE // 2 + LINE + 4 + _height(rows) + LINE // 2 for rows, _, _ in laid)
    y += LINE * len(notes)
    total_width = cells * CELL + 2 * PAD
    total_height = y + PAD
    yield (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" height="{total_height}" '
        f'viewBox="0 0 {total_width} {total_height}" font-family="{FONT}" font-size="13" fill="#111">\n'
        f"<title>{escape(document.title)} · {escape(document.period[1])}</title>\n"
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n'
    ).encode()
    body = _body(document, laid, packed, notes)
    while chunk := list(itertools.islice(body, 1000)):  # a thousand elements at a time: 10^6 of them never held at once
        yield ("\n".join(chunk) + "\n").encode()
    yield b"</svg>\n"


def _body(
    document: Document, laid: list[tuple[list[Row], list[int], list[bool]]], packed: list[str], notes: list[str]
) -> Iterator[str]:
    """The elements inside the picture, one by one."""
    y = PAD + 18
    yield text(PAD, y, document.title, bold=True, size=17)
    y += LINE
    for line in packed:
        yield text(PAD, y, line)
        y += LINE
    for table, (rows, widths, right) in zip(document.tables, laid, strict=True):
        y += LINE // 2
        yield text(PAD, y, table.title, bold=True)
        y += LINE + 4
        y = yield from _draw(rows, widths, right, y)
    for line in notes:
        yield text(PAD, y + 4, line)
        y += LINE


def _height(rows: list[Row]) -> int:
    """What `_draw` takes of the height for these rows: each row as many lines as its tallest cell."""
    return sum(max(len(lines) for lines in cells) * LINE for cells, _ in rows)


def _pack(facts: list[str], cells: int) -> list[str]:
    """The facts on as few lines of at most `cells` as they take, three spaces apart; a fact wider than
    a line (a long registry name) wraps at its words."""
    lines: list[str] = []
    for fact in facts:
        if lines and width(lines[-1]) + 3 + width(fact) <= cells:
            lines[-1] += "   " + fact
        else:
            lines.extend(wrap(fact, cells))
    return lines


Row = tuple[list[list[str]], str]  # each cell's lines, and the row's kind (head, total, marked or plain)
Laid = tuple[list[Row], list[int], list[bool]]  # a table's rows, its columns' widths, which are right-aligned


def _layout(table: Table, unit: str) -> Laid:
    """Each row's cells as lines and its kind, and each column's width in cells (two of them padding)."""
    rows = [
        (total_cells(table, row, unit, is_total), "total" if is_total else "marked" if table.marked(row) else "")
        for row, is_total in table.all_rows()
    ]
    headers = [c.heading for c in table.columns]
    columns = list(zip(headers, *(r for r, _ in rows), strict=True))
    natural = [max(map(width, column)) for column in columns]
    whole = [c.kind in WHOLE for c in table.columns]
    sizes = _fit(natural, whole)
    laid = [([wrap(v, size) for v, size in zip(cells, sizes, strict=True)], kind) for cells, kind in [(headers, "head"), *rows]]
    return laid, [size + 2 for size in sizes], [c.kind in RIGHT for c in table.columns]


def _fit(natural: list[int], whole: list[bool]) -> list[int]:
    """Each column's width in cells: as wide as its widest text, a text column at most TEXT_CELLS, and
    narrower still, down to LEAST_CELLS, while the table is wider than MAX_CELLS (figures, ids and
    dates never wrap: they alone can make it wider)."""

    def sizes(cap: int) -> list[int]:
        return [n if keep else min(n, cap) for n, keep in zip(natural, whole, strict=True)]

    cap = TEXT_CELLS
    while cap > LEAST_CELLS and sum(sizes(cap)) + 2 * len(natural) > MAX_CELLS:
        cap -= 1
    return sizes(cap)


def _draw(rows: list[Row], widths: list[int], right: list[bool], y: int) -> Generator[str, None, int]:
    """The table's elements one by one, its first row at `y`; returns where what follows it goes."""
    left = PAD
    span = sum(widths) * CELL
    top = y - LINE + 6
    tall = any(len(lines) > 1 for cells, _ in rows for lines in cells)
    for cells, kind in rows:
        height = max(len(lines) for lines in cells) * LINE
        fill = {"head": "#e8ecf1", "marked": "#fdecea", "total": "#f4f4f4"}.get(kind)
        if fill:
            yield f'<rect x="{left}" y="{y - LINE + 6}" width="{span}" height="{height}" fill="{fill}"/>'
        if kind == "total":
            yield f'<line x1="{left}" y1="{y - LINE + 6}" x2="{left + span}" y2="{y - LINE + 6}" stroke="#333"/>'
        elif tall and kind != "head" and y - LINE + 6 > top + LINE:  # rows of several lines: a rule between rows
            yield f'<line x1="{left}" y1="{y - LINE + 6}" x2="{left + span}" y2="{y - LINE + 6}" stroke="#ddd"/>'
        x = left
        bold = kind in ("head", "total")
        for lines, cells_wide, is_right in zip(cells, widths, right, strict=True):
            for n, line in enumerate(lines):
                if not line:
                    continue
                if is_right:
                    yield text(x + (cells_wide - 1) * CELL, y + n * LINE, line, end=True, bold=bold)
                else:
                    yield text(x + CELL, y + n * LINE, line, bold=bold)
            x += cells_wide * CELL
        y += height
    bottom = y - LINE + 6
    yield f'<rect x="{left}" y="{top}" width="{span}" height="{bottom - top}" fill="none" stroke="#888"/>'
    yield f'<line x1="{left}" y1="{top + LINE}" x2="{left + span}" y2="{top + LINE}" stroke="#888"/>'
    x = left
    for cells_wide in widths[:-1]:
        x += cells_wide * CELL
        yield f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#ccc"/>'
    return y + LINE // 2
