"""assetreg attach | attachments | attachment show | save | remove | prune: evidence files (附件)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import typer

from assetreg.cli.common import command, env, handled, info, print_json, reads_rollup, refuses_rollup
from assetreg.cli.complete import choices
from assetreg.core.attachments import FILE_KINDS
from assetreg.i18n import N_, _
from assetreg.render.records import files_table

app = typer.Typer(no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON only, on stdout.")
REF = typer.Argument(..., metavar="REF", help="The attachment's number (F1) or 8 or more hex digits of its hash.")
KIND = typer.Option(
    None,
    "--kind",
    help="scan, photo, contract, letter, judgment or other (default).",
    autocompletion=choices(FILE_KINDS, {k: k for k in FILE_KINDS}),
)
NOTE = typer.Option(None, "--note", help="What the file shows.")
NO_FILES = N_(
    "a roll-up's sources carry no attached files (only their registries and logs travel); run this on the source's own registry"
)


def max_bytes(reg: Any) -> int:
    from assetreg.core.settings import effective

    return int(effective(reg.settings)["attachment_max_mb"]) << 20


def checked_files(paths: list[str], option: str) -> list[tuple[Path, str]]:
    """Each file with the name it is kept under (checked before the registry is opened)."""
    from assetreg.core.attachments import check_name

    return [(Path(p), check_name(Path(p).name, option)) for p in paths]


def store_files(s: Any, files: list[tuple[Path, str]], option: str) -> list[tuple[str, int, str]]:
    """The files copied into the files folder: (sha256, size, name) each. Every file is checked before
    any is copied; when one cannot be stored, those this call added are taken away again."""
    from assetreg.store import files as stored

    most = max_bytes(s.registry)
    sizes = [stored.check_source(path, most, option) for path, _name in files]
    folder = stored.files_dir(s.path)
    if files:
        stored.check_space(folder, sum(sizes), ", ".join(str(path) for path, _name in files), option)
    added: list[str] = []
    result = []
    try:
        with copying_bar(sum(sizes)) as progress:
            for path, name in files:
                sha, size = stored.store(folder, path, most, option, progress)
                result.append((sha, size, name))
                added.append(sha)
    except BaseException:
        kept = {a["sha256"] for a in s.registry.tables["attachments"].values()}
        for sha in set(added) - kept:
            with contextlib.suppress(OSError):
                stored.stored_path(folder, sha).unlink()
        raise
    return result


BAR_FROM = 32 << 20  # a copy shorter than this is over before a bar could say anything


@contextlib.contextmanager
def copying_bar(total: int) -> Iterator[Callable[[int], None] | None]:
    """On a terminal, a bar of the bytes copied when the files are large (as for long imports); else nothing."""
    import sys

    if total < BAR_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    columns = (TextColumn(_("Copying files")), BarColumn(), DownloadColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)
        yield lambda count: bar.advance(task, count)


def attach_all(s: Any, table: str, record_id: str, files: list[tuple[str, int, str]], raw: dict[str, Any]) -> list[Any]:
    from assetreg.core import attachments

    day = (s.registry.today or date.today()).isoformat()
    return [
        attachments.attach(
            s.registry,
            table,
            record_id,
            {"kind": raw["kind"], "note": raw["note"], "name": name, "size": size, "sha256": sha, "date": day},
            event=raw.get("event"),
            action=raw.get("action"),
        )
        for sha, size, name in files
    ]


@handled
def attach_command(
    ctx: typer.Context,
    record: str = typer.Argument(
        ..., metavar="RECORD", help="The member, asset, lease, incident or clearance the files belong to."
    ),
    paths: list[str] = typer.Argument(..., metavar="FILE", help="The files to keep (copied; the originals are not touched)."),
    kind: str | None = KIND,
    note: str | None = NOTE,
    event: int | None = typer.Option(
        None, "--event", help="Tie the files to the asset's value event N (as 'asset history' numbers them)."
    ),
    action: int | None = typer.Option(
        None, "--action", help="Tie the files to the incident's action N (as 'incident show' numbers them)."
    ),
    as_json: bool = JSON,
) -> None:
    """Keep files (scans, photos, letters, judgments) with a record, under their SHA-256."""
    from assetreg.core import attachments
    from assetreg.core.parse import text

    files = checked_files(paths, "FILE")
    raw = {"kind": attachments.file_kind(kind), "note": text(note, "--note") if note else None, "event": event, "action": action}
    e = env(ctx)
    with e.session() as s:
        table, record_id = attachments.owner_of(s.registry, record)
        attachments.check_target(s.registry, table, record_id, event, action)
        added = attach_all(s, table, record_id, store_files(s, files, "FILE"), raw)
        shown = [attachments.row(s.registry, a) for a in added]
    if as_json:
        print_json(shown)
        return
    for a in shown:
        info(_("Attached {ref} to {record}: {name}, {size} bytes, sha256 {hash}").format(
            ref=a["ref"], record=a["record"], name=a["name"], size=a["size"], hash=a["sha256"][:12]))  # fmt: skip


def action_files(s: Any, incident: dict[str, Any], day: str, paths: list[str]) -> None:
    """`incident act --attach FILE`: the files tied to the action just added, on `day`: actions are kept
    in date order and the sort keeps entry order, so it is the last of that day's."""
    from assetreg.core.attachments import file_kind

    files = checked_files(paths, "--attach")
    number = max(n for n, a in enumerate(incident["actions"], start=1) if a["date"] == day)
    stored = store_files(s, files, "--attach")
    attach_all(s, "incidents", incident["id"], stored, {"kind": file_kind(None), "note": None, "action": number})


