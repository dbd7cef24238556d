"""assetreg report register | value | leases | incidents | summary"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assetreg.cli.common import WIDE, Env, command, env, info, reads_rollup
from assetreg.cli.complete import DOCUMENT_FORMATS, MEMBER_IDS, choices
from assetreg.core.choices import UNITS
from assetreg.core.errors import Conflict, InvalidValue
from assetreg.core.parse import choice, iso_date, whole_number
from assetreg.core.registry import Registry
from assetreg.i18n import N_, _

if TYPE_CHECKING:
    from assetreg.core.reports import Period, Report
    from assetreg.render.document import Document

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
FORMAT = typer.Option(
    None,
    "--format",
    help="table, txt, md, html, svg, csv, json, xlsx or pdf; default from the --output extension, else table.",
    autocompletion=DOCUMENT_FORMATS,
)
OUTPUT = typer.Option(None, "--output", help="Write to this file instead of the terminal (xlsx and pdf need it).")
SECTION = typer.Option(None, "--section", help="csv: the table to write, numbered from 1 as shown; default the main one.")
UNIT = typer.Option("yuan", "--unit", help="yuan or wan (万元).", autocompletion=choices(UNITS, {"yuan": "元", "wan": "万元"}))
FORCE = typer.Option(False, "--force", help="Overwrite an existing --output file.")
JSON = typer.Option(False, "--json", help="Same as --format json.")


def check_output(path: Path, registry: Path) -> None:
    """Refuse the registry itself, its companions, folders, symlinks; existing files need --force."""
    if path.is_symlink():
        raise InvalidValue("--output", str(path), N_("is a symbolic link; name a plain file"))
    if path.is_dir():
        raise InvalidValue("--output", str(path), N_("is a folder; name a file"))
    resolved = path.resolve()
    reg = registry.resolve()
    if resolved == reg or (resolved.name.startswith(reg.name + ".") and resolved.parent == reg.parent):
        raise InvalidValue("--output", str(path), N_("is the registry or one of its files"))
    if not resolved.parent.is_dir():
        raise InvalidValue("--output", str(path), N_("is in a folder that does not exist"))


def check_new_output(path: Path, registry: Path, force: bool) -> None:
    check_output(path, registry)
    if path.exists() and not force:
        raise Conflict("--output", str(path), N_("already exists; give --force to overwrite it"))


def write_output(path: Path, data: bytes | Iterable[bytes], registry: Path, force: bool) -> None:
    from assetreg.store import atomic_write, output_failed

    check_new_output(path, registry, force)
    try:
        atomic_write(path, data)
    except OSError as error:
        raise output_failed(path, error) from None
    info(_("Wrote {path}").format(path=path))


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


def document_format(fmt: str | None, output: Path | None, as_json: bool = False, section: int | None = None) -> str:
    """--format, else --json, else the extension of --output, else the terminal; a contradiction is refused."""
    from assetreg.render.document import BINARY, EXTENSIONS, FORMATS

    implied = EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    chosen = choice(fmt, FORMATS, "--format") if fmt else None
    if as_json:
        if chosen not in (None, "json"):
            raise InvalidValue("--format", chosen, N_("contradicts --json"))
        chosen = "json"
    if chosen and implied and chosen != implied and (chosen, implied) != ("table", "txt"):
        raise InvalidValue("--format", chosen, N_("contradicts the extension of --output ({other})"), other=str(output))
    found = chosen or implied or ("txt" if output is not None else "table")
    if found in BINARY and output is None:
        raise InvalidValue("--format", found, N_("needs --output FILE: it is not for a terminal"))
    if section is not None and found != "csv":
        raise InvalidValue("--section", str(section), N_("applies to --format csv only"))
    return found


def emit(
    document: Document, fmt: str, output: Path | None, registry: Path, force: bool, *, wide: bool = False, **options: Any
) -> None:
    """Show the document on the terminal (fitted to its width unless `wide`), or write it in its format
    to stdout or to --output."""
    from assetreg.render.document import render

    if fmt == "table" and output is None:
        from assetreg.render.formats.table import show

        show(document, wide=wide)
        return
    pieces = render(document, "txt" if fmt == "table" else fmt, **options)
    if output is None:
        for piece in pieces:
            sys.stdout.buffer.write(piece)
        sys.stdout.flush()
    else:
        write_output(output, pieces, registry, force)


def log_head(meta: dict[str, Any]) -> tuple[int, str]:
    """The last log entry's number and hash, as the registry's meta records them."""
    from assetreg.core.journal import GENESIS

    return int(meta.get("log_seq", 0)), str(meta.get("log_head") or GENESIS)


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
