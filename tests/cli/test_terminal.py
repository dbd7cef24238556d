"""Every table of the tool fits the terminal: 80, 100 and 120 columns, English and Chinese, names of 20
Chinese characters. A figure, a date, an id or a settings key is never cut; a column left out is named
under its table; --wide shows it; piped without COLUMNS a table is drawn at its full width."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from tests.conftest import Cli

# Twenty Chinese characters each (40 cells): wider than any column can give them at 80 columns.
MEMBER = "乐清市二轻工业联合社柳市片区集体布厂总厂"
ASSET = "柳市布厂第一号生产车间及附属仓库综合厂房"
LOCATION = "乐清市柳市镇上峰村工业区东路一百二十八号"
TENANT = "乐清市柳市镇某某电器设备制造有限责任公司"
PARTY = "乐清市柳市镇上峰村村民委员会及其所属村民"
NOTE = "市里成立调解小组由分管副市长亲自带队调解"
assert {len(x) for x in (MEMBER, ASSET, LOCATION, TENANT, PARTY, NOTE)} == {20}

NOT_SHOWN = {"en": "Not shown for lack of width:", "zh": "终端宽度不足，未显示："}


@pytest.fixture
def wide_names(cli: Cli) -> Cli:
    cli.ok("member", "add", "--name", "乐清市二轻联社", "--district", "市区", "--kind", "federation", "--id", "M000")
    cli.ok("member", "add", "--name", MEMBER, "--district", "柳市片", "--kind", "enterprise", "--employees", "320")
    cli.ok(
        "asset", "add", "--name", ASSET, "--owner", "M001", "--category", "building", "--acquired", "2001-05-01",
        "--value", "1600000", "--area", "1200", "--title-no", "乐房权证柳市字第20010501号", "--location", LOCATION,
    )  # fmt: skip
    cli.ok("asset", "revalue", "A0001", "--date", "2003-06-30", "--value", "1750000", "--doc", "乐二轻〔2003〕18号")
    cli.ok("asset", "impair", "A0001", "--date", "2004-12-31", "--value", "1200000", "--cause", "damage", "--note", NOTE)
    cli.ok("asset", "add", "--name", "皮件厂厂房", "--owner", "M001", "--category", "building", "--acquired", "2000-01-01",
           "--value", "800000")  # fmt: skip
    cli.ok("asset", "dispose", "A0002", "--date", "2004-09-28", "--proceeds", "700000", "--method", "auction")
    cli.ok("asset", "add", "--name", ASSET + "二", "--owner", "M001", "--category", "building", "--acquired", "1999-03-01",
           "--value", "960000", "--area", "800")  # fmt: skip
    cli.ok("lease", "add", "--asset", "A0003", "--tenant", TENANT, "--start", "2004-01-01", "--end", "2006-12-31",
           "--rent", "8000", "--period", "monthly", "--deposit", "16000")  # fmt: skip
    cli.ok("lease", "pay", "L0001", "--date", "2004-01-05", "--amount", "8000", "--note", NOTE)
    cli.ok("incident", "add", "--kind", "damage", "--asset", "A0001", "--occurred", "2004-12-20", "--counterparty", PARTY,
           "--estimated-loss", "200000", "--description", NOTE)  # fmt: skip
    cli.ok("incident", "act", "I0001", "--date", "2005-01-10", "--note", NOTE, "--status", "mediation")
    return cli


# Each command with what its output must hold whole (figures, dates, ids, keys), each with the heading of
# the column it sits in (msgid), or None when it is in a title, a detail line or a column always kept.
TABLES: dict[str, tuple[tuple[str, ...], list[tuple[str, str | None]]]] = {
    "member list": (("member", "list"), [("M001", None), ("2,160,000.00", None), ("320", "Employees")]),
    "member show": (("member", "show", "M001"), [("M001", None), ("A0001", None), ("2,160,000.00", None),
                                               ("1,200,000.00", None)]),
    "asset list": (("asset", "list"), [("A0001", None), ("1,200,000.00", None), ("960,000.00", None), ("1,200", "Area m²")]),
    "asset show": (("asset", "show", "A0001"), [("1,600,000.00", None), ("1,750,000.00", None), ("2001-05-01", None),
                                               ("I0001", None), ("2004-12-20", "Occurred")]),
    "asset history": (("asset", "history", "A0001"), [("1,600,000.00", None), ("1,750,000.00", None),
                                                     ("1,200,000.00", None), ("2003-06-30", None), ("2004-12-31", None)]),
    "lease list": (("lease", "list"), [("L0001", None), ("8,000.00", "Rent"), ("2006-12-31", "End"), ("2004-01-01", "Start")]),
    "lease show": (("lease", "show", "L0001"), [("L0001", None), ("2004-01-05", None), ("16,000.00", None)]),
    "incident list": (("incident", "list"), [("I0001", None), ("2004-12-20", "Occurred")]),
    "incident show": (("incident", "show", "I0001"), [("I0001", None), ("200,000.00", None), ("2005-01-10", None)]),
    "flags": (("flags",), [("ENCROACHMENT_OPEN", "Code"), ("DISPOSAL_BELOW_VALUE", "Code"), ("700,000.00", None),
                           ("800,000.00", None), ("2004-09-28", None)]),
    "settings show": (("settings", "show"), [("stale_action_days", None), ("restructuring_stalled_years", None),
                                             ("valuation_stale_years", None), ("backups_kept", None)]),
    "backup list": (("backup", "list"), []),  # N: see test_backup_list_keeps_n_and_settings_keys_whole
    "register": (("report", "register", "--as-of", "2004-12-31"), [("A0001", None), ("1,200,000.00", None),
                                                                  ("2,160,000.00", None)]),
    "value": (("report", "value", "--from", "2004-01-01", "--to", "2004-12-31"), [("M001", None), ("3,510,000.00", "Opening V0"),
                                                     ("2,160,000.00", "Closing V1")]),
    "leases": (("report", "leases", "--to", "2004-12-31"), [("L0001", None), ("96,000.00", "Rent per year"),
                                                           ("88,000.00", "Arrears")]),
    "incidents": (("report", "incidents", "--to", "2005-03-15"), [("I0001", None), ("1,200,000.00", "Assets' value"),
                                                                 ("200,000.00", "Estimated loss")]),
    "summary": (("report", "summary", "--to", "2004-12-31"), [("2,160,000.00", None), ("96,000.00", None)]),
}  # fmt: skip
# By hand: A0001 1,600,000 (2001) → revalued 1,750,000 (2003-06-30) → impaired to 1,200,000 on 2004-12-31;
# A0002 800,000 sold on 2004-09-28 for 700,000; A0003 960,000. Held at the end of 2004 (and on 2005-03-15):
# 1,200,000 + 960,000 = 2,160,000; at the end of 2003: 1,750,000 + 800,000 + 960,000 = 3,510,000.
# Rent 8,000 a month = 96,000 a year; 2004's twelve dues less the one payment of 8,000 = 88,000 owed.


def _translate(lang: str, msgid: str) -> str:
    from assetreg.i18n import _, set_language

    set_language(lang)
    try:
        return _(msgid)
    finally:
        set_language("en")


def _note(out: str, lang: str) -> str:
    """The line under a table naming the columns left out (folded like any text: up to "--wide")."""
    start = out.find(NOT_SHOWN[lang])
    return "" if start < 0 else out[start : out.index("--wide", start)].replace("\n", " ")


@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_table_fits_and_cuts_nothing(wide_names: Cli, lang: str, columns: int) -> None:
    for name, (args, whole) in TABLES.items():
        out = wide_names.ok("--lang", lang, *args, env={"COLUMNS": str(columns)}).stdout
        too_wide = [line for line in out.splitlines() if cell_len(line) > columns]
        assert not too_wide, (name, lang, columns, too_wide)
        note = _note(out, lang)
        for token, heading in whole:
            if heading is not None and _translate(lang, heading) in note:
                continue  # its column was left out, and said so
            assert token in out, (name, lang, columns, token, out)


def test_a_column_left_out_is_named_and_wide_shows_it(wide_names: Cli) -> None:
    for lang in ("en", "zh"):
        narrow = wide_names.ok(
            "--lang", lang, "report", "value", "--from", "2004-01-01", "--to", "2004-12-31", env={"COLUMNS": "80"}
        ).stdout
        note = _note(narrow, lang)
        assert note, narrow
        named = [_translate(lang, h) for h in ("Acquired A", "Proceeds P", "Force majeure F")]
        assert all(n in note for n in named), (note, named)  # the components go before V0, V1 and the ratio
        assert _translate(lang, "Ratio %") not in note
        wide = wide_names.ok(
            "--lang", lang, "report", "value", "--from", "2004-01-01", "--to", "2004-12-31", "--wide", env={"COLUMNS": "80"}
        ).stdout
        assert not _note(wide, lang)
        assert "700,000.00" in wide  # proceeds P: A0002 sold for 700,000 in 2004
        assert max(map(cell_len, wide.splitlines())) > 80  # every column, past the terminal's edge


def test_backup_list_keeps_n_and_settings_keys_whole_at_80_columns(wide_names: Cli) -> None:
    for lang in ("en", "zh"):
        out = wide_names.ok("--lang", lang, "backup", "list", env={"COLUMNS": "80"}).stdout
        header = next(line for line in out.splitlines() if line.startswith("┃"))
        assert header.startswith("┃  N ┃") or header.startswith("┃ N"), header
        assert re.search(r"^│ +1 │", out, re.M), out  # N = 1, what `backup restore 1` takes
        settings = wide_names.ok("--lang", lang, "settings", "show", env={"COLUMNS": "80"}).stdout
        for key in ("stale_action_days", "restructuring_stalled_years", "arrears_high_days", "backups_kept"):
            assert re.search(rf"│ {key} +│", settings), (lang, key, settings)


def test_at_80_columns_a_chinese_reader_keeps_the_flags_chinese_name_before_its_code(wide_names: Cli) -> None:
    zh = wide_names.ok("--lang", "zh", "flags", env={"COLUMNS": "80"}).stdout
    assert "低价处置" in zh and "侵权未结" in zh  # DISPOSAL_BELOW_VALUE and ENCROACHMENT_OPEN by name
    en = wide_names.ok("flags", env={"COLUMNS": "80"}).stdout
    assert "DISPOSAL_BELOW_VALUE" in en and "ENCROACHMENT_OPEN" in en  # in English the code is the name


def test_piped_without_columns_draws_full_width(wide_names: Cli) -> None:
    out = wide_names.ok("--lang", "zh", "report", "register", "--as-of", "2004-12-31", env={"COLUMNS": None}).stdout
    assert not _note(out, "zh")
    assert max(map(cell_len, out.splitlines())) > 120
    assert ASSET in out and LOCATION in out  # nothing folded: each name whole on its line
    flags = wide_names.ok("flags", env={"COLUMNS": None}).stdout
    assert PARTY in flags and "Severity" in flags


def test_text_folds_chinese_by_character_and_lines_up(wide_names: Cli) -> None:
    out = wide_names.ok("--lang", "zh", "asset", "list", env={"COLUMNS": "80"}).stdout
    rows = [line for line in out.splitlines() if line.startswith(("│", "┃"))]

    def bars(line: str) -> list[int]:
        return [cell_len(line[:i]) for i, ch in enumerate(line) if ch in "│┃"]

    assert len({tuple(bars(line)) for line in rows}) == 1  # every line of the table has its edges in place
    assert ASSET not in out  # 40 cells do not fit: folded…
    assert "".join(re.findall(r"[\u4e00-\u9fff]+", out)).count(ASSET[:4]) >= 1  # …by character, nothing lost
