"""The annual clearance (资产清查): count what is held on a day against the register, then make the
register agree under an approval.

Stored in two tables. ``clearances``: one small record per clearance (its day, scope's members, status,
surpluses, notice, close). ``findings``: one record per asset of its scope, keyed ``C001/A0001``, with
the book figures as opened and the finding (null until counted): a count of 10^5 assets writes one
small record per check, never the whole scope again.

Each step is a small function of the registry: `scope_of` (what a day's register held), `counts`,
`plan_close` (every change a close makes, worked out before anything is changed) and `apply_close`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assetreg.core import choices as C
from assetreg.core import parse
from assetreg.core.counting import finding_id, open_ones
from assetreg.core.errors import Conflict, InvalidValue, MissingOptions, NotFound
from assetreg.core.history import owner_on, set_status, status_history
from assetreg.core.registry import Record, Registry
from assetreg.core.values import next_seq, value_on
from assetreg.core.views import Index
from assetreg.i18n import N_

BOOK_FIELDS = ("status", "area", "location", "title_no", "value")  # what a count compares
DIFFER_STATUSES = C.SET_STATUSES  # what an asset can be found in
ZERO = Decimal("0.00")


# -- the scope ---------------------------------------------------------------------------------


def book_of(asset: Record, day: date, index: Index) -> Record | None:
    """The asset as the register held it at the end of `day` (账面数); None when it was not held."""
    value = value_on(asset, day)
    if value is None:  # not yet acquired, or disposed of
        return None
    state = index.state(asset, day)
    book = {
        "owner": owner_on(asset, day) if "transfers" in asset else asset["owner"],
        "category": asset["category"],
        "name": asset["name"],
        "status": state[0] if state else asset["status"],
        "area": asset.get("area"),
        "location": asset.get("location"),
        "title_no": asset.get("title_no"),
        "value": str(value),
    }
    if asset.get("holds"):  # a stake in a member: the result's totals leave it out, without reading the assets
        book["holds"] = asset["holds"]
    return book


Progress = Callable[[int, int], None]  # (done, of how many): a progress bar on a terminal


def scope_of(
    reg: Registry, day: date, members: Iterable[str] | None = None, progress: Progress | None = None
) -> dict[str, Record]:
    """asset id -> book figures of the assets held at the end of `day` by `members` (all when None)."""
    index = Index(reg)
    wanted = None if members is None else set(members)
    iso = day.isoformat()
    scope = {}
    total = len(reg.assets)
    for number, (asset_id, asset) in enumerate(reg.assets.items(), start=1):
        if progress and number % 1000 == 0:
            progress(number, total)
        if asset["acquired"] > iso:
            continue
        book = book_of(asset, day, index)
        if book is not None and (wanted is None or book["owner"] in wanted):
            scope[asset_id] = book
    return scope


def members_named(reg: Registry, members: Iterable[str], districts: Iterable[str]) -> list[str] | None:
    """The members `--member` and `--district` name (None: every member)."""
    chosen = reg.resolve_all("members", list(members), "--member") if members else []
    for district in districts:
        name = parse.text(district, "--district", required=True)
        found = [m["id"] for m in reg.members.values() if m.get("district") == name]
        if not found:
            known = sorted({str(m.get("district")) for m in reg.members.values() if m.get("district")})
            raise InvalidValue("--district", name, N_("no member is in this district; districts: {ids}"), ids=", ".join(known))
        chosen += found
    return list(dict.fromkeys(chosen)) if members or districts else None


def open_clearance(
    reg: Registry,
    raw: Mapping[str, Any],
    members: Iterable[str] = (),
    districts: Iterable[str] = (),
    progress: Progress | None = None,
) -> tuple[Record, int]:
    """A new clearance and its scope; returns it with the number of assets in scope. `raw`: as_of,
    name, id."""
    day = parse.iso_date(raw.get("as_of") or "", "--as-of", not_after=reg.today)
    chosen = members_named(reg, members, districts)
    clearance_id = parse.record_id(raw["id"], "--id") if raw.get("id") else reg.new_id("clearances")
    if clearance_id in reg.ids("clearances"):
        raise Conflict("--id", clearance_id, N_("is already taken"))
    name = parse.text(raw.get("name") or "", "--name") or f"{day.isoformat()}"
    scope = scope_of(reg, day, chosen, progress)
    taken = set(reg.ids("findings"))
    for other in open_ones(reg):
        clash = next((a for a in scope if finding_id(other["id"], a) in taken), None)
        if clash is not None:
            raise Conflict(
                "--as-of", day.isoformat(), N_("asset {id} is already in open clearance {other}"), id=clash, other=other["id"]
            )
    clearance = {
        "id": clearance_id,
        "name": name,
        "as_of": day.isoformat(),
        "members": chosen,
        "status": "open",
        "opened": reg.today.isoformat() if reg.today else None,
        "closed": None,
        "doc": None,
        "partial": False,
        "notice": None,
        "surplus": [],
    }
    reg.insert("clearances", clearance)
    for asset_id, book in scope.items():
        key = finding_id(clearance_id, asset_id)
        reg.insert("findings", {"id": key, "clearance": clearance_id, "asset": asset_id, "book": book, "finding": None})
    return clearance, len(scope)


def get(reg: Registry, clearance_id: str) -> Record:
    found = reg.find("clearances", parse.ascii_forms(clearance_id).upper()) or reg.find("clearances", clearance_id)
    if found is None:
        raise NotFound("clearance", clearance_id)
    return found


def findings_of(reg: Registry, clearance_id: str) -> list[Record]:
    """The scope of a clearance with each finding, in the order of the assets' ids."""
    prefix = clearance_id + "/"
    return [f for key, f in reg.tables["findings"].items() if key.startswith(prefix)]


