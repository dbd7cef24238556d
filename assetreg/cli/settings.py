"""assetreg settings show | set KEY VALUE"""

from __future__ import annotations

from typing import Any

import typer

from assetreg.cli.common import WIDE, Env, ask, command, env, info, print_json, reads_one
from assetreg.cli.complete import choices
from assetreg.core.errors import MissingOptions
from assetreg.core.records import Field
from assetreg.core.registry import SETTINGS_ID, Registry
from assetreg.core.settings import SPECS, checked, effective, known
from assetreg.i18n import _

app = typer.Typer(no_args_is_help=True)
KEYS = choices(SPECS, {key: spec[3] for key, spec in SPECS.items()})  # each with its meaning


@command(app, "show")
@reads_one
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
    key: str | None = typer.Argument(
        None, metavar="KEY", help="The setting's key; asked for at a terminal.", autocompletion=KEYS
    ),
    value: str | None = typer.Argument(None, metavar="VALUE", help="Its new value; asked for at a terminal."),
) -> None:
    """Change a setting (checked, and logged like any change)."""
    e = env(ctx)
    if key is not None:
        known(key)  # a wrong key is refused before any question
    if key is None or value is None:
        key, value = _ask_setting(e, key, value)
    number = checked(key, value)
    with e.session() as s:
        if SETTINGS_ID not in s.registry.tables["settings"]:
            s.registry.insert("settings", {"id": SETTINGS_ID})
        s.registry.edit("settings", SETTINGS_ID)[key] = number
    info(_("{key} = {value}").format(key=key, value=number))


def _ask_setting(e: Env, key: str | None, value: str | None) -> tuple[str, str]:
    """The key and the value not given, asked at a terminal: the keys listed first as `settings show`
    names them, the value with the current one as the default; each answer checked at once. Without a
    terminal, refused naming what is missing."""
    if not e.interactive:
        raise MissingOptions([name for name, given in (("KEY", key), ("VALUE", value)) if given is None])
    with e.session(write=False) as s:
        reg = s.registry
    current = effective(reg.settings)

    def check(reg: Registry, values: dict[str, Any]) -> None:
        known(values["setting"])
        if "setting_value" in values:
            checked(values["setting"], values["setting_value"])

    if key is None:
        for name, number in current.items():
            info(f"  {name} = {number}  {_(SPECS[name][3])}")
        key = ask(Field("setting", required=True, flag="KEY"), reg, {}, check)
    if value is None:
        field = Field("setting_value", required=True, default=str(current[key]), flag="VALUE")
        value = ask(field, reg, {"setting": key}, check)
    return key, value
