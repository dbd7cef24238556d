"""Usage lines and one-line errors as a person reads them: arguments named in capitals, long errors
folded at words on a terminal, Chinese help folded without a lone punctuation mark."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import Cli


def _arguments() -> list[tuple[list[str], list[Any]]]:
    """Every command of the tree with its positional arguments (commands without any included)."""
    import typer

    from assetreg.cli.main import app

    found: list[tuple[list[str], list[Any]]] = []

    def walk(command: Any, path: list[str]) -> None:
        found.append((path, [p for p in command.params if p.param_type_name == "argument"]))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = _arguments()
WITH_ARGUMENTS = [c for c in COMMANDS if c[1]]
WITH_REQUIRED = [c for c in COMMANDS if any(p.required for p in c[1])]


def test_the_tree_has_the_arguments_it_is_known_to_have() -> None:
    # so that the tests below do not pass over an empty list: `asset show ID`, `rollup init LIST PATH...`
    by_path = {" ".join(path): [p.name for p in params] for path, params in COMMANDS}
    assert by_path["asset show"] == ["asset_id"]
    assert by_path["rollup init"] == ["listing", "paths"]
    assert sum(len(params) for _, params in COMMANDS) >= 50


def _usage_words(usage: str, path: list[str]) -> str:
    """What the usage line says after the command and its [OPTIONS]: the arguments."""
    usage = usage.replace("root ", "assetreg ")  # CliRunner names the program root
    head = re.match(r"^\s*(Usage:|用法：)\s*assetreg " + re.escape(" ".join(path)) + r"\s*(\[OPTIONS\]|\[选项\])", usage)
    assert head, usage
    return usage[head.end() :].strip()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("path", "params"), WITH_ARGUMENTS, ids=[" ".join(path) for path, _ in WITH_ARGUMENTS])
def test_usage_names_each_argument_in_capitals_without_braces(cli: Cli, path: list[str], params: list[Any], lang: str) -> None:
    out = cli.ok("--lang", lang, *path, "--help").stdout
    usage = next(line for line in out.splitlines() if "assetreg" in line or "root" in line)
    words = _usage_words(usage, path)
    # required as ID (Click's convention), optional as [ID], several as PATH...; never {asset_id}
    expected = " ".join((p.metavar + ("..." if p.nargs != 1 else "")) if p.required else f"[{p.metavar}]" for p in params)
    assert words == expected
    assert re.fullmatch(r"[A-Z\[\]. ]+", words), words
    assert "{" not in out.replace("{ok, head, problems}", "")  # `verify --json`'s keys, in its help text
    # the Arguments panel names them as the usage line does, not by the parameter's name
    for param in params:
        assert re.search(rf"│ [* ]\s+{re.escape(param.metavar)}\s", out), (param.metavar, out)
        assert not re.search(rf"│ [* ]\s+{re.escape(param.name)}\s", out)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("path", "params"), WITH_REQUIRED, ids=[" ".join(path) for path, _ in WITH_REQUIRED])
def test_a_missing_argument_is_named_in_capitals(cli: Cli, path: list[str], params: list[Any], lang: str) -> None:
    given: list[str] = []
    for param in params:  # each required argument missing in turn, those before it given
        if not param.required:
            continue
        result = cli.run("--lang", lang, *path, *given)
        assert result.exit_code == 2, result.stderr
        usage, _hint, error = result.stderr.splitlines()
        assert "{" not in result.stderr
        assert _usage_words(usage, path).split()[0].strip("[].") in {p.metavar for p in params}
        named = {"en": f"error: Missing argument '{param.metavar}'.", "zh": f"错误：缺少参数 '{param.metavar}'。"}[lang]
        assert error == named
        assert param.name not in result.stderr
        given.append("1")


def test_without_a_terminal_a_missing_record_argument_is_named_id(cli: Cli) -> None:
    # optional arguments asked for at a terminal: without one the refusal names them as the usage line does
    missing = "give them on the command line, or run at a terminal to be asked"
    assert cli.refused("asset", "revalue").strip() == f"error: missing 'ID, --date, --value': {missing}"
    assert cli.refused("member", "edit").strip() == f"error: missing 'ID': {missing}"
    assert cli.refused("settings", "set").strip() == f"error: missing 'KEY, VALUE': {missing}"


# -- long errors at a terminal ----------------------------------------------------------------------


def _at_80_columns(cli: Cli, *args: str) -> tuple[int, list[str]]:
    """The command's lines on a pseudo-terminal 80 columns wide (stderr is the terminal)."""
    import os
    import sys

    import pexpect

    env = {**os.environ, **cli.env, "COLUMNS": "80"}
    env.pop("ASSETREG_INTERACTIVE")
    child = pexpect.spawn(sys.executable, ["-m", "assetreg", *args], env=env, encoding="utf-8", dimensions=(24, 80), timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus), str(child.before).replace("\r\n", "\n").splitlines()