def still_open(clearance: Record) -> None:
    if clearance["status"] != "open":
        raise Conflict("clearance", clearance["id"], N_("was closed on {day}; it takes no more changes"), day=clearance["closed"])


def scope_text(reg: Registry, clearance: Record) -> str:
    members = clearance.get("members")
    if not members:
        return str(clearance["as_of"])
    return f"{clearance['as_of']}: " + ", ".join(members[:5]) + (", …" if len(members) > 5 else "")


def in_scope(reg: Registry, clearance: Record, text: str) -> list[Record]:
    """The findings of the scope that `text` names: an asset's id or exact name, or a title number (a
    building and its land may share one: both are given back). Read from the scope's book figures, so
    that a count need not load the register's assets."""
    table = reg.tables["findings"]
    raw = str(text).strip()
    key = finding_id(clearance["id"], parse.ascii_forms(raw).upper())
    if key in table:
        return [table[key]]
    scope = findings_of(reg, clearance["id"])
    named = [f for f in scope if f["book"]["name"] == raw]
    if named:
        return named
    wanted = _folded(raw)
    titled = [f for f in scope if f["book"].get("title_no") and _folded(f["book"]["title_no"]) == wanted]
    if titled:
        return titled
    asset_id = reg.resolve("assets", raw, "ASSET")  # a record outside the scope, or none at all
    raise Conflict(
        "ASSET",
        asset_id,
        N_("is not in the scope of clearance {id} (assets held on {scope})"),
        id=clearance["id"],
        scope=scope_text(reg, clearance),
    )


def _folded(text: str) -> str:
    return "".join(parse.ascii_forms(text).replace("（", "(").replace("）", ")").split())


# -- a finding -------------------------------------------------------------------------------


@dataclass
class Finding:
    result: str
    found: dict[str, Any] = field(default_factory=dict)
    by: str = ""
    day: str = ""
    note: str | None = None

    def as_record(self) -> Record:
        return {"result": self.result, "found": self.found, "by": self.by, "date": self.day, "note": self.note}


