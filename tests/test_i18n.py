"""One catalogue, complete and consistent; everything a person reads follows the language."""

from __future__ import annotations

import io
import json
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from assetreg.i18n import detect_language
from assetreg.render.text import width
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "assetreg/locale/zh/LC_MESSAGES/assetreg.po"
sys.path.insert(0, str(ROOT / "scripts"))


def fields(text: str) -> set[str]:
    return {f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name is not None}


def test_every_message_in_the_code_has_a_chinese_translation_with_the_same_placeholders() -> None:
    from update_catalogue import extract

    catalog = read_po(PO.open("rb"))
    translated = {m.id: m.string for m in catalog if m.id}
    in_code = [m.id for m in extract() if m.id]
    assert in_code, "nothing extracted"
    missing = [m for m in in_code if not translated.get(m)]
    assert missing == []
    wrong = [m for m in in_code if fields(m) != fields(translated[m])]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    po = {m.id: m.string for m in read_po(PO.open("rb")) if m.id}
    mo = {m.id: m.string for m in read_mo(PO.with_suffix(".mo").open("rb")) if m.id}
    assert mo == po, "run: python scripts/update_catalogue.py"


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        ("zh", {"ASSETREG_LANG": "en"}, "zh"),
        (None, {"ASSETREG_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}, "zh"),
        (None, {"LANG": "en_GB.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_language_detection(explicit: str | None, env: dict[str, str], expected: str) -> None:
    assert detect_language(explicit, env) == expected


def test_locale_variable_switches_to_chinese(liushi: Cli) -> None:
    result = liushi.run("asset", "list", env={"ASSETREG_LANG": "", "LANG": "zh_CN.UTF-8", "LC_ALL": ""})
    assert "类别" in result.stdout and "房屋建筑物" in result.stdout


def test_errors_in_both_languages(liushi: Cli) -> None:
    en = liushi.refused("asset", "revalue", "A0001", "--date", "2005-02-30", "--value", "1")
    assert en.strip() == "error: --date '2005-02-30': no such day in the calendar"
    zh = liushi.refused("--lang", "zh", "asset", "revalue", "A0001", "--date", "2005-02-30", "--value", "1")
    assert zh.strip() == "错误：--date '2005-02-30'：日历上没有这一天"
    zh = liushi.refused(
        "--lang",
        "zh",
        "asset",
        "add",
        "--name",
        "x",
        "--owner",
        "M404",
        "--category",
        "厂房",
        "--acquired",
        "2000-01-01",
        "--value",
        "1",
    )
    assert zh.strip() == "错误：--owner 'M404'：没有这条记录"
    # a record named by its id alone, and the registry, are named in Chinese too
    assert liushi.refused("--lang", "zh", "asset", "show", "A9999").strip() == "错误：资产 'A9999'：没有这条记录"
    missing = liushi.registry.with_name("none.json")
    refused = liushi.refused("--lang", "zh", "--registry", str(missing), "asset", "list").strip()
    assert refused == f"错误：登记簿 '{missing}'：不存在；请用 'assetreg init' 创建"
    zh = liushi.refused("--lang", "zh", "asset", "list", "--category", "仓库")
    assert "building=厂房" in zh and "不是以下之一" in zh


def test_chinese_names_accepted_for_every_choice_option(liushi: Cli) -> None:
    liushi.ok("member", "edit", "M001", "--kind", "企业", "--restructuring", "改制准备")
    liushi.ok(
        "asset",
        "add",
        "--name",
        "仓库",
        "--owner",
        "M000",
        "--category",
        "厂房",
        "--acquired",
        "1990-01-01",
        "--value",
        "1",
        "--source",
        "自建",
        "--status",
        "闲置",
    )
    liushi.ok("asset", "revalue", "A0006", "--date", "2004-01-01", "--value", "2", "--basis", "市价")
    liushi.ok("asset", "impair", "A0001", "--date", "2004-12-31", "--value", "1", "--cause", "损坏")
    liushi.ok(
        "lease",
        "add",
        "--asset",
        "A0006",
        "--tenant",
        "某公司",
        "--start",
        "2005-01-01",
        "--end",
        "2005-12-31",
        "--rent",
        "1",
        "--period",
        "按季",
    )
    liushi.ok("incident", "add", "--kind", "侵占", "--asset", "A0006", "--occurred", "2005-01-01", "--status", "调解中")
    liushi.ok("asset", "dispose", "A0006", "--date", "2005-02-01", "--proceeds", "1", "--method", "拍卖", "--end-leases")
    asset = liushi.json("asset", "show", "A0006")
    assert [(h["kind"], h.get("source") or h.get("basis") or h.get("method")) for h in asset["history"]] == [
        ("acquire", "construction"),
        ("revalue", "market"),
        ("dispose", "auction"),
    ]
    assert liushi.json("incident", "show", "I0002")["status"] == "mediation"


def test_prompt_in_chinese_accepts_chinese_choice(cli: Cli) -> None:
    result = cli.run(
        "--lang",
        "zh",
        "member",
        "add",
        "--name",
        "柳市布厂",
        "--district",
        "柳市片",
        "--json",
        input="公司\n",
        env={"ASSETREG_INTERACTIVE": "1"},
    )
    assert result.exit_code == 0, result.stderr
    assert "类型" in result.stderr and "enterprise=企业" in result.stderr
    assert json.loads(result.stdout[result.stdout.index("{") :])["kind"] == "company"


def test_flags_in_both_languages(liushi: Cli) -> None:
    en = liushi.ok("flags").stdout
    assert "high flags as of 2005-03-15: 1" in en and "damage by 柳市镇上峰村, open for 85 days" in en
    zh = liushi.ok("--lang", "zh", "flags").stdout
    assert "高风险：截至 2005-03-15 共 1 项" in zh and "柳市镇上峰村损坏，已 85 天未解决" in zh
    data = liushi.json("--lang", "zh", "flags")
    assert data[0]["code"] == "ENCROACHMENT_OPEN" and data[0]["severity"] == "high"  # JSON keys and values stay English


@pytest.mark.parametrize(
    ("report", "en_words", "zh_words"),
    [
        ("register", ["Asset register", "Owner", "building"], ["资产台账", "产权单位", "房屋建筑物"]),
        ("value", ["Value preservation", "Opening V0", "Ratio %"], ["保值增值", "期初资产价值 V0", "保值增值率"]),
        ("leases", ["Rent roll", "Tenant", "Idle buildings and land"], ["租金台账", "承租人", "闲置厂房和土地"]),
        ("incidents", ["Incidents", "Counterparty", "damage"], ["侵权与损失事件", "当事方", "损坏"]),
        ("summary", ["Annual summary", "Enterprises by"], ["年度资产工作摘要", "期末企业改制状态"]),
    ],
)
def test_every_report_in_both_languages(liushi: Cli, report: str, en_words: list[str], zh_words: list[str]) -> None:
    en = liushi.ok("report", report, "--from", "2004-01-01", "--to", "2004-12-31").stdout
    zh = liushi.ok("--lang", "zh", "report", report, "--from", "2004-01-01", "--to", "2004-12-31").stdout
    for word in en_words:
        assert word in en
    for word in zh_words:
        assert word in zh
    assert "（金额单位：元）" in zh
    wan = liushi.ok("--lang", "zh", "report", report, "--to", "2004-12-31", "--unit", "wan").stdout
    assert "（金额单位：万元）" in wan


def test_wan_unit_divides_by_ten_thousand(liushi: Cli) -> None:
    out = liushi.ok("report", "register", "--as-of", "2005-01-01", "--unit", "wan").stdout
    assert "160.00" in out and "(money in 10k yuan)" in out  # 5 × 320,000 = 1,600,000 yuan = 160 万元


def test_mixed_chinese_and_latin_table_lines_up() -> None:
    """Column edges sit at the same display column on every line, whatever the script of the text."""
    from assetreg.render.console import FIGURE, Col, console, table

    out = io.StringIO()
    c = console(width=80, file=out)
    c.print(
        table(
            "对齐",
            [Col("名称 Name"), Col("Value", FIGURE), Col("备注")],
            [("柳市布厂1号厂房", "1,250,000.50", "abc"), ("Liushi cloth", "7.00", "中文 mixed 文字"), ("二轻", "0.01", "")],
        )
    )
    lines = [line for line in out.getvalue().splitlines() if line.startswith(("│", "┃"))]
    assert len(lines) == 4

    def edges(line: str) -> list[int]:
        return [width(line[:i]) for i, ch in enumerate(line) if ch in "│┃"]

    assert len({tuple(edges(line)) for line in lines}) == 1


def test_markdown_export_lines_up_chinese(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("--lang", "zh", "report", "register", "--as-of", "2005-01-01", "--format", "md", "--output", str(tmp_path / "r.md"))
    rows = [line for line in (tmp_path / "r.md").read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    first_table = rows[: 2 + 5 + 1]  # header, rule, five assets, total

    def bars(line: str) -> list[int]:
        return [width(line[:i]) for i, ch in enumerate(line) if ch == "|" and (i == 0 or line[i - 1] != "\\")]

    assert len({tuple(bars(line)) for line in first_table}) == 1
    assert re.search(r"柳市布厂1号厂房", rows[2])


def test_width_matches_rich_for_chinese_latin_and_full_width_text() -> None:
    from rich.cells import cell_len

    for text in (
        "柳市布厂1号厂房",
        "abc",
        "（金额单位：万元）",
        "乐房权证字第830801号",
        "Ｆｕｌｌ",
        "한국어",
        "混合 mixed 文字",
        "·—…",
    ):
        assert width(text) == cell_len(text), text


def test_large_lists_are_drawn_directly_and_still_line_up(cli: Cli, tmp_path: Path) -> None:
    rows = ["name,district,kind"] + [f"{'柳市布厂' if n % 2 else 'Factory'}{n},柳市片,enterprise" for n in range(320)]
    (tmp_path / "m.csv").write_text("\n".join(rows), encoding="utf-8")
    cli.ok("import", "members", str(tmp_path / "m.csv"))
    out = cli.ok("member", "list").stdout
    lines = [line for line in out.splitlines() if line.startswith(("│", "┃"))]
    assert len(lines) == 321

    def edges(line: str) -> list[int]:
        return [width(line[:i]) for i, ch in enumerate(line) if ch in "│┃"]

    assert len({tuple(edges(line)) for line in lines}) == 1


def test_register_names_shown_and_read_back(liushi: Cli) -> None:
    """Categories and a few statuses read as a register writes them in Chinese; the short names and the
    long ones are both accepted on input."""
    from assetreg.core import choices
    from assetreg.core.parse import choice

    shown = {v: liushi.ok("--lang", "zh", "asset", "list", "--category", v, "--json").exit_code for v in ("厂房", "房屋建筑物")}
    assert shown == {"厂房": 0, "房屋建筑物": 0}
    long_names = {
        "房屋建筑物": "building",
        "土地使用权": "land",
        "机器设备": "equipment",
        "运输工具": "vehicle",
        "股权投资": "equity",
        "筹备改制": "preparing",
        "已通过验收": "verified",
        "市场价值": "market",
        "账面价值": "book",
    }
    every_choice = choices.CATEGORIES + choices.RESTRUCTURING + choices.BASES
    assert {name: choice(name, every_choice, "--x") for name in long_names} == long_names
    table = liushi.ok("--lang", "zh", "asset", "list").stdout
    assert "房屋建筑物" in table


def _every_command() -> list[list[str]]:
    import typer

    from assetreg.cli.language import commands
    from assetreg.cli.main import app

    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    assert len(paths) == len(list(commands(root)))
    return paths


# Three English words in a row (letters only, so option names like --as-of and metavars stay out).
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")


@pytest.mark.parametrize("path", _every_command(), ids=lambda p: " ".join(p) or "assetreg")
def test_chinese_help_of_every_command_has_no_english_sentence(cli: Cli, path: list[str]) -> None:
    out = cli.ok("--lang", "zh", *path, "--help").stdout
    out = re.sub(r"(root|assetreg)( [a-z]+)*", "", out, count=1)  # the command itself, on the usage line
    assert "用法" in out and "显示本帮助并退出" in out
    out = re.sub(r"\{[a-z, ]*\}", "", out)  # JSON keys such as {ok, head, problems} stay English
    assert ENGLISH_SENTENCE.findall(out) == []
    en = cli.ok(*path, "--help").stdout  # and English again afterwards, in the same process
    assert "Usage:" in en and "Show this message and exit." in en


def test_chinese_help_folds_at_80_columns_instead_of_cutting(cli: Cli) -> None:
    out = cli.ok("--lang", "zh", "asset", "add", "--help", env={"COLUMNS": "80"}).stdout
    assert max(width(line) for line in out.splitlines()) <= 80
    assert "…" not in out
    flat = re.sub(r"[│\s]+", "", out)  # the folded lines joined again
    assert "股权或其他（building/land/equipment/vehicle/equity/other）" in flat


def test_english_help_with_chinese_words_keeps_its_last_word_at_80_columns() -> None:
    # "The annual clearance (" 22 cells + 资产清查 8 + "): count what is held against the" 33 = 63 cells,
    # exactly the description column at 80 (80 - 2 borders - 13 for the names - 2 padding): the line
    # fits once its trailing space goes, and Rich used to cut it to "against th…" instead.
    run = [sys.executable, "-m", "assetreg", "--lang", "en", "--help"]  # a fresh process: English only
    out = subprocess.run(run, capture_output=True, text=True, env={**os.environ, "COLUMNS": "80"}, check=True).stdout
    assert "…" not in out.replace("disposals, …", "")  # the flags' own "…" is in its help text
    assert "count what is held against the │" in out
    assert max(width(line) for line in out.splitlines()) <= 80


def test_help_follows_the_language_of_the_environment(cli: Cli) -> None:
    for lang in ("en", "zh"):  # the default registry's path, filled in, in both languages, in a fresh process
        # (in this one an earlier Chinese test has already taken the help through the catalogue)
        run = [sys.executable, "-m", "assetreg", "--lang", lang, "--help"]
        out = subprocess.run(run, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, check=True).stdout
        assert "{registry}" not in out and "registry.json" in out
    assert "登记一笔租金收款" in cli.ok("lease", "pay", "--help", env={"ASSETREG_LANG": "zh"}).stdout
    assert "登记簿文件" in cli.ok("--help", "--lang", "zh").stdout  # --lang after --help too
    # after --registry and its value, as the README's first command has it
    out = cli.ok("--registry", str(cli.registry), "--lang", "zh", "lease", "pay", "--help").stdout
    assert "用法" in out and "登记一笔租金收款" in out


def test_usage_errors_in_chinese_exit_2(cli: Cli) -> None:
    result = cli.run("--lang", "zh", "lease", "pay", "L0001", "--amont", "3")
    assert result.exit_code == 2
    usage, hint, error = result.stderr.replace("root ", "assetreg ").splitlines()  # CliRunner calls it root
    assert usage == "用法： assetreg lease pay [选项] [ID]"  # the lease is asked for at a terminal
    assert hint == "运行 'assetreg lease pay --help' 查看帮助。"
    assert error == "错误：没有选项：--amont （可能是：--amount, --json, --note）"
    result = cli.run("--lang", "zh", "lease", "show")
    assert result.exit_code == 2 and "错误：缺少参数 'ID'。" in result.stderr, result.stderr
    result = cli.run("--lang", "zh", "lease", "payy")
    assert result.exit_code == 2 and "错误：没有命令 'payy'。是不是要用 'pay'？" in result.stderr
    result = cli.run("lease", "pay", "L0001", "--amont", "3")
    assert result.exit_code == 2 and "error: No such option: --amont" in result.stderr


def test_end_of_input_at_a_prompt_is_aborted_in_the_language(liushi: Cli) -> None:
    # Ctrl-D is Ctrl-C (PRODUCT.md v3): one line in the language, exit 130
    result = liushi.run("--lang", "zh", "incident", "act", "I0001", input="", env={"ASSETREG_INTERACTIVE": "1"})
    assert result.exit_code == 130 and result.stderr.strip().endswith("错误：已中断；未作任何更改")


def test_confirmation_takes_shi_and_fou(liushi: Cli) -> None:
    interactive = {"ASSETREG_INTERACTIVE": "1"}
    result = liushi.run("--lang", "zh", "undo", input="好吗\n否\n", env=interactive)
    assert "[是/否，默认否]" in result.stderr and "请回答 是（y）或 否（n）" in result.stderr  # asked again
    assert result.exit_code == 0 and result.stderr.endswith("没有任何改动。\n")  # 否: nothing undone, no error
    result = liushi.run("--lang", "zh", "undo", input="是\n", env=interactive)
    assert result.exit_code == 0, result.stderr
    assert liushi.json("incident", "show", "I0001")["actions"] == []  # the mediation was undone
