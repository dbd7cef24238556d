"""CSV import and export: the same columns both ways, checked by the same rules as the CLI."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from assetreg.core import attachments, clearance, parse, records, settings
from assetreg.core.errors import AssetregError, InvalidValue
from assetreg.core.history import derived_restructuring, restructuring_history, status_history
from assetreg.core.registry import SETTINGS_ID, Record, Registry
from assetreg.core.values import entry_order
from assetreg.i18n import N_

# The order that rebuilds a registry: impairments may cite incidents, payments need leases.
EXPORT_ORDER = (
    "members",
    "settings",
    "restructurings",
    "assets",
    "statuses",
    "transfers",
    "incidents",
    "values",
    "leases",
    "payments",
    "writeoffs",
    "actions",
    "clearances",
    "findings",
    "attachments",
)
IMPORT_KINDS = EXPORT_ORDER
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
QUOTED = (*FORMULA_START, "'")

COLUMNS: dict[str, tuple[str, ...]] = {
    "members": tuple(f.name for f in records.MEMBER),
    "settings": ("key", "value"),
    "assets": (
        "id",
        "name",
        "owner",
        "category",
        "acquired",
        "value",
        "source",
        "doc",
        "location",
        "area",
        "title_no",
        "status",
        "status_since",
        "holds",
        "note",
    ),
    # Dated history (see core/history.py): a file gives each record's whole history, replacing what its
    # member or asset row gave; an asset's disposal comes with its value event, not here.
    "restructurings": ("member", "date", "status"),
    "statuses": ("asset", "date", "status", "seq"),
    "transfers": ("asset", "date", "to", "doc", "note", "seq"),
    "values": ("asset", "date", "kind", "amount", "basis", "cause", "method", "incident", "doc", "note", "seq"),
    "leases": (
        "id",
        "asset",
        "tenant",
        "contact",  # the tenant's phone or person (version 3)
        "start",
        "end",
        "rent",
        "period",
        "deposit",
        "doc",
        "note",
        "ended_on",
        "end_note",
        "refunded",
        "refunded_on",
        "rents",  # rent changes, DATE:AMOUNT;DATE:AMOUNT (`rent` is the rent it started with)
    ),
    "payments": ("lease", "date", "amount", "note", "again", "deposit"),
    "writeoffs": ("lease", "date", "amount", "doc", "note"),
    "incidents": ("id", "kind", "assets", "occurred", "reported", "counterparty", "description", "estimated_loss", "status"),
    "actions": ("incident", "date", "note", "status", "doc"),
    "clearances": clearance.CLEARANCE_COLUMNS,
    "findings": clearance.FINDING_COLUMNS,
    "attachments": attachments.COLUMNS,
}

# Where an error names an option whose CSV column has another name.
OPTION_COLUMNS = {"values": {"value": "amount", "proceeds": "amount"}, "incidents": {"asset": "assets"}}

# Chinese column headings an official's spreadsheet may carry.
HEADINGS = {
    "编号": "id",
    "名称": "name",
    "片区": "district",
    "类型": "kind",
    "改制状态": "restructuring",
    "改制开始": "restructuring_since",
    "改制完成": "restructuring_finished",
    "改制说明": "restructuring_note",
    "职工人数": "employees",
    "联系人": "contact",
    "备注": "note",
    "产权单位": "owner",
    "所属单位": "owner",
    "类别": "category",
    "取得日期": "acquired",
    "价值": "value",
    "原值": "value",
    "来源": "source",
    "文号": "doc",
    "坐落": "location",
    "位置": "location",
    "面积": "area",
    "产权证号": "title_no",
    "状态": "status",
    "状态起始": "status_since",
    "资产": "asset",
    "日期": "date",
    "金额": "amount",
    "依据": "basis",
    "原因": "cause",
    "处置方式": "method",
    "事件": "incident",
    "承租人": "tenant",
    "起租日": "start",
    "到期日": "end",
    "租金": "rent",
    "缴租周期": "period",
    "押金": "deposit",
    "终止日": "ended_on",
    "终止说明": "end_note",
    "退还押金": "refunded",
    "退还日期": "refunded_on",
    "租金调整": "rents",
    "租约": "lease",
    "受影响资产": "assets",
    "发生日期": "occurred",
    "报告日期": "reported",
    "对方": "counterparty",
    "描述": "description",
    "估计损失": "estimated_loss",
    "说明": "note",
    "成员单位": "member",
    "划入单位": "to",
    "持股对象": "holds",
}


def column_name(heading: str) -> str:
    text = heading.strip().lstrip("\ufeff")
    return HEADINGS.get(text, text.lower().replace("-", "_").replace(" ", "_"))


def decode(data: bytes, encoding: str | None) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Chinese Excel saves."""
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as error:
            raise InvalidValue("--encoding", encoding, N_("cannot read the file: {error}"), error=str(error)) from None
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise InvalidValue("FILE", "", N_("is neither UTF-8 nor GB18030"))


