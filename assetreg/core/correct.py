"""Undo, redo and revert: a past change of the log reversed (or re-applied) as a new change.

Every change in the log holds each record it touched before and after. Reversing an entry means
taking each of those records back from its "after" to its "before" — not by copying "before" over
the record, which would throw away what later entries did, but unit by unit:

- a record the entry created or removed is one unit (it is removed again, or comes back);
- a plain field (a tenant, a status) is one unit;
- a list of records inside a record (an asset's value events, a lease's payments, an incident's
  actions, whatever list of records a record holds) is a bag of items, each known by its content: a
  payment is its date, amount and note. Reversing the entry that recorded a payment takes out one
  copy of that payment and leaves the lease's other payments alone.

`revert N` is refused when a later entry changed one of the units entry N changed (git revert's
merge conflict): the same field of a record, the same payment, value event or action, a record it
created or removed. Another payment on the same lease is not the same unit. A later entry that added
one more copy of an item that entry N added is no conflict either: the copy entry N added is still
there to take out.

`undo` reverses the latest change not undone yet and `redo` re-applies the one undone last; the
log itself says which those are (`history`), so nothing is kept beside it. Undo and redo need no
conflict check: everything after the entry being undone was undone already, so its units stand as
that entry left them.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from assetreg.core.errors import Conflict
from assetreg.core.journal import canonical
from assetreg.core.registry import Record, Registry
from assetreg.i18n import N_

MISSING: Any = object()  # a field a record does not have
# Fields that name another record: (table, field); a list field names several.
NAMES = {
    "assets": (("members", "owner"), ("members", "holds")),
    "leases": (("assets", "asset"),),
    "incidents": (("assets", "assets"),),
    "findings": (("assets", "asset"), ("clearances", "clearance")),
}
KIND_NAMES = {
    "members": N_("member"),
    "assets": N_("asset"),
    "leases": N_("lease"),
    "incidents": N_("incident"),
    "settings": N_("settings"),
    "clearances": N_("clearance"),
    "findings": N_("finding"),
}


@dataclass
class Delta:
    """What moving one record from `source` to `target` changes, unit by unit."""

    kind: str
    id: str
    source: Record | None
    target: Record | None
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (value in source, in target)
    items: dict[tuple[str, bytes], int] = field(default_factory=dict)  # (list field, item) -> copies added

    @property
    def whole(self) -> bool:
        """The record is created or removed: the whole record is the unit."""
        return self.source is None or self.target is None


def _bag(value: Any) -> bool:
    """A list of records inside a record (events, payments, actions): compared item by item."""
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def delta(kind: str, record_id: str, source: Record | None, target: Record | None) -> Delta:
    found = Delta(kind, record_id, source, target)
    if source is None or target is None:
        return found
    for name in dict.fromkeys([*source, *target]):
        old, new = source.get(name, MISSING), target.get(name, MISSING)
        if old == new:
            continue
        if _bag(old) and _bag(new) and (old or new):
            counts = Counter(canonical(item) for item in new)
            counts.subtract(canonical(item) for item in old)
            found.items.update({(name, key): n for key, n in counts.items() if n})
        else:
            found.fields[name] = (old, new)
    return found


def deltas(changes: Iterable[Record], *, backwards: bool) -> list[Delta]:
    """An entry's changes as deltas: undoing them (`backwards`: after -> before), or doing them again."""
    result = []
    for c in changes:
        source, target = (c["after"], c["before"]) if backwards else (c["before"], c["after"])
        result.append(delta(c["kind"], c["id"], source, target))
    return result


# -- which entry undo and redo take ---------------------------------------------------------------


def history(heads: Iterable[Record]) -> tuple[list[int], list[int]]:
    """From the log's entries (without their changes): the entries done and not undone, oldest
    first, and those undone that redo can bring back, the one undone last at the end.

    Entry 1 made the registry and is not undone. A new change (anything but an undo or a redo)
    leaves nothing to redo."""
    done: list[int] = []
    undone: list[int] = []
    for entry in heads:
        correction = entry.get("correction") or {}
        kind, number = correction.get("kind"), correction.get("entry")
        if kind == "undo" and number in done:
            done.remove(number)
            undone.append(number)
        elif kind == "redo" and number in undone:
            undone.remove(number)
            done.append(number)
        else:
            if entry["seq"] > 1:
                done.append(entry["seq"])
            undone.clear()
    return done, undone