def read_found(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a `differs` gives, in their stored forms."""
    found: dict[str, Any] = {}
    if raw.get("status") not in (None, ""):
        found["status"] = parse.choice(raw["status"], DIFFER_STATUSES, "--status")
    if raw.get("area") not in (None, ""):
        found["area"] = str(parse.decimal_number(raw["area"], "--area"))
    for key, option in (("location", "--location"), ("title_no", "--title-no")):
        if raw.get(key) not in (None, ""):
            found[key] = parse.text(raw[key], option, required=True)
    if raw.get("value") not in (None, ""):
        found["value"] = str(parse.money(raw["value"], "--value"))
    return found


def check_day(reg: Registry, clearance: Record, raw_day: Any) -> str:
    """The day counted: from one year before the as-of day to today (default today)."""
    as_of = date.fromisoformat(clearance["as_of"])
    if raw_day in (None, ""):
        return (reg.today or as_of).isoformat()  # the command's today; a core test without one: the day itself
    day = parse.iso_date(raw_day, "--date", not_after=reg.today)
    earliest = as_of.replace(year=as_of.year - 1) if not (as_of.month == 2 and as_of.day == 29) else as_of - timedelta(days=365)
    if day < earliest:
        raise InvalidValue(
            "--date", day.isoformat(), N_("is more than a year before the clearance's day ({other})"), other=clearance["as_of"]
        )
    return day.isoformat()


def make_finding(reg: Registry, clearance: Record, book: Record, raw: Mapping[str, Any]) -> Finding:
    """A finding from what was typed (`raw`: result, the fields found, by, date, note), checked."""
    result = parse.choice(raw.get("result") or "found", C.RESULTS, "--result")
    found = read_found(raw)
    if result != "differs" and found:
        option = "--" + next(iter(found)).replace("_", "-")
        raise InvalidValue(option, raw.get(next(iter(found))), N_("applies to --result differs only"))
    if result == "differs":
        if not found:
            raise InvalidValue(
                "--result",
                "differs",
                N_("names nothing that differs from the register: give --status, --area, --location, --title-no or --value"),
            )
        not_different(book, found, raw)
    by = parse.text(raw.get("by") or "", "--by") or ""
    note = parse.text(raw.get("note") or "", "--note", multiline=True) or None
    return Finding(result, found, by, check_day(reg, clearance, raw.get("date")), note)


FOUND_OPTIONS = {"status": "--status", "area": "--area", "location": "--location", "title_no": "--title-no", "value": "--value"}


def not_different(book: Mapping[str, Any], found: Mapping[str, Any], typed: Mapping[str, Any] | None = None) -> None:
    """A field found as the register has it is not a difference: refused naming it and the value as typed
    (the clerk meant another field, or `found`), rather than dropped without a word."""
    for key, value in found.items():
        if _same(key, book.get(key), value):
            shown = (typed or {}).get(key) or value
            raise InvalidValue(FOUND_OPTIONS[key], shown, N_("is what the register says; it is not a difference"))


def _same(key: str, book: Any, found: Any) -> bool:
    if book in (None, ""):
        return False
    if key in ("area", "value"):  # figures: 1200 and 1200.00 are one area
        return Decimal(str(book)) == Decimal(str(found))
    return str(book) == str(found)  # a title number "0123" is not "123"


def record_finding(reg: Registry, clearance_id: str, asset_text: str, raw: Mapping[str, Any]) -> Record:
    """`clearance check`: the finding of one asset of the scope (a second check replaces the first)."""
    clearance = get(reg, clearance_id)
    still_open(clearance)
    found = in_scope(reg, clearance, asset_text)
    if len(found) > 1:
        ids = ", ".join(f"{f['asset']} {f['book']['name']}" for f in found)
        raise Conflict("ASSET", asset_text, N_("names {count} records: {ids}; give the id"), count=len(found), ids=ids)
    entry = found[0]
    finding = make_finding(reg, clearance, entry["book"], raw)
    record = reg.edit("findings", entry["id"])
    record["finding"] = finding.as_record()
    return record


SURPLUS_FIELDS = ("name", "owner", "category", "value", "location", "area", "title_no", "by", "date", "note")


def add_surplus(reg: Registry, clearance_id: str, raw: Mapping[str, Any]) -> Record:
    """`clearance surplus`: an asset found that the register does not hold (盘盈), ids S1, S2, …"""
    clearance = get(reg, clearance_id)
    still_open(clearance)
    missing = [f"--{k}" for k in ("name", "owner", "category", "value") if raw.get(k) in (None, "")]
    if missing:
        raise MissingOptions(missing)
    number = 1 + max((int(s["id"][1:]) for s in clearance["surplus"]), default=0)
    surplus = {
        "id": f"S{number}",
        "name": parse.text(raw["name"], "--name", required=True),
        "owner": reg.resolve("members", raw["owner"], "--owner"),
        "category": parse.choice(raw["category"], C.CATEGORIES, "--category"),
        "value": str(parse.money(raw["value"], "--value")),
        "location": parse.text(raw.get("location") or "", "--location") or None,
        "area": str(parse.decimal_number(raw["area"], "--area")) if raw.get("area") not in (None, "") else None,
        "title_no": parse.text(raw.get("title_no") or "", "--title-no") or None,
        "by": parse.text(raw.get("by") or "", "--by") or "",
        "date": check_day(reg, clearance, raw.get("date")),
        "note": parse.text(raw.get("note") or "", "--note", multiline=True) or None,
        "asset": None,  # the asset the close makes of it
    }
    record = reg.edit("clearances", clearance["id"])
    record["surplus"] = [*record["surplus"], surplus]
    return surplus


def set_notice(reg: Registry, clearance_id: str, start: Any, days: Any) -> Record:
    """`clearance notice`: the posting period (公示), from a day for N days."""
    clearance = get(reg, clearance_id)
    still_open(clearance)
    first = parse.iso_date(start or "", "--from")
    if first.isoformat() < clearance["as_of"]:
        raise InvalidValue("--from", first.isoformat(), N_("is before the clearance's day ({other})"), other=clearance["as_of"])
    count = parse.whole_number(days if days is not None else 7, "--days")
    if count < 1:
        raise InvalidValue("--days", count, N_("must be more than zero"))
    record = reg.edit("clearances", clearance["id"])
    record["notice"] = {"from": first.isoformat(), "days": count}
    return record


def notice_end(notice: Mapping[str, Any]) -> date:
    """The last day of a posting period."""
    return date.fromisoformat(notice["from"]) + timedelta(days=int(notice["days"]) - 1)


def remove(reg: Registry, clearance_id: str, *, force: bool) -> Record:
    clearance = get(reg, clearance_id)
    if not force:
        raise Conflict("--force", clearance["id"], N_("removing deletes the clearance and its findings; give --force"))
    still_open(clearance)
    for entry in findings_of(reg, clearance["id"]):
        reg.remove("findings", entry["id"])
    reg.remove("clearances", clearance["id"])
    return clearance


# -- counts ---------------------------------------------------------------------------------------


def counts(clearance: Record, findings: Iterable[Record]) -> dict[str, int]:
    tally = {"scope": 0, "checked": 0, "found": 0, "differs": 0, "missing": 0}
    for entry in findings:
        tally["scope"] += 1
        if entry["finding"] is not None:
            tally["checked"] += 1
            tally[entry["finding"]["result"]] += 1
    tally["surplus"] = len(clearance["surplus"])
    tally["unchecked"] = tally["scope"] - tally["checked"]
    return tally


# -- close ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One change a close makes: `kind` is event (a value event appended), status, fields or asset (a
    surplus added); `asset` the asset's id (a surplus's S id for a new asset)."""

    kind: str
    asset: str
    data: dict[str, Any]


def _later_change(asset: Record, as_of: str) -> str | None:
    """A value event, transfer or status change of the asset dated after `as_of`, as text."""
    for event in asset["events"]:
        if event["date"] > as_of:
            return f"{event['kind']} {event['date']}"
    for moved in asset.get("transfers") or ():
        if moved["date"] > as_of:
            return f"transfer {moved['date']}"
    for entry in status_history(asset):
        if entry["date"] > as_of:
            return f"status {entry['status']} {entry['date']}"
    return None


def plan_close(reg: Registry, clearance: Record, findings: list[Record], day: date, doc: str, *, partial: bool) -> list[Step]:
    """Every change the close makes, in order, checked before any is made."""
    still_open(clearance)
    as_of = clearance["as_of"]
    if day.isoformat() < as_of:
        raise InvalidValue("--date", day.isoformat(), N_("is before the clearance's day ({other})"), other=as_of)
    notice = clearance.get("notice")
    if notice and day <= notice_end(notice):
        raise Conflict(
            "--date",
            day.isoformat(),
            N_("the public notice runs until {day}; close after it"),
            day=notice_end(notice).isoformat(),
        )
    unchecked = sum(1 for f in findings if f["finding"] is None)
    if unchecked and not partial:
        raise Conflict(
            "clearance",
            clearance["id"],
            N_("assets not checked: {count}; check them, or give --partial"),
            count=unchecked,
        )
    plan: list[Step] = []
    for entry in findings:
        finding = entry["finding"]
        if finding is None or finding["result"] == "found":
            continue
        asset = reg.assets.get(entry["asset"])
        if asset is None:
            raise NotFound("asset", entry["asset"])
        found = finding["found"]
        changes_dated = finding["result"] == "missing" or "value" in found or "status" in found
        later = _later_change(asset, as_of) if changes_dated else None
        if later:
            raise Conflict(
                "asset",
                asset["id"],
                N_("has a change dated after the clearance's day ({event}); correct it or the finding first"),
                event=later,
            )
        if finding["result"] == "missing":
            event = {"date": as_of, "kind": "impair", "amount": "0.00", "cause": "shortfall", "doc": doc, "note": None}
            plan += [Step("event", asset["id"], event), Step("status", asset["id"], {"status": "missing"})]
            continue
        if "value" in found:
            basis = "recovery" if entry["book"]["status"] == "missing" else "clearance"
            event = {"date": as_of, "kind": "revalue", "amount": found["value"], "basis": basis, "doc": doc, "note": None}
            plan.append(Step("event", asset["id"], event))
        if "status" in found:
            plan.append(Step("status", asset["id"], {"status": found["status"]}))
        elif entry["book"]["status"] == "missing":
            plan.append(Step("status", asset["id"], {"status": "in_use"}))  # found again
        undated = {k: v for k, v in found.items() if k in ("area", "location", "title_no")}
        if undated:
            plan.append(Step("fields", asset["id"], undated))
    for surplus in clearance["surplus"]:
        plan.append(Step("asset", surplus["id"], surplus))
    return plan


def apply_close(
    reg: Registry, clearance_id: str, plan: list[Step], day: date, doc: str, *, partial: bool, progress: Progress | None = None
) -> Record:
    """Make the changes `plan_close` planned; the store writes them all as one log entry."""
    from assetreg.core import records

    clearance = reg.edit("clearances", clearance_id)
    clearance.update(status="closed", closed=day.isoformat(), doc=doc, partial=partial)
    as_of = clearance["as_of"]
    surpluses = {s["id"]: s for s in clearance["surplus"]}
    for number, step in enumerate(plan, start=1):
        if progress and number % 1000 == 0:
            progress(number, len(plan))
        if step.kind == "asset":
            s = step.data
            asset = records.add_asset(
                reg,
                {
                    "name": s["name"],
                    "owner": s["owner"],
                    "category": s["category"],
                    "acquired": as_of,
                    "value": s["value"],
                    "source": "surplus",
                    "doc": doc,
                    "location": s.get("location"),
                    "area": s.get("area"),
                    "title_no": s.get("title_no"),
                    "note": s.get("note"),
                },
            )
            surpluses[step.asset]["asset"] = asset["id"]
            continue
        asset = reg.edit("assets", step.asset)
        if step.kind == "event":
            # after every event entered before it, those of the as-of day included (events of one day take
            # effect in the order entered: values.next_seq)
            asset["events"].append({**step.data, "seq": next_seq(asset)})
        elif step.kind == "status":
            set_status(asset, as_of, step.data["status"])
        else:
            merged = {**asset, **step.data}
            records.check_asset(reg, merged)
            asset.update(step.data)
    clearance["surplus"] = list(surpluses.values())
    return clearance


def close(
    reg: Registry, clearance_id: str, raw: Mapping[str, Any], progress: Progress | None = None
) -> tuple[Record, list[Step]]:
    """`clearance close ID --date D --doc REF [--partial]`."""
    clearance = get(reg, clearance_id)
    missing = [option for option, key in (("--date", "date"), ("--doc", "doc")) if raw.get(key) in (None, "")]
    if missing:
        raise MissingOptions(missing)
    day = parse.iso_date(raw["date"], "--date", not_after=reg.today)
    doc = parse.text(raw["doc"], "--doc", required=True)
    partial = parse.yes_no(raw.get("partial"), "--partial")
    plan = plan_close(reg, clearance, findings_of(reg, clearance["id"]), day, doc, partial=partial)
    return apply_close(reg, clearance["id"], plan, day, doc, partial=partial, progress=progress), plan


# -- while a clearance is open ------------------------------------------------------------------


def last_clearance(reg: Registry, asset_id: str, day: date | None = None) -> Record | None:
    """The asset's latest count (by day `day`, if given): clearance id, as-of day, result, day counted."""
    suffix = "/" + asset_id
    best = None
    latest = (day or date.max).isoformat()
    for key in reg.ids("findings"):
        if key.endswith(suffix):
            entry = reg.tables["findings"][key]
            clearance = reg.find("clearances", entry["clearance"])
            if entry["finding"] is None or clearance is None or entry["finding"]["date"] > latest:
                continue
            if best is None or clearance["as_of"] > best["as_of"]:
                best = {
                    "clearance": clearance["id"],
                    "as_of": clearance["as_of"],
                    "result": entry["finding"]["result"],
                    "date": entry["finding"]["date"],
                }
    return best


# -- the result report (清查结果表) ----------------------------------------------------------------

PARTS = ("book", "found", "surplus", "shortfall")
PART_LABELS = {
    "book": (N_("Book count"), N_("Book area"), N_("Book value")),
    "found": (N_("Found count"), N_("Found area"), N_("Found value")),
    "surplus": (N_("Surplus count"), N_("Surplus area"), N_("Surplus value")),
    "shortfall": (N_("Shortfall count"), N_("Shortfall area"), N_("Shortfall value")),
}
FIELD_NAMES = {
    "status": N_("status"),
    "area": N_("area in m²"),
    "location": N_("location"),
    "title_no": N_("title certificate number"),
    "value": N_("value in yuan"),
}
REPORT_TITLE = N_("Clearance result (清查结果表)")
# The lists under the result's table, as data: (section, title, columns as (key, heading[, kind]))
_ASSET = (("asset", N_("Asset")), ("name", N_("Name")), ("owner", N_("Owner")))
_AREA_VALUE = (("area", N_("Area m²"), "area"), ("value", N_("Book value"), "money"))
LISTS: tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...] = (
    (
        "differs",
        N_("Assets that differ"),
        (
            *_ASSET,
            ("field_label", N_("Field"), "label"),
            ("book_shown", N_("Book"), "label"),
            ("found_shown", N_("Found"), "label"),
        ),
    ),
    (
        "shortfalls",
        N_("Shortfalls (盘亏)"),
        (
            *_ASSET,
            ("category", N_("Category"), "label"),
            *_AREA_VALUE,
            ("date", N_("Counted on"), "date"),
            ("by", N_("Counted by")),
            ("note", N_("Note")),
        ),
    ),
    (
        "surpluses",
        N_("Surpluses (盘盈)"),
        (
            ("id", N_("Surplus")),
            ("name", N_("Name")),
            ("owner", N_("Owner")),
            ("category", N_("Category"), "label"),
            ("location", N_("Location")),
            ("area", N_("Area m²"), "area"),
            ("value", N_("Value"), "money"),
            ("asset", N_("Entered as")),
            ("date", N_("Counted on"), "date"),
        ),
    ),
    ("unchecked", N_("Not checked"), (*_ASSET, ("status", N_("Status"), "label"), *_AREA_VALUE)),
)
# A field as the counting loop names it (and takes it, beside its English key): short, in the reader's language
FIELD_WORDS = {
    "status": N_("clearance field|status"),
    "area": N_("clearance field|area"),
    "location": N_("clearance field|location"),
    "title_no": N_("clearance field|title-no"),
    "value": N_("clearance field|value"),
}
# The Chinese names taken in either language, as choice values take theirs (choices.CHINESE)
CHINESE_FIELD_WORDS = {
    "状态": "status",
    "面积": "area",
    "坐落": "location",
    "位置": "location",
    "产权证号": "title_no",
    "权证号": "title_no",
    "价值": "value",
    "金额": "value",
}


