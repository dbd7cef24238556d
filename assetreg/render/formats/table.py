"""The terminal: each table a `Grid` that render/console fits to the terminal's width."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from assetreg.i18n import _
from assetreg.render.console import CODE, DATE, FIGURE, ID, TEXT, Beside, Col, Grid
from assetreg.render.document import RIGHT, Document, Table, total_cells
from assetreg.render.text import unit_label
from assetreg.render.text import width as text_width

KINDS = {kind: FIGURE for kind in RIGHT} | {"date": DATE, "mark": CODE, "id": ID, "text": TEXT}
# On a narrow terminal columns are left out lowest first; a table's first column is kept longest.
IMPORTANCE = {
    "owner_name": 0,
    "asset_name": 0,
    "location": 0,
    "title_no": 1,
    "status": 1,
    "counterparty": 1,
    "last_action": 1,
    "category": 2,
    "kind": 2,
    "tenant": 2,
    "collected": 2,
    "assets": 2,
    "name": 3,
    "opening": 3,
    "closing": 3,
    "change": 3,
    "end": 3,
    "arrears": 3,
    "age_days": 3,
    "span": 4,
    "value": 4,
    "ratio": 4,
    "below": 4,
    "id": 5,
    # the clearance result: its values before its counts and areas
    "book_value": 4,
    "found_value": 4,
    "difference": 4,
    "surplus_value": 3,
    "shortfall_value": 3,
}


def grid(table: Table, unit: str) -> Grid:
    """The table as the terminal draws it: figures, dates, ids and the mark never folded, text folding."""
    columns = [
        Col(c.heading, KINDS.get(c.kind, TEXT), 6 if number == 0 else IMPORTANCE.get(c.key, 1), red=c.kind == "money")
        for number, c in enumerate(table.columns)
    ]
    rows = [total_cells(table, row, unit, is_total) for row, is_total in table.all_rows()]
    return Grid(table.title, columns, rows, total=table.total is not None)


def heading(document: Document) -> str:
    span, unit = document.period[1], unit_label(document.unit)
    return _("{title}  {span}  (money in {unit})").format(title=document.title, span=span, unit=unit)


def empty(table: Table) -> bool:
    return not table.rows and table.total is None and not table.after


def nothing(table: Table) -> Text:
    """An empty table as one line under its title: its headings alone said nothing, and at 80 columns they
    were named "not shown for lack of width" besides."""
    return Text(_("{title}: none").format(title=table.title))


def renderables(document: Document, width: int | None = None) -> list[Any]:
    """Title, tables, notes. The summary sets its small tables side by side when they fit so. The signature
    blanks go on one line, or one under the other when that is wider than `width` (at 80 columns the last
    blank went to a line of its own, away from its "Head of the unit:")."""
    tables: list[Any] = [nothing(t) if empty(t) else grid(t, document.unit) for t in document.tables]
    if document.name == "summary" and len(tables) > 2:
        small = tables[2:]
        grids = [t for t in small if isinstance(t, Grid)]
        tables = [*tables[:2], *([Beside(grids)] if grids else []), *(t for t in small if not isinstance(t, Grid))]
    closing = [Text(document.signature_line())] if document.signatures else []
    if closing and width and text_width(closing[0].plain) > width:
        closing = [Text(line) for line in document.signature_blanks()]
    return [Text(heading(document), style="bold"), *tables, *(Text(note) for note in document.notes), *closing]


def show(document: Document, *, wide: bool = False) -> None:
    from assetreg.render.console import print_tables, terminal_width

    print_tables(*renderables(document, terminal_width()), wide=wide)
