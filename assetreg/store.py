"""The registry file: TinyDB over a storage of our own.

One command = one lock, one read, at most one write:

- the lock is a separate `<file>.lock` (the data file itself is replaced);
- the write goes to a temp file in the same folder, is flushed and fsynced,
  then `os.replace`d over the file, and the folder is fsynced;
- the file carries a schema version; a newer, empty, truncated or non-JSON
  file is refused and left as it is;
- before the write, the change-log entry is appended to `<file>.journal` and
  the previous file is kept as a hard link in `<file>.backups/`.

The meta record holds the journal's length in bytes, so a journal entry whose
registry write never happened (a crash between the two) is cut off on the
next open instead of being mistaken for tampering.
"""

from __future__ import annotations

import contextlib
import gc
import getpass
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from assetreg.core.errors import BrokenRegistry, Conflict
from assetreg.core.journal import GENESIS, make_entry
from assetreg.core.registry import KINDS, SETTINGS_ID, Registry
from assetreg.core.settings import DEFAULTS
from assetreg.i18n import N_

SCHEMA_VERSION = 1
META = "meta"


def lock_timeout() -> float:
    try:
        return float(os.environ.get("ASSETREG_LOCK_TIMEOUT", "15"))
    except ValueError:
        return 15.0


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file."""
    tmp = path.with_name(f".{path.name}.tmp.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(path.parent)


def parse_registry(path: Path, raw: bytes) -> dict[str, Any]:
    """The file's tables, or BrokenRegistry saying why it cannot be trusted."""
    if not raw.strip():
        raise BrokenRegistry(path, N_("is empty; restore a backup (assetreg backup list)"))
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BrokenRegistry(path, N_("is not valid JSON (truncated or damaged); restore a backup")) from None
    meta = data.get(META, {}).get(META) if isinstance(data, dict) else None
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int):
        raise BrokenRegistry(path, N_("is not an assetreg registry"))
    if meta["schema"] > SCHEMA_VERSION:
        raise BrokenRegistry(
            path, N_("was written by a newer assetreg (schema {schema}); upgrade assetreg"), schema=meta["schema"]
        )
    for kind in KINDS:
        if not isinstance(data.get(kind, {}), dict):
            raise BrokenRegistry(path, N_("is not an assetreg registry"))
    return data


class RegistryStorage(Storage):
    """TinyDB storage that reads the file once and writes it only on `commit`."""

    def __init__(self, path: Path, initial: dict[str, Any] | None = None) -> None:
        self.path = path
        self._data = initial
        self.dirty = False

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                raise BrokenRegistry(self.path, N_("does not exist; create it with 'assetreg init'")) from None
            except IsADirectoryError:
                raise BrokenRegistry(self.path, N_("is a folder, not a registry file")) from None
            # Millions of small objects: the cyclic GC would rescan them again and again while they are
            # created (3x the parse time at 100k assets). They hold no cycles; freeze them once made.
            gc.disable()
            try:
                self._data = parse_registry(self.path, raw)
            finally:
                gc.freeze()
                gc.enable()
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self.dirty = True

    def commit(self) -> None:
        if self.dirty and self._data is not None:
            atomic_write(self.path, orjson.dumps(self._data))
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

    def save(self) -> int:
        """Write what the command changed: journal entry, backup, then the file. Returns changes saved."""
        changes = self.registry.changes()
        if not changes:
            return 0
        seq = int(self.meta.get("log_seq", 0)) + 1
        now = datetime.now(UTC).isoformat(timespec="seconds")
        entry = make_entry(seq, self.meta.get("log_head", GENESIS), now, os_user(), self.command, changes)
        self.meta["log_size"] = append_journal(journal_path(self.path), int(self.meta.get("log_size", 0)), entry)
        self.meta.update(log_seq=seq, log_head=entry["hash"])
        for kind in KINDS:
            table = self.db.table(kind)
            live = self.registry.tables[kind]
            mine = [c for c in changes if c.kind == kind]
            added = [Document(c.after, doc_id=c.id) for c in mine if c.before is None and c.after is not None]  # type: ignore[arg-type]
            edited = {c.id for c in mine if c.before is not None and c.after is not None}
            removed = [c.id for c in mine if c.after is None and c.before is not None]
            if removed:
                table.remove(doc_ids=removed)  # type: ignore[arg-type]
            if edited:
                table.update(_replacer(live), doc_ids=list(edited))  # type: ignore[arg-type]
            if added:
                table.insert_multiple(added)
        self.db.table(META).update(lambda doc: doc.update(self.meta), doc_ids=[META])  # type: ignore[list-item]
        keep_backup(self.path, int(self.registry.settings.get("backups_kept", DEFAULTS["backups_kept"])), seq - 1)
        self.storage.commit()
        return len(changes)


