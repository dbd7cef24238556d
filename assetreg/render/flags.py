"""Flags for the terminal, grouped by severity."""

from __future__ import annotations

from datetime import date

from assetreg.core.choices import SEVERITIES
from assetreg.core.flags import LABELS_OF_CODES, Flag, texts
from assetreg.i18n import _
from assetreg.render.console import CODE, DATE, Col, Grid, console, print_tables
from assetreg.render.text import cleaned, is_chinese, label


def flag_table(flags: list[Flag], title: str = "") -> Grid:
    labels = {value: label(value) for value in ("low", "medium", "high", "member", "asset", "lease", "incident")}
    names = {code: _(name) for code, name in LABELS_OF_CODES.items()}
    chinese = is_chinese()  # a Chinese reader keeps the flag's Chinese name before its English code
    columns = [  # on a narrow terminal the severity (in the group's title) goes first, then the name
        Col(_("Code"), CODE, importance=1 if chinese else 4),
        Col(_("Flag"), importance=4 if chinese else 1),
        Col(_("Severity"), importance=0),
        Col(_("Record"), importance=3),
        Col(_("Name"), importance=1),
        Col(_("Message"), importance=2, least=20),
        Col(_("Since"), DATE, importance=2),
    ]
    user = zip(cleaned([f.name for f in flags]), cleaned(texts(flags, _)), strict=True)  # only these carry user text
    rows = [
        [f.code, names[f.code], labels[f.severity], f"{labels[f.record_type]} {f.record_id}", name, text, f.since.isoformat()]
        for f, (name, text) in zip(flags, user, strict=True)
    ]
    return Grid(title or _("Flags"), columns, rows)


def print_flags(flags: list[Flag], day: date, *, wide: bool = False) -> None:
    out = console()
    if not flags:
        out.print(_("No flags as of {day}.").format(day=day.isoformat()))
        return
    groups = []
    for severity in reversed(SEVERITIES):
        mine = [f for f in flags if f.severity == severity]
        if mine:
            title = _("{severity} flags as of {day}: {count}").format(
                severity=label(severity), count=len(mine), day=day.isoformat()
            )
            groups.append(flag_table(mine, title))
    print_tables(*groups, wide=wide)