def _unquote(value: str) -> str:
    """Undo the quote that exports put before formula-like text."""
    return value[1:] if value.startswith("'") and value[1:].startswith(QUOTED) else value


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    error: AssetregError


def rows(text: str, kind: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column_name(h) for h in next(reader)]
    except StopIteration:
        raise InvalidValue("FILE", "", N_("is empty")) from None
    except csv.Error as error:
        raise _unreadable(1, error) from None
    unknown = [h for h in header if h and h not in COLUMNS[kind] and not (kind == "incidents" and h == "asset")]
    if unknown:
        raise InvalidValue("column", unknown[0], N_("not one of: {choices}"), choices=", ".join(COLUMNS[kind]))

    def body() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield reader.line_num, {h: _unquote(v) for h, v in zip(header, row, strict=False) if h}
        except csv.Error as error:  # e.g. a cell over the csv module's 131,072 characters
            raise _unreadable(reader.line_num, error) from None

    return header, body()


def _unreadable(line: int, error: csv.Error) -> InvalidValue:
    return InvalidValue("FILE", f"line {line}", N_("cannot be read as CSV: {error}"), error=str(error))


def _value_row(reg: Registry, row: dict[str, str]) -> Record:
    kind = (row.get("kind") or "").strip().lower()
    if kind not in ("revalue", "impair", "dispose"):
        raise InvalidValue("kind", row.get("kind", ""), N_("not one of: {choices}"), choices="revalue, impair, dispose")
    return records.add_event(reg, (row.get("asset") or "").strip(), kind, row)


def _lease_row(reg: Registry, row: dict[str, str]) -> Record:
    lease = records.add_lease(reg, row, update_asset=False)
    if row.get("ended_on"):
        records.end_lease(reg, lease["id"], {"date": row["ended_on"], "note": row.get("end_note")}, update_asset=False)
    if row.get("refunded_on") or row.get("refunded"):  # the deposit returned, as recorded then
        returned = {
            "refunded": str(parse.money(row.get("refunded") or "", "--refunded")),
            "refunded_on": parse.iso_date(row.get("refunded_on") or "", "--refunded-on", not_after=reg.today).isoformat(),
        }
        reg.edit("leases", lease["id"]).update(returned)
    for change in filter(None, (row.get("rents") or "").split(";")):  # DATE:AMOUNT, oldest first
        day, _colon, amount = change.strip().partition(":")
        lease = records.change_rent(reg, lease["id"], {"from": day, "rent": amount})
    return lease


def _incident_row(reg: Registry, row: dict[str, Any]) -> Record:
    row = dict(row)
    row["assets"] = row.get("assets") or row.get("asset") or ""
    return records.add_incident(reg, row)


def _setting_row(reg: Registry, row: dict[str, str]) -> Record:
    """One setting, checked as `settings set` checks it."""
    try:
        key = settings.known((row.get("key") or "").strip())
    except InvalidValue as error:
        raise InvalidValue("key", error.value, error.reason, **error.params) from None
    try:
        value = settings.checked(key, row.get("value") or "")
    except InvalidValue as error:
        raise InvalidValue("value", error.value, error.reason, **error.params) from None
    if SETTINGS_ID not in reg.ids("settings"):
        reg.insert("settings", {"id": SETTINGS_ID})
    record = reg.edit("settings", SETTINGS_ID)
    record[key] = value
    return record


APPLY: dict[str, Callable[[Registry, dict[str, Any]], Record]] = {
    "members": records.add_member,
    "settings": _setting_row,
    "assets": records.add_asset,
    "values": _value_row,
    "leases": _lease_row,
    "payments": lambda reg, row: records.pay(reg, (row.get("lease") or "").strip(), row),
    "writeoffs": lambda reg, row: records.write_off(reg, (row.get("lease") or "").strip(), row),
    "incidents": _incident_row,
    "actions": lambda reg, row: records.act(reg, (row.get("incident") or "").strip(), row),
    "transfers": lambda reg, row: records.transfer(reg, (row.get("asset") or "").strip(), row),
    "clearances": clearance.import_clearance,
    "findings": clearance.import_finding,
    "attachments": attachments.import_row,
}


