"""assetreg asset add | list | show | edit | revalue | impair | dispose | history"""

from __future__ import annotations

from datetime import date
from typing import Any

import typer

from assetreg.cli.attachments import with_files
from assetreg.cli.common import (
    SEARCH,
    SORT,
    WIDE,
    ask_edit,
    ask_missing,
    ask_on,
    command,
    env,
    info,
    print_json,
    print_list,
    raw_options,
    reads_rollup,
    remove_command,
    searched,
    write_answers,
)
from assetreg.cli.complete import ASSET_IDS, DISTRICTS, INCIDENT_IDS, MEMBER_IDS, choices
from assetreg.core import records
from assetreg.core.choices import ASSET_STATUSES, BASES, CATEGORIES, CAUSES, METHODS, SET_STATUSES, SOURCES
from assetreg.core.errors import InvalidValue, MissingOptions
from assetreg.core.parse import choice, iso_date
from assetreg.core.registry import Record, Registry
from assetreg.core.views import Index, around, asset_detail, asset_row, on_day
from assetreg.core.views import district as district_named
from assetreg.i18n import N_, _
from assetreg.render.records import print_file_rows

app = typer.Typer(no_args_is_help=True)

ID = typer.Argument(..., metavar="ID", help="Asset id, e.g. A0001.", autocompletion=ASSET_IDS)
ASKED_ID = typer.Argument(
    None, metavar="ID", help="Asset id or name, e.g. A0001; asked for at a terminal.", autocompletion=ASSET_IDS
)
JSON = typer.Option(False, "--json", help="Print JSON only, on stdout.")
AS_OF = typer.Option(None, "--as-of", help="Values as of this day (YYYY-MM-DD); default today.")
NAME = typer.Option(None, "--name", help="Name, e.g. 柳市布厂1号厂房.")
OWNER = typer.Option(None, "--owner", help="Owning member id (the federation is a member too).", autocompletion=MEMBER_IDS)
CATEGORIES_ = choices(CATEGORIES)
CATEGORY = typer.Option(
    None, "--category", help="building, land, equipment, vehicle, equity or other (厂房/土地/…).", autocompletion=CATEGORIES_
)
LOCATION = typer.Option(None, "--location", help="Where it is.")
AREA = typer.Option(None, "--area", help="Area in m².")
TITLE = typer.Option(None, "--title-no", help="Title certificate number (产权证号).")
STATUS = typer.Option(
    None,
    "--status",
    help="in_use, leased, idle, damaged or occupied (自用/出租/闲置/损坏/被占用).",
    autocompletion=choices(SET_STATUSES),  # disposed only by dispose, missing only by a clearance
)
STATUS_SINCE = typer.Option(None, "--status-since", help="Since when the status holds; default the day of the change.")
NOTE = typer.Option(None, "--note", help="Free note.")
DATE = typer.Option(None, "--date", help="Date of the event (YYYY-MM-DD).")
DOC = typer.Option(None, "--doc", help="Document reference, e.g. the approval's file number (文号).")
HOLDS = typer.Option(
    None, "--holds", help="For an equity asset: the member of this registry it is a stake in.", autocompletion=MEMBER_IDS
)


def _day(text: str | None, default: date) -> date:
    return iso_date(text, "--as-of") if text else default


def _show(
    reg: Registry,
    asset: Record,
    as_json: bool,
    day: date,
    heading: str = "",
    *,
    new: bool = False,
    wide: bool = False,
    past: bool = False,
    files: bool = False,
) -> None:
    """An asset with its history, leases, incidents and flags (a new asset has no leases or incidents). `past`:
    as it stood on `day` (`--as-of`), nothing dated after it listed. `files`: with its attachments (`show`)."""
    detail, flags = _detail(reg, asset, day, new=new, past=past)
    if files:
        with_files(reg, "assets", asset["id"], detail, day if past else None)
    if as_json:
        print_json(detail)
        return
    from assetreg.render.records import asset_detail as render_detail

    render_detail(detail, heading, flags, wide=wide)
    print_file_rows(detail.get("attachments") or [])


