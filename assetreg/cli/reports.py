"""assetreg report register | value | leases | incidents | summary"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assetreg.cli.common import Env, command, env, info
from assetreg.core.errors import Conflict, InvalidValue
from assetreg.core.parse import choice, iso_date, record_id
from assetreg.core.registry import Registry
from assetreg.i18n import N_, _

if TYPE_CHECKING:
    from assetreg.core.reports import Period, Report

app = typer.Typer(no_args_is_help=True)

FROM = typer.Option(None, "--from", help="First day of the period; default 1 January of the last day's year.")
TO = typer.Option(None, "--to", help="Last day of the period; default today.")
AS_OF = typer.Option(None, "--as-of", help="The day (same as --to).")
MEMBER = typer.Option(None, "--member", help="Only this member's assets.")
FORMAT = typer.Option("table", "--format", help="table, txt, md, html, svg, csv or json.")
OUTPUT = typer.Option(None, "--output", help="Write to this file instead of the terminal.")
UNIT = typer.Option("yuan", "--unit", help="yuan or wan (万元).")
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
    from assetreg.store import atomic_write

    check_new_output(path, registry, force)
    atomic_write(path, data)
    info(_("Wrote {path}").format(path=path))


def period(start: str | None, to: str | None, as_of: str | None, today: date) -> Period:
    """--from and --to (or --as-of); the period defaults to the year up to today."""
    from assetreg.core.reports import Period

    if to and as_of:
        raise InvalidValue("--as-of", as_of, N_("give either --to or --as-of, not both"))
    given = to or as_of
    end = iso_date(given, "--to" if to else "--as-of") if given else today
    first = iso_date(start, "--from") if start else date(end.year, 1, 1)
    if first > end:
        raise InvalidValue("--from", first.isoformat(), N_("is after the end of the period ({other})"), other=end.isoformat())
    return Period(first, end)


def _member(reg: Registry, member: str | None) -> str | None:
    if member:
        reg.get("members", record_id(member, "--member"), "--member")
    return member


def run_report(ctx: typer.Context, build: Callable[[Registry, Period, str | None], Report], options: dict[str, Any]) -> None:
    """Check the options, build the report from the registry, and show or write it."""
    from assetreg.render.reports import FORMATS, export, renderables

    e: Env = env(ctx)
    span = period(options["start"], options["to"], options["as_of"], e.today)
    fmt = "json" if options["as_json"] else choice(options["fmt"], FORMATS, "--format")
    unit = choice(options["unit"], ("yuan", "wan"), "--unit")
    output: Path | None = options["output"]
    if output is not None:
        check_new_output(output, e.registry, options["force"])
    with e.session(write=False) as s:
        report = build(s.registry, span, _member(s.registry, options["member"]))
    if output is None and fmt == "table":
        from assetreg.render.console import print_fitted

        print_fitted(*renderables(report, unit))
        return
    data = export(report, "txt" if fmt == "table" else fmt, unit)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_output(output, data, e.registry, options["force"])


def _report_command(name: str, build: Callable[[Registry, Period, str | None], Report], doc: str) -> None:
    def report(
        ctx: typer.Context,
        start: str | None = FROM,
        to: str | None = TO,
        as_of: str | None = AS_OF,
        member: str | None = MEMBER,
        fmt: str = FORMAT,
        output: Path | None = OUTPUT,
        unit: str = UNIT,
        force: bool = FORCE,
        as_json: bool = JSON,
    ) -> None:
        run_report(ctx, build, locals())

    command(app, name, help=doc)(report)


def _register(reg: Registry, span: Period, member: str | None) -> Report:
    from assetreg.core.reports import register_report

    return register_report(reg, span.end, member=member)


def _leases(reg: Registry, span: Period, member: str | None) -> Report:
    from assetreg.core.reports import leases_report

    return leases_report(reg, span, member=member)


def _incidents(reg: Registry, span: Period, member: str | None) -> Report:
    from assetreg.core.reports import incidents_report

    return incidents_report(reg, span, member=member)


def _summary(reg: Registry, span: Period, member: str | None) -> Report:
    from assetreg.core.reports import summary_report

    return summary_report(reg, span, member=member)


_report_command("register", _register, "The asset register: what is held, where, with what title and value.")
_report_command("leases", _leases, "The rent roll: rent, collections, arrears by age, leases ending, idle buildings.")
_report_command("incidents", _incidents, "Open and recent incidents with age, affected assets and their value.")
_report_command("summary", _summary, "One page for the annual work report.")


@command(app, "value")
def value(
    ctx: typer.Context,
    start: str | None = FROM,
    to: str | None = TO,
    as_of: str | None = AS_OF,
    member: str | None = MEMBER,
    by: str = typer.Option("member", "--by", help="member or category."),
    fmt: str = FORMAT,
    output: Path | None = OUTPUT,
    unit: str = UNIT,
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Value preservation and appreciation (保值增值) per member and for the federation."""
    from assetreg.core.reports import value_report

    grouping = choice(by, ("member", "category"), "--by")
    run_report(ctx, lambda reg, span, who: value_report(reg, span, member=who, by=grouping), locals())