# -- the conflict rule of revert ----------------------------------------------------------------


Unit = tuple[str, str, Any]  # (table, id, None: the whole record | field name | (list field, item))


def _touched(later: Iterable[Record], records: set[tuple[str, str]]) -> dict[Unit, int]:
    """The last of the `later` entries that changed each unit of the given records."""
    last: dict[Unit, int] = {}
    for entry in later:
        for c in entry["changes"]:
            if (c["kind"], c["id"]) not in records:
                continue
            d = delta(c["kind"], c["id"], c["before"], c["after"])
            units = [None] if d.whole else [*d.fields, *d.items]
            last.update({(d.kind, d.id, unit): entry["seq"] for unit in units})
    return last


def _stale(reg: Registry, d: Delta) -> list[Any]:
    """The units of `d` (a backward delta) that no longer stand as its entry left them: None for the
    whole record, a field's name, or (list field, item). An item the entry added stands while at least
    as many copies are there as it left (another copy entered later is another payment); one it took
    out stands while no copy came back."""
    current = reg.find(d.kind, d.id)
    if d.whole:
        same = current is None if d.source is None else current is not None and canonical(current) == canonical(d.source)
        return [] if same else [None]
    if current is None or d.source is None:
        return [None]
    stale: list[Any] = [name for name, (old, _new) in d.fields.items() if current.get(name, MISSING) != old]
    counted: dict[str, tuple[Counter[bytes], Counter[bytes]]] = {}
    for (name, key), copies in d.items.items():
        if name not in counted:
            if not _bag(current.get(name)):
                stale.append(name)
                continue
            counted[name] = (Counter(map(canonical, current[name])), Counter(map(canonical, d.source.get(name) or [])))
        now, left = counted[name]
        net = now[key] - left[key]
        if net < 0 or (copies > 0 and net):
            stale.append((name, key))
    return stale


def check_later(reg: Registry, mine: list[Delta], number: int, later: Iterable[Record]) -> None:
    """Refuse reverting entry `number` when one of its units does not stand as it left it, naming
    the last of the `later` entries that changed that unit (a unit changed and changed back, or
    undone and redone, stands: reverting it is safe)."""
    stale = {(d.kind, d.id): units for d in mine if (units := _stale(reg, d))}
    if not stale:
        return
    last = _touched(later, set(stale))
    for (kind, record_id), units in stale.items():
        for unit in units:
            name = unit[0] if isinstance(unit, tuple) else unit
            if unit is None:  # the whole record: whichever entry changed any of it last
                seq = max((n for (k, r, _u), n in last.items() if (k, r) == (kind, record_id)), default=0)
            else:
                seq = max(last.get((kind, record_id, unit), 0), last.get((kind, record_id, None), 0))
            if seq:
                raise Conflict(
                    "revert",
                    number,
                    N_("entry {later} changed {what} later; revert entry {later} first"),
                    later=seq,
                    what=f"{record_id} {name or ''}".strip(),
                )
            raise _changed_since(record_id, number)


# -- applying -----------------------------------------------------------------------------------


def _changed_since(record_id: str, number: int) -> Conflict:
    return Conflict("entry", number, N_("{id} was changed since (outside this tool?); nothing was changed"), id=record_id)


def apply(reg: Registry, moves: list[Delta], number: int) -> None:
    """Make each delta's units go from source to target in the registry; refuse (naming entry
    `number`) when a record no longer is as the log says the entry left it, or when the result would
    name a record that is gone."""
    removed: list[tuple[str, str]] = []
    present: list[Delta] = []
    for d in moves:
        if d.target is None:
            if reg.find(d.kind, d.id) is None:
                raise _changed_since(d.id, number)
            reg.remove(d.kind, d.id)
            removed.append((d.kind, d.id))
        elif d.source is None:
            if d.id in reg.ids(d.kind):
                raise _changed_since(d.id, number)
            reg.insert(d.kind, copy.deepcopy(d.target))
            present.append(d)
        else:
            _move(reg, d, number)
            present.append(d)
    _check_names(reg, removed, present, number)


