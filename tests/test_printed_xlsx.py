"""xlsx documents as a finance office prints them (issue 25): read back with openpyxl (not write-only).

Figures of the example registry, worked by hand from examples/README.md:
- the register at 2004-12-31 holds V1 of 2004, 12,115,000.00 (the clearance's book value 12,085,000 plus
  the shed found, 30,000; the federation's 1,000,000 stake is left out of the total), on 45,500 m²
  (45,200 on the books + 150 measured on the lock factory's building + the shed's 150). In the
  sheet's number format #,##0.00 they read "12,115,000.00" (13 characters) and "45,500.00" (9): the
  area total showed as ### when the column was sized from the terminal's "45,500" (5).
- the summary's value preservation: V0 14,350,000.00 (13), change 13,270,000 − 14,350,000 =
  −1,080,000.00, shown "-1,080,000.00" (13 with its sign).

A column of width N holds N of the default font's digits edge to edge, with no room for the cell's
padding or a bold total's digits: version 2's area column, 9.0 wide for "45,500.00", printed ###
in LibreOffice. So a figure needs its length and two characters more (ROOM).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
YEAR = ["--from", "2004-01-01", "--to", "2004-12-31"]
REPORTS = {
    "register": ["--as-of", "2004-12-31"],
    "value": YEAR,
    "trend": ["--from", "2001-01-01", "--to", "2004-12-31"],
    "leases": YEAR,
    "incidents": YEAR,
    "summary": YEAR,
}
FOOTER_PAGES = {"en": "Page &P of &N", "zh": "第 &P 页 共 &N 页"}
ROOM = 2
SIGNATURES = {"en": ("Prepared by", "Checked by", "Approved by"), "zh": ("制表人", "审核人", "负责人")}


def book_of(cli: Cli, tmp_path: Path, report: str, lang: str) -> Any:
    from openpyxl import load_workbook

    out = tmp_path / f"{report}-{lang}.xlsx"
    cli.ok("--lang", lang, "report", report, *REPORTS[report], "--output", str(out))
    return load_workbook(out)


def cells(text: str) -> int:
    """Columns a text takes, counted by hand: a CJK character or a full-width sign two, anything else one."""
    return sum(2 if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uff60" else 1 for ch in text)


def as_shown(cell: Any) -> str:
    """A figure cell as its number format shows it (only the formats the documents use)."""
    if cell.number_format == "#,##0.00":
        return f"{Decimal(str(cell.value)):,.2f}"
    if cell.number_format == "#,##0":
        return f"{Decimal(str(cell.value)):,.0f}"
    return str(cell.value)


def column(sheet: Any, heading: str) -> tuple[str, list[Any]]:
    """A column's letter and its cells under the header, found by its heading."""
    for cell in sheet[1]:
        if cell.value == heading:
            return cell.column_letter, [row[0] for row in sheet.iter_rows(min_row=2, min_col=cell.column, max_col=cell.column)]
    raise AssertionError(heading)


def row_named(sheet: Any, first: str) -> dict[str, Any]:
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == first)
    return dict(zip(header, row, strict=False))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_register_columns_hold_their_totals(example: Cli, tmp_path: Path, lang: str) -> None:
    book = book_of(example, tmp_path, "register", lang)
    sheet = book.worksheets[1]
    area, value, total = ("Area m²", "Value", "Total") if lang == "en" else ("面积 m²", "价值", "合计")
    figures = row_named(sheet, total)
    assert Decimal(str(figures[value].value)) == Decimal("12115000") and figures[value].number_format == "#,##0.00"
    assert Decimal(str(figures[area].value)) == Decimal("45500") and figures[area].number_format == "#,##0.00"
    letter, _cells = column(sheet, value)
    assert sheet.column_dimensions[letter].width >= len("12,115,000.00") + ROOM
    letter, _cells = column(sheet, area)
    assert sheet.column_dimensions[letter].width >= len("45,500.00") + ROOM


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_summary_value_columns_hold_their_totals_and_signs(example: Cli, tmp_path: Path, lang: str) -> None:
    book = book_of(example, tmp_path, "summary", lang)
    sheet = book["Value preservation" if lang == "en" else "保值增值"]
    heading = {"en": ("Opening V0", "Change"), "zh": ("期初资产价值 V0", "增减额")}[lang]
    for name, expected in zip(heading, ("14,350,000.00", "-1,080,000.00"), strict=True):
        letter, found = column(sheet, name)
        assert expected in [as_shown(c) for c in found]
        assert sheet.column_dimensions[letter].width >= len(expected) + ROOM


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("report", sorted(REPORTS))
def test_every_column_holds_its_widest_figure_and_its_heading(example: Cli, tmp_path: Path, report: str, lang: str) -> None:
    """Whatever a report holds: each column at least as wide as every figure in it as its format shows
    it (totals and the rows under them included) and as its heading (a Chinese character two)."""
    book = book_of(example, tmp_path, report, lang)
    for sheet in book.worksheets[1:]:
        for head in sheet[1]:
            size = sheet.column_dimensions[head.column_letter].width
            assert size >= cells(head.value), (sheet.title, head.value, size)
            for row in sheet.iter_rows(min_row=2, min_col=head.column, max_col=head.column):
                cell = row[0]
                if cell.data_type == "n" and cell.value is not None:
                    assert size >= len(as_shown(cell)) + ROOM, (sheet.title, head.value, as_shown(cell), size)
                elif isinstance(cell.value, datetime):
                    assert size >= len("yyyy-mm-dd") + ROOM


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("report", ["register", "summary"])
def test_every_sheet_prints_a4_landscape_one_page_wide_with_the_log_head(
    example: Cli, tmp_path: Path, report: str, lang: str
) -> None:
    book = book_of(example, tmp_path, report, lang)
    about = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    head = about["Log head" if lang == "en" else "日志头"]
    assert re.fullmatch(r"log \d+:[0-9a-f]{16}", head)
    for number, sheet in enumerate(book.worksheets):
        setup = sheet.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9"), sheet.title  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # one page wide, as many down as it takes
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        footer = sheet.oddFooter
        assert footer.left.text == "乐清市二轻联社（示例）"
        assert footer.center.text == FOOTER_PAGES[lang]
        assert footer.right.text == head
        if number:  # a table: its header row on every printed page
            assert sheet.print_title_rows == "$1:$1"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_table_ends_with_the_signature_blanks(example: Cli, tmp_path: Path, lang: str) -> None:
    book = book_of(example, tmp_path, "leases", lang)
    for sheet in book.worksheets[1:]:
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
        under = " ".join(str(v) for row in rows[-3:] for v in row if v)  # on one row, or one a row when narrow
        for role in SIGNATURES[lang]:
            assert re.search(rf"{role}[:：] ?_{{14}}", under), (sheet.title, under)


