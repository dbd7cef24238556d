"""The registry file: TinyDB over a storage of our own.

One command = one lock, one read, at most one write:

- the lock is a separate `<file>.lock` (the data file itself is replaced);
- the write goes to a temp file in the same folder, is flushed and fsynced,
  then `os.replace`d over the file, and the folder is fsynced;
- the file carries a schema version; a newer, empty, truncated or non-JSON
  file is refused and left as it is;
- before the write, the change-log entry is appended to `<file>.journal`
  without its newline, and the previous file is kept as a hard link in
  `<file>.backups/`; once the file is in place the newline is appended: the
  entry's commit mark.

The meta record holds the journal's length in bytes (its last entry marked), so
an unmarked entry whose registry write never happened (a crash between the two)
is cut off by the next writer, while marked entries past the registry's (a
backup copied over it) refuse every write instead of being lost.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from assetreg.core.errors import BrokenRegistry, Conflict, InterruptedAfterWrite
from assetreg.core.journal import GENESIS, make_entry
from assetreg.core.registry import KINDS, SETTINGS_ID, Change, Record, Registry
from assetreg.core.settings import DEFAULTS
from assetreg.i18n import N_, _
from assetreg.store.atomic import atomic_write, linked, no_link, write_failed
from assetreg.store.backups import backup_dir, keep_backup, stage_backup
from assetreg.store.journal import LogState, append_journal, check_log, cut_journal, journal_file, mark_committed, os_user
from assetreg.store.layout import META, SCHEMA_VERSION, Tables, load_tables, read_raw
from assetreg.store.queue import locked


class RegistryStorage(Storage):
    """TinyDB storage that reads the file once and writes it only on `commit`."""

    def __init__(self, path: Path, initial: dict[str, Any] | None = None, *, writable: bool = True) -> None:
        self.path = path
        self.writable = writable
        self._data: Tables | None = Tables(path, parsed=initial) if initial is not None else None
        self.dirty = False

    def read(self) -> Tables:  # type: ignore[override]
        if self._data is None:
            self._data = load_tables(self.path, read_raw(self.path), keep_lines=self.writable)
        return self._data

    def write(self, data: Any) -> None:
        if data is not self._data:
            self._data = Tables(self.path, parsed=dict(data))
        self.dirty = True

    def append(self, kind: str, records: Mapping[str, Any]) -> bool:
        """New records for a table not parsed, kept as lines; False when it was parsed (use TinyDB)."""
        added = self.read().append(kind, records)
        self.dirty = self.dirty or added
        return added

    def commit(self, changed: Mapping[str, set[str]] | None = None) -> None:
        """Write the file; `changed` names the records to serialise afresh (None: every parsed one)."""
        if self.dirty and self._data is not None:
            everything = {kind: set(self._data[kind]) for kind in self._data._parsed} if changed is None else changed
            atomic_write(self.path, self._data.dump(everything))
            self.dirty = False


class StrTable(Table):
    document_id_class = str  # type: ignore[assignment]


class RegistryDB(TinyDB):
    table_class = StrTable


@dataclass
class Session:
    """An open registry: TinyDB over our storage, and the core view of its records."""

    path: Path
    db: TinyDB
    storage: RegistryStorage
    registry: Registry
    meta: dict[str, Any]
    command: str = ""
    notes: list[str] = field(default_factory=list)
    entry: dict[str, Any] = field(default_factory=dict)  # more fields of this command's log entry (see undo)
    log: LogState | None = None  # the log as this writer found it (None: a reader)

    def save(self, adopted: list[Change] | None = None) -> int:
        """Write what the command changed: journal entry, backup, then the file. Returns changes saved.

        `adopted`: log these differences between the log and the records as they stand (`verify
        --adopt`), an entry even when there are none, and write the file with the records untouched."""
        changes = self.registry.changes() if adopted is None else adopted
        if not changes and adopted is None:
            return 0
        count = len(changes)
        seq = int(self.meta.get("log_seq", 0)) + 1
        now = datetime.now(UTC).isoformat(timespec="seconds")
        # the registry's name and creation date go into every entry: the chain holds them
        extra = {**self.entry, "registry": {"name": self.meta.get("name"), "created": self.meta.get("created")}}
        digest, line = make_entry(seq, self.meta.get("log_head", GENESIS), now, os_user(), self.command, changes, extra)
        journal, size = journal_file(self.path), int(self.meta.get("log_size", 0))
        try:
            self.meta["log_size"] = append_journal(journal, size, line, create=seq == 1)
        except OSError as error:  # a full disk, a read-only file: the log goes back to what it was
            cut_journal(journal, size)
            raise write_failed(self.path, error) from None
        self.meta.update(log_seq=seq, log_head=digest)
        changed: dict[str, dict[str, Record | None]] = {}  # kind -> id -> record after (None: removed)
        added: dict[str, set[str]] = {}
        for change in changes:
            changed.setdefault(change.kind, {})[change.id] = change.after
            if change.before is None:
                added.setdefault(change.kind, set()).add(change.id)
        del line, changes
        self.registry.saved()  # the records as they were are in the journal now: let them go
        if adopted is not None:
            changed.clear()  # the records stay as they are: only the log, the meta record and its checksums change
        for kind, records in changed.items():  # only the tables this command touched
            if added.get(kind, set()) == set(records) and self.storage.append(kind, records):
                continue  # new records in a table this command never parsed: written as new lines
            table = self.db.table(kind)
            new = added.get(kind, set())
            removed = [rid for rid, after in records.items() if after is None]
            edited = [rid for rid, after in records.items() if after is not None and rid not in new]
            if removed:
                table.remove(doc_ids=removed)  # type: ignore[arg-type]
            if edited:
                table.update(_replacer(self.registry.tables[kind]), doc_ids=edited)  # type: ignore[arg-type]
            if new:
                table.insert_multiple([Document(records[rid], doc_id=rid) for rid in records if rid in new])  # type: ignore[arg-type]
        self.db.table(META).update(lambda doc: doc.update(self.meta), doc_ids=[META])  # type: ignore[list-item]
        kept = int(self.registry.settings.get("backups_kept", DEFAULTS["backups_kept"]))
        inode = _inode(self.path)
        staged = None
        try:
            staged = stage_backup(self.path, kept)
            self.storage.commit({META: {META}, **{kind: set(records) for kind, records in changed.items()}})
        except BaseException as error:
            if _inode(self.path) != inode:  # the new file is in place: the write happened
                raise
            cut_journal(journal, size)  # nothing was written: the log, and every backup, as they were
            if staged is not None:
                staged.unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise write_failed(self.path, error) from None
            raise
        mark_committed(journal)
        keep_backup(self.path, staged, kept, seq - 1)
        return count


def _replacer(live: dict[str, Any]) -> Any:
    """A TinyDB update that makes each stored document equal the command's live record."""

    def replace(doc: Any) -> None:
        new = live[doc["id"]]
        if doc is not new:
            doc.clear()
            doc.update(new)

    return replace


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _clean_temp_files(path: Path) -> None:
    """Temp files of a writer that was killed; we hold the lock, so no writer is alive. A link in the
    place of one is refused (it was put there by someone else): removing it would hide that."""
    stale_files = [*path.parent.glob(f".{path.name}.tmp.*")]
    if no_link(backup_dir(path)).is_dir():
        stale_files += backup_dir(path).glob(".staged.*")
    for stale in stale_files:
        if stale.is_symlink():
            raise linked(stale)
    for stale in stale_files:
        with contextlib.suppress(OSError):
            stale.unlink()