def _move(reg: Registry, d: Delta, number: int) -> None:
    record = reg.find(d.kind, d.id)
    if record is None:
        raise _changed_since(d.id, number)
    record = reg.edit(d.kind, d.id)
    for name, (old, new) in d.fields.items():
        if record.get(name, MISSING) != old:
            raise _changed_since(d.id, number)
        if new is MISSING:
            del record[name]
        else:
            record[name] = copy.deepcopy(new)
    for name in dict.fromkeys(name for name, _ in d.items):
        current = record.get(name, MISSING)
        if not _bag(current):
            raise _changed_since(d.id, number)
        record[name] = _moved_items(d, name, current, number)


def _moved_items(d: Delta, name: str, current: list[Record], number: int) -> list[Record]:
    """The list with the delta's items taken out and put back; put back where the target had them,
    and in date order when its items are dated (payments and actions are kept so)."""
    assert d.target is not None
    wanted = {key: n for (list_name, key), n in d.items.items() if list_name == name}
    out = Counter({key: -n for key, n in wanted.items() if n < 0})
    kept = []
    for item in current:
        key = canonical(item)
        if out[key] > 0:
            out[key] -= 1
        else:
            kept.append(item)
    if any(n > 0 for n in out.values()):
        raise _changed_since(d.id, number)
    back = Counter({key: n for key, n in wanted.items() if n > 0})
    for index, item in enumerate(d.target[name]):
        key = canonical(item)
        if back[key] > 0:
            back[key] -= 1
            kept.insert(min(index, len(kept)), copy.deepcopy(item))
    if kept and all(isinstance(item.get("date"), str) for item in kept):
        kept.sort(key=lambda item: item["date"])
    return kept


def _named(record: Record, kind: str) -> Iterator[tuple[str, str]]:
    """The records a record names: (table, id)."""
    for table, name in NAMES.get(kind, ()):
        value = record.get(name)
        for rid in value if isinstance(value, list) else [value]:
            if isinstance(rid, str) and rid:
                yield table, rid
    for event in record.get("events") or () if kind == "assets" else ():
        if event.get("incident"):
            yield "incidents", event["incident"]


def _check_names(reg: Registry, removed: list[tuple[str, str]], present: list[Delta], number: int) -> None:
    for d in present:
        for table, rid in _named(d.target or {}, d.kind):
            if reg.find(table, rid) is None:
                raise Conflict("entry", number, N_("{id} names {other}, which is gone; nothing was changed"), id=d.id, other=rid)
    if not removed:
        return
    gone = set(removed)
    for kind in NAMES:  # one pass over the tables that name others, however many records go
        for record in reg.tables[kind].values():
            for name in _named(record, kind):
                if name in gone:
                    raise Conflict(
                        "entry",
                        number,
                        N_("{other} is still named by {id}; nothing was changed"),
                        id=record["id"],
                        other=name[1],
                    )


# -- what is shown before asking ----------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of what a correction does, as a message id and its values (rendered by the CLI)."""

    message: str
    params: dict[str, Any]


def _blank(value: Any) -> Any:
    """A field's value as a reader tells it: a field a record lacks, None, "" and [] are all "nothing"."""
    return None if value is MISSING or value in (None, "", []) else value


def describe(moves: list[Delta]) -> Iterator[Line]:
    """Each unit a correction moves, with its values as stored (None for a field a record lacks, an
    item as its dict); the CLI shows them in the reader's language."""
    for d in moves:
        record = {"kind": KIND_NAMES.get(d.kind, d.kind), "id": d.id}
        if d.target is None:
            yield Line(N_("{kind} {id}: removed"), record)
        elif d.source is None:
            yield Line(N_("{kind} {id}: comes back"), record)
        else:
            for name, (old, new) in d.fields.items():
                before, after = _blank(old), _blank(new)
                if before == after:  # absent and empty are one to a reader: no change to show
                    continue
                values = {**record, "field": name, "old": before, "new": after}
                yield Line(N_("{kind} {id}: {field} {old} → {new}"), values)
            for (name, key), copies in d.items.items():
                message = N_("{kind} {id}: {field}: takes out {item}")
                if copies > 0:
                    message = N_("{kind} {id}: {field}: puts back {item}")
                yield from [Line(message, {**record, "field": name, "item": orjson.loads(key)})] * abs(copies)
