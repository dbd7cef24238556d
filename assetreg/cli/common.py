"""What every command shares: the environment, error handling, output and prompts."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from assetreg.cli.base import ExitCode, fail, info, registry_path, terminal_columns
from assetreg.core.errors import AlreadyRecorded, AssetregError, InterruptedAfterWrite, MissingOptions, NothingToChange
from assetreg.i18n import N_, _

if TYPE_CHECKING:
    from assetreg.core.records import Field
    from assetreg.core.registry import Registry

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@dataclass
class Env:
    """Everything a command may take from outside: tests replace it through the environment."""

    registry: Path
    today: date
    interactive: bool
    command: str
    skip_bad: bool = False  # a roll-up leaves out the sources that fail their check

    @property
    def rollup(self) -> bool:
        """Whether the registry is a roll-up list (`*.rollup.csv`): several registries read together."""
        return self.registry.name.lower().endswith(".rollup.csv")

    @classmethod
    def from_environment(cls, registry: Path | None, words: list[str] | None = None) -> Env:
        """`words`: the command line as Click was given it (sys.argv's are the test runner's under CliRunner)."""
        forced = os.environ.get("ASSETREG_INTERACTIVE")
        interactive = forced == "1" if forced in ("0", "1") else sys.stdin.isatty() and sys.stderr.isatty()
        today_text = os.environ.get("ASSETREG_TODAY")
        today = date.fromisoformat(today_text) if today_text else date.today()
        command = " ".join(["assetreg", *(sys.argv[1:] if words is None else words)])
        return cls(registry_path(registry), today, interactive, command)

    @contextlib.contextmanager
    def session(self, *, write: bool = True, outside: bool = False) -> Iterator[Any]:
        from assetreg.store import open_registry

        with open_registry(self.registry, self.command, write=write, outside=outside) as session:
            session.registry.today = self.today
            session.registry.file_state = file_checker(self.registry)
            yield session


def file_checker(registry: Path) -> Callable[[str], str | None]:
    """An attached file's state, each hash checked once per command, and only when a document asks."""

    @functools.cache
    def state(sha256: str) -> str | None:
        from assetreg.store import files

        return files.state(files.files_dir(registry), sha256)

    return state


WIDE = typer.Option(False, "--wide", help="Show every column of a table, even past the terminal's width.")


def env(ctx: typer.Context) -> Env:
    obj = ctx.find_object(Env)
    if obj is None:  # a sub-app invoked on its own, as in some tests
        obj = Env.from_environment(None)
        ctx.obj = obj
    return obj


# A record (a positional id) or the registry, named by a word that follows the language.
NAMED_BY_WORD = {
    "member": N_("member"),
    "asset": N_("asset"),
    "lease": N_("lease"),
    "incident": N_("incident"),
    "registry": N_("registry"),
    "clearance": N_("record|clearance"),  # the record (清查), not the revaluation basis `clearance` (清查核实)
}


def message(error: AssetregError) -> str:
    from assetreg.render.text import one_line

    # user text anywhere in the line (a value, an encoding's name, a file name) is shown escaped
    params = {k: one_line(_(v)) if isinstance(v, str) else v for k, v in error.params.items()}
    if "choices" in params:
        params["choices"] = choices_text(str(error.params["choices"]))
    reason = _(error.reason).format(**params) if error.reason else ""  # _("") is the catalogue's header
    field = _(NAMED_BY_WORD[error.field]).split("|", 1)[-1] if error.field in NAMED_BY_WORD else error.field
    return _(error.template).format(field=one_line(field), value=f"'{one_line(error.value)}'", reason=reason)


def choices_text(choices: str) -> str:
    """In Chinese, each allowed value with its Chinese name, since either is accepted."""
    from assetreg.core.choices import chinese_name
    from assetreg.render.text import is_chinese

    if not is_chinese():
        return choices
    return ", ".join(f"{c}={chinese_name(c)}" if chinese_name(c) else c for c in choices.split(", "))


def crash_report() -> Path | None:
    """The details of an unexpected error, written under `ASSETREG_CRASH_DIR` (default the temp
    folder's `assetreg-crash/`); None when even that cannot be written."""
    folder = Path(os.environ.get("ASSETREG_CRASH_DIR") or Path(tempfile.gettempdir()) / "assetreg-crash")
    path = folder / f"{datetime.now():%Y%m%dT%H%M%S}-{os.getpid()}.log"
    text = " ".join(sys.argv) + "\n" + traceback.format_exc()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "backslashreplace"))  # argv and paths need not be UTF-8
    except OSError:
        return None
    return path


