"""The `assetreg` command: global options, `init`, and the mounted nouns."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from assetreg.cli import admin, assets, flags, incidents, leases, members, reports, settings, transfer
from assetreg.cli.common import Env, command, default_registry, env, info
from assetreg.i18n import _, detect_language, set_language

HELP = f"""Registry of the collective assets of a cooperative federation (联社).

The registry file comes from --registry, else $ASSETREG_FILE, else
{default_registry()}.
"""

app = typer.Typer(help=HELP, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)


@app.callback()
def main(
    ctx: typer.Context,
    registry: Path | None = typer.Option(None, "--registry", help="The registry file.", envvar=None),
    lang: str | None = typer.Option(None, "--lang", help="en or zh; default $ASSETREG_LANG, then the locale."),
) -> None:
    language = detect_language(lang, os.environ)
    if language not in ("en", "zh"):
        raise typer.BadParameter(f"{language!r} is not one of: en, zh", param_hint="--lang")
    set_language(language)
    ctx.obj = Env.from_environment(registry)


@command(app, "init")
def init(ctx: typer.Context, name: str = typer.Option("", "--name", help="The federation's name.")) -> None:
    """Create a new, empty registry file (never overwrites one)."""
    from assetreg.core.parse import text
    from assetreg.store import create_registry

    e = env(ctx)
    create_registry(e.registry, text(name, "--name"), e.command)
    info(_("Created registry {path}").format(path=e.registry))


app.add_typer(members.app, name="member")
app.add_typer(assets.app, name="asset")
app.add_typer(leases.app, name="lease")
app.add_typer(incidents.app, name="incident")
app.command("flags")(flags.flags_command)
app.add_typer(settings.app, name="settings")
app.add_typer(reports.app, name="report")
app.add_typer(transfer.import_app, name="import")
app.add_typer(transfer.export_app, name="export")
app.command("log")(admin.log_command)
app.command("verify")(admin.verify_command)
app.add_typer(admin.backup_app, name="backup")


def run() -> None:
    app()
