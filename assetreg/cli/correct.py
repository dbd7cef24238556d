"""assetreg undo | redo | revert N: a past change reversed, or re-applied, as a new logged change."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assetreg.cli.common import confirm, declined, env, fail, handled, info, say
from assetreg.cli.complete import LOG_NUMBERS
from assetreg.i18n import N_, _

if TYPE_CHECKING:
    from assetreg.core.correct import Delta

# For each action: the question, the message when done, the note in the log, the refusal without a
# terminal, and the refusal when there is nothing to do.
MESSAGES = {
    "undo": (
        N_("Undo entry {n}?"),
        N_("Undid entry {n}; 'assetreg redo' brings it back."),
        N_("undo of entry {n}"),
        N_("entry {n} not undone: without a terminal, give --yes to undo it"),
        N_("nothing to undo: every change in the log has been undone"),
    ),
    "redo": (
        N_("Redo entry {n}?"),
        N_("Redid entry {n}."),
        N_("redo of entry {n}"),
        N_("entry {n} not redone: without a terminal, give --yes to redo it"),
        N_("nothing to redo: no change was undone since the last new change"),
    ),
    "revert": (
        N_("Revert entry {n}?"),
        N_("Reverted entry {n}; 'assetreg undo' takes the revert back."),
        N_("revert of entry {n}"),
        N_("entry {n} not reverted: without a terminal, give --yes to revert it"),
        "",
    ),
}
SHOWN = 20  # lines of a large correction (an import's) shown before "… and N more"
# How the preview names a record's lists of items; its other fields are named as the prompts name them.
LISTS = {
    "payments": N_("payments"),
    "writeoffs": N_("write-offs"),
    "rents": N_("rent changes"),
    "transfers": N_("transfers"),
    "events": N_("value history"),
    "actions": N_("actions"),
    "status_history": N_("status history"),
    "restructuring_history": N_("restructuring history"),
}
# Fields a record keeps that no option is named after (a lease's end, its refund).
STORED = {
    "ended_on": N_("ended on"),
    "end_note": N_("note on the end"),
    "end_doc": N_("document ending it (文号)"),
    "refunded": N_("deposit returned"),
    "refunded_on": N_("deposit returned on"),
    "writeoffs": N_("write-offs"),
    "rents": N_("rent changes"),
    "transfers": N_("transfers"),
    "initial_status": N_("status when reported"),
}
# An item's true/false fields, as the preview shows them when true
ITEM_MARKS = {"deposit": N_("(the deposit)"), "again": N_("(recorded again)")}
HIDDEN = {"seq"}  # the order of entry: no reader's concern
MONEY = {"amount", "value", "rent", "deposit", "estimated_loss", "proceeds", "refunded"}
CHOICES = {"status", "kind", "category", "period", "basis", "cause", "method", "source", "restructuring"}


def with_correction(entry: dict[str, Any]) -> str:
    """An entry's command, and what it corrected, for `log`."""
    correction = entry.get("correction")
    if not isinstance(correction, dict) or correction.get("kind") not in MESSAGES:
        return str(entry["command"])
    note = _(MESSAGES[correction["kind"]][2]).format(n=correction.get("entry"))
    return f"{entry['command']} ({note})"


def _plan(s: Any, action: str, number: int | None) -> tuple[int, dict[str, Any], list[Delta]]:
    """The entry the action takes, and its deltas applied to the session's registry (refused, with
    one line, when they cannot be)."""
    from assetreg.core import correct
    from assetreg.core.errors import InvalidValue
    from assetreg.store import read_journal as journal_entries

    size, count = int(s.meta.get("log_size", 0)), int(s.meta.get("log_seq", 0))
    if number is None:
        done, undone = correct.history(journal_entries(s.path, size, changes_from=count + 1))
        stack = done if action == "undo" else undone
        if not stack:
            fail(_(MESSAGES[action][4]))
        target = stack[-1]
    elif number == 1 and count:
        raise InvalidValue("N", number, N_("entry 1 made the registry; it cannot be reverted"))
    elif not 1 <= number <= count:
        raise InvalidValue("N", number, N_("no such entry in the log (it has {count})"), count=count)
    else:
        target = number
    entries = journal_entries(s.path, size, changes_from=target)
    entry = next(x for x in entries if x["seq"] == target)
    moves = correct.deltas(entry["changes"], backwards=action != "redo")
    if action == "revert":
        correct.check_later(s.registry, moves, target, entries)
    correct.apply(s.registry, moves, target)
    files_restorable(s.path, moves)
    return target, entry, moves