def reads_rollup(fn: F) -> F:
    """Marks a reading command that reads a roll-up list (cli/rollup); every other command refuses one."""
    fn.reads_rollup = True  # type: ignore[attr-defined]
    return fn


def reads_one(fn: F) -> F:
    """Marks a reading command that reads one registry, not a roll-up (a source's own settings)."""
    fn.reads_one = True  # type: ignore[attr-defined]
    return fn


def refuses_rollup(reason: str) -> Callable[[F], F]:
    """Marks a reading command that has no sense on a roll-up, refused there in one line saying why."""

    def mark(fn: F) -> F:
        fn.rollup_refusal = reason  # type: ignore[attr-defined]
        return fn

    return mark


def handled(fn: F) -> F:
    """One line on stderr and exit 1 for any error; the registry is saved only on success."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get("ctx")
        if hasattr(ctx, "find_object") and not getattr(fn, "reads_rollup", False) and env(ctx).rollup:  # type: ignore[arg-type]
            if getattr(fn, "rollup_refusal", None):
                fail(_(fn.rollup_refusal))  # type: ignore[attr-defined]
            if getattr(fn, "reads_one", False):
                fail(_("this command reads one registry at a time; name one of the roll-up's registries"))
            fail(_("a roll-up is read-only; write to one of its registries"))
        try:
            return fn(*args, **kwargs)
        except AssetregError as error:
            fail(message(error))
        except (typer.Exit, typer.Abort):
            raise
        except InterruptedAfterWrite:
            fail(_("interrupted while writing: the change was finished and saved first"), 130)
        except KeyboardInterrupt:
            if sys.stderr.isatty():  # the terminal echoed ^C where the cursor was (after a question): a line of its own
                sys.stderr.write("\n")
            fail(_("interrupted; nothing was changed"), ExitCode.INTERRUPTED)
        except OverflowError:  # a day beyond what the calendar holds, reached from a date far off
            fail(_("a date is out of range (dates run from 1900-01-01 to 2199-12-31); nothing was changed"))
        except BrokenPipeError:
            raise typer.Exit(ExitCode.USER_ERROR) from None
        except Exception as error:
            where = crash_report()
            kind = type(error).__name__
            if where is None:
                fail(_("unexpected {kind}; nothing was changed").format(kind=kind))
            fail(_("unexpected {kind}; nothing was changed; details in {path}").format(kind=kind, path=where))

    return wrapper  # type: ignore[return-value]


def command(app: typer.Typer, name: str, **kwargs: Any) -> Callable[[F], F]:
    def register(fn: F) -> F:
        app.command(name, **kwargs)(handled(fn))
        return fn

    return register


SEARCH = typer.Option(
    None,
    "--search",
    help="Only records holding this text in their name, tenant, counterparty, location, title number or note (case ignored).",
)
LIST_TABLES = {"members": "member_table", "assets": "asset_table", "leases": "lease_table", "incidents": "incident_table"}


def searched(rows: list[dict[str, Any]], text: str | None) -> list[dict[str, Any]]:
    """The rows `--search TEXT` keeps (all of them without it); an empty TEXT is refused."""
    from assetreg.core.parse import text as checked
    from assetreg.core.views import search

    return rows if text is None else search(rows, checked(text, "--search", required=True))


SORT = typer.Option(None, "--sort", help="Order by this field (id, name, value, area, end, arrears, …); -FIELD for descending.")


def print_list(
    reg: Any,
    kind: str,
    rows: list[dict[str, Any]],
    as_json: bool,
    stakes: Any = None,
    *,
    wide: bool = False,
    on_purpose: bool = False,
    sort: str | None = None,
) -> None:
    """A `list` command's output: the JSON list of rows, or the table with its totals line under it (which
    counts disposed assets and ended leases only when they were listed `on_purpose`); ordered by `--sort`
    when given."""
    if sort:
        from assetreg.core.views import sort_rows

        rows = sort_rows(rows, sort)
    if as_json:
        print_json(rows)
        return
    from assetreg.core.views import list_totals
    from assetreg.render import records as shown

    getattr(shown, LIST_TABLES[kind])(rows, list_totals(reg, kind, rows, stakes, on_purpose=on_purpose), wide=wide)


def print_json(data: Any) -> None:
    import orjson

    from assetreg.render.text import json_default

    sys.stdout.buffer.write(orjson.dumps(data, default=json_default, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


Check = Callable[["Registry", dict[str, Any]], None]
RecordCheck = Callable[["Registry", dict[str, Any], dict[str, Any]], None]  # (registry, the record, the answers)


def ask_missing(
    e: Env, fields: tuple[Field, ...], raw: dict[str, Any], check: Check | None = None, *, walk: bool = False
) -> dict[str, Any]:
    """Ask on a terminal for the required options not given; elsewhere refuse naming all of them.

    With `walk` (an `add` given no options at all) every field is asked, required ones first, and an
    optional one is skipped with Enter. The registry is read first and closed again: no lock is held
    while a person answers, so the command checks everything again when it writes. Each answer is
    checked at once, with the rules between fields (`check`), and asked again until it is right.
    """
    from assetreg.core import records

    missing = [f for f in fields if f.required and not records.given(raw.get(f.name))]
    optional = [f for f in fields if walk and not f.required and not records.given(raw.get(f.name))]
    if not missing and not optional:
        return raw
    # asking anything, the fields a careful clerk records are offered too, once each, Enter skipping them
    offered = [f for f in fields if f.offered and not f.required and not records.given(raw.get(f.name)) and f not in optional]
    if not e.interactive:
        raise MissingOptions([shown_option(f.option) for f in missing])
    with e.session(write=False) as s:
        reg = s.registry
    names = {f.name for f in fields}
    values = {k: v for k, v in raw.items() if k not in names}  # flags such as --again, seen by the checks
    values.update(records.build(fields, raw, reg, partial=True))  # what was given is checked before any question
    if check:
        check(reg, values)
    answers = dict(raw)
    for field in missing + offered + [f for f in optional if f.name != "id"] + [f for f in optional if f.name == "id"]:
        if field.only_if and values.get(field.only_if[0]) != field.only_if[1]:
            continue  # a question that does not apply (a stake's member, for a building)
        condition = records.OFFERED_IF.get(field.name)
        if field in offered and condition and values.get(condition[0]) not in condition[1]:
            continue  # offered only where it belongs (a title number: a building's or land's)
        value = ask(field, reg, values, check)
        if records.given(value):
            values[field.name] = answers[field.name] = value
    answers.update({k: v for k, v in values.items() if k not in names})  # a flag answered (record it again: --again)
    return answers


# What a command on one record (an edit, a payment, an action) calls it when it is not given: its
# argument, as the usage line names it.
RECORD_ARGUMENTS = {"members": "member_id", "assets": "asset_id", "leases": "lease_id", "incidents": "incident_id"}


def shown_option(option: str) -> str:
    """An option as a message names it: a command's own record is its argument, ID on the usage line."""
    return "ID" if option in RECORD_ARGUMENTS.values() else option


