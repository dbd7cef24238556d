"""Shell completion: `--install-completion` / `--show-completion`, and what a Tab completes.

The shell runs `assetreg` with `_ASSETREG_COMPLETE` set (the scripts below, for bash, zsh and fish) and
the words typed so far in `COMP_WORDS` (bash) or `_TYPER_COMPLETE_ARGS` (zsh, fish): Typer's own
completion answers (its public protocol: the variable, and each option's `autocompletion`), after
`main.run` has loaded the noun those words name. Options and arguments that take a choice or name a
record take any text as before (the commands check it, Chinese names included), and complete at the
shell with the choices, the ids and names in the registry, the districts, or backup and log numbers.
Nothing here uses Typer's private modules, so that Typer can follow upstream.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import typer

from assetreg.cli.base import WORDS, fail, info, registry_path
from assetreg.i18n import _

COMPLETE_VAR = "_ASSETREG_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
NAMED = 1000  # record ids completed with their names, at most

Candidates = Callable[[typer.Context, str], Iterable[tuple[str, str]]]
Completion = Callable[[typer.Context, str], list[tuple[str, str]]]


def completing(candidates: Candidates) -> Completion:
    """An option's `autocompletion`: the (value, help) pairs of `candidates(ctx, typed)` that start with
    what was typed, case and full-width forms ignored. Completion never fails: no candidates then."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from assetreg.core.parse import ascii_forms

        typed = ascii_forms(incomplete).casefold()
        try:
            found = [(value, text) for value, text in candidates(ctx, typed) if ascii_forms(value).casefold().startswith(typed)]
        except Exception:  # a missing or damaged registry: nothing to offer, and no word on the shell
            return []
        # Typer keeps what starts with the typed text as typed: `a0` completes to `a0001` (ids are read in
        # any case, full-width forms too), and the shell does not replace what was typed
        return [(value if value.startswith(incomplete) else incomplete + value[len(incomplete) :], text) for value, text in found]

    return complete


def choices(values: Iterable[str] | Callable[[], Iterable[str]], helps: Mapping[str, str] | None = None) -> Completion:
    """Completes one of `values` (or what the function gives, imported only when completing), each with
    its help (default: its Chinese name, which the option accepts too)."""

    def candidates(ctx: typer.Context, typed: str) -> Iterable[tuple[str, str]]:
        from assetreg.core.choices import chinese_name

        for value in values() if callable(values) else values:
            yield value, _(helps[value]) if helps else chinese_name(value) or ""

    return completing(candidates)


def _registry(ctx: typer.Context) -> Path:
    """The registry named on the command line being completed, else $ASSETREG_FILE, else the default."""
    return registry_path(ctx.find_root().params.get("registry"))


def record_ids(*kinds: str) -> Completion:
    """Completes the ids of tables (`members`, `assets`, …) in the registry, each with its name, and the
    names themselves (a record is named by either: `--owner 柳<Tab>`); read once, without a lock. Bash
    shows no help beside a completion: for bash no record is parsed when what is typed is an id's start,
    only the ids read. Nor for more than NAMED ids: the list is scrolled, not read, and each help is
    rendered by Typer through Rich (10 s for 100,000)."""

    def candidates(ctx: typer.Context, typed: str) -> Iterable[tuple[str, str]]:
        from assetreg.core.parse import ascii_forms
        from assetreg.store import read_records

        bash = os.environ.get(COMPLETE_VAR) == "complete_bash"
        path = _registry(ctx)
        places = [("", path)]
        if path.name.lower().endswith(".rollup.csv"):  # a roll-up: each source's ids, qualified by its name
            from assetreg.store.rollup import read_list

            places = [(f"{s.name}:", s.path) for s in read_list(path)]
        for prefix, place in places:
            if prefix and not (prefix.startswith(typed) or typed.startswith(prefix)):
                continue
            own = typed[len(prefix) :] if typed.startswith(prefix) else ""
            named = own and not own.isascii()  # a name being typed (Chinese): the names are read
            most = NAMED if named or not bash else 0
            for rid, record in read_records(place, kinds, "" if named else own, most).items():
                name = record.get("name") or record.get("tenant") or record.get("counterparty") or record.get("description")
                yield prefix + rid, str(name or "")
                if name and ascii_forms(str(name)).casefold().startswith(own) and own:
                    yield prefix + str(name), rid  # the name itself, completing to what the option takes as well

    return completing(candidates)


def _districts(ctx: typer.Context, typed: str) -> Iterable[tuple[str, str]]:
    """The districts the members are in, each with how many members it has."""
    from collections import Counter

    from assetreg.store import read_records

    counts = Counter(str(m.get("district") or "") for m in read_records(_registry(ctx), ("members",), "", NAMED * 100).values())
    for district, count in sorted(counts.items()):
        if district:
            yield district, _("1 member") if count == 1 else _("{count} members").format(count=count)


def _backup_numbers(ctx: typer.Context, typed: str) -> Iterable[tuple[str, str]]:
    """N of `backup list`, newest first, with the log entry each was made after."""
    from assetreg.store import backups

    for n, path in enumerate(backups(_registry(ctx)), start=1):
        yield str(n), path.name


def _log_numbers(ctx: typer.Context, typed: str) -> Iterable[tuple[str, str]]:
    """The log's entry numbers, latest first, each with its command."""
    from assetreg.store import read_journal

    entries = list(read_journal(_registry(ctx), None, changes_from=sys.maxsize))
    for entry in reversed(entries):
        command = " ".join(str(entry.get("command") or "").split()[1:])  # without "assetreg", on one short line
        yield str(entry["seq"]), command if len(command) <= 40 else command[:39] + "…"


