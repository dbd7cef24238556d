"""assetreg lease add | list | show | pay | end | write-off"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from assetreg.cli import output as documents
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
    print_json,
    print_list,
    raw_options,
    reads_rollup,
    remove_command,
    searched,
    write_answers,
)
from assetreg.cli.complete import ASSET_IDS, LEASE_IDS, MEMBER_IDS, choices
from assetreg.core import records
from assetreg.core.choices import LEASE_STATUSES, PERIODS
from assetreg.core.errors import InvalidValue
from assetreg.core.history import owner_on
from assetreg.core.parse import choice, iso_date
from assetreg.core.registry import Record, Registry
from assetreg.core.views import lease_detail, lease_row, on_day
from assetreg.i18n import N_, _
from assetreg.render.records import print_file_rows

app = typer.Typer(no_args_is_help=True)

ID = typer.Argument(..., metavar="ID", help="Lease id, e.g. L0001.", autocompletion=LEASE_IDS)
ASKED_ID = typer.Argument(
    None, metavar="ID", help="Lease id or tenant, e.g. L0001; asked for at a terminal.", autocompletion=LEASE_IDS
)
JSON = typer.Option(False, "--json", help="Print JSON only, on stdout.")
AS_OF = typer.Option(None, "--as-of", help="Arrears as of this day (YYYY-MM-DD); default today.")
DATE = typer.Option(None, "--date", help="Date (YYYY-MM-DD).")
NOTE = typer.Option(None, "--note", help="Free note.")
DOC = typer.Option(None, "--doc", help="Document reference: the approval of the contract (文号).")
CONTACT = typer.Option(None, "--contact", help="The tenant's contact: a person or a telephone number.")


def _show(
    reg: Registry,
    lease: Record,
    as_json: bool,
    day: date,
    heading: str = "",
    *,
    wide: bool = False,
    files: bool = False,
    past: bool = False,
) -> None:
    """`files`: with its attachments (`show`); `past`: as of `day`, a file attached later not listed."""
    detail = lease_detail(reg, lease, day)
    if files:
        with_files(reg, "leases", lease["id"], detail, day if past else None)
    if as_json:
        print_json(detail)
        return
    from assetreg.render.records import lease_detail as render_detail

    render_detail(detail, heading, wide=wide)
    print_file_rows(detail.get("attachments") or [])


@command(app, "add")
def add(
    ctx: typer.Context,
    asset: str | None = typer.Option(None, "--asset", help="The leased asset's id.", autocompletion=ASSET_IDS),
    tenant: str | None = typer.Option(None, "--tenant", help="Who rents it."),
    start: str | None = typer.Option(None, "--start", help="First day (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--end", help="Last day (YYYY-MM-DD)."),
    rent: str | None = typer.Option(None, "--rent", help="Rent per period, yuan."),
    period: str | None = typer.Option(
        None, "--period", help="monthly, quarterly or annual (按月/按季/按年).", autocompletion=choices(PERIODS)
    ),
    deposit: str | None = typer.Option(None, "--deposit", help="Deposit, yuan (default 0)."),
    doc: str | None = DOC,
    contact: str | None = CONTACT,
    note: str | None = NOTE,
    record_id: str | None = typer.Option(None, "--id", help="Own id instead of the next L####."),
    as_json: bool = JSON,
) -> None:
    """Let an asset to a tenant; an idle or in-use asset becomes leased."""
    raw = raw_options(locals())  # first, while the locals are the options
    e = env(ctx)
    raw = ask_missing(e, records.LEASE, raw, records.check_lease, walk=not raw)
    s, lease = write_answers(e, records.LEASE, raw, records.add_lease)
    _show(s.registry, lease, as_json, max(e.today, date.fromisoformat(lease["start"])), _("Added"))


@command(app, "edit")
def edit(
    ctx: typer.Context,
    lease_id: str | None = typer.Argument(
        None, metavar="ID", help="Lease id or tenant, e.g. L0001; asked for at a terminal.", autocompletion=LEASE_IDS
    ),
    tenant: str | None = typer.Option(None, "--tenant", help="Who rents it."),
    contact: str | None = CONTACT,
    deposit: str | None = typer.Option(None, "--deposit", help="Deposit, yuan."),
    end: str | None = typer.Option(None, "--end", help="A new last day (a renewal, or an earlier end agreed); the dues follow."),
    doc: str | None = DOC,
    note: str | None = NOTE,
    apply_deposit: bool = typer.Option(
        False, "--apply-deposit", help="After the end: set the deposit held against the arrears on --date."
    ),
    refund_deposit: bool = typer.Option(
        False, "--refund-deposit", help="After the end: record the deposit still held as returned on --date."
    ),
    day: str | None = typer.Option(None, "--date", help="The day the deposit is applied or returned (YYYY-MM-DD)."),
    rent: str | None = typer.Option(None, "--rent", help="A new rent per period, yuan, in force from --from."),
    rent_from: str | None = typer.Option(
        None, "--from", help="The day the new --rent is in force from (in the term); dues before it keep their rent."
    ),
    as_json: bool = JSON,
) -> None:
    """Change a lease's tenant, contact, deposit, document reference, note or last day (--end: a renewal or
    an earlier end agreed; the dues follow), or its rent from a day (--rent AMOUNT --from DATE); given none,
    a terminal asks for each."""
    e = env(ctx)
    if rent is not None or rent_from is not None:  # a rent change, with any other field given beside it
        change: dict[str, Any] = {"rent": rent, "from": rent_from}
        if e.interactive:  # the half not given is asked for
            lease_id, change = ask_on(e, "leases", lease_id, records.RENT_CHANGE, change, records.check_rent_change)
        elif lease_id is None:
            from assetreg.core.errors import MissingOptions

            raise MissingOptions(["lease_id"])
        others = raw_options({k: v for k, v in locals().items() if k in ("tenant", "contact", "deposit", "end", "doc", "note")})
        with e.session() as s:  # a new end first: a rent change may fall in the term it renews
            if others:
                records.edit_lease(s.registry, s.registry.resolve("leases", lease_id, "lease"), others)
            lease = records.change_rent(s.registry, lease_id, change)
        _show(s.registry, lease, as_json, e.today)
        return
    if apply_deposit or refund_deposit:  # the deposit of an ended lease, settled later
        lease_id, when = ask_on(e, "leases", lease_id, records.DEPOSIT_DAY, {"date": day})
        apply_note = _("deposit set against arrears") if apply_deposit else None
        with e.session() as s:
            lease = records.settle_deposit(s.registry, lease_id, when, apply_note=apply_note, refund=refund_deposit)
        _show(s.registry, lease, as_json, max(e.today, iso_date(when["date"], "--date")))
        return
    raw = raw_options(
        {k: v for k, v in locals().items() if k not in ("apply_deposit", "refund_deposit", "day", "e", "rent", "rent_from")}
    )
    lease_id, changes = ask_edit(
        e, "leases", lease_id, records.LEASE_EDITABLE, raw, records.check_lease_edit, options=("--rent", "--from")
    )
    with e.session(write=bool(changes)) as s:
        lease = records.edit_lease(s.registry, lease_id, changes) if changes else s.registry.get("leases", lease_id)
    _show(s.registry, lease, as_json, e.today)


@command(app, "pay")
def pay(
    ctx: typer.Context,
    lease_id: str | None = ASKED_ID,
    day: str | None = DATE,
    amount: str | None = typer.Option(None, "--amount", help="Amount paid, yuan."),
    note: str | None = NOTE,
    again: bool = typer.Option(False, "--again", help="Record it though a payment of that amount on that day exists."),
    as_json: bool = JSON,
) -> None:
    """Record a rent payment; it settles the oldest dues first."""
    e = env(ctx)
    raw: dict[str, Any] = {"date": day, "amount": amount, "note": note, "again": again}
    lease_id, raw = ask_on(e, "leases", lease_id, records.PAYMENT, raw, records.check_payment)
    s, lease = write_answers(e, records.PAYMENT, raw, lambda reg, answers: records.pay(reg, lease_id, answers))
    _show(s.registry, lease, as_json, max(e.today, iso_date(raw["date"], "--date")))


@command(app, "end")
def end(
    ctx: typer.Context,
    lease_id: str | None = ASKED_ID,
    day: str | None = DATE,
    note: str | None = NOTE,
    apply_deposit: bool = typer.Option(
        False, "--apply-deposit", help="Set the deposit against the arrears (a payment, up to what is owed)."
    ),
    refund_deposit: bool = typer.Option(
        False, "--refund-deposit", help="Record the deposit still held as returned to the tenant that day."
    ),
    doc: str | None = typer.Option(None, "--doc", help="Document reference: the agreement ending the lease (文号)."),
    as_json: bool = JSON,
) -> None:
    """End a lease; rent still owed stays owed (a payment after the end is accepted up to it)."""
    e = env(ctx)
    asking = e.interactive and (lease_id is None or day is None)
    raw: dict[str, Any] = {"date": day, "note": note, "doc": doc}
    lease_id, raw = ask_on(e, "leases", lease_id, records.LEASE_END, raw, records.check_lease_end)
    if asking and not apply_deposit:  # offered with the other questions: the deposit against what is owed
        apply_deposit = _offer_deposit(e, lease_id, str(raw["date"]))
    deposit_note = _("deposit set against arrears") if apply_deposit else None
    with e.session() as s:
        lease = records.end_lease(s.registry, lease_id, raw, deposit_note=deposit_note, refund=refund_deposit)
    _show(s.registry, lease, as_json, max(e.today, iso_date(raw["date"], "--date")))


def _offer_deposit(e: Any, lease_id: str, day: str) -> bool:
    """At a terminal, a lease ending with arrears while a deposit is held: set it against them?"""
    from assetreg.cli.common import confirm
    from assetreg.core.rent import arrears, deposit_held
    from assetreg.render.text import money

    ended = iso_date(day, "--date")
    with e.session(write=False) as s:
        lease = s.registry.get("leases", lease_id, "lease")
        owed, held = arrears(lease, ended), deposit_held(lease, ended)
    if not owed or held <= 0:
        return False
    question = _(
        "Arrears of {owed} yuan are owed and a deposit of {held} yuan is held: set the deposit against them (--apply-deposit)?"
    )
    return confirm(question.format(owed=money(owed.amount), held=money(held)))


@command(app, "write-off")
def write_off(
    ctx: typer.Context,
    lease_id: str | None = ASKED_ID,
    day: str | None = DATE,
    amount: str | None = typer.Option(None, "--amount", help="Arrears written off, yuan (at most what is owed that day)."),
    doc: str | None = typer.Option(None, "--doc", help="Document reference: the approval of the write-off (文号)."),
    note: str | None = NOTE,
    as_json: bool = JSON,
) -> None:
    """Write off arrears that will never be paid (坏账核销); they settle the oldest dues first."""
    e = env(ctx)
    raw: dict[str, Any] = {"date": day, "amount": amount, "doc": doc, "note": note}
    lease_id, raw = ask_on(e, "leases", lease_id, records.WRITE_OFF, raw, records.check_write_off)
    with e.session() as s:
        lease = records.write_off(s.registry, lease_id, raw)
    _show(s.registry, lease, as_json, max(e.today, iso_date(raw["date"], "--date")))


@command(app, "list")
@reads_rollup
def list_(
    ctx: typer.Context,
    asset: str | None = typer.Option(None, "--asset", help="Only leases of this asset.", autocompletion=ASSET_IDS),
    owner: str | None = typer.Option(None, "--owner", help="Only leases of this member's assets.", autocompletion=MEMBER_IDS),
    status: str | None = typer.Option(None, "--status", help="active or ended.", autocompletion=choices(LEASE_STATUSES)),
    ends_from: str | None = typer.Option(None, "--ends-from", help="Only leases whose last day is on or after this day."),
    ends_to: str | None = typer.Option(None, "--ends-to", help="Only leases whose last day is on or before this day."),
    search: str | None = SEARCH,
    as_of: str | None = AS_OF,
    as_json: bool = JSON,
    wide: bool = WIDE,
    sort: str | None = SORT,
) -> None:
    """List leases with their arrears."""
    e = env(ctx)
    day = iso_date(as_of, "--as-of") if as_of else e.today
    wanted = choice(status, LEASE_STATUSES, "--status") if status else None
    first = iso_date(ends_from, "--ends-from").isoformat() if ends_from else ""
    last = iso_date(ends_to, "--ends-to").isoformat() if ends_to else "9999"
    if first > last:
        raise InvalidValue("--ends-to", ends_to, N_("is before --ends-from ({other})"), other=first)
    filters = (day, wanted, bool(as_of), first, last)
    if e.rollup:
        from assetreg.cli import rollup

        specs = [("assets", "--asset", asset), ("members", "--owner", owner)]
        rows, totals = rollup.listing(e, _rollup_rows, specs, *filters, search)
        rollup.print_rows("leases", rows, totals, as_json, wide, sort)
        return
    with e.session(write=False) as s:
        reg = s.registry
        asset = reg.resolve("assets", asset, "--asset") if asset else None
        owner = reg.resolve("members", owner, "--owner") if owner else None
        rows = lease_rows(reg, asset, owner, *filters)
    print_list(reg, "leases", searched(rows, search), as_json, wide=wide, on_purpose=wanted == "ended", sort=sort)


def lease_rows(
    reg: Registry, asset: str | None, owner: str | None, day: date, status: str | None, past: bool, first: str, last: str
) -> list[dict[str, Any]]:
    """The rows of `lease list`: of the asset, the owner, the status given, ending between `first` and `last`."""
    return [
        row
        for x in reg.leases.values()
        # on a past day, a lease starting later is not there yet (today, one signed ahead is listed)
        if (not past or x["start"] <= day.isoformat()) and (not asset or x["asset"] == asset) and first <= x["end"] <= last
        for row in [lease_row(reg, x, day)]
        if (not status or row["status"] == status)
        and (not owner or (x["asset"] in reg.assets and owner_on(reg.assets[x["asset"]], day) == owner))
    ]


def _rollup_rows(reg: Registry, asset: str | None, owner: str | None, *args: Any) -> Any:
    from assetreg.core.views import list_totals

    *filters, search = args
    rows = searched(lease_rows(reg, asset, owner, *filters), search)
    return rows, list_totals(reg, "leases", rows, on_purpose=filters[1] == "ended")


def _rollup_show(reg: Registry, lease_id: str, day: date, past: bool) -> Any:
    lease = reg.leases[lease_id]
    return with_files(
        reg, "leases", lease_id, lease_detail(reg, on_day("leases", lease, day) if past else lease, day), day if past else None
    )


@command(app, "show")
@reads_rollup
def show(ctx: typer.Context, lease_id: str = ID, as_of: str | None = AS_OF, as_json: bool = JSON, wide: bool = WIDE) -> None:
    """A lease with its payments and what is still owed."""
    e = env(ctx)
    day = iso_date(as_of, "--as-of") if as_of else e.today
    if e.rollup:
        from assetreg.cli import rollup

        source, detail = rollup.record(e, "leases", _rollup_show, lease_id, "lease", day, bool(as_of))
        rollup.print_detail("lease", source, detail, as_json, wide)
        return
    with e.session(write=False) as s:
        lease = s.registry.get("leases", lease_id, "lease")
        _show(s.registry, on_day("leases", lease, day) if as_of else lease, as_json, day, wide=wide, files=True, past=bool(as_of))


@command(app, "statement")
def statement(
    ctx: typer.Context,
    lease_id: str | None = ASKED_ID,
    as_of: str | None = typer.Option(None, "--as-of", help="The statement as of this day (YYYY-MM-DD); default today."),
    fmt: str | None = documents.FORMAT,
    output: Path | None = documents.OUTPUT,
    section: int | None = documents.SECTION,
    unit: str = documents.UNIT,
    force: bool = documents.FORCE,
    as_json: bool = documents.JSON,
    wide: bool = WIDE,
) -> None:
    """The lease's statement (租金对账单) to send the tenant: every due with what settled it and what is
    unpaid, the payments, write-offs and deposit, and the balance; in any document format."""
    from assetreg.core.statement import statement as build
    from assetreg.render.document import from_report

    e = env(ctx)
    day = iso_date(as_of, "--as-of") if as_of else e.today
    fmt = documents.document_format(fmt, output, as_json, section)
    unit = choice(unit, ("yuan", "wan"), "--unit")
    if output is not None:
        documents.check_new_output(output, e.registry, force)
    lease_id, _answers = ask_on(e, "leases", lease_id, (), {})
    with e.session(write=False) as s:
        report = build(s.registry, s.registry.resolve("leases", lease_id, "lease"), day)
        name, head = s.registry.name, documents.log_head(s.meta)
    document = from_report(report, unit=unit, registry=name, log_head=head)
    _statement_words(document, report.sections[0].extra)
    documents.emit(document, fmt, output, e.registry, force, section=section, wide=wide)


TERM, CONTRACT = N_("Term"), N_("Contract")  # the statement's notes (Tenant, Asset and Rent are table headings)


def _statement_words(document: Any, figures: dict[str, Any]) -> None:
    """What the reader reads beside the figures: the title naming the lease and its tenant, the lease's terms
    as notes, the settlements of each due by their dates, and the rows of the deposit and balance named in the
    reader's language. The JSON keeps its keys (it was taken when the document was made)."""
    from assetreg.core.statement import ITEMS
    from assetreg.render.text import clean, label, money

    lease = figures["lease"]
    document.title = f"{document.title}{_(': ')}{lease['id']} {clean(lease['tenant'])}"
    asset = f"{lease['asset']} {clean(lease['asset_name'] or '')}".strip()
    term = f"{lease['start']} – {lease['end']}"
    if lease["ended_on"]:
        term += " " + _("(ended on {day})").format(day=lease["ended_on"])
    rents = _(", ").join(
        _("{amount} {period} from {day}").format(amount=money(r["amount"]), period=label(lease["period"]), day=r["date"])
        for r in lease["rents"]
    )
    colon = _(": ")
    contact = f" ({clean(lease['contact'])})" if lease["contact"] else ""
    notes = [
        f"{_('Tenant')}{colon}{clean(lease['tenant'])}{contact}",
        f"{_('Asset')}{colon}{asset}",
        f"{_(TERM)}{colon}{term}",
        f"{_('Rent')}{colon}{rents}",
    ]
    if lease["doc"]:
        notes.append(f"{_(CONTRACT)}{colon}{clean(lease['doc'])}")
    document.notes = notes + document.notes
    dues, payments, _writeoffs, deposit, balance = document.tables

    def settled_by(parts: list[dict[str, Any]]) -> str:
        return ", ".join(p["date"] + (f" ({_(ITEMS[p['kind']])})" if p["kind"] in ITEMS else "") for p in parts)

    dues.rows = [{**row, "settled_by": settled_by(row["settlements"])} for row in dues.rows]
    payments.rows = [{**row, "how": ", ".join(_(ITEMS[k]) for k in ("deposit", "again") if row[k])} for row in payments.rows]
    for table in (deposit, balance):
        table.rows = [{**row, "item": _(ITEMS[row["item"]])} for row in table.rows]


remove_command(app, "leases")