def _zero_row() -> dict[str, Any]:
    row: dict[str, Any] = {}
    for part in PARTS:
        row.update({f"{part}_count": 0, f"{part}_area": ZERO, f"{part}_value": ZERO})
    row["difference"] = ZERO
    return row


def _add(row: dict[str, Any], part: str, area: Any, value: Any) -> None:
    row[f"{part}_count"] += 1
    row[f"{part}_area"] += Decimal(area) if area not in (None, "") else ZERO
    row[f"{part}_value"] += Decimal(value)


def _shown_value(key: str, value: Any) -> str:
    """A field of the differs section as the documents show its kind (render/document.py `shown`): money
    12,345.00; an area 12,345 or 12,345.50; a status by its label (the column translates it)."""
    if value in (None, ""):
        return ""
    if key == "value":
        return f"{Decimal(value):,.2f}"
    if key == "area":
        area = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{area:,.0f}" if area == area.to_integral() else f"{area:,.2f}"
    return str(value)


def result_figures(clearance: Record, findings: list[Record]) -> list[tuple[Record, str, Any, Any]]:
    """Each asset's and surplus's contribution: (owner and category, part, area, value)."""
    out: list[tuple[Record, str, Any, Any]] = []
    for entry in findings:
        book, finding = {**entry["book"], "asset": entry["asset"]}, entry["finding"]
        out.append((book, "book", book.get("area"), book["value"]))
        if finding is not None and finding["result"] == "missing":
            out.append((book, "shortfall", book.get("area"), book["value"]))
            continue
        found = finding["found"] if finding is not None else {}
        out.append((book, "found", found.get("area", book.get("area")), found.get("value", book["value"])))
    for surplus in clearance["surplus"]:
        out.append((surplus, "surplus", surplus.get("area"), surplus["value"]))
        out.append((surplus, "found", surplus.get("area"), surplus["value"]))
    return out


