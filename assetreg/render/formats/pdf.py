"""PDF, A4 landscape, for printing and for the record: the same tables, header rows on every page,
page numbers (第 1 页 共 3 页 / page 1 of 3), the document's facts in every page's footer.

Every text is drawn in runs by script: Latin letters, figures and signs in Helvetica (a standard font
every reader has, whose digits are all one width), Chinese in reportlab's built-in CID font
STSong-Light, which every PDF reader Chinese offices use can show without a font file. Both keep their
text selectable and searchable. Helvetica lacks the minus sign U+2212: reportlab draws it from the
standard Symbol font (its substitute for Helvetica), and pypdf reads it back as U+2212; STSong-Light
has no glyph for it, nor for ² ³ ·, which WinAnsi Helvetica has. × is in both: Helvetica's is used.

Column widths come from the content (assetreg/render/columns.py): a column is at least as wide as its
longest word, and text wraps at spaces and between Chinese characters, never inside a figure or an
English word while the page has room. Small tables (the summary's) stand side by side when the page's
width holds them, so the one-page summary stays on one page.

A province's register is 10^5 rows, about 3,000 pages. Reportlab splits a long table by measuring
and copying all the rows that remain, page after page, and its Table styles and draws each cell on
its own. Here every row's height is known beforehand (text is folded to its column here), so a table
is a flowable (`Rows`) that, each time the frame asks, fills the room left on the page with one `Page`
of rows drawn directly, only when that page is drawn (all pages' reportlab tables made beforehand took
650 MB at 10^5 rows, over the registry's own 450 MB). Drawn pages wait compressed for their numbers.
"""

from __future__ import annotations

import re
import tempfile
import zlib
from collections import deque
from collections.abc import Iterator
from functools import lru_cache, partial
from typing import Any

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable, PageBreak

from assetreg.i18n import _
from assetreg.render import columns
from assetreg.render.document import RIGHT, Document, Table, total_cells

CJK = "STSong-Light"
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
CJK_BOLD = "STSong-Light+bold"  # STSong-Light filled and stroked thinly: the total row's 合计
MINUS = "minus"  # U+2212: written invisibly (Symbol, for search and copy) and drawn as a line
MARGIN = 28.0  # pt, about 10 mm
FOOT = 30.0  # room under the frame for the footer
SIZE = 8.0  # table text, pt; smaller when even the columns' longest words do not fit
LEAST_SIZE = 5.0
PAD = 2.5  # cell padding, pt
GAP = 18.0  # between small tables side by side
SMALL = 12  # rows of a table that may stand beside another
HEAD_FILL, MARK_FILL, GRID = (colors.HexColor(c) for c in ("#E8ECF1", "#FDECEA", "#999999"))
FIXED = ("money", "area", "count", "ratio", "date", "id", "mark")  # one word each: never folded inside

# What Helvetica draws: WinAnsi (cp1252), and the minus sign through reportlab's Symbol substitute
_LATIN_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + bytes(range(0xA0, 0x100)).decode("cp1252")
_LATIN_CHARS += bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore") + "\u2212"
_RUN = re.compile(f"([{re.escape(_LATIN_CHARS)}]+)|([^{re.escape(_LATIN_CHARS)}]+)")


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """A text as (font, piece) runs: Latin pieces in Helvetica, the rest in STSong-Light."""
    latin = LATIN_BOLD if bold else LATIN
    if text.isascii():
        return [(latin, text)]
    cjk = CJK_BOLD if bold else CJK
    found = [(latin, m[1]) if m[1] else (cjk, m[2]) for m in _RUN.finditer(text)]
    if "\u2212" not in text:
        return found
    split = []  # each minus sign a run of its own: see `Writer`
    for font, piece in found:
        split += [(MINUS, p) if p == "\u2212" else (font, p) for p in re.split("(\u2212)", piece) if p]
    return split


def _font_name(font: str) -> str:
    return CJK if font == CJK_BOLD else LATIN if font == MINUS else font


def measure(text: str, size: float, bold: bool = False) -> float:
    """The width of a text in points, each run in its font."""
    return sum(_run_width(font, piece, size) for font, piece in runs(text, bold))


def _run_width(font: str, piece: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(piece, _font_name(font), size))  # Helvetica's in C, STSong-Light's a dict look-up


def fold(text: str, size: float, room: float, bold: bool = False) -> list[str]:
    """Text folded to `room` points at word boundaries (Chinese between characters)."""
    if "\n" not in text and len(text) * size <= room:  # no character is wider than 1 em: fits unmeasured
        return [text]
    return columns.wrap(text, room, lambda t: _short(t, size, bold) if len(t) <= 8 else measure(t, size, bold))


