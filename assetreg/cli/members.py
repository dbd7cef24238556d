"""assetreg member add | list | show | edit"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import typer

from assetreg.cli.attachments import with_files
from assetreg.cli.common import (
    SEARCH,
    SORT,
    WIDE,
    ask_edit,
    ask_missing,
    command,
    env,
    print_json,
    raw_options,
    reads_rollup,
    remove_command,
    searched,
    write_answers,
)
from assetreg.cli.complete import DISTRICTS, MEMBER_IDS, choices
from assetreg.core import records
from assetreg.core.choices import MEMBER_KINDS, RESTRUCTURING
from assetreg.core.parse import choice, iso_date
from assetreg.core.values import value_on
from assetreg.core.views import Index, is_stake, member_row, on_day
from assetreg.core.views import district as district_named
from assetreg.i18n import _
from assetreg.render.records import print_file_rows

app = typer.Typer(no_args_is_help=True)

ID = typer.Argument(..., metavar="ID", help="Member id, e.g. M001.", autocompletion=MEMBER_IDS)
JSON = typer.Option(False, "--json", help="Print JSON only, on stdout.")
AS_OF = typer.Option(None, "--as-of", help="Values as of this day (YYYY-MM-DD); default today.")
NAME = typer.Option(None, "--name", help="Name, e.g. 柳市布厂.")
DISTRICT = typer.Option(None, "--district", help="District association (片), e.g. 柳市片.", autocompletion=DISTRICTS)
KIND_CHOICES = choices(MEMBER_KINDS)
RESTRUCT_CHOICES = choices(RESTRUCTURING)
KIND = typer.Option(
    None, "--kind", help="enterprise, federation, company or association (企业/联社/公司/片联合会).", autocompletion=KIND_CHOICES
)
RESTRUCT = typer.Option(
    None, "--restructuring", help="not_started, preparing, in_progress, completed or verified.", autocompletion=RESTRUCT_CHOICES
)
SINCE = typer.Option(None, "--restructuring-since", help="When the restructuring started (YYYY-MM-DD).")
FINISHED = typer.Option(None, "--restructuring-finished", help="When it finished or passed acceptance.")
RNOTE = typer.Option(None, "--restructuring-note", help="Note on the restructuring.")
EMPLOYEES = typer.Option(None, "--employees", help="Number of employees.")
CONTACT = typer.Option(None, "--contact", help="Contact person or telephone.")
NOTE = typer.Option(None, "--note", help="Free note.")


def _day(text: str | None, default: date) -> date:
    return iso_date(text, "--as-of") if text else default


@command(app, "add")
def add(
    ctx: typer.Context,
    name: str | None = NAME,
    district: str | None = DISTRICT,
    kind: str | None = KIND,
    restructuring: str | None = RESTRUCT,
    restructuring_since: str | None = SINCE,
    restructuring_finished: str | None = FINISHED,
    restructuring_note: str | None = RNOTE,
    employees: str | None = EMPLOYEES,
    contact: str | None = CONTACT,
    note: str | None = NOTE,
    record_id: str | None = typer.Option(None, "--id", help="Own id instead of the next M###."),
    as_json: bool = JSON,
) -> None:
    """Add a member."""
    raw = raw_options(locals())  # first, while the locals are the options
    e = env(ctx)
    raw = ask_missing(e, records.MEMBER, raw, records.check_member, walk=not raw)
    s, member = write_answers(e, records.MEMBER, raw, records.add_member)
    _show(member, as_json, e.today, s.registry, added=True)


@command(app, "edit")
def edit(
    ctx: typer.Context,
    member_id: str | None = typer.Argument(
        None, metavar="ID", help="Member id or name, e.g. M001; asked for at a terminal.", autocompletion=MEMBER_IDS
    ),
    name: str | None = NAME,
    district: str | None = DISTRICT,
    kind: str | None = KIND,
    restructuring: str | None = RESTRUCT,
    restructuring_since: str | None = SINCE,
    restructuring_finished: str | None = FINISHED,
    restructuring_note: str | None = RNOTE,
    employees: str | None = EMPLOYEES,
    contact: str | None = CONTACT,
    note: str | None = NOTE,
    as_json: bool = JSON,
) -> None:
    """Change the given fields of a member; given none, a terminal asks for each with its current value."""
    raw = raw_options(locals())  # first, while the locals are the options
    e = env(ctx)

    def check(reg: records.Registry, member: dict, changes: dict) -> None:
        records.check_member(reg, {**member, **changes})

    member_id, changes = ask_edit(e, "members", member_id, records.MEMBER_EDITABLE, raw, check)
    with e.session(write=bool(changes)) as s:
        member = records.edit_member(s.registry, member_id, changes, e.today) if changes else s.registry.get("members", member_id)
    _show(member, as_json, e.today, s.registry)


@command(app, "list")
@reads_rollup
def list_(
    ctx: typer.Context,
    district: str | None = typer.Option(None, "--district", help="Only this district.", autocompletion=DISTRICTS),
    kind: str | None = typer.Option(None, "--kind", help="Only this kind.", autocompletion=KIND_CHOICES),
    restructuring: str | None = typer.Option(
        None, "--restructuring", help="Only this restructuring status.", autocompletion=RESTRUCT_CHOICES
    ),
    search: str | None = SEARCH,
    as_of: str | None = AS_OF,
    as_json: bool = JSON,
    wide: bool = WIDE,
    sort: str | None = SORT,
) -> None:
    """List members with their assets held and value."""
    e = env(ctx)
    day = _day(as_of, e.today)
    wanted_kind = choice(kind, MEMBER_KINDS, "--kind") if kind else None
    wanted_status = choice(restructuring, RESTRUCTURING, "--restructuring") if restructuring else None
    if e.rollup:
        from assetreg.cli import rollup

        rows, totals = rollup.listing(e, _list_rows, [], day, district, wanted_kind, wanted_status, search)
        rollup.print_rows("members", rows, totals, as_json, wide, sort)
        return
    with e.session(write=False) as s:
        reg = s.registry
        district = district_named(reg, district) if district else None
        rows, totals = _list_rows(reg, day, district, wanted_kind, wanted_status, search)
    if sort:
        from assetreg.core.views import sort_rows

        rows = sort_rows(rows, sort)
    if as_json:
        print_json(rows)
        return
    from assetreg.render.records import member_table

    member_table(rows, totals, wide=wide)


def _list_rows(
    reg: records.Registry, day: date, district: Any, kind: Any, status: Any, search: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The rows of `member list` and their totals (of one source, in a roll-up's worker)."""
    from assetreg.core.views import list_totals

    owned = Index(reg).owned_on(day)
    rows = [
        row
        for m in reg.members.values()
        if (not district or m["district"] == district) and (not kind or m["kind"] == kind)
        for row in [member_row(m, owned.get(m["id"], []), day)]
        if not status or row["restructuring"] == status
    ]
    rows = searched(rows, search)
    # the intra-federation equity the listed members hold: left out of their total value
    stakes = sum((value_on(a, day) or 0 for row in rows for a in owned.get(row["id"], []) if is_stake(reg, a)), Decimal("0.00"))
    return rows, list_totals(reg, "members", rows, Decimal(stakes))


