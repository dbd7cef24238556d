"""A workbook for Excel and WPS: an About sheet, then one sheet per table, streamed row by row.

openpyxl's write-only workbook keeps little in memory (a province's register is 10^5 rows). Figures
are numbers with a number format, exact in the unit asked (a Decimal is written as its own digits,
so money reads back to the cent); dates are dates; text is never a formula. Row 1 is the header,
frozen.

Printed, each sheet is a page of a finance office's file: A4 landscape, fitted to the page width, row 1
repeated on every page, the registry, the page number and the log head in the footer, and the table
ending with the 制表人 / 审核人 / 负责人 blanks. Columns are as wide as their widest figure as the number
format shows it (thousands separators, two decimals), the total included: LibreOffice and Excel show a
number that does not fit as ###.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assetreg.i18n import _
from assetreg.render.document import CENTS, NUMERIC, Col, Document, Table, exact, shown
from assetreg.render.text import one_line, width, widths_of

FORMATS = {"money": "#,##0.00", "area": "#,##0.00", "ratio": "#,##0.00", "count": "#,##0", "date": "yyyy-mm-dd"}
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")
NAME_LIMIT = 31  # characters a sheet name may have (Excel)
# Words a cut name should not end on ("Restructurings completed in the"): the name ends on the word before.
_DANGLING = frozenset(["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"])
WIDEST = 60  # text wider than this wraps in a printed sheet rather than widening its column further
A4 = "9"  # paperSize in OOXML
ABOUT_WIDTH = 100  # the About sheet's second column, where the notes wrap
LINE = 15  # points: the height of a line of 11-point text


def sheet_names(document: Document) -> list[str]:
    """Each table's title as a sheet name: whole words within 31 characters, none of []:*?/\\, all different."""
    names: list[str] = [_("About")]
    for table in document.tables:
        base = " ".join(_BAD_NAME.sub(" ", table.title).split()).strip("'") or "Sheet"
        name, n = _fit(base, NAME_LIMIT), 2
        while name.lower() in (x.lower() for x in names):
            suffix = f" {n}"
            name, n = _fit(base, NAME_LIMIT - len(suffix)) + suffix, n + 1
        names.append(name)
    return names


def _fit(text: str, limit: int) -> str:
    """The text within `limit` characters, cut after the last whole word that fits (Chinese between
    characters); a word of its own longer than the limit is cut, as nothing else would fit."""
    if len(text) <= limit:
        return text
    words = text[: limit + 1].split(" ")[:-1]  # the last piece is cut (or is the space after a word that fits)
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    kept = " ".join(words).rstrip(" –-,;(（")
    if kept:
        return kept
    return text[:limit]  # no space: Chinese (any character boundary is one) or one long word