# The words wrapping measures one by one repeat (Chinese characters above all): short ones are remembered
_short = lru_cache(maxsize=1 << 16)(measure)


class Layout:
    """Column widths and the font size of one table on the page's width."""

    def __init__(self, table: Table, texts: deque[list[str]], room: float) -> None:
        self.headings = [c.heading for c in table.columns]
        self.kinds = [c.kind for c in table.columns]
        needs = []
        for i, column in enumerate(table.columns):
            whole = column.kind in FIXED
            # figures and ids measured in bold, as the total row draws them
            width = partial(measure, size=SIZE, bold=whole)
            need = columns.need(column.heading, [row[i] for row in texts], width, whole)
            needs.append(need.padded(2 * PAD + 1.0))
        widths, scale = columns.share(needs, room)
        self.size = max(LEAST_SIZE, SIZE * scale)
        self.widths = widths
        self.leading = self.size * 1.25

    def lines(self, row: list[str], bold: bool = False) -> list[list[str]]:
        return [fold(v, self.size, w - 2 * PAD, bold) for v, w in zip(row, self.widths, strict=True)]

    def height(self, cells: list[list[str]]) -> float:
        return max(len(v) for v in cells) * self.leading + 2 * PAD


def write(document: Document, **_options: Any) -> Iterator[bytes]:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

    _fonts()
    page_width, page_height = landscape(A4)
    room = page_width - 2 * MARGIN
    frame_height = page_height - MARGIN - FOOT - MARGIN / 2
    facts = columns.wrap_items(document.fact_lines(), "　　", room, lambda t: measure(t, 8.5))
    story: list[Any] = [Lines(document.title, 15, 19, after=4), Lines("\n".join(facts), 8.5, 11, after=6)]
    story.append(Lines(document.unit_line, 8.5, 11, after=6))
    small: list[tuple[Lines, Page]] = []  # small tables waiting to stand side by side
    for table in document.tables:
        # the texts of every row, each let go once its page is drawn
        texts = deque(total_cells(table, row, document.unit, total) for row, total in table.all_rows())
        layout = Layout(table, texts, room)
        kinds: Iterator[str] = ("total" if total else "marked" if table.marked(row) else "" for row, total in table.all_rows())
        heading = Lines(table.title, 10.5, 13, before=8, after=4)
        if len(texts) <= SMALL:
            listed = list(kinds)
            whole = _whole(layout, texts, listed, frame_height / 3)
            if whole is not None:
                if small and sum(_across(h, p) + GAP for h, p in small) + _across(heading, whole) > room:
                    story += _beside(small)
                    small = []
                small.append((heading, whole))
                continue
            kinds = iter(listed)
        story += _beside(small)
        small = []
        story.append(Rows(layout, heading, texts, kinds, frame_height))
        story.append(Spacer(1, 4))
    story += _beside(small)
    for note in document.notes:
        story.append(Lines(note, 8, 11, before=6))
    story.append(Blanks(document.form_roles, before=18))

    footer = f"{document.title}  |  {document.registry}  |  {_('Made')} {document.made_text}  |  {document.head_text}"
    pages = _canvas_class(footer)
    with tempfile.TemporaryFile() as handle:
        doc = BaseDocTemplate(
            handle,
            pagesize=(page_width, page_height),
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN / 2,
            bottomMargin=MARGIN + FOOT - MARGIN,
            title=f"{document.title} {document.period[1]}",
            author=document.registry,
            subject=document.head_text,
            creator="assetreg",
            invariant=1,
        )
        frame = Frame(MARGIN, FOOT, room, frame_height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(story, canvasmaker=pages)
        handle.seek(0)
        while piece := handle.read(1 << 20):
            yield piece


def _whole(layout: Layout, texts: deque[list[str]], kinds: list[str], most: float) -> Page | None:
    """A small table (at most `most` points high) as one `Page`, else None (texts untouched)."""
    page = Page(layout, layout.lines(layout.headings))
    page.head_height = layout.height(page.header)
    rows = [(layout.lines(cells, kind == "total"), kind) for cells, kind in zip(texts, kinds, strict=True)]
    for cells, kind in rows:
        page.add(cells, layout.height(cells), kind)
    if page.head_height + sum(page.heights) > most:
        return None
    return page


def _across(heading: Lines, page: Page) -> float:
    """The width a small table takes across the page: its own, or its heading's on one line."""
    return max(page.width, measure(heading.text, heading.size))


def _beside(small: list[tuple[Lines, Page]]) -> list[Any]:
    """Small tables in a row across the page, each under its heading; one alone as it is."""
    if not small:
        return []
    return [Beside(small)]


class Lines(Flowable):  # type: ignore[misc]
    """A text folded to the frame's width at word boundaries, each line in runs by script; split across
    pages between lines."""

    def __init__(self, text: str, size: float, leading: float, before: float = 0.0, after: float = 0.0) -> None:
        super().__init__()
        self.text, self.size, self.leading = text, size, leading
        self.spaceBefore, self.spaceAfter = before, after
        self.lines: list[str] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.lines = fold(self.text, self.size, avail_width)
        self.width, self.height = avail_width, len(self.lines) * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.leading)
        if fit < 1 or fit >= len(self.lines):
            return []
        first = Lines("\n".join(self.lines[:fit]), self.size, self.leading, self.spaceBefore)
        rest = Lines("\n".join(self.lines[fit:]), self.size, self.leading, 0.0, self.spaceAfter)
        return [first, rest]

    def draw(self) -> None:
        y = self.height - self.size
        for line in self.lines:
            _draw_runs(self.canv, 0.0, y + (self.leading - self.size) * 0.2, line, self.size)
            y -= self.leading


