"""The change log beside the registry (`<file>.journal`): append, repair, read, head."""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from assetreg.core.errors import BrokenRegistry
from assetreg.core.journal import GENESIS, intact_hash, parse_entry
from assetreg.i18n import N_
from assetreg.store.atomic import no_link, open_beside
from assetreg.store.layout import META, load_tables, read_raw


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def journal_file(path: Path) -> Path:
    """The registry's log, refused like the registry itself when it is a link or not a regular file."""
    journal = no_link(journal_path(path))
    if journal.exists() and not journal.is_file():
        raise BrokenRegistry(journal, N_("is not a regular file"))
    return journal


# The commit mark. An entry is written in two steps around the registry write: its line without the
# newline, then (once the registry holds it) the newline. So the log tells a write that never completed
# (a last line without its newline: cut by the next writer) from entries written and acknowledged that
# the registry no longer holds (a backup copied over it: writes refused, `verify` says so).
MARK = b"\n"


def append_journal(path: Path, size: int, line: Sequence[bytes | memoryview], *, create: bool = False) -> int:
    """Append one entry's line, given in pieces, without its commit mark, to a log of exactly `size`
    bytes (made only when `create`: a new registry, a new log); the size it has once marked."""
    fd = open_beside(path, os.O_WRONLY | os.O_APPEND | (os.O_CREAT if create else 0))
    with os.fdopen(fd, "ab") as handle:
        if os.fstat(fd).st_size != size:
            raise BrokenRegistry(path, N_("does not match the registry; run 'assetreg verify'"))
        pieces = [*line[:-1], bytes(line[-1]).removesuffix(MARK)] if line else []
        for piece in pieces:
            handle.write(piece)
        handle.flush()
        os.fsync(fd)
    return size + sum(len(piece) for piece in pieces) + len(MARK)


def mark_committed(path: Path) -> None:
    """The last entry's commit mark, once the registry write that holds it is in place. A crash before
    it leaves the entry unmarked with the registry holding it: the next writer marks it."""
    with contextlib.suppress(OSError), os.fdopen(open_beside(path, os.O_WRONLY | os.O_APPEND), "ab") as handle:
        handle.write(MARK)
        handle.flush()
        os.fsync(handle.fileno())


def pending_entry(tail: bytes, seq: int, prev: str) -> bool:
    """Whether `tail`, what the log holds past the entries the registry records, is one entry without its
    commit mark: a write in progress, or one a crash interrupted before the registry held it (`seq` and
    `prev` are kept for the callers of version 2; an unmarked line is never checked further)."""
    return bool(tail) and MARK not in tail


@dataclass
class LogState:
    """The log as a writer found it: where its last marked entry ends, how many entries that is, and the
    entries past the registry's that were written and acknowledged (a registry behind its log)."""

    end: int
    count: int
    behind: tuple[int, int] | None = None


def _line_ending_at(handle: BinaryIO, end: int) -> bytes:
    """The whole line that ends at byte `end` (its newline included)."""
    start, step = end - 1, 1 << 16
    while start > 0:
        handle.seek(max(0, start - step))
        chunk = handle.read(start - max(0, start - step))
        found = chunk.rfind(MARK)
        if found >= 0:
            start = start - len(chunk) + found + 1
            break
        start -= len(chunk)
    start = max(start, 0)
    handle.seek(start)
    return handle.read(end - start)