def _detail(
    reg: Registry, asset: Record, day: date, *, new: bool = False, past: bool = False
) -> tuple[dict[str, Any], list[Any]]:
    """What `asset show` shows of an asset, and its flags."""
    from assetreg.core.flags import evaluate_asset

    leases, incidents = ([], []) if new else around(reg, asset["id"])
    if past:
        leases = [on_day("leases", x, day) for x in leases if x["start"] <= day.isoformat()]
        incidents = [on_day("incidents", i, day) for i in incidents if i["occurred"] <= day.isoformat()]
    detail = asset_detail(reg, asset, day, leases, incidents)
    flags = evaluate_asset(reg, asset["id"], day, leases, incidents)
    detail["flags"] = [f.as_json(_) for f in flags]
    if not new:
        from assetreg.core.clearance import last_clearance

        detail["last_clearance"] = last_clearance(reg, asset["id"], day)
    return detail, flags


@command(app, "add")
def add(
    ctx: typer.Context,
    name: str | None = NAME,
    owner: str | None = OWNER,
    category: str | None = CATEGORY,
    acquired: str | None = typer.Option(None, "--acquired", help="Date acquired (YYYY-MM-DD)."),
    value: str | None = typer.Option(None, "--value", help="Value when acquired, yuan (e.g. 1250000.50)."),
    source: str | None = typer.Option(
        None, "--source", help="purchase, construction, injection or transfer_in.", autocompletion=choices(SOURCES)
    ),
    location: str | None = LOCATION,
    area: str | None = AREA,
    title_no: str | None = TITLE,
    status: str | None = STATUS,
    status_since: str | None = STATUS_SINCE,
    note: str | None = NOTE,
    doc: str | None = DOC,
    holds: str | None = HOLDS,
    record_id: str | None = typer.Option(None, "--id", help="Own id instead of the next A####."),
    as_json: bool = JSON,
) -> None:
    """Add an asset with its first value (an acquire event)."""
    raw = raw_options(locals())  # first, while the locals are the options
    e = env(ctx)
    raw = ask_missing(e, records.ASSET, raw, records.check_asset, walk=not raw)
    s, asset = write_answers(e, records.ASSET, raw, records.add_asset)
    _show(s.registry, asset, as_json, max(e.today, date.fromisoformat(asset["acquired"])), _("Added"), new=True)


@command(app, "edit")
def edit(
    ctx: typer.Context,
    asset_id: str | None = ASKED_ID,
    name: str | None = NAME,
    owner: str | None = OWNER,
    category: str | None = CATEGORY,
    location: str | None = LOCATION,
    area: str | None = AREA,
    title_no: str | None = TITLE,
    status: str | None = STATUS,
    status_since: str | None = STATUS_SINCE,
    holds: str | None = HOLDS,
    note: str | None = NOTE,
    event: int | None = typer.Option(
        None, "--event", help="N of 'asset history': --doc, --note, --amount and --date go to that event."
    ),
    doc: str | None = DOC,
    amount: str | None = typer.Option(None, "--amount", help="With --event N: the event's amount, corrected (yuan)."),
    day: str | None = typer.Option(None, "--date", help="With --event N: the event's day, corrected (YYYY-MM-DD)."),
    acquired: str | None = typer.Option(None, "--acquired", help="The day acquired, corrected: the first event's day."),
    as_json: bool = JSON,
) -> None:
    """Change the given fields of an asset (its value changes with revalue, impair, dispose), or with
    --event N the document reference and note of event N of its history, or correct its amount or day
    (--amount, --date; --acquired: the first event's day). Given no option, a terminal asks for each field
    with its current value as the default."""
    options = dict(locals())  # first, while the locals are the options
    e = env(ctx)
    if amount is not None or day is not None or acquired is not None:  # a wrong amount or day, corrected
        _correct_event(e, asset_id, options, as_json)
        return
    options = {k: v for k, v in options.items() if k not in ("amount", "day", "acquired")}
    if event is not None or doc is not None:  # a reference (and note) for an event of its history
        answers: dict[str, Any] = {"event": event, "doc": doc, "note": note}
        if asset_id is None and not e.interactive:  # every missing one named at once, the id first
            raise MissingOptions(["ID", *(f.option for f in records.EVENT_EDIT if f.required and answers[f.name] is None)])
        asset_id, answers = ask_edit(e, "assets", asset_id, (), answers)
        found = asset_id
        if event is None and e.interactive:  # the events to choose from, numbered as `asset history` numbers them
            from assetreg.core.values import steps
            from assetreg.render.text import clean, label, money

            with e.session(write=False) as s:
                for n, step in enumerate(steps(s.registry.get("assets", found, "asset")), 1):
                    info(f"  {n}  {step.day}  {label(step.kind)}  {money(step.amount)}  {clean(step.event.get('doc') or '')}")

        def check(reg: Registry, values: dict[str, Any]) -> None:
            records.check_event_number(reg.get("assets", found, "asset"), values.get("event"))

        form: tuple[records.Field, ...] = records.EVENT_EDIT
        if event is not None and doc is None and e.interactive:  # the reference it has now, kept by Enter
            from dataclasses import replace

            from assetreg.core.values import steps

            with e.session(write=False) as s:
                asset = s.registry.get("assets", found, "asset")
                check(s.registry, {"event": event})
                now = steps(asset)[event - 1].event.get("doc")
            form = tuple(replace(f, default=now) if f.name == "doc" else f for f in form)
        answers = ask_missing(e, form, answers, check)
        fields = raw_options({k: v for k, v in options.items() if k not in ("event", "doc", "note")})
        with e.session() as s:
            asset = records.edit_event(s.registry, asset_id, answers)
            if fields:  # a disposed asset's event takes a reference; its record is closed
                asset = records.edit_asset(s.registry, asset_id, fields, e.today)
        _show(s.registry, asset, as_json, e.today)
        return
    asset_id, changes = ask_edit(
        e,
        "assets",
        asset_id,
        records.ASSET_EDITABLE,
        raw_options(options),
        records.check_asset_edit,
        options=("--event", "--doc"),
    )
    with e.session(write=bool(changes)) as s:
        asset = records.edit_asset(s.registry, asset_id, changes, e.today) if changes else s.registry.get("assets", asset_id)
    _show(s.registry, asset, as_json, e.today)