class Blanks(Flowable):  # type: ignore[misc]
    """The form's blanks to sign on, side by side: 制表人：＿＿＿　审核人：＿＿＿　负责人：＿＿＿."""

    def __init__(self, roles: list[str], before: float) -> None:
        super().__init__()
        self.roles, self.spaceBefore = roles, before
        self.size = 10.5

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 1.5

    def draw(self) -> None:
        step = self.width / max(1, len(self.roles))
        for n, role in enumerate(self.roles):
            _draw_runs(self.canv, n * step, self.size * 0.3, f"{role}{_(': ')}{'_' * 16}", self.size)


def _draw_runs(canv: Any, x: float, y: float, text: str, size: float, bold: bool = False) -> None:
    """One line of text at (x, y), each run in its font (for the few lines outside tables)."""
    writer = Writer(canv, size, size * 1.25)
    writer.line(x, y, runs(text, bold))
    writer.finish()


class Writer:
    """Lines of runs into one text object, each run's font set only when it changes; runs are written
    in reading order, so that text extraction gives each cell whole.

    A minus sign (U+2212) is written in Helvetica, which reportlab draws from the standard Symbol font,
    invisibly (render mode 3: it is still selected, searched and copied as U+2212), and drawn as a line
    of a minus's length and height: a reader without Symbol substitutes a font whose minus stands
    elsewhere in its box (poppler with OpenSymbol put it against the next letter: "V1 −A")."""

    def __init__(self, canv: Any, size: float, leading: float) -> None:
        self.canv, self.size, self.leading = canv, size, leading
        self.text = canv.beginText()
        self.font = ""
        self.switch: dict[str, str] = {}
        self.minus: list[tuple[float, float, float, float]] = []

    def line(self, x: float, y: float, pieces: list[tuple[str, str]], room: float = -1.0) -> None:
        """One line of runs from x, or ending at x + room when room is given (right-aligned). The runs
        follow each other without being placed: the reader advances by the glyphs' widths (Helvetica's
        standard metrics, STSong-Light's /W), so only a right-aligned line, or one with a minus sign to
        draw, is measured."""
        text, size = self.text, self.size
        minus = any(font == MINUS for font, _piece in pieces)
        steps = [_run_width(font, piece, size) for font, piece in pieces] if minus or (room >= 0 and len(pieces) > 1) else []
        if room >= 0:
            x += room - (sum(steps) if steps else _run_width(*pieces[0], size))
        text.setTextOrigin(x, y)
        for n, (font, piece) in enumerate(pieces):
            if font != self.font:
                modes = {CJK_BOLD: 2, MINUS: 3}
                if modes.get(font, 0) != modes.get(self.font, 0):
                    text.setTextRenderMode(modes.get(font, 0))
                if font not in self.switch:  # the font operator, made once (TextObject.setFont: a tenth of the time)
                    name = _font_name(font)
                    self.switch[font] = f"{self.canv._doc.getInternalFontName(name)} {fp_str(size)} Tf"
                text._fontname, text._fontsize = _font_name(font), size
                text._code.append(self.switch[font])
                self.font = font
            text._textOut(piece)  # textOut, without measuring where the text ends
            if minus:
                if font == MINUS:  # Symbol's minus is 0.549 em wide; the bar as long and high as Helvetica's + bar
                    for k in range(len(piece)):
                        at = x + k * steps[n] / len(piece)
                        self.minus.append((at + 0.05 * size, y + 0.33 * size, at + 0.5 * size, y + 0.33 * size))
                x += steps[n]

    def finish(self) -> None:
        if self.font in (CJK_BOLD, MINUS):
            self.text.setTextRenderMode(0)
        self.canv.drawText(self.text)
        if self.minus:
            self.canv.saveState()
            self.canv.setLineWidth(0.075 * self.size)
            self.canv.lines(self.minus)
            self.canv.restoreState()


