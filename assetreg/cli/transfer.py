"""assetreg import KIND FILE.csv | export json|csv"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assetreg.cli.common import command, env, fail, info, reads_rollup
from assetreg.cli.complete import choices
from assetreg.cli.output import registry_document, write_csv_folder
from assetreg.core.errors import AssetregError, InvalidValue
from assetreg.core.transfer import IMPORT_KINDS
from assetreg.i18n import N_, _

if TYPE_CHECKING:
    pass

import_app = typer.Typer(no_args_is_help=True)
ENCODINGS = choices(("utf-8", "utf-8-sig", "gb18030"))
export_app = typer.Typer(no_args_is_help=True)


def _import(ctx: typer.Context, kind: str, file: Path, dry_run: bool, encoding: str | None) -> None:
    from assetreg.core.transfer import decode

    e = env(ctx)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InvalidValue("FILE", str(file), N_("cannot be read: {error}"), error=error.strerror or "") from None
    try:
        text = decode(data, encoding)
        with e.session() as s:
            count = _apply(s, kind, text, dry_run, file.parent / "files")
    except InvalidValue as error:  # the file's own faults name the file, and where in it
        if error.field != "FILE":
            raise
        where = f"{file}, {error.value}" if error.value else str(file)
        raise InvalidValue("FILE", where, error.reason, **error.params) from None
    done = N_("Imported {count} row of {kind} from {file}") if count == 1 else N_("Imported {count} rows of {kind} from {file}")
    info(_(done).format(count=count, kind=kind, file=file))


def _apply(s: Any, kind: str, text: str, dry_run: bool, files_from: Path) -> int:
    """Every row applied to the open registry, or every bad row listed and nothing written."""
    from assetreg.cli.common import message
    from assetreg.core.transfer import apply_rows

    lines = text.count("\n")
    if sys.stderr.isatty() and lines > 1000:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(_("Checking rows"), total=lines)
            count, errors = apply_rows(s.registry, kind, text, lambda n: bar.update(task, completed=n))
    else:
        count, errors = apply_rows(s.registry, kind, text)
    if errors:
        for err in errors:
            info(
                _("line {line}, column {column}: {message}").format(line=err.line, column=err.column, message=message(err.error))
            )
        fail(_("{count} of {total} rows are bad; nothing was imported").format(count=len(errors), total=count))
    if kind == "attachments":
        from assetreg.cli.attachments import import_files

        import_files(s, files_from, store=not dry_run)
    if dry_run:
        checked = N_("{count} row checked; all good; nothing written (--dry-run)") if count == 1 else None
        checked = checked or N_("{count} rows checked; all good; nothing written (--dry-run)")
        info(_(checked).format(count=count))
        raise typer.Exit(0)
    return count


def _register_import(kind: str) -> None:
    @command(import_app, kind, help=f"Import {kind} from a CSV file; if any row is bad, nothing is written.")
    def run(
        ctx: typer.Context,
        file: Path = typer.Argument(..., metavar="FILE", help="The CSV file; columns named like the options."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Check every row; write nothing."),
        encoding: str | None = typer.Option(
            None, "--encoding", help="utf-8, utf-8-sig or gb18030; default: detected.", autocompletion=ENCODINGS
        ),
    ) -> None:
        _import(ctx, kind, file, dry_run, encoding)


for _kind in IMPORT_KINDS:
    _register_import(_kind)


@command(export_app, "json")
@reads_rollup
def export_json(
    ctx: typer.Context,
    output: Path | None = typer.Option(None, "--output", help="File to write; default stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """The whole registry as one JSON document."""
    from assetreg.cli.output import write_output

    e = env(ctx)
    if e.rollup:
        from assetreg.cli import rollup

        rollup.export_json(e, output, force)
        return
    with e.session(write=False) as s:
        document = registry_document(s.meta, s.registry)
        if output is None:
            sys.stdout.buffer.writelines(document)
        else:
            write_output(output, document, e.registry, force)


@command(export_app, "csv")
@reads_rollup
def export_csv(
    ctx: typer.Context,
    output: Path = typer.Option(..., "--output", help="Folder to write one CSV per kind into."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing files."),
) -> None:
    """One CSV per kind, in the columns `import` reads (UTF-8 with BOM)."""
    from assetreg.cli.attachments import export_files
    from assetreg.core.transfer import EXPORT_ORDER
    from assetreg.store import output_failed

    e = env(ctx)
    if e.rollup:
        from assetreg.cli import rollup

        rollup.export_csv(e, output, force)
        return
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise InvalidValue("--output", str(output), N_("is not a folder"))
    targets = {kind: output / f"{kind}.csv" for kind in EXPORT_ORDER}
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        fail(_("{path} already exists; give --force to overwrite").format(path=existing[0]))
    made = [p for p in (output, output / "files") if not p.exists()]  # taken away again if the export fails
    with e.session(write=False) as s:
        try:
            try:
                export_files(s, output / "files")  # first: a missing or changed file refuses the export before any CSV
            except OSError as error:
                raise output_failed(output, error) from None
            write_csv_folder(s.registry, output)
        except AssetregError:
            for folder in reversed(made):
                shutil.rmtree(folder, ignore_errors=True)
            raise
    info(
        _("Wrote {count} files to {folder}; import them in this order: {order}").format(
            count=len(targets), folder=output, order=", ".join(EXPORT_ORDER)
        )
    )
