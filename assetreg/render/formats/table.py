"""The terminal: each table a `Grid` that render/console fits to the terminal's width."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.text import Text

from assetreg.i18n import _
from assetreg.render.console import Grid
from assetreg.render.document import RIGHT, Document, Table, total_cells
from assetreg.render.text import unit_label


def grid(table: Table, unit: str) -> Grid:
    return Grid(
        table.title,
        [c.heading for c in table.columns],
        [c.kind in RIGHT for c in table.columns],
        [total_cells(table, row, unit, is_total) for row, is_total in table.all_rows()],
        total=table.total is not None,
        red=[c.kind == "money" for c in table.columns],
    )


def heading(document: Document) -> str:
    span, unit = document.period[1], unit_label(document.unit)
    return _("{title}  {span}  (money in {unit})").format(title=document.title, span=span, unit=unit)


def renderables(document: Document) -> list[Any]:
    """Title, tables, notes. The summary sets its small tables side by side so it fits one screen."""
    from rich.table import Table as RichTable

    tables: list[Any] = [grid(t, document.unit) for t in document.tables]
    if document.name == "summary" and len(tables) > 2:
        side = RichTable.grid(padding=(0, 2))
        side.add_row(*tables[2:])
        tables = [*tables[:2], side]
    return [Text(heading(document), style="bold"), *tables, *(Text(note) for note in document.notes)]


def show(document: Document) -> None:
    from assetreg.render.console import print_fitted

    print_fitted(*renderables(document))


def write(document: Document, **_options: Any) -> Iterator[bytes]:
    """Never called for a file: a table written to a file or a pipe is the txt format."""
    from assetreg.render.formats import txt

    return txt.write(document)