class Beside(Flowable):  # type: ignore[misc]
    """Small tables side by side, top-aligned, each under its heading."""

    def __init__(self, items: list[tuple[Lines, Page]]) -> None:
        super().__init__()
        self.items = items
        self.spaceBefore = items[0][0].spaceBefore
        self.spaceAfter = 4.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.tops = []
        height = 0.0
        for heading, page in self.items:
            head = heading.wrap(min(_across(heading, page), avail_width), avail_height)[1] + heading.spaceAfter
            height = max(height, head + page.wrap(avail_width, avail_height)[1])
            self.tops.append(head)
        self.width, self.height = avail_width, height
        return avail_width, height

    def draw(self) -> None:
        x = 0.0
        for (heading, page), head in zip(self.items, self.tops, strict=True):
            heading.drawOn(self.canv, x, self.height - heading.height)
            page.drawOn(self.canv, x, self.height - head - page.height)
            x += _across(heading, page) + GAP


class Rows(Flowable):  # type: ignore[misc]
    """A table as a flowable that is laid out a page at a time: each time the frame asks it to split,
    it takes the rows that fit the room left (under its heading the first time, with the header row
    every time) into one `Page`, and stays in the story with the rest. Only the page being drawn
    exists as objects. A row is split only when it is taller than a whole page: then its lines that
    fit go where it starts, so a page never holds the title alone. (Classes are made once: a class is
    a reference cycle, and assetreg runs with the cycle collector off.)"""

    def __init__(
        self, layout: Layout, heading: Lines | None, texts: deque[list[str]], kinds: Iterator[str], frame: float
    ) -> None:
        super().__init__()
        self.layout, self.texts, self.kinds = layout, texts, kinds
        self.heading = heading  # kept with the first rows
        self.header = layout.lines(layout.headings)
        self.head_height = layout.height(self.header)
        self.full = frame - self.head_height - 1.0  # the room a whole page gives rows
        self.next = self._fold()

    def _fold(self) -> tuple[list[list[str]], float, str] | None:
        if not self.texts:
            return None
        kind = next(self.kinds)
        folded = self.layout.lines(self.texts.popleft(), kind == "total")
        return folded, self.layout.height(folded), kind

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, avail_height + 1  # never fits whole: the frame asks split() for what fits

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        self.__dict__.pop("_postponed", None)  # reportlab's mark of a flowable put off to the next page
        first = []
        left = avail_height - self.head_height - 1.0
        if self.heading is not None:
            heading = self.heading
            left -= heading.wrap(avail_width, avail_height)[1] + heading.spaceBefore + heading.spaceAfter
            first = [heading]
        page = Page(self.layout, self.header)
        page.head_height = self.head_height
        while self.next is not None and self.next[1] <= left:
            page.add(*self.next)
            left -= self.next[1]
            self.next = self._fold()
        fit = int((left - 2 * PAD) / self.layout.leading)
        # a row taller than a page: its lines that fit here (at the top of a page, or under the heading
        # when a few do), the rest at the top of the next page
        if not page.rows and self.next is not None and (self._frame._atTop or (self.next[1] > self.full and fit >= 3)):
            cells, _height, kind = self.next
            fit = max(1, fit)
            here, rest = [c[:fit] for c in cells], [c[fit:] for c in cells]
            page.add(here, self.layout.height(here), kind)
            self.next = rest, self.layout.height(rest), kind
        if not page.rows and self.next is not None:  # not even one row under the header: on the next page
            return [PageBreak(), self]
        self.heading = None
        return [*first, page, self] if self.next is not None else [*first, page]


