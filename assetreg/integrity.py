"""Checking a registry against its change log (`verify`), and the log head people write down.

Reading only: no lock is taken and nothing is written, so `verify` runs beside a writer and in a
read-only folder. A log one entry ahead of the registry is a write in progress (or one a crash
interrupted), reported as such rather than as tampering.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assetreg.core.errors import InvalidValue
from assetreg.core.journal import GENESIS, Replay
from assetreg.core.registry import KINDS
from assetreg.i18n import N_, _

_HEAD = re.compile(r"^([0-9]{1,12}):([0-9a-fA-F]{16,64})$")


def parse_head(text: str) -> tuple[int, str]:
    """`N:HASH` as `verify` prints it and documents carry it: 16 to 64 hex digits of entry N's hash."""
    match = _HEAD.match(text.strip())
    if match is None:
        raise InvalidValue("--expect", text, N_("not a log head N:HASH (an entry number, a colon, 16 to 64 hex digits)"))
    return int(match.group(1)), match.group(2).lower()


@dataclass
class Verification:
    head: tuple[int, str] = (0, GENESIS)  # the log's last entry, as the log itself says
    entries: int = 0
    records: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth saying, not a failure

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(path: Path, expect: tuple[int, str] | None = None) -> Verification:
    """The hash chain, the registry's record of it, every record against the log, and `expect`.

    The registry is checked as last written against the log up to its entry; entries after it are work
    in progress when the registry was replaced while verify read (or their write is unmarked), and a
    registry behind its log otherwise."""
    import os

    from assetreg.store import META, journal_file, load_tables, read_raw
    from assetreg.store.atomic import open_beside

    result = Verification()
    try:  # held open while verify runs, so that its inode is not reused: a registry replaced meanwhile is told
        pinned: Any = open(path, "rb")  # noqa: SIM115
    except OSError:
        pinned = None
    try:
        tables = load_tables(path, read_raw(path), keep_lines=False)
        tables.strict = False  # every invalid field is listed below, not just the first
        meta = tables[META][META]
        seq, head, size = int(meta.get("log_seq", 0)), str(meta.get("log_head", GENESIS)), int(meta.get("log_size", 0))
        journal = journal_file(path)
        if not journal.exists():
            missing = _("the log {path} is missing; 'assetreg verify --adopt' starts a new one")
            result.problems.append(missing.format(path=journal))
            return result
        log, expected_hash, offset, tail, marked = Replay(), None, 0, b"", True
        names = _Names()
        with os.fdopen(open_beside(journal, os.O_RDONLY), "rb") as handle:  # the registry's entries, then what follows
            for number, line in enumerate(handle, start=1):
                if number > seq:
                    tail = line + handle.read()
                    break
                entry = _entry(journal, number, line)
                names.add(number, entry, result.problems)
                log.add(entry)  # and let go: only each record's last state is kept
                offset, marked = offset + len(line), line.endswith(b"\n")
                if expect and number == expect[0]:
                    expected_hash = log.head
        replaced = pinned is not None and os.stat(path).st_ino != os.fstat(pinned.fileno()).st_ino
    finally:
        if pinned is not None:
            pinned.close()
    if not marked and tail.startswith(b"\n"):  # its mark was written as verify read the line
        offset, marked, tail = offset + 1, True, tail[1:]
    result.entries, result.head = log.count, (log.count, log.head)
    result.problems += [_("{entry} is not what was written (its sequence, link or hash)").format(entry=p) for p in log.problems]
    if log.count == seq and offset == size - 1 and not marked and not tail:
        result.notes.append(
            _(
                "log entry {n} is in the registry but not yet marked as written: a write finishing, or one interrupted "
                "(the next write marks it)"
            ).format(n=seq)
        )
    elif log.count == seq and offset != size:
        result.problems.append(
            _("the registry records a log of {size} bytes up to entry {seq}, but those entries take {offset}").format(
                size=size, seq=seq, offset=offset
            )
        )
    if tail:
        _judge_tail(result, tail, seq, log.head, replaced=replaced)
    if not log.problems and (log.count, log.head) != (seq, head):
        result.problems.append(
            _("the registry records the log head {registry} but the log's is {log}").format(
                registry=f"{seq}:{head[:16]}", log=f"{log.count}:{log.head[:16]}"
            )
        )
    if expect:
        n, digits = expect
        if expected_hash is None:
            result.problems.append(
                _("log entry {n} was expected (head {expect}) but the log has only {count} entries: it was rolled back").format(
                    n=n, expect=f"{n}:{digits[:16]}", count=log.count
                )
            )
        elif not expected_hash.startswith(digits):
            result.problems.append(
                _("log entry {n} has the hash {actual}, not the expected {expect}: the history was rewritten").format(
                    n=n, actual=expected_hash[:16], expect=digits[:16]
                )
            )
    for kind, where in tables.outside.items():
        result.problems.append(_outside_problem(kind, where))
    if names.last is not None and names.last != {"name": meta.get("name"), "created": meta.get("created")}:
        result.problems.append(
            _(
                "the registry's name or creation date ({name}, {created}) is not what its log records ({log_name}, {log_created})"
            ).format(
                name=meta.get("name"),
                created=meta.get("created"),
                log_name=names.last.get("name"),
                log_created=names.last.get("created"),
            )
        )
    for kind in KINDS:
        if tables.outside.get(kind) is None and kind in tables:
            result.problems += [describe(problem) for problem in tables.invalid(kind)]
    if not log.problems:
        for kind in KINDS:  # one table at a time, let go once compared
            if tables.outside.get(kind) is not None:
                continue  # damaged: named above by its line
            table = tables.get(kind, {})
            result.problems += [_("record {id} differs from the log").format(id=rid) for rid in log.differences(kind, table)]
            result.records += len(table)
            tables.pop(kind, None)
    return result


