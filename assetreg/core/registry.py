"""The registry in memory: tables of plain records, and the changes a command made.

Records are JSON-ready dicts: money and areas as decimal strings, dates as ISO
strings, nested lists for an asset's value events, a lease's payments and an
incident's actions. The store loads and saves them; `core` only reads and edits.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection, Iterable, MutableMapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from assetreg.core import parse
from assetreg.core.errors import Conflict, InvalidValue, NotFound
from assetreg.i18n import N_

Record = dict[str, Any]
# Tables every registry file has; those of later versions (the clearances, 资产清查) are read as empty
# from a file written before them, and written once a command adds to them.
REQUIRED_KINDS = ("members", "assets", "leases", "incidents", "settings")
KINDS = (*REQUIRED_KINDS, "clearances", "findings", "attachments")
PREFIXES = {
    "members": ("M", 3),
    "assets": ("A", 4),
    "leases": ("L", 4),
    "incidents": ("I", 4),
    "clearances": ("C", 3),
    "attachments": ("F", 1),
}
ID_FIELDS = {"members": "--owner", "assets": "--asset", "leases": "lease", "incidents": "--incident"}
SETTINGS_ID = "settings"
# What a person may name a record by instead of its id (what tables show as its name).
NAME_FIELDS = {"members": "name", "assets": "name", "leases": "tenant"}
# Between several records in one value: spaces (full-width too), commas, 、 and semicolons (CSV).
_SEPARATORS = re.compile(r"[\s,，、;；]+")


class _Tables(dict[str, dict[str, Record]]):
    """Tables loaded the first time a command asks for them: most commands need only a few. Records
    added before a table was loaded (`added`) join it then."""

    def __init__(
        self, loader: Callable[[str], dict[str, Record]], added: dict[str, dict[str, Record]], known: dict[str, set[str]]
    ) -> None:
        super().__init__()
        self._loader = loader
        self._added = added  # the registry's own dicts: no reference back to it (no cycle to collect)
        self._known = known

    def __missing__(self, kind: str) -> dict[str, Record]:
        table = self[kind] = self._loader(kind)
        table.update(self._added.pop(kind, {}))
        self._known.pop(kind, None)
        return table


@dataclass(frozen=True)
class Change:
    kind: str
    id: str
    before: Record | None
    after: Record | None


class Registry:
    """All tables of one registry file, and a record of what this command changed."""

    def __init__(
        self,
        tables: dict[str, dict[str, Record]] | None = None,
        name: str = "",
        loader: Callable[[str], dict[str, Record]] | None = None,
        ids: Callable[[str], set[str]] | None = None,
    ) -> None:
        """`loader` gives a table's records; `ids`, if given, just a table's ids, so that records can be
        added to a table that is never loaded (adding an asset to a province need not read 10^5)."""
        self._ids = ids
        # (title number, category) -> held assets with it, built once per command for the duplicate check:
        # an import of 10^5 assets would otherwise scan the table once per row.
        self.title_numbers: dict[tuple[str, str], list[Record]] | None = None
        self._known: dict[str, set[str]] = {}  # the ids of tables not loaded, with those added
        self._added: dict[str, dict[str, Record]] = {}  # records added to tables not loaded
        self.tables = _Tables(loader or (lambda kind: {}), self._added, self._known)
        for kind, table in (tables or {}).items():
            self.tables[kind] = dict(table)
        self.name = name
        # The command's today: a past event's date may not be later (None: no such check, as in tests).
        self.today: date | None = None
        # An attached file's state by its hash (None: present with its hash; "missing", "changed"), for the
        # documents that list files to mark them; given by the store (None: not checked, as in tests of core).
        self.file_state: Callable[[str], str | None] | None = None
        self._before: dict[tuple[str, str], Record | None] = {}
        self._next_number: dict[str, int] = {}
        # name -> ids and id -> name of a table, built when a record is first named by its name (an
        # import of 10^5 rows naming their owners would otherwise scan the table once per row), with
        # the ids this command touched since, to bring up to date before the next lookup.
        self._names: dict[str, tuple[dict[str, list[str]], dict[str, str]]] = {}
        self._touched: dict[str, list[str]] = {}

    def ids(self, kind: str) -> Collection[str]:
        if kind in self.tables or self._ids is None:
            return self.tables[kind].keys()
        if kind not in self._known:
            self._known[kind] = self._ids(kind)
        return self._known[kind]

    @property
    def members(self) -> dict[str, Record]:
        return self.tables["members"]

    @property
    def assets(self) -> dict[str, Record]:
        return self.tables["assets"]

    @property
    def leases(self) -> dict[str, Record]:
        return self.tables["leases"]

    @property
    def incidents(self) -> dict[str, Record]:
        return self.tables["incidents"]

    def find(self, kind: str, record_id: str) -> Record | None:
        added = self._added.get(kind, {})
        return added[record_id] if record_id in added else self.tables[kind].get(record_id)

    def get(self, kind: str, record_id: str, field: str | None = None) -> Record:
        """The record with this id, else the one a person named (see `resolve`)."""
        record = self.find(kind, record_id)
        if record is None:
            record = self.find(kind, self.resolve(kind, record_id, field))
            assert record is not None
        return record

    def resolve(self, kind: str, text: str, field: str | None = None) -> str:
        """The id of the record that `text` names: its id in any case and width (`m001`, `Ｍ００１`), or
        its exact name (a lease's tenant) when no other record of the kind has it. An ambiguous name is
        refused listing the candidates with their ids. Only a text that is not an id costs a scan."""
        field = field or ID_FIELDS.get(kind, "id")
        raw = str(text).strip()
        if self.find(kind, raw) is not None:
            return raw
        rid = parse.ascii_forms(raw).upper()
        if self.find(kind, rid) is not None:
            return rid
        if rid:
            same = [existing for existing in self.ids(kind) if existing.upper() == rid]  # ids stored before case was ignored
            if len(same) == 1:
                return same[0]
        named = self._named(kind, raw) if raw else []
        if len(named) == 1:
            return named[0]
        if named:
            candidates = ", ".join(f"{rid} {raw}" for rid in sorted(named)[:10]) + (", …" if len(named) > 10 else "")
            raise Conflict(field, raw, N_("names {count} records: {ids}; give the id"), count=len(named), ids=candidates)
        raise NotFound(field, raw, self.like(kind, raw))

    def like(self, kind: str, text: str, most: int = 5) -> str:
        """Up to `most` records of `kind` whose names (or ids) hold `text`, folded: what a person who
        named none of them may have meant, as "ID name, …"."""
        needle = parse.fold(text)
        if not needle or kind not in NAME_FIELDS:
            return ""
        self._named(kind, "")  # the index of names, brought up to date
        by_id = self._names[kind][1]
        found = sorted(rid for rid, name in by_id.items() if needle in parse.fold(name) or needle in parse.fold(rid))
        return ", ".join(f"{rid} {by_id[rid]}" for rid in found[:most]) + (", …" if len(found) > most else "")

    def _named(self, kind: str, name: str) -> list[str]:
        """The ids of the records of `kind` called `name` (for leases: with that tenant), names folded
        (full-width forms, spaces and case aside)."""
        field = NAME_FIELDS.get(kind)
        if field is None:
            return []
        if kind not in self._names:
            self._names[kind] = ({}, {})
            self._touched[kind] = [*self.ids(kind)]
        by_name, by_id = self._names[kind]
        for rid in self._touched.pop(kind, ()):
            old = by_id.pop(rid, None)
            if old is not None:
                by_name[parse.fold(old)].remove(rid)
            record = self.find(kind, rid)
            if record is not None and record.get(field):
                by_id[rid] = record[field]
                by_name.setdefault(parse.fold(record[field]), []).append(rid)
        self._touched[kind] = []
        return sorted(by_name.get(parse.fold(name), ()))

    def _touch(self, kind: str, record_id: str) -> None:
        if kind in self._touched:
            self._touched[kind].append(record_id)

    def resolve_all(self, kind: str, items: str | Iterable[str], field: str) -> list[str]:
        """Several records in one value, or one per repeated option: each item is one id or name, or
        several separated by spaces, commas or 、 (a name that holds those characters is tried whole first)."""
        result: list[str] = []
        for item in [items] if isinstance(items, str) else items:
            text = str(item).strip()
            try:
                result.append(self.resolve(kind, text, field))
                continue
            except NotFound:
                if not _SEPARATORS.search(text):
                    raise
            result += [self.resolve(kind, part, field) for part in _SEPARATORS.split(text) if part]
        if not result:
            raise InvalidValue(field, "", N_("must not be empty"))
        return list(dict.fromkeys(result))

    def edit(self, kind: str, record_id: str, field: str | None = None) -> Record:
        """The live record, remembered as it was before this command first touched it."""
        record = self.get(kind, record_id, field)
        self._before.setdefault((kind, record["id"]), copy.deepcopy(record))
        self._touch(kind, record["id"])
        return record

    def insert(self, kind: str, record: Record) -> Record:
        record_id = record["id"]
        if record_id in self.ids(kind):
            raise Conflict("--id", record_id, N_("is already taken"))
        self._before.setdefault((kind, record_id), None)
        self._touch(kind, record_id)
        if kind in self.tables or self._ids is None:
            self.tables[kind][record_id] = record
        else:
            self._added.setdefault(kind, {})[record_id] = record
            self._known[kind].add(record_id)
        return record

    def remove(self, kind: str, record_id: str) -> None:
        del self.tables[kind][self.edit(kind, record_id)["id"]]

    def replace_all(self, tables: MutableMapping[str, dict[str, Record]]) -> None:
        """Make the registry hold exactly `tables` (a restore), recording every difference. `tables` is
        taken a table at a time, and its records become the registry's own (a province's backup holds
        10^5 of them: not copied, and not all held at once)."""
        for kind in KINDS:
            wanted = tables.pop(kind, {})
            live = self.tables[kind]
            for record_id in [rid for rid in live if rid not in wanted]:
                self.remove(kind, record_id)
            for record_id, record in wanted.items():
                if record_id not in live:
                    self.insert(kind, record)
                elif live[record_id] != record:  # only what differs is touched, and logged
                    current = self.edit(kind, record_id)
                    current.clear()
                    current.update(record)

    def new_id(self, kind: str) -> str:
        prefix, width = PREFIXES[kind]
        taken = self.ids(kind)
        if kind not in self._next_number:
            # one regex pass over the ids joined, in C: a loop in Python was a third of `asset add` at 10^5 assets
            numbers = re.findall(rf"^{prefix}([0-9]+)$", "\n".join(taken), re.M)
            self._next_number[kind] = max(map(int, numbers), default=0) + 1
        number = self._next_number[kind]
        while f"{prefix}{number:0{width}d}" in taken:
            number += 1
        self._next_number[kind] = number + 1
        return f"{prefix}{number:0{width}d}"

    def saved(self) -> None:
        """The changes so far are saved: forget the records as they were."""
        self._before.clear()

    def changes(self) -> list[Change]:
        """What this command changed, in the order it first touched each record."""
        result = []
        for (kind, record_id), before in self._before.items():
            after = self.find(kind, record_id)
            if before != after:
                result.append(Change(kind, record_id, before, after))
        return result

    @property
    def settings(self) -> Record:
        return self.tables["settings"].get(SETTINGS_ID, {})