def clearance_report(reg: Registry, clearance_id: str, by: str = "member") -> Any:
    from assetreg.core.reports import Column, Report, Section

    clearance = get(reg, clearance_id)
    findings = findings_of(reg, clearance["id"])
    members = reg.members

    def group_of(item: Record) -> tuple[str, ...]:
        member = members.get(item["owner"], {})
        if by == "district":
            return (str(member.get("district") or ""),)
        if by == "category":
            return (item["category"],)
        return (item["owner"], str(member.get("name") or ""))

    grouped: dict[tuple[str, ...], dict[str, Any]] = {}
    total, left_out = _zero_row(), _zero_row()
    for item, part, area, value in result_figures(clearance, findings):
        # intra-federation equity: its member's assets are counted already
        stake = item["category"] == "equity" and item.get("holds") in members
        if by == "member" or not stake:
            key = group_of(item)
            if key not in grouped:
                grouped[key] = _zero_row()
            _add(grouped[key], part, area, value)
        _add(left_out if stake else total, part, area, value)
    rows = []
    for key in sorted(grouped):
        row = grouped[key]
        row["difference"] = row["found_value"] - row["book_value"]
        names = {"member": ("member", "name"), "district": ("district",), "category": ("category",)}[by]
        rows.append({**dict(zip(names, key, strict=True)), **row})
    total["difference"] = total["found_value"] - total["book_value"]
    left_out["difference"] = left_out["found_value"] - left_out["book_value"]
    group_columns = {
        "member": [Column("member", N_("Member")), Column("name", N_("Name"))],
        "district": [Column("district", N_("District"))],
        "category": [Column("category", N_("Category"), "label")],
    }[by]
    figures = [
        Column(f"{part}_{what}", heading, kind)
        for part in PARTS
        for what, heading, kind in zip(("count", "area", "value"), PART_LABELS[part], ("int", "area", "money"), strict=True)
    ]
    columns = [*group_columns, *figures, Column("difference", N_("Difference (found − book)"), "money")]
    nest = {part: [f"{part}_count", f"{part}_area", f"{part}_value"] for part in PARTS}

    differs, shortfalls, unchecked = [], [], []
    for entry in findings:
        book, finding = entry["book"], entry["finding"]
        base = {"asset": entry["asset"], "name": book["name"], "owner": book["owner"]}
        if finding is None:
            unchecked.append({**base, "status": book["status"], "area": book.get("area"), "value": book["value"]})
        elif finding["result"] == "missing":
            shortfalls.append(
                {
                    **base,
                    "category": book["category"],
                    "area": book.get("area"),
                    "value": book["value"],
                    "date": finding["date"],
                    "by": finding["by"],
                    "note": finding["note"],
                }
            )
        elif finding["result"] == "differs":
            for key, found in finding["found"].items():
                differs.append({**base, "field": key, "book": book.get(key), "found": found})
    surpluses = [dict(s) for s in clearance["surplus"]]
    differ_rows = [
        {
            **d,
            "field_label": FIELD_NAMES[d["field"]],
            "book_shown": _shown_value(d["field"], d["book"]),
            "found_shown": _shown_value(d["field"], d["found"]),
        }
        for d in differs
    ]
    status = {k: clearance[k] for k in ("id", "name", "as_of", "status", "closed", "doc", "notice")}
    main = Section(
        "rows",
        N_("Book against found"),
        columns,
        rows,
        total,
        left_out=left_out if left_out["book_count"] or left_out["found_count"] else None,
        nest=nest,
        extra={"clearance": status, "differs": differs, "shortfalls": shortfalls, "surpluses": surpluses, "unchecked": unchecked},
    )
    lists = {"differs": differ_rows, "shortfalls": shortfalls, "surpluses": surpluses, "unchecked": unchecked}
    sections = [main] + [
        Section(name, title, [Column(*spec) for spec in specs], lists[name], in_json=False) for name, title, specs in LISTS
    ]
    _evidence(reg, clearance["id"], sections, shortfalls)
    return Report("clearance", REPORT_TITLE, {"as_of": clearance["as_of"]}, sections)