def check_log(path: Path, meta: Mapping[str, Any], *, outside: bool = False, repair: bool = True) -> LogState:
    """What a writer checks of the log before it adds to it (under the lock, so no write is in progress):
    the log exists, holds what the registry records, and its last entry is intact and the one the
    registry records, name and creation date included. An entry left without its commit mark is cut (its
    write never completed) or marked (the registry holds it). Entries past the registry's that were
    marked refuse the write, unless `outside` (the ways back, which keep them in the log). Without
    `repair` (no lock held) nothing is cut or marked, and an unmarked last line is taken as it would be."""
    journal = journal_file(path)
    seq, size, head = int(meta.get("log_seq", 0)), int(meta.get("log_size", 0)), str(meta.get("log_head", GENESIS))
    if not journal.exists():
        if seq == 0 or outside:
            return LogState(0, 0)
        raise BrokenRegistry(journal, N_("is missing; nothing was changed; 'assetreg verify --adopt' starts a new log"))
    with os.fdopen(open_beside(journal, os.O_RDWR if repair else os.O_RDONLY), "rb+" if repair else "rb") as handle:
        length = os.fstat(handle.fileno()).st_size
        if size and length == size - len(MARK):
            handle.seek(length - 1)
            unmarked = handle.read(1) != MARK
            if unmarked and not repair:
                return LogState(length, seq)
            if unmarked:  # the registry holds the last entry; its mark was not written
                handle.seek(length)
                handle.write(MARK)
                handle.flush()
                os.fsync(handle.fileno())
                length = size
        if length < size and not outside:
            reason = N_(
                "is shorter than the registry records ({length} of {size} bytes); nothing was changed; see 'assetreg verify'"
            )
            raise BrokenRegistry(journal, reason, length=length, size=size)
        if seq and length >= size and not outside:
            _check_last(journal, _line_ending_at(handle, size), meta, seq, head)
        handle.seek(min(size, length))
        tail = handle.read()
        marked = tail.rfind(MARK) + 1  # the tail's entries up to the last mark were acknowledged
        count = tail.count(MARK, 0, marked)
        if len(tail) > marked and repair:  # an entry whose write never completed (no writer is at work): cut
            handle.truncate(min(size, length) + marked)
            handle.flush()
            os.fsync(handle.fileno())
    state = LogState(min(size, length) + marked, seq + count, (seq + 1, seq + count) if count else None)
    if state.behind and not outside:
        reason = N_(
            "is behind its log: entries {first} to {last} were written and acknowledged but the registry does not hold them "
            "(a backup copied over it?); nothing was changed; 'assetreg backup restore N' or 'assetreg verify --adopt' "
            "keeps them in the log"
        )
        raise BrokenRegistry(path, reason, first=state.behind[0], last=state.behind[1])
    return state


def _check_last(journal: Path, line: bytes, meta: Mapping[str, Any], seq: int, head: str) -> None:
    """The log's last entry the registry records must be intact, and be that entry (with its name and date)."""
    try:
        entry = parse_entry(line, changes=False)
    except ValueError:
        entry = {}
    recorded = entry.get("registry", {"name": meta.get("name"), "created": meta.get("created")})
    if entry.get("seq") != seq or entry.get("hash") != head or intact_hash(line) != head:
        reason = N_(
            "log entry {seq}, the last the registry records, is not what was written; nothing was changed; see 'assetreg verify'"
        )
        raise BrokenRegistry(journal, reason, seq=seq)
    if recorded != {"name": meta.get("name"), "created": meta.get("created")}:
        reason = N_(
            "the registry's name or creation date is not what its log records; nothing was changed; see 'assetreg verify'"
        )
        raise BrokenRegistry(journal.with_name(journal.name.removesuffix(".journal")), reason)


def read_journal(path: Path, size: int | None = None, *, changes_from: int = 1) -> Iterator[dict[str, Any]]:
    """The log's entries, read one line at a time (a province's log is hundreds of megabytes); only
    its first `size` bytes when given, else its marked entries; the changes only of entries from number
    `changes_from` on."""
    journal = journal_file(path)
    if not journal.exists():
        return
    with os.fdopen(open_beside(journal, os.O_RDONLY), "rb") as handle:
        left = os.fstat(handle.fileno()).st_size if size is None else size
        for number, line in enumerate(handle, start=1):
            if left <= 0 or (size is None and not line.endswith(MARK)):  # unmarked: a write in progress
                return
            line, left = line[:left], left - len(line)
            try:
                yield parse_entry(line, changes=number >= changes_from)
            except ValueError:
                raise BrokenRegistry(journal, N_("log entry {number} is damaged (not an entry's JSON)"), number=number) from None


def log_head(source: Path | Mapping[str, Any]) -> tuple[int, str]:
    """The log head the registry records, (number of the last entry, its SHA-256 hex): from an open
    session's `meta`, or read from the file at `path` (no lock: the file is only ever replaced whole)."""
    meta = (
        source if isinstance(source, Mapping) else load_tables(Path(source), read_raw(Path(source)), keep_lines=False)[META][META]
    )
    return int(meta.get("log_seq", 0)), str(meta.get("log_head", GENESIS))


def head_text(head: tuple[int, str], digits: int = 16) -> str:
    """`N:HASH` as documents print it (the first `digits` hex digits; `verify --expect` takes 16 or more)."""
    return f"{head[0]}:{head[1][:digits]}"


def cut_journal(journal: Path, size: int) -> None:
    with contextlib.suppress(OSError, BrokenRegistry), os.fdopen(open_beside(journal, os.O_RDWR), "rb+") as handle:
        handle.truncate(size)
        os.fsync(handle.fileno())
