"""PDF, A4 landscape, for printing and for the record: the same tables, header rows on every page,
page numbers (第 1 页 共 3 页 / page 1 of 3), the document's facts in every page's footer.

Chinese is drawn with reportlab's built-in CID font STSong-Light, which every PDF reader Chinese
offices use can show without a font file (and whose text can be selected and searched); figures,
dates and ids use Helvetica, whose digits are all one width.

A province's register is 10^5 rows, about 3,000 pages. Reportlab splits a long table by measuring
and copying all the rows that remain, page after page, and its Table styles and draws each cell on
its own. Here every row's height is known beforehand (text is folded to its column here), so a table
is a flowable (`Rows`) that, each time the frame asks, fills the room left on the page with one `Page`
of rows drawn directly, only when that page is drawn (all pages' reportlab tables made beforehand took
650 MB at 10^5 rows, over the registry's own 450 MB). Drawn pages wait compressed for their numbers.
"""

from __future__ import annotations

import heapq
import tempfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreak

from assetreg.i18n import _
from assetreg.render.document import RIGHT, Document, Table, total_cells
from assetreg.render.text import width

CJK = "STSong-Light"
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
MARGIN = 28.0  # pt, about 10 mm
FOOT = 30.0  # room under the frame for the footer
SIZE = 8.0  # table text, pt; smaller when the fixed columns need it
PAD = 2.5  # cell padding, pt
HEAD_FILL, MARK_FILL, GRID = (colors.HexColor(c) for c in ("#E8ECF1", "#FDECEA", "#999999"))
FIXED = ("money", "area", "count", "ratio", "date", "id", "mark")  # never folded


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK))


# Characters STSong-Light lacks, as it can draw them
_CJK_SAFE = str.maketrans({"²": "2", "³": "3", "·": "・", "−": "-", "×": "x"})


