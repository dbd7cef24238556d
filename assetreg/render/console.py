"""The one way output reaches a terminal: Rich consoles that never read user text as markup.

Tables are `Grid`s: Rich lays them out (wrapping to the terminal) while they are small; past
`LEAN_ROWS` rows the same grid is drawn directly, one line per row, because Rich's layout costs
milliseconds a row and a province-sized list has a hundred thousand.
"""

from __future__ import annotations

import io
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from assetreg.render.text import clean, width, widths_of

LEAN_ROWS = 300


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


def cell(value: object) -> Text:
    return Text(clean(value))


@dataclass
class Grid:
    """A titled table of plain-text cells; the last row is a total when `total` is set."""

    title: str
    headers: list[str]
    right: list[bool]
    rows: list[list[str]] = field(default_factory=list)
    total: bool = False
    red: list[bool] = field(default_factory=list)  # columns whose negative figures show in red

    def __rich__(self) -> Table:
        grid = Table(title=Text(self.title, style="bold"), header_style="bold")
        for number, (header, right) in enumerate(zip(self.headers, self.right, strict=True)):
            # a column of single words (codes, dates, figures) is never folded: Rich would cut DISPOSAL_BELOW_VALUE
            whole = right or not any(" " in text.strip() for text in [header, *(row[number] for row in self.rows)])
            grid.add_column(Text(header), justify="right" if right else "left", overflow="fold", no_wrap=whole)
        last = len(self.rows) - 1
        for number, row in enumerate(self.rows):
            cells = [Text(v) for v in row]
            for text, red in zip(cells, self.red or [False] * len(cells), strict=True):
                if red and text.plain.startswith("-"):
                    text.stylize("red")  # a loss stands out; the minus sign carries it without colour
            is_total = self.total and number == last
            grid.add_row(*cells, style="bold" if is_total else None, end_section=self.total and number == last - 1)
        return grid

    def min_width(self) -> int:
        """The narrowest this table draws without cutting a figure or a word: text folded at spaces."""

        def least(text: str, right: bool) -> int:
            return width(text) if right else max((width(word) for word in text.split()), default=0)

        columns = [
            max([least(header, right), *(least(row[i], right) for row in self.rows)])
            for i, (header, right) in enumerate(zip(self.headers, self.right, strict=True))
        ]
        return sum(columns) + 3 * len(columns) + 1

    def lines(self) -> Iterator[str]:
        """The same table drawn directly, one line at a time, without wrapping. Worked column by column
        (a province's flags are 10^5 rows); a column of plain ASCII needs no measuring."""
        columns = list(zip(*self.rows, strict=True)) or [() for _ in self.headers]
        sizes = [None if all(map(str.isascii, column)) else widths_of(column) for column in columns]
        widths = [
            max(width(header), max(map(len, column) if size is None else size, default=0))
            for header, column, size in zip(self.headers, columns, sizes, strict=True)
        ]
        padded = [_pad(*spec) for spec in zip(columns, sizes, widths, self.right, strict=True)]
        headers = [_pad((h,), [width(h)], w, r)[0] for h, w, r in zip(self.headers, widths, self.right, strict=True)]

        def line(values: Iterable[str], bar: str) -> str:
            return f"{bar} " + f" {bar} ".join(values).replace("\n", " ") + f" {bar}"

        def rule(left: str, fill: str, mid: str, right: str) -> str:
            return left + mid.join(fill * (w + 2) for w in widths) + right

        total_width = sum(widths) + 3 * len(widths) + 1
        yield " " * max(0, (total_width - width(self.title)) // 2) + self.title
        yield rule("┏", "━", "┳", "┓")
        yield line(headers, "┃")
        yield rule("┡", "━", "╇", "┩")
        for number, row in enumerate(zip(*padded, strict=True)):
            if self.total and number == len(self.rows) - 1:
                yield rule("├", "─", "┼", "┤")
            yield line(row, "│")
        yield rule("└", "─", "┴", "┘")


def _pad(column: Sequence[str], sizes: list[int] | None, to: int, right: bool) -> list[str]:
    """Each value padded with spaces to `to` cells (on the left when right-aligned); `sizes` are the
    values' own widths in cells, None when every value is ASCII (a character a cell)."""
    if sizes is None:
        return [v.rjust(to) for v in column] if right else [v.ljust(to) for v in column]
    if right:
        return [" " * (to - n) + v for v, n in zip(column, sizes, strict=True)]
    return [v + " " * (to - n) for v, n in zip(column, sizes, strict=True)]


def table(title: str, headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[object]]) -> Grid:
    """Headers are (label, justify); every cell is shown as inert text."""
    return Grid(title, [h for h, _ in headers], [j == "right" for _, j in headers], [[clean(v) for v in row] for row in rows])


def details(title: str, pairs: Iterable[tuple[str, object]]) -> Table:
    grid = Table(title=Text(title, style="bold"), show_header=False, box=None, padding=(0, 2, 0, 0))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in pairs:
        grid.add_row(Text(key), cell(value))
    return grid


def render_text(renderables: Sequence[Any], out: Console, write: Callable[[str], Any]) -> bool:
    """Large grids drawn directly as text through `write`; False (nothing written) when Rich should lay out."""
    if sum(len(r.rows) for r in renderables if isinstance(r, Grid)) <= LEAN_ROWS:
        return False
    for item in renderables:
        if isinstance(item, Grid):
            lines = item.lines()
            while chunk := list(itertools.islice(lines, 1000)):  # a write a line costs as much as drawing it
                write("\n".join(chunk) + "\n")
        else:
            buffer = io.StringIO()
            console(width=out.width, file=buffer).print(item)
            write(buffer.getvalue())
    return True


def print_fitted(*renderables: Any) -> None:
    """Print to stdout, widening past the terminal rather than cutting or folding a figure."""
    from rich.measure import Measurement

    out = console()
    if render_text(renderables, out, sys.stdout.write):
        return
    wide = out.options.update_width(10_000)  # measured unclamped: the console clamps to its own width
    tables = [r for r in renderables if isinstance(r, Grid | Table)]  # text wraps; tables must not cut a figure
    needed = max((r.min_width() if isinstance(r, Grid) else Measurement.get(out, wide, r).minimum for r in tables), default=0)
    if needed > out.width:
        out = console(width=needed)
    out.print(Group(*renderables))
