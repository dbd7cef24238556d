"""The one way output reaches a terminal: Rich consoles that never read user text as markup."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assetreg.render.text import clean


def console(*, record: bool = False, width: int | None = None, file: Any = None) -> Console:
    columns = width or (int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None)
    return Console(
        file=file or sys.stdout,
        markup=False,
        emoji=False,
        highlight=False,
        record=record,
        width=columns,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
        soft_wrap=False,
    )


def print_fitted(*renderables: Any) -> None:
    """Print to stdout, widening past the terminal rather than cutting or folding a figure."""
    from rich.console import Group
    from rich.measure import Measurement

    out = console()
    wide = out.options.update_width(10_000)  # measured unclamped: the console clamps to its own width
    needed = max((Measurement.get(out, wide, r).minimum for r in renderables if isinstance(r, Table)), default=0)
    if needed > out.width:
        out = console(width=needed)
    out.print(Group(*renderables))


def cell(value: object) -> Text:
    return Text(clean(value))


def table(title: str, headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[object]]) -> Table:
    """Headers are (label, justify); every cell is plain text."""
    grid = Table(title=Text(title, style="bold"), header_style="bold", show_lines=False)
    for header, justify in headers:
        numeric = justify == "right"
        grid.add_column(Text(header), justify=justify, overflow="fold", no_wrap=numeric)  # type: ignore[arg-type]
    for row in rows:
        grid.add_row(*(cell(v) for v in row))
    return grid


def details(title: str, pairs: Iterable[tuple[str, object]]) -> Table:
    grid = Table(title=Text(title, style="bold"), show_header=False, box=None, padding=(0, 2, 0, 0))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in pairs:
        grid.add_row(Text(key), cell(value))
    return grid
