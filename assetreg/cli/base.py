"""What every part of the CLI needs and that needs no other part of it: exit codes, where the
registry is, and the lines said to the person. `common`, `complete` and `language` all build on it
(none of them imports another that imports it back)."""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from pathlib import Path

import typer

from assetreg.i18n import _

WORDS = "assetreg.words"  # ctx.meta: the command line as given (the shell named after --show-completion)


class ExitCode(IntEnum):
    OK = 0
    USER_ERROR = 1
    USAGE = 2
    FLAGS_FOUND = 3
    INTERRUPTED = 130


def default_registry() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("assetreg", appauthor=False)) / "registry.json"


def registry_path(given: str | Path | None) -> Path:
    """The registry file: --registry, else $ASSETREG_FILE, else the user data folder's."""
    chosen = given or os.environ.get("ASSETREG_FILE")
    return Path(chosen) if chosen else default_registry()


def fail(text: str, code: int = ExitCode.USER_ERROR) -> None:
    sys.stderr.write(error_line(text) + "\n")
    raise typer.Exit(code)


def error_line(text: str) -> str:
    """`error: TEXT`. At a terminal a line longer than it is folded at words (between Chinese characters),
    the rest indented under the text: the terminal itself breaks a word anywhere ("--f" / "orce"). Elsewhere
    it stays one line, as scripts and tests read it."""
    line = _("error: {message}").format(message=text)
    if not sys.stderr.isatty():
        return line
    from assetreg.render.text import fold, width

    prefix = _("error: {message}").format(message="")
    room = terminal_columns() - 1 - width(prefix)  # the last column left empty, as `terminal_lines` does
    if width(line) < terminal_columns() or room < 20:
        return line
    return prefix + ("\n" + " " * width(prefix)).join(part.rstrip() for part in fold(text, room))


def terminal_columns() -> int:
    """The width of the terminal on stderr (else $COLUMNS; 0 when neither says)."""
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        return int(os.environ.get("COLUMNS", "") or 0) if os.environ.get("COLUMNS", "").isdigit() else 0


def info(text: str) -> None:
    """A message for the person, on stderr so that stdout stays data."""
    sys.stderr.write(text + "\n")
