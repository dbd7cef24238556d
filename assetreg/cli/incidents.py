"""assetreg incident add | list | show | act | close"""

from __future__ import annotations

from datetime import date
from typing import Any

import typer

from assetreg.cli.attachments import with_files
from assetreg.cli.common import (
    SEARCH,
    SORT,
    WIDE,
    ask_missing,
    ask_on,
    command,
    env,
    print_json,
    print_list,
    raw_options,
    reads_rollup,
    remove_command,
    searched,
)
from assetreg.cli.complete import ASSET_IDS, INCIDENT_IDS, MEMBER_IDS, choices
from assetreg.core import records
from assetreg.core.choices import CLOSED_STATUSES, INCIDENT_KINDS, INCIDENT_STATUSES
from assetreg.core.history import incident_status_on, owner_on
from assetreg.core.parse import choice, iso_date
from assetreg.core.registry import Record, Registry
from assetreg.core.views import incident_detail, incident_row, is_open, on_day
from assetreg.i18n import _
from assetreg.render.records import print_file_rows

app = typer.Typer(no_args_is_help=True)

ID = typer.Argument(..., metavar="ID", help="Incident id, e.g. I0001.", autocompletion=INCIDENT_IDS)
ASKED_ID = typer.Argument(
    None, metavar="ID", help="Incident id, e.g. I0001; asked for at a terminal.", autocompletion=INCIDENT_IDS
)
KINDS = choices(INCIDENT_KINDS)
STATUSES = choices(INCIDENT_STATUSES)
JSON = typer.Option(False, "--json", help="Print JSON only, on stdout.")
AS_OF = typer.Option(None, "--as-of", help="Age and status as of this day (YYYY-MM-DD); default today.")
DATE = typer.Option(None, "--date", help="Date (YYYY-MM-DD).")
DOC = typer.Option(None, "--doc", help="Document reference (文号, case number).")


def _show(
    reg: Registry,
    incident: Record,
    as_json: bool,
    day: date,
    heading: str = "",
    *,
    wide: bool = False,
    files: bool = False,
    past: bool = False,
) -> None:
    """`files`: with its attachments (`show`); `past`: as of `day`, a file attached later not listed, those of an
    action beside it in the timeline."""
    detail = incident_detail(reg, incident, day)
    if files:
        with_files(reg, "incidents", incident["id"], detail, day if past else None)
    if as_json:
        print_json(detail)
        return
    from assetreg.render.records import incident_detail as render_detail

    render_detail(detail, heading, wide=wide)
    print_file_rows(detail.get("attachments") or [])


@command(app, "add")
def add(
    ctx: typer.Context,
    kind: str | None = typer.Option(
        None,
        "--kind",
        help="encroachment, occupation, damage, illegal_transfer, land_dispute, disaster or other (侵占/占用/损坏/…).",
        autocompletion=KINDS,
    ),
    assets: list[str] | None = typer.Option(
        None, "--asset", help="An affected asset; repeat for several.", autocompletion=ASSET_IDS
    ),
    occurred: str | None = typer.Option(None, "--occurred", help="When it happened (YYYY-MM-DD)."),
    reported: str | None = typer.Option(None, "--reported", help="When it was reported."),
    counterparty: str | None = typer.Option(None, "--counterparty", help="Who, e.g. 柳市镇上峰村."),
    description: str | None = typer.Option(None, "--description", help="What happened."),
    estimated_loss: str | None = typer.Option(None, "--estimated-loss", help="Estimated loss, yuan."),
    status: str | None = typer.Option(
        None,
        "--status",
        help="open (default), mediation, litigation or judgment.",
        autocompletion=choices(INCIDENT_STATUSES[:-2]),
    ),
    record_id: str | None = typer.Option(None, "--id", help="Own id instead of the next I####."),
    as_json: bool = JSON,
) -> None:
    """Record an incident affecting one or more assets."""
    raw = raw_options(locals())  # first, while the locals are the options
    e = env(ctx)
    raw = ask_missing(e, records.INCIDENT, raw, records.check_incident, walk=not raw)
    with e.session() as s:
        incident = records.add_incident(s.registry, raw)
    _show(s.registry, incident, as_json, max(e.today, date.fromisoformat(incident["occurred"])), _("Added"))


def _act(
    ctx: typer.Context,
    incident_id: str | None,
    raw: dict[str, Any],
    as_json: bool,
    *,
    closing: bool,
    attach: list[str] | None = None,
) -> None:
    from assetreg.cli.attachments import action_files

    e = env(ctx)
    form = records.CLOSING if closing else records.ACTION
    incident_id, raw = ask_on(e, "incidents", incident_id, form, raw, records.check_action)
    with e.session() as s:
        incident = records.act(s.registry, incident_id, raw, closing=closing)
        if attach:
            action_files(s, incident, iso_date(raw["date"], "--date").isoformat(), attach)
    _show(s.registry, incident, as_json, max(e.today, iso_date(raw["date"], "--date")))


