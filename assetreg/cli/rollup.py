"""assetreg rollup init, and every reading command on a roll-up list (`--registry LIST.rollup.csv`).

Each source is checked and read in a worker process (store/rollup); only the figures a command needs
come back, and core/rollup sums them. Ids are qualified by their source in text (`乐清:A0001`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assetreg.cli.base import error_line
from assetreg.cli.common import Env, command, env, fail, info, message, print_json, reads_rollup
from assetreg.core.errors import AssetregError, Conflict, InvalidValue, NotFound
from assetreg.i18n import N_, _

if TYPE_CHECKING:
    from assetreg.core.rollup import Part
    from assetreg.render.document import Document
    from assetreg.store.rollup import Read, Source

app = typer.Typer(no_args_is_help=True)

READ_ONLY = N_("a roll-up is read-only; write to one of its registries")


# -- rollup init ---------------------------------------------------------------------------------------


@command(app, "init")
@reads_rollup
def init(
    ctx: typer.Context,
    listing: Path = typer.Argument(..., metavar="LIST", help="The roll-up list to write, NAME.rollup.csv."),
    paths: list[str] = typer.Argument(
        ..., metavar="PATH", help="Registry files, each PATH or PATH=NAME (default its file's stem)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing list."),
) -> None:
    """Write a roll-up list (汇总) of registry files, each with its current log head as the one expected."""
    from assetreg.store import atomic_write
    from assetreg.store.rollup import Source, is_rollup, list_text, read_sources, valid_name

    e = env(ctx)
    if not is_rollup(listing):
        raise InvalidValue("LIST", str(listing), N_("a roll-up list's name ends in .rollup.csv"))
    if listing.is_symlink() or listing.is_dir():
        raise InvalidValue("LIST", str(listing), N_("is not a regular file"))
    if listing.exists() and not force:
        raise Conflict("LIST", str(listing), N_("already exists; give --force to overwrite it"))
    if not listing.resolve().parent.is_dir():
        raise InvalidValue("LIST", str(listing), N_("is in a folder that does not exist"))
    folder = listing.resolve().parent
    chosen: list[Source] = []
    for given in paths:
        place, _sep, name = given.partition("=")
        path = Path(place)
        if is_rollup(path):
            raise InvalidValue("PATH", place, N_("is a roll-up list: a roll-up names registries only"))
        if not path.is_file():
            raise InvalidValue("PATH", place, N_("is not a registry file"))
        taken = {s.name for s in chosen}
        if name:
            if not valid_name(name) or name in taken:
                raise InvalidValue("NAME", name, N_("must be new in the list and hold only letters, digits, - and _"))
        else:
            name = next((n for n in _stems(path) if valid_name(n) and n not in taken), "")
            if not name:
                raise InvalidValue("PATH", place, N_("its name and its folder's are taken or not valid names; give PATH=NAME"))
        if any(s.path.resolve() == path.resolve() for s in chosen):
            raise InvalidValue("PATH", place, N_("is named twice"))
        chosen.append(Source(name, path, None, os.path.relpath(path.resolve(), folder)))
    found = list(read_sources(chosen, e.today))
    for read in found:
        if read.problem:
            raise InvalidValue("PATH", str(read.source.path), read.problem, **(read.params or {}))
    written = [Source(r.source.name, r.source.path, r.head, r.source.written) for r in found]
    atomic_write(listing, list_text(written))
    info(_("Wrote {path}: {count} registries").format(path=listing, count=len(written)))


def _stems(path: Path) -> list[str]:
    stem = path.name.split(".")[0] if path.name.endswith(".json") else path.stem
    return [stem, path.resolve().parent.name]


# -- reading the sources ----------------------------------------------------------------------------------


def sources(e: Env) -> list[Source]:
    from assetreg.store.rollup import read_list

    return read_list(e.registry, missing_ok=e.skip_bad)


def problem_text(read: Read) -> str:
    params = {k: _(v) if isinstance(v, str) else v for k, v in (read.params or {}).items()}
    return _(read.problem).format(**params)


def gather(e: Env, listed: Sequence[Source], task: Callable[..., Any] | None, *args: Any) -> tuple[list[Read], list[Read]]:
    """Every source checked (and read by `task`): a bad one stops the command with one line per bad
    source, unless --skip-bad leaves it out (said on stderr, and in every document)."""
    from assetreg.render.text import clean
    from assetreg.store.rollup import BadSources, read_all

    try:
        if sys.stderr.isatty() and len(listed) > 1:  # a bar of the sources read, as for long imports
            from rich.console import Console
            from rich.progress import Progress

            with Progress(console=Console(stderr=True), transient=True) as bar:
                shown = bar.add_task(_("Reading sources"), total=len(listed))
                good, bad = read_all(
                    listed, e.today, task, *args, skip_bad=e.skip_bad, progress=lambda n: bar.update(shown, completed=n)
                )
        else:
            good, bad = read_all(listed, e.today, task, *args, skip_bad=e.skip_bad)
    except BadSources as error:
        for read in error.bad:
            sys.stderr.write(error_line(bad_line(read, clean)) + "\n")
        if e.skip_bad:
            sys.stderr.write(_("error: no sound source is left; nothing to show") + "\n")
        raise typer.Exit(1) from None
    for read in bad:
        info(_("warning: left out {line}").format(line=bad_line(read, clean)))
    return good, bad


def bad_line(read: Read, clean: Callable[[Any], str]) -> str:
    return _("source {name} ({path}): {problem}").format(
        name=clean(read.source.name), path=clean(read.source.path), problem=problem_text(read)
    )


def target(text: str | None, listed: Sequence[Source]) -> tuple[str | None, str] | None:
    """A typed id or name: (its source, the rest) when qualified by a source's name, else (None, text)."""
    if text is None:
        return None
    named, sep, rest = text.partition(":")
    if sep and named in {s.name for s in listed}:
        return named, rest
    return None, text


