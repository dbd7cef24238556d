"""Flags for the terminal, grouped by severity."""

from __future__ import annotations

from datetime import date
from typing import Any

from assetreg.core.choices import SEVERITIES
from assetreg.core.flags import Flag
from assetreg.i18n import _
from assetreg.render.console import console, print_fitted, table
from assetreg.render.text import label


def flag_table(flags: list[Flag], title: str = "") -> Any:
    labels = {value: label(value) for value in ("low", "medium", "high", "member", "asset", "lease", "incident")}
    return table(
        title or _("Flags"),
        [
            (_("Code"), "left"),
            (_("Severity"), "left"),
            (_("Record"), "left"),
            (_("Name"), "left"),
            (_("Message"), "left"),
            (_("Since"), "left"),
        ],
        [
            (f.code, labels[f.severity], f"{labels[f.record_type]} {f.record_id}", f.name, f.text(_), f.since.isoformat())
            for f in flags
        ],
    )


def print_flags(flags: list[Flag], day: date) -> None:
    out = console()
    if not flags:
        out.print(_("No flags as of {day}.").format(day=day.isoformat()))
        return
    groups = []
    for severity in reversed(SEVERITIES):
        mine = [f for f in flags if f.severity == severity]
        if mine:
            title = _("{severity}: {count} flags as of {day}").format(
                severity=label(severity), count=len(mine), day=day.isoformat()
            )
            groups.append(flag_table(mine, title))
    print_fitted(*groups)
