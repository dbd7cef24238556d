"""HTML and SVG as a finance office prints and looks at them (issue 25).

- Every printed page carries the registry, the log head and 第 N 页 共 M 页 (CSS paged-media margin
  boxes, which Chromium draws since version 131); Chromium prints are read back with pypdf.
- A long cell (a 300-character counterparty or name) wraps at its words and no longer crushes the
  columns beside it: each column has a min-width from its widest word or figure (<colgroup>).
- The SVG of such a document stays at most 1,600 px wide, the long text in lines of its own.

The Chromium tests are skipped when Chromium is not installed (.ci/run does not install it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assetreg.i18n import set_language
from assetreg.render.document import Col, Document, Table, render
from assetreg.render.formats.html import col_styles, css_string, floor, shortened
from assetreg.render.formats.svg import MAX_WIDTH
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent

# A counterparty of 300 Chinese characters without a space or a punctuation mark: 上峰村股份经济合作社 (10) × 30
COUNTERPARTY = "上峰村股份经济合作社" * 30
# A name of 300 characters: 27 × "litigation" (270) with 26 spaces between them, and " A12" (4)
NAME = " ".join(["litigation"] * 27) + " A12"


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def produce(cli: Cli, what: str, fmt: str, lang: str) -> bytes:
    if what == "flags":
        args = ["flags", "--as-of", "2005-03-15"]
    elif what == "register":
        args = ["report", "register", "--as-of", "2004-12-31"]
    else:
        args = ["report", what, "--from", "2004-01-01", "--to", "2004-12-31"]
    return bytes(cli.ok("--lang", lang, *args, "--format", fmt).stdout_bytes)


def log_head(cli: Cli) -> str:
    """The log head as the example's JSON report gives it: log N:first 16 hex digits."""
    data = json.loads(produce(cli, "value", "json", "en"))
    return f"log {data['log_head']['n']}:{data['log_head']['hash'][:16]}"


def long_document(more: int = 0) -> Document:
    """An incident list with a 300-character counterparty and a 300-character asset name.

    Figures by hand: losses 1,234,567.89 and 250,000.00, total 1,484,567.89 (12 characters, the widest
    figure); days 1,005 and 11 (the widest 5 characters, wider than the heading "Days").
    """
    columns = [
        Col("id", "Incident", "id"),
        Col("status", "Status"),
        Col("counterparty", "Counterparty"),
        Col("name", "Asset name"),
        Col("occurred", "Occurred", "date"),
        Col("loss", "Estimated loss", "money"),
        Col("days", "Days", "count"),
    ]
    rows = [
        {
            "id": "I0001",
            "status": "mediation",
            "counterparty": COUNTERPARTY,
            "name": NAME,
            "occurred": date(2002, 4, 1),
            "loss": "1234567.89",
            "days": 1005,
        },
        {
            "id": "I0002",
            "status": "open",
            "counterparty": "中心村",
            "name": "shed",
            "occurred": date(2004, 12, 20),
            "loss": "250000",
            "days": 11,
        },
    ]
    rows += [
        {"id": f"I{n:04d}", "status": "open", "counterparty": "村", "name": "shed", "occurred": date(2004, 1, 1)}
        for n in range(3, 3 + more)
    ]
    total = {"loss": Decimal("1484567.89")}
    return Document(
        name="incidents",
        title="Incidents",
        period=("As of", "2005-03-15"),
        unit="yuan",
        registry="Test registry",
        made=datetime(2005, 3, 15, tzinfo=UTC),
        log_head=(7, "0123456789abcdef" * 4),
        tables=[Table("Open incidents", columns, rows, total)],
        lang="en",
    )


