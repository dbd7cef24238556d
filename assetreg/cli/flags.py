"""assetreg flags: the risks the registry finds in its own records."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

from assetreg.cli.common import Env, ExitCode, env, handled, print_json
from assetreg.i18n import _

if TYPE_CHECKING:
    from assetreg.core.flags import Flag


@handled
def flags_command(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", help="Evaluate as of this day (YYYY-MM-DD); default today."),
    member: str | None = typer.Option(None, "--member", help="Only this member's records."),
    min_severity: str = typer.Option("low", "--min-severity", help="low, medium or high: show only these and above."),
    fail_on: str | None = typer.Option(None, "--fail-on", help="Exit 3 when a flag at or above this level exists."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only, on stdout."),
) -> None:
    """List risk flags: open encroachment, arrears, value loss, cheap disposals, …"""
    from assetreg.core.choices import SEVERITIES
    from assetreg.core.parse import choice, iso_date, record_id

    e = env(ctx)
    day = iso_date(as_of, "--as-of") if as_of else e.today
    floor = choice(min_severity, SEVERITIES, "--min-severity")
    fail_level = choice(fail_on, SEVERITIES, "--fail-on") if fail_on else None
    found = _evaluate(e, day, record_id(member, "--member") if member else None)
    lowest = SEVERITIES.index(floor)
    shown = [f for f in found if f.rank >= lowest]
    if as_json:
        print_json([f.as_json(_) for f in shown])
    else:
        from assetreg.render.flags import print_flags

        print_flags(shown, day)
    if fail_level and any(f.rank >= SEVERITIES.index(fail_level) for f in found):
        raise typer.Exit(ExitCode.FLAGS_FOUND)


def _evaluate(e: Env, day: date, member: str | None) -> list[Flag]:
    """The flags, with the registry let go on return: a province's records need not stay in memory
    while its flags are drawn."""
    from assetreg.core.flags import evaluate

    with e.session(write=False) as s:
        if member:
            s.registry.get("members", member, "--member")
        return evaluate(s.registry, day, member=member)