def ask_on(
    e: Env,
    kind: str,
    record_id: str | None,
    fields: tuple[Field, ...],
    raw: dict[str, Any],
    check: RecordCheck | None = None,
) -> tuple[str, dict[str, Any]]:
    """`ask_missing` for a change to one record (a payment, an event, an action): the record's id or
    name is the first question when it was not given, and `check(reg, record, values)` checks each
    answer against that record. Without a terminal a missing id is named with the missing options."""
    from assetreg.core import records

    if record_id is not None:
        on_given = (lambda reg, values: check(reg, reg.get(kind, record_id, kind[:-1]), values)) if check else None
        return record_id, ask_missing(e, fields, raw, on_given)
    key = RECORD_ARGUMENTS[kind]

    def on_answer(reg: Registry, values: dict[str, Any]) -> None:
        if check and values.get(key):
            check(reg, reg.get(kind, values[key]), {k: v for k, v in values.items() if k != key})

    answers = ask_missing(e, (records.Field(key, "ref", True, ref=kind, flag=key), *fields), {key: None, **raw}, on_answer)
    return str(answers.pop(key)), answers


def ask_edit(
    e: Env,
    kind: str,
    record_id: str | None,
    fields: tuple[Field, ...],
    raw: dict[str, Any],
    check: RecordCheck | None = None,
    *,
    options: tuple[str, ...] = (),
) -> tuple[str, dict[str, Any]]:
    """The record an `edit` changes (its id) and what it changes.

    Options given are taken as they are. Given none, a terminal walks through `fields`, each with the
    record's current value as the default that Enter keeps, and only what changed is returned (nothing:
    an empty dict, and the person is told). An id not given is asked for (an id or a name). Without a terminal a missing id,
    or no option at all, is refused naming what to give (`options` the command takes besides `fields`).
    `check(reg, record, changes)` checks the changes so far at each answer. No lock is held meanwhile.
    """
    from dataclasses import replace

    from assetreg.core import records

    if record_id is not None and raw:
        return record_id, raw
    if not e.interactive:
        if record_id is None:
            raise MissingOptions(["ID"])
        raise NothingToChange([f.option for f in fields] + list(options))
    with e.session(write=False) as s:
        reg = s.registry
    if record_id is None:
        record_id = ask(records.Field(kind[:-1], "ref", True, ref=kind, flag=RECORD_ARGUMENTS[kind]), reg, {})
    record = reg.get(kind, str(record_id), kind[:-1])
    if raw:
        return record["id"], raw
    on_record = (lambda reg, changes: check(reg, record, changes)) if check else None
    if on_record:
        on_record(reg, {})  # a record that takes no change is refused before any question
    changes: dict[str, Any] = {}
    for field in fields:
        if field.only_if and changes.get(field.only_if[0], record.get(field.only_if[0])) != field.only_if[1]:
            continue  # a question that does not apply (a stake's member, for a building)
        now = record.get(field.name)
        status = records.STATUS_DATES.get(field.name)
        default = e.today.isoformat() if status in changes else None if now is None else str(now)
        value = ask(replace(field, default=default), reg, changes, on_record)
        if records.given(value) and value != now:
            changes[field.name] = value
    if not changes:
        info(_("Nothing changed."))
    return record["id"], changes