@command(app, "show")
@reads_rollup
def show(ctx: typer.Context, member_id: str = ID, as_of: str | None = AS_OF, as_json: bool = JSON, wide: bool = WIDE) -> None:
    """Everything about a member: its record, its assets and their value."""
    e = env(ctx)
    day = _day(as_of, e.today)
    if e.rollup:
        from assetreg.cli import rollup

        source, detail = rollup.record(e, "members", _rollup_show, member_id, "member", day, bool(as_of))
        if as_json:
            print_json({"source": source, **detail})
            return
        from assetreg.render.records import member_detail

        qualified = rollup.qualified_detail(source, detail)
        member_detail(qualified, wide=wide)
        print_file_rows(qualified.get("attachments") or [])
        return
    with e.session(write=False) as s:
        member = s.registry.get("members", member_id, "member")
        shown = on_day("members", member, day) if as_of else member
        _show(shown, as_json, day, s.registry, wide=wide, past=bool(as_of), files=True)


def _rollup_show(reg: records.Registry, member_id: str, day: date, past: bool) -> Any:
    """One source's member as `member show` shows it (in a roll-up's worker)."""
    member = reg.members[member_id]
    detail = _detail(on_day("members", member, day) if past else member, day, reg, past=past)
    return with_files(reg, "members", member_id, detail, day if past else None)


def _show(
    member: dict,
    as_json: bool,
    day: date,
    reg: records.Registry,
    added: bool = False,
    *,
    wide: bool = False,
    past: bool = False,
    files: bool = False,
) -> None:
    """`past`: as it stood on `day` (`--as-of`): assets acquired later are not listed, nor anything dated later.
    `files`: with its attachments (`show`)."""
    detail = _detail(member, day, reg, added, past=past)
    if files:
        with_files(reg, "members", member["id"], detail, day if past else None)
    if as_json:
        print_json(detail)
        return
    from assetreg.render.records import member_detail

    member_detail(detail, _("Added") if added else "", wide=wide)
    print_file_rows(detail.get("attachments") or [])


def _detail(member: dict, day: date, reg: records.Registry, added: bool = False, *, past: bool = False) -> dict[str, Any]:
    from assetreg.core.views import asset_row

    index = Index(reg)
    owned = [] if added else index.owned_on(day).get(member["id"], [])
    if past:
        owned = [on_day("assets", a, day) for a in owned if a["acquired"] <= day.isoformat()]
    detail = member_row(member, owned, day)
    detail["asset_list"] = [asset_row(reg, a, day, index.incidents_of.get(a["id"], [])) for a in owned]
    return detail


remove_command(app, "members")
