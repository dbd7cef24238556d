"""Every report in every format on the example registry: golden files, and the same figures everywhere.

Run with UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change; review the diff by eye.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
REPORTS = ("register", "value", "leases", "incidents", "summary")
FORMATS = ("txt", "md", "html", "svg", "csv", "json")
PERIOD = {"register": ["--as-of", "2004-12-31"]}


def render(cli: Cli, report: str, fmt: str, *extra: str) -> bytes:
    period = PERIOD.get(report, ["--from", "2004-01-01", "--to", "2004-12-31"])
    result = cli.ok("--lang", "zh", "report", report, *period, "--format", fmt, *extra)
    return result.stdout_bytes


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("report", REPORTS)
def test_golden(example: Cli, report: str, fmt: str) -> None:
    produced = render(example, report, fmt)
    golden = GOLDEN / f"{report}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(produced)
    assert produced == golden.read_bytes(), f"{golden.name} changed: review it and run with UPDATE_GOLDEN=1"


@pytest.mark.parametrize("report", REPORTS)
def test_same_figures_in_every_format(example: Cli, report: str) -> None:
    data = json.loads(render(example, report, "json"))
    row = data.get("total") or data["rows"][0]
    money = {k: v for k, v in row.items() if isinstance(v, str) and v[:1].isdigit() and k not in ("area", "ratio")}
    assert money, data
    texts = {fmt: render(example, report, fmt).decode("utf-8-sig") for fmt in ("txt", "md", "html", "csv")}
    for key, value in money.items():
        if "-" in value or "." not in value:
            continue
        shown = _thousands(value)
        for fmt in ("txt", "md", "html"):
            assert shown in texts[fmt], (report, key, shown, fmt)
        assert value in texts["csv"], (report, key, value)


def _thousands(value: str) -> str:
    whole, cents = value.split(".")
    return f"{int(whole):,}.{cents}"


def test_csv_has_bom_and_one_header_row(example: Cli) -> None:
    raw = render(example, "value", "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["成员单位", "名称", "期初资产价值 V0"]
    assert all(not row[2].replace(".", "").isalpha() for row in rows[1:])  # no second header
    total = [row for row in rows if row[0] == "合计"]
    assert len(total) == 1 and total[0][2] == "14350000.00"
    assert rows[-1][0] == "联社内部股权" and rows[-1][3] == "1000000.00"  # the stake in M009, left out of the total


def test_wan_unit_in_exports(example: Cli) -> None:
    text = render(example, "value", "csv", "--unit", "wan").decode("utf-8-sig")
    assert "1435.00" in text  # 14,350,000.00 yuan = 1,435.00 万元
    assert json.loads(render(example, "value", "json", "--unit", "wan"))["total"]["opening"] == "14350000.00"


def test_html_and_svg_are_self_contained_and_show_chinese(example: Cli) -> None:
    for fmt in ("html", "svg"):
        text = render(example, "summary", fmt).decode("utf-8")
        assert "年度资产工作摘要" in text
        assert 'url("http' not in text and "<link" not in text and "@import" not in text
        assert "Noto Sans CJK SC" in text and "<script" not in text


def test_output_file_and_force(example: Cli, tmp_path: Path) -> None:
    out = tmp_path / "value.json"
    example.ok("report", "value", "--to", "2004-12-31", "--json", "--output", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["total"]["ratio"] == "92.47"
    example.refused("report", "value", "--to", "2004-12-31", "--json", "--output", str(out))
    # a format that contradicts the extension is refused, even with --force
    error = example.refused("report", "value", "--to", "2004-12-31", "--format", "md", "--output", str(out), "--force")
    assert error.count("\n") == 1 and "--format 'md'" in error and "value.json" in error
    example.ok("report", "value", "--to", "2004-12-31", "--format", "json", "--output", str(out), "--force")
    md = tmp_path / "value.md"  # the extension chooses the format
    example.ok("report", "value", "--to", "2004-12-31", "--output", str(md))
    assert md.read_text(encoding="utf-8").startswith("# ")


def test_period_options_are_checked(example: Cli) -> None:
    example.refused("report", "value", "--to", "2004-12-31", "--as-of", "2004-12-31")
    example.refused("report", "value", "--from", "2005-01-01", "--to", "2004-12-31")
    example.refused("report", "value", "--format", "pdf")  # pdf needs --output
    example.refused("report", "value", "--unit", "jin")
    example.refused("report", "value", "--member", "M404")


def test_member_and_category_views(example: Cli) -> None:
    one = json.loads(render(example, "value", "json", "--member", "M008"))
    assert [r["member"] for r in one["rows"]] == ["M008"] and one["total"]["ratio"] == "37.50"
    by = json.loads(render(example, "value", "json", "--by", "category"))
    # the only equity is the stake in M009, intra-federation equity: no category row counts it
    assert {r["category"] for r in by["rows"]} == {"building", "land", "vehicle"}
    assert by["total"]["ratio"] == "92.47"


def test_rent_roll_json_has_aging_keys(example: Cli) -> None:
    data = json.loads(render(example, "leases", "json"))
    rows = {r["id"]: r for r in data["rows"]}
    # L0001: 12 dues of 8,000 in 2004, paid 76,000 → 20,000 owed: Nov (61 days) 4,000 left, Dec (30 days) 8,000 … by hand:
    # payments 76,000 settle Jan–Sep (72,000) and 4,000 of Oct; owed: Oct 4,000 (91 days), Nov 8,000 (60), Dec 8,000 (30)
    assert rows["L0001"]["aging"] == {"0-30": "8000.00", "31-90": "8000.00", "91-180": "4000.00", "180+": "0.00"}
    assert set(data["total"]["aging"]) == {"0-30", "31-90", "91-180", "180+"}


@pytest.mark.parametrize("columns", ["60", "100", "140"])
def test_narrow_terminals_never_cut_a_figure(example: Cli, columns: str) -> None:
    """Each figure is whole on a narrow terminal or its column is named as left out; with --wide every
    figure is there (tests/cli/test_terminal.py checks every table of the tool this way)."""
    for lang, report in (("zh", "summary"), ("zh", "value"), ("en", "value"), ("en", "leases")):
        args = ("--lang", lang, "report", report, "--to", "2004-12-31")
        out = example.run(*args, env={"COLUMNS": columns}).stdout
        wide = example.run(*args, "--wide", env={"COLUMNS": columns}).stdout
        assert max(map(cell_len, out.splitlines())) <= int(columns), (lang, report, columns)
        for figure in (
            ("14,350,000.00", "12,115,000.00", "13,270,000.00", "-1,080,000.00", "92.47")
            if report != "leases"
            else (
                "216,000.00",
                "136,000.00",
                "95,000.00",
            )
        ):
            assert figure in wide, (lang, report, columns, figure)
            left_out = "Not shown for lack of width" in out or "终端宽度不足，未显示" in out
            assert figure in out or (left_out and report != "summary"), (lang, report, columns, figure)  # the
            # summary turns its one-row table into a column rather than leave a figure out


@pytest.mark.parametrize("columns", ["60", "80"])
def test_narrow_terminals_never_cut_a_code_or_a_date(example: Cli, columns: str) -> None:
    """A column of single words (flag codes, dates) is widened for, not folded; the message folds instead."""
    for lang in ("en", "zh"):
        out = example.run(
            "--lang", lang, "flags", "--as-of", "2005-03-15", "--min-severity", "high", env={"COLUMNS": columns}
        ).stdout
        # a Chinese reader keeps each flag's name (风险) before its English code
        codes = ("DISPOSAL_BELOW_VALUE", "ENCROACHMENT_STALE", "RENT_ARREARS")
        names = ("低价处置", "久拖未决", "欠租") if lang == "zh" else codes
        for word in (*names, "2004-09-28"):
            assert word in out, (lang, columns, word)