DISTRICTS = completing(_districts)
BACKUP_NUMBERS = completing(_backup_numbers)
LOG_NUMBERS = completing(_log_numbers)


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
    `_TYPER_COMPLETE_ARGS` from zsh and fish); else None."""
    if COMPLETE_VAR not in environ:
        return None
    line = environ["COMP_WORDS"] if "COMP_WORDS" in environ else environ.get("_TYPER_COMPLETE_ARGS", "")
    return joined(_split(line)[1:])


def _split(line: str) -> list[str]:
    """The words of a command line as the shell splits them (an unfinished quote taken as closed)."""
    for ending in ("", '"', "'"):
        try:
            return shlex.split(line + ending)
        except ValueError:
            continue
    return line.split()


def bash_words(environ: MutableMapping[str, str]) -> None:
    """Bash breaks `--option=value` at the `=` into three words; Typer's completion is given them as
    typed, `--option=value` (and `--option=` for a value just begun), in `COMP_WORDS` and `COMP_CWORD`."""
    if environ.get(COMPLETE_VAR) != "complete_bash" or "COMP_WORDS" not in environ:
        return
    words = _split(environ["COMP_WORDS"])
    cword = int(environ.get("COMP_CWORD") or len(words) - 1)
    typed = words[cword] if cword < len(words) else ""
    head = words[:cword]
    if head[-1:] == ["="] and len(head) > 1 and head[-2].startswith("-"):  # `--option = typed`
        head, typed = head[:-2], head[-2] + "=" + typed
    full = [*joined(head), typed]
    environ["COMP_WORDS"] = " ".join(shlex.quote(w) for w in full)
    environ["COMP_CWORD"] = str(len(full) - 1)


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


# The scripts the shells run on a Tab: each calls assetreg with COMPLETE_VAR set and the line typed so far.
SCRIPTS = {
    "bash": """_assetreg_completion() {
    local IFS=$'\\n'
    COMPREPLY=( $( env COMP_WORDS="${COMP_WORDS[*]}" \\
                   COMP_CWORD=$COMP_CWORD \\
                   %(var)s=complete_bash $1 ) )
    return 0
}

complete -o default -F _assetreg_completion assetreg
""",
    "zsh": """#compdef assetreg

_assetreg_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(var)s=complete_zsh assetreg)
}

compdef _assetreg_completion assetreg
""",
    "fish": "complete --command assetreg --no-files --arguments "
    '"(env %(var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args _TYPER_COMPLETE_ARGS=(commandline -cp) assetreg)" '
    '--condition "env %(var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=is-args '
    '_TYPER_COMPLETE_ARGS=(commandline -cp) assetreg"\n',
}


def script(shell: str) -> str:
    return SCRIPTS[shell] % {"var": COMPLETE_VAR}


def detected_shell() -> str:
    """The shell assetreg was started from (its parent process), else the login shell ($SHELL)."""
    try:
        parent = Path(f"/proc/{os.getppid()}/comm").read_text().strip()
    except OSError:
        parent = ""
    for name in (parent, Path(os.environ.get("SHELL", "")).name):
        if name in SHELLS:
            return name
    return ""


def install(shell: str) -> Path:
    """The script written where the shell reads it at start, and the shell's start file told to read it
    (bash: ~/.bash_completions/assetreg.sh sourced by ~/.bashrc; zsh: ~/.zfunc/_assetreg on the fpath of
    ~/.zshrc; fish: ~/.config/fish/completions/assetreg.fish, read by fish itself)."""
    home = Path.home()
    place = {
        "bash": home / ".bash_completions" / "assetreg.sh",
        "zsh": home / ".zfunc" / "_assetreg",
        "fish": home / ".config" / "fish" / "completions" / "assetreg.fish",
    }[shell]
    start = {
        "bash": (home / ".bashrc", f"source '{place}'"),
        "zsh": (home / ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit"),
    }
    if shell in start:
        rc, line = start[shell]
        text = rc.read_text() if rc.is_file() else ""
        if line not in text:
            rc.write_text(text + ("" if text.endswith("\n") or not text else "\n") + line + "\n")
    place.parent.mkdir(parents=True, exist_ok=True)
    place.write_text(script(shell))
    return place


def shell_script(ctx: typer.Context, param: Any, wanted: bool) -> None:
    """`--show-completion [SHELL]` prints the completion script; `--install-completion [SHELL]` writes it
    where the shell reads it. SHELL is bash, zsh or fish; default the shell running."""
    if not wanted or ctx.resilient_parsing:
        return
    option = param.opts[0]
    words: list[str] = ctx.meta.get(WORDS, [])
    after = words[words.index(option) + 1 :][:1] if option in words else []
    shell = after[0] if after and not after[0].startswith("-") else detected_shell()
    if not shell:
        fail(_("{option}: the shell could not be detected; name it: bash, zsh or fish").format(option=option))
    elif shell not in SHELLS:
        fail(_("{option} '{value}': not one of: bash, zsh, fish").format(option=option, value=shell))
    if option == "--show-completion":
        typer.echo(script(shell), nl=False)
        raise typer.Exit()
    try:
        path = install(shell)
    except OSError as error:
        fail(_("{option}: cannot write {path}: {reason}").format(option=option, path=error.filename, reason=error.strerror))
    info(_("{shell} completion installed in {path}; it works in a new terminal.").format(shell=shell, path=path))
    raise typer.Exit()


def completion_option(name: str, text: str) -> Any:
    return typer.Option(False, name, is_eager=True, callback=shell_script, help=text)