def with_files(reg: Any, table: str, record_id: str, detail: dict[str, Any], day: Any = None) -> dict[str, Any]:
    """A record as `show` gives it, with its attachments (`attachments` in JSON, as `attachments --json`
    gives them); `day`: as it stood then (`--as-of`), a file attached later not listed."""
    from assetreg.core.attachments import rows

    found = rows(reg, table, record_id)
    detail["attachments"] = [a for a in found if day is None or a["date"] <= day.isoformat()]
    return detail


def files_task(reg: Any, meta: Any, source: str, wanted: tuple[str | None, str] | None) -> Any:
    """In a roll-up's worker: the attachments of the record named (all of them when none is), as
    `attachments --json` gives them; Absent when this source has not that record."""
    from assetreg.core import attachments
    from assetreg.core.errors import NotFound
    from assetreg.core.rollup import Absent

    if wanted is None:
        return attachments.rows(reg)
    named, text = wanted
    if named not in (None, source):
        return Absent()
    try:
        owner = attachments.owner_of(reg, text)
    except NotFound:
        if named is None:
            return Absent()
        raise
    return attachments.rows(reg, *owner)


def rollup_files(e: Any, record: str | None) -> list[dict[str, Any]]:
    """`attachments` of a roll-up: every source's (or the one holding RECORD), each row with its `source`.
    The records travel with a source; the files do not, so they are listed, not checked."""
    from assetreg.cli import rollup

    listed = rollup.sources(e)
    wanted = rollup.target(record, listed)
    good, _bad = rollup.gather(e, listed, files_task, wanted)
    return [{"source": r.source.name, **row} for r in rollup.holders(good, wanted, "RECORD") for row in r.figures]


@handled
@reads_rollup
def attachments_command(
    ctx: typer.Context,
    record: str | None = typer.Argument(
        None, metavar="RECORD", help="Only this record's files (a member, asset, lease, incident or clearance)."
    ),
    as_json: bool = JSON,
) -> None:
    """List attached files: of one record, or all of them (of a roll-up: each source's, ids qualified)."""
    from assetreg.core import attachments
    from assetreg.render.console import print_tables

    e = env(ctx)
    if e.rollup:
        from assetreg.cli.rollup import qualified_files

        found = rollup_files(e, record)
        if as_json:
            print_json(found)
            return
        qualified = [row for r in found for row in qualified_files(r["source"], [r])]
        print_tables(files_table(qualified, _("Attachments")))
        return
    with e.session(write=False) as s:
        owner = attachments.owner_of(s.registry, record) if record else (None, None)
        found = attachments.rows(s.registry, *owner)
    if as_json:
        print_json(found)
        return
    print_tables(files_table(found, _("Attachments")))


@command(app, "show")
@refuses_rollup(NO_FILES)
def show(ctx: typer.Context, ref: str = REF, as_json: bool = JSON) -> None:
    """One attachment, and whether its stored file is present with its hash."""
    from assetreg.core import attachments
    from assetreg.render.console import details, print_tables
    from assetreg.render.text import label
    from assetreg.store import files

    e = env(ctx)
    with e.session(write=False) as s:
        found = attachments.row(s.registry, attachments.find(s.registry, ref))
        problem = files.state(files.files_dir(s.path), found["sha256"])
    states = {None: _("present, hash matches"), "missing": _("MISSING"), "changed": _("CHANGED (hash differs)")}
    if as_json:
        print_json({**found, "stored": problem or "ok"})
        return
    pairs = [
        (_("Ref"), found["ref"]),
        (_("Record"), found["record"]),
        (_("Value event"), found["event"] or ""),
        (_("Action"), found["action"] or ""),
        (_("Kind"), label(found["kind"])),
        (_("Name"), found["name"]),
        (_("Size (bytes)"), found["size"]),
        (_("Date"), found["date"]),
        (_("Note"), found["note"] or ""),
        (_("SHA-256"), found["sha256"]),
        (_("Stored file"), states[problem]),
    ]
    print_tables(details(_("Attachment"), pairs))


