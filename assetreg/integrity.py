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
    """The hash chain, the registry's record of it, every record against the log, and `expect`."""
    from assetreg.store import META, journal_file, load_tables, pending_entry, read_raw

    result = Verification()
    tables = load_tables(path, read_raw(path), keep_lines=False)
    tables.strict = False  # every invalid field is listed below, not just the first
    meta = tables[META][META]
    seq, head, size = int(meta.get("log_seq", 0)), str(meta.get("log_head", GENESIS)), int(meta.get("log_size", 0))
    journal = journal_file(path)
    if not journal.exists():
        result.problems.append(_("the log {path} is missing; 'assetreg verify --adopt' starts a new one").format(path=journal))
        return result
    log, expected_hash, offset, tail = Replay(), None, 0, b""
    with journal.open("rb") as handle:  # the entries the registry records, then what follows them
        for number, line in enumerate(handle, start=1):
            if number > seq:
                tail = line + handle.read()
                break
            log.add(_entry(journal, number, line))  # and let go: only each record's last state is kept
            offset += len(line)
            if expect and number == expect[0]:
                expected_hash = log.head
    result.entries, result.head = log.count, (log.count, log.head)
    result.problems += [_("{entry} is not what was written (its sequence, link or hash)").format(entry=p) for p in log.problems]
    if log.count == seq and offset != size:
        result.problems.append(
            _("the registry records a log of {size} bytes up to entry {seq}, but those entries take {offset}").format(
                size=size, seq=seq, offset=offset
            )
        )
    elif offset == size and pending_entry(tail, seq + 1, log.head):
        result.notes.append(
            _(
                "log entry {n} has no registry write yet: a write in progress, or one interrupted (the next write cuts it off)"
            ).format(n=seq + 1)
        )
    elif tail:
        result.problems.append(
            _("the log goes on {extra} bytes past entry {seq}, the last the registry records").format(extra=len(tail), seq=seq)
        )
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
    from datetime import UTC, datetime

    from assetreg.core.errors import BrokenRegistry
    from assetreg.core.registry import Change
    from assetreg.store import journal_file, open_registry, read_journal

    with open_registry(path, command, outside=True) as s:
        tables = s.storage.read()
        for kind, where in tables.outside.items():
            if where is not None:
                reason = N_("has a damaged record in {table} at line {line}; restore a backup")
                raise BrokenRegistry(path, reason, table=kind, line=where)
        for kind in KINDS:  # a record assetreg would not have stored is not blessed: named, nothing adopted
            for problem in tables.invalid(kind):
                raise problem
        journal = journal_file(path)
        log, lines, kept = Replay(), [_outside_problem(kind, None) for kind in tables.outside], None
        if journal.exists():
            for entry in read_journal(path, int(s.meta.get("log_size", 0))):
                log.add(entry)
        if not journal.exists() or log.problems or (log.count, log.head) != (s.meta.get("log_seq"), s.meta.get("log_head")):
            if journal.exists():  # kept for whoever needs to see it; the new log starts with every record
                kept = journal.with_name(journal.name + ".broken-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S"))
                lines.append(_("the log does not match the registry; it is kept as {path}, a new log starts").format(path=kept))
            else:
                lines.append(_("the log is missing; a new log starts with every record as it stands"))
            log = Replay()
            s.meta.update(log_seq=0, log_head=GENESIS, log_size=0)
        wanted = {kind: set(log.differences(kind, s.registry.tables[kind])) for kind in KINDS}
        before: dict[str, Any] = {}
        if log.count:
            for entry in read_journal(path, int(s.meta.get("log_size", 0))):  # the log's version of each
                for change in entry["changes"]:
                    if f"{change['kind']}/{change['id']}" in wanted.get(change["kind"], ()):
                        before[f"{change['kind']}/{change['id']}"] = change["after"]
        changes = [
            Change(kind, rid.split("/", 1)[1], before.get(rid), s.registry.tables[kind].get(rid.split("/", 1)[1]))
            for kind in KINDS
            for rid in sorted(wanted[kind])
        ]
        if log.count:
            lines += [_("record {id} differs from the log").format(id=f"{c.kind}/{c.id}") for c in changes]
        if not confirm(lines):
            return lines
        if kept is not None and journal.exists():
            journal.rename(kept)
        s.entry["outside"] = "adopted"  # extra fields sort after "changes" (make_entry)
        s.save(changes)
    return lines