def _evidence(reg: Registry, clearance_id: str, sections: list[Any], shortfalls: list[Record]) -> None:
    """The evidence of the clearance's cases, so that a printed result names it: each shortfall's asset files
    in a column of its own, and the clearance's own files in a section (number, name and hash prefix each);
    nothing added when no file is kept."""
    from assetreg.core.attachments import SHOWN_HASH, of_record
    from assetreg.core.reports import Column, Section, case_files, file_mark

    files = [case_files(reg, "assets", row["asset"]) for row in shortfalls]
    if any(files):
        for row, listed in zip(shortfalls, files, strict=True):
            row["files"] = listed
        next(x for x in sections if x.name == "shortfalls").columns.append(Column("files", N_("Files (附件)")))
    own = [
        {"ref": a["id"], "name": a["name"], "kind": a["kind"], "sha256": a["sha256"][:SHOWN_HASH], "stored": file_mark(reg, a)}
        for a in of_record(reg, "clearances", clearance_id)
    ]
    if own:
        columns = [
            Column("ref", N_("Ref")),
            Column("name", N_("Name")),
            Column("kind", N_("Kind"), "label"),
            Column("sha256", N_("SHA-256")),
        ]
        if any(row["stored"] for row in own):  # a file verify would find missing or changed, marked as the cases' are
            columns.append(Column("stored", N_("Stored file")))
        sections.append(Section("files", N_("Files of the clearance (附件)"), columns, own, in_json=False))


