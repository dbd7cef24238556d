"""assetreg flags: the risks the registry finds in its own records."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assetreg.cli.common import WIDE, Env, ExitCode, env, handled, print_json, reads_rollup
from assetreg.cli.complete import DOCUMENT_FORMATS, MEMBER_IDS, choices
from assetreg.core.choices import SEVERITIES
from assetreg.i18n import _

if TYPE_CHECKING:
    from assetreg.core.flags import Flag


@handled
@reads_rollup
def flags_command(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", help="Evaluate as of this day (YYYY-MM-DD); default today."),
    member: str | None = typer.Option(None, "--member", help="Only this member's records.", autocompletion=MEMBER_IDS),
    min_severity: str = typer.Option(
        "low", "--min-severity", help="low, medium or high: show only these and above.", autocompletion=choices(SEVERITIES)
    ),
    fail_on: str | None = typer.Option(
        None, "--fail-on", help="Exit 3 when a flag at or above this level exists.", autocompletion=choices(SEVERITIES)
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only, on stdout."),
    fmt: str | None = typer.Option(
        None,
        "--format",
        help="table, txt, md, html, svg, csv, json, xlsx or pdf; default from the --output extension.",
        autocompletion=DOCUMENT_FORMATS,
    ),
    output: Path | None = typer.Option(None, "--output", help="Write the risk list to this file (xlsx and pdf need it)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --output file."),
    wide: bool = WIDE,
) -> None:
    """List risk flags: open encroachment, arrears, value loss, cheap disposals, …"""
    from assetreg.cli.output import check_new_output, document_format
    from assetreg.core.parse import choice, iso_date

    e = env(ctx)
    day = iso_date(as_of, "--as-of") if as_of else e.today
    floor = choice(min_severity, SEVERITIES, "--min-severity")
    fail_level = choice(fail_on, SEVERITIES, "--fail-on") if fail_on else None
    kind = document_format(fmt, output, as_json)
    if output is not None:
        check_new_output(output, e.registry, force)
    if e.rollup:
        _rollup(e, day, member, floor, fail_level, kind, output, force, wide)
        return
    found, name, head = _evaluate(e, day, member)
    lowest = SEVERITIES.index(floor)
    shown = [f for f in found if f.rank >= lowest]
    if kind == "json" and output is None:
        print_json([f.as_json(_) for f in shown])
    elif kind != "table" or output is not None:
        _document(shown, day, kind, output, e, name, head, force)
    else:
        from assetreg.render.flags import print_flags

        print_flags(shown, day, wide=wide)
    if fail_level and any(f.rank >= SEVERITIES.index(fail_level) for f in found):
        raise typer.Exit(ExitCode.FLAGS_FOUND)


def _rollup(
    e: Env,
    day: date,
    member: str | None,
    floor: str,
    fail_level: str | None,
    kind: str,
    output: Path | None,
    force: bool,
    wide: bool,
) -> None:
    """The flags of every source of a roll-up: ids qualified by their source, `source` in JSON."""
    from assetreg.cli import rollup

    found, dress = rollup.flags(e, day, member, kind == "json")
    lowest = SEVERITIES.index(floor)
    shown = [f for _source, f in found if f.rank >= lowest]
    if kind == "json":
        rows = [{"source": source, **f.as_json(_)} for source, f in found if f.rank >= lowest]
        if output is None:
            print_json(rows)
        else:
            import orjson

            from assetreg.cli.output import write_output
            from assetreg.render.text import json_default

            data = orjson.dumps(rows, default=json_default, option=orjson.OPT_INDENT_2) + b"\n"
            write_output(output, data, e.registry, force)
    elif kind != "table" or output is not None:
        from assetreg.cli.output import emit
        from assetreg.render.document import from_flags

        document = from_flags(shown, day, registry="", log_head=(0, ""))
        dress(document, kind)
        emit(document, kind, output, e.registry, force)
    else:
        from assetreg.render.flags import print_flags

        print_flags(shown, day, wide=wide)
    if fail_level and any(f.rank >= SEVERITIES.index(fail_level) for _source, f in found):
        raise typer.Exit(ExitCode.FLAGS_FOUND)


def _evaluate(e: Env, day: date, member: str | None) -> tuple[list[Flag], str, tuple[int, str]]:
    """The flags, the registry's name and log head, with the registry let go on return: a province's
    records need not stay in memory while its flags are drawn."""
    from assetreg.cli.output import log_head
    from assetreg.core.flags import evaluate

    with e.session(write=False) as s:
        wanted = s.registry.resolve("members", member, "--member") if member else None
        return evaluate(s.registry, day, member=wanted), s.registry.name, log_head(s.meta)


def _document(
    flags: list[Flag], day: date, fmt: str, output: Path | None, e: Env, name: str, head: tuple[int, str], force: bool
) -> None:
    """The risk list as a document in any format; its JSON is the same list as `--json`."""
    from assetreg.cli.output import emit, write_output

    if fmt == "json" and output is not None:
        import orjson

        from assetreg.render.text import json_default

        data = orjson.dumps([f.as_json(_) for f in flags], default=json_default, option=orjson.OPT_INDENT_2) + b"\n"
        write_output(output, data, e.registry, force)
        return
    from assetreg.render.document import from_flags

    emit(from_flags(flags, day, registry=name, log_head=head), fmt, output, e.registry, force)