def _correct_event(e: Any, asset_id: str | None, options: dict[str, Any], as_json: bool) -> None:
    """`asset edit ID --event N --amount AMOUNT | --date DATE` (and `--acquired DATE`, event 1's day): at a
    terminal the asset and the event are asked for when not given, the events listed as `asset history`
    numbers them; elsewhere what is missing is named."""
    number, acquired = options["event"], options["acquired"]
    if acquired is not None:
        if number not in (None, 1) or options["day"] is not None:
            raise InvalidValue("--acquired", acquired, N_("is the first event's day; give it without --event and --date"))
        number, options = 1, {**options, "day": acquired}
    answers: dict[str, Any] = {"event": number, "amount": options["amount"], "date": options["day"]}
    answers |= {"doc": options["doc"], "note": options["note"]}
    if not e.interactive and (asset_id is None or number is None):
        raise MissingOptions([*(["asset_id"] if asset_id is None else []), *(["--event"] if number is None else [])])
    asset_id, answers = ask_edit(e, "assets", asset_id, (), answers)
    found = asset_id
    if number is None:
        _list_events(e, found)

    def check(reg: Registry, values: dict[str, Any]) -> None:
        if values.get("event") is not None:
            asset = reg.get("assets", found, "asset")
            records.check_event_correction(reg, asset, values["event"], values.get("amount"), values.get("date"))

    try:
        answers = ask_missing(e, records.EVENT_CORRECTION, answers, check)
        with e.session() as s:
            asset = records.correct_event(s.registry, found, answers)
    except InvalidValue as error:  # the day was given as --acquired: named so
        if acquired is None or error.field != "--date":
            raise
        raise InvalidValue("--acquired", error.value, error.reason, **error.params) from None
    _show(s.registry, asset, as_json, e.today)


def _list_events(e: Any, asset_id: str) -> None:
    """The events to choose from, numbered as `asset history` numbers them."""
    from assetreg.core.values import steps
    from assetreg.render.text import clean, label, money

    with e.session(write=False) as s:
        for n, step in enumerate(steps(s.registry.get("assets", asset_id, "asset")), 1):
            info(f"  {n}  {step.day}  {label(step.kind)}  {money(step.amount)}  {clean(step.event.get('doc') or '')}")


def _event(ctx: typer.Context, asset_id: str | None, kind: str, raw: dict[str, Any], as_json: bool) -> None:
    e = env(ctx)

    def check(reg: Registry, asset: Record, event: dict[str, Any]) -> None:
        records.check_event(reg, asset, kind, event)

    asset_id, raw = ask_on(e, "assets", asset_id, records.EVENTS[kind], raw, check)
    with e.session() as s:
        asset = records.add_event(s.registry, asset_id, kind, raw)
    _show(s.registry, asset, as_json, max(e.today, iso_date(raw["date"], "--date")))