def test_english_sheet_names_are_whole_words(example: Cli, tmp_path: Path) -> None:
    names = {report: book_of(example, tmp_path, report, "en").sheetnames for report in ("value", "leases", "summary")}
    # "Value preservation and appreciation" is 35 characters: cut after "and" (22), which is dropped
    assert names["value"] == ["About", "Value preservation"]
    # "Ended leases still owing rent or holding a deposit": "… rent" is 29, "… rent or" 32
    assert names["leases"][2] == "Ended leases still owing rent"
    for name in (n for book in names.values() for n in book):
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)


def test_sheet_names_fit_unique_and_chinese_cut_between_characters() -> None:
    from assetreg.render.document import Document, Table
    from assetreg.render.formats.xlsx import sheet_names

    titles = [
        "Ratio per year and for the whole period",  # 39: "Ratio per year and for the" (26) ends on "for the"
        "Ratio per year and for the whole period",  # the same again: " 2" needs room
        "Flags as of 2005-03-15: 26",  # a colon is not allowed in a sheet name
        "资产" * 20,  # 40 characters without a space: any character boundary is a word's
        "Supercalifragilisticexpialidocious-and-more-of-it",  # one word longer than 31: cut, nothing else fits
    ]
    document = Document(
        name="x",
        title="x",
        period=("As of", "2004-12-31"),
        unit="yuan",
        registry="r",
        made=datetime(2005, 3, 15),
        log_head=(1, "0" * 64),
        tables=[Table(title, [], []) for title in titles],
    )
    assert sheet_names(document)[1:] == [
        "Ratio per year",
        "Ratio per year 2",
        "Flags as of 2005-03-15 26",
        "资产" * 15 + "资",
        "Supercalifragilisticexpialidoci",
    ]


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="LibreOffice not installed")
def test_libreoffice_prints_the_register_without_hashes(example: Cli, tmp_path: Path) -> None:
    """The reviewer's check: LibreOffice draws a number too wide for its column as ###."""
    book_of(example, tmp_path, "register", "zh")
    profile = (tmp_path / "lo").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(tmp_path / "register-zh.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(["pdftotext", str(tmp_path / "register-zh.pdf"), "-"], check=True, capture_output=True).stdout
    page = "".join(text.decode().split())  # pdftotext's spacing is its own
    assert "###" not in page
    # About, the assets, the groups: one page each (a sheet one page wide, the example a page long)
    assert "12,115,000.00" in page and "45,500.00" in page and "第1页共3页" in page and "第3页共3页" in page


def test_footer_shows_an_ampersand_in_the_registry_name_as_itself(tmp_path: Path) -> None:
    """In a footer & starts a code (&P the page, &B bold…): "A&B" must be written "A&&B"."""
    from openpyxl import load_workbook

    cli = Cli(tmp_path / "registry.json")
    cli.ok("init", "--name", "Lock & Key Co&Bop")
    out = tmp_path / "register.xlsx"
    cli.ok("report", "register", "--as-of", "2004-12-31", "--output", str(out))
    for sheet in load_workbook(out).worksheets:
        assert sheet.oddFooter.left.text == "Lock && Key Co&&Bop"


def test_a_long_name_wraps_in_a_row_tall_enough(cli: Cli, tmp_path: Path) -> None:
    """A 300-character name: its column stops at 60 characters (× 1.2 + 2 would be far wider), the cell
    wraps at its words, and the row says how tall it is (LibreOffice keeps a row one line high otherwise)."""
    from openpyxl import load_workbook

    cli.ok("member", "add", "--name", "柳市布厂", "--kind", "enterprise", "--district", "柳市片")
    name = " ".join(["warehouse"] * 30)  # 30 × 10 − 1 = 299 characters
    cli.ok(
        "asset", "add", "--name", name, "--owner", "M001", "--category", "building", "--acquired", "2000-01-01", "--value", "1"
    )
    out = tmp_path / "register.xlsx"
    cli.ok("report", "register", "--as-of", "2004-12-31", "--output", str(out))
    sheet = load_workbook(out).worksheets[1]
    letter, found = column(sheet, "Name")
    cell = next(c for c in found if c.value == name)
    assert sheet.column_dimensions[letter].width == 60
    assert cell.alignment.wrap_text
    # 299 characters in lines of at most 58 (60 less the margins): at least 6 lines of 15 points
    assert sheet.row_dimensions[cell.row].height >= 6 * 15
    # the rest of the row beside the name's first line, the value still a figure
    value = sheet.cell(row=cell.row, column=column(sheet, "Value")[1][0].column)
    assert value.alignment.vertical == "top" and value.data_type == "n" and value.number_format == "#,##0.00"
