"""Documents and exports written out: the options every document takes, the checks of --output, the
terminal or the file, and the registry's own exports (JSON, a folder of CSV). Apart from the reports, the
roll-up and import/export, which all write through it and so need not import each other."""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assetreg.cli.base import info
from assetreg.cli.complete import DOCUMENT_FORMATS, choices
from assetreg.core.choices import UNITS
from assetreg.core.errors import Conflict, InvalidValue
from assetreg.core.parse import choice
from assetreg.i18n import N_, _

if TYPE_CHECKING:
    from assetreg.core.registry import Registry
    from assetreg.render.document import Document

FORMAT = typer.Option(
    None,
    "--format",
    help="table, txt, md, html, svg, csv, json, xlsx or pdf; default from the --output extension, else table.",
    autocompletion=DOCUMENT_FORMATS,
)
OUTPUT = typer.Option(None, "--output", help="Write to this file instead of the terminal (xlsx and pdf need it).")
SECTION = typer.Option(None, "--section", help="csv: the table to write, numbered from 1 as shown; default the main one.")
UNIT = typer.Option("yuan", "--unit", help="yuan or wan (万元).", autocompletion=choices(UNITS, {"yuan": "元", "wan": "万元"}))
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
    from assetreg.store import atomic_write, output_failed

    check_new_output(path, registry, force)
    try:
        atomic_write(path, data)
    except OSError as error:
        raise output_failed(path, error) from None
    info(_("Wrote {path}").format(path=path))


def document_format(fmt: str | None, output: Path | None, as_json: bool = False, section: int | None = None) -> str:
    """--format, else --json, else the extension of --output, else the terminal; a contradiction is refused."""
    from assetreg.render.document import BINARY, EXTENSIONS, FORMATS

    implied = EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    chosen = choice(fmt, FORMATS, "--format") if fmt else None
    if as_json:
        if chosen not in (None, "json"):
            raise InvalidValue("--format", chosen, N_("contradicts --json"))
        chosen = "json"
    if chosen and implied and chosen != implied and (chosen, implied) != ("table", "txt"):
        raise InvalidValue("--format", chosen, N_("contradicts the extension of --output ({other})"), other=str(output))
    found = chosen or implied or ("txt" if output is not None else "table")
    if found in BINARY and output is None:
        raise InvalidValue("--format", found, N_("needs --output FILE: it is not for a terminal"))
    if section is not None and found != "csv":
        raise InvalidValue("--section", str(section), N_("applies to --format csv only"))
    return found


def emit(
    document: Document, fmt: str, output: Path | None, registry: Path, force: bool, *, wide: bool = False, **options: Any
) -> None:
    """Show the document on the terminal (fitted to its width unless `wide`), or write it in its format
    to stdout or to --output."""
    from assetreg.render.document import render

    if fmt == "table" and output is None:
        from assetreg.render.formats.table import show

        show(document, wide=wide)
        return
    pieces = render(document, "txt" if fmt == "table" else fmt, **options)
    if output is None:
        for piece in pieces:
            sys.stdout.buffer.write(piece)
        sys.stdout.flush()
    else:
        write_output(output, pieces, registry, force)


def log_head(meta: dict[str, Any]) -> tuple[int, str]:
    """The last log entry's number and hash, as the registry's meta records them."""
    from assetreg.core.journal import GENESIS

    return int(meta.get("log_seq", 0)), str(meta.get("log_head") or GENESIS)


def registry_document(meta: dict[str, Any], registry: Registry) -> Iterator[bytes]:
    """The registry's export as JSON, made a record at a time."""
    from assetreg.core.registry import KINDS

    return _document(meta, {kind: registry.tables[kind].values() for kind in KINDS})


def _document(meta: dict[str, Any], tables: dict[str, Collection[dict[str, Any]]]) -> Iterator[bytes]:
    """`{"meta": …, kind: [records]…}` laid out as orjson's OPT_INDENT_2 lays it out, made a record at a
    time (a province's document is 120 MB)."""
    import orjson

    def indented(value: Any, depth: int) -> bytes:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n" + b"  " * depth)

    yield b'{\n  "meta": ' + indented(meta, 1)
    for kind, records in tables.items():
        yield b",\n  " + orjson.dumps(kind) + b": ["
        for number, record in enumerate(records):
            yield (b",\n    " if number else b"\n    ") + indented(record, 2)
        yield b"\n  ]" if records else b"]"
    yield b"\n}\n"


def write_csv_folder(registry: Registry, output: Path) -> None:
    """One CSV per kind in `output` (made if need be), a kind at a time: the rows are made as they are written."""
    from assetreg.core.transfer import EXPORT_ORDER, csv_bytes, export_rows
    from assetreg.store import atomic_write_all, output_failed

    try:
        output.mkdir(parents=True, exist_ok=True)
        atomic_write_all([(output / f"{kind}.csv", csv_bytes(kind, export_rows(registry, kind))) for kind in EXPORT_ORDER])
    except OSError as error:
        raise output_failed(output, error) from None
