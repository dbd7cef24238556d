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
import fcntl
import gc
import getpass
import hashlib
import os
import re
import secrets
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from assetreg.core.errors import BrokenRegistry, Conflict, InterruptedAfterWrite, InvalidValue
from assetreg.core.journal import GENESIS, canonical, make_entry, parse_entry
from assetreg.core.registry import KINDS, REQUIRED_KINDS, SETTINGS_ID, Change, Record, Registry
from assetreg.core.settings import DEFAULTS
from assetreg.core.validate import problems
from assetreg.i18n import N_, _

SCHEMA_VERSION = 1
META = "meta"


def lock_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("ASSETREG_LOCK_TIMEOUT", "60")))
    except ValueError:
        return 60.0


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


def atomic_write(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    """Write `data` (or its pieces, as they come) to `path` so that a crash leaves either the old or
    the new file."""
    tmp = path.with_name(f".{path.name}.tmp.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        with open(tmp, "xb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(path.parent)


def _check_meta(path: Path, data: Any) -> None:
    meta = data.get(META, {}).get(META) if isinstance(data, Mapping) else None
    if not isinstance(meta, dict) or type(meta.get("schema")) is not int:  # bool is an int to Python
        raise BrokenRegistry(path, N_("is not an assetreg registry"))
    if meta["schema"] > SCHEMA_VERSION:
        raise BrokenRegistry(
            path, N_("was written by a newer assetreg (schema {schema}); upgrade assetreg"), schema=meta["schema"]
        )
    shapes = {"name": str, "created": str, "log_seq": int, "log_head": str, "log_size": int}
    if any(type(meta.get(key)) is not shape for key, shape in shapes.items()) or not set(REQUIRED_KINDS) <= set(
        data
    ):  # the names only: nothing parsed
        raise BrokenRegistry(path, N_("is not an assetreg registry"))


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Millions of small objects: the cyclic GC would rescan them again and again while they are
    created (3x the parse time at 100k assets). They hold no cycles; freeze them once made."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def parse_registry(path: Path, raw: bytes) -> dict[str, Any]:
    """The whole file parsed at once (backups, and files not in our line layout)."""
    if not raw.strip():
        raise BrokenRegistry(path, N_("is empty; restore a backup (assetreg backup list)"))
    try:
        with _no_gc():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BrokenRegistry(path, N_("is not valid JSON (truncated or damaged); restore a backup")) from None
    _check_meta(path, data)
    if not all(isinstance(table, dict) for table in data.values()):
        raise BrokenRegistry(path, N_("is not an assetreg registry"))
    return dict(data)


PARSE_PIECE = 1 << 20
_HEADER = re.compile(rb'^"([A-Za-z_]+)":\{$', re.M)


def split_layout(raw: bytes) -> dict[str, tuple[int, int]] | None:
    """Where each table's record lines lie in `raw` (start, end), if the file is in the layout
    `Tables.dump` writes; else None.

    The layout is ordinary JSON with one table header or one record per line (JSON strings hold no raw
    newline), so a command parses only the tables it uses and writes the others back byte for byte.
    """
    if not (raw.startswith(b"{\n") and raw.endswith(b"\n}")):
        return None
    tables: dict[str, tuple[int, int]] = {}
    position = 2
    while position < len(raw) - 2:
        header = _HEADER.match(raw, position)
        if header is None:
            return None
        close = raw.find(b"\n}", header.end() - 1)
        tables[header.group(1).decode()] = (header.end() + 1, close) if close > header.end() else (close, close)
        position = close + 2
        if raw[position : position + 2] == b",\n":
            position += 2
        elif position != len(raw) - 2:
            return None
    return tables


def _record_lines(raw: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """Each record line between `start` and `end`: where it starts, where its key ends, where it ends."""
    while start < end:
        stop = raw.find(b",\n", start, end)  # JSON strings hold no raw newline
        stop = end if stop < 0 else stop
        yield start, raw.find(b'":', start, stop), stop
        start = stop + 2


def _key(raw: bytes, start: int, split: int) -> str:
    """A record's id, as written before its value. Ids are letters, digits and `_.-`: one needing an
    escape was not written by assetreg, and is refused like any damage."""
    key = raw[start + 1 : split].decode()
    if "\\" in key or '"' in key:
        raise ValueError(key)
    return key


class Tables(MutableMapping[str, Any]):
    """The file's tables for TinyDB: each parsed from its lines in the file the first time it is asked for.

    Records added to a table nobody parsed are kept as lines and written after its others (`append`):
    adding one asset to a province does not parse a hundred thousand.
    """

    def __init__(
        self,
        path: Path,
        raw: bytes = b"",
        spans: dict[str, tuple[int, int]] | None = None,
        parsed: dict[str, Any] | None = None,
        *,
        keep_lines: bool = True,
    ) -> None:
        self.path = path
        self.keep_lines = keep_lines  # a read-only command has no use for them
        self._raw = raw
        self._spans = dict(spans or {})  # the tables not parsed yet
        self._parsed: dict[str, Any] = dict(parsed or {})
        self._original: dict[str, dict[str, bytes]] = {}  # each parsed record's line, to write back if unchanged
        self._appended: dict[str, dict[str, bytes]] = {}  # lines added to tables not parsed
        self._sums: dict[str, Any] = {}  # SHA-256 of each table's lines as read, checked against the meta record
        self.outside: dict[str, int | None] = {}  # tables changed outside assetreg: the first damaged line, if any
        self.unsummed = False  # written before checksums were kept: every table is checked field by field
        self.strict = True  # a table read with a field assetreg would not store is refused (not by verify, restore)

    def __getitem__(self, kind: str) -> Any:
        if kind not in self._parsed:
            self._parsed[kind] = self._parse(kind, *self._spans.pop(kind))  # KeyError: no such table
            for key, line in self._appended.pop(kind, {}).items():
                self._parsed[kind][key] = orjson.loads(line[line.find(b'":') + 2 :])
            self._release()
            for key, record in self._parsed[kind].items():
                if type(record) is not dict:  # e.g. a record edited into a string by hand
                    raise BrokenRegistry(
                        self.path, N_("has a record {id} in {table} that is not a record; restore a backup"), id=key, table=kind
                    )
            if self.strict:
                for problem in self.invalid(kind):
                    raise problem
        return self._parsed[kind]

    def invalid(self, kind: str) -> Iterator[InvalidValue]:
        """Each field of the table's records that assetreg would not have stored, when the table was
        changed outside assetreg or written before checksums (see core/validate); else nothing."""
        if not (self.unsummed or (kind in self.outside and self.outside[kind] is None)) or kind == META:
            return
        known: dict[str, set[str]] = {}

        def ids(table: str) -> set[str]:
            if table not in known:
                known[table] = self.ids(table)
            return known[table]

        for key, record in self[kind].items():
            yield from problems(kind, key, record, ids)

    def _release(self) -> None:
        """Keep only the bytes of the tables not parsed yet, once they are less than half of what is
        kept: a province's file is 70 MB, two thirds of it assets, and its records need the memory."""
        left = sum(end - start for start, end in self._spans.values())
        if left * 2 > len(self._raw):
            return
        parts, spans, size = [], {}, 0
        for kind, (start, end) in self._spans.items():
            parts.append(self._raw[start:end])
            spans[kind] = (size, size + end - start)
            size += end - start
        self._raw, self._spans = b"".join(parts), spans

    def _parse(self, kind: str, start: int, end: int) -> dict[str, Any]:
        """The table's lines parsed about a megabyte at a time, each piece framed as one JSON object:
        a call per record costs a fifth more, one call for all a DOM the size of the table."""
        raw, table = self._raw, {}
        with _no_gc():
            position = start
            while position < end:
                stop = raw.find(b",\n", min(position + PARSE_PIECE, end), end)  # a record ends there
                stop = end if stop < 0 else stop
                try:
                    table.update(orjson.loads(b"{" + raw[position:stop] + b"}"))
                except ValueError:  # orjson's JSONDecodeError: say which record
                    raise self._damaged(kind, start, end) from None
                position = stop + 2
        if self.keep_lines:
            self._original[kind] = {
                _key(raw, first, split): raw[first:stop] for first, split, stop in _record_lines(raw, start, end)
            }
        return table

    def _damaged(self, kind: str, start: int, end: int) -> BrokenRegistry:
        """The refusal naming the table and the file's line where it stops reading."""
        line = self.first_bad_line(kind, start, end) or self._raw.count(b"\n", 0, start) + 1
        return BrokenRegistry(
            self.path, N_("has a damaged record in {table} at line {line}; restore a backup"), line=line, table=kind
        )

    def first_bad_line(self, kind: str, start: int, end: int) -> int | None:
        """The file's line where a table's records stop reading as records (a missing comma, a cut line,
        an id given twice), if they do."""
        raw, seen = self._raw, set()
        for first, split, stop in _record_lines(raw, start, end):
            try:
                key = _key(raw, first, split)
                orjson.loads(b"{" + raw[first:stop] + b"}")
            except orjson.JSONDecodeError as error:  # its position counts characters, of the text given
                text = (b"{" + raw[first:stop] + b"}").decode("utf-8", "replace")[: error.pos]
                return raw.count(b"\n", 0, min(first - 1 + len(text.encode()), stop - 1)) + 1
            except ValueError:  # an id that needs escapes, or is not UTF-8
                return raw.count(b"\n", 0, first) + 1
            if key in seen:
                return raw.count(b"\n", 0, first) + 1
            seen.add(key)
        return None

    def check_outside(self) -> None:
        """Compare each table's bytes with the checksum the last write recorded in the meta record:
        a hash of bytes already in memory, no parse. Tables that differ are noted in `outside`."""
        meta = self[META][META]
        expected = meta.get("tables")
        if not isinstance(expected, dict):
            self.unsummed = True  # written before checksums were kept: the next write records them
            return
        for kind in sorted((set(expected) | set(self)) - {META}):
            if kind in self._spans:
                start, end = self._spans[kind]
                digest = self._sums[kind] = hashlib.sha256(memoryview(self._raw)[start:end])
                if digest.hexdigest() != expected.get(kind):
                    self.outside[kind] = self.first_bad_line(kind, start, end)
            elif kind not in self._parsed or _table_digest(self._parsed[kind]) != expected.get(kind):
                self.outside[kind] = None
        if _meta_digest(meta) != expected.get(META):
            self.outside[META] = None

    def ids(self, kind: str) -> set[str]:
        """The ids in a table, read from its lines when it was not parsed."""
        if kind in self._parsed:
            return set(self._parsed[kind])
        if kind not in self._spans:
            return set()
        start, end = self._spans[kind]
        try:
            found = {_key(self._raw, first, split) for first, split, _ in _record_lines(self._raw, start, end)}
        except ValueError:
            raise self._damaged(kind, start, end) from None
        return found | set(self._appended.get(kind, {}))

    def append(self, kind: str, records: Mapping[str, Any]) -> bool:
        """Add new records to a table not parsed, as lines; False (nothing done) when it was parsed."""
        if kind not in self._spans:
            return False
        lines = self._appended.setdefault(kind, {})
        for key, record in records.items():
            lines[key] = orjson.dumps(key) + b":" + orjson.dumps(record)
        return True

    def __setitem__(self, kind: str, table: Any) -> None:
        self._spans.pop(kind, None)
        self._appended.pop(kind, None)
        self._parsed[kind] = table

    def __delitem__(self, kind: str) -> None:
        if self._spans.pop(kind, None) is None:
            del self._parsed[kind]
        self._appended.pop(kind, None)

    def __iter__(self) -> Iterator[str]:
        return iter([*self._parsed, *self._spans])

    def __len__(self) -> int:
        return len(self._parsed) + len(self._spans)

    def dump(self, changed: Mapping[str, set[str]]) -> Iterator[bytes | memoryview]:
        """The layout `split_layout` reads, in pieces as they are made (a province's file is 70 MB). Tables
        never parsed, and records not in `changed`, are written back as they were read, byte for byte.

        Each table's lines are hashed as they go out, and the meta record, written last, keeps the
        checksums: every later command can tell a table changed outside assetreg from its bytes alone."""
        names = [kind for kind in self if kind != META] + [META]
        sums: dict[str, str] = {}
        yield b"{"
        for number, kind in enumerate(names):
            if kind == META:
                meta = self._parsed[META][META]
                meta["tables"] = {**sums, META: _meta_digest(meta)}
            yield b"\n" + orjson.dumps(kind) + b":{"
            known = self._sums.get(kind) if kind in self._spans else None
            digest = known.copy() if known is not None else hashlib.sha256()
            touched = {META} if kind == META else changed.get(kind, set())
            for index, line in enumerate(self._lines_of(kind, touched)):
                yield b",\n" if index else b"\n"
                yield line
                if known is not None and index == 0 and self._spans[kind][1] > self._spans[kind][0]:
                    continue  # the lines as read: their hash is known
                digest.update(b",\n" + line if index else line)
            sums[kind] = digest.hexdigest()
            yield b"\n}," if number < len(names) - 1 else b"\n}"
        yield b"\n}"

    def _lines_of(self, kind: str, touched: set[str]) -> Iterator[bytes | memoryview]:
        """A table's record lines: those read, unless touched, and the others made afresh."""
        if kind in self._spans:
            start, end = self._spans[kind]
            if end > start:
                yield memoryview(self._raw)[start:end]  # every line of the table as read, at once
            yield from self._appended.get(kind, {}).values()
            return
        original = self._original.get(kind, {})
        for key, value in self._parsed[kind].items():
            yield original[key] if key in original and key not in touched else orjson.dumps(key) + b":" + orjson.dumps(value)


def _table_digest(table: Mapping[str, Any]) -> str:
    """The checksum of a table's lines as `Tables.dump` writes them."""
    return hashlib.sha256(b",\n".join(orjson.dumps(key) + b":" + orjson.dumps(value) for key, value in table.items())).hexdigest()


def _meta_digest(meta: Mapping[str, Any]) -> str:
    """The checksum of the meta fields a person could edit: the registry's name, when it was created."""
    return hashlib.sha256(canonical({key: meta.get(key) for key in ("schema", "name", "created")})).hexdigest()


def load_tables(path: Path, raw: bytes, *, keep_lines: bool = True) -> Tables:
    spans = split_layout(raw)
    tables = Tables(path, parsed=parse_registry(path, raw)) if spans is None else Tables(path, raw, spans, keep_lines=keep_lines)
    _check_meta(path, tables)
    tables.check_outside()
    return tables


def _read(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BrokenRegistry(path, N_("does not exist; create it with 'assetreg init'")) from None
    except IsADirectoryError:
        raise BrokenRegistry(path, N_("is a folder, not a registry file")) from None
    if not raw.strip():
        raise BrokenRegistry(path, N_("is empty; restore a backup (assetreg backup list)"))
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw  # saved by Notepad: a byte order mark first


def read_records(path: Path, kinds: Sequence[str], prefix: str = "", most: int = 1000) -> dict[str, Any]:
    """The records of the tables whose id starts with `prefix` (case ignored), for shell completion: the
    file read once, without a lock, with no check beyond reading. Only their lines are parsed, and only
    when they are `most` or fewer (else each record is {}: a list that long is for scrolling, not reading)."""
    raw = _read(path)
    spans = split_layout(raw)
    if spans is None:
        data = parse_registry(path, raw)
        found = {key: record for kind in kinds for key, record in data[kind].items() if key.upper().startswith(prefix.upper())}
        return found if len(found) <= most else {key: {} for key in found}
    _check_meta(path, Tables(path, raw, spans, keep_lines=False))  # an assetreg registry: its meta record parsed
    # each record line follows a newline and starts with its id: found by one search, not line by line
    ids = re.compile(rb'\n"(' + re.escape(prefix.encode()) + rb'[^"\\\n]*)":', re.IGNORECASE)
    lines = [
        (match[1].decode(), match.end(), end)
        for kind in kinds
        for start, end in [spans[kind]]
        for match in ids.finditer(raw, start - 1, end)
    ]
    if len(lines) > most:
        return {key: {} for key, _, _ in lines}
    return {key: orjson.loads(raw[value : _line_end(raw, value, end)]) for key, value, end in lines}


def _line_end(raw: bytes, position: int, end: int) -> int:
    stop = raw.find(b",\n", position, end)
    return end if stop < 0 else stop


class RegistryStorage(Storage):
    """TinyDB storage that reads the file once and writes it only on `commit`."""

    def __init__(self, path: Path, initial: dict[str, Any] | None = None, *, writable: bool = True) -> None:
        self.path = path
        self.writable = writable
        self._data: Tables | None = Tables(path, parsed=initial) if initial is not None else None
        self.dirty = False

    def read(self) -> Tables:  # type: ignore[override]
        if self._data is None:
            self._data = load_tables(self.path, _read(self.path), keep_lines=self.writable)
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
        digest, line = make_entry(seq, self.meta.get("log_head", GENESIS), now, os_user(), self.command, changes, self.entry)
        journal, size = journal_file(self.path), int(self.meta.get("log_size", 0))
        try:
            self.meta["log_size"] = append_journal(journal, size, line)
        except OSError as error:  # a full disk, a read-only file: the log goes back to what it was
            _cut_journal(journal, size)
            raise _write_failed(self.path, error) from None
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
            _cut_journal(journal, size)  # nothing was written: the log, and every backup, as they were
            if staged is not None:
                staged.unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise _write_failed(self.path, error) from None
            raise
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
    meta = source if isinstance(source, Mapping) else load_tables(Path(source), _read(Path(source)), keep_lines=False)[META][META]
    return int(meta.get("log_seq", 0)), str(meta.get("log_head", GENESIS))


def head_text(head: tuple[int, str], digits: int = 16) -> str:
    """`N:HASH` as documents print it (the first `digits` hex digits; `verify --expect` takes 16 or more)."""
    return f"{head[0]}:{head[1][:digits]}"


def backups(path: Path) -> list[Path]:
    """Kept versions, newest first."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.suffix == ".json"), key=lambda p: p.name, reverse=True)


def stage_backup(path: Path, kept: int) -> Path | None:
    """The current file, about to be replaced, kept under a temporary name in the backups folder (a
    hard link: no copy, whatever its size); `keep_backup` names it once the write has happened."""
    if kept <= 0 or not path.exists():
        return None
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    staged = folder / f".staged.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        os.link(path, staged)
    except OSError:
        atomic_write(staged, path.read_bytes())
    return staged


def keep_backup(path: Path, staged: Path | None, kept: int, seq: int) -> None:
    """The version a write replaced becomes a backup, and the oldest beyond `kept` go. Only after a
    write that happened: a failed command keeps every backup as it was."""
    if staged is None:
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    with contextlib.suppress(OSError):  # the write is done; a backup that cannot be named is no failure of it
        staged.rename(staged.with_name(f"{seq:08d}-{stamp}.json"))
        for old in backups(path)[kept:]:
            old.unlink()


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _cut_journal(journal: Path, size: int) -> None:
    with contextlib.suppress(OSError), open(journal, "rb+") as handle:
        handle.truncate(size)
        os.fsync(handle.fileno())


def _write_failed(path: Path, error: OSError) -> BrokenRegistry:
    return BrokenRegistry(path, N_("cannot be written: {error}; nothing was changed"), error=error.strerror or str(error))


def _clean_temp_files(path: Path) -> None:
    """Temp files of a writer that was killed; we hold the lock, so no writer is alive."""
    for stale in [*path.parent.glob(f".{path.name}.tmp.*"), *backup_dir(path).glob(".staged.*")]:
        with contextlib.suppress(OSError):
            stale.unlink()


def _tickets(queue: Path) -> list[int]:
    return [int(name) for name in os.listdir(queue) if name.isdigit()]


class _Ticket:
    """A writer's place in the queue: `<file>.queue/<number>`, flock-held while the writer waits and
    writes. A number is one more than any ticket there, handed out under a short lock on the folder,
    so numbers follow the order in which writers asked."""

    def __init__(self, path: Path) -> None:
        self.queue = path.with_name(path.name + ".queue")
        self.queue.mkdir(exist_ok=True)
        folder = os.open(self.queue, os.O_RDONLY)
        try:
            fcntl.flock(folder, fcntl.LOCK_EX)
            self.number = max(_tickets(self.queue), default=0) + 1
            self.file = self.queue / f"{self.number:012d}"
            self.fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_EX)  # taken before the folder is released: nobody sees it unheld
        finally:
            os.close(folder)

    def wait_for_turn(self) -> None:
        """Blocks on the nearest earlier ticket until none is left; a ticket whose writer finished or
        died (the kernel drops its flock) is removed by whoever finds it free."""
        while True:
            earlier = [n for n in _tickets(self.queue) if n < self.number]
            if not earlier:
                return
            ahead = self.queue / f"{max(earlier):012d}"
            try:
                fd = os.open(ahead, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_SH)
            finally:
                os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                ahead.unlink()

    def leave(self) -> None:
        with contextlib.suppress(OSError):
            self.file.unlink()
        os.close(self.fd)


class _Waiter(threading.Thread):
    """Queues for the lock and takes it with blocking calls, so that waiting writers go in the order
    they asked instead of polling or racing (a released flock wakes every waiter at once); a thread, so
    that the command can say who holds it and give up in time."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.lock_file = path.with_name(path.name + ".lock")
        self.ticket: _Ticket | None = None
        self.fd: int | None = None
        self.error: OSError | None = None
        self.done = threading.Event()
        self.cancelled = False
        self.guard = threading.Lock()

    def run(self) -> None:
        try:
            ticket = _Ticket(self.path)
            with self.guard:
                self.ticket = ticket
            ticket.wait_for_turn()
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as error:
            self.error = error
            self.done.set()
            return
        with self.guard:
            if self.cancelled:  # the command gave up meanwhile: let the next one have it
                os.close(fd)
                return
            self.fd = fd
            self.done.set()

    def leave(self) -> None:
        """Out of the queue: after the write, or when the command gave up waiting."""
        with self.guard:
            self.cancelled = True
            if self.fd is not None:
                os.close(self.fd)  # closing releases the lock
            if self.ticket is not None:
                self.ticket.leave()


def _holder(lock_file: Path) -> str:
    """Who holds the registry, as its lock file says (pid, user, command)."""
    try:
        pid, user, command = lock_file.read_text(encoding="utf-8", errors="replace").split("\t", 2)
    except (OSError, ValueError):
        return _("another assetreg command")
    return _("pid {pid} (user {user}): {command}").format(pid=pid, user=user, command=command.strip())


def _take_lock(path: Path, command: str) -> _Waiter:
    """The writers' lock, in the order they asked for it; after two seconds a line says who holds
    it, and the command gives up after `ASSETREG_LOCK_TIMEOUT` seconds (60)."""
    waiter = _Waiter(path)
    waiter.start()
    timeout = lock_timeout()
    if not waiter.done.wait(min(2.0, timeout)):
        sys.stderr.write(_("waiting for the registry, held by {holder}").format(holder=_holder(waiter.lock_file)) + "\n")
        sys.stderr.flush()
        waiter.done.wait(max(0.0, timeout - 2.0))
    if waiter.fd is None:
        waiter.leave()
        if waiter.error is not None:
            raise _write_failed(path, waiter.error)
        raise Conflict("registry", str(path), N_("is in use by {holder}; try again"), holder=_holder(waiter.lock_file))
    with contextlib.suppress(OSError):  # who holds it is for the others to read; a full disk may refuse it
        os.ftruncate(waiter.fd, 0)
        line = "\t".join([str(os.getpid()), os_user(), command]).replace("\n", " ")
        os.pwrite(waiter.fd, line.encode("utf-8", "replace"), 0)
    return waiter


@contextlib.contextmanager
def locked(path: Path, command: str = "") -> Iterator[None]:
    """Held by writers only: readers never wait (the file is replaced whole, never changed in place)."""
    waiter = _take_lock(path, command)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.ftruncate(waiter.fd, 0)  # type: ignore[arg-type]
        waiter.leave()


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
def open_registry(path: Path, command: str = "", *, write: bool = True, outside: bool = False) -> Iterator[Session]:
    """Lock (writers only), load once, yield; save once when the block ends without an error.

    A reader takes no lock and creates nothing: it reads the file as the last write left it. A table
    changed outside assetreg refuses every write but those given `outside` (`verify --adopt`, `backup
    restore`: the ways back); a reader goes on after a one-line warning, unless it needs a damaged table."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise BrokenRegistry(path, N_("is not a regular file"))
    if not path.exists():
        raise BrokenRegistry(path, N_("does not exist; create it with 'assetreg init'"))
    if write and not os.access(path, os.W_OK):
        raise BrokenRegistry(path, N_("is read-only; nothing was changed"))
    with locked(path, command) if write else contextlib.nullcontext():
        storage = RegistryStorage(path, writable=write)
        storage.read().strict = not outside  # restore and adopt read what is there (adopt checks it itself)
        changed = storage.read().outside
        if changed and write and not outside:
            kind, line = next(iter(changed.items()))
            reason, params = _outside_reason(kind, line)
            raise BrokenRegistry(path, reason, **params)
        session = _session(path, storage, command)
        if write:
            _clean_temp_files(path)
            repair_journal(path, session.meta)
        yield session
        if write:
            with _finish_before_interrupt():
                session.save()
        elif changed:  # said once the reading went through (one that needs a damaged table is refused instead)
            sys.stderr.write(
                _("warning: registry {path} was changed outside assetreg ({tables}); 'assetreg verify' says what").format(
                    path=path, tables=", ".join(changed)
                )
                + "\n"
            )


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
    with locked(path, command):
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