def _latin(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _measure(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


def fold(text: str, font: str, size: float, room: float) -> list[str]:
    """Text folded to `room` points: at a space where the line is at least half full, else between characters."""
    if "\n" not in text and (len(text) * size <= room or _measure(text, font, size) <= room + 0.01):
        return [text]  # no character is wider than 1 em: a short text fits without measuring
    lines, line = [], ""
    for char in text.replace("\n", " "):
        if line and _measure(line + char, font, size) > room + 0.01:
            cut = line.rfind(" ")
            if cut > len(line) // 2:
                lines.append(line[:cut])
                line = line[cut + 1 :]
            else:
                lines.append(line)
                line = ""
        line += char
    return [*lines, line] if line else lines or [""]


class Layout:
    """Column widths and the font size of one table on the page's width."""

    def __init__(self, table: Table, texts: Iterable[list[str]], room: float) -> None:
        columns = table.columns
        self.headings = [c.heading for c in columns]
        self.kinds = [c.kind for c in columns]
        # Helvetica for a column of plain ASCII (ids, figures, English names), whose digits line up; else STSong
        self.fonts = [LATIN if "".join(row[i] for row in texts).isascii() else CJK for i in range(len(columns))]
        self.head_fonts = [LATIN if _latin(c.heading) else CJK for c in columns]
        natural = []
        for i in range(len(columns)):
            # the widest cells by the cell count, measured exactly (a column of 10^5 cells is not measured whole)
            cells = heapq.nlargest(25, (row[i] for row in texts), key=width)
            natural.append(max([_measure(v, LATIN_BOLD if self.fonts[i] == LATIN else CJK, SIZE) for v in cells] or [0.0]))
        # a heading folds at spaces, a Chinese one anywhere: room for its longest word, or four characters
        head = [
            max((_measure(w, f, SIZE) for w in c.heading.split()), default=0.0)
            if f == LATIN
            else min(_measure(c.heading, f, SIZE), 4 * SIZE)
            for c, f in zip(columns, self.head_fonts, strict=True)
        ]
        need = [max(n, h) + 2 * PAD + 1.0 for n, h in zip(natural, head, strict=True)]
        flexible = [i for i, k in enumerate(self.kinds) if k not in FIXED]
        # a text column keeps room for its heading's longest word, or a few characters
        least = {i: min(need[i], max(head[i], 5 * SIZE) + 2 * PAD + 1.0) for i in flexible}
        fixed = sum(w for i, w in enumerate(need) if i not in least)
        self.size = SIZE
        if fixed + sum(least.values()) > room:  # even folded, the figures do not fit: smaller type
            self.size = max(5.0, SIZE * room / (fixed + sum(least.values())))
        scale = self.size / SIZE
        widths = [w * scale for w in need]
        spare = room - sum(widths[i] for i in range(len(widths)) if i not in least)
        wanted = sum(widths[i] for i in flexible)
        if flexible and wanted > spare:
            # the text columns share the room left in proportion to their need, none narrower than its least:
            # those that would be are set to it first, and the others share what remains
            floor: set[int] = set()
            while True:
                free = [i for i in flexible if i not in floor]
                share = spare - sum(least[i] * scale for i in floor)
                asked = sum(need[i] for i in free)
                narrow = [i for i in free if share * need[i] / asked < least[i] * scale]
                if not narrow:
                    break
                floor.update(narrow)
            for i in flexible:
                widths[i] = least[i] * scale if i in floor else share * need[i] / asked
        self.widths = widths
        self.leading = self.size * 1.25

    def lines(self, row: list[str], header: bool = False) -> list[str]:
        fonts = self.head_fonts if header else self.fonts
        return [
            "\n".join(fold(v if f == LATIN else v.translate(_CJK_SAFE), f, self.size, w - 2 * PAD))
            for v, f, w in zip(row, fonts, self.widths, strict=True)
        ]

    def height(self, cells: list[str]) -> float:
        return max(v.count("\n") + 1 for v in cells) * self.leading + 2 * PAD


def write(document: Document, **_options: Any) -> Iterator[bytes]:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

    _fonts()
    page_width, page_height = landscape(A4)
    room = page_width - 2 * MARGIN
    frame_height = page_height - MARGIN - FOOT - MARGIN / 2
    styles = {
        "title": ParagraphStyle("title", fontName=CJK, fontSize=15, leading=19, spaceAfter=4),
        "facts": ParagraphStyle("facts", fontName=CJK, fontSize=8.5, leading=11, spaceAfter=6),
        "section": ParagraphStyle("section", fontName=CJK, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=4),
        "note": ParagraphStyle("note", fontName=CJK, fontSize=8, leading=11, spaceBefore=6, wordWrap="CJK"),
    }
    facts = "　　".join(_escape(line) for line in document.fact_lines())
    story: list[Any] = [Paragraph(_escape(document.title), styles["title"]), Paragraph(facts, styles["facts"])]
    story.append(Paragraph(_escape(document.unit_line), styles["facts"]))
    for table in document.tables:
        # the texts of every row, each let go once its page is drawn
        texts = deque(total_cells(table, row, document.unit, total) for row, total in table.all_rows())
        layout = Layout(table, texts, room)
        kinds = ("total" if total else "marked" if table.marked(row) else "" for row, total in table.all_rows())
        story.append(Rows(layout, Paragraph(_escape(table.title), styles["section"]), texts, kinds))
        story.append(Spacer(1, 4))
    for note in document.notes:
        story.append(Paragraph(_escape(note), styles["note"]))
    from reportlab.platypus import Table as Grid

    blank = "_" * 16  # side by side, each role with its blank to sign on
    cells = [Paragraph(_escape(f"{role}{_(': ')}{blank}"), styles["section"]) for role in document.form_roles]
    story.append(Spacer(1, 18))
    story.append(Grid([cells], colWidths=[room / len(cells)] * len(cells), hAlign="LEFT"))

    footer = f"{document.title}  |  {document.registry}  |  {_('Made')} {document.made_text}  |  {document.head_text}"
    footer = footer.translate(_CJK_SAFE)
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


class Rows(Flowable):  # type: ignore[misc]
    """A table as a flowable that is laid out a page at a time: each time the frame asks it to split,
    it takes the rows that fit the room left (under its heading the first time, with the header row
    every time) into one `Page`, and stays in the story with the rest. Only the page being drawn
    exists as objects. A row is split only when it is taller than a whole page. (Classes are made once:
    a class is a reference cycle, and assetreg runs with the cycle collector off.)"""

    def __init__(self, layout: Layout, heading: Any, texts: deque[list[str]], kinds: Iterator[str]) -> None:
        super().__init__()
        self.layout, self.texts, self.kinds = layout, texts, kinds
        self.heading: Any = heading  # kept with the first rows
        self.header = layout.lines(layout.headings, header=True)
        self.head_height = layout.height(self.header)
        self.next = self._fold()

    def _fold(self) -> tuple[list[str], float, str] | None:
        if not self.texts:
            return None
        folded = self.layout.lines(self.texts.popleft())
        return folded, self.layout.height(folded), next(self.kinds)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, avail_height + 1  # never fits whole: the frame asks split() for what fits

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        self.__dict__.pop("_postponed", None)  # reportlab's mark of a flowable put off to the next page
        first = []
        left = avail_height - self.head_height - 1.0
        if self.heading is not None:
            style = self.heading.style
            left -= self.heading.wrap(avail_width, avail_height)[1] + style.spaceBefore + style.spaceAfter
            first = [self.heading]
        page = Page(self.layout, self.header, self.head_height)
        while self.next is not None and self.next[1] <= left:
            page.add(*self.next)
            left -= self.next[1]
            self.next = self._fold()
        if not page.rows and self.next is not None and self._frame._atTop:  # a row taller than a page: its lines
            cells, _height, kind = self.next  # that fit here, the rest at the top of the next page
            fit = max(1, int((left - 2 * PAD) / self.layout.leading))
            lines = [cell.split("\n") for cell in cells]
            here, rest = ["\n".join(c[:fit]) for c in lines], ["\n".join(c[fit:]) for c in lines]
            page.add(here, self.layout.height(here), kind)
            self.next = rest, self.layout.height(rest), kind
        if not page.rows and self.next is not None:  # not even one row under the header: on the next page
            return [PageBreak(), self]
        self.heading = None
        return [*first, page, self] if self.next is not None else [*first, page]


class Page(Flowable):  # type: ignore[misc]
    """One page of a table, drawn directly: the header row, then the rows, in one text object a font at
    a time, with the grid as one set of lines (reportlab's Table styles and draws every cell on its
    own, in its own text object: half again the time)."""

    def __init__(self, layout: Layout, header: list[str], head_height: float) -> None:
        super().__init__()
        self.layout, self.header, self.head_height = layout, header, head_height
        self.rows: list[list[str]] = []
        self.heights: list[float] = []
        self.kinds: list[str] = []

    def add(self, cells: list[str], height: float, kind: str) -> None:
        self.rows.append(cells)
        self.heights.append(height)
        self.kinds.append(kind)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return sum(self.layout.widths), self.head_height + sum(self.heights)

    def draw(self) -> None:
        layout, canv, kinds = self.layout, self.canv, self.kinds
        widths = layout.widths
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
        lines = [(self.header, layout.head_fonts, tops[0])]
        lines += [(row, _row_fonts(layout, kind), tops[n]) for n, (row, kind) in enumerate(zip(self.rows, kinds, strict=True), 1)]
        right = [kind in RIGHT for kind in layout.kinds]
        text = canv.beginText()
        for font in dict.fromkeys(f for _cells, fonts, _top in lines for f in fonts):  # one font change each
            text.setFont(font, layout.size, layout.leading)
            for cells, fonts, row_top in lines:
                for cell, cell_font, left, room, at_right in zip(cells, fonts, lefts, widths, right, strict=True):
                    if cell_font != font or not cell:
                        continue
                    y = row_top - (PAD - 0.5) - layout.size
                    for line in cell.split("\n"):
                        x = left + room - PAD - _measure(line, font, layout.size) if at_right else left + PAD
                        text.setTextOrigin(x, y)
                        text._textOut(line)  # textOut, without measuring where the text ends
                        y -= layout.leading
        canv.drawText(text)
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.4)
        canv.lines([(0, y, full, y) for y in tops] + [(x, tops[-1], x, tops[0]) for x in [*lefts, full]])
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(1.2)  # a line above the total
        canv.lines([(0, tops[n], full, tops[n]) for n, kind in enumerate(kinds, 1) if kind == "total"])
        canv.restoreState()


def _row_fonts(layout: Layout, kind: str) -> list[str]:
    """The fonts of a row's cells: the total row's figures and ids in bold."""
    if kind != "total":
        return layout.fonts
    return [LATIN_BOLD if font == LATIN else font for font in layout.fonts]


def _escape(text: str) -> str:
    """Text for a Paragraph (drawn in STSong-Light): its markup characters escaped."""
    return text.translate(_CJK_SAFE).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
                self.setFont(CJK, 7.5)
                self.setFillGray(0.25)
                self.drawString(MARGIN, MARGIN / 2 + 2, footer)
                number = _("page {page} of {pages}").format(page=self._pageNumber, pages=total)
                self.drawRightString(page_width - MARGIN, MARGIN / 2 + 2, number)
                super().showPage()
                page = self._doc.Pages.pages[-1]
                page.Contents = PDFStream(flate, zlib.compress(page.stream.encode()))
                page.stream = None
            super().save()

    return Numbered
