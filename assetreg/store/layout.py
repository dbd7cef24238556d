"""The file's line layout: one table header or one record per line, each table parsed only when asked for,
and every table's checksum kept in the meta record."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from assetreg.core.errors import BrokenRegistry, InvalidValue
from assetreg.core.journal import canonical
from assetreg.core.registry import REQUIRED_KINDS
from assetreg.core.validate import problems
from assetreg.i18n import N_

SCHEMA_VERSION = 1
META = "meta"


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
_KEY = re.compile(rb'\n"([A-Za-z0-9_.\-]+)":')  # a record line's id (after the newline before it), as _key reads it


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
        self._shift: dict[str, int] = {}  # lines of the file before a table's bytes that `_release` let go

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
        old_lines = new_lines = position = 0
        for kind, (start, end) in sorted(self._spans.items(), key=lambda item: item[1]):
            old_lines += self._raw.count(b"\n", position, start)  # lines before it in the buffer as it was
            position = start
            self._shift[kind] = self._shift.get(kind, 0) + old_lines - new_lines  # its line numbers stay the file's
            parts.append(self._raw[start:end])
            spans[kind] = (size, size + end - start)
            size += end - start
            new_lines += self._raw.count(b"\n", start, end)
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
        line = self.first_bad_line(kind, start, end) or self._raw.count(b"\n", 0, start) + 1 + self._shift.get(kind, 0)
        return BrokenRegistry(
            self.path, N_("has a damaged record in {table} at line {line}; restore a backup"), line=line, table=kind
        )

    def first_bad_line(self, kind: str, start: int, end: int) -> int | None:
        """The file's line where a table's records stop reading as records (a missing comma, a cut line,
        an id given twice), if they do."""
        raw, seen, shift = self._raw, set(), self._shift.get(kind, 0)
        for first, split, stop in _record_lines(raw, start, end):
            try:
                key = _key(raw, first, split)
                orjson.loads(b"{" + raw[first:stop] + b"}")
            except orjson.JSONDecodeError as error:  # its position counts characters, of the text given
                text = (b"{" + raw[first:stop] + b"}").decode("utf-8", "replace")[: error.pos]
                return raw.count(b"\n", 0, min(first - 1 + len(text.encode()), stop - 1)) + 1 + shift
            except ValueError:  # an id that needs escapes, or is not UTF-8
                return raw.count(b"\n", 0, first) + 1 + shift
            if key in seen:
                return raw.count(b"\n", 0, first) + 1 + shift
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
        # One regex pass in C (an `asset add` at 10^5 assets reads every id); a line it does not match
        # leaves the count short, and the line-by-line reading then names the damage.
        keys = _KEY.findall(self._raw, start - 1, end) if end > start else []  # from the header line's newline
        if len(keys) == self._raw.count(b"\n", start, end) + (end > start):
            found = set(b"\n".join(keys).decode().split("\n")) if keys else set()
        else:
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


def read_raw(path: Path) -> bytes:
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
    raw = read_raw(path)
    spans = split_layout(raw)
    if spans is None:
        data = parse_registry(path, raw)
        found = {
            key: record for kind in kinds for key, record in data.get(kind, {}).items() if key.upper().startswith(prefix.upper())
        }
        return found if len(found) <= most else {key: {} for key in found}
    _check_meta(path, Tables(path, raw, spans, keep_lines=False))  # an assetreg registry: its meta record parsed
    # each record line follows a newline and starts with its id: found by one search, not line by line
    ids = re.compile(rb'\n"(' + re.escape(prefix.encode()) + rb'[^"\\\n]*)":', re.IGNORECASE)
    lines = [
        (match[1].decode(), match.end(), end)
        for kind in kinds
        for start, end in [spans.get(kind, (0, 0))]  # a table of a later version may be absent
        for match in ids.finditer(raw, start - 1, end)
    ]
    if len(lines) > most:
        return {key: {} for key, _, _ in lines}
    return {key: orjson.loads(raw[value : _line_end(raw, value, end)]) for key, value, end in lines}


def _line_end(raw: bytes, position: int, end: int) -> int:
    stop = raw.find(b",\n", position, end)
    return end if stop < 0 else stop