# -- CSV: `clearances` and `findings` ---------------------------------------------------------------

CLEARANCE_COLUMNS = (
    "id",
    "name",
    "as_of",
    "members",
    "status",
    "opened",
    "closed",
    "doc",
    "partial",
    "notice_from",
    "notice_days",
)
FINDING_COLUMNS = (
    "clearance",
    "asset",
    "surplus",
    "name",
    "owner",
    "category",
    "book_status",
    "book_area",
    "book_location",
    "book_title_no",
    "book_value",
    "result",
    "status",
    "area",
    "location",
    "title_no",
    "value",
    "by",
    "date",
    "note",
    "entered_as",
)


def export_clearances(reg: Registry) -> Iterable[Record]:
    for c in reg.tables["clearances"].values():
        notice = c.get("notice") or {}
        yield {
            **c,
            "members": ";".join(c["members"]) if c.get("members") else None,
            "partial": "yes" if c.get("partial") else None,
            "notice_from": notice.get("from"),
            "notice_days": notice.get("days"),
        }


def export_findings(reg: Registry) -> Iterable[Record]:
    """One row per asset of each scope (book columns as opened, its finding; empty when unchecked), then
    one per surplus (result `surplus`)."""
    for c in reg.tables["clearances"].values():
        for entry in findings_of(reg, c["id"]):
            book, finding = entry["book"], entry["finding"] or {}
            row = {"clearance": c["id"], "asset": entry["asset"], **{k: book.get(k) for k in ("name", "owner", "category")}}
            row.update({f"book_{k}": book.get(k) for k in BOOK_FIELDS})
            row.update(finding.get("found") or {})
            row.update({k: finding.get(k) for k in ("result", "by", "date", "note")})
            yield row
        for s in c["surplus"]:
            yield {**s, "clearance": c["id"], "surplus": s["id"], "result": "surplus", "entered_as": s.get("asset")}