def _replacer(live: dict[str, Any]) -> Any:
    """A TinyDB update that makes each stored document equal the command's live record."""

    def replace(doc: Any) -> None:
        new = live[doc["id"]]
        if doc is not new:
            doc.clear()
            doc.update(new)

    return replace


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def append_journal(path: Path, size: int, entry: dict[str, Any]) -> int:
    """Append one entry to a journal of exactly `size` bytes; the new size."""
    line = orjson.dumps(entry) + b"\n"
    with open(path, "ab+") as handle:
        if handle.seek(0, os.SEEK_END) != size:
            raise BrokenRegistry(path, N_("does not match the registry; run 'assetreg verify'"))
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    return size + len(line)


def repair_journal(path: Path, meta: dict[str, Any]) -> None:
    """Cut off the one entry a crash left between the journal append and the registry write.

    Only a single trailing entry (whole or partly written) that continues the chain is cut; anything
    else is left for `verify` to report, never silently "repaired".
    """
    journal = journal_path(path)
    size = int(meta.get("log_size", 0))
    if not journal.exists() or journal.stat().st_size <= size:
        return
    with open(journal, "rb+") as handle:
        if size:
            handle.seek(size - 1)
            if handle.read(1) != b"\n":
                return
        handle.seek(size)
        tail = handle.read()
        body = tail[:-1] if tail.endswith(b"\n") else tail
        if b"\n" in body:
            return
        if tail.endswith(b"\n"):
            try:
                entry = orjson.loads(body)
            except orjson.JSONDecodeError:
                return
            if entry.get("seq") != int(meta.get("log_seq", 0)) + 1 or entry.get("prev") != meta.get("log_head", GENESIS):
                return
        handle.truncate(size)
        handle.flush()
        os.fsync(handle.fileno())


def backups(path: Path) -> list[Path]:
    """Kept versions, newest first."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.suffix == ".json"), key=lambda p: p.name, reverse=True)


def keep_backup(path: Path, kept: int, seq: int) -> None:
    """Keep the current file (about to be replaced) as a hard link: no copy, whatever its size."""
    if kept <= 0 or not path.exists():
        return
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{seq:08d}-{stamp}.json"
    try:
        os.link(path, target)
    except OSError:
        atomic_write(target, path.read_bytes())
    for old in backups(path)[kept:]:
        old.unlink()


def _clean_temp_files(path: Path) -> None:
    """Temp files of a writer that was killed; we hold the lock, so no writer is alive."""
    for stale in path.parent.glob(f".{path.name}.tmp.*"):
        with contextlib.suppress(OSError):
            stale.unlink()


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    lock = FileLock(str(path) + ".lock")
    try:
        lock.acquire(timeout=lock_timeout())
    except Timeout:
        raise Conflict("registry", str(path), N_("is in use by another assetreg command; try again")) from None
    try:
        yield
    finally:
        lock.release()


def _session(path: Path, storage: RegistryStorage, command: str) -> Session:
    db = RegistryDB(storage=lambda: storage)  # type: ignore[arg-type]
    data = storage.read() or {}
    # The core works on the stored records themselves (no per-record copies: a province has 10^5 of
    # them); its own table dicts let TinyDB's insert and remove apply the command's changes on save.
    tables: dict[str, dict[str, Any]] = {kind: dict(data.get(kind, {})) for kind in KINDS}
    meta = dict(db.table(META).get(doc_id=META) or {})  # type: ignore[call-overload]
    registry = Registry(tables, name=str(meta.get("name", "")))
    return Session(path, db, storage, registry, meta, command)


@contextlib.contextmanager
def open_registry(path: Path, command: str = "", *, write: bool = True) -> Iterator[Session]:
    """Lock, load once, yield; save once when the block ends without an error."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise BrokenRegistry(path, N_("is not a regular file"))
    with locked(path):
        storage = RegistryStorage(path)
        storage.read()
        session = _session(path, storage, command)
        if write:
            _clean_temp_files(path)
            repair_journal(path, session.meta)
        yield session
        if write:
            session.save()


def create_registry(path: Path, name: str, command: str) -> Session:
    """A new registry file with default settings; refuses to overwrite anything."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise Conflict("--registry", str(path), N_("already exists; nothing was changed"))
    if not path.parent.is_dir():
        raise BrokenRegistry(path, N_("cannot be created: its folder does not exist"))
    with locked(path):
        now = datetime.now(UTC).isoformat(timespec="seconds")
        meta = {"schema": SCHEMA_VERSION, "name": name, "created": now, "log_seq": 0, "log_head": GENESIS, "log_size": 0}
        initial: dict[str, Any] = {META: {META: meta}, **{kind: {} for kind in KINDS}}
        old_journal = journal_path(path)
        if old_journal.exists():  # a journal whose registry is gone: keep it, out of the way
            old_journal.rename(old_journal.with_name(old_journal.name + "." + now.replace(":", "")))
        storage = RegistryStorage(path, initial)
        session = _session(path, storage, command)
        session.registry.insert("settings", {"id": SETTINGS_ID, **DEFAULTS})
        storage.dirty = True
        session.save()
        return session
