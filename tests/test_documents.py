"""Documents opened the way a reader's program opens them: HTML parsed, CSV read, Markdown escaped.

Figures of the example registry's 2004, worked by hand from the value formula (examples/README.md; the
federation's 1,000,000 stake in its own company is intra-federation equity, left out of the total):
V0 14,350,000; V1 12,115,000 (with the shed found in the clearance); A 115,000; R 440,000; P 1,520,000; F 180,000; D 10,000
adjusted = 12,115,000 − 115,000 − 440,000 + 1,520,000 + 180,000 + 10,000 = 13,270,000
ratio = 13,270,000 ÷ 14,350,000 × 100 = 92.4738… → 92.47; change = 13,270,000 − 14,350,000 = −1,080,000.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ("register", "value", "leases", "incidents", "summary")
PERIOD = {"register": ["--as-of", "2004-12-31"]}


def produce(cli: Cli, report: str, fmt: str, *extra: str, lang: str = "zh") -> bytes:
    period = PERIOD.get(report, ["--from", "2004-01-01", "--to", "2004-12-31"])
    return bytes(cli.ok("--lang", lang, "report", report, *period, "--format", fmt, *extra).stdout_bytes)


class Tables(HTMLParser):
    """Every <table>: its header cells, and its body rows as (class, cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list]] = []
        self.stack: list[str] = []
        self.cell: list[str] | None = None
        self.row_class = ""
        self.row: list[str] = []
        self.lang = ""
        self.title = ""
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "script":
            self.scripts += 1
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        if tag == "tr":
            self.row, self.row_class = [], a.get("class") or ""
        if tag in ("th", "td"):
            self.cell = []
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        if tag == "tr" and self.tables:
            where = "head" if "thead" in self.stack else "rows"
            if where == "head":
                self.tables[-1]["head"] = self.row
            else:
                self.tables[-1]["rows"].append((self.row_class, self.row))
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.stack and self.stack[-1] == "title":
            self.title += data


def parse(html: bytes) -> Tables:
    parser = Tables()
    parser.feed(html.decode("utf-8"))
    return parser


def test_html_value_is_a_table_with_headings_total_and_marked_rows(example: Cli) -> None:
    page = parse(produce(example, "value", "html"))
    assert page.lang == "zh-CN" and "集体资产保值增值表" in page.title and page.scripts == 0
    (table,) = page.tables
    assert table["head"][:3] == ["成员单位", "名称", "期初资产价值 V0"]
    classes = {row[0]: cls for cls, row in table["rows"]}
    total = next(row for cls, row in table["rows"] if cls == "total")
    assert total[0] == "合计"
    assert "14,350,000.00" in total and "13,270,000.00" in total and "-1,080,000.00" in total and "92.47 %" in total
    # 柳市布厂 M008: 1,600,000 → 600,000 with nothing to take out: 37.50 %, below 100 %, marked
    assert classes["M008"] == "marked" and classes["M003"] == ""


@pytest.mark.parametrize("report", REPORTS)
def test_html_every_heading_inside_a_table(example: Cli, report: str) -> None:
    data = json.loads(produce(example, report, "json"))
    page = parse(produce(example, report, "html", lang="en"))
    html = produce(example, report, "html", lang="en").decode()
    assert "@page { size: A4 landscape" in html and "display: table-header-group" in html and "break-inside: avoid" in html
    assert "tabular-nums" in html and "<link" not in html and "@import" not in html and "url(" not in html
    assert page.tables and all(t["head"] for t in page.tables)
    if "total" in data:
        assert any(cls == "total" and row[0] == "Total" for cls, row in page.tables[0]["rows"])
    text = html.replace("&#x27;", "'")
    for needle in (data["registry"], f"log {data['log_head']['n']}:{data['log_head']['hash'][:16]}", "2005-03-15 00:00:00"):
        assert needle in text


def test_json_says_what_it_is(example: Cli) -> None:
    data = json.loads(produce(example, "value", "json"))
    assert data["registry"] == "乐清市二轻联社（示例）"
    assert data["made"] == "2005-03-15T00:00:00+00:00"
    head = example.ok("log", "--json").stdout
    entries = [json.loads(line) for line in head.splitlines() if line.strip()] if not head.lstrip().startswith("[") else None
    last = (entries or json.loads(head))[-1]
    assert data["log_head"] == {"n": last["seq"], "hash": last["hash"]}