def import_clearance(reg: Registry, row: Mapping[str, Any]) -> Record:
    """A `clearances` row: the clearance as it stood, its scope to come from `findings` (no close is applied
    again: its changes came with the values and statuses)."""
    clearance_id = parse.record_id(row.get("id") or "", "--id")
    if clearance_id in reg.ids("clearances"):
        raise Conflict("--id", clearance_id, N_("is already taken"))
    members = row.get("members") or ""
    status = parse.choice(row.get("status") or "open", C.CLEARANCE_STATUSES, "--status")
    closed = parse.iso_date(row["closed"], "--closed", not_after=reg.today).isoformat() if row.get("closed") else None
    if (status == "closed") != bool(closed):
        raise InvalidValue("--closed", row.get("closed") or "", N_("a closed clearance has a close date, an open one none"))
    notice = None
    if row.get("notice_from"):
        notice = {
            "from": parse.iso_date(row["notice_from"], "--notice-from").isoformat(),
            "days": parse.whole_number(row.get("notice_days") or "7", "--notice-days"),
        }
    record = {
        "id": clearance_id,
        "name": parse.text(row.get("name") or "", "--name"),
        "as_of": parse.iso_date(row.get("as_of") or "", "--as-of", not_after=reg.today).isoformat(),
        "members": reg.resolve_all("members", members, "--member") if members.strip() else None,
        "status": status,
        "opened": parse.iso_date(row["opened"], "--opened").isoformat() if row.get("opened") else None,
        "closed": closed,
        "doc": parse.text(row.get("doc") or "", "--doc") or None,
        "partial": parse.yes_no(row.get("partial") or None, "--partial"),
        "notice": notice,
        "surplus": [],
    }
    return reg.insert("clearances", record)


def _found_of(row: Mapping[str, Any]) -> dict[str, Any]:
    return read_found({k: row.get(k) for k in ("status", "area", "location", "title_no", "value")})


def import_finding(reg: Registry, row: Mapping[str, Any]) -> Record:
    clearance = get(reg, (row.get("clearance") or "").strip())
    result = (row.get("result") or "").strip().lower()
    who = {
        "by": parse.text(row.get("by") or "", "--by"),
        "date": parse.iso_date(row["date"], "--date", not_after=reg.today).isoformat() if row.get("date") else None,
        "note": parse.text(row.get("note") or "", "--note", multiline=True) or None,
    }
    if result == "surplus":
        found = _found_of({**row, "status": None})
        surplus = {
            "id": parse.record_id(row.get("surplus") or "", "--surplus"),
            "name": parse.text(row.get("name") or "", "--name", required=True),
            "owner": reg.resolve("members", row.get("owner") or "", "--owner"),
            "category": parse.choice(row.get("category") or "", C.CATEGORIES, "--category"),
            "value": found.get("value") or str(parse.money(row.get("value") or "", "--value")),
            **{k: found.get(k) for k in ("location", "area", "title_no")},
            **who,
            "asset": reg.resolve("assets", row["entered_as"], "--entered-as") if row.get("entered_as") else None,
        }
        record = reg.edit("clearances", clearance["id"])
        record["surplus"] = [*record["surplus"], surplus]
        return record
    asset_id = reg.resolve("assets", row.get("asset") or "", "--asset")
    key = finding_id(clearance["id"], asset_id)
    if key in reg.ids("findings"):
        raise Conflict("--asset", asset_id, N_("is already in the scope of clearance {id}"), id=clearance["id"])
    book = {
        "owner": reg.resolve("members", row.get("owner") or "", "--owner"),
        "category": parse.choice(row.get("category") or "", C.CATEGORIES, "--category"),
        "name": parse.text(row.get("name") or "", "--name", required=True),
        "status": parse.choice(row.get("book_status") or "", C.ASSET_STATUSES, "--book-status"),
        "area": str(parse.decimal_number(row["book_area"], "--book-area")) if row.get("book_area") else None,
        "location": parse.text(row.get("book_location") or "", "--book-location") or None,
        "title_no": parse.text(row.get("book_title_no") or "", "--book-title-no") or None,
        "value": str(parse.money(row.get("book_value") or "", "--book-value")),
    }
    holds = (reg.find("assets", asset_id) or {}).get("holds")
    if holds and book["category"] == "equity":
        book["holds"] = holds
    finding = None
    if result:
        finding = {"result": parse.choice(result, C.RESULTS, "--result"), "found": _found_of(row), **who}
    return reg.insert("findings", {"id": key, "clearance": clearance["id"], "asset": asset_id, "book": book, "finding": finding})