def _session(path: Path, storage: RegistryStorage, command: str) -> Session:
    db = RegistryDB(storage=lambda: storage)  # type: ignore[arg-type]
    data = storage.read()

    def load(kind: str) -> dict[str, Any]:
        # The core works on the stored records themselves (no per-record copies: a province has 10^5
        # of them); its own table dicts let TinyDB's insert and remove apply the changes on save.
        return dict(data[kind]) if kind in data else {}

    meta = dict(db.table(META).get(doc_id=META) or {})  # type: ignore[call-overload]
    registry = Registry(name=str(meta.get("name", "")), loader=load, ids=data.ids)
    return Session(path, db, storage, registry, meta, command)


@contextlib.contextmanager
def open_registry(
    path: Path, command: str = "", *, write: bool = True, outside: bool = False, quiet: bool = False
) -> Iterator[Session]:
    """Lock (writers only), load once, yield; save once when the block ends without an error.

    A reader takes no lock and creates nothing: it reads the file as the last write left it. A table
    changed outside assetreg refuses every write but those given `outside` (`verify --adopt`, `backup
    restore`: the ways back); a reader goes on after a one-line warning (not when `quiet`: a roll-up refuses
    such a source itself), unless it needs a damaged table."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise BrokenRegistry(path, N_("is not a regular file"))
    if not path.exists():
        raise BrokenRegistry(path, N_("does not exist; create it with 'assetreg init'"))
    if write and not os.access(path, os.W_OK):
        raise BrokenRegistry(path, N_("is read-only; nothing was changed"))
    if write and not outside and not (_queue(path).exists() and _lock(path).exists()):
        _refusal(path, RegistryStorage(path, writable=False), repair=False)  # a refused first write makes no lock
    with locked(path, command) if write else contextlib.nullcontext():
        storage = RegistryStorage(path, writable=write)
        storage.read().strict = not outside  # restore and adopt read what is there (adopt checks it itself)
        changed = storage.read().outside
        if write and not outside:
            _refusal(path, storage, repair=True)
        session = _session(path, storage, command)
        if write:
            _clean_temp_files(path)
            session.log = check_log(path, session.meta, outside=outside)
        yield session
        if write:
            with _finish_before_interrupt():
                session.save()
        elif changed and not quiet:  # said once the reading went through (one that needs a damaged table is refused instead)
            sys.stderr.write(
                _("warning: registry {path} was changed outside assetreg ({tables}); 'assetreg verify' says what").format(
                    path=path, tables=", ".join(changed)
                )
                + "\n"
            )


def _queue(path: Path) -> Path:
    return path.with_name(path.name + ".queue")


def _lock(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _refusal(path: Path, storage: RegistryStorage, *, repair: bool) -> None:
    """Refuse a write to a registry damaged or changed outside assetreg, or whose log does not hold what it
    records. Without `repair`, before the lock (nothing is written or made: a registry copied without its
    lock and queue is left as it was when the write is refused); the checks are made again under it."""
    changed = storage.read().outside
    if changed:
        kind, line = next(iter(changed.items()))
        reason, params = _outside_reason(kind, line)
        raise BrokenRegistry(path, reason, **params)
    if not repair:
        check_log(path, storage.read()[META][META], repair=False)


@contextlib.contextmanager
def _finish_before_interrupt() -> Iterator[None]:
    """Ctrl-C during the write waits for it: a change is never left half made, and the user is told after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise InterruptedAfterWrite()