@command(app, "save")
@refuses_rollup(NO_FILES)
def save(
    ctx: typer.Context,
    ref: str = REF,
    output: str = typer.Option(..., "--output", help="Where to write the file (a folder: under its name); never overwrites."),
) -> None:
    """Write an attached file back out, byte for byte, checked against its hash."""
    from assetreg.core import attachments
    from assetreg.core.errors import Conflict
    from assetreg.store import files

    e = env(ctx)
    with e.session(write=False) as s:
        found = attachments.find(s.registry, ref)
        folder = files.files_dir(s.path)
    target = Path(output)
    if target.is_dir():
        target = target / found["name"]
    if target.exists() or target.is_symlink():
        raise Conflict("--output", str(target), N_("already exists; nothing was written"))
    files.copy_out(folder, found["sha256"], target)
    info(_("Saved {ref} to {path}").format(ref=found["id"], path=target))


@command(app, "remove")
def remove(
    ctx: typer.Context,
    ref: str = REF,
    force: bool = typer.Option(False, "--force", help="Really take it off (the stored file stays until 'attachment prune')."),
) -> None:
    """Take an attachment off its record (logged); its stored file stays until 'attachment prune'."""
    from assetreg.core import attachments

    e = env(ctx)
    with e.session() as s:
        found = attachments.remove(s.registry, ref, force=force)
    info(
        _("Removed {ref} from {record}; its file stays until 'attachment prune'.").format(ref=found["id"], record=found["record"])
    )


@command(app, "prune")
def prune(ctx: typer.Context) -> None:
    """Delete the stored files that no attachment and no kept backup names; say how many bytes it freed."""
    from assetreg.store import files

    e = env(ctx)
    with e.session() as s:
        kept = named_files(s.path, s.registry)
        count, freed = files.prune(files.files_dir(s.path), kept)
    info(_("Pruned {count} files, {size} bytes freed.").format(count=count, size=freed))


def named_files(path: Path, reg: Any) -> set[str]:
    """The hashes that the registry's attachments and those of its kept backups name."""
    from assetreg.core.attachments import hashes
    from assetreg.store import backups, load_tables
    from assetreg.store.backups import read_backup

    kept = hashes(reg.tables["attachments"].values())
    for backup in backups(path):
        with contextlib.suppress(Exception):  # a damaged backup names nothing it can prove
            kept |= hashes(load_tables(backup, read_backup(backup), keep_lines=False)["attachments"].values())
    return kept


def export_files(s: Any, target: Path) -> None:
    """`export csv`: each attached file copied under `DIR/files/` by its hash, as the files folder keeps it."""
    from assetreg.core.attachments import hashes
    from assetreg.store import files

    folder = files.files_dir(s.path)
    for sha in sorted(hashes(s.registry.tables["attachments"].values())):
        out = files.stored_path(target, sha)
        if files.state(target, sha) is None:
            continue  # already there, whole (an export written again)
        out.parent.mkdir(parents=True, exist_ok=True)
        files.copy_out(folder, sha, out, replace=True)


def import_files(s: Any, source: Path, *, store: bool) -> None:
    """`import attachments`: the file of each attachment the import added, read from the `files/` folder
    beside the CSV and checked against its hash; one missing or changed refuses the whole import."""
    from assetreg.core.errors import InvalidValue
    from assetreg.store import files

    added = [c.after for c in s.registry.changes() if c.kind == "attachments" and c.before is None and c.after]
    for a in added:
        problem = files.state(source, a["sha256"])
        if problem:
            reason = (
                N_("is missing; nothing was imported")
                if problem == "missing"
                else N_("does not have its hash; nothing was imported")
            )
            raise InvalidValue("attachment", str(files.stored_path(source, a["sha256"])), reason)
    if store:
        wanted = {a["sha256"]: (files.stored_path(source, a["sha256"]), a["name"]) for a in added}
        for (sha, _size, _name), expected in zip(store_files(s, list(wanted.values()), "FILE"), wanted, strict=True):
            if sha != expected:  # changed while it was read
                raise InvalidValue("attachment", str(wanted[expected][0]), N_("does not have its hash; nothing was imported"))