def write(document: Document, **_options: Any) -> Iterator[bytes]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook(write_only=True)
    # named: a font without a name is drawn in LibreOffice's default, a serif, beside the Calibri of the rest
    bold, marked = Font(name="Calibri", bold=True), PatternFill("solid", start_color="FDECEA", end_color="FDECEA")
    wrap, right, top = Alignment(wrap_text=True, vertical="top"), Alignment(horizontal="right"), Alignment(vertical="top")
    names = sheet_names(document)
    about = book.create_sheet(names[0])
    _print_setup(about, document)  # before the first row: the sheet's properties are written with it
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = ABOUT_WIDTH
    title = WriteOnlyCell(about, value=document.title)
    title.font = Font(name="Calibri", bold=True, size=14)
    about.append([WriteOnlyCell(about, value=_("Title")), title])
    facts = document.facts()
    for label, value in facts:
        about.append([label, _text(about, value)])
    for number, note in enumerate(document.notes, start=len(facts) + 2):
        cell = _text(about, note)
        cell.alignment = wrap
        # a wrapped row is as tall as its lines: LibreOffice keeps the height a file gives (one line)
        about.row_dimensions[number].height = LINE * _lines(cell, ABOUT_WIDTH)
        about.append([_("Note"), cell])
    about.append([_("Reporting unit"), _text(about, document.registry)])
    for role in document.form_roles:
        about.append([_text(about, role), _text(about, "_" * 20)])

    for table, name in zip(document.tables, names[1:], strict=True):
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        _print_setup(sheet, document)
        sheet.print_title_rows = "1:1"  # the header on every printed page
        sizes = _widths(table, document.unit)
        for letter, size in zip(_letters(len(table.columns)), sizes, strict=True):
            sheet.column_dimensions[letter].width = size
        heads = []
        for col in table.columns:
            head = WriteOnlyCell(sheet, value=col.heading)
            head.data_type = "s"  # never a formula, whatever a translation starts with
            head.font = bold
            if col.kind in NUMERIC:  # over its figures, as html and pdf set it
                head.alignment = right
            heads.append(head)
        sheet.append(heads)
        texts = [i for i, col in enumerate(table.columns) if col.kind not in FORMATS]  # where a cell may wrap
        for number, (row, is_total) in enumerate(table.all_rows(), start=2):
            cells = [_cell(sheet, col, row.get(col.key), document.unit) for col in table.columns]
            lines = max((_lines(cells[i], sizes[i]) for i in texts if isinstance(cells[i], Cell)), default=1)
            if lines > 1:  # LibreOffice keeps a row one line high unless the file says how tall it is
                sheet.row_dimensions[number].height = LINE * lines
                for i, value in enumerate(cells):  # the row's other cells beside the wrapped one's first line
                    if value is not None and not (isinstance(value, Cell) and value.alignment.wrap_text):
                        cells[i] = value if isinstance(value, Cell) else _text(sheet, value)
                        cells[i].alignment = top
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
        sheet.append([])
        for line in _signature_rows(sheet, document.form_roles, sizes):
            sheet.append(line)
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
    if len(text) > WIDEST // 2 and width(text) > WIDEST - 2:  # wider than its column can be: wrapped at its words
        from openpyxl.styles import Alignment

        cell = _text(sheet, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    return _text(sheet, text) if text.startswith("=") else text


def _text(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a string cell, even when it begins with =
    return cell


def _print_setup(sheet: Any, document: Document) -> None:
    """A4 landscape, one page wide (as many pages down as it takes), the registry, the page number and
    the log head in the footer of every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows take
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    footer = sheet.oddFooter
    footer.left.text = _footer_text(one_line(document.registry)[:80])  # cut before && is made: never a lone &
    footer.center.text = _("Page &P of &N")  # Excel's codes: this page, the number of pages
    footer.right.text = _footer_text(document.head_text)


def _lines(cell: Any, size: float) -> int:
    """The lines a wrapped cell's text takes in a column `size` wide (measured as `_widths` measures); 1 unwrapped."""
    if not cell.alignment.wrap_text:
        return 1
    return max(1, -(-int(width(str(cell.value)) * 1.2) // max(1, int(size) - 2)))


def _footer_text(text: str) -> str:
    """Text as itself in a header or footer, where & starts a code (&P, &N, &"font"…): && is one &."""
    return text.replace("&", "&&")


def _signature_rows(sheet: Any, roles: list[str], sizes: list[float]) -> list[list[Any]]:
    """The blanks a printed form ends with, under the table: on one row, each blank in the first column
    after the one before has ended (its text runs on over the empty cells beside it); one per row in the
    first column when the table is too narrow for them side by side."""
    texts = [f"{role}{_(': ')}{'_' * 14}" for role in roles]
    need = max(width(text) for text in texts) * 1.2 + 2  # as columns are measured (see _widths)
    starts: list[int] = []
    edge = free = 0.0  # where a column begins; where the last blank placed ends
    for i, size in enumerate(sizes):
        if len(starts) < len(texts) and edge >= free:
            starts.append(i)
            free = edge + need
        edge += size
    if len(starts) < len(texts) or edge < free:
        return [[_text(sheet, text)] for text in texts]
    row: list[Any] = [None] * (starts[-1] + 1)
    for start, text in zip(starts, texts, strict=True):
        row[start] = _text(sheet, text)
    return [row]


def _letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i + 1) for i in range(count)]


def _widths(table: Table, unit: str) -> list[float]:
    """Each column's width in characters: its heading, and its widest cell as the spreadsheet shows it
    (a figure with its number format, the total and the rows under it included; a Chinese character
    counts two). A figure column needs one pass for its largest and smallest value, no list: a number
    format's text grows with the magnitude, and a minus sign adds one."""
    sizes = []
    for i, col in enumerate(table.columns):
        widest = [width(col.heading)]
        if i == 0 and table.total is not None:
            widest.append(width(_("Total")))
        if col.kind in FORMATS:
            widest.extend(len(_formatted(col, value, unit)) for value in _extremes(col, table, unit))
        if col.kind not in FORMATS or col.kind == "date":  # a date column may hold text a date cannot parse
            widest.append(max(widths_of([shown(col, row.get(col.key), unit) for row, _total in table.all_rows()]), default=0))
        # Bold totals and the fonts LibreOffice puts in for Calibri draw figures up to a fifth wider than
        # Excel's unit (the width of Calibri's 0): a margin of 20 % and two characters keeps ### away.
        sizes.append(min(float(WIDEST), round(max(widest) * 1.2 + 2, 1)))
    return sizes


def _extremes(col: Col, table: Table, unit: str) -> list[Any]:
    """The largest and the smallest figure of a column as the spreadsheet keeps it, total included (none when empty).

    Compared as stored when every value is a number or a date (the spreadsheet's figure grows with it:
    万元 divides by 10,000, areas round to the cent), so only the two found are converted."""
    key = col.key
    values = [value for row, _total in table.all_rows() if (value := row.get(key)) is not None and value != ""]
    if not all(isinstance(value, Decimal | int | date) and not isinstance(value, bool) for value in values):
        values = [found for value in values if isinstance(found := exact(col, value, unit), Decimal | int | date)]
        return [max(values), min(values)] if values else []
    return [exact(col, max(values), unit), exact(col, min(values), unit)] if values else []


def _formatted(col: Col, value: Any, unit: str) -> str:
    """A figure as its number format shows it: #,##0.00 with two decimals rounded half away from zero
    (Excel's rounding), #,##0 whole, a date as yyyy-mm-dd."""
    if isinstance(value, date):
        return value.isoformat()
    places = Decimal(1) if FORMATS[col.kind] == "#,##0" else CENTS
    return f"{Decimal(value).quantize(places, rounding=ROUND_HALF_UP):,f}"
