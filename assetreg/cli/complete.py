"""Shell completion: `--install-completion` / `--show-completion`, and what a Tab completes.

The shell runs `assetreg` with `_ASSETREG_COMPLETE` set (Typer's scripts for bash, zsh and fish) and
the words typed so far in `COMP_WORDS` (bash) or `_TYPER_COMPLETE_ARGS` (zsh, fish); `main.run` loads
the noun those words name, and Click completes commands and options. Options and arguments that take
a choice or name a record are typed `Completing`: they take any text as before (the commands check it,
Chinese names included), and complete at the shell with the choices or with the ids in the registry.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import typer
from typer import _click as click
from typer._click.shell_completion import CompletionItem

from assetreg.cli.language import WORDS
from assetreg.i18n import _

COMPLETE_VAR = "_ASSETREG_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
NAMED = 1000  # record ids completed with their names, at most

Candidates = Callable[[click.Context, str], Iterable[tuple[str, str]]]


class Completing(click.types.StringParamType):
    """Text, as any option takes, that a shell completes with `candidates(ctx, typed)`: (value, help) pairs,
    kept when they start with what was typed, case ignored. Completion never fails: no candidates then."""

    def __init__(self, candidates: Candidates) -> None:
        self.candidates = candidates

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from assetreg.core.parse import ascii_forms

        typed = ascii_forms(incomplete).casefold()
        try:
            found = [(value, text) for value, text in self.candidates(ctx, typed) if value.casefold().startswith(typed)]
        except Exception:  # a missing or damaged registry: nothing to offer, and no word on the shell
            return []
        return [CompletionItem(value, help=text or None) for value, text in found]


def choices(values: Iterable[str] | Callable[[], Iterable[str]], helps: Mapping[str, str] | None = None) -> Completing:
    """Completes one of `values` (or what the function gives, imported only when completing), each with
    its help (default: its Chinese name, which the option accepts too)."""

    def candidates(ctx: click.Context, typed: str) -> Iterable[tuple[str, str]]:
        from assetreg.core.choices import chinese_name

        for value in values() if callable(values) else values:
            yield value, _(helps[value]) if helps else chinese_name(value) or ""

    return Completing(candidates)


def record_ids(*kinds: str) -> Completing:
    """Completes the ids of tables (`members`, `assets`, …) in the registry named on the command line
    (else $ASSETREG_FILE, else the default), each with its name; read once, without a lock. Bash shows
    no help beside a completion: for bash no record is parsed, only the ids read. Nor for more than
    NAMED ids: the list is scrolled, not read, and Typer renders each help through Rich (10 s for 100,000)."""

    def candidates(ctx: click.Context, typed: str) -> Iterable[tuple[str, str]]:
        from assetreg.cli.common import registry_path
        from assetreg.store import read_records

        given = ctx.find_root().params.get("registry")
        most = 0 if os.environ.get(COMPLETE_VAR) == "complete_bash" else NAMED
        path = registry_path(given)
        places = [("", path)]
        if path.name.lower().endswith(".rollup.csv"):  # a roll-up: each source's ids, qualified by its name
            from assetreg.store.rollup import read_list

            places = [(f"{s.name}:", s.path) for s in read_list(path)]
        for prefix, place in places:
            if prefix and not (prefix.startswith(typed) or typed.startswith(prefix)):
                continue
            own = typed[len(prefix) :] if typed.startswith(prefix) else ""
            for rid, record in read_records(place, kinds, own, most).items():
                name = record.get("name") or record.get("tenant") or record.get("counterparty") or record.get("description")
                yield prefix + rid, str(name or "")

    return Completing(candidates)


def _document_formats() -> Iterable[str]:
    from assetreg.render.document import FORMATS

    return FORMATS


DOCUMENT_FORMATS = choices(_document_formats)
MEMBER_IDS = record_ids("members")
ASSET_IDS = record_ids("assets")
LEASE_IDS = record_ids("leases")
INCIDENT_IDS = record_ids("incidents")
ANY_IDS = record_ids("members", "assets", "leases", "incidents")


def typed_words(environ: Mapping[str, str]) -> list[str] | None:
    """When a shell asks for completions, the words after `assetreg` on its line (`COMP_WORDS` from bash,
    `_TYPER_COMPLETE_ARGS` from zsh and fish), with Typer's completion for those shells made ready; else None."""
    if COMPLETE_VAR not in environ:
        return None
    from typer._click.shell_completion import add_completion_class, split_arg_string
    from typer._completion_classes import BashComplete, completion_init

    class Bash(BashComplete):
        def get_completion_args(self) -> tuple[list[str], str]:
            args, incomplete = super().get_completion_args()
            return joined(args), incomplete

    completion_init()
    add_completion_class(Bash, "bash")
    line = environ["COMP_WORDS"] if "COMP_WORDS" in environ else environ.get("_TYPER_COMPLETE_ARGS", "")
    return joined(split_arg_string(line)[1:])


def joined(words: list[str]) -> list[str]:
    """Bash's words with `--option = value` as typed, `--option=value` (bash breaks words at `=`); after a
    last `--option =` the option alone, so that the word being typed completes its value."""
    result: list[str] = []
    for word, previous in zip(words, ["", *words], strict=False):
        if previous == "=" and len(result) > 1 and result[-2].startswith("-"):
            result[-2:] = [result[-2] + "=" + word]
        else:
            result.append(word)
    return result[:-1] if result[-1:] == ["="] and result[-2:-1] and result[-2].startswith("-") else result


def shell_script(ctx: click.Context, param: click.Parameter, wanted: bool) -> None:
    """`--show-completion [SHELL]` prints the completion script; `--install-completion [SHELL]` writes it
    where the shell reads it (Typer's places). SHELL is bash, zsh or fish; default the shell running."""
    if not wanted or ctx.resilient_parsing:
        return
    from typer._completion_shared import _get_shell_name, get_completion_script, install

    from assetreg.cli.common import fail, info

    option = param.opts[0]
    words: list[str] = ctx.meta.get(WORDS, [])
    after = words[words.index(option) + 1 :][:1] if option in words else []
    shell = after[0] if after and not after[0].startswith("-") else _get_shell_name() or ""
    if not shell:
        fail(_("{option}: the shell could not be detected; name it: bash, zsh or fish").format(option=option))
    elif shell not in SHELLS:
        fail(_("{option} '{value}': not one of: bash, zsh, fish").format(option=option, value=shell))
    if option == "--show-completion":
        typer.echo(get_completion_script(prog_name="assetreg", complete_var=COMPLETE_VAR, shell=shell))
        raise typer.Exit()
    try:
        _shell, path = install(shell=shell, prog_name="assetreg", complete_var=COMPLETE_VAR)
    except OSError as error:
        fail(_("{option}: cannot write {path}: {reason}").format(option=option, path=error.filename, reason=error.strerror))
    info(_("{shell} completion installed in {path}; it works in a new terminal.").format(shell=shell, path=path))
    raise typer.Exit()


def completion_option(name: str, text: str) -> Any:
    return typer.Option(False, name, is_eager=True, callback=shell_script, help=text)
