"""Checking a registry against its change log (`verify`), and the log head people write down.

Reading only: no lock is taken and nothing is written, so `verify` runs beside a writer and in a
read-only folder. A log one entry ahead of the registry is a write in progress (or one a crash
interrupted), reported as such rather than as tampering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

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
    from assetreg.store import META, _read, journal_file, load_tables, pending_entry

    result = Verification()
    tables = load_tables(path, _read(path), keep_lines=False)
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
    if not log.problems:
        for kind in KINDS:  # one table at a time, let go once compared
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