def holders(reads: list[Read], wanted: tuple[str | None, str] | None, field: str) -> list[Read]:
    """The reads whose source has the record a command names (all of them when it names none): an
    unqualified id or name that several sources have is refused listing them."""
    from assetreg.core.rollup import Absent

    for read in reads:
        if read.error is not None:
            raise read.error
    if wanted is None:
        return reads
    if wanted[0] is not None:
        reads = [r for r in reads if r.source.name == wanted[0]]
    found = [r for r in reads if not isinstance(r.figures, Absent)]
    text = f"{wanted[0]}:{wanted[1]}" if wanted[0] else wanted[1]
    if not found:
        raise NotFound(field, text)
    if len(found) > 1:
        names = ", ".join(f"{r.source.name}:{wanted[1]}" for r in found)
        raise Conflict(field, text, N_("is in {count} sources: {sources}; give one of them"), count=len(found), sources=names)
    return found


def parts(reads: list[Read]) -> list[Part]:
    from assetreg.core.rollup import Part

    return [Part(r.source.name, r.registry, r.figures) for r in reads]


# -- documents ------------------------------------------------------------------------------------------------


def dress(document: Document, e: Env, good: list[Read], bad: list[Read], fmt: str, json: dict[str, Any] | None = None) -> None:
    """A roll-up's document: the list as its registry, the roll-up's own head, the sources table (and
    the sources left out, with why) as sections and in JSON."""
    from assetreg.render.document import Col, Table
    from assetreg.store.rollup import rollup_head

    document.registry = str(e.registry)
    document.log_head = rollup_head(good)
    document.head_label = "rollup"
    rows = [
        {
            "name": r.source.name,
            "registry": r.registry,
            "path": r.source.written,
            "assets": r.assets,
            "head": f"{r.head[0]}:{r.head[1][:16]}",
        }
        for r in good
    ]
    columns = [
        Col("name", _("Source"), "id"),
        Col("registry", _("Registry")),
        Col("assets", _("Assets"), "count"),
        Col("head", _("Log head as read"), "id"),
    ]
    document.tables.append(Table(_("Sources"), columns, rows, {"assets": sum(r.assets for r in good)}))
    left = [{"name": r.source.name, "path": r.source.written, "problem": problem_text(r)} for r in bad]
    if left:
        problem_columns = [Col("name", _("Source"), "id"), Col("path", _("File")), Col("problem", _("Why"))]
        document.tables.append(Table(_("Sources left out"), problem_columns, left))
        document.notes.append(
            _("Left out of this roll-up: {sources}.").format(sources="; ".join(f"{r['name']} ({r['problem']})" for r in left))
        )
    if fmt == "json":
        document.json = {
            **(json if json is not None else document.json or {}),
            "sources": [
                {
                    "name": r.source.name,
                    "registry": r.registry,
                    "path": r.source.written,
                    "log_head": _head(r.head),
                    "assets": r.assets,
                }
                for r in good
            ],
            "left_out": left,
        }


def _head(head: tuple[int, str]) -> dict[str, Any]:
    return {"n": head[0], "hash": head[1]}