class Page(Flowable):  # type: ignore[misc]
    """One page of a table, drawn directly: the header row, then the rows, in one text object (a run's
    font set only when it changes), with the grid as one set of lines (reportlab's Table styles and
    draws every cell on its own, in its own text object: half again the time). Runs are written in
    reading order, so that text extraction gives each cell whole."""

    def __init__(self, layout: Layout, header: list[list[str]]) -> None:
        super().__init__()
        self.layout, self.header = layout, header
        self.head_height = 0.0
        self.rows: list[list[list[str]]] = []
        self.heights: list[float] = []
        self.kinds: list[str] = []
        self.width = sum(layout.widths)

    def add(self, cells: list[list[str]], height: float, kind: str) -> None:
        self.rows.append(cells)
        self.heights.append(height)
        self.kinds.append(kind)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = self.head_height + sum(self.heights)
        return self.width, self.height

    def draw(self) -> None:
        layout, canv, kinds = self.layout, self.canv, self.kinds
        widths, size = layout.widths, layout.size
        lefts = [sum(widths[:i]) for i in range(len(widths))]
        full = sum(widths)
        tops = [self.head_height + sum(self.heights)]  # the top of each row, then the bottom of the last
        for height in [self.head_height, *self.heights]:
            tops.append(tops[-1] - height)
        canv.saveState()
        canv.setFillColor(HEAD_FILL)
        canv.rect(0, tops[1], full, self.head_height, stroke=0, fill=1)
        canv.setFillColor(MARK_FILL)
        for n, kind in enumerate(kinds, 1):
            if kind == "marked":
                canv.rect(0, tops[n + 1], full, tops[n] - tops[n + 1], stroke=0, fill=1)
        canv.setFillColor(colors.black)
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.3)  # the stroke of STSong-Light drawn bold
        right = [kind in RIGHT for kind in layout.kinds]
        writer = Writer(canv, size, layout.leading)
        rows = [
            (self.header, False, tops[0]),
            *((r, k == "total", tops[n]) for n, (r, k) in enumerate(zip(self.rows, kinds, strict=True), 1)),
        ]
        for cells, bold, row_top in rows:
            for cell, left, room, at_right in zip(cells, lefts, widths, right, strict=True):
                y = row_top - (PAD - 0.5) - size
                for line in cell:
                    if line:
                        writer.line(left + PAD, y, runs(line, bold), room - 2 * PAD if at_right else -1.0)
                    y -= layout.leading
        writer.finish()
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.4)
        canv.lines([(0, y, full, y) for y in tops] + [(x, tops[-1], x, tops[0]) for x in [*lefts, full]])
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(1.2)  # a line above the total
        canv.lines([(0, tops[n], full, tops[n]) for n, kind in enumerate(kinds, 1) if kind == "total"])
        canv.restoreState()


def _canvas_class(footer: str) -> Any:
    """A canvas that holds its pages until the end, so each can say how many there are. A page waits
    compressed (a province's register is 3,000 pages of ~30 KB of drawing operators each), and once
    numbered it is handed to reportlab compressed as well: reportlab would keep every page's operators
    as text until it writes the file."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream
    from reportlab.pdfgen.canvas import Canvas

    page_width, _height = landscape(A4)
    flate = PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])})  # reportlab leaves such a stream as it is

    class Numbered(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            state = dict(self.__dict__)
            code: list[str] = self.__dict__["_code"]
            state["_code"] = zlib.compress("\n".join(code).encode(), 1)
            self._pages.append(state)
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            self._pages.reverse()
            while self._pages:  # each page's state let go once reportlab has it
                state = self._pages.pop()
                state["_code"] = [zlib.decompress(state["_code"]).decode()]
                self.__dict__.update(state)
                self.setFillGray(0.25)
                number = _("Page {page} of {pages}").format(page=self._pageNumber, pages=total)
                right = page_width - MARGIN - measure(number, 7.5)
                # the footer's facts, cut (with …) where they would run into the page number
                _draw_runs(self, MARGIN, MARGIN / 2 + 2, _cut(footer, 7.5, right - MARGIN - 12), 7.5)
                _draw_runs(self, right, MARGIN / 2 + 2, number, 7.5)
                super().showPage()
                page = self._doc.Pages.pages[-1]
                page.Contents = PDFStream(flate, zlib.compress(page.stream.encode()))
                page.stream = None
            super().save()

    return Numbered


def _cut(text: str, size: float, room: float) -> str:
    """A line cut to `room` points with …, its end kept (the log head ends the footer)."""
    if measure(text, size) <= room:
        return text
    head, _sep, tail = text.rpartition("  |  ")
    keep = room - measure(f"…  |  {tail}", size)
    while head and measure(head, size) > keep:
        head = head[: max(0, len(head) * 9 // 10 - 1)]
    return f"{head}…  |  {tail}"
