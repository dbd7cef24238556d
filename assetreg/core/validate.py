"""Stored records checked field by field: for a table changed outside assetreg (its checksum differs)
or one written before checksums were kept. A table assetreg wrote itself is valid by construction and
is never checked here (a province's 10^5 assets cost nothing).

A stored value is valid when entering it again gives it back unchanged: `1988/05/01` is a date a
person may type, but the file holds `1988-05-01`; `厂房` is typed, `building` is stored. One table of
shapes, the field lists of `records` with the lists nested in records (events, payments, actions,
histories); no rule per field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from typing import Any

from assetreg.core import choices as C
from assetreg.core import parse
from assetreg.core.attachments import FILE_KINDS, RECORD_TABLES
from assetreg.core.errors import InvalidValue
from assetreg.core.records import ASSET, INCIDENT, LEASE, MEMBER, PAYMENT, WRITE_OFF, Field
from assetreg.core.registry import Record
from assetreg.i18n import N_

Shape = tuple[tuple[Field, ...], dict[str, tuple[Field, ...]]]  # a record's fields, and its lists of records

_EVENT = (
    Field("date", "date", True),
    Field("kind", "choice", True, C.EVENT_KINDS),
    Field("amount", "money", True),
    Field("source", "choice", choices=C.SOURCES),
    Field("basis", "choice", choices=C.BASES),
    Field("cause", "choice", choices=C.CAUSES),
    Field("method", "choice", choices=C.METHODS),
    Field("incident", "ref", ref="incidents"),
    Field("doc"),
    Field("note", "note"),
)
_NOTES = (Field("doc"), Field("note", "note"))


def _but(fields: tuple[Field, ...], *, drop: tuple[str, ...] = (), **changed: Field) -> tuple[Field, ...]:
    return tuple(changed.get(f.name, f) for f in fields if f.name not in drop) + tuple(
        f for name, f in changed.items() if name not in {g.name for g in fields}
    )


SHAPES: dict[str, Shape] = {
    "members": (
        MEMBER,
        {"restructuring_history": (Field("date", "date"), Field("status", "choice", True, C.RESTRUCTURING))},
    ),
    "assets": (
        _but(
            ASSET,
            drop=("value", "source"),
            status=Field("status", "choice", True, C.ASSET_STATUSES),
            events=Field("events", "list", True),
            status_history=Field("status_history", "list"),
            transfers=Field("transfers", "list"),
        ),
        {
            "events": _EVENT,
            "status_history": (Field("date", "date", True), Field("status", "choice", True, C.ASSET_STATUSES)),
            "transfers": (
                Field("date", "date", True),
                Field("from", "ref", True, ref="members"),
                Field("to", "ref", True, ref="members"),
                *_NOTES,
            ),
        },
    ),
    "leases": (
        _but(
            LEASE,
            status=Field("status", "choice", True, C.LEASE_STATUSES),
            ended_on=Field("ended_on", "date"),
            end_note=Field("end_note", "note"),
            end_doc=Field("end_doc"),
            payments=Field("payments", "list", True),
            writeoffs=Field("writeoffs", "list"),
            refunded=Field("refunded", "money"),
            refunded_on=Field("refunded_on", "date"),
        ),
        {"payments": PAYMENT, "writeoffs": WRITE_OFF},
    ),
    "incidents": (
        _but(
            INCIDENT,
            status=Field("status", "choice", True, C.INCIDENT_STATUSES),
            initial_status=Field("initial_status", "choice", choices=C.INCIDENT_STATUSES),
            actions=Field("actions", "list", True),
        ),
        {
            "actions": (
                Field("date", "date", True),
                Field("note", "note"),
                Field("status", "choice", choices=C.INCIDENT_STATUSES),
                Field("doc"),
            )
        },
    ),
    "attachments": (
        (
            Field("table", "choice", True, RECORD_TABLES),
            Field("record", required=True),
            Field("event", "int"),
            Field("action", "int"),
            Field("kind", "choice", True, FILE_KINDS),
            Field("name", required=True),
            Field("size", "int", True),
            Field("sha256", "sha256", True),
            Field("date", "date", True),
            Field("note", "note"),
        ),
        {},
    ),
}

# Each kind's stored form, made again from the value as a person would type it.
_AGAIN: dict[str, Callable[[str, str], object]] = {
    "money": lambda v, f: str(parse.money(v, f)),
    "area": lambda v, f: str(parse.decimal_number(v, f)),
    "date": lambda v, f: parse.iso_date(v, f).isoformat(),
    "sha256": lambda v, f: v if re.fullmatch("[0-9a-f]{64}", v) else "",
}
_STORED_AS = {
    "money": N_("not an amount as assetreg stores it (digits with two decimals, as 1800000.00)"),
    "area": N_("not an area as assetreg stores it (digits, as 1200.5)"),
    "date": N_("not a date as assetreg stores it (as 1988-05-01)"),
    "sha256": N_("not a SHA-256 as assetreg stores it (64 lower-case hex digits)"),
}
_SHAPE_OF = {"int": int, "list": list, "refs": list}
_WRONG_SHAPE = {
    str: N_("must be text in quotes"),
    int: N_("must be a whole number without quotes"),
    list: N_("must be a list in [ ]"),
}


def _is(value: Any, shape: type) -> bool:
    return type(value) is shape  # exactly: a bool is an int to Python, not to a person


def _field_problem(field: Field, value: Any, where: str, ids: Callable[[str], Collection[str]]) -> InvalidValue | None:
    if value is None or value == "" or value == []:
        return InvalidValue(where, "", N_("is missing")) if field.required else None
    shape = _SHAPE_OF.get(field.kind, str)
    if not _is(value, shape):
        return InvalidValue(where, value, _WRONG_SHAPE[shape])
    if field.kind in _AGAIN:
        try:
            again = _AGAIN[field.kind](value, where)
        except InvalidValue as error:
            return error
        return None if again == value else InvalidValue(where, value, _STORED_AS[field.kind])
    if field.kind == "choice" and value not in field.choices:
        return InvalidValue(where, value, N_("not one of: {choices}"), choices=", ".join(field.choices))
    refs = value if field.kind == "refs" else [value] if field.kind == "ref" else []
    missing = [r for r in refs if type(r) is not str or r not in ids(field.ref)]
    if missing or (field.kind == "refs" and not refs):
        return InvalidValue(where, ", ".join(map(str, missing)), N_("no such record in {table}"), table=field.ref)
    if field.kind == "int" and value < 0:
        return InvalidValue(where, value, N_("must not be negative"))
    return None


def problems(kind: str, key: str, record: Record, ids: Callable[[str], Collection[str]]) -> Iterator[InvalidValue]:
    """Each field of a stored record that assetreg would not have stored, named `table id field` (a
    nested one `table id events[2].amount`, counted from 1); `ids(table)` gives a table's ids."""
    if kind not in SHAPES:
        return
    fields, nested = SHAPES[kind]
    if record.get("id") != key:
        yield InvalidValue(f"{kind} {key} id", record.get("id") or "", N_("differs from the record's key {key}"), key=key)
    for field in fields:
        if field.kind == "id":
            continue  # the record's key, above
        value = record.get(field.name)
        problem = _field_problem(field, value, f"{kind} {key} {field.name}", ids)
        if problem is not None:
            yield problem
        elif field.kind == "list" and value:
            for number, item in enumerate(value, start=1):
                where = f"{kind} {key} {field.name}[{number}]"
                if type(item) is not dict:
                    yield InvalidValue(where, item, N_("is not a record"))
                    continue
                for inner in nested[field.name]:
                    found = _field_problem(inner, item.get(inner.name), f"{where}.{inner.name}", ids)
                    if found is not None:
                        yield found
