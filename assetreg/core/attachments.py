"""Evidence files (附件): the attachment records, kept in the registry and its hash-chained log.

An attachment record names the record it belongs to (`table`, `record`), optionally the value event or
incident action it proves, and the file's name (as text, for people), size, kind, note and SHA-256. The
file itself is kept by `assetreg.store.files` under that hash.

An event or action a file is tied to gets an `anchor` (a number unique within its list) the first time:
the attachment names that anchor, so the file stays with the event itself when a back-dated event
renumbers the history (`asset history` numbers by date).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from assetreg.core.errors import Conflict, InvalidValue, NotFound
from assetreg.core.registry import Record, Registry
from assetreg.core.values import steps
from assetreg.i18n import N_

TABLE = "attachments"
FILE_KINDS = ("scan", "photo", "contract", "letter", "judgment", "other")
RECORD_TABLES = ("members", "assets", "leases", "incidents", "clearances")
_FILE_NUMBER = re.compile(r"[Ff](\d+)")
_HEX = re.compile(r"[0-9a-fA-F]{8,64}")
SHOWN_HASH = 12  # hex digits of the hash shown beside a file


def check_name(name: str, option: str = "FILE") -> str:
    """A file name kept as text: one with control or format characters (a newline, a right-to-left
    mark) is refused, since it would print as something else."""
    if not name or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") for c in name):
        raise InvalidValue(option, name, N_("the file name has control or format characters; rename the file first"))
    return name


def file_kind(kind: str | None) -> str:
    from assetreg.core.parse import choice

    return choice(kind, FILE_KINDS, "--kind") if kind else "other"


def owner_of(reg: Registry, text: str) -> tuple[str, str]:
    """(table, id) of the record that `text` names: a member, asset, lease, incident or clearance."""
    found = []
    for table in RECORD_TABLES:
        try:
            found.append((table, reg.resolve(table, text, "RECORD")))
        except NotFound:
            continue
    if not found:
        raise NotFound("RECORD", text)
    if len(found) > 1:
        named = ", ".join(f"{table[:-1]} {rid}" for table, rid in found)
        raise Conflict("RECORD", text, N_("names {count} records: {ids}; give the id"), count=len(found), ids=named)
    return found[0]


def _anchor(reg: Registry, table: str, record_id: str, field: str, item_of: Any, number: int) -> int:
    """The anchor of item `number` (as shown) of the record's `field`, given one when it has none."""
    live = reg.edit(table, record_id)
    item = item_of(live, number)
    if "anchor" not in item:
        item["anchor"] = 1 + max((x.get("anchor") or 0 for x in live[field]), default=0)
    return int(item["anchor"])


def _event(asset: Record, number: int) -> Record:
    shown = steps(asset)
    if not 1 <= number <= len(shown):
        raise InvalidValue("--event", number, N_("no such event; the asset's history has {count}"), count=len(shown))
    return shown[number - 1].event


def _action(incident: Record, number: int) -> Record:
    actions = incident["actions"]
    if not 1 <= number <= len(actions):
        raise InvalidValue("--action", number, N_("no such action; the incident has {count}"), count=len(actions))
    return actions[number - 1]  # type: ignore[no-any-return]


def check_target(reg: Registry, table: str, record_id: str, event: int | None, action: int | None) -> None:
    """`--event` only on an asset, `--action` only on an incident, each naming one that exists."""
    if event is not None and action is not None:
        raise InvalidValue("--event", event, N_("give --event or --action, not both"))
    if event is not None:
        if table != "assets":
            raise InvalidValue("--event", event, N_("only an asset has value events"))
        _event(reg.get(table, record_id), event)
    if action is not None:
        if table != "incidents":
            raise InvalidValue("--action", action, N_("only an incident has actions"))
        _action(reg.get(table, record_id), action)


def attach(
    reg: Registry,
    table: str,
    record_id: str,
    file: dict[str, Any],
    *,
    event: int | None = None,
    action: int | None = None,
    ref: str | None = None,
) -> Record:
    """Record an attachment; `file` holds name, size, sha256, kind, note and date (checked before)."""
    check_target(reg, table, record_id, event, action)
    record: Record = {"id": ref or reg.new_id(TABLE), "table": table, "record": record_id}
    record["event"] = _anchor(reg, table, record_id, "events", _event, event) if event is not None else None
    record["action"] = _anchor(reg, table, record_id, "actions", _action, action) if action is not None else None
    record.update({k: file[k] for k in ("kind", "name", "size", "sha256", "date", "note")})
    return reg.insert(TABLE, record)


def _shown_number(reg: Registry, a: Record, field: str) -> int | None:
    """The event's (action's) number as `asset history` (`incident show`) shows it today."""
    anchor = a.get(field)
    if anchor is None:
        return None
    owner = reg.find(a["table"], a["record"])
    if owner is None:
        return None
    items = [s.event for s in steps(owner)] if field == "event" else owner["actions"]
    return next((n for n, item in enumerate(items, start=1) if item.get("anchor") == anchor), None)