# -- reports -------------------------------------------------------------------------------------------------------


def report(e: Env, name: str, span: Any, member: str | None, by: str | None, fmt: str, unit: str) -> Document:
    """A report of the roll-up, as a document; `by` defaults to source for register, value, trend, summary."""
    from assetreg.core import rollup
    from assetreg.render.document import from_report

    listed = sources(e)
    grouping = by or ("source" if name in ("register", "value", "trend", "summary") else "rows")
    wanted = target(member, listed)
    good, bad = gather(e, listed, rollup.report_task, name, span, wanted, grouping)
    found = parts(holders(good, wanted, "--member"))
    qualify = fmt != "json"
    per_source = None
    if name == "trend":
        combined = rollup.combine_trend(found, rollup.trend_spans(span), grouping, qualify=qualify)
    elif name == "summary":
        combined, per_source = rollup.combine_summary(
            found, lambda source, title: f"{source}{_(': ')}{_(title)}", qualify=qualify
        )
    else:
        combined = rollup.combine(found, name, grouping, qualify=qualify)
    document = from_report(combined, unit=unit, registry="", log_head=(0, ""))
    json = {**combined.as_json(), "per_source": per_source} if per_source is not None else None
    dress(document, e, good, bad, fmt, json)
    return document


def _clearance_task(reg: Any, clearance_id: str, grouping: str) -> tuple[Any, str]:
    """In a worker: the clearance result of the source that holds the clearance, and its notice contact."""
    from assetreg.core import clearance as core
    from assetreg.core.settings import effective

    return core.clearance_report(reg, clearance_id, grouping), effective(reg.settings)["notice_contact"]


def clearance_report(e: Env, clearance_id: str, grouping: str, fmt: str, unit: str) -> tuple[Document, Any, str]:
    """`report clearance` of a roll-up: the clearance of the one source that has it (a qualified id, or one
    only one source has), ids qualified in text and `source` on each row, as a document of the roll-up
    (the sources table and the roll-up's head). A clearance is one federation's count of its own assets:
    it is never summed across sources."""
    from assetreg.core.rollup import mark_rows, qualified, resolved_task
    from assetreg.render.document import from_report

    listed = sources(e)
    wanted = target(clearance_id, listed)
    good, bad = gather(e, listed, resolved_task, _clearance_task, [("clearances", "clearance", wanted)], grouping)
    (read,) = holders(good, wanted, "clearance")
    report, contact = read.figures
    part = parts([read])[0]
    for section in report.sections:
        mark_rows(part, section.rows, qualify=fmt != "json")
        for row in section.rows:
            if fmt != "json" and "ref" in row:  # the clearance's own files
                row["ref"] = qualified(part.source, row["ref"])
    document = from_report(report, unit=unit, registry="", log_head=(0, ""))
    dress(document, e, good, bad, fmt)
    return document, report, contact


# -- flags -----------------------------------------------------------------------------------------------------------


def flags(e: Env, day: date, member: str | None, as_json: bool) -> tuple[list[Any], Callable[[Document, str], None]]:
    """Each source's flags, ids qualified (in JSON: `source` added), and how to dress their document."""
    from assetreg.core import rollup

    listed = sources(e)
    wanted = target(member, listed)
    good, bad = gather(e, listed, rollup.flags_task, day, wanted)
    found = []
    for read in holders(good, wanted, "--member"):
        own = read.figures if as_json else qualify_flags(read.source.name, read.figures)  # JSON: `source` beside the own id
        found += [(read.source.name, flag) for flag in own]
    return found, lambda document, fmt: dress(document, e, good, bad, fmt)


# -- lists and records ------------------------------------------------------------------------------------------------


def _named(
    e: Env, fn: Callable[..., Any], specs: Sequence[tuple[str, str, str | None]], *args: Any
) -> tuple[list[Read], list[Read]]:
    """Every source read by `fn(registry, *ids of the records named, *args)`; only those that have every
    record named (`specs`: kind, option, what was typed) are kept, and a record named without its source
    that several of them have is refused listing them."""
    from assetreg.core.rollup import resolved_task

    listed = sources(e)
    targets = [(kind, option, target(text, listed)) for kind, option, text in specs]
    good, bad = gather(e, listed, resolved_task, fn, targets, *args)
    named = [(option, wanted) for _kind, option, wanted in targets if wanted is not None]
    for option, wanted in named:
        good = holders(good, wanted, option)
    return (holders(good, None, "") if not named else good), bad


