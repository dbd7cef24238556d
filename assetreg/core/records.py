"""Entering and changing records: one field list per kind, and the rules between fields.

The CLI, the prompts and CSV import all go through `build`, so a value is
checked the same way wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from assetreg.core import choices as C
from assetreg.core import counting, parse
from assetreg.core.errors import AlreadyRecorded, Conflict, InvalidValue, MissingOptions
from assetreg.core.history import (
    derived_restructuring,
    incident_status_on,
    own_status_on,
    restructuring_history,
    set_restructuring,
    set_status,
    status_history,
)
from assetreg.core.registry import Record, Registry
from assetreg.core.rent import arrears, deposit_held, is_active_on, last_day, rent_on, still_owed
from assetreg.core.values import disposal, entry_order, next_seq, steps, value_on
from assetreg.i18n import N_


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"  # text, note, money, area, int, date, choice, ref, refs, id
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None
    ref: str = ""
    future: bool = False  # a date that may be later than today (a lease's start and end)
    flag: str = ""  # the option's name when it is not the field's (an event's amount is --value or --proceeds)
    only_if: tuple[str, str] | None = None  # (field, value): asked in a walk only when that field has that value
    # Offered once at a terminal, skippable with Enter, when the command asks for anything: what a flag
    # reports missing or a careful clerk records (a 文号, a basis, the incident behind a loss, a note).
    offered: bool = False

    @property
    def option(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")


MEMBER = (
    Field("id", "id"),
    Field("name", required=True),
    Field("district", required=True),
    Field("kind", "choice", True, C.MEMBER_KINDS, "enterprise"),
    Field("restructuring", "choice", False, C.RESTRUCTURING, "not_started"),
    Field("restructuring_since", "date"),
    Field("restructuring_finished", "date"),
    Field("restructuring_note", "note"),
    Field("employees", "int"),
    Field("contact"),
    Field("note", "note"),
)
ASSET = (
    Field("id", "id"),
    Field("name", required=True),
    Field("owner", "ref", True, ref="members"),
    Field("category", "choice", True, C.CATEGORIES, "building"),
    Field("acquired", "date", True),
    Field("value", "money", True),
    Field("source", "choice", False, C.SOURCES, "purchase"),
    Field("location"),
    Field("area", "area"),
    Field("title_no", offered=True),  # offered for a building or land only (OFFERED_IF)
    Field("status", "choice", False, C.SET_STATUSES, "in_use"),
    Field("status_since", "date"),
    Field("holds", "ref", ref="members", only_if=("category", "equity")),
    Field("note", "note"),
)
LEASE = (
    Field("id", "id"),
    Field("asset", "ref", True, ref="assets"),
    Field("tenant", required=True),
    Field("contact"),  # the tenant's: a person or a telephone number
    Field("start", "date", True, future=True),
    Field("end", "date", True, future=True),
    Field("rent", "money", True),
    Field("period", "choice", True, C.PERIODS, "monthly"),
    Field("deposit", "money", False, default="0"),
    Field("doc", offered=True),
    Field("note", "note", offered=True),
)
INCIDENT = (
    Field("id", "id"),
    Field("kind", "choice", True, C.INCIDENT_KINDS),  # no default: what happened is the clerk's to say
    Field("assets", "refs", True, ref="assets", flag="--asset"),
    Field("occurred", "date", True),
    Field("reported", "date"),
    Field("counterparty"),
    Field("description", "note"),
    Field("estimated_loss", "money"),
    Field("status", "choice", False, C.INCIDENT_STATUSES[:-2], "open"),
)
_DATE = Field("date", "date", True)
_DOC = Field("doc")
_NOTE = Field("note", "note")
_OFFERED_DOC = Field("doc", offered=True)
_OFFERED_NOTE = Field("note", "note", offered=True)
# An offered field asked only when another has one of these values: a title certificate is a building's or land's.
OFFERED_IF = {"title_no": ("category", ("building", "land"))}
_VALUE = Field("amount", "money", True, flag="--value")
_PROCEEDS = Field("amount", "money", True, flag="--proceeds")
EVENTS = {
    "revalue": (_DATE, _VALUE, Field("basis", "choice", False, C.BASES, "appraisal", offered=True), _OFFERED_DOC, _OFFERED_NOTE),
    "impair": (
        _DATE,
        _VALUE,
        Field("cause", "choice", True, C.CAUSES),
        Field("incident", "ref", ref="incidents", offered=True),
        _OFFERED_DOC,
        _OFFERED_NOTE,
    ),
    "dispose": (_DATE, _PROCEEDS, Field("method", "choice", True, C.METHODS), _OFFERED_DOC, _OFFERED_NOTE),
}
PAYMENT = (_DATE, Field("amount", "money", True), _NOTE)
LEASE_END = (_DATE, _OFFERED_DOC, _OFFERED_NOTE)
DEPOSIT_DAY = (_DATE,)  # lease edit --apply-deposit | --refund-deposit --date D
# lease edit --rent AMOUNT --from DATE: a rent change agreed from a day of the term
RENT_CHANGE = (Field("rent", "money", True), Field("from", "date", True, future=True))
ACTION = (_DATE, Field("note", "note", True), Field("status", "choice", False, C.INCIDENT_STATUSES), _OFFERED_DOC)
CLOSING = (_DATE, Field("status", "choice", False, C.CLOSED_STATUSES, "resolved"), _NOTE, _DOC)
TRANSFER = (Field("to", "ref", True, ref="members"), _DATE, _OFFERED_DOC, _OFFERED_NOTE)
EVENT_EDIT = (Field("event", "int", True), Field("doc", required=True), _NOTE)  # asset edit --event N --doc REF
# What an `edit` changes: every field but the id (an asset's value, by its events; of a lease's terms its
# end: a renewal or an earlier end agreed, the dues following).
MEMBER_EDITABLE = MEMBER[1:]
ASSET_EDITABLE = tuple(f for f in ASSET[1:] if f.name not in ("acquired", "value", "source"))
LEASE_EDITABLE = tuple(f for f in LEASE if f.name in ("tenant", "contact", "deposit", "doc", "note", "end"))
# A date that goes with a status: when an edit changes the status, the date is the day of the change.
STATUS_DATES = {"status_since": "status"}

# What a prompt calls each option (msgids, by the option's name); the option itself is shown beside it.
FIELD_LABELS = {
    "id": N_("own id (Enter: the next free one)"),
    "name": N_("name"),
    "district": N_("district"),
    "kind": N_("kind"),
    "restructuring": N_("restructuring status"),
    "restructuring_since": N_("restructuring started on"),
    "restructuring_finished": N_("restructuring finished on"),
    "restructuring_note": N_("note on the restructuring"),
    "employees": N_("employees"),
    "contact": N_("contact"),
    "note": N_("note"),
    "holds": N_("for an equity stake: the member it is in (id or name; Enter: none)"),
    "owner": N_("owner (member id or name)"),
    "to": N_("the member receiving it (id or name)"),
    "category": N_("category"),
    "acquired": N_("date acquired"),
    "value": N_("value in yuan"),
    "source": N_("how it was acquired"),
    "location": N_("location"),
    "area": N_("area in m²"),
    "title_no": N_("title certificate number"),
    "status": N_("status"),
    "status_since": N_("status since"),
    "asset": N_("asset (id or name)"),
    "asset_id": N_("asset (id or name)"),
    "lease_id": N_("lease (id or tenant)"),
    "incident_id": N_("incident (id)"),
    "assets": N_("affected assets (ids or names; several separated by spaces, commas or 、)"),
    "tenant": N_("tenant"),
    "start": N_("first day"),
    "end": N_("last day"),
    "from": N_("the new rent is in force from"),
    "rent": N_("rent per period in yuan"),
    "period": N_("rent period"),
    "deposit": N_("deposit in yuan"),
    "refunded": N_("deposit returned in yuan"),
    "ended_on": N_("ended on"),
    "end_note": N_("note on the end"),
    "refunded_on": N_("deposit returned on"),
    "occurred": N_("date it happened"),
    "reported": N_("date it was reported"),
    "counterparty": N_("counterparty"),
    "description": N_("what happened"),
    "estimated_loss": N_("estimated loss in yuan"),
    "date": N_("date"),
    "amount": N_("amount paid in yuan"),
    "proceeds": N_("proceeds in yuan"),
    "basis": N_("basis of the new value"),
    "cause": N_("cause of the loss"),
    "method": N_("how it was disposed of"),
    "incident": N_("incident that caused it (id)"),
    "doc": N_("document reference (文号)"),
    "event": N_("number of the event, as 'asset history' numbers them"),
    "member": N_("member (id or name)"),
    "lease": N_("lease (id or tenant)"),
    "setting": N_("setting"),
    "setting_value": N_("new value"),
}


EVENT_EXTRA = {"acquire": "source", "revalue": "basis", "impair": "cause", "dispose": "method"}


def label(field: Field) -> str:
    """What a prompt calls a field (a msgid); an event's amount is called by its option (value, proceeds)."""
    key = field.flag[2:] if field.kind == "money" and field.flag else field.name
    return FIELD_LABELS.get(key, key)