def of_record(reg: Registry, table: str | None = None, record_id: str | None = None) -> list[Record]:
    """The attachments of one record (all of them without one), in the order they were attached."""
    chosen = [
        a
        for a in reg.tables[TABLE].values()
        if record_id is None or (a["record"] == record_id and (table is None or a["table"] == table))
    ]
    return sorted(chosen, key=lambda a: (len(a["id"]), a["id"]))


def row(reg: Registry, a: Record) -> dict[str, Any]:
    """An attachment as `attachments --json` gives it."""
    return {
        "ref": a["id"],
        "record": a["record"],
        "event": _shown_number(reg, a, "event"),
        "action": _shown_number(reg, a, "action"),
        "kind": a["kind"],
        "name": a["name"],
        "size": a["size"],
        "sha256": a["sha256"],
        "date": a["date"],
        "note": a.get("note"),
    }


def rows(reg: Registry, table: str | None = None, record_id: str | None = None) -> list[dict[str, Any]]:
    return [row(reg, a) for a in of_record(reg, table, record_id)]


def find(reg: Registry, ref: str) -> Record:
    """The attachment `ref` names: its number (F1) or 8 or more hex digits of its hash."""
    text = str(ref).strip()
    number = _FILE_NUMBER.fullmatch(text)
    if number:
        found = reg.find(TABLE, f"F{int(number.group(1))}")
        if found is None:
            raise NotFound("REF", text)
        return found
    if not _HEX.fullmatch(text):
        raise InvalidValue("REF", text, N_("not an attachment number (F1) or 8 or more hex digits of a hash"))
    prefix = text.lower()
    matches = [a for a in of_record(reg) if a["sha256"].startswith(prefix)]
    if not matches:
        raise NotFound("REF", text)
    if len(matches) > 1:
        ids = ", ".join(f"{a['id']} ({a['record']} {a['name']})" for a in matches[:10])
        raise Conflict("REF", text, N_("names {count} attachments: {ids}; give the number"), count=len(matches), ids=ids)
    return matches[0]


def remove(reg: Registry, ref: str, *, force: bool) -> Record:
    found = find(reg, ref)
    if not force:
        raise Conflict("--force", found["id"], N_("removing takes the file off its record; give --force"))
    reg.remove(TABLE, found["id"])
    return found


def hashes(records: Iterable[Record]) -> set[str]:
    return {a["sha256"] for a in records if isinstance(a, dict) and isinstance(a.get("sha256"), str)}


def by_item(reg: Registry, table: str, record_id: str) -> tuple[list[Record], dict[tuple[str, int], list[Record]]]:
    """A record's attachments: those of the record itself, and those of each event or action by its anchor."""
    whole: list[Record] = []
    tied: dict[tuple[str, int], list[Record]] = {}
    for a in of_record(reg, table, record_id):
        for field in ("event", "action"):
            if a.get(field) is not None:
                tied.setdefault((field, a[field]), []).append(a)
                break
        else:
            whole.append(a)
    return whole, tied


COLUMNS = ("ref", "record", "event", "action", "kind", "name", "size", "sha256", "date", "note")


def import_row(reg: Registry, row: dict[str, Any]) -> Record:
    """A row of `attachments.csv` (the columns of `attachments --json`) as an attachment record; its
    file is brought in by the caller, which checks its hash."""
    from assetreg.core import parse

    table, record_id = owner_of(reg, (row.get("record") or "").strip())
    sha = (row.get("sha256") or "").strip().lower()
    if not re.fullmatch("[0-9a-f]{64}", sha):
        raise InvalidValue("sha256", sha, N_("not a SHA-256 (64 hex digits)"))
    ref = (row.get("ref") or "").strip().upper()
    if ref and not _FILE_NUMBER.fullmatch(ref):
        raise InvalidValue("ref", ref, N_("not an attachment number (F1)"))
    if ref and reg.find(TABLE, ref) is not None:
        raise Conflict("ref", ref, N_("is already taken"))
    event, action = (row.get(k) or "" for k in ("event", "action"))
    file = {
        "kind": file_kind(row.get("kind") or None),
        "name": check_name(row.get("name") or "", "name"),
        "size": parse.whole_number(row.get("size") or "", "size"),
        "sha256": sha,
        "date": parse.iso_date(row.get("date") or "", "date").isoformat(),
        "note": parse.text(row["note"], "note") if row.get("note") else None,
    }
    return attach(
        reg,
        table,
        record_id,
        file,
        event=parse.whole_number(event, "--event") if event.strip() else None,
        action=parse.whole_number(action, "--action") if action.strip() else None,
        ref=ref or None,
    )
