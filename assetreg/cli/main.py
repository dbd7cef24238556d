"""The `assetreg` command: global options, `init`, `flags`, `log`, `verify`, and the nouns.

A noun's module is imported only when the command line names that noun: `assetreg --help` and
`assetreg flags` never load the record, report or import code. `app` (the whole command, every noun
loaded) is built on first use, for tests and tools.
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

import typer

from assetreg.cli import admin, attachments, correct, flags
from assetreg.cli.base import WORDS
from assetreg.cli.common import Env, command, env, fail, info
from assetreg.cli.complete import bash_words, choices, completion_option, shell_script, typed_words
from assetreg.cli.language import Root
from assetreg.i18n import N_, _, detect_language, set_language

# {registry} is filled in when the help is shown (see cli/language.py).
HELP = N_("""Registry of the collective assets of a cooperative federation (联社).

The registry file comes from --registry, else $ASSETREG_FILE, else
{registry}.""")

# noun: (module in assetreg.cli, its Typer app, help)
NOUNS = {
    "member": ("members", "app", "Member enterprises (成员单位), the federation among them."),
    "asset": ("assets", "app", "Assets (资产): buildings, land, equipment, vehicles, equity stakes."),
    "lease": ("leases", "app", "Leases (租赁) of assets to tenants, and rent payments."),
    "incident": ("incidents", "app", "Incidents (事件): encroachment, damage, disputes, disasters, with their timeline."),
    "settings": ("settings", "app", "Flag thresholds and other settings stored in the registry."),
    "report": ("reports", "app", "Reports for the annual work report and for audits."),
    "import": ("transfer", "import_app", "Bring records in from CSV (UTF-8, UTF-8 with BOM or GB18030)."),
    "export": ("transfer", "export_app", "Get everything back out, as JSON or as CSV files."),
    "backup": ("admin", "backup_app", "Previous versions of the registry kept beside it."),
    "attachment": ("attachments", "app", "One attached file (附件): show, save, remove; prune stored files no record names."),
    "clearance": ("clearance", "app", "The annual clearance (资产清查): count what is held against the register."),
    "rollup": ("rollup", "app", "Roll-ups (汇总): several registries read together, each checked against its log head."),
}
GLOBAL_OPTIONS = ("--registry", "--lang")
LANGUAGES = {"en": N_("English"), "zh": N_("Chinese")}


def show_version(wanted: bool) -> None:
    """`--version`: the installed package's version, from its metadata."""
    if wanted:
        from importlib.metadata import version

        typer.echo(f"assetreg {version('assetreg')}")
        raise typer.Exit()


def main(
    ctx: typer.Context,
    registry: str | None = typer.Option(None, "--registry", help="The registry file."),
    lang: str | None = typer.Option(
        None, "--lang", help="en or zh; default $ASSETREG_LANG, then the locale.", autocompletion=choices(("en", "zh"), LANGUAGES)
    ),
    skip_bad: bool = typer.Option(
        False, "--skip-bad", help="With a roll-up list as the registry: leave out the sources that fail their check."
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never ask at a terminal: a missing option is an error."),
    _version: bool = typer.Option(False, "--version", is_eager=True, callback=show_version, help="Show the version and exit."),
    _install: bool = completion_option(
        "--install-completion", "Install Tab completion of commands, options and ids for bash, zsh or fish (default: this shell)."
    ),
    _show: bool = completion_option(
        "--show-completion", "Print the Tab completion script for bash, zsh or fish (default: this shell)."
    ),
) -> None:
    language = detect_language(lang, os.environ)
    if language not in ("en", "zh"):
        raise typer.BadParameter(_("'{value}' is not one of: en, zh").format(value=language), param_hint="'--lang'")
    set_language(language)
    if registry is not None and not registry.strip():
        fail(_("--registry '{value}': must not be empty").format(value=registry))
    ctx.obj = Env.from_environment(Path(registry) if registry else None, ctx.meta.get(WORDS))
    ctx.obj.skip_bad = skip_bad
    if no_input:
        ctx.obj.interactive = False


def init(ctx: typer.Context, name: str = typer.Option("", "--name", help="The federation's name.")) -> None:
    """Create a new, empty registry file (never overwrites one)."""
    from assetreg.core.parse import text
    from assetreg.store import create_registry

    e = env(ctx)
    create_registry(e.registry, text(name, "--name"), e.command)
    info(_("Created registry {path}").format(path=e.registry))


def build(load: Callable[[str], bool], *, completing: bool = False) -> typer.Typer:
    """The command tree, with the nouns for which `load` is true fully loaded and the rest as stubs.
    `completing`: a shell asks for completions, which Typer answers when its completion is enabled."""
    root = typer.Typer(cls=Root, help=HELP, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=completing)
    root.callback()(main)
    command(root, "init")(init)
    root.command("flags")(flags.flags_command)
    root.command("log")(admin.log_command)
    root.command("verify")(admin.verify_command)
    root.command("undo")(correct.undo_command)
    root.command("redo")(correct.redo_command)
    root.command("revert")(correct.revert_command)
    root.command("attach")(attachments.attach_command)
    root.command("attachments")(attachments.attachments_command)
    for name, (module, attribute, text) in NOUNS.items():
        if load(name):
            sub = getattr(importlib.import_module(f"assetreg.cli.{module}"), attribute)
        else:
            sub = typer.Typer(no_args_is_help=True)
        root.add_typer(sub, name=name, help=text)
    return root


@functools.cache
def full_app() -> typer.Typer:
    return build(lambda name: True)


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return full_app()
    raise AttributeError(name)


def named_noun(args: list[str]) -> str | None:
    """The noun the command line names, skipping the global options before it."""
    rest = iter(args)
    for word in rest:
        if word in GLOBAL_OPTIONS:
            next(rest, None)
        elif not word.startswith("-"):
            return word
    return None


def refuse_undecodable(args: list[str]) -> None:
    """An argument that is not valid UTF-8 (Python keeps its bytes as lone surrogates) is one line, exit 1."""
    for number, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            set_language(detect_language(None, os.environ))
            shown = repr(arg.encode("utf-8", "surrogateescape"))[2:-1]  # its bytes, escaped: one line
            sys.stderr.write(
                _("error: argument {number} '{value}' is not valid UTF-8; nothing was changed").format(number=number, value=shown)
                + "\n"
            )
            sys.exit(1)


def run() -> None:
    # One command, then exit: its objects are records, flags and rows, which hold no reference cycles,
    # and the cycle collector would re-scan hundreds of thousands of them again and again (a third of
    # `flags` at 100k assets). Memory is still freed by reference counting as usual.
    gc.disable()
    refuse_undecodable(sys.argv[1:])
    typed = typed_words(os.environ)  # a Tab at the shell: the noun on the line being completed
    noun = named_noun(sys.argv[1:] if typed is None else typed)
    if typed is None:
        build(lambda name: name == noun)(prog_name="assetreg")
        return
    # A Tab: Typer's completion (enabled for this run) answers from the words on the line. Its own
    # --install-completion and --show-completion are left out: the tree has its own (cli/complete.py).
    bash_words(os.environ)
    command = typer.main.get_command(build(lambda name: name == noun, completing=True))
    ours = {id(p) for p in command.params if p.callback is shell_script}
    command.params = [p for p in command.params if id(p) in ours or p.name not in ("install_completion", "show_completion")]
    command.main(prog_name="assetreg")