@command(app, "act")
def act(
    ctx: typer.Context,
    incident_id: str | None = ASKED_ID,
    day: str | None = DATE,
    note: str | None = typer.Option(None, "--note", help="What was done (调解, 起诉, …)."),
    status: str | None = typer.Option(None, "--status", help="New status, if it changes.", autocompletion=STATUSES),
    doc: str | None = DOC,
    attach: list[str] | None = typer.Option(
        None, "--attach", help="A file of the action (a letter, minutes, a judgment); repeat for several."
    ),
    as_json: bool = JSON,
) -> None:
    """Add an action to an incident's timeline."""
    _act(ctx, incident_id, {"date": day, "note": note, "status": status, "doc": doc}, as_json, closing=False, attach=attach)


@command(app, "close")
def close(
    ctx: typer.Context,
    incident_id: str | None = ASKED_ID,
    day: str | None = DATE,
    status: str | None = typer.Option(
        None, "--status", help="resolved (default) or closed.", autocompletion=choices(CLOSED_STATUSES)
    ),
    note: str | None = typer.Option(None, "--note", help="How it ended."),
    doc: str | None = DOC,
    as_json: bool = JSON,
) -> None:
    """Close an incident as resolved or closed."""
    _act(ctx, incident_id, {"date": day, "note": note, "status": status, "doc": doc}, as_json, closing=True)


@command(app, "list")
@reads_rollup
def list_(
    ctx: typer.Context,
    only_open: bool = typer.Option(False, "--open", help="Only incidents not resolved or closed, oldest first."),
    kind: str | None = typer.Option(None, "--kind", help="Only this kind.", autocompletion=KINDS),
    status: str | None = typer.Option(None, "--status", help="Only this status.", autocompletion=STATUSES),
    asset: str | None = typer.Option(None, "--asset", help="Only incidents naming this asset.", autocompletion=ASSET_IDS),
    owner: str | None = typer.Option(
        None, "--owner", help="Only incidents naming this member's assets.", autocompletion=MEMBER_IDS
    ),
    search: str | None = SEARCH,
    as_of: str | None = AS_OF,
    as_json: bool = JSON,
    wide: bool = WIDE,
    sort: str | None = SORT,
) -> None:
    """List incidents with their age and last action."""
    e = env(ctx)
    day = iso_date(as_of, "--as-of") if as_of else e.today
    wanted_kind = choice(kind, INCIDENT_KINDS, "--kind") if kind else None
    wanted_status = choice(status, INCIDENT_STATUSES, "--status") if status else None
    filters = (day, only_open, wanted_kind, wanted_status)
    if e.rollup:
        from assetreg.cli import rollup

        specs = [("assets", "--asset", asset), ("members", "--owner", owner)]
        rows, totals = rollup.listing(e, _rollup_rows, specs, *filters, search)
        rollup.print_rows("incidents", rows, totals, as_json, wide, sort)
        return
    with e.session(write=False) as s:
        reg = s.registry
        asset = reg.resolve("assets", asset, "--asset") if asset else None
        owner = reg.resolve("members", owner, "--owner") if owner else None
        rows = incident_rows(reg, asset, owner, *filters)
    print_list(reg, "incidents", searched(rows, search), as_json, wide=wide, sort=sort)


def incident_rows(
    reg: Registry, asset: str | None, owner: str | None, day: date, only_open: bool, kind: str | None, status: str | None
) -> list[dict[str, Any]]:
    """The rows of `incident list`: there on the day, of the asset, owner, kind and status given."""
    iso = day.isoformat()
    chosen = [
        i
        for i in reg.incidents.values()
        if i["occurred"] <= iso  # not there yet on the day
        and (not only_open or is_open(i, day))
        and (not kind or i["kind"] == kind)
        and (not status or incident_status_on(i, day) == status)
        and (not asset or asset in i["assets"])
        and (not owner or any(a in reg.assets and owner_on(reg.assets[a], day) == owner for a in i["assets"]))
    ]
    if only_open:
        chosen.sort(key=lambda i: (i["occurred"], i["id"]))
    return [incident_row(reg, i, day) for i in chosen]


def _rollup_rows(reg: Registry, asset: str | None, owner: str | None, *args: Any) -> Any:
    from assetreg.core.views import list_totals

    *filters, search = args
    rows = searched(incident_rows(reg, asset, owner, *filters), search)
    return rows, list_totals(reg, "incidents", rows)


def _rollup_show(reg: Registry, incident_id: str, day: date, past: bool) -> Any:
    incident = reg.incidents[incident_id]
    detail = incident_detail(reg, on_day("incidents", incident, day) if past else incident, day)
    return with_files(reg, "incidents", incident_id, detail, day if past else None)


@command(app, "show")
@reads_rollup
def show(ctx: typer.Context, incident_id: str = ID, as_of: str | None = AS_OF, as_json: bool = JSON, wide: bool = WIDE) -> None:
    """An incident with its timeline and age."""
    e = env(ctx)
    day = iso_date(as_of, "--as-of") if as_of else e.today
    if e.rollup:
        from assetreg.cli import rollup

        source, detail = rollup.record(e, "incidents", _rollup_show, incident_id, "incident", day, bool(as_of))
        rollup.print_detail("incident", source, detail, as_json, wide)
        return
    with e.session(write=False) as s:
        incident = s.registry.get("incidents", incident_id, "incident")
        _show(
            s.registry,
            on_day("incidents", incident, day) if as_of else incident,
            as_json,
            day,
            wide=wide,
            files=True,
            past=bool(as_of),
        )


remove_command(app, "incidents")
