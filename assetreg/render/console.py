"""The one way output reaches a terminal: Rich consoles that never read user text as markup, and every
table of the tool fitted to the terminal's width.

A table is a `Grid` of typed columns (`Col`). `fit` decides the widths from display cells (a Chinese
character is two): figures, dates, ids and codes keep the width of their widest value and are never
folded or cut; text columns share what is left and fold (at spaces, Chinese between any two
characters); when even folding cannot fit, the least important columns are left out and a line under
the table names them (`wide=True` keeps every column). Without a width (stdout not a terminal and no
`COLUMNS`) a table is drawn at its full width.

The drawing is done here, for ten rows or a hundred thousand (a province's flags): column by column, a
column of plain ASCII is not measured, and only cells wider than their column are folded. Rich lays
out only the small things around tables (titles, notes, `details`).
"""

from __future__ import annotations

import io
import itertools
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from assetreg.i18n import _
from assetreg.render.text import clean, fold, longest_piece, width, widths_of

LEAN_ROWS = 300  # past this many rows lines are written plain, without Rich (no bold, no red)
FULL = 100_000  # the width of a console when the table is drawn at its full width
TEXT, FIGURE, DATE, ID, CODE = "text", "figure", "date", "id", "code"
KINDS = (TEXT, FIGURE, DATE, ID, CODE)
WORD_CAP = 24  # a word longer than this in a text column may be cut (a path, a URL) rather than widen it
HEADING = 8  # a figure's heading is folded to no less than this (or its longest word) before columns go


def console(*, record: bool = False, width: int | None = None, file: Any = None) -> Console:
    columns = width or terminal_width()
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


def terminal_width() -> int | None:
    """`COLUMNS` when set, else the width of the terminal on stdout; None when stdout is not a terminal
    (tables are then drawn at their full width)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns if sys.stdout.isatty() else None
    except (OSError, ValueError, AttributeError):  # a replaced stdout without a file descriptor
        return None


def cell(value: object) -> Text:
    return Text(clean(value))


@dataclass(frozen=True)
class Col:
    """A column of a terminal table.

    header: the heading; it folds like text when the column is narrower than it.
    kind: `text` folds to fit; `figure` (right-aligned), `date`, `id` and `code` are never folded or
        cut: the column is as wide as its widest value.
    importance: when even folding cannot fit, columns are left out lowest importance first (the
        rightmost first among equals) and named under the table. Give the column that says which
        record a row is (an id, `N` of `backup list`) the highest.
    least: the narrowest (in cells) a text column is folded to before a column is left out; a text
        column is never narrower than its longest word (up to `WORD_CAP`), so a figure or an id inside
        a message stays whole.
    red: negative figures are shown in red on a colour terminal.
    """

    header: str
    kind: str = TEXT
    importance: int = 1
    least: int = 10
    red: bool = False


@dataclass
class Layout:
    """What `fit` decided: the columns kept (indexes, in order), their widths in cells, the headers of
    the columns left out, and each kept column's cell widths (None: all ASCII, a character a cell)."""

    keep: list[int]
    widths: list[int]
    dropped: list[str]
    sizes: list[list[int] | None]

    @property
    def width(self) -> int:
        return sum(self.widths) + 3 * len(self.widths) + 1


def fit(columns: Sequence[Col], rows: Sequence[Sequence[str]], width: int | None, *, wide: bool = False) -> Layout:
    """Widths for a boxed table of these rows in `width` cells (None: the full width, nothing folded).

    Every column first gets its least: a figure, date, id or code its widest value (its header may fold
    at spaces), a text column `Col.least` or its longest word, whichever is more (never more than its
    widest value). If that is still too wide, columns are left out by importance unless `wide`. What is
    left over goes first to the headings of the other columns (a folded heading costs a line; a folded
    column, lines in every row), then to the text columns, shared evenly up to their widest value.
    """
    if set(map(len, rows)) - {len(columns)}:
        raise ValueError("a row without one cell per column")
    values = [[row[i] for row in rows] for i in range(len(columns))]  # not zip(*rows): 10^5 arguments cost more
    sizes: list[list[int] | None] = []
    natural, widest = [], []
    for col, column in zip(columns, values, strict=True):
        size = None if all(map(str.isascii, column)) else widths_of(column)
        sizes.append(size)
        widest.append(max(map(len, column) if size is None else size, default=0))
        natural.append(max(widest[-1], _width(col.header)))
    keep = list(range(len(columns)))
    if width is None:  # nothing folds: the least widths (every word of 10^5 cells measured) are not needed
        return Layout(keep, natural, [], sizes)
    least = []
    for i, (col, column) in enumerate(zip(columns, values, strict=True)):
        head = longest_piece([col.header], WORD_CAP)
        if col.kind == TEXT:
            least.append(min(natural[i], max(col.least, head, longest_piece(column, WORD_CAP))))
        else:
            least.append(max(widest[i], min(natural[i], max(head, HEADING))))

    def need() -> int:
        return sum(least[i] for i in keep) + 3 * len(keep) + 1

    dropped = []
    while not wide and need() > width and len(keep) > 1:
        gone = min(keep, key=lambda i: (columns[i].importance, -i))
        keep.remove(gone)
        dropped.append(gone)
    widths = {i: least[i] for i in keep}
    spare = width - need()
    spare = _share(widths, natural, [i for i in keep if columns[i].kind != TEXT], spare)  # a heading or two
    _share(widths, natural, [i for i in keep if columns[i].kind == TEXT], spare)
    return Layout(keep, [widths[i] for i in keep], [columns[i].header for i in sorted(dropped)], [sizes[i] for i in keep])


