"""The change log: entries chained by SHA-256, and replaying them to check a registry."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from assetreg.core.registry import Change, Record

GENESIS = "0" * 64


def canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def entry_hash(entry: Record) -> str:
    return hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


SEPARATOR = b",\t"  # between changes, and before the other fields; a raw tab is never inside a JSON string
_HEAD = b'{"changes":['
PIECEWISE = 1 << 20  # entries longer than this are read change by change


def make_entry(
    seq: int, prev: str, time: str, user: str, command: str, changes: Iterable[Change], extra: Mapping[str, Any] | None = None
) -> tuple[str, list[bytes]]:
    """The entry's hash, and its line in pieces, each change serialised once. `extra` holds more
    fields of the entry (an undo's `correction`); their names sort after "changes".

    The hash is taken over the entry's canonical form. The line is that form with a tab after each
    comma between changes and before the other fields: valid JSON still, and a reader can take a large
    entry change by change (`parse_entry`): an import's entry holds 10^5 records, and orjson builds a
    whole document before its objects (for a 60 MB entry, 1 GB at once).
    """
    rest = canonical({"seq": seq, "prev": prev, "time": time, "user": user, "command": command, **(extra or {})})
    digest = hashlib.sha256(_HEAD)
    line, batch = [_HEAD], []
    for number, change in enumerate(changes):
        piece = canonical({"kind": change.kind, "id": change.id, "before": change.before, "after": change.after})
        digest.update(b"," + piece if number else piece)
        batch.append(SEPARATOR + piece if number else piece)
        if len(batch) == 1000:  # joined as they come: 10^5 small bytes objects kept apart cost 4 KB each
            line.append(b"".join(batch))
            batch.clear()
    line.append(b"".join(batch))
    digest.update(b"]," + rest[1:])
    hexdigest = digest.hexdigest()
    line.append(b"]" + SEPARATOR + rest[1:-1] + b',"hash":"' + hexdigest.encode() + b'"}\n')
    return hexdigest, line


def parse_entry(line: bytes, *, changes: bool = True) -> Record:
    """An entry from its line; a large one in `make_entry`'s layout change by change, or without its
    changes at all when they are not wanted. Raises ValueError when the line is not an entry's JSON."""
    last = line.rfind(SEPARATOR)
    end = last - 1  # the "]" that closes the changes
    if (len(line) < PIECEWISE and changes) or not line.startswith(_HEAD) or last < 0 or line[end : end + 1] != b"]":
        return _entry(orjson.loads(line), changes=changes)  # a trailing newline is whitespace to JSON
    entry = _entry(orjson.loads(b"{" + line[last + len(SEPARATOR) :]), changes=False)
    if changes:
        view, found, start = memoryview(line), [], len(_HEAD)
        while start < end:
            stop = line.find(SEPARATOR, start, end)
            stop = end if stop < 0 else stop
            found.append(orjson.loads(view[start:stop]))
            start = stop + len(SEPARATOR)
        entry = _entry({"changes": found, **entry})
    return entry


_HASH_FIELD = b',"hash":"'
_HASH_END = len(_HASH_FIELD) + 64 + 2  # ,"hash":"<64 hex digits>"}


def intact_hash(line: bytes) -> str | None:
    """The hash an entry's line records, when its content still hashes to it; else None.

    A line in `make_entry`'s layout is hashed as it stands (its separators read as plain commas, its
    hash field left out): a 60 MB import entry is checked without being parsed. Any other line is
    parsed and hashed in its canonical form."""
    body = line.rstrip(b"\n")
    if body[-_HASH_END : -_HASH_END + len(_HASH_FIELD)] == _HASH_FIELD and body.endswith(b'"}'):
        recorded = body[-66:-2].decode("ascii", "replace")
        if hashlib.sha256(body[:-_HASH_END].replace(SEPARATOR, b",") + b"}").hexdigest() == recorded:
            return recorded
    try:
        entry = parse_entry(line)
    except ValueError:
        return None
    return str(entry["hash"]) if entry_hash(entry) == entry["hash"] else None


FIELDS = ("seq", "prev", "time", "user", "command", "hash")


def _entry(data: Any, *, changes: bool = True) -> Record:
    """`data` if it has an entry's shape (its changes too, when they are read); else ValueError."""
    if not isinstance(data, dict) or not all(field in data for field in FIELDS):
        raise ValueError("not a log entry")
    if changes and not (
        isinstance(data.get("changes"), list)
        and all(isinstance(c, dict) and {"kind", "id", "before", "after"} <= c.keys() for c in data["changes"])
    ):
        raise ValueError("not a log entry's changes")
    return data


class Replay:
    """The log read one entry at a time (a province's log holds 10^5 records): its chain checked, and
    what it says each record is now, kept as the SHA-256 of its canonical form rather than as a record."""

    def __init__(self) -> None:
        self.count = 0
        self.head = GENESIS
        self.problems: list[str] = []  # the first entry whose sequence, link or hash is wrong
        self._state: dict[str, dict[str, bytes]] = {}

    def add(self, entry: Record) -> None:
        self.count += 1
        if not self.problems and (
            entry.get("seq") != self.count or entry.get("prev") != self.head or entry.get("hash") != entry_hash(entry)
        ):
            self.problems.append(f"log entry {self.count}")
        self.head = entry.get("hash", "")
        if self.problems:
            return  # past a broken link the log proves nothing: verify reports the link, not the records
        for change in entry["changes"]:
            table = self._state.setdefault(change["kind"], {})
            if change["after"] is None:
                table.pop(change["id"], None)
            else:
                table[change["id"]] = hashlib.sha256(canonical(change["after"])).digest()

    def differences(self, kind: str, actual: dict[str, Record]) -> list[str]:
        """The ids of a table whose records are not what the log says they should be."""
        want = self._state.get(kind, {})
        return [
            f"{kind}/{record_id}"
            for record_id in sorted(set(want) | set(actual))
            if want.get(record_id) != (hashlib.sha256(canonical(actual[record_id])).digest() if record_id in actual else None)
        ]