def listing(
    e: Env, fn: Callable[..., Any], specs: Sequence[tuple[str, str, str | None]], *args: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A list command's rows from every source (ids qualified in text, `source` in JSON), and its totals
    summed; `fn` gives one source's (rows, totals)."""
    from assetreg.core.rollup import mark_rows, summed

    good, _bad = _named(e, fn, specs, *args)
    rows: list[dict[str, Any]] = []
    for part in parts(good):
        rows += mark_rows(part, part.figures[0], qualify=True)
    return rows, summed(p.figures[1] for p in parts(good))


def record(e: Env, kind: str, fn: Callable[..., Any], record_id: str, option: str, *args: Any) -> tuple[str, Any]:
    """The one source's figures (`fn(registry, id, *args)`) for the record named by a qualified id (or
    an id or name only one source has)."""
    good, _bad = _named(e, fn, [(kind, option, record_id)], *args)
    return good[0].source.name, good[0].figures


def json_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """List rows as JSON: `source` first, and the record's own ids as its registry writes them."""
    from assetreg.core.rollup import QUALIFIED

    out = []
    for row in rows:
        prefix = f"{row['source']}:"

        def own(value: Any, prefix: str = prefix) -> Any:
            return value[len(prefix) :] if isinstance(value, str) and value.startswith(prefix) else value

        def plain(key: str, value: Any) -> Any:
            if key == "assets" and isinstance(value, list):
                return [own(item) for item in value]
            return own(value) if key in QUALIFIED else value

        out.append({"source": row["source"]} | {k: plain(k, v) for k, v in row.items()})
    return out


# -- verify and export ----------------------------------------------------------------------------------------------------


def verify(e: Env, expect: str | None, as_json: bool) -> None:
    """One line (or JSON object) per source, then the roll-up's head; `--expect` takes that head."""
    from assetreg.integrity import verify as verify_one
    from assetreg.render.text import clean
    from assetreg.store.rollup import parse_expect, read_sources, rollup_head

    listed = sources(e)
    wanted = None
    if expect is not None:
        text = expect.removeprefix("rollup").strip()
        wanted = parse_expect(text)
        if wanted is None:
            raise InvalidValue("--expect", expect, N_("not a roll-up head N:HASH (16 to 64 hex digits)"))
    results: list[tuple[Read, list[str]]] = []
    for read in read_sources(listed, e.today):  # the check a roll-up makes, then verify's whole chain
        problems = [problem_text(read)] if read.problem else []
        if read.source.path.is_file():
            try:
                problems += [p for p in verify_one(read.source.path, read.source.expect).problems if p not in problems]
            except AssetregError as error:  # not a registry: its check said why
                problems = problems or [message(error)]
        results.append((read, problems))
    head = rollup_head([r for r, _p in results])
    matches = wanted is None or (wanted[0] == head[0] and head[1].startswith(wanted[1]))
    if as_json:
        print_json([{"source": r.source.name, "ok": not p, "head": _head(r.head), "problems": p} for r, p in results])
    else:
        for read, problems in results:
            state = clean("; ".join(problems)) if problems else _("ok")
            print(f"{clean(read.source.name)}  {read.head[0]}:{read.head[1][:16]}  {state}")
        print(f"rollup {head[0]}:{head[1]}")
    if not matches and wanted is not None:
        info(
            _("the roll-up's head is {head}, not the expected {expect}").format(
                head=f"{head[0]}:{head[1][:16]}", expect=f"{wanted[0]}:{wanted[1][:16]}"
            )
        )
    if not matches or any(problems for _r, problems in results):
        raise typer.Exit(1)


def export_json(e: Env, output: Path | None, force: bool) -> None:
    """`{"rollup_head": …, "sources": [each source's own export, with its name]}`, one source at a time."""
    from assetreg.cli.output import registry_document, write_output
    from assetreg.store import open_registry
    from assetreg.store.rollup import rollup_head

    listed = sources(e)
    good, _bad = gather(e, listed, None)
    head = rollup_head(good)

    def pieces() -> Any:
        import orjson

        yield b'{\n  "rollup_head": ' + orjson.dumps(_head(head)) + b',\n  "sources": ['
        for number, read in enumerate(good):
            with open_registry(read.source.path, write=False, quiet=True) as s:
                inner = registry_document(s.meta, s.registry)
                yield (b"," if number else b"") + b'\n{"name": ' + orjson.dumps(read.source.name) + b","
                first = next(inner)
                yield first.removeprefix(b"{")
                yield from inner
        yield b"]\n}\n"

    if output is None:
        sys.stdout.buffer.writelines(pieces())
    else:
        write_output(output, pieces(), e.registry, force)


def export_csv(e: Env, output: Path, force: bool) -> None:
    """One folder per source under --output, each as `export csv` writes a single registry."""
    from assetreg.cli.output import write_csv_folder
    from assetreg.store import open_registry

    listed = sources(e)
    good, _bad = gather(e, listed, None)
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise InvalidValue("--output", str(output), N_("is not a folder"))
    folders = {read.source.name: output / read.source.name for read in good}
    existing = [str(p) for p in folders.values() if p.exists()]
    if existing and not force:
        fail(_("{path} already exists; give --force to overwrite").format(path=existing[0]))
    output.mkdir(parents=True, exist_ok=True)
    for read in good:
        with open_registry(read.source.path, write=False, quiet=True) as s:
            write_csv_folder(s.registry, folders[read.source.name])
    info(_("Wrote one folder per source to {folder}: {names}").format(folder=output, names=", ".join(folders)))


def qualified_row(source: str, row: dict[str, Any]) -> dict[str, Any]:
    from assetreg.core.rollup import QUALIFIED, qualified

    return {k: qualified(source, v) if k in QUALIFIED else v for k, v in row.items()}


def qualified_detail(source: str, detail: dict[str, Any]) -> dict[str, Any]:
    """A record as `show` shows it, its id and every reference in it qualified by its source."""
    from assetreg.core.rollup import qualified

    out = qualified_row(source, detail)
    for key in ("open_incidents", "assets"):
        if isinstance(out.get(key), list):
            out[key] = [qualified(source, i) for i in out[key]]
    for key in ("leases", "incidents", "asset_list"):
        if isinstance(out.get(key), list):
            out[key] = [qualified_row(source, row) for row in out[key]]
    if isinstance(out.get("attachments"), list):
        out["attachments"] = qualified_files(source, out["attachments"])
    return out


def qualified_files(source: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attachment rows with their number and record qualified (`乐清:F1`, `乐清:A0001`)."""
    from assetreg.core.rollup import qualified

    return [{**row, "ref": qualified(source, row["ref"]), "record": qualified(source, row["record"])} for row in rows]


def qualify_flags(source: str, flags: list[Any]) -> list[Any]:
    from assetreg.core.rollup import qualified

    for flag in flags:
        flag.record_id = qualified(source, flag.record_id)
        flag.owners = tuple(qualified(source, o) for o in flag.owners)
    return flags


def print_rows(
    kind: str, rows: list[dict[str, Any]], totals: dict[str, Any], as_json: bool, wide: bool, sort: str | None = None
) -> None:
    """A list command's output of a roll-up: JSON rows with their source, or the table and its totals;
    ordered by `--sort` across the sources when given."""
    if sort:
        from assetreg.core.views import sort_rows

        rows = sort_rows(rows, sort)
    if as_json:
        print_json(json_rows(rows))
        return
    from assetreg.cli.common import LIST_TABLES
    from assetreg.render import records as shown

    getattr(shown, LIST_TABLES[kind])(rows, totals, wide=wide)


def print_detail(kind: str, source: str, detail: dict[str, Any], as_json: bool, wide: bool) -> None:
    """A `show` of a roll-up's record: JSON with its source, or the record with every id qualified."""
    if as_json:
        print_json({"source": source, **detail})
        return
    from assetreg.render import records as shown
    from assetreg.render.records import print_file_rows

    qualified = qualified_detail(source, detail)
    getattr(shown, f"{kind}_detail")(qualified, wide=wide)
    print_file_rows(qualified.get("attachments") or [])


def _log_size(reg: Any, meta: dict[str, Any], source: str, wanted: tuple[str | None, str] | None) -> Any:
    """The size of the log the source's registry records, and the record `log --record` names in it."""
    from assetreg.core.parse import record_id
    from assetreg.core.rollup import Absent

    if wanted is None:
        return int(meta.get("log_size", 0)), None
    if wanted[0] not in (None, source):
        return Absent()
    return int(meta.get("log_size", 0)), record_id(wanted[1], "--record")


def logs(e: Env, record: str | None) -> list[tuple[str, Path, int, str | None]]:
    """Each sound source's log to read: (its name, its registry, the size its registry records, the id wanted)."""
    from assetreg.core.rollup import Absent

    listed = sources(e)
    good, _bad = gather(e, listed, _log_size, target(record, listed))
    return [(r.source.name, r.source.path, *r.figures) for r in good if not isinstance(r.figures, Absent)]