@command(app, "revalue")
def revalue(
    ctx: typer.Context,
    asset_id: str | None = ASKED_ID,
    day: str | None = DATE,
    value: str | None = typer.Option(None, "--value", help="The new value, yuan."),
    basis: str | None = typer.Option(
        None, "--basis", help="appraisal (default), book or market (资产评估/账面/市价).", autocompletion=choices(BASES)
    ),
    doc: str | None = DOC,
    note: str | None = NOTE,
    as_json: bool = JSON,
) -> None:
    """Record a new value for an asset."""
    _event(ctx, asset_id, "revalue", {"date": day, "amount": value, "basis": basis, "doc": doc, "note": note}, as_json)


@command(app, "impair")
def impair(
    ctx: typer.Context,
    asset_id: str | None = ASKED_ID,
    day: str | None = DATE,
    value: str | None = typer.Option(None, "--value", help="The value AFTER the loss, yuan."),
    cause: str | None = typer.Option(
        None, "--cause", help="damage, encroachment, disaster, depreciation or other.", autocompletion=choices(CAUSES)
    ),
    incident: str | None = typer.Option(
        None, "--incident", help="The incident that caused the loss.", autocompletion=INCIDENT_IDS
    ),
    doc: str | None = DOC,
    note: str | None = NOTE,
    as_json: bool = JSON,
) -> None:
    """Record a loss of value; --value is what is left."""
    raw = {"date": day, "amount": value, "cause": cause, "incident": incident, "doc": doc, "note": note}
    _event(ctx, asset_id, "impair", raw, as_json)


@command(app, "dispose")
def dispose(
    ctx: typer.Context,
    asset_id: str | None = ASKED_ID,
    day: str | None = DATE,
    proceeds: str | None = typer.Option(None, "--proceeds", help="What the collective received, yuan."),
    method: str | None = typer.Option(
        None, "--method", help="sale, auction, transfer_out, demolition or write_off.", autocompletion=choices(METHODS)
    ),
    doc: str | None = DOC,
    note: str | None = NOTE,
    end_leases: bool = typer.Option(False, "--end-leases", help="End the asset's running leases on the disposal day."),
    as_json: bool = JSON,
) -> None:
    """Record that an asset left the collective (a state change; the record stays)."""
    raw = {"date": day, "amount": proceeds, "method": method, "doc": doc, "note": note, "end_leases": end_leases}
    _event(ctx, asset_id, "dispose", raw, as_json)


@command(app, "transfer")
def transfer(
    ctx: typer.Context,
    asset_id: str | None = ASKED_ID,
    to: str | None = typer.Option(None, "--to", help="The member receiving the asset (划转).", autocompletion=MEMBER_IDS),
    day: str | None = DATE,
    doc: str | None = DOC,
    note: str | None = NOTE,
    as_json: bool = JSON,
) -> None:
    """Transfer an asset to another member on a day (划转); the record keeps every owner it had."""
    e = env(ctx)
    asset_id, raw = ask_on(e, "assets", asset_id, records.TRANSFER, {"to": to, "date": day, "doc": doc, "note": note})
    with e.session() as s:
        asset = records.transfer(s.registry, asset_id, raw)
    _show(s.registry, asset, as_json, max(e.today, iso_date(raw["date"], "--date")))


@command(app, "list")
@reads_rollup
def list_(
    ctx: typer.Context,
    owner: str | None = typer.Option(None, "--owner", help="Only assets of this member.", autocompletion=MEMBER_IDS),
    category: str | None = typer.Option(None, "--category", help="Only this category.", autocompletion=CATEGORIES_),
    status: str | None = typer.Option(None, "--status", help="Only this status.", autocompletion=choices(ASSET_STATUSES)),
    district: str | None = typer.Option(
        None, "--district", help="Only assets of members in this district.", autocompletion=DISTRICTS
    ),
    search: str | None = SEARCH,
    as_of: str | None = AS_OF,
    as_json: bool = JSON,
    wide: bool = WIDE,
    sort: str | None = SORT,
) -> None:
    """List the assets held on a day (default today) with their owner, status and value that day."""
    e = env(ctx)
    day = _day(as_of, e.today)
    wanted_category = choice(category, CATEGORIES, "--category") if category else None
    wanted_status = choice(status, ASSET_STATUSES, "--status") if status else None
    if e.rollup:
        from assetreg.cli import rollup

        specs = [("members", "--owner", owner)]
        filters = (day, wanted_category, wanted_status, district, search, wanted_status == "disposed")
        rows, totals = rollup.listing(e, _rollup_rows, specs, *filters)
        rollup.print_rows("assets", rows, totals, as_json, wide, sort)
        return
    with e.session(write=False) as s:
        reg = s.registry
        owner = reg.resolve("members", owner, "--owner") if owner else None
        district = district_named(reg, district) if district else None
        rows = asset_rows(reg, day, owner, wanted_category, wanted_status, district)
    print_list(reg, "assets", searched(rows, search), as_json, wide=wide, on_purpose=wanted_status == "disposed", sort=sort)


