"""assetreg report register | value | leases | incidents | summary"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import typer

from assetreg.cli.common import Env, command, env, info
from assetreg.core.errors import Conflict, InvalidValue
from assetreg.core.parse import choice, iso_date, record_id
from assetreg.core.registry import Registry
from assetreg.i18n import N_, _

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


def write_output(path: Path, data: bytes, registry: Path, force: bool) -> None:
    from assetreg.store import atomic_write

    check_output(path, registry)
    if path.exists() and not force:
        raise Conflict("--output", str(path), N_("already exists; give --force to overwrite it"))
    atomic_write(path, data)
    info(_("Wrote {path}").format(path=path))


def _run(
    ctx: typer.Context,
    build: Callable[[Registry, date, date], object],
    start: str | None,
    to: str | None,
    as_of: str | None,
    fmt: str,
    output: Path | None,
    unit: str,
    force: bool,
    as_json: bool,
) -> None:
    from assetreg.core.reports import Report

    e: Env = env(ctx)
    if to and as_of:
        raise InvalidValue("--as-of", as_of, N_("give either --to or --as-of, not both"))
    given = to or as_of
    end = iso_date(given, "--to" if to else "--as-of") if given else e.today
    first = iso_date(start, "--from") if start else date(end.year, 1, 1)
    if first > end:
        raise InvalidValue("--from", first.isoformat(), N_("is after the end of the period ({other})"), other=end.isoformat())
    from assetreg.render.reports import FORMATS

    fmt = "json" if as_json else choice(fmt, FORMATS, "--format")
    unit = choice(unit, ("yuan", "wan"), "--unit")
    if output is not None:
        check_output(output, e.registry)
        if output.exists() and not force:
            raise Conflict("--output", str(output), N_("already exists; give --force to overwrite it"))
    with e.session(write=False) as s:
        report = build(s.registry, first, end)
    assert isinstance(report, Report)
    from assetreg.render.reports import export, renderables

    if output is None and fmt == "table":
        from assetreg.render.console import print_fitted

        print_fitted(*renderables(report, unit))
        return
    data = export(report, "txt" if fmt == "table" else fmt, unit)
    if output is None:
        import sys

        sys.stdout.buffer.write(data)
    else:
        write_output(output, data, e.registry, force)


def _member(reg: Registry, member: str | None) -> str | None:
    if member:
        reg.get("members", record_id(member, "--member"), "--member")
    return member


@command(app, "register")
def register(
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
    """The asset register: what is held, where, with what title and value."""
    from assetreg.core.reports import register_report

    _run(
        ctx,
        lambda reg, a, b: register_report(reg, b, member=_member(reg, member)),
        start,
        to,
        as_of,
        fmt,
        output,
        unit,
        force,
        as_json,
    )


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
    from assetreg.core.reports import Period, value_report

    grouping = choice(by, ("member", "category"), "--by")
    _run(
        ctx,
        lambda reg, a, b: value_report(reg, Period(a, b), member=_member(reg, member), by=grouping),
        start,
        to,
        as_of,
        fmt,
        output,
        unit,
        force,
        as_json,
    )


@command(app, "leases")
def leases(
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
    """The rent roll: rent, collections, arrears by age, leases ending, idle buildings."""
    from assetreg.core.reports import Period, leases_report

    _run(
        ctx,
        lambda reg, a, b: leases_report(reg, Period(a, b), member=_member(reg, member)),
        start,
        to,
        as_of,
        fmt,
        output,
        unit,
        force,
        as_json,
    )


@command(app, "incidents")
def incidents(
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
    """Open and recent incidents with age, affected assets and their value."""
    from assetreg.core.reports import Period, incidents_report

    _run(
        ctx,
        lambda reg, a, b: incidents_report(reg, Period(a, b), member=_member(reg, member)),
        start,
        to,
        as_of,
        fmt,
        output,
        unit,
        force,
        as_json,
    )


@command(app, "summary")
def summary(
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
    """One page for the annual work report."""
    from assetreg.core.reports import Period, summary_report

    _run(
        ctx,
        lambda reg, a, b: summary_report(reg, Period(a, b), member=_member(reg, member)),
        start,
        to,
        as_of,
        fmt,
        output,
        unit,
        force,
        as_json,
    )