class Page(HTMLParser):
    """The <dl> terms, each table's column min-widths, header cells, and body cells with their classes."""

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[str] = []
        self.tables: list[dict[str, list]] = []
        self.text: list[str] | None = None
        self.cell_class = ""
        self.row: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"cols": [], "head": [], "rows": []})
        elif tag == "col":
            self.tables[-1]["cols"].append(a.get("style") or "")
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td", "dt"):
            self.text, self.cell_class = [], a.get("class") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "dt" and self.text is not None:
            self.terms.append("".join(self.text))
        elif tag in ("th", "td") and self.text is not None:
            self.row.append(("".join(self.text), self.cell_class))
        elif tag == "tr":
            (self.tables[-1]["head"] if not self.tables[-1]["head"] else self.tables[-1]["rows"]).append(self.row)
        if tag in ("th", "td", "dt"):
            self.text = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def parse(html: bytes) -> Page:
    page = Page()
    page.feed(html.decode("utf-8"))
    return page


MIN_WIDTH = re.compile(r"min-width: calc\(([\d.]+)ch \+ ([\d.]+)em \+ 0\.9em\)")


def cells_wide(style: str) -> float:
    """A column's min-width in cells: a ch is one, an em (a Chinese character) two."""
    found = MIN_WIDTH.fullmatch(style)
    assert found, style
    return float(found[1]) + 2 * float(found[2])


# -- the CSS ---------------------------------------------------------------------------------------


def test_every_printed_page_has_its_number_and_the_log_head_in_the_css(example: Cli) -> None:
    head = log_head(example)
    zh = produce(example, "register", "html", "zh").decode()
    assert f'@bottom-left {{ content: "乐清市二轻联社（示例） · {head}";' in zh
    assert '@bottom-right { content: "第 " counter(page) " 页 共 " counter(pages) " 页";' in zh
    en = produce(example, "register", "html", "en").decode()
    assert '@bottom-right { content: "Page " counter(page) " of " counter(pages);' in en
    assert "@page { size: A4 landscape;" in en


def test_css_strings_show_user_text_as_it_is() -> None:
    # by hand: " is 22, \ is 5c, < is 3c, > is 3e, a line feed a; each escape ends with a space
    assert css_string('a"b\\c</style>\nd') == '"a\\22 b\\5c c\\3c /style\\3e \\a d"'
    assert css_string("乐清市二轻联社") == '"乐清市二轻联社"'


def test_a_registry_name_in_the_page_footer_is_inert_and_cut(english: None) -> None:
    document = long_document()
    document.registry = '</style><script>alert("x")</script>' + "乐清市" * 30
    html = b"".join(render(document, "html")).decode()
    assert "<script>" not in html and html.count("</style>") == 1
    # by hand: the … takes a cell, 29 Chinese characters 58 more; a 30th would make 61 of the 60 allowed
    assert shortened("乐清市" * 30, 60) == ("乐清市" * 30)[:29] + "…"
    assert shortened("乐清市二轻联社", 60) == "乐清市二轻联社"
    # the name's 35 ASCII characters and 12 Chinese (24 cells) fill 59 cells: cut before the 13th
    footer = re.search(r"@bottom-left \{ content: \"([^\"]*)\"", html)
    assert (
        footer
        and footer[1]
        == "\\3c /style\\3e \\3c script\\3e alert(\\22 x\\22 )\\3c /script\\3e " + "乐清市" * 4 + "… · log 7:0123456789abcdef"
    )


@pytest.mark.parametrize(("lang", "colon"), [("zh", "："), ("en", ": ")])
@pytest.mark.parametrize("what", ["flags", "register", "summary"])
def test_every_fact_label_ends_with_the_language_colon(example: Cli, what: str, lang: str, colon: str) -> None:
    page = parse(produce(example, what, "html", lang))
    assert len(page.terms) == 5  # period or day, unit, registry, made, log head
    assert all(term.endswith(colon) for term in page.terms), page.terms


# -- column widths ---------------------------------------------------------------------------------


def test_floor_is_the_widest_word_or_figure() -> None:
    # 诉讼中: three wide characters, wider than the heading 状态 (two)
    assert floor("状态", ["诉讼中", "已解决"], whole=False) == (0, 3, False)
    # 乐国用（1985）第0501号: 乐 国 用 （ ） 第 号 are wide (7), 1985 and 0501 not (8): 22 cells, kept whole
    assert floor("产权证号", ["乐国用（1985）第0501号"], whole=False) == (8, 7, False)
    # figures are whole: "92.47 %" is seven characters with its space
    assert floor("Ratio", ["92.47 %", "100.00 %"], whole=True) == (8, 0, False)
    # a name's widest word is "litigation" (10); the heading's words are shorter
    assert floor("Asset name", [NAME], whole=False) == (10, 0, False)
    # 600 cells without a space: counted as 24 cells (12 wide characters), and too long to keep whole
    assert floor("Counterparty", [COUNTERPARTY], whole=False) == (0, 12, True)


