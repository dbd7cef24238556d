"""Every help screen reads whole at 80 columns, in English and in Chinese (issue 23): no line wider than
the terminal, and every help text of the command and of its options found in full once the folded lines
are joined again (Rich cuts a run it cannot fold with "…", and so lost the last words of a text)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from rich.cells import cell_len

from assetreg.cli.main import app
from assetreg.i18n import _, set_language
from tests.conftest import Cli


def _paths() -> Iterator[list[str]]:
    def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return walk(typer.main.get_command(app), [])


PATHS = list(_paths())


def flat(text: str) -> str:
    """Text with the panels' borders and every space and line break taken out: folded lines joined."""
    return re.sub(r"[\s│╭╮╰╯─]+", "", text)


def texts(path: list[str]) -> list[str]:
    """The help texts, in the current language, that the screen of `path` shows in full: the command's
    first paragraph (the rest is shown too, but a cut happens within a paragraph) and every option's."""
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    found = [_(command.help).split("\n\n")[0]] if command.help else []
    return found + [_(p.help) for p in command.params if getattr(p, "help", None) and not getattr(p, "hidden", False)]


def test_every_command_is_walked() -> None:
    # the nouns and the top-level commands, and the commands under them: `lease pay`, `report clearance`
    assert ["lease", "pay"] in PATHS and ["report", "clearance"] in PATHS and [] in PATHS
    assert len(PATHS) > 80


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_help_screen_reads_whole_at_80_columns(cli: Cli, lang: str) -> None:
    cut = []
    for path in PATHS:
        shown = cli.ok("--lang", lang, *path, "--help", env={"COLUMNS": "80"}).stdout
        too_wide = [line for line in shown.splitlines() if cell_len(line) > 80]
        set_language(lang)
        try:
            # Typer reads [..] as markup and a help text's own "…" stays; {registry} is the default path
            wanted = [re.sub(r"\[[^\]]*\]", "", text).split("{registry}")[0] for text in texts(path)]
        finally:
            set_language("en")
        lost = [text for text in wanted if flat(text) not in flat(shown)]
        if too_wide or lost:
            cut.append((" ".join(path) or "assetreg", too_wide[:2], lost[:2]))
    assert cut == []