def test_csv_section_picks_another_table_and_headings_are_not_numbers(example: Cli) -> None:
    main = list(csv.reader(io.StringIO(produce(example, "leases", "csv").decode("utf-8-sig"))))
    assert main[0][-4:] == ["0-30 天", "31-90 天", "91-180 天", "180 天以上"]  # not 180, a number to LibreOffice
    # L0001: 76,000 paid against twelve dues of 8,000 leaves 20,000 owed; the total arrears 20,000 + 75,000 + 0
    assert main[-1][0] == "合计" and main[-1][main[0].index("欠租")] == "95000.00"
    idle = list(csv.reader(io.StringIO(produce(example, "leases", "csv", "--section", "4").decode("utf-8-sig"))))
    assert idle[0][:2] == ["资产", "名称"] and idle[1][0] == "A0010" and idle[1][-1] == "750000.00"
    example.refused("report", "leases", "--format", "csv", "--section", "5")
    example.refused("report", "leases", "--format", "html", "--section", "2")


def test_summary_csv_rows_describe_themselves(example: Cli) -> None:
    rows = list(csv.reader(io.StringIO(produce(example, "summary", "csv", lang="en").decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Item", "Column", "Figure"]
    assert all(len(row) == 4 and all(row) for row in rows)
    found = {(s, i, c): v for s, i, c, v in rows[1:]}
    assert found[("Value preservation", "Total", "Ratio %")] == "92.47"
    assert found[("Value preservation", "Total", "Below 100 %")] == "▼"  # 92.47 < 100: not preserved, marked
    assert found[("Value preservation", "Total", "Opening V0")] == "14350000.00"
    shuffled = sorted(rows[1:])  # a row means the same wherever it stands
    assert {(s, i, c): v for s, i, c, v in shuffled} == found


def test_markdown_user_text_is_inert(cli: Cli) -> None:
    cli.ok("member", "add", "--name", "<script>alert(1)</script>", "--kind", "enterprise", "--district", "柳市片")
    cli.ok(
        "member",
        "add",
        "--name",
        "[x](javascript:alert(1)) <img src=x onerror=alert(1)> *em* _u_",
        "--kind",
        "enterprise",
        "--district",
        "柳市片",
    )
    for member in ("M001", "M002"):
        cli.ok(
            "asset",
            "add",
            "--name",
            "厂房",
            "--owner",
            member,
            "--category",
            "building",
            "--acquired",
            "2000-01-01",
            "--value",
            "100",
        )
    md = cli.ok("report", "value", "--to", "2004-12-31", "--format", "md").stdout
    assert "<script" not in md and "<img" not in md and "](" not in md and "javascript:" not in md
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in md
    assert "\\[x\\]\\(javascript&#58;alert\\(1\\)\\)" in md and "\\*em\\* \\_u\\_" in md


def test_format_comes_from_the_output_extension(example: Cli, tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    example.ok("report", "value", "--to", "2004-12-31", "--output", str(out))
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    for fmt in ("xlsx", "pdf"):
        error = example.refused("report", "value", "--format", fmt)
        assert error.count("\n") == 1 and "--output" in error
    error = example.refused("report", "value", "--format", "csv", "--output", str(tmp_path / "v.pdf"))
    assert error.count("\n") == 1 and "v.pdf" in error


def test_flags_export(example: Cli, tmp_path: Path) -> None:
    out = tmp_path / "flags.html"
    example.ok("--lang", "zh", "flags", "--as-of", "2005-03-15", "--min-severity", "high", "--output", str(out))
    page = parse(out.read_bytes())
    (table,) = page.tables
    assert table["head"] == ["代码", "风险", "风险等级", "记录", "名称", "说明", "起始"]
    named = {row[0]: row[1] for _, row in table["rows"]}  # each code with its name in the language
    assert named["DISPOSAL_BELOW_VALUE"] == "低价处置" and "RENT_ARREARS" in named
    md = example.ok("flags", "--as-of", "2005-03-15", "--format", "md").stdout
    assert "ENCROACHMENT\\_OPEN" in md
    listed = json.loads(example.ok("flags", "--as-of", "2005-03-15", "--format", "json").stdout)
    assert listed == json.loads(example.ok("flags", "--as-of", "2005-03-15", "--json").stdout)
    example.refused("flags", "--format", "pdf")


def test_xlsx_reads_back_numbers_dates_and_exact_cents(example: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "value.xlsx"
    example.ok("--lang", "zh", "report", "value", "--from", "2004-01-01", "--to", "2004-12-31", "--output", str(out))
    book = load_workbook(out)
    assert book.sheetnames[0] == "说明"
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert about["登记簿"] == "乐清市二轻联社（示例）" and about["日志头"].startswith("log ") and about["单位"] == "元"
    sheet = book.worksheets[1]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["成员单位", "名称", "期初资产价值 V0"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not any(c.data_type == "f" for c in cells)
    total = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "合计")
    figures = {header[i]: c for i, c in enumerate(total) if c.value is not None and 2 <= i < len(header) - 1}  # the last: ▼
    for cell in figures.values():
        assert cell.data_type == "n" and cell.number_format == "#,##0.00", cell
    # exact cents read back: 14,350,000.00 and −1,080,000.00 (see the module docstring)
    assert Decimal(str(figures["期初资产价值 V0"].value)).quantize(Decimal("0.01")) == Decimal("14350000.00")
    assert Decimal(str(figures["增减额"].value)).quantize(Decimal("0.01")) == Decimal("-1080000.00")
    assert Decimal(str(figures["保值增值率 %"].value)) == Decimal("92.47")


def test_xlsx_wan_keeps_every_digit_and_dates_are_dates(example: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "leases.xlsx"
    example.ok("report", "leases", "--to", "2004-12-31", "--unit", "wan", "--output", str(out))
    sheet = load_workbook(out).worksheets[1]
    header = [c.value for c in sheet[1]]
    first = [c for c in sheet[2]]
    end = first[header.index("End")]
    assert end.is_date and end.value.date() == date(2005, 12, 31)
    # L0001's rent per year: 8,000 a month × 12 = 96,000 yuan = 9.6 万元, kept exact (not rounded to 9.60 only in display)
    assert Decimal(str(first[header.index("Rent per year")].value)) == Decimal("9.6")
    # arrears 20,000 yuan = 2 万元
    assert Decimal(str(first[header.index("Arrears")].value)) == Decimal("2")


def test_xlsx_text_is_never_a_formula(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    name = '=HYPERLINK("http://x","y")'
    cli.ok("member", "add", "--name", name, "--kind", "enterprise", "--district", "柳市片")
    cli.ok(
        "asset", "add", "--name", "=1+1", "--owner", "M001", "--category", "building", "--acquired", "2000-01-01", "--value", "1"
    )
    out = tmp_path / "register.xlsx"
    cli.ok("report", "register", "--as-of", "2004-12-31", "--output", str(out))
    cells = [c for sheet in load_workbook(out).worksheets for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    texts = [c.value for c in cells if c.data_type == "s"]
    assert name in texts and "=1+1" in texts


def _pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


def test_pdf_text_is_searchable_with_page_numbers(example: Cli, tmp_path: Path) -> None:
    out = tmp_path / "value.pdf"
    example.ok("--lang", "zh", "report", "value", "--year", "2004", "--output", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    pages = _pdf_text(out)
    text = "\n".join(pages)
    assert "柳市布厂" in text and "92.47 %" in text and "14,350,000.00" in text  # the total ratio, by hand above
    assert "第 1 页 共 1 页" in pages[0]
    # 11 entries of the imports, then the clearance: notice_contact, open, 16 checks, the surplus, notice, close = 32
    assert "log 32:" in text and "乐清市二轻联社（示例）" in text


def test_pdf_of_many_rows_repeats_headers_and_numbers_pages(cli: Cli, tmp_path: Path) -> None:
    cli.ok("member", "add", "--name", "柳市布厂", "--kind", "enterprise", "--district", "柳市片")
    for n in range(1, 71):  # 70 rows at about 20 a page… whatever the height, more than one page
        cli.ok(
            "asset",
            "add",
            "--name",
            f"柳市布厂{n}号厂房",
            "--owner",
            "M001",
            "--category",
            "building",
            "--acquired",
            "2000-01-01",
            "--value",
            "1000.50",
            "--area",
            "100",
        )
    out = tmp_path / "register.pdf"
    cli.ok("report", "register", "--as-of", "2004-12-31", "--output", str(out))
    pages = _pdf_text(out)
    assert len(pages) > 1
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
    # the detail table's header row starts every page that holds its rows; 70 × 1,000.50 = 70,035.00
    detail = [p for p in pages if "A00" in p]
    assert all("Location" in p and "Value" in p for p in detail), [p[:300] for p in detail]
    assert "70,035.00" in "".join(pages) and "柳市布厂70号厂房" in "".join(pages)


@pytest.fixture
def three_hundred(cli: Cli, tmp_path: Path) -> Cli:
    """300 assets of three members, imported from a CSV in one command: asset n (A0001…A0300) is worth
    (1,000 + n) yuan and (n mod 100) cents, 10 m² each. Values: Σ(1,000 + n) = 300,000 + 300 × 301 ÷ 2
    = 345,150; cents: 0 + 1 + … + 99 three times = 3 × 4,950 = 14,850 cents = 148.50; total 345,298.50."""
    for name in ("柳市布厂", "大荆木器厂", "白象锁厂"):
        cli.ok("member", "add", "--name", name, "--kind", "enterprise", "--district", "柳市片")
    rows = ["name,owner,category,acquired,value,area"]
    rows += [f"厂房{n}号,M00{n % 3 + 1},building,2000-01-01,{1000 + n}.{n % 100:02d},10" for n in range(1, 301)]
    csv_path = tmp_path / "assets.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cli.ok("import", "assets", str(csv_path))
    return cli


def test_pdf_of_several_pages_repeats_the_header_numbers_pages_ends_with_the_total(three_hundred: Cli, tmp_path: Path) -> None:
    import re

    from pypdf import PdfReader

    out = tmp_path / "register.pdf"
    three_hundred.ok("--lang", "zh", "report", "register", "--as-of", "2004-12-31", "--output", str(out))
    reader = PdfReader(out)
    pages = [page.extract_text() for page in reader.pages]
    # 300 rows of about 40 a page, then the table by owner: several pages, whatever the exact height
    assert len(pages) >= 5
    for number, page in enumerate(pages, 1):
        assert f"第 {number} 页 共 {len(pages)} 页" in page, page[-200:]
        assert "log 5:" in page  # the log head in every footer: init, three members, the import = entry 5
    for page in reader.pages:  # A4 landscape: 297 × 210 mm = 841.89 × 595.28 pt
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    # every asset once, its row whole on one page under the repeated header: id and value side by side
    found = [m for page in pages for m in re.findall(r"A\d{4}", page)]
    assert sorted(found) == [f"A{n:04d}" for n in range(1, 301)]
    for n in range(1, 301):
        page = next(p for p in pages if f"A{n:04d}" in p)
        assert f"{1000 + n:,}.{n % 100:02d}" in page and "厂房" + str(n) + "号" in page, n
        assert 0 <= page.find("编号") < page.find("产权证号") < page.find("价值") < page.find(f"A{n:04d}")  # the header above it
    # the detail table's total (345,298.50; 300 × 10 m² = 3,000) is on the page of its last rows, and the last
    # page ends with the table by owner, whose total is the same
    last_rows = [p for p in pages if re.search(r"A\d{4}", p)][-1]
    assert "合计" in last_rows and "345,298.50" in last_rows and "3,000" in last_rows
    assert "合计" in pages[-1] and "345,298.50" in pages[-1]
    # Chinese in STSong-Light, a font every reader has: named, not embedded
    fonts = [f.get_object() for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert any("STSong-Light" in str(f["/BaseFont"]) for f in fonts)
    assert b"/FontFile" not in out.read_bytes()


def test_pdf_a_very_long_name_folds_and_cuts_no_column(cli: Cli, tmp_path: Path) -> None:
    """One name of 1,500 characters takes its column's share of the page: every other column keeps at least
    its least width, so nothing runs off the right edge (the value and the total are on the page)."""
    name = "很长的名字" * 300
    cli.ok("member", "add", "--name", "柳市布厂", "--kind", "enterprise", "--district", "柳市片")
    cli.ok("asset", "add", "--name", name, "--owner", "M001", "--category", "building", "--acquired", "2000-01-01",
           "--value", "1234.56", "--location", "柳市镇上峰村")  # fmt: skip
    out = tmp_path / "register.pdf"
    cli.ok("report", "register", "--as-of", "2004-12-31", "--output", str(out))
    from pypdf import PdfReader

    text = "".join(_pdf_text(out)).replace("\n", "")
    assert text.count("很长的名字") == 300 and "柳市镇上峰村" in text
    assert text.count("1,234.56") == 4  # the asset's value and the total, in both tables
    starts: list[float] = []  # where each piece of text starts on the page, in points from the left

    def visit(operator: bytes, operands: list[float], cm: list[float], *_: object) -> None:
        # each run of text is placed by its own text matrix (a text object begins with one at 0, 0: not a run)
        if operator == b"Tm" and (operands[4], operands[5]) != (0, 0):
            starts.append(cm[0] * float(operands[4]) + cm[4])

    reader = PdfReader(out)
    for page in reader.pages:
        page.extract_text(visitor_operand_before=visit)
    # A4 landscape is 841.89 pt wide, with 28 pt margins: every piece starts inside 28 … 813.89
    assert all(28 <= x < 841.89 - 28 for x in starts), max(starts)
    # the last column (Value, right-aligned: its heading starts about 25 pt before the right margin) is on the page
    assert max(starts) > 841.89 - 28 - 60


def test_pdf_a_row_taller_than_a_page_goes_on_over_the_next(cli: Cli, tmp_path: Path) -> None:
    """A name, a location and a title number near their 2,000-character limit fold into more lines than a
    page holds: the row's lines that fit stay, the rest go on at the top of the next page under the header
    (instead of failing), and every character is there."""
    cli.ok("member", "add", "--name", "柳市布厂", "--kind", "enterprise", "--district", "柳市片")
    cli.ok("asset", "add", "--name", "很长的名字" * 399, "--owner", "M001", "--category", "building",
           "--acquired", "2000-01-01", "--value", "1234.56", "--location", "长坐落" * 600, "--title-no", "证" * 1900)  # fmt: skip
    out = tmp_path / "register.pdf"
    cli.ok("report", "register", "--as-of", "2004-12-31", "--output", str(out))
    pages = _pdf_text(out)
    assert len(pages) > 2
    text = "".join(pages)
    # 很 and 名 only in the name (399 times), 落 only in the location (600), 证 only in the title number (1,900)
    assert (text.count("很"), text.count("名"), text.count("落"), text.count("证")) == (399, 399, 600, 1900)
    held = [p for p in pages if "很" in p]
    assert len(held) > 1 and all("Location" in p and "Title no." in p for p in held)  # the header over each part
    assert text.count("1,234.56") == 4  # the value and the total, in both tables


def test_xlsx_register_money_reads_back_to_the_cent(three_hundred: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "register.xlsx"
    three_hundred.ok("report", "register", "--as-of", "2004-12-31", "--output", str(out))
    sheet = load_workbook(out).worksheets[1]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    value = header.index("Value")
    # the table's rows (not the total, nor the signature blanks under the table)
    by_id = {
        row[header.index("Id")].value: row[value] for row in rows if row[0].value != "Total" and row[value].value is not None
    }
    assert len(by_id) == 300
    for n in range(1, 301):
        cell = by_id[f"A{n:04d}"]
        assert cell.data_type == "n" and cell.number_format == "#,##0.00"
        assert Decimal(str(cell.value)) == Decimal(f"{1000 + n}.{n % 100:02d}"), n
    total = next(row for row in rows if row[0].value == "Total")
    assert Decimal(str(total[value].value)) == Decimal("345298.50")  # by hand in the fixture's docstring


def test_svg_every_chinese_text_is_as_wide_as_its_cells(example: Cli) -> None:
    """Each <text> carries textLength = its width in cells × 8 px (a Chinese character two cells)."""
    import re

    from assetreg.render.formats.svg import CELL
    from assetreg.render.text import width

    svg = produce(example, "value", "svg").decode()
    assert 'fill="#ffffff"' in svg and "<script" not in svg
    texts = re.findall(r'<text [^>]*font-size="(\d+)" textLength="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    chinese = [(size, length, text) for size, length, text in texts if re.search("[\u4e00-\u9fff]", text)]
    assert any(text == "柳市布厂" for _, _, text in chinese)
    for size, length, text in chinese:
        assert float(length) == pytest.approx(width(text) * CELL * int(size) / 13, abs=0.01), text
    assert width("柳市布厂") * CELL == 64  # four characters, eight cells


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed: printing HTML to PDF needs it")
@pytest.mark.parametrize("report", REPORTS)
def test_html_printed_by_chromium_keeps_every_heading(example: Cli, report: str, tmp_path: Path) -> None:
    import subprocess

    from pypdf import PdfReader

    page = tmp_path / f"{report}.html"
    page.write_bytes(produce(example, report, "html"))
    out = tmp_path / f"{report}.pdf"
    browser = _chromium()
    assert browser is not None
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    # NFKC: the fonts map some ideographs to Kangxi radicals in the PDF's text (⼆ for 二)
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in PdfReader(out).pages))
    text = text.replace("\n", "").replace(" ", "")
    for table in parse(page.read_bytes()).tables:  # nothing cut at the right edge: every heading is printed
        for heading in table["head"]:
            assert unicodedata.normalize("NFKC", heading).replace(" ", "") in text, (report, heading)
    if report == "value":
        assert "92.47%" in text and "14,350,000.00" in text
