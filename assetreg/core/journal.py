"""The change log: entries chained by SHA-256, and replaying them to check a registry."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import orjson

from assetreg.core.registry import Change, Record

GENESIS = "0" * 64


def canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def entry_hash(entry: Record) -> str:
    return hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


def make_entry(
    seq: int, prev: str, time: str, user: str, command: str, changes: Iterable[Change]
) -> tuple[str, list[bytes | memoryview]]:
    """The entry's hash, and its line for the journal in pieces. Serialised once, without copies: the
    hash is taken over the canonical form, which the line then is, with the hash added last (an
    import's entry holds 10^5 records: each copy of it would cost a province 60 MB)."""
    entry: Record = {
        "seq": seq,
        "prev": prev,
        "time": time,
        "user": user,
        "command": command,
        "changes": [{"kind": c.kind, "id": c.id, "before": c.before, "after": c.after} for c in changes],
    }
    body = canonical(entry)
    digest = hashlib.sha256(body).hexdigest()
    return digest, [memoryview(body)[:-1], b',"hash":"' + digest.encode() + b'"}\n']


class Replay:
    """The log read one entry at a time (a province's log holds 10^5 records): its chain checked, and
    what it says each record is now, kept as canonical bytes rather than as records."""

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
        for change in entry["changes"]:
            table = self._state.setdefault(change["kind"], {})
            if change["after"] is None:
                table.pop(change["id"], None)
            else:
                table[change["id"]] = canonical(change["after"])

    def differences(self, kind: str, actual: dict[str, Record]) -> list[str]:
        """The ids of a table whose records are not what the log says they should be."""
        want = self._state.get(kind, {})
        return [
            f"{kind}/{record_id}"
            for record_id in sorted(set(want) | set(actual))
            if want.get(record_id) != (canonical(actual[record_id]) if record_id in actual else None)
        ]