def _width(text: str) -> int:
    return len(text) if text.isascii() else width(text)


def _share(widths: dict[int, int], natural: list[int], columns: list[int], spare: int) -> int:
    """Spread `spare` cells evenly over the columns, none past its natural width; what is left over."""
    growing = [i for i in columns if widths[i] < natural[i]]
    while spare > 0 and growing:
        each = max(1, spare // len(growing))
        for i in growing:
            add = min(each, natural[i] - widths[i], spare)
            widths[i] += add
            spare -= add
        growing = [i for i in growing if widths[i] < natural[i]]
    return spare


@dataclass
class Grid:
    """A titled table of plain-text cells in typed columns; the last row is a total when `total` is set.

    `lines(width, wide=...)` draws it in at most `width` cells (see `fit`); `print_tables` prints it to
    the terminal. Cells are shown as they are: make user text inert first (`clean`, or `table`).
    """

    title: str
    columns: list[Col]
    rows: list[list[str]] = field(default_factory=list)
    total: bool = False

    def lines(self, width: int | None = None, *, wide: bool = False) -> Iterator[str]:
        """The table as lines of at most `width` cells (when it can fit at all), title and note included."""
        return itertools.chain.from_iterable(lines for lines, _bold, _reds in self._draw(width, wide, styled=False))

    def styled(self, width: int | None = None, *, wide: bool = False) -> Iterator[Text]:
        """The same lines as Rich text: title, headings and total in bold, negative figures in red."""
        for lines, bold, reds in self._draw(width, wide, styled=True):
            for number, line in enumerate(lines):
                text = Text(line, style="bold" if bold else "", no_wrap=True, overflow="ignore")
                for start, end in reds[number] if reds else ():
                    text.stylize("red", start, end)
                yield text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Inside a Rich layout (a document export) the table fits the space given and keeps every column."""
        yield from self.styled(options.max_width, wide=True)

    def _draw(self, width: int | None, wide: bool, styled: bool) -> Iterator[Block]:
        """The drawn table in blocks of lines, each bold or not, with the spans of its negative figures
        when `styled` (a block of 10^5 one-line rows is drawn without a Python step per line)."""
        layout = fit(self.columns, self.rows, width, wide=wide)
        if layout.dropped and len(self.rows) == 1 and not self.total:  # one row (a summary's figures): turned
            yield from self._turned()._draw(width, wide, styled)
            return
        columns = [self.columns[i] for i in layout.keep]
        widths = layout.widths
        right = [c.kind == FIGURE for c in columns]
        yield _title(self.title, layout.width, width), True, None

        def rule(left: str, fill: str, mid: str, end: str) -> str:
            return left + mid.join(fill * (w + 2) for w in widths) + end

        heads = [fold(c.header, w) for c, w in zip(columns, widths, strict=True)]
        head = [_joined(parts, widths, right, "┃") for parts in itertools.zip_longest(*heads, fillvalue="")]
        yield [rule("┏", "━", "┳", "┓"), *head, rule("┡", "━", "╇", "┩")], True, None
        kept = zip(layout.keep, layout.sizes, widths, right, strict=True)
        drawn = [_column([row[i] for row in self.rows], size, w, r) for i, size, w, r in kept]
        padded = [cells for cells, _folded in drawn]
        folded = [lines for _cells, lines in drawn]
        red = [c.red for c in columns] if styled and any(c.red for c in columns) else None
        rows = _Rows(padded, folded, [" " * w for w in widths], red)
        count = len(self.rows)
        if self.total and count:
            yield from rows.blocks(0, count - 1, bold=False)
            yield [rule("├", "─", "┼", "┤")], False, None
            yield from rows.blocks(count - 1, count, bold=True)
        else:
            yield from rows.blocks(0, count, bold=False)
        yield [rule("└", "─", "┴", "┘")], False, None
        if layout.dropped:
            note = _("Not shown for lack of width: {columns} (--wide shows every column)").format(
                columns=_(", ").join(layout.dropped)
            )
            yield fold(note, width or FULL), False, None

    def _turned(self) -> Grid:
        """The one row as a column: each heading beside its value, so no value has to be left out."""
        figures = all(c.kind == FIGURE for c in self.columns)
        columns = [
            Col(_("Item"), TEXT, 2),
            Col(_("Figure"), FIGURE if figures else TEXT, 1, red=any(c.red for c in self.columns)),
        ]
        return Grid(self.title, columns, [[c.header, value] for c, value in zip(self.columns, self.rows[0], strict=True)])


Block = tuple[list[str], bool, list[list[tuple[int, int]]] | None]  # lines, bold, each line's red spans


class _Rows:
    """The rows of a table, drawn: each a line of its padded cells, or the lines of its folded cells."""

    def __init__(self, padded: list[list[str]], folded: list[dict[int, list[str]]], blank: list[str], red: list[bool] | None):
        self.padded, self.folded, self.blank, self.red = padded, folded, blank, red
        self.tall = sorted(set().union(*folded))  # rows with a folded cell, drawn on several lines
        # a row a line, joined in C: 10^5 rows cost no Python step each (the folded rows' lines are redrawn)
        self.line = ["│ " + line.replace("\n", " ") + " │" for line in map(" │ ".join, zip(*padded, strict=True))]

    def blocks(self, start: int, end: int, *, bold: bool) -> Iterator[Block]:
        """Rows `start` to `end`: each run of one-line rows as one block, each folded row as another."""
        for number in self.tall:
            if start <= number < end:
                yield self._run(start, number, bold)
                yield self._folded(number), bold, None
                start = number + 1
        yield self._run(start, end, bold)

    def _run(self, start: int, end: int, bold: bool) -> Block:
        if not self.red:
            return self.line[start:end], bold, None
        rows = zip(*(cells[start:end] for cells in self.padded), strict=True)
        return self.line[start:end], bold, [_reds(row, self.red) for row in rows]

    def _folded(self, number: int) -> list[str]:
        stacked = [lines.get(number) or [cells[number]] for cells, lines in zip(self.padded, self.folded, strict=True)]
        height = max(map(len, stacked))
        # every part is padded already; the shorter cells are made as tall with blank lines
        stacked = [parts + [blank] * (height - len(parts)) for parts, blank in zip(stacked, self.blank, strict=True)]
        return ["│ " + line.replace("\n", " ") + " │" for line in map(" │ ".join, zip(*stacked, strict=True))]


def _title(title: str, table_width: int, width: int | None) -> list[str]:
    """Centred over the table when it fits there, else folded to the terminal's width."""
    cells = _width(title)
    if not title:
        return []
    if cells <= table_width:
        return [" " * ((table_width - cells) // 2) + title]
    return fold(title, width or cells)


def _column(values: Sequence[str], sizes: list[int] | None, to: int, right: bool) -> tuple[list[str], dict[int, list[str]]]:
    """Each value padded to `to` cells (on the left when right-aligned), and, by row, the lines (padded)
    of each value wider than that, folded (its entry in the first list is then not used)."""
    pad = str.rjust if right else str.ljust
    if sizes is None and max(map(len, values), default=0) <= to:  # all ASCII and no fold: padded in C, 10^5 cells
        return list(map(pad, values, itertools.repeat(to))), {}
    if sizes is None:
        sizes = list(map(len, values))
    # a value of `cells` cells takes `to - cells` spaces: padded to that many characters, in C
    padded = list(map(pad, values, [to - cells + len(value) for value, cells in zip(values, sizes, strict=True)]))
    folded = {
        number: _padded(fold(values[number].replace("\n", " "), to), to, right)
        for number, cells in enumerate(sizes)
        if cells > to
    }
    return padded, folded


def _padded(lines: list[str], to: int, right: bool) -> list[str]:
    """Each line padded to `to` cells; lines of ASCII (most folded messages) padded in C."""
    if all(map(str.isascii, lines)):
        return [line.rjust(to) for line in lines] if right else [line.ljust(to) for line in lines]
    return [_pad(line, to, right) for line in lines]


def _pad(text: str, to: int, right: bool) -> str:
    gap = " " * max(0, to - _width(text))
    return gap + text if right else text + gap


def _joined(parts: Sequence[str], widths: Sequence[int], right: Sequence[bool], bar: str) -> str:
    """One drawn line of cells that may not be padded yet (headings, the lines of a folded row)."""
    cells = [_pad(part, w, r) for part, w, r in zip(parts, widths, right, strict=True)]
    return f"{bar} " + f" {bar} ".join(cells).replace("\n", " ") + f" {bar}"


def _reds(row: Sequence[str], red: list[bool]) -> list[tuple[int, int]]:
    """Character spans of the negative figures of a drawn line (a loss stands out; the minus sign
    carries it without colour)."""
    spans, start = [], 2
    for value, is_red in zip(row, red, strict=True):
        if is_red and value.lstrip().startswith("-"):
            spans.append((start, start + len(value)))
        start += len(value) + 3
    return spans


@dataclass
class Beside:
    """Small tables set side by side when they fit the width together, else one under the other."""

    grids: list[Grid]
    gap: int = 2

    def lines(self, width: int | None = None, *, wide: bool = False) -> Iterator[str]:
        drawn = [list(grid.lines(None)) for grid in self.grids]
        sizes = [max(map(_width, lines), default=0) for lines in drawn]
        if width is not None and sum(sizes) + self.gap * (len(sizes) - 1) > width:
            for grid in self.grids:
                yield from grid.lines(width, wide=wide)
            return
        gap = " " * self.gap
        for parts in itertools.zip_longest(*drawn, fillvalue=""):
            yield gap.join(_pad(p, s, False) for p, s in zip(parts, sizes, strict=True)).rstrip()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width, wide=True):
            yield Text(line, no_wrap=True, overflow="ignore")


def table(title: str, columns: Sequence[Col], rows: Iterable[Sequence[object]], *, total: bool = False) -> Grid:
    """A `Grid` whose every cell is shown as inert text."""
    return Grid(title, list(columns), [[clean(v) for v in row] for row in rows], total=total)


def details(title: str, pairs: Iterable[tuple[str, object]]) -> Any:
    """A record's fields, one per line: the label in bold, the value folding to the terminal."""
    from rich.table import Table

    grid = Table(title=Text(title, style="bold"), show_header=False, box=None, padding=(0, 2, 0, 0))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in pairs:
        grid.add_row(Text(key), cell(value))
    return grid


def write_lines(lines: Iterator[str], write: Any) -> None:
    """Lines written a thousand at a time: a write a line costs as much as drawing it."""
    while chunk := list(itertools.islice(lines, 1000)):
        write("\n".join(chunk) + "\n")


def render_text(renderables: Sequence[Any], out: Console, write: Any) -> bool:
    """Large grids drawn directly as text through `write` (every column kept, at `out`'s width); False
    (nothing written) when the tables are small and Rich should lay out."""
    if sum(len(r.rows) for r in renderables if isinstance(r, Grid)) <= LEAN_ROWS:
        return False
    for item in renderables:
        if isinstance(item, Grid | Beside):
            write_lines(item.lines(out.width, wide=True), write)
        else:
            buffer = io.StringIO()
            console(width=out.width, file=buffer).print(item)
            write(buffer.getvalue())
    return True


def print_tables(*renderables: Any, wide: bool = False) -> None:
    """Print to stdout, every table fitted to the terminal's width (`terminal_width`): text folds, a
    figure, date, id or code is never cut, and columns that cannot fit are left out and named unless
    `wide`. Other renderables (titles, notes, `details`) are laid out by Rich at the same width."""
    width = terminal_width()
    out = console(width=width or FULL)
    colour = out.is_terminal and out.color_system is not None and not out.no_color
    for item in renderables:
        if isinstance(item, Grid) and colour and len(item.rows) <= LEAN_ROWS:
            for text in item.styled(width, wide=wide):
                out.print(text)
        elif isinstance(item, Grid | Beside):
            write_lines(item.lines(width, wide=wide), out.file.write)
        elif isinstance(item, Text) and width:  # a title or a note: folded like a table's text
            lines = [line for paragraph in item.plain.split("\n") for line in fold(paragraph, width)]
            out.print(Text("\n".join(lines), style=item.style, no_wrap=True, overflow="ignore"))
        else:
            out.print(item)
    out.file.flush()