def convert(field: Field, raw: Any, reg: Registry) -> Any:
    """One field's raw text into its stored form (decimal and date strings, ints, lists)."""
    opt = field.option
    if field.kind == "refs":  # several records: ids or names, in one value or one per repeated option
        return reg.resolve_all(field.ref, raw if isinstance(raw, list | tuple) else str(raw), "--asset")
    if field.kind == "money":
        return str(parse.money(raw, opt))
    if field.kind == "area":
        return str(parse.decimal_number(raw, opt))
    if field.kind == "int":
        return parse.whole_number(raw, opt)
    if field.kind == "date":
        return parse.iso_date(raw, opt, not_after=None if field.future else reg.today).isoformat()
    if field.kind == "choice":
        return parse.choice(raw, field.choices, opt)
    if field.kind == "id":
        return parse.record_id(raw, opt)
    if field.kind == "ref":  # an id in any case, or a unique name; a command's own record is named by its kind
        return reg.resolve(field.ref, raw, field.ref[:-1] if opt.endswith("_id") else opt)
    return parse.text(raw, opt, required=field.required, multiline=field.kind == "note")


def given(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != ()


def build(fields: tuple[Field, ...], raw: Mapping[str, Any], reg: Registry, *, partial: bool = False) -> Record:
    """Check and convert every given field; refuse naming every missing required one."""
    if not partial:
        missing = [f.option for f in fields if f.required and not given(raw.get(f.name))]
        if missing:
            raise MissingOptions(missing)
    record: Record = {}
    for field in fields:
        value = raw.get(field.name)
        if given(value):
            record[field.name] = convert(field, value, reg)
        elif not partial:
            record[field.name] = convert(field, field.default, reg) if field.default is not None else None
    return record


def _order(earlier: str | None, later: str | None, field: str, reason: str) -> None:
    if earlier and later and later < earlier:
        raise InvalidValue(field, later, reason, other=earlier)


# -- members -----------------------------------------------------------------


def check_member(reg: Registry, m: Record) -> None:
    name = m.get("name")
    folded = parse.fold(name or "")  # full-width forms and spaces aside: the same name typed another way
    same = next((x for x in reg.members.values() if name and parse.fold(x["name"]) == folded and x["id"] != m.get("id")), None)
    if same:
        raise Conflict("--name", name, N_("is already the name of member {id}"), id=same["id"])
    _order(
        m.get("restructuring_since"),
        m.get("restructuring_finished"),
        "--restructuring-finished",
        N_("is before the restructuring started ({other})"),
    )


def add_member(reg: Registry, raw: Mapping[str, Any]) -> Record:
    member = build(MEMBER, raw, reg)
    member["id"] = member["id"] or reg.new_id("members")
    check_member(reg, member)
    member["restructuring_history"] = derived_restructuring(member)
    return reg.insert("members", member)


def edit_member(reg: Registry, member_id: str, raw: Mapping[str, Any], today: date) -> Record:
    """A new restructuring status is a dated change: from `--restructuring-finished` for completed or
    verified, else from `--restructuring-since`, else from today. Dates given without a new status
    re-date the current status (a correction)."""
    changes = build(MEMBER_EDITABLE, raw, reg, partial=True)
    member = reg.edit("members", member_id, "member")
    history = restructuring_history(member)
    status = changes.pop("restructuring", member["restructuring"])
    member.update(changes)
    check_member(reg, member)
    finished = changes.get("restructuring_finished") if status in ("completed", "verified") else None
    day = finished or changes.get("restructuring_since")
    if status != member["restructuring"]:
        set_restructuring(member, day or today.isoformat(), status)
    elif day and history and history[-1]["date"] != day:
        earlier = history[-2]["date"] if len(history) > 1 else None
        _order(earlier, day, "--restructuring-since", N_("is before the previous restructuring status ({other})"))
        history[-1] = {**history[-1], "date": day}
        member["restructuring_history"] = history
    return member


# -- assets -------------------------------------------------------------------


def _title_numbers(reg: Registry) -> dict[tuple[str, str], list[Record]]:
    """Held assets by (title number folded, category): `乐国用（2005）第0315号` is `乐国用(2005)第0315号`."""
    if reg.title_numbers is None:
        reg.title_numbers = {}
        for a in reg.assets.values():
            if a.get("title_no"):
                reg.title_numbers.setdefault((parse.fold(a["title_no"]), a["category"]), []).append(a)
    return reg.title_numbers


def check_asset(reg: Registry, asset: Record) -> None:
    """Also: one title certificate number per category among held assets (a building and its land may
    share a certificate; a disposed asset's number may be taken again)."""
    title, category = asset.get("title_no"), asset.get("category")
    if title and category:
        holders = _title_numbers(reg).get((parse.fold(title), category), [])
        first = next((a for a in holders if a["status"] != "disposed" and a["id"] != asset.get("id")), None)
        if first:
            raise Conflict(
                "--title-no",
                title,
                N_("is already the title number of {id} {name}, held in the same category"),
                id=first["id"],
                name=first["name"],
            )
    _order(asset.get("acquired"), asset.get("status_since"), "--status-since", N_("is before the asset was acquired ({other})"))
    _check_holds(asset)


def add_asset(reg: Registry, raw: Mapping[str, Any]) -> Record:
    fields = build(ASSET, raw, reg)
    asset = {k: v for k, v in fields.items() if k not in ("value", "source")}
    asset["id"] = asset["id"] or reg.new_id("assets")
    asset["status_since"] = asset["status_since"] or asset["acquired"]
    check_asset(reg, asset)
    asset["status_history"] = [{"date": asset["status_since"], "status": asset["status"]}]
    asset["events"] = [
        {
            "date": asset["acquired"],
            "kind": "acquire",
            "amount": fields["value"],
            "source": fields["source"],
            "doc": parse.text(raw.get("doc") or "", "--doc") or None,
            "note": None,
            "seq": 1,
        }
    ]
    reg.insert("assets", asset)
    if reg.title_numbers is not None and asset.get("title_no"):
        reg.title_numbers.setdefault((parse.fold(asset["title_no"]), asset["category"]), []).append(asset)
    return asset


def _check_holds(asset: Record) -> None:
    holds = asset.get("holds")
    if holds and asset.get("category") not in (None, "equity"):
        raise InvalidValue("--holds", holds, N_("only an equity asset can be a stake in a member"))
    if holds and holds == asset.get("owner"):
        raise InvalidValue("--holds", holds, N_("is the asset's own owner"))


def check_asset_edit(reg: Registry, asset: Record, changes: Mapping[str, Any]) -> None:
    """The rules an edit of the asset must keep, on the changes given so far."""
    if asset["status"] == "disposed":
        raise Conflict("asset", asset["id"], N_("was disposed of; its record is closed"))
    if "owner" in changes and changes["owner"] != asset["owner"]:
        raise Conflict(
            "--owner",
            changes["owner"],
            N_("the owner changes only by a dated transfer; use asset transfer {id} --to MEMBER --date DATE"),
            id=asset["id"],
        )
    merged = {**asset, **{k: v for k, v in changes.items() if k not in ("status", "status_since")}}
    if "title_no" in changes or "category" in changes:
        check_asset(reg, merged)
    _check_holds(merged)
    if changes.get("status_since"):
        _order(asset["acquired"], changes["status_since"], "--status-since", N_("is before the asset was acquired ({other})"))


def edit_asset(reg: Registry, asset_id: str, raw: Mapping[str, Any], today: date) -> Record:
    """`--status S` is a dated change (from `--status-since`, else today); `--status-since` alone re-dates
    the current status (a correction)."""
    changes = build(ASSET_EDITABLE, raw, reg, partial=True)
    check_asset_edit(reg, reg.get("assets", asset_id, "asset"), changes)
    asset = reg.edit("assets", asset_id, "asset")
    status = changes.pop("status", None)
    since = changes.pop("status_since", None)
    asset.update(changes)
    if status is not None and status != asset["status"]:
        counting.guard(reg, asset["id"], since or today.isoformat())
        set_status(asset, since or today.isoformat(), status)
    elif since and since != asset["status_since"]:
        history = status_history(asset)
        earlier = history[-2]["date"] if len(history) > 1 else None
        _order(earlier, since, "--status-since", N_("is before the previous status change ({other})"))
        history[-1] = {**history[-1], "date": since}
        asset["status_history"] = history
        asset["status_since"] = since
    return asset


def transfer(reg: Registry, asset_id: str, raw: Mapping[str, Any]) -> Record:
    """A change of owner on a day (划转); `raw` holds to, date, doc, note. Transfers are recorded in date
    order: one dated before the asset's last transfer is refused."""
    asset = reg.get("assets", asset_id, "asset")
    missing = [option for option, key in (("--to", "to"), ("--date", "date")) if not given(raw.get(key))]
    if missing:
        raise MissingOptions(missing)
    to = reg.resolve("members", raw.get("to") or "", "--to")
    day = parse.iso_date(raw.get("date") or "", "--date", not_after=reg.today).isoformat()
    doc = parse.text(raw.get("doc") or "", "--doc") or None
    note = parse.text(raw.get("note") or "", "--note", multiline=True) or None
    gone = disposal(asset)
    if gone and gone.day.isoformat() <= day:
        raise Conflict("asset", asset_id, N_("was disposed of on {day}"), day=gone.day.isoformat())
    _order(asset["acquired"], day, "--date", N_("is before the asset was acquired ({other})"))
    transfers = asset.get("transfers") or []
    if transfers:
        _order(transfers[-1]["date"], day, "--date", N_("is before the asset's last transfer ({other})"))
    if to == asset["owner"]:
        raise InvalidValue("--to", to, N_("already owns the asset"))
    counting.guard(reg, asset["id"], day)
    if to == asset.get("holds"):
        raise InvalidValue("--to", to, N_("is the member this stake is in"))
    seq = entered_seq(raw, asset)
    asset = reg.edit("assets", asset_id)
    moved = {"date": day, "from": asset["owner"], "to": to, "doc": doc, "note": note, "seq": seq}
    asset["transfers"] = [*transfers, moved]
    asset["owner"] = to
    return asset


def entered_seq(raw: Mapping[str, Any], asset: Record) -> int:
    """The order an event or transfer was entered in: the next one, or (an imported row) its `seq` column."""
    if given(raw.get("seq")):
        return parse.whole_number(raw["seq"], "--seq")
    return next_seq(asset)


def check_event_number(asset: Record, number: int | None) -> None:
    """Event `number` of the asset's history (1 = the first by date, as `asset history` numbers them)."""
    count = len(steps(asset))
    if number is not None and not 1 <= number <= count:
        raise InvalidValue("--event", number, N_("no such event; the asset's history has {count}"), count=count)


def edit_event(reg: Registry, asset_id: str, raw: Mapping[str, Any]) -> Record:
    """Give an event of the asset's history its document reference, and a note if one is given; `raw`
    holds event, doc, note. A disposed asset's events take them too: approvals are often filed late."""
    asset = reg.get("assets", asset_id, "asset")
    values = build(EVENT_EDIT, raw, reg)
    check_event_number(asset, values["event"])
    chosen = steps(asset)[values["event"] - 1].event
    position = next(i for i, e in enumerate(asset["events"]) if e is chosen)
    event = reg.edit("assets", asset["id"])["events"][position]
    event["doc"] = values["doc"]
    if values["note"] is not None:
        event["note"] = values["note"]
    return reg.get("assets", asset["id"])


# asset edit ID --event N --amount AMOUNT | --date DATE: a wrong amount or day of a value event corrected
EVENT_CORRECTION = (Field("event", "int", True), Field("amount", "money"), Field("date", "date"), _DOC, _NOTE)


def _named_event(n: int, step: Any) -> str:
    return f"{n} ({step.kind} {step.day.isoformat()} {step.amount:,.2f})"


def check_event_correction(reg: Registry, asset: Record, number: int, amount: str | None, day: str | None) -> None:
    """A corrected event keeps its place among the asset's events (a new day between its neighbours'), and no
    impairment turns into a gain: the event itself, when it is one, nor the value event after it."""
    check_event_number(asset, number)
    history = steps(asset)
    step = history[number - 1]
    before = history[number - 2] if number > 1 else None
    after = history[number] if number < len(history) else None
    if day is not None:
        if before is not None and day < before.day.isoformat():
            raise InvalidValue(
                "--date", day, N_("is before event {other}, which comes before it"), other=_named_event(number - 1, before)
            )
        if after is not None and day > after.day.isoformat():
            raise InvalidValue(
                "--date", day, N_("is after event {other}, which comes after it"), other=_named_event(number + 1, after)
            )
        for moved in asset.get("transfers") or () if number == 1 else ():
            if moved["date"] < day:
                raise InvalidValue("--date", day, N_("is after the asset's transfer of {other}"), other=moved["date"])
        counting.guard(reg, asset["id"], min(day, step.day.isoformat()))
    if amount is None or step.kind == "dispose":
        return
    value = Decimal(amount)
    if step.kind == "impair" and before is not None and before.after is not None and value > before.after:
        reason = N_("is above the value before the impairment ({other})")
        raise InvalidValue("--amount", amount, reason, other=f"{before.after:,.2f}")
    if after is not None and after.kind == "impair" and after.amount > value:
        raise InvalidValue(
            "--amount",
            amount,
            N_("is below event {other}, an impairment, which would then raise the value"),
            other=_named_event(number + 1, after),
        )
    counting.guard(reg, asset["id"], step.day.isoformat())


def correct_event(reg: Registry, asset_id: str, raw: Mapping[str, Any]) -> Record:
    """`asset edit ID --event N --amount AMOUNT | --date DATE [--doc REF] [--note TEXT]`: the amount or day of
    event N corrected in place (the log holds the event before and after: undo puts it back). The first
    event's day is the asset's acquisition day (`asset edit --acquired`), and its first status moves with it."""
    asset = reg.get("assets", asset_id, "asset")
    values = build(EVENT_CORRECTION, raw, reg, partial=True)
    if "event" not in values:
        raise MissingOptions(["--event"])
    if "amount" not in values and "date" not in values:
        raise MissingOptions(["--amount", "--date"])
    number = values["event"]
    check_event_correction(reg, asset, number, values.get("amount"), values.get("date"))
    chosen = steps(asset)[number - 1].event
    position = next(i for i, e in enumerate(asset["events"]) if e is chosen)
    old_day = chosen["date"]
    asset = reg.edit("assets", asset["id"])
    event = asset["events"][position] = dict(asset["events"][position])
    for key in ("amount", "date", "doc", "note"):
        if key in values:
            event[key] = values[key]
    if number == 1 and event["date"] != old_day:  # the acquisition's day: the asset's, and its first status's
        _move_acquisition(asset, old_day, event["date"])
    if event["kind"] == "dispose" and event["date"] != old_day:
        history = status_history(asset)
        asset["status_history"] = [{**e, "date": event["date"]} if e["status"] == "disposed" else e for e in history]
        asset["status_since"] = asset["status_history"][-1]["date"]
    return asset


def _move_acquisition(asset: Record, old: str, new: str) -> None:
    """The asset acquired on `new` instead of `old`: statuses dated on the old day move with it; one dated
    between the two days is refused naming it."""
    history = status_history(asset)
    for entry in history:
        if entry["date"] != old and entry["date"] < new:
            raise InvalidValue(
                "--date", new, N_("is after the asset's status {other}"), other=f"{entry['status']} {entry['date']}"
            )
    asset["acquired"] = new
    asset["status_history"] = [{**e, "date": new} if e["date"] == old else e for e in history]
    asset["status_since"] = asset["status_history"][-1]["date"]


def check_event(reg: Registry, asset: Record, kind: str, event: Record) -> None:
    """The rules between an event's fields and its asset, on the fields given so far."""
    gone = disposal(asset)
    if gone:
        raise Conflict("asset", asset["id"], N_("was disposed of on {day}"), day=gone.day.isoformat())
    day = event.get("date")
    if not day:
        return
    counting.guard(reg, asset["id"], day)
    if day < asset["acquired"]:
        raise InvalidValue("--date", day, N_("is before the asset was acquired ({other})"), other=asset["acquired"])
    if kind == "dispose":
        last = steps(asset)[-1].day.isoformat()
        if day < last:
            raise InvalidValue("--date", day, N_("is before the asset's last value event ({other})"), other=last)
    if kind != "dispose" and event.get("amount") is not None:
        _check_later_impairment(asset, (day, event.get("seq") or next_seq(asset)), Decimal(event["amount"]))
    if kind == "impair" and event.get("amount") is not None:
        before = value_on(asset, date.fromisoformat(day))
        if before is not None and Decimal(event["amount"]) > before:
            raise InvalidValue(
                "--value", event["amount"], N_("is above the value before the impairment ({other})"), other=str(before)
            )


def _check_later_impairment(asset: Record, order: tuple[str, int], value: Decimal) -> None:
    """A value event dated before later ones may not turn the next of them, an impairment, into a gain:
    refused naming that impairment (its loss is the value before it less the value it records)."""
    later = next((step for step in steps(asset) if entry_order(step.event) > order), None)
    if later is not None and later.kind == "impair" and later.amount > value:
        raise InvalidValue(
            "--date",
            order[0],
            N_("is before the impairment of {other} to {amount}, which would then raise the value from {before}"),
            other=later.day.isoformat(),
            amount=str(later.amount),
            before=str(value),
        )


def add_event(reg: Registry, asset_id: str, kind: str, raw: Mapping[str, Any]) -> Record:
    """A revalue, impair or dispose event; `raw` holds date, amount, its choice, doc, note, incident."""
    asset = reg.get("assets", asset_id, "asset")
    values = build(EVENTS[kind], raw, reg)
    check_event(reg, asset, kind, {**values, "seq": entered_seq(raw, asset)})
    extra = EVENT_EXTRA[kind]
    event: Record = {"date": values["date"], "kind": kind, "amount": values["amount"], extra: values[extra]}
    event.update(doc=values["doc"], note=values["note"])
    if values.get("incident"):
        event["incident"] = values["incident"]
    event["seq"] = entered_seq(raw, asset)
    if kind == "dispose":
        _end_running_leases(reg, asset, event["date"], end=parse.yes_no(raw.get("end_leases"), "--end-leases"))
    asset = reg.edit("assets", asset_id)
    asset["events"].append(event)
    if kind == "dispose":
        set_status(asset, event["date"], "disposed")
    return asset


def _end_running_leases(reg: Registry, asset: Record, day: str, *, end: bool) -> None:
    """An asset leaves with its leases ended: refused naming them, or (`--end-leases`) ended on `day`."""
    running = [x["id"] for x in reg.leases.values() if x["asset"] == asset["id"] and x["status"] == "active"]
    if running and not end:
        raise Conflict(
            "asset",
            asset["id"],
            N_("has a running lease {ids}; end it first, or give --end-leases to end it on the day"),
            ids=", ".join(running),
        )
    for lease_id in running:
        end_lease(reg, lease_id, {"date": day})


def import_status(reg: Registry, asset_id: str, raw: Mapping[str, Any], *, replace: bool) -> Record:
    """A row of a `statuses` file: one dated status of the asset's own. The first row for an asset in a
    file replaces the status its asset row gave (disposals stay: they come with their value event)."""
    asset = reg.get("assets", asset_id, "--asset")
    day = parse.iso_date(raw.get("date") or "", "--date", not_after=reg.today).isoformat()
    status = parse.choice(raw.get("status") or "", C.ASSET_STATUSES[:-1], "--status")
    _order(asset["acquired"], day, "--date", N_("is before the asset was acquired ({other})"))
    counting.guard(reg, asset["id"], day)
    asset = reg.edit("assets", asset_id)
    if replace:
        asset["status_history"] = [e for e in status_history(asset) if e["status"] == "disposed"]
    set_status(asset, day, status)
    return asset


def import_restructuring(reg: Registry, member_id: str, raw: Mapping[str, Any], *, replace: bool) -> Record:
    """A row of a `restructurings` file: one dated restructuring status (an empty date: from the start).
    The first row for a member in a file replaces the history its member row gave."""
    member = reg.get("members", member_id, "--member")
    day = parse.iso_date(raw["date"], "--date", not_after=reg.today).isoformat() if given(raw.get("date")) else None
    status = parse.choice(raw.get("status") or "", C.RESTRUCTURING, "--status")
    member = reg.edit("members", member_id)
    if replace:
        member["restructuring_history"] = []
    set_restructuring(member, day, status)
    return member


# -- leases -------------------------------------------------------------------


def check_lease(reg: Registry, lease: Record) -> None:
    _order(lease.get("start"), lease.get("end"), "--end", N_("is before the lease starts ({other})"))
    if lease.get("asset"):
        asset = reg.get("assets", lease["asset"], "--asset")
        if asset["status"] == "disposed":
            raise Conflict("--asset", asset["id"], N_("was disposed of; its record is closed"))


def add_lease(reg: Registry, raw: Mapping[str, Any], *, update_asset: bool = True) -> Record:
    lease = build(LEASE, raw, reg)
    if lease["contact"] is None:  # kept only when given: leases entered before version 3 have none
        del lease["contact"]
    lease["id"] = lease["id"] or reg.new_id("leases")
    check_lease(reg, lease)
    asset = reg.get("assets", lease["asset"], "--asset")
    lease.update(status="active", ended_on=None, payments=[])
    reg.insert("leases", lease)
    own = own_status_on(asset, date.fromisoformat(lease["start"]))
    if update_asset and (own is None or own[0] in ("in_use", "idle")):
        set_status(reg.edit("assets", asset["id"]), lease["start"], "leased")
    return lease


def edit_lease(reg: Registry, lease_id: str, raw: Mapping[str, Any]) -> Record:
    """Change a lease's tenant, contact, deposit, document reference or note, or its last day (a renewal or
    an earlier end agreed: the dues follow, as they are worked out from it)."""
    changes = build(LEASE_EDITABLE, raw, reg, partial=True)
    check_lease_edit(reg, reg.get("leases", lease_id, "lease"), changes)
    lease = reg.edit("leases", lease_id, "lease")
    lease.update(changes)
    return lease


def check_lease_edit(reg: Registry, lease: Record, changes: Mapping[str, Any]) -> None:
    """A new end may not come before the start, nor before the day an ended lease ended."""
    end = changes.get("end")
    _order(lease["start"], end, "--end", N_("is before the lease starts ({other})"))
    _order(lease.get("ended_on"), end, "--end", N_("is before the day the lease ended ({other})"))


def check_rent_change(reg: Registry, lease: Record, change: Mapping[str, Any]) -> None:
    """A rent change takes effect on a day of the lease's term after its last change, and changes the rent
    (checked on what is given so far, as a prompt asks for the rest)."""
    rent, day = change.get("rent"), change.get("from")
    if not isinstance(day, str) or not day:
        return
    _order(lease["start"], day, "--from", N_("is before the lease starts ({other})"))
    last = last_day(lease).isoformat()
    if day > last:
        raise InvalidValue("--from", day, N_("is after the lease's last day ({other})"), other=last)
    changes = lease.get("rents") or []
    if changes and day <= changes[-1]["date"]:
        raise InvalidValue(
            "--from",
            day,
            N_("is not after the lease's last rent change ({other}); undo that change to correct it"),
            other=changes[-1]["date"],
        )
    if isinstance(rent, str) and Decimal(rent) == rent_on(lease, date.fromisoformat(day)):
        raise InvalidValue("--rent", rent, N_("is already the rent in force on {day}"), day=day)


def change_rent(reg: Registry, lease_id: str, raw: Mapping[str, Any]) -> Record:
    """`lease edit --rent AMOUNT --from DATE`: the rent from that day on; the dues before it keep theirs
    (see core/rent.py). Kept as dated history, `rents`, beside the rent the lease started with."""
    lease = reg.get("leases", lease_id, "lease")
    if not given(raw.get("from")):
        raise InvalidValue("--rent", raw.get("rent"), N_("needs --from DATE: the day the new rent is in force from"))
    if not given(raw.get("rent")):
        raise InvalidValue("--from", raw.get("from"), N_("needs --rent AMOUNT: the rent in force from that day"))
    change = {f.name: convert(f, raw[f.name], reg) for f in RENT_CHANGE}
    check_rent_change(reg, lease, change)
    lease = reg.edit("leases", lease["id"])
    lease["rents"] = [*(lease.get("rents") or []), {"date": change["from"], "amount": change["rent"]}]
    return lease


def check_payment(reg: Registry, lease: Record, payment: Record) -> None:
    """Also: the same date and amount as a payment already recorded is refused unless `again` is set."""
    day, amount = payment.get("date"), payment.get("amount")
    if (
        day
        and amount is not None
        and not payment.get("again")
        and any(p["date"] == day and Decimal(p["amount"]) == Decimal(amount) for p in lease["payments"])
    ):
        raise AlreadyRecorded(
            "--amount",
            amount,
            N_("a payment of this amount on {day} is already recorded; give --again to record another"),
            day=day,
        )
    if payment.get("amount") is not None and Decimal(payment["amount"]) == 0:
        raise InvalidValue("--amount", payment["amount"], N_("must be more than zero"))
    day = payment.get("date")
    end = last_day(lease).isoformat()
    if day and day > end and amount is not None and Decimal(amount) > (owed := max(still_owed(lease), Decimal("0.00"))):
        raise Conflict(
            "--amount",
            amount,
            N_("the lease ended on {day} and still owes {owed}; a payment after the end is accepted up to that"),
            day=end,
            owed=f"{owed:,.2f}",
        )


def pay(reg: Registry, lease_id: str, raw: Mapping[str, Any]) -> Record:
    lease = reg.get("leases", lease_id, "lease")
    payment = build(PAYMENT, raw, reg)
    if parse.yes_no(raw.get("again"), "--again"):
        payment["again"] = True  # kept, so that export and import carry it
    if parse.yes_no(raw.get("deposit"), "--deposit"):
        payment["deposit"] = True  # the deposit set against arrears (an imported row of `lease end --apply-deposit`)
    check_payment(reg, lease, payment)
    lease = reg.edit("leases", lease_id)
    lease["payments"].append(payment)
    lease["payments"].sort(key=lambda p: p["date"])
    return lease


def check_lease_end(reg: Registry, lease: Record, end: Record) -> None:
    if lease["status"] == "ended":
        raise Conflict("lease", lease["id"], N_("already ended on {day}"), day=lease["ended_on"])
    _order(lease["start"], end.get("date"), "--date", N_("is before the lease starts ({other})"))


def end_lease(
    reg: Registry,
    lease_id: str,
    raw: Mapping[str, Any],
    *,
    update_asset: bool = True,
    deposit_note: str | None = None,
    refund: bool = False,
) -> Record:
    """End a lease. With `deposit_note`, the deposit is set against the arrears on the day it ends (a
    payment with that note, of the deposit or the arrears, whichever is less); with `refund`, what is
    then still held is recorded as returned to the tenant that day."""
    lease = reg.get("leases", lease_id, "lease")
    end = build(LEASE_END, raw, reg)
    check_lease_end(reg, lease, end)
    day = end["date"]
    lease = reg.edit("leases", lease_id)
    lease.update(status="ended", ended_on=day, end_note=end["note"])
    if end.get("doc"):  # the agreement ending it (文号); not stored when none was given
        lease["end_doc"] = end["doc"]
    if deposit_note:
        apply_deposit(lease, day, deposit_note)
    if refund:
        refund_deposit(lease, day, required=not deposit_note)
    asset = reg.assets.get(lease["asset"])
    ended = date.fromisoformat(day)
    others = [x for x in reg.leases.values() if x["asset"] == lease["asset"] and is_active_on(x, ended)]
    own = own_status_on(asset, ended) if asset else None
    if update_asset and asset and own and own[0] == "leased" and not others:
        set_status(reg.edit("assets", asset["id"]), day, "idle")  # idle from the end day
    return lease


def apply_deposit(lease: Record, day: str, note: str) -> None:
    """Set the deposit still held against the arrears on `day`, up to what is owed (the rest still held)."""
    owed = arrears(lease, date.fromisoformat(day))
    applied = min(deposit_held(lease, date.fromisoformat(day)), owed.amount) if owed else Decimal("0.00")
    if applied > 0:
        lease["payments"].append({"date": day, "amount": str(applied), "note": note, "deposit": True})
        lease["payments"].sort(key=lambda p: p["date"])


def refund_deposit(lease: Record, day: str, *, required: bool = True) -> None:
    """Record the deposit still held on `day` as returned to the tenant; refused when none is held, unless
    not `required` (asked beside --apply-deposit, which may have used it all: then nothing is returned)."""
    held = deposit_held(lease, date.fromisoformat(day))
    if lease.get("refunded_on") or held <= 0:
        if not required:
            return
        raise Conflict("--refund-deposit", lease["id"], N_("the lease holds no deposit to return"))
    lease.update(refunded=str(held), refunded_on=day)


def settle_deposit(reg: Registry, lease_id: str, raw: Mapping[str, Any], *, apply_note: str | None, refund: bool) -> Record:
    """`lease edit --apply-deposit | --refund-deposit --date D`: what `lease end` does with the deposit, done
    later, on a lease that ended on or before D."""
    lease = reg.get("leases", lease_id, "lease")
    day = build(DEPOSIT_DAY, raw, reg)["date"]
    if lease["status"] != "ended" or lease["ended_on"] > day:
        raise Conflict("--date", day, N_("the deposit is set against arrears or returned once the lease has ended"))
    lease = reg.edit("leases", lease_id)
    if apply_note:
        apply_deposit(lease, day, apply_note)
    if refund:
        refund_deposit(lease, day, required=not apply_note)
    return lease


WRITE_OFF = (_DATE, Field("amount", "money", True, flag="--amount"), Field("doc", required=True), _NOTE)


def check_write_off(reg: Registry, lease: Record, values: Record) -> None:
    """A write-off settles arrears owed on its day, oldest first: never more than they are."""
    day, amount = values.get("date"), values.get("amount")
    _order(lease["start"], day, "--date", N_("is before the lease starts ({other})"))
    if amount is not None and Decimal(amount) == 0:
        raise InvalidValue("--amount", amount, N_("must be more than zero"))
    if day and amount is not None:
        owed = arrears(lease, date.fromisoformat(day))
        if Decimal(amount) > (owed.amount if owed else Decimal("0.00")):
            raise InvalidValue(
                "--amount",
                amount,
                N_("is more than the arrears owed on {day} ({owed})"),
                day=day,
                owed=f"{owed.amount if owed else 0:,.2f}",
            )


def write_off(reg: Registry, lease_id: str, raw: Mapping[str, Any]) -> Record:
    """Write off arrears that will never be paid (坏账核销), under the approval `doc`."""
    lease = reg.get("leases", lease_id, "lease")
    values = build(WRITE_OFF, raw, reg)
    check_write_off(reg, lease, values)
    lease = reg.edit("leases", lease_id)
    lease["writeoffs"] = sorted([*(lease.get("writeoffs") or []), values], key=lambda w: w["date"])
    return lease


# -- incidents ----------------------------------------------------------------


def check_incident(reg: Registry, incident: Record) -> None:
    _order(incident.get("occurred"), incident.get("reported"), "--reported", N_("is before the incident occurred ({other})"))


def add_incident(reg: Registry, raw: Mapping[str, Any]) -> Record:
    incident = build(INCIDENT, raw, reg)
    incident["id"] = incident["id"] or reg.new_id("incidents")
    check_incident(reg, incident)
    incident["initial_status"] = incident["status"]
    incident["actions"] = []
    return reg.insert("incidents", incident)


def check_action(reg: Registry, incident: Record, action: Record) -> None:
    if incident["status"] in C.CLOSED_STATUSES:
        raise Conflict("incident", incident["id"], N_("is already {status}"), status=incident["status"])
    _order(incident["occurred"], action.get("date"), "--date", N_("is before the incident occurred ({other})"))


def act(reg: Registry, incident_id: str, raw: Mapping[str, Any], *, closing: bool = False) -> Record:
    incident = reg.get("incidents", incident_id, "incident")
    action = build(CLOSING if closing else ACTION, raw, reg)
    check_action(reg, incident, action)
    incident = reg.edit("incidents", incident_id)
    incident["actions"].append({k: action[k] for k in ("date", "note", "status", "doc")})
    incident["actions"].sort(key=lambda a: a["date"])
    if action["status"]:
        incident["status"] = status_on(incident, date.max)
    return incident


status_on = incident_status_on  # the name version 1 code imports


# -- removal ------------------------------------------------------------------


def references(reg: Registry, kind: str, record_id: str) -> list[str]:
    """The records that name this one; a record still named cannot be removed."""
    if kind == "members":
        return [
            a["id"]
            for a in reg.assets.values()
            if a["owner"] == record_id
            or a.get("holds") == record_id
            or any(t["from"] == record_id for t in a.get("transfers") or ())
        ] + _files_of(reg, kind, record_id)
    if kind == "assets":
        leases = [x["id"] for x in reg.leases.values() if x["asset"] == record_id]
        counted = [f["clearance"] for key, f in reg.tables["findings"].items() if key.endswith("/" + record_id)]
        named = leases + [i["id"] for i in reg.incidents.values() if record_id in i["assets"]] + counted
        return named + _files_of(reg, kind, record_id)
    if kind == "incidents":
        named = [a["id"] for a in reg.assets.values() if any(e.get("incident") == record_id for e in a["events"])]
        return named + _files_of(reg, kind, record_id)
    return _files_of(reg, kind, record_id)


def _files_of(reg: Registry, kind: str, record_id: str) -> list[str]:
    """The attachments of a record: a record with files is not removed under them (remove those first)."""
    return [a["id"] for a in reg.tables["attachments"].values() if a["table"] == kind and a["record"] == record_id]


def remove(reg: Registry, kind: str, record_id: str, *, force: bool) -> Record:
    """Delete a record entered by mistake. Disposal and closing are the way out for real ones."""
    record = reg.get(kind, record_id, kind[:-1])
    record_id = record["id"]
    if not force:
        raise Conflict(
            "--force",
            record_id,
            N_("removing deletes the record; give --force (to dispose of or close it, use dispose or close)"),
        )
    named_by = references(reg, kind, record_id)
    if named_by:
        raise Conflict(
            kind[:-1], record_id, N_("is still named by {ids}; remove or change those first"), ids=", ".join(named_by[:5])
        )
    reg.remove(kind, record_id)
    return record
