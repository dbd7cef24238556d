"""assetreg undo | redo | revert N: a past change reversed, or re-applied, as a new logged change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from assetreg.cli.common import confirm, env, fail, handled, info
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
    "transfers": N_("transfers"),
    "events": N_("value history"),
    "actions": N_("actions"),
    "status_history": N_("status history"),
    "restructuring_history": N_("restructuring history"),
}
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
    from assetreg.cli.admin import journal_entries
    from assetreg.core import correct
    from assetreg.core.errors import InvalidValue

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
    return target, entry, moves


def _show(entry: dict[str, Any], moves: list[Delta]) -> None:
    from assetreg.core.correct import describe
    from assetreg.render.text import clean

    info(
        _("Entry {n}, {time}, {user}: {command}").format(
            n=entry["seq"], time=entry["time"], user=clean(entry["user"]), command=clean(with_correction(entry))
        )
    )
    lines = list(describe(moves))
    for line in lines[:SHOWN]:
        params = {k: clean(_shown(k, v, line.params.get("field"))) for k, v in line.params.items()}
        info("  " + _(line.message).format(**params))
    if len(lines) > SHOWN:
        info("  " + _("… and {count} more").format(count=len(lines) - SHOWN))


def _shown(key: str, value: Any, field: str | None) -> str:
    """A value of the preview as tables show it: names and choices in the language, money with separators."""
    from assetreg.core.records import FIELD_LABELS

    if key == "kind":  # the record's kind
        return _(value)
    if key == "field":
        return _(LISTS[value]) if value in LISTS else _(FIELD_LABELS.get(value, value))
    if key == "item":  # a payment, an event, an action: its values, date and kind first
        first = [n for n in ("date", "kind", "amount") if n in value]
        order = first + sorted(n for n in value if n not in first)
        return " ".join(_value(n, value[n]) for n in order if value[n] not in (None, "", []))
    return _value(field, value) if key in ("old", "new") else str(value)


def _value(field: str | None, value: Any) -> str:
    from assetreg.render.text import label, money

    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(_value(field, v) for v in value)
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
            fail(_("nothing was changed"))
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
    ctx: typer.Context, number: int = typer.Argument(..., help="The log entry to reverse (see 'assetreg log')."), yes: bool = YES
) -> None:
    """Reverse log entry N, unless a later entry changed the same thing; the revert is logged."""
    _correct(ctx, "revert", number, yes)