def asset_rows(
    reg: Registry, day: date, owner: str | None, category: str | None, status: str | None, district: str | None
) -> list[dict[str, Any]]:
    """The rows of `asset list`: the assets there on the day, of the owner, category, status, district given."""
    index = Index(reg)
    iso = day.isoformat()
    rows = []
    for a in reg.assets.values():
        if a["acquired"] > iso or (category and a["category"] != category):
            continue  # not there yet on the day
        row = asset_row(reg, a, day, index.incidents_of.get(a["id"], []))
        if (
            (not owner or row["owner"] == owner)
            and (not status or row["status"] == status)
            and (not district or reg.members.get(row["owner"], {}).get("district") == district)
        ):
            rows.append(row)
    return rows


def _rollup_rows(reg: Registry, owner: str | None, day: date, *args: Any) -> Any:
    """One source's `asset list` rows and their totals (in a roll-up's worker)."""
    from assetreg.core.views import list_totals

    *filters, search, on_purpose = args
    rows = searched(asset_rows(reg, day, owner, *filters), search)
    return rows, list_totals(reg, "assets", rows, on_purpose=on_purpose)


@command(app, "show")
@reads_rollup
def show(ctx: typer.Context, asset_id: str = ID, as_of: str | None = AS_OF, as_json: bool = JSON, wide: bool = WIDE) -> None:
    """Everything about an asset: value history, leases, incidents and flags."""
    e = env(ctx)
    day = _day(as_of, e.today)
    if e.rollup:
        from assetreg.cli import rollup

        source, (detail, flags) = rollup.record(e, "assets", _rollup_show, asset_id, "asset", day, bool(as_of))
        if as_json:
            print_json({"source": source, **detail})
            return
        from assetreg.render.records import asset_detail as render_detail

        qualified = rollup.qualified_detail(source, detail)
        render_detail(qualified, "", rollup.qualify_flags(source, flags), wide=wide)
        print_file_rows(qualified.get("attachments") or [])
        return
    with e.session(write=False) as s:
        asset = s.registry.get("assets", asset_id, "asset")
        _show(s.registry, on_day("assets", asset, day) if as_of else asset, as_json, day, wide=wide, past=bool(as_of), files=True)


def _rollup_show(reg: Registry, asset_id: str, day: date, past: bool) -> Any:
    """One source's asset as `asset show` shows it, with its flags (in a roll-up's worker)."""
    asset = reg.assets[asset_id]
    detail, flags = _detail(reg, on_day("assets", asset, day) if past else asset, day, past=past)
    return with_files(reg, "assets", asset_id, detail, day if past else None), flags


@command(app, "history")
@reads_rollup
def history(ctx: typer.Context, asset_id: str = ID, as_json: bool = JSON, wide: bool = WIDE) -> None:
    """An asset's value events with the value before and after each."""
    e = env(ctx)
    if e.rollup:
        from assetreg.cli import rollup

        source, detail = rollup.record(e, "assets", _history, asset_id, "asset", e.today)
        detail = rollup.qualified_detail(source, detail) if not as_json else detail
    else:
        with e.session(write=False) as s:
            detail = _history(s.registry, s.registry.get("assets", asset_id, "asset")["id"], e.today)
    if as_json:
        print_json(detail["history"])
        return
    from assetreg.render.console import print_tables
    from assetreg.render.records import history_table

    print_tables(history_table(detail["history"]), wide=wide)


def _history(reg: Registry, asset_id: str, day: date) -> dict[str, Any]:
    return asset_detail(reg, reg.assets[asset_id], day, [], [])


remove_command(app, "assets")
