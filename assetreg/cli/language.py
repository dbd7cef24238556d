"""`--help`, usage errors and Typer's own words in the chosen language.

Help texts are written in English in the code (docstrings and `help=`); they are the catalogue's
msgids, gathered by `help_texts` for `scripts/update_catalogue.py`. `localize` gives every command
and option of the tree its text in the current language just before Click reads them, keeping the
English to translate from (tests run many commands, in both languages, in one process).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import typer
import typer.core
from rich.text import Text
from typer import rich_utils

from assetreg.cli.base import WORDS, error_line
from assetreg.i18n import N_, _, language

# Typer (0.26 on) carries its own copy of Click in a private module, and the `click` package,
# where installed at all, is another copy whose classes Typer never uses. Click's classes are reached
# through Typer's public names instead: its Context, its command classes, and its BadParameter, whose
# bases are Click's UsageError and ClickException. Other usage errors are told apart by their class
# names, as Typer's own rich_utils does.
Command = typer.core.TyperCommand | typer.core.TyperGroup
Context = typer.Context


def _base(cls: type, name: str) -> type[Exception]:
    return next(c for c in cls.__mro__ if c.__name__ == name)


ClickException: type[Any] = _base(typer.BadParameter, "ClickException")


def _is(error: BaseException, name: str) -> bool:
    """`error` is Click's exception of that name (or a subclass of it)."""
    return any(c.__name__ == name for c in type(error).__mro__)


MSGIDS = "_assetreg_msgids"
# Typer's own words in help pages: module constants of typer.rich_utils.
RICH_WORDS = {
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
}
# Click's words on each command: the help option, the usage line's placeholders.
CLICK_WORDS = (N_("Show this message and exit."), N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))


def commands(command: Command) -> Iterator[Command]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from commands(sub)


def help_texts(command: Command) -> Iterator[str]:
    """Every help text of the tree (msgids), for the catalogue."""
    for cmd in commands(command):
        for text in (cmd.help, cmd.short_help, *(getattr(p, "help", None) for p in cmd.params)):
            if text:
                yield text


def _translated(owner: Any, attribute: str) -> None:
    kept = owner.__dict__.setdefault(MSGIDS, {})
    msgid = kept.setdefault(attribute, getattr(owner, attribute))
    if msgid:
        setattr(owner, attribute, _(msgid).replace("{registry}", str(_registry())))


def _registry() -> str:
    from assetreg.cli.base import default_registry

    return str(default_registry())


_touched = False


def localize(root: Command) -> None:
    """Help texts and Typer's words in the current language (English again after Chinese)."""
    global _touched
    if not isinstance(rich_utils.highlighter, _Folding):  # in English too: see _Folding
        rich_utils.highlighter = _Folding()
    for cmd in commands(root):  # in English too: see PlainArgument
        for param in cmd.params:
            if type(param) is typer.core.TyperArgument:
                param.__class__ = PlainArgument
    if language() == "en" and not _touched:
        _translated(root, "help")  # English as written, but for the default registry's path filled in
        return
    _touched = True
    for cmd in commands(root):
        for attribute in ("help", "short_help", "options_metavar", "subcommand_metavar"):
            if hasattr(cmd, attribute):
                _translated(cmd, attribute)
        for param in cmd.params:
            _translated(param, "help")
        cmd.__class__ = _localized(cmd.__class__)
    for name, msgid in RICH_WORDS.items():
        setattr(rich_utils, name, _(msgid))


class _Folding(rich_utils.OptionHighlighter):
    """Typer's help text, folded where a line runs out: Chinese has no spaces to wrap at, and Rich
    cuts an unbroken run with "…" (the choices at the end of a help text were lost at 80 columns).
    English needs it too: a line holding Chinese that fills the width but for its trailing space lost its
    last word to "…" ("count what is held against th…" in `assetreg --help` at 80 columns), since Rich
    strips that space by counting characters, not cells, and then cuts the line with "…" unless it folds.
    Every help text passes through Typer's `rich_utils.highlighter` (a public name, where the function
    that makes the text is private): the highlighter's text is marked to fold."""

    def __call__(self, text: str | Text) -> Text:
        shown = super().__call__(text)
        shown.overflow = "fold"
        if type(shown) is Text:  # broken where render.text.fold breaks: see _folding_text
            shown.__class__ = _folding_text()
        return shown


@functools.cache
def _folding_text() -> type:
    from rich.containers import Lines
    from rich.text import Text

    from assetreg.render.text import fold

    class FoldingText(Text):
        """Rich breaks a line only at spaces and folds a longer run at the exact width: a run of Chinese
        lost its closing "。" to a line of its own (`clearance check --help` at 80 columns). Here the
        breaks are those of `render.text.fold`, which keeps punctuation with the character before it."""

        __slots__ = ()  # as Text's: an instance of Text is given this class

        def wrap(self, console: Any, width: int, **options: Any) -> Lines:
            if options.get("no_wrap") or self.no_wrap or width < 2:
                return super().wrap(console, width, **options)
            lines = Lines()
            for line in self.split(allow_blank=True):
                plain, starts, at = line.plain, [], 0
                for part in fold(plain, width):
                    at = plain.index(part, at)
                    starts.append(at)
                    at += len(part)
                for piece in line.divide(starts[1:]):
                    piece.rstrip()
                    lines.append(piece)
            justify = options.get("justify") or self.justify
            if justify in ("left", "center", "right", "full"):
                lines.justify(console, width, justify=justify, overflow="fold")
            return lines

    return FoldingText


