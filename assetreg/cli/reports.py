"""assetreg report register | value | leases | incidents | summary"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assetreg.cli.common import WIDE, Env, command, env, reads_rollup
from assetreg.cli.complete import MEMBER_IDS, choices
from assetreg.cli.output import (
    FORCE,
    FORMAT,
    JSON,
    OUTPUT,
    SECTION,
    UNIT,
    check_new_output,
    document_format,
    emit,
    log_head,
)
from assetreg.core.errors import InvalidValue
from assetreg.core.parse import choice, iso_date, whole_number
from assetreg.core.registry import Registry
from assetreg.i18n import N_, _

if TYPE_CHECKING:
    from assetreg.core.reports import Period, Report

app = typer.Typer(no_args_is_help=True)

FROM = typer.Option(None, "--from", help="First day of the period; default 1 January of the last day's year.")
TO = typer.Option(None, "--to", help="Last day of the period; default today.")
AS_OF = typer.Option(None, "--as-of", help="The day (same as --to).")
MEMBER = typer.Option(None, "--member", help="Only this member's assets.", autocompletion=MEMBER_IDS)
YEAR = typer.Option(None, "--year", help="A calendar year: --from YYYY-01-01 --to YYYY-12-31 (--as-of YYYY-12-31).")
GROUPS = ("member", "district", "category")
BY = typer.Option(
    None,
    "--by",
    help="member, district or category (register, value and trend); source: each registry of a roll-up.",
    autocompletion=choices((*GROUPS, "source")),
)


def period(start: str | None, to: str | None, as_of: str | None, today: date, year: str | None = None) -> Period:
    """--from and --to (or --as-of, or --year); the period defaults to the year up to today."""
    from assetreg.core.reports import Period

    if year is not None:
        for option, other in (("--from", start), ("--to", to), ("--as-of", as_of)):
            if other:
                raise InvalidValue("--year", year, N_("give either --year or {option}, not both"), option=option)
        number = whole_number(year, "--year")
        if not 1900 <= number <= 2199:
            raise InvalidValue("--year", year, N_("must be from {low} to {high}"), low=1900, high=2199)
        return Period(date(number, 1, 1), date(number, 12, 31))
    if to and as_of:
        raise InvalidValue("--as-of", as_of, N_("give either --to or --as-of, not both"))
    given = to or as_of
    end = iso_date(given, "--to" if to else "--as-of") if given else today
    first = iso_date(start, "--from") if start else date(end.year, 1, 1)
    if first > end:
        raise InvalidValue("--from", first.isoformat(), N_("is after the end of the period ({other})"), other=end.isoformat())
    return Period(first, end)


def _member(reg: Registry, member: str | None) -> str | None:
    return reg.resolve("members", member, "--member") if member else None


Build = Callable[[Registry, "Period", str | None, str | None], "Report"]


def run_report(ctx: typer.Context, build: Build, options: dict[str, Any], groupings: tuple[str, ...] = ()) -> None:
    """Check the options, build the report from the registry, and show or write it."""
    from assetreg.render.document import from_report

    e: Env = env(ctx)
    span = period(options["start"], options["to"], options["as_of"], e.today, options["year"])
    by = options["by"]
    if by is not None:
        allowed = (*groupings, "source") if e.rollup else groupings  # a roll-up groups every report by source
        if not allowed:
            raise InvalidValue("--by", by, N_("only register, value and trend are grouped"))
        by = choice(by, allowed, "--by")
    output: Path | None = options["output"]
    fmt = document_format(options["fmt"], output, options["as_json"], options["section"])
    unit = choice(options["unit"], ("yuan", "wan"), "--unit")
    if output is not None:
        check_new_output(output, e.registry, options["force"])
    if e.rollup:
        from assetreg.cli import rollup

        document = rollup.report(e, build.__name__.strip("_"), span, options["member"], by, fmt, unit)
        emit(document, fmt, output, e.registry, options["force"], section=options["section"], wide=options["wide"])
        return
    with e.session(write=False) as s:
        report = build(s.registry, span, _member(s.registry, options["member"]), by)
        name, head = s.registry.name, log_head(s.meta)
    document = from_report(report, unit=unit, registry=name, log_head=head)
    emit(document, fmt, output, e.registry, options["force"], section=options["section"], wide=options["wide"])


def _report_command(name: str, build: Build, doc: str, groupings: tuple[str, ...] = ()) -> None:
    def report(
        ctx: typer.Context,
        start: str | None = FROM,
        to: str | None = TO,
        as_of: str | None = AS_OF,
        year: str | None = YEAR,
        member: str | None = MEMBER,
        by: str | None = BY,
        fmt: str | None = FORMAT,
        output: Path | None = OUTPUT,
        section: int | None = SECTION,
        unit: str = UNIT,
        force: bool = FORCE,
        as_json: bool = JSON,
        wide: bool = WIDE,
    ) -> None:
        run_report(ctx, build, locals(), groupings)

    command(app, name, help=doc)(reads_rollup(report))


def _register(reg: Registry, span: Period, member: str | None, by: str | None) -> Report:
    from assetreg.core.reports import register_report

    return register_report(reg, span.end, member=member, by=by)


def _value(reg: Registry, span: Period, member: str | None, by: str | None) -> Report:
    from assetreg.core.reports import value_report

    return value_report(reg, span, member=member, by=by or "member")


def _trend(reg: Registry, span: Period, member: str | None, by: str | None) -> Report:
    from assetreg.core.reports import trend_report

    return trend_report(reg, span, member=member, by=by or "member")


def _leases(reg: Registry, span: Period, member: str | None, by: str | None) -> Report:
    from assetreg.core.reports import leases_report

    return leases_report(reg, span, member=member)


def _incidents(reg: Registry, span: Period, member: str | None, by: str | None) -> Report:
    from assetreg.core.reports import incidents_report

    return incidents_report(reg, span, member=member)


def _summary(reg: Registry, span: Period, member: str | None, by: str | None) -> Report:
    from assetreg.core.reports import summary_report

    return summary_report(reg, span, member=member)


_report_command("register", _register, "The asset register: what is held, where, with what title and value.", GROUPS)
_report_command("value", _value, "Value preservation and appreciation (保值增值) per member and for the federation.", GROUPS)
_report_command("trend", _trend, "The preservation ratio of each year and of the whole period (任期保值增值率).", GROUPS)
_report_command("leases", _leases, "The rent roll: rent, deposits, collections, arrears by age, leases ending, idle buildings.")
_report_command("incidents", _incidents, "Open and recent incidents with age, affected assets and their value.")
_report_command("summary", _summary, "One page for the annual work report.")


NOTICE_TEXT = N_(
    "Public notice (公示): this result is posted for the members to see from {start} to {end} ({days} days). "
    "Objections go to {contact} before the posting ends; the members' assembly then confirms the result, and its "
    "resolution is the approval cited when the clearance is closed."
)
NO_CONTACT = N_("(no office named yet: set it with 'assetreg settings set notice_contact TEXT')")
SIGNATURES = (N_("Counted by"), N_("Reviewed by"), N_("Head of the unit"))


def notice_paragraph(clearance: dict[str, Any], contact: str, days: str | None, today: date) -> str:
    """The posting period: the one recorded with `clearance notice`, else --notice-days from the day made."""
    from datetime import timedelta

    recorded = clearance.get("notice")
    if recorded:
        start, count = date.fromisoformat(recorded["from"]), int(recorded["days"])
    else:
        start, count = today, whole_number(days if days is not None else "7", "--notice-days")
        if count < 1:
            raise InvalidValue("--notice-days", str(days), N_("must be more than zero"))
    end = start + timedelta(days=count - 1)
    return _(NOTICE_TEXT).format(start=start.isoformat(), end=end.isoformat(), days=count, contact=contact or _(NO_CONTACT))


@command(app, "clearance")
@reads_rollup
def clearance_report(
    ctx: typer.Context,
    clearance_id: str = typer.Argument(..., metavar="ID", help="The clearance's id (C001)."),
    by: str | None = BY,
    notice_days: str | None = typer.Option(None, "--notice-days", help="Days the result is posted, from today (default 7)."),
    fmt: str | None = FORMAT,
    output: Path | None = OUTPUT,
    section: int | None = SECTION,
    unit: str = UNIT,
    force: bool = FORCE,
    as_json: bool = JSON,
    wide: bool = WIDE,
) -> None:
    """The clearance result (清查结果表): book, found, surplus, shortfall and difference, then the details."""
    from assetreg.core import clearance as core
    from assetreg.core.settings import effective
    from assetreg.render.document import from_report

    e: Env = env(ctx)
    grouping = choice(by, GROUPS, "--by") if by else "member"
    fmt = document_format(fmt, output, as_json, section)
    unit = choice(unit, ("yuan", "wan"), "--unit")
    if output is not None:
        check_new_output(output, e.registry, force)
    if e.rollup:
        from assetreg.cli import rollup

        document, report, contact = rollup.clearance_report(e, clearance_id, grouping, fmt, unit)
    else:
        with e.session(write=False) as s:
            report = core.clearance_report(s.registry, clearance_id, grouping)
            contact = effective(s.registry.settings)["notice_contact"]
            name, head = s.registry.name, log_head(s.meta)
        document = from_report(report, unit=unit, registry=name, log_head=head)
    clearance = report.sections[0].extra["clearance"]
    document.title = f"{_(core.REPORT_TITLE)}{_(': ')}{clearance['name']}"
    state = (
        _("closed on {day} under {doc}").format(day=clearance["closed"], doc=clearance["doc"])
        if clearance["status"] == "closed"
        else _("open, not yet closed")
    )
    document.period = (_("As of"), _("{day} ({state})").format(day=clearance["as_of"], state=state))  # zh: （…）
    document.notes.append(notice_paragraph(clearance, contact, notice_days, e.today))
    document.signatures = [_(role) for role in SIGNATURES]
    emit(document, fmt, output, e.registry, force, section=section, wide=wide)