def test_column_floors_too_wide_for_the_page_are_scaled_down_together() -> None:
    # by hand: three columns of 12 figures (6.6 em each at 0.55 em a ch) and one of 8 Chinese characters
    # (8 em) take 27.8 em: they fit, as they are
    assert col_styles([(12, 0, False)] * 3 + [(0, 8, False)]) == [
        "min-width: calc(12ch + 0em + 0.9em)",
        "min-width: calc(12ch + 0em + 0.9em)",
        "min-width: calc(12ch + 0em + 0.9em)",
        "min-width: calc(0ch + 8em + 0.9em)",
    ]
    # ten columns of 40 letters take 220 em, the page 100 less ten paddings of 0.9 = 91: each 40 × 91 / 220 = 16.5 ch
    assert col_styles([(40, 0, True)] * 10) == ["min-width: calc(16.5ch + 0em + 0.9em)"] * 10


def test_a_long_cell_does_not_crush_the_columns_beside_it(english: None) -> None:
    page = parse(b"".join(render(long_document(), "html")))
    (table,) = page.tables
    (head,) = table["head"]
    widths = dict(zip((text for text, _ in head), map(cells_wide, table["cols"]), strict=True))
    # by hand: the widest figure 1,484,567.89 (12), the widest day count 1,005 (5), a date 10, the id
    # column its heading "Incident" (8), the status "mediation" (9), the name its longest word "litigation" (10), the counterparty
    # 12 Chinese characters (24 cells), the most a Chinese run is kept whole
    assert widths == {
        "Incident": 8,
        "Status": 9,
        "Counterparty": 24,
        "Asset name": 10,
        "Occurred": 10,
        "Estimated loss": 12,
        "Days": 5,
    }
    for n, (text, kind) in enumerate(head):  # and every figure, date and id of the table fits its column
        if kind in ("num", "date", "id"):
            figures = [row[n][0] for row in table["rows"] if row[n][0]]
            assert widths[text] >= max(map(len, figures)), text
    first, _second, total = table["rows"]
    assert first[2] == (COUNTERPARTY, "long") and first[3] == (NAME, "")  # only the unbroken run may break anywhere
    assert total[5] == ("1,484,567.89", "num") and total[0][0] == "Total"
    css = b"".join(render(long_document(), "html")).decode()
    assert "th, td { overflow-wrap: normal; word-break: normal; }" in css and "td.long { overflow-wrap: anywhere; }" in css


# -- SVG -------------------------------------------------------------------------------------------


def test_svg_wraps_long_text_within_its_maximum_width(english: None) -> None:
    svg = b"".join(render(long_document(), "svg")).decode()
    size = re.search(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg)
    assert size
    # by hand, in cells of 8 px plus 16 px each side: Incident 8+2, Status 9+2, Counterparty 48+2, Asset
    # name 48+2, Occurred 10+2, Estimated loss 14+2, Days 5+2 = 156 cells, 1,280 px (the facts line is narrower)
    assert int(size[1]) == 1280 <= MAX_WIDTH
    texts = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    # the counterparty: 13 lines of 24 characters (48 cells), the last 12, in order, each its own <text>
    chinese = [t for _, _, t in texts if "合作社" in t or "上峰村" in t or "股份" in t]
    assert len(chinese) == 13 and "".join(chinese) == COUNTERPARTY
    assert all(len(line) == 24 for line in chinese[:12]) and len(chinese[12]) == 12
    # the name: four words a line (43 cells; a fifth would make 54 > 48), six lines and a seventh of three words and A12
    name = [t for _, _, t in texts if t.startswith("litigation")]
    assert name == ["litigation litigation litigation litigation"] * 6 + ["litigation litigation litigation A12"]
    ys = [float(y) for _, y, t in texts if t.startswith("litigation")]
    assert ys == sorted(ys) and len(set(ys)) == 7  # one line under the other