class _Names:
    """The registry's name and creation date as the log's entries record them (version 3 on): the date
    never changes, the name only in an entry adopting an outside change."""

    def __init__(self) -> None:
        self.last: dict[str, Any] | None = None

    def add(self, number: int, entry: dict[str, Any], problems: list[str]) -> None:
        recorded = entry.get("registry")
        if not isinstance(recorded, dict):
            return
        if self.last is not None and recorded != self.last and "outside" not in entry:
            problems.append(_("log entry {n} changes the registry's name or creation date").format(n=number))
        self.last = recorded


def _judge_tail(result: Verification, tail: bytes, seq: int, prev: str, *, replaced: bool) -> None:
    """What the log holds past the registry's last entry: work in progress (the registry was replaced
    while verify read, or one unmarked entry), a registry behind its log (marked entries), or damage."""
    from assetreg.core.journal import intact_hash, parse_entry

    *marked, unmarked = tail.split(b"\n")
    for number, line in enumerate(marked, start=seq + 1):
        try:
            entry = parse_entry(line, changes=False)
        except ValueError:
            entry = {}
        if entry.get("seq") != number or entry.get("prev") != prev or intact_hash(line) != entry.get("hash"):
            result.problems.append(
                _("the log goes on {extra} bytes past entry {seq}, the last the registry records").format(
                    extra=len(tail), seq=seq
                )
            )
            return
        prev = entry["hash"]
    last = seq + len(marked) + bool(unmarked)
    if replaced:
        result.notes.append(
            _("log entries {first} to {last} were written while verify ran: work in progress, not checked").format(
                first=seq + 1, last=last
            )
        )
    elif marked:
        result.problems.append(
            _(
                "the registry is behind its log: entries {first} to {last} were written and acknowledged but the registry "
                "does not hold them (a backup copied over it?); 'assetreg backup restore N' or 'assetreg verify --adopt' "
                "keeps them in the log"
            ).format(first=seq + 1, last=seq + len(marked))
        )
    else:
        result.notes.append(
            _(
                "log entry {n} has no registry write yet: a write in progress, or one interrupted (the next write cuts it off)"
            ).format(n=seq + 1)
        )


def _entry(journal: Path, number: int, line: bytes) -> dict:
    from assetreg.core.errors import BrokenRegistry
    from assetreg.core.journal import parse_entry

    try:
        return parse_entry(line)
    except ValueError:
        raise BrokenRegistry(journal, N_("log entry {number} is damaged (not an entry's JSON)"), number=number) from None


def describe(error: InvalidValue) -> str:
    """An invalid stored field as one line: `assets A0001 events[1].amount '-5.00': must not be negative`."""
    params = {k: _(v) if isinstance(v, str) else v for k, v in error.params.items()}
    return _(error.template).format(field=error.field, value=f"'{error.value}'", reason=_(error.reason).format(**params))


def _outside_problem(kind: str, line: int | None) -> str:
    if line is not None:
        return _("table {table} has a damaged record at line {line}").format(table=kind, line=line)
    if kind == "meta":
        return _("the meta record (the registry's name, when it was created) was changed outside assetreg")
    return _("table {table} was changed outside assetreg").format(table=kind)


def adopt(path: Path, command: str, confirm: Callable[[list[str]], bool]) -> list[str]:
    """Record the registry as it stands as a new log entry ("adopted outside change"): each record that
    differs from the log, with the log's version as before. A missing log, or one whose chain is
    broken (kept beside it, renamed), is started afresh from the records as they stand. `confirm` is
    shown the differences; nothing is written unless it says yes. Returns the differences."""
    return take_back(path, command, confirm) or []