def ask(field: Field, reg: Registry, values: dict[str, Any], check: Check | None = None) -> Any:
    """One field's answer, converted and checked with the fields answered so far; None when skipped."""
    from assetreg.core import records
    from assetreg.core.choices import chinese_name
    from assetreg.render.text import is_chinese

    # the option beside the question, to learn it by; a command's own record (its argument) has none
    prompt = _(records.label(field)) + ("" if field.option.endswith("_id") else f" {field.option}")
    if field.choices:
        shown = [f"{c}={chinese_name(c)}" if is_chinese() and chinese_name(c) else c for c in field.choices]
        prompt += " (" + ", ".join(shown) + ")"
    if field.kind in ("ref", "refs"):
        say(candidates(reg, field.ref))
    default = field.default
    if default:
        prompt += f" [{chinese_name(default) if is_chinese() and chinese_name(default) else default}]"
    while True:
        answer = read_answer(prompt + _(": ")).strip()
        if not answer:
            if not default and not field.required:
                return None
            if not default:
                info(_("{option}: an answer is needed").format(option=shown_option(field.option)))
                continue
            answer = default
        try:
            value = records.convert(field, answer, reg)
            if check:
                try:
                    check(reg, {**values, field.name: value})
                except AlreadyRecorded as error:  # a terminal asks instead of refusing: --again is the answer yes
                    if not again(error):
                        continue
                    values["again"] = True
            return value
        except AssetregError as error:
            say(message(error))


def again(error: AlreadyRecorded) -> bool:
    """ "record it again?" for a payment the lease has already: yes records a second one (as --again)."""
    from assetreg.render.text import money

    day = error.params.get("day")
    return confirm(
        _("A payment of {amount} yuan on {day} is already recorded: record it again?").format(
            amount=money(str(error.value)), day=day
        )
    )


def write_answers(
    e: Env, fields: tuple[Field, ...], answers: dict[str, Any], write: Callable[[Registry, dict[str, Any]], T]
) -> tuple[Any, T]:
    """`write(registry, answers)` in a writing session: the session and what `write` gave.

    The answers were checked while no lock was held; checked again now, a clash (another user took the
    title number meanwhile, or recorded the same payment) asks again, at a terminal, for the field it
    names only, keeping every other answer, and writes again. Elsewhere the clash is one line, exit 1."""
    while True:
        try:
            with e.session() as s:
                result = write(s.registry, answers)
            return s, result
        except AlreadyRecorded as error:
            if not e.interactive:
                raise
            say(message(error))
            if not again(error):
                declined()
            answers["again"] = True
        except AssetregError as error:
            field = next((f for f in fields if f.option == error.field), None)
            if not e.interactive or field is None:
                raise
            say(message(error))
            with e.session(write=False) as s:
                reg = s.registry
            from dataclasses import replace

            answers[field.name] = ask(replace(field, default=None), reg, answers)