def test_a_long_error_at_a_terminal_is_folded_at_words_under_the_message(liushi: Cli) -> None:
    code, lines = _at_80_columns(liushi, "asset", "remove", "A0001")
    # "error: " is 7 cells, so the message has 80 - 1 - 7 = 72 a line: "... give --force (to dispose" is
    # 70, and " of" would make 73; the rest goes under the message, indented by 7.
    assert (code, lines) == (
        1,
        [
            "error: --force 'A0001': removing deletes the record; give --force (to dispose",
            "       of or close it, use dispose or close)",
        ],
    )
    # without a terminal the same error is one line, as scripts read it
    one = liushi.refused("asset", "remove", "A0001")
    assert one == "error: " + lines[0][7:] + " " + lines[1].strip() + "\n"


def test_a_long_chinese_error_at_a_terminal_is_folded_between_characters(liushi: Cli) -> None:
    code, lines = _at_80_columns(liushi, "--lang", "zh", "asset", "remove", "A0001")
    # "错误：" is 6 cells, 73 left: "--force 'A0001'：" 17, 删除会抹去这条记录； 20 (37), 确需删除请加 12 (49),
    # " --force" 8 (57), （处置或结案请用 16 (73); " dispose" does not fit. "（" stays with 处.
    assert (code, lines) == (
        1,
        [
            "错误：--force 'A0001'：删除会抹去这条记录；确需删除请加 --force（处置或结案请用",
            "      dispose 或 close）",
        ],
    )


def test_a_short_error_at_a_terminal_is_as_it_was(liushi: Cli) -> None:
    assert _at_80_columns(liushi, "asset", "show", "A9999")[1] == [liushi.refused("asset", "show", "A9999").rstrip("\n")]


# -- Chinese help folded at 80 columns ----------------------------------------------------------------

CLOSING = "，。、；：！？）》」』”"


def _help_lines(cli: Cli, path: list[str]) -> list[str]:
    out = cli.ok("--lang", "zh", *path, "--help", env={"COLUMNS": "80"}).stdout
    return [re.sub(r"[│╭╮╰╯─]", "", line).strip() for line in out.splitlines()]


def test_chinese_help_keeps_the_full_stop_with_the_character_before_it(cli: Cli) -> None:
    lines = _help_lines(cli, ["clearance", "check"])
    # ASSET's help, 资产：编号、准确名称或产权证号；在终端不给则逐项清点。, is 52 cells, one more than its
    # column has at 80 (it fit but for the "。"): Rich put "。" alone on the next line; now 点 goes with it.
    assert "。" not in lines and "点。" in lines
    assert any(line.endswith("在终端不给则逐项清") for line in lines)


@pytest.mark.parametrize(("path", "_params"), COMMANDS, ids=[" ".join(path) or "assetreg" for path, _ in COMMANDS])
def test_no_chinese_help_line_starts_with_closing_punctuation(cli: Cli, path: list[str], _params: list[Any]) -> None:
    lines = _help_lines(cli, path)
    assert [line for line in lines if line and line[0] in CLOSING] == []
