"""A workbook for Excel and WPS: an About sheet, then one sheet per table, streamed row by row.

openpyxl's write-only workbook keeps little in memory (a province's register is 10^5 rows). Figures
are numbers with a number format, exact in the unit asked (a Decimal is written as its own digits,
so money reads back to the cent); dates are dates; text is never a formula. Row 1 is the header,
frozen.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from assetreg.i18n import _
from assetreg.render.document import Col, Document, Table, exact, shown
from assetreg.render.text import width

FORMATS = {"money": "#,##0.00", "area": "#,##0.00", "ratio": "#,##0.00", "count": "#,##0", "date": "yyyy-mm-dd"}
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


def sheet_names(document: Document) -> list[str]:
    """Each table's title as a sheet name: at most 31 characters, none of []:*?/\\, all different."""
    names: list[str] = [_("About")]
    for table in document.tables:
        base = _BAD_NAME.sub(" ", table.title).strip()[:28] or "Sheet"
        name, n = base, 2
        while name.lower() in (x.lower() for x in names):
            name, n = f"{base} {n}", n + 1
        names.append(name)
    return names


def write(document: Document, **_options: Any) -> Iterator[bytes]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook(write_only=True)
    bold, marked = Font(bold=True), PatternFill("solid", start_color="FDECEA", end_color="FDECEA")
    wrap = Alignment(wrap_text=True, vertical="top")
    names = sheet_names(document)
    about = book.create_sheet(names[0])
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 100
    title = WriteOnlyCell(about, value=document.title)
    title.font = Font(bold=True, size=14)
    about.append([WriteOnlyCell(about, value=_("Title")), title])
    for label, value in document.facts():
        about.append([label, _text(about, value)])
    for note in document.notes:
        cell = _text(about, note)
        cell.alignment = wrap
        about.append([_("Note"), cell])
    about.append([_("Reporting unit"), _text(about, document.registry)])
    for role in document.form_roles:
        about.append([_text(about, role), _text(about, "_" * 20)])

    for table, name in zip(document.tables, names[1:], strict=True):
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for letter, size in zip(_letters(len(table.columns)), _widths(table, document.unit), strict=True):
            sheet.column_dimensions[letter].width = size
        heads = []
        for col in table.columns:
            head = WriteOnlyCell(sheet, value=col.heading)
            head.data_type = "s"  # never a formula, whatever a translation starts with
            head.font = bold
            heads.append(head)
        sheet.append(heads)
        for row, is_total in table.all_rows():
            cells = [_cell(sheet, col, row.get(col.key), document.unit) for col in table.columns]
            if is_total:
                cells[0] = WriteOnlyCell(sheet, value=_("Total"))
            if is_total or table.marked(row):
                for i, value in enumerate(cells):
                    cell = value if isinstance(value, Cell) else _text(sheet, value)
                    if is_total:
                        cell.font = bold
                    else:
                        cell.fill = marked
                    cells[i] = cell
            sheet.append(cells)
    with tempfile.TemporaryFile() as handle:  # streamed back in pieces: no copy of the whole workbook
        book.save(handle)
        handle.seek(0)
        while piece := handle.read(1 << 20):
            yield piece


def _cell(sheet: Any, col: Col, value: Any, unit: str) -> Any:
    """A figure or a date as a formatted cell; text as itself (a cell object only when it starts with =)."""
    found = exact(col, value, unit)
    if found is None:
        return None
    number_format = FORMATS.get(col.kind)
    if number_format and isinstance(found, Decimal | int | date):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=found)
        cell.number_format = number_format
        return cell
    text = str(found)
    return _text(sheet, text) if text.startswith("=") else text


def _text(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a string cell, even when it begins with =
    return cell


def _letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i + 1) for i in range(count)]


def _widths(table: Table, unit: str) -> list[float]:
    """Column widths in characters from the heading and the first rows (a Chinese character counts two)."""
    sample = table.rows[:200]
    return [
        min(60.0, 2.0 + max([width(col.heading), *(width(shown(col, row.get(col.key), unit)) for row in sample)]))
        for col in table.columns
    ]