class PlainArgument(typer.core.TyperArgument):
    """An argument on the usage line as Click writes it, `ID` when required and `[ID]` when not: Typer
    0.28 writes a required one in braces, `{ID}`, which reads as a set or a placeholder to fill in."""

    def make_metavar(self, ctx: Any, *, usage: bool = False) -> str:
        if not usage or self.metavar is None:
            return str(super().make_metavar(ctx, usage=usage))
        shown = self.metavar + ("..." if self.nargs != 1 else "")
        return shown if self.required else f"[{shown}]"


_CLASSES: dict[type, type] = {}


def _localized(cls: type) -> type:
    """The command's class with the usage line and the help option in the current language."""
    if cls in _CLASSES.values():
        return cls
    if cls not in _CLASSES:

        class Localized(cls):  # type: ignore[valid-type, misc]
            def get_usage(self, ctx: Context) -> str:
                return re.sub(r"^Usage:", _("Usage:"), super().get_usage(ctx))

            def get_help_option(self, ctx: Context) -> Any:
                option = super().get_help_option(ctx)
                if option is not None:
                    _translated(option, "help")
                return option

        _CLASSES[cls] = Localized
    return _CLASSES[cls]


def language_in(args: list[str]) -> str | None:
    """The --lang given before the command's name, read before Click parses anything (for --help)."""
    words = iter(args)
    for word in words:
        if word == "--lang":
            return next(words, None)
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
        if word == "--registry":  # the other global option with a value: its value is not the command
            next(words, None)
        elif not word.startswith("-"):
            return None
    return None


# -- usage errors --------------------------------------------------------------------------------

_CLICK_MESSAGES = [
    (re.compile(r"^No such command '(?P<name>.*)'\.$"), lambda: _("No such command '{name}'.")),
    (
        re.compile(r"^No such command '(?P<name>.*)'\. Did you mean '(?P<like>.*)'\?$"),
        lambda: _("No such command '{name}'. Did you mean '{like}'?"),
    ),
    (re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$"), lambda: _("Got unexpected extra arguments ({args})")),
    (re.compile(r"^Option '(?P<name>.*)' requires an argument\.$"), lambda: _("Option '{name}' requires an argument.")),
    (re.compile(r"^Option '(?P<name>.*)' does not take a value\.$"), lambda: _("Option '{name}' does not take a value.")),
    (re.compile(r"^'(?P<value>.*)' is not a valid (?P<type>\w+)\.$"), lambda: _("'{value}' is not a valid {type}.")),
]


def usage_message(error: Any) -> str:
    """Click's message for a usage error, in the current language."""
    if _is(error, "NoSuchOption"):
        text = _("No such option: {name}").format(name=error.option_name)
        if error.possibilities:
            text += " " + _("(Possible options: {options})").format(options=", ".join(sorted(error.possibilities)))
        return text
    ctx = getattr(error, "ctx", None)
    param = getattr(error, "param", None)
    hint = getattr(error, "param_hint", None) or (param.get_error_hint(ctx) if param is not None else "")
    if isinstance(hint, list | tuple):
        hint = " / ".join(repr(h) for h in hint)
    if _is(error, "MissingParameter"):
        kind = error.param_type or (param.param_type_name if param is not None else "parameter")
        missing = _("Missing argument {name}.") if kind == "argument" else _("Missing option {name}.")
        return missing.format(name=hint)
    text = error.message
    for pattern, translation in _CLICK_MESSAGES:
        match = pattern.match(text)
        if match:
            text = translation().format(**match.groupdict())
            break
    if isinstance(error, typer.BadParameter) and hint:
        return _("Invalid value for {name}: {message}").format(name=hint, message=text)
    return text


def show_usage_error(error: Any) -> None:
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(_("Try '{command} --help' for help.").format(command=ctx.command_path))
    from assetreg.render.text import one_line

    lines.append(error_line(one_line(usage_message(error))))
    sys.stderr.write("\n".join(lines) + "\n")


class Root(typer.core.TyperGroup):
    """The `assetreg` group: the language is set before Click reads a help text, and Click's own
    messages (usage errors) are shown in it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # Click's Context, which typer.Context extends
        import os

        from assetreg.i18n import detect_language, set_language

        chosen = detect_language(language_in(args), os.environ)
        set_language(chosen if chosen in ("en", "zh") else "en")
        localize(self)
        ctx.meta[WORDS] = list(args)
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except ClickException as error:
            if _is(error, "NoArgsIsHelpError"):  # a group given no command: its help, as Click shows it
                error.show()
            else:
                show_usage_error(error)
            sys.exit(error.exit_code)
        except typer.Abort:  # Click's own prompts at Ctrl-C or Ctrl-D: as everywhere, one line and 130
            sys.stderr.write("\n" + error_line(_("interrupted; nothing was changed")) + "\n")
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)