def files_restorable(path: Path, moves: list[Delta]) -> None:
    """An attachment brought back whose stored file was pruned is refused, naming it (PRODUCT.md, Evidence files)."""
    from assetreg.core.errors import Conflict
    from assetreg.store import files

    folder = files.files_dir(path)
    for d in moves:
        if (
            d.kind == "attachments"
            and d.source is None
            and d.target is not None
            and not files.present(folder, d.target["sha256"])
        ):
            name = f"{d.target['name']}, sha256 {d.target['sha256'][:12]}"
            raise Conflict("attachment", d.id, N_("its file ({name}) was pruned; nothing was changed"), name=name)


def _show(entry: dict[str, Any], moves: list[Delta]) -> None:
    from assetreg.core.correct import describe
    from assetreg.render.text import clean

    # shown before the question, wrapped as the question is: between words at the terminal's width
    say(
        _("Entry {n}, {time}, {user}: {command}").format(
            n=entry["seq"], time=entry["time"], user=clean(entry["user"]), command=clean(with_correction(entry))
        )
    )
    lines = list(describe(moves))
    for line in lines[:SHOWN]:
        params = {k: clean(_shown(k, v, line.params.get("field"))) for k, v in line.params.items()}
        say("  " + _(line.message).format(**params))
    if len(lines) > SHOWN:
        info("  " + _("… and {count} more").format(count=len(lines) - SHOWN))


def _shown(key: str, value: Any, field: str | None) -> str:
    """A value of the preview as tables show it: names and choices in the language, money with separators."""
    from assetreg.core.records import FIELD_LABELS

    if key == "kind":  # the record's kind
        return _(value)
    if key == "field":
        return _(LISTS.get(value) or STORED.get(value) or FIELD_LABELS.get(value) or str(value))
    if key == "item":  # a payment, an event, an action: its values, date and kind first, its marks in words
        first = [n for n in ("date", "kind", "amount") if n in value]
        order = first + sorted(n for n in value if n not in first and n not in HIDDEN)
        shown = [
            _(ITEM_MARKS.get(n) or str(n)) if value[n] is True else _value(n, value[n])
            for n in order
            if value[n] not in (None, "", [], False)
        ]
        return " ".join(shown)
    return _value(field, value) if key in ("old", "new") else str(value)


def _value(field: str | None, value: Any) -> str:
    from assetreg.render.text import label, money

    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value(field, v) for v in value)
    if isinstance(value, dict):  # an item of a list the record did not have before (a first write-off)
        return _shown("item", value, field)
    if field in MONEY and isinstance(value, str):
        return money(value)
    if (field in CHOICES or field == "kind") and isinstance(value, str):
        return label(value)
    return str(value)


def _correct(ctx: typer.Context, action: str, number: int | None, yes: bool) -> None:
    """Show the change, ask (or take --yes), then make it under the lock, the log moved on or not."""
    e = env(ctx)
    question, done, _note, unasked, _nothing = MESSAGES[action]
    target = None
    if not yes:
        with e.session(write=False) as s:  # no lock is held while the person decides
            target, entry, moves = _plan(s, action, number)
        if not e.interactive:
            fail(_(unasked).format(n=target))
        _show(entry, moves)
        if not confirm(_(question).format(n=target)):
            declined()
    with e.session() as s:
        now, entry, moves = _plan(s, action, number)
        if target is not None and now != target:
            fail(_("the log moved on meanwhile: this would now take entry {n}; nothing was changed").format(n=now))
        if yes:
            _show(entry, moves)
        s.entry["correction"] = {"kind": action, "entry": now}
    info(_(done).format(n=now))


YES = typer.Option(False, "--yes", help="Do it without asking.")


@handled
def undo_command(ctx: typer.Context, yes: bool = YES) -> None:
    """Reverse the latest change not undone yet (again: the one before it); the undo is logged."""
    _correct(ctx, "undo", None, yes)


@handled
def redo_command(ctx: typer.Context, yes: bool = YES) -> None:
    """Re-apply the change undone last, until a new change is made; the redo is logged."""
    _correct(ctx, "redo", None, yes)


@handled
def revert_command(
    ctx: typer.Context,
    number: int = typer.Argument(
        ..., metavar="N", help="The log entry to reverse (see 'assetreg log').", autocompletion=LOG_NUMBERS
    ),
    yes: bool = YES,
) -> None:
    """Reverse log entry N, unless a later entry changed the same thing; the revert is logged."""
    _correct(ctx, "revert", number, yes)