def _history_rows(apply: Callable[..., Record], key: str) -> Callable[[Registry, dict[str, Any]], Record]:
    """Rows of dated history for one file: the first row of each record replaces its history."""
    seen: set[str] = set()

    def apply_row(reg: Registry, row: dict[str, Any]) -> Record:
        record_id = parse.record_id(row.get(key) or "", "--" + key)
        record = apply(reg, record_id, row, replace=record_id not in seen)
        seen.add(record_id)
        return record

    return apply_row


HISTORY = {"statuses": (records.import_status, "asset"), "restructurings": (records.import_restructuring, "member")}


def apply_rows(reg: Registry, kind: str, text: str, progress: Callable[[int], None] | None = None) -> tuple[int, list[RowError]]:
    """Apply every row to the registry in memory; the caller saves only when no row failed."""
    _, body = rows(text, kind)
    errors: list[RowError] = []
    count = 0
    apply = _history_rows(*HISTORY[kind]) if kind in HISTORY else APPLY[kind]
    for line, row in body:
        count += 1
        try:
            apply(reg, row)
        except AssetregError as error:
            column = error.field.lstrip("-").replace("-", "_")
            column = OPTION_COLUMNS.get(kind, {}).get(column, column)
            errors.append(RowError(line, column, str(row.get(column, error.value)), error))
        if progress:
            progress(count)
    return count, errors


# -- export ---------------------------------------------------------------------------


def export_rows(reg: Registry, kind: str) -> Iterator[dict[str, Any]]:
    """The records of one kind as the rows `import` reads back, one at a time (a province has 10^5)."""
    if kind == "members":
        yield from reg.members.values()
    elif kind == "settings":  # every setting, defaults too: the registry read back behaves the same
        yield from ({"key": key, "value": value} for key, value in settings.effective(reg.settings).items())
    elif kind == "restructurings":
        for member in reg.members.values():
            history = restructuring_history(member)
            if history != derived_restructuring(member):
                yield from ({**e, "member": member["id"]} for e in history)
    elif kind == "statuses":
        for asset in reg.assets.values():
            own = [e for e in status_history(asset) if e["status"] != "disposed"]
            if len(own) > 1:
                yield from ({**e, "asset": asset["id"], "seq": n} for n, e in enumerate(own, start=1))
    elif kind == "transfers":
        for asset in reg.assets.values():
            yield from ({**t, "asset": asset["id"]} for t in asset.get("transfers") or ())
    elif kind in ("assets", "values"):
        for asset in reg.assets.values():
            first, *later = sorted(asset["events"], key=entry_order)
            if kind == "values":
                yield from ({**e, "asset": asset["id"]} for e in later)
                continue
            own = [e for e in status_history(asset) if e["status"] != "disposed"]
            transfers = asset.get("transfers")
            yield {
                **asset,
                "owner": transfers[0]["from"] if transfers else asset["owner"],
                "value": first["amount"],
                "source": first.get("source"),
                "doc": first.get("doc"),
                "status": own[0]["status"] if own else None,
                "status_since": own[0]["date"] if own else None,
            }
    elif kind in ("leases", "payments", "writeoffs"):
        for lease in reg.leases.values():
            if kind == "leases":
                changes = lease.get("rents")
                yield {**lease, "rents": ";".join(f"{r['date']}:{r['amount']}" for r in changes)} if changes else lease
            else:
                yield from ({**p, "lease": lease["id"]} for p in lease.get(kind) or ())
    elif kind == "incidents":
        for incident in reg.incidents.values():
            yield {
                **incident,
                "assets": ";".join(incident["assets"]),
                "status": incident.get("initial_status") or incident["status"],
            }
    elif kind == "clearances":
        yield from clearance.export_clearances(reg)
    elif kind == "findings":
        yield from clearance.export_findings(reg)
    elif kind == "attachments":
        yield from attachments.rows(reg)
    else:  # actions
        for incident in reg.incidents.values():
            yield from ({**a, "incident": incident["id"]} for a in incident["actions"])


def neutralise(value: str) -> str:
    """OWASP: a text cell that a spreadsheet would run as a formula gets a leading quote, and so does
    one that begins with a quote itself, so that `import` takes exactly one off and gets the text back."""
    return "'" + value if value.startswith(QUOTED) else value


def csv_bytes(kind: str, items: Iterable[dict[str, Any]]) -> bytes:
    """UTF-8 with BOM so that Excel shows Chinese; formula-like text is quoted (OWASP)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[kind])
    for item in items:
        writer.writerow(["" if item.get(c) is None else neutralise(str(item[c])) for c in COLUMNS[kind]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
