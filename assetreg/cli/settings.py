"""assetreg settings show | set KEY VALUE"""

from __future__ import annotations

import typer

from assetreg.cli.common import WIDE, command, env, info, print_json
from assetreg.core.registry import SETTINGS_ID
from assetreg.core.settings import SPECS, checked, effective
from assetreg.i18n import _

app = typer.Typer(no_args_is_help=True)


@command(app, "show")
def show(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON only."), wide: bool = WIDE) -> None:
    """Show every setting with its default."""
    e = env(ctx)
    with e.session(write=False) as s:
        values = effective(s.registry.settings)
    if as_json:
        print_json(values)
        return
    from assetreg.render.console import CODE, FIGURE, TEXT, Col, print_tables, table

    print_tables(
        table(  # a key is typed back by `settings set`: never folded
            _("Settings"),
            [
                Col(_("Key"), CODE, 6),
                Col(_("Setting value"), FIGURE, 5),
                Col(_("Default"), FIGURE, 2),
                Col(_("Meaning"), TEXT, 3),
            ],
            [(k, v, SPECS[k][0], _(SPECS[k][3])) for k, v in values.items()],
        ),
        wide=wide,
    )


@command(app, "set")
def set_(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="The setting's key."),
    value: str = typer.Argument(..., help="Its new value."),
) -> None:
    """Change a setting (checked, and logged like any change)."""
    e = env(ctx)
    number = checked(key, value)
    with e.session() as s:
        if SETTINGS_ID not in s.registry.tables["settings"]:
            s.registry.insert("settings", {"id": SETTINGS_ID})
        s.registry.edit("settings", SETTINGS_ID)[key] = number
    info(_("{key} = {value}").format(key=key, value=number))