def restore(path: Path, command: str, backup: Path, confirm: Callable[[list[str]], bool]) -> list[str] | None:
    """Make the registry hold a kept version again, as a new log entry: works on a registry with a
    damaged line or behind its log, since it reads neither (the log says what the registry held)."""
    from assetreg.core.errors import BrokenRegistry
    from assetreg.store import load_tables
    from assetreg.store.backups import read_backup

    old = load_tables(backup, read_backup(backup), keep_lines=False)
    if old.outside:
        reason = N_("was changed outside assetreg ({tables}); it is not restored")
        raise BrokenRegistry(backup, reason, tables=", ".join(old.outside))
    return take_back(path, command, confirm, old)


def take_back(path: Path, command: str, confirm: Callable[[list[str]], bool], target: Any = None) -> list[str] | None:
    """The ways back, as one new log entry: the registry comes to hold `target` (a backup's tables), or
    without one its records as they stand (`verify --adopt`). The entry holds each record that differs
    from what the log says, the log's version as before, and names the log's entries the registry no
    longer holds (`not_held`): the log stays whole. A missing log, or one whose chain is broken or does
    not hold the registry's last entry (kept beside it, renamed), is started afresh from the records.
    None: a restore with nothing to do."""
    from datetime import UTC, datetime

    from assetreg.core.errors import BrokenRegistry
    from assetreg.core.registry import Change
    from assetreg.store import journal_file, open_registry, read_journal

    with open_registry(path, command, outside=True) as s:
        tables = s.storage.read()
        if target is None:
            for kind, where in tables.outside.items():
                if where is not None:
                    reason = N_("has a damaged record in {table} at line {line}; restore a backup")
                    raise BrokenRegistry(path, reason, table=kind, line=where)
            for kind in KINDS:  # a record assetreg would not have stored is not blessed: named, nothing adopted
                for problem in tables.invalid(kind):
                    raise problem
        assert s.log is not None
        seq, head = int(s.meta.get("log_seq", 0)), s.meta.get("log_head")
        held_at = int(target["meta"]["meta"].get("log_seq", 0)) if target is not None else seq
        journal = journal_file(path)
        lines = [_outside_problem(kind, where) for kind, where in tables.outside.items()]
        log, kept, on_chain = Replay(), None, seq == 0
        if journal.exists():
            for entry in read_journal(path, s.log.end):
                log.add(entry)
                on_chain = on_chain or (log.count == seq and log.head == head)
        if not journal.exists() or log.problems or not on_chain:
            if journal.exists():  # kept for whoever needs to see it; the new log starts with every record
                kept = journal.with_name(journal.name + ".broken-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S"))
                lines.append(_("the log does not match the registry; it is kept as {path}, a new log starts").format(path=kept))
            else:
                lines.append(_("the log is missing; a new log starts with every record as it stands"))
            log = Replay()
            s.meta.update(log_seq=0, log_head=GENESIS, log_size=0)
        else:
            s.meta.update(log_seq=log.count, log_head=log.head, log_size=s.log.end)
            if held_at < log.count:
                s.entry["not_held"] = [held_at + 1, log.count]
                lines.append(
                    _("the registry will not hold log entries {first} to {last}; they stay in the log").format(
                        first=held_at + 1, last=log.count
                    )
                )
        records = target if target is not None else s.registry.tables
        wanted = {
            kind: set(log.differences(kind, records.get(kind, {}) if target is not None else records[kind])) for kind in KINDS
        }
        before: dict[str, Any] = {}
        if log.count:
            for entry in read_journal(path, int(s.meta.get("log_size", 0))):  # the log's version of each
                for change in entry["changes"]:
                    if f"{change['kind']}/{change['id']}" in wanted.get(change["kind"], ()):
                        before[f"{change['kind']}/{change['id']}"] = change["after"]
        changes = [
            Change(kind, rid.split("/", 1)[1], before.get(rid), records[kind].get(rid.split("/", 1)[1]))
            for kind in KINDS
            for rid in sorted(wanted[kind])
        ]
        if target is not None and not changes and not lines:
            return None  # the registry already holds the backup's records: nothing to write
        if log.count and target is None:
            lines += [_("record {id} differs from the log").format(id=f"{c.kind}/{c.id}") for c in changes]
        if not confirm(lines if target is None else _counts(changes) + lines):
            return lines
        if kept is not None and journal.exists():
            journal.rename(kept)
        if target is not None:
            for kind in KINDS:  # the backup's tables, written afresh: a damaged one is never parsed
                tables[kind] = target.get(kind, {}) if kind in target else {}
        else:
            s.entry["outside"] = "adopted"  # extra fields sort after "changes" (make_entry)
        s.save(changes)
    return lines


def _counts(changes: list[Any]) -> list[str]:
    """What a restore changes, a line per table: records that come back, go, change."""
    lines = []
    for kind in KINDS:
        mine = [c for c in changes if c.kind == kind]
        if mine:
            lines.append(
                _("{kind}: {added} come back, {removed} go, {changed} change").format(
                    kind=kind,
                    added=sum(c.before is None for c in mine),
                    removed=sum(c.after is None for c in mine),
                    changed=sum(c.before is not None and c.after is not None for c in mine),
                )
            )
    return lines
