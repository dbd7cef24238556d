"""The change log: entries chained by SHA-256, and replaying them to check a registry."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import orjson

from assetreg.core.registry import KINDS, Change, Record

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


def check_chain(entries: list[Record]) -> list[str]:
    """Problems with the chain itself: the first entry whose sequence, link or hash is wrong."""
    prev = GENESIS
    for number, entry in enumerate(entries, start=1):
        if entry.get("seq") != number or entry.get("prev") != prev or entry.get("hash") != entry_hash(entry):
            return [f"log entry {number}"]
        prev = entry["hash"]
    return []


def replay(entries: list[Record]) -> dict[str, dict[str, Record]]:
    state: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
    for entry in entries:
        for change in entry["changes"]:
            table = state.setdefault(change["kind"], {})
            if change["after"] is None:
                table.pop(change["id"], None)
            else:
                table[change["id"]] = change["after"]
    return state


def differences(expected: dict[str, dict[str, Record]], actual: dict[str, dict[str, Record]]) -> list[str]:
    """Record ids whose content is not what the log says it should be."""
    bad = []
    for kind in KINDS:
        want, have = expected.get(kind, {}), actual.get(kind, {})
        for record_id in sorted(set(want) | set(have)):
            if canonical(want.get(record_id)) != canonical(have.get(record_id)):
                bad.append(f"{kind}/{record_id}")
    return bad