def _outside_reason(kind: str, line: int | None) -> tuple[str, dict[str, Any]]:
    """Why a write is refused: a table damaged at a line, or changed outside assetreg."""
    if line is not None:
        return N_("has a damaged record in {table} at line {line}; nothing was changed; restore a backup"), {
            "table": kind,
            "line": line,
        }
    reason = N_("was changed outside assetreg in {table}; nothing was changed; see 'assetreg verify', then 'verify --adopt'")
    return reason, {"table": kind}


def create_registry(path: Path, name: str, command: str) -> Session:
    """A new registry file with default settings; refuses to overwrite anything."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise Conflict("--registry", str(path), N_("already exists; nothing was changed"))
    if not path.parent.is_dir():
        raise BrokenRegistry(path, N_("cannot be created: its folder does not exist"))
    journal_file(path)  # a link in the log's place is refused before anything is made
    with locked(path, command):
        now = datetime.now(UTC).isoformat(timespec="seconds")
        meta = {"schema": SCHEMA_VERSION, "name": name, "created": now, "log_seq": 0, "log_head": GENESIS, "log_size": 0}
        initial: dict[str, Any] = {META: {META: meta}, **{kind: {} for kind in KINDS}}
        old_journal = journal_file(path)
        if old_journal.exists():  # a journal whose registry is gone: keep it, out of the way
            old_journal.rename(old_journal.with_name(old_journal.name + "." + now.replace(":", "")))
        storage = RegistryStorage(path, initial)
        session = _session(path, storage, command)
        session.registry.insert("settings", {"id": SETTINGS_ID, **DEFAULTS})
        storage.dirty = True
        session.save()
        return session