def candidates(reg: Registry, kind: str, most: int = 12) -> str:
    """The records a reference may name, when there are few enough to list; else how to name one."""
    table = reg.tables[kind]
    if not table or len(table) > most:
        return _("(an id or an exact name)")
    from assetreg.render.text import clean, label

    def named(record: dict[str, Any]) -> str:  # an incident has no name: its kind and counterparty say which it is
        if "counterparty" in record:
            return f"{label(record.get('kind'))} {record.get('counterparty') or ''}"
        return str(record.get("name") or record.get("tenant") or "")

    return ", ".join(clean(f"{rid} {named(record)}".rstrip()) for rid, record in table.items())


def terminal_lines(text: str) -> list[str]:
    """`text` in lines as wide as the terminal on stderr, broken at spaces (a choice such as
    `not_started` is never split) and between Chinese characters."""
    from assetreg.render.text import fold

    columns = terminal_columns()
    return [line.rstrip() for line in fold(text, columns - 1)] if columns > 10 else [text]


def say(text: str) -> None:
    """`info`, wrapped at the terminal's width: what a prompt says beside its question."""
    info("\n".join(terminal_lines(text)))


def read_answer(prompt: str, end: type[BaseException] = KeyboardInterrupt) -> str:
    """A line typed at the terminal after `prompt` (on stderr, so stdout stays data), wrapped at word
    boundaries; Ctrl-D raises `end`, by default as Ctrl-C: nothing changed (the `handled` wrapper says
    so, exit 130).

    On a terminal the line is read with readline: arrow keys, Home/End and the answers given before
    (up arrow) work as in a shell. Python's `input()` edits only when stdin and stdout are terminals,
    and echoes on stdout: stdout is pointed at the terminal of stderr meanwhile, so that `--json` output
    on a pipe never holds a prompt."""
    *before, last = terminal_lines(prompt.rstrip()) or [""]
    last += prompt[len(prompt.rstrip()) :]  # the space after the colon, where the answer starts
    for line in before:
        info(line)
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        sys.stderr.write(last)
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            raise end
        return line.rstrip("\r\n")
    import readline  # noqa: F401  (importing it gives input() line editing and history)

    sys.stdout.flush()
    kept = os.dup(1)
    os.dup2(sys.stderr.fileno(), 1)
    try:
        return input(last)
    except EOFError:
        raise end from None
    finally:
        sys.stdout.flush()
        os.dup2(kept, 1)
        os.close(kept)


YES = ("y", "yes", "是", "是的", "对", "好")
NO = ("n", "no", "否", "不", "不是")


def confirm(text: str, *, default: bool = False) -> bool:
    """A yes/no question on the terminal: y/n and 是/否 both answer it; anything else is asked again."""
    choices = _("[Y/n]") if default else _("[y/N]")
    while True:
        answer = read_answer(f"{text} {choices}{_(': ')}").strip().lower()
        if not answer:
            return default
        if answer in YES:
            return True
        if answer in NO:
            return False
        info(_("please answer y (是) or n (否)"))


def declined() -> None:
    """No to a confirmation: nothing is done, and that is a success (exit 0)."""
    info(_("Nothing changed."))
    raise typer.Exit(ExitCode.OK)


NOT_FIELDS = {"ctx", "as_json", "member_id", "asset_id", "lease_id", "incident_id"}
OPTION_FIELDS = {"record_id": "id"}  # parameter names that differ from the record's field


def raw_options(parameters: dict[str, Any]) -> dict[str, Any]:
    """A command's parameters (its `locals()`) as record fields, leaving out those not given."""
    return {OPTION_FIELDS.get(k, k): v for k, v in parameters.items() if k not in NOT_FIELDS and v is not None and v != []}


def remove_command(app: typer.Typer, kind: str) -> None:
    """`NOUN remove ID --force`: delete a record entered by mistake (logged like any change)."""
    from assetreg.cli.complete import record_ids

    def remove(
        ctx: typer.Context,
        record_id: str = typer.Argument(..., metavar="ID", help="The record's id.", autocompletion=record_ids(kind)),
        force: bool = typer.Option(False, "--force", help="Really delete it (disposal and closing keep the record)."),
        as_json: bool = typer.Option(False, "--json", help="Print the removed record as JSON."),
    ) -> None:
        from assetreg.core import records

        e = env(ctx)
        with e.session() as s:
            record = records.remove(s.registry, kind, record_id, force=force)
        if as_json:
            print_json(record)
        else:
            info(_("Removed {id}; the change log keeps what it held.").format(id=record_id))

    command(app, "remove", help="Delete a record entered by mistake; needs --force, and the change log keeps it.")(remove)
