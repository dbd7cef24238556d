"""The PDF as a finance office reads it (issue 25): read back with pypdf, page by page.

Figures of the example registry's 2004 are worked by hand in tests/test_documents.py's docstring: the
summary's change is 13,270,000 − 14,350,000 = −1,080,000 and its ratio 92.47 %; the log head of the
example is entry 32 (11 entries of the imports, then the clearance's 21).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assetreg.render import columns
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
REPORTS = {
    "register": ["report", "register", "--as-of", "2004-12-31"],
    "value": ["report", "value", "--year", "2004"],
    "trend": ["report", "trend", "--from", "2002-01-01", "--to", "2004-12-31"],
    "leases": ["report", "leases", "--as-of", "2004-12-31"],
    "incidents": ["report", "incidents", "--as-of", "2004-12-31"],
    "summary": ["report", "summary", "--from", "2004-01-01", "--to", "2004-12-31"],
    "clearance": ["report", "clearance", "C001"],
    "flags": ["flags", "--as-of", "2004-12-31"],
}


def _pdf(cli: Cli, tmp_path: Path, report: str, lang: str) -> Path:
    out = tmp_path / f"{report}-{lang}.pdf"
    cli.ok("--lang", lang, *REPORTS[report], "--output", str(out))
    return out


def _pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


def _lines(path: Path) -> list[str]:
    return [line for page in _pages(path) for line in page.split("\n")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summary_is_one_page(example: Cli, tmp_path: Path, lang: str) -> None:
    pages = _pages(_pdf(example, tmp_path, "summary", lang))
    assert len(pages) == 1
    # the note and the form's blanks are on that page too
    text = pages[0]
    assert ("Approved by" if lang == "en" else "负责人") in text
    assert "13,270,000.00" in text and "92.47 %" in text


@pytest.mark.parametrize(
    ("report", "lang", "words"),
    [
        ("trend", "en", ["Year 2002", "Year 2003", "Year 2004", "Whole period"]),  # headings of the trend
        ("leases", "zh", ["180 天以上", "91-180 天", "已终止但仍欠租或仍持有押金的合同"]),
        ("leases", "en", ["180+ days", "Rent per year", "Deposit held"]),
        ("incidents", "en", ["land dispute", "Estimated loss", "Assets' value", "Last action"]),
        ("incidents", "zh", ["土地纠纷", "诉讼中", "自然灾害", "估计损失"]),
        ("summary", "zh", ["扣除客观因素后期末资产价值", "期初资产价值 V0", "不可抗力损失 F", "保值增值率 %"]),
        ("summary", "en", ["Force majeure F", "Adjusted closing", "Opening V0"]),
    ],
)
def test_headings_and_words_are_never_split_while_the_page_has_room(
    example: Cli, tmp_path: Path, report: str, lang: str, words: list[str]
) -> None:
    """Each of these is on one line of the extracted text: a heading folded inside a word would be cut by
    a line break ("Year 200" / "2", "180 天以" / "上", "land disput" / "e")."""
    lines = _lines(_pdf(example, tmp_path, report, lang))
    for word in words:
        assert any(word in line for line in lines), (word, [line for line in lines if word[:3] in line])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_minus_and_times_are_drawn_as_themselves(example: Cli, tmp_path: Path, lang: str) -> None:
    """The ratio's note reads "V1 − A − R + P + F + D" and "V0 × 100" in both languages (the catalogue's
    text): U+2212 and U+00D7 come back, not "-" and "x"."""
    text = "".join(_pages(_pdf(example, tmp_path, "summary", lang)))
    assert "V1 \u2212 A \u2212 R + P + F + D" in text
    assert "V0 \u00d7 100" in text
    assert "V1 - A" not in text and "V0 x 100" not in text


@pytest.mark.parametrize("report", list(REPORTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_has_its_number_the_log_head_and_both_fonts(example: Cli, tmp_path: Path, report: str, lang: str) -> None:
    from pypdf import PdfReader

    path = _pdf(example, tmp_path, report, lang)
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    for number, (page, text) in enumerate(zip(reader.pages, pages, strict=True), 1):
        footer = f"第 {number} 页 共 {len(pages)} 页" if lang == "zh" else f"Page {number} of {len(pages)}"
        assert footer in text
        assert "log 32:" in text  # the example's log head, entry 32
        fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
        # every document has Chinese (the registry's name) and figures: both fonts on every page
        assert {"/Helvetica", "/STSong-Light"} <= fonts, fonts
    # Chinese is named, not embedded: every reader has STSong-Light
    assert b"/FontFile" not in path.read_bytes()


def test_the_register_header_repeats_on_every_page_of_a_long_table(example: Cli, tmp_path: Path) -> None:
    pages = _pages(_pdf(example, tmp_path, "register", "zh"))
    assert len(pages) == 2  # 16 assets and the table by owner: the second table goes on over page 2
    for page in pages:
        assert "产权单位名称" in page and "价值" in page


def _runs_and_fonts(path: Path) -> list[tuple[str, str]]:
    from pypdf import PdfReader

    found: list[tuple[str, str]] = []

    def visit(text: str, _cm: object, _tm: object, font: dict[str, object] | None, _size: object) -> None:
        if text.strip() and font is not None:
            found.append((text.strip(), str(font.get("/BaseFont"))))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return found


def test_latin_in_helvetica_chinese_in_stsong_and_the_total_row_label(example: Cli, tmp_path: Path) -> None:
    """The register's first column holds ids (M000…) and, on the total row, 合计: the ids in Helvetica,
    合计 in STSong-Light (it was drawn in the id column's Latin font)."""
    runs = _runs_and_fonts(_pdf(example, tmp_path, "register", "zh"))
    assert ("合计", "/STSong-Light") in runs
    assert any(text.startswith("M000") and font == "/Helvetica" for text, font in runs)
    assert any("12,115,000.00" in text and font == "/Helvetica-Bold" for text, font in runs)  # the total, in bold


def test_long_user_text_wraps_at_words_and_leaves_the_other_columns_whole(example: Cli, tmp_path: Path) -> None:
    """A 300-character English name and a 200-character counterparty: they wrap, while the kind "land
    dispute", the dates and the figures of every row stay whole on one line, and all of the text is there."""
    name = ("Riverside warehouse of the former Yueqing light industry cooperative, north block, annex and yard " * 4)[:300]
    counterparty = ("上峰村村民委员会及其下属经济合作社与柳市镇人民政府土地管理所" * 8)[:200]
    example.ok("asset", "add", "--name", name, "--owner", "M001", "--category", "building", "--acquired", "2000-01-01",
               "--value", "1234.56", "--location", "柳市镇上峰村")  # fmt: skip
    example.ok("incident", "add", "--kind", "land_dispute", "--asset", "A0020", "--occurred", "2004-06-01",
               "--counterparty", counterparty, "--description", "x")  # fmt: skip
    for lang, kind in (("en", "land dispute"), ("zh", "土地纠纷")):
        path = _pdf(example, tmp_path, "incidents", lang)
        lines = _lines(path)
        assert sum(kind in line for line in lines) == 2  # I0002 and the new one
        assert any("2004-06-01" in line for line in lines)
        # the assets' value of the new incident: its asset's 1,234.56; the total 5,240,000.00 + 1,234.56
        assert any("1,234.56" in line for line in lines) and any("5,241,234.56" in line for line in lines)
        joined = "".join(lines)
        assert counterparty in joined
        words = name.split()
        assert all(word.strip(",") in joined for word in words)  # every English word whole
    register = _lines(_pdf(example, tmp_path, "register", "en"))
    assert any("Riverside warehouse" in line for line in register)


def test_a_row_taller_than_a_page_starts_under_its_title(cli: Cli, tmp_path: Path) -> None:
    """A name, a location and a title number near their 2,000-character limit: the row's first lines are
    on page 1 under the title and the header, not pushed to page 2 leaving the title alone."""
    cli.ok("member", "add", "--name", "柳市布厂", "--kind", "enterprise", "--district", "柳市片")
    cli.ok("asset", "add", "--name", "很长的名字" * 399, "--owner", "M001", "--category", "building",
           "--acquired", "2000-01-01", "--value", "1234.56", "--location", "长坐落" * 600, "--title-no", "证" * 1900)  # fmt: skip
    out = tmp_path / "register.pdf"
    cli.ok("report", "register", "--as-of", "2004-12-31", "--output", str(out))
    pages = _pages(out)
    assert "Asset register" in pages[0] and "A0001" in pages[0] and "很长的名字" in pages[0]
    assert "1,234.56" in pages[0]  # the value, on the row's first line


# -- the width computation, by hand ------------------------------------------------------------


def _chars(text: str) -> float:
    """A measure for the tests: one unit a character, two a Chinese one."""
    return float(sum(2 if columns.has_wide(c) else 1 for c in text))


def test_words_keep_figures_and_english_words_whole_and_chinese_breakable() -> None:
    assert columns.words("land dispute 1,080,000.00") == ["land", "dispute", "1,080,000.00"]
    # each Chinese character a word, closing punctuation kept with the one before, opening with the one after
    assert columns.words("诉讼中，（A）") == ["诉", "讼", "中，", "（A）"]


def test_wrap_breaks_at_spaces_and_between_chinese_characters() -> None:
    # "Force majeure F" is 15 units: in 10, "Force" (5) then "majeure F" (9)
    assert columns.wrap("Force majeure F", 10, _chars) == ["Force", "majeure F"]
    # 180 天以上: "180 " is 4 units, each character 2: in 8, "180 天以" (8) then "上"
    assert columns.wrap("180 天以上", 8, _chars) == ["180 天以", "上"]
    # a word wider than the room alone is cut between characters: 12 letters in 5
    assert columns.wrap("abcdefghijkl", 5, _chars) == ["abcde", "fghij", "kl"]


def test_share_gives_naturals_when_they_fit_else_words_then_the_least_wanting() -> None:
    a = columns.Need(natural=10, word=4, least=4)
    b = columns.Need(natural=30, word=6, least=6)
    c = columns.Need(natural=8, word=8, least=2)  # a Chinese heading of 4 characters
    # all naturals: 10 + 30 + 8 = 48
    assert columns.share([a, b, c], 50) == ([10, 30, 8], 1.0)
    # room 30: words 4 + 6 + 8 = 18, spare 12; lacks 6 (a), 24 (b), 0 (c): a gets its 6 whole, b the other 6
    assert columns.share([a, b, c], 30) == ([10, 12, 8], 1.0)
    # room 15: words (18) do not fit, least 4 + 6 + 2 = 12 do; spare 3 against lacks 6, 24, 6: 1 each
    assert columns.share([a, b, c], 15) == ([5, 7, 3], 1.0)
    # room 6: not even the least (12): everything at half its least, the type half its size
    assert columns.share([a, b, c], 6) == ([2, 3, 1], 0.5)