def test_svg_of_the_example_keeps_its_width_unless_figures_need_more(example: Cli) -> None:
    for what in ("register", "leases", "incidents", "summary", "flags"):
        svg = produce(example, what, "svg", "zh").decode()
        size = re.search(r'<svg [^>]*width="(\d+)"', svg)
        assert size and int(size[1]) <= MAX_WIDTH, what


# -- printed by Chromium ---------------------------------------------------------------------------


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


needs_chromium = pytest.mark.skipif(_chromium() is None, reason="chromium is not installed: printing HTML to PDF needs it")


def print_pages(html: bytes, folder: Path, *, words: bool = False) -> list[str]:
    """The HTML printed by headless Chromium; each page's text without spaces or line breaks, or as
    pypdf reads it, a line break at each line's end, with `words` (NFKC: the
    fonts map some ideographs to radicals in the PDF's text, ⼆ for 二 and ⻚ for 页)."""
    from pypdf import PdfReader

    page = folder / "page.html"
    page.write_bytes(html)
    out = folder / "page.pdf"
    browser = _chromium()
    assert browser is not None
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    texts = [unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(out).pages]
    texts = [text.replace("\u2eda", "页") for text in texts]  # ⻚, a radical NFKC leaves as it is
    return texts if words else [re.sub(r"\s", "", text) for text in texts]


@needs_chromium
def test_chromium_prints_the_page_number_and_log_head_on_every_page(example: Cli, tmp_path: Path) -> None:
    head = log_head(example).replace(" ", "")
    pages = print_pages(produce(example, "register", "html", "zh"), tmp_path)
    assert len(pages) >= 2  # 19 assets, the totals by owner and the note: more than one A4 landscape page
    for n, text in enumerate(pages, 1):
        assert f"第{n}页共{len(pages)}页" in text and head in text, n
        assert unicodedata.normalize("NFKC", "乐清市二轻联社（示例）") in text  # （） read back as ()


@needs_chromium
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chromium_prints_the_summary_on_one_page(example: Cli, lang: str, tmp_path: Path) -> None:
    (page,) = print_pages(produce(example, "summary", "html", lang), tmp_path)
    assert ("第1页共1页" if lang == "zh" else "Page1of1") in page


@needs_chromium
def test_chromium_print_of_a_long_cell_keeps_words_and_figures_whole(english: None, tmp_path: Path) -> None:
    (page,) = print_pages(b"".join(render(long_document(), "html")), tmp_path, words=True)
    words = page.split()  # pypdf ends each printed line with a line break: a word cut in two is two words here
    # "me / dia / tio / n" and "Sta / tus" were what overflow-wrap: anywhere printed beside the long counterparty
    for whole in ("Incident", "Status", "Counterparty", "Asset", "name", "Occurred", "Estimated", "loss", "Days"):
        assert whole in words, whole
    for whole in ("mediation", "open", "1,234,567.89", "1,484,567.89", "1,005", "2002-04-01", "I0001"):
        assert whole in words, whole
    assert words.count("litigation") == 27 and "A12" in words
    assert "log 7:0123456789abcdef" in page and "Page 1 of 1" in page


@needs_chromium
def test_chromium_repeats_the_header_row_and_never_splits_a_row(english: None, tmp_path: Path) -> None:
    pages = print_pages(b"".join(render(long_document(more=150), "html")), tmp_path)
    assert len(pages) >= 3  # 152 rows, one of them 13 lines tall
    for n, text in enumerate(pages, 1):
        assert "IncidentStatusCounterpartyAssetnameOccurredEstimatedlossDays" in text and f"Page{n}of{len(pages)}" in text, n
    ids = [found for text in pages for found in re.findall(r"I\d{4}", text)]
    assert ids == [f"I{n:04d}" for n in range(1, 153)]  # every row once, in order
    assert any(COUNTERPARTY in text for text in pages)  # the tall row whole on one page
