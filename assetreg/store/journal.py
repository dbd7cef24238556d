"""The change log beside the registry (`<file>.journal`): append, repair, read, head."""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from assetreg.core.errors import BrokenRegistry
from assetreg.core.journal import GENESIS, parse_entry
from assetreg.i18n import N_
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
    journal = journal_path(path)
    if journal.is_symlink() or (journal.exists() and not journal.is_file()):
        raise BrokenRegistry(journal, N_("is not a regular file"))
    return journal


def append_journal(path: Path, size: int, line: Sequence[bytes | memoryview]) -> int:
    """Append one entry's line, given in pieces, to a journal of exactly `size` bytes; the new size."""
    with open(path, "ab+") as handle:
        if handle.seek(0, os.SEEK_END) != size:
            raise BrokenRegistry(path, N_("does not match the registry; run 'assetreg verify'"))
        for piece in line:
            handle.write(piece)
        handle.flush()
        os.fsync(handle.fileno())
    return size + sum(len(piece) for piece in line)


def pending_entry(tail: bytes, seq: int, prev: str) -> bool:
    """Whether `tail`, what the log holds past the entries the registry records, is a single entry
    (whole or partly written) that continues the chain as entry `seq`: a write in progress, or one a
    crash interrupted between its two steps. Anything else is for `verify` to report."""
    body = tail[:-1] if tail.endswith(b"\n") else tail
    if not tail or b"\n" in body:
        return False
    if not tail.endswith(b"\n"):
        return True  # still being written, or cut short by a crash
    try:
        entry = parse_entry(body, changes=False)
    except ValueError:
        return False
    return entry.get("seq") == seq and entry.get("prev") == prev


def repair_journal(path: Path, meta: dict[str, Any]) -> None:
    """Cut off the one entry a crash left between the journal append and the registry write (the
    caller holds the lock, so no write is in progress). Anything else is left for `verify` to report."""
    journal = journal_file(path)
    size = int(meta.get("log_size", 0))
    if not journal.exists() or journal.stat().st_size <= size:
        return
    with open(journal, "rb+") as handle:
        if size:
            handle.seek(size - 1)
            if handle.read(1) != b"\n":
                return
        handle.seek(size)
        if not pending_entry(handle.read(), int(meta.get("log_seq", 0)) + 1, meta.get("log_head", GENESIS)):
            return
        handle.truncate(size)
        handle.flush()
        os.fsync(handle.fileno())


def read_journal(path: Path, size: int | None = None, *, changes_from: int = 1) -> Iterator[dict[str, Any]]:
    """The log's entries, read one line at a time (a province's log is hundreds of megabytes); only
    its first `size` bytes when given; the changes only of entries from number `changes_from` on."""
    journal = journal_file(path)
    if not journal.exists():
        return
    left = journal.stat().st_size if size is None else size
    with journal.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if left <= 0:
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
    with contextlib.suppress(OSError), open(journal, "rb+") as handle:
        handle.truncate(size)
        os.fsync(handle.fileno())
