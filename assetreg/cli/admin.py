"""assetreg log | verify | backup list | backup restore N"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from assetreg.cli.common import WIDE, command, confirm, declined, env, fail, handled, info, print_json, reads_one, reads_rollup
from assetreg.cli.common import confirm as confirm_yes
from assetreg.cli.complete import ANY_IDS, BACKUP_NUMBERS
from assetreg.i18n import N_, _

# The core's modules load inside the commands: `assetreg --help` lists these without them.

backup_app = typer.Typer(no_args_is_help=True)


def journal_entries(path: Path, size: int | None = None, *, changes_from: int = 1) -> Iterator[dict[str, Any]]:
    """The log's entries, one at a time; only its first `size` bytes when given; the changes only of
    entries from number `changes_from` on."""
    from assetreg.store import read_journal

    return read_journal(path, size, changes_from=changes_from)


@handled
@reads_rollup
def log_command(
    ctx: typer.Context,
    record: str | None = typer.Option(None, "--record", help="Only entries that changed this record.", autocompletion=ANY_IDS),
    since: str | None = typer.Option(None, "--since", help="Only entries on or after this day (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON only, on stdout."),
    wide: bool = WIDE,
) -> None:
    """The change log: who changed what, when, with which command."""
    from assetreg.core.parse import iso_date, record_id

    e = env(ctx)
    start = iso_date(since, "--since").isoformat() if since else None
    logs: list[tuple[str, Path, int, str | None]]  # (source, registry, size, the record wanted) of each log read
    if e.rollup:  # each source's log in the list's order, its entries carrying its name
        from assetreg.cli import rollup

        logs = rollup.logs(e, record)
    else:
        with e.session(write=False) as s:  # the log up to this size is the registry's: it only grows
            logs = [("", e.registry, int(s.meta.get("log_size", 0)), record_id(record, "--record") if record else None)]
    prefix = {name: f"{name}:" if name else "" for name, *_rest in logs}

    def touched(x: dict[str, Any]) -> str:
        ids = [prefix[x.get("source", "")] + c["id"] for c in x["changes"]]
        return ", ".join(ids[:6]) + (f" … (+{len(ids) - 6})" if len(ids) > 6 else "")

    chosen = (
        {"source": name, **x} if name else x
        for name, path, size, wanted in logs
        for x in journal_entries(path, size)
        if (not wanted or any(c["id"] == wanted for c in x["changes"])) and (not start or x["time"][:10] >= start)
    )
    if as_json:  # entry by entry, as print_json would lay them out: a province's log is hundreds of MB
        import orjson

        from assetreg.render.text import json_default

        out = sys.stdout.buffer
        out.write(b"[")
        count = 0
        for count, x in enumerate(chosen, start=1):
            text = orjson.dumps(x, default=json_default, option=orjson.OPT_INDENT_2)
            out.writelines([b"," if count > 1 else b"", b"\n  ", text.replace(b"\n", b"\n  ")])
        out.write(b"\n]\n" if count else b"]\n")
        out.flush()
        return
    from assetreg.cli.correct import with_correction

    rows = [(prefix[x.get("source", "")] + str(x["seq"]), x["time"], x["user"], with_correction(x), touched(x)) for x in chosen]
    from assetreg.render.console import CODE, FIGURE, ID, TEXT, Col, print_tables, table

    print_tables(
        table(
            _("Change log"),
            [
                Col("#", FIGURE, 6),
                Col(_("Time"), CODE, 4),
                Col(_("User"), ID, 1),
                Col(_("Command"), TEXT, 3),
                Col(_("Records"), TEXT, 2),
            ],
            rows,
        ),
        wide=wide,
    )


def file_problems(path: Path) -> list[str]:
    """Each attached file that is missing from the files folder or no longer has its hash (PRODUCT.md,
    Evidence files); nothing when the registry cannot be read (verify names that already)."""
    from assetreg.core.attachments import of_record
    from assetreg.core.errors import AssetregError
    from assetreg.render.text import one_line
    from assetreg.store import files, open_registry

    try:
        with open_registry(path, write=False) as s:
            found = of_record(s.registry)
    except (AssetregError, OSError):
        return []
    folder = files.files_dir(path)
    states = {"missing": N_("its stored file is missing"), "changed": N_("its stored file was changed (the hash differs)")}
    result = []
    for a in found:
        problem = files.state(folder, a["sha256"])
        if problem:
            result.append(
                _("attachment {ref} ({record} {name}, sha256 {hash}): {problem}").format(
                    ref=a["id"], record=a["record"], name=one_line(a["name"]), hash=a["sha256"][:12], problem=_(states[problem])
                )
            )
    return result


@handled
@reads_rollup
def verify_command(
    ctx: typer.Context,
    expect: str | None = typer.Option(
        None, "--expect", help="A log head written down earlier (N:HASH, 16+ hex digits): fail unless entry N still has it."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print {ok, head, problems} as JSON only, on stdout."),
    adopt: bool = typer.Option(
        False, "--adopt", help="Record the registry as it stands (changed outside assetreg) as a new log entry."
    ),
    yes: bool = typer.Option(False, "--yes", help="With --adopt: adopt without asking."),
) -> None:
    """Check the registry: the log's hash chain, every record against the log; print the log head."""
    from assetreg.integrity import parse_head, verify

    e = env(ctx)
    if e.rollup and not adopt:
        from assetreg.cli import rollup

        rollup.verify(e, expect, as_json)
        return
    if e.rollup:
        fail(_("a roll-up is read-only; write to one of its registries"))
    if adopt:
        _adopt(e, yes)
        return
    result = verify(e.registry, parse_head(expect) if expect else None)
    result.problems += file_problems(e.registry)
    n, digest = result.head
    if as_json:
        print_json({"ok": result.ok, "head": {"n": n, "hash": digest}, "problems": result.problems})
        if not result.ok:
            raise typer.Exit(1)
        return
    for note in result.notes:
        info(_("verify: {problem}").format(problem=note))
    if not result.ok:
        for problem in result.problems[:20]:
            info(_("verify: {problem}").format(problem=problem))
        if len(result.problems) > 20:
            info(_("verify: … and {count} more ('verify --json' lists them all)").format(count=len(result.problems) - 20))
        from assetreg.store import journal_path

        if not journal_path(e.registry).exists():  # a registry copied without its log: the problem names --adopt
            info(
                _("verify: the registry and its log go together; if the log was left behind, copy {name} beside it").format(
                    name=journal_path(e.registry).name
                )
            )
        else:
            info(
                _(
                    "verify: 'assetreg verify --adopt' records the registry as it stands; "
                    "'assetreg backup list' shows the way back"
                )
            )
        count = len(result.problems)
        found = _("1 problem") if count == 1 else _("{count} problems").format(count=count)
        fail(_("registry {path} failed verification ({found})").format(path=e.registry, found=found))
    typer.echo(
        _("OK: {entries} log entries, hash chain intact; {records} records match the log.").format(
            entries=result.entries, records=result.records
        )
    )
    if expect:
        typer.echo(_("Entry {n} has the expected hash.").format(n=parse_head(expect)[0]))
    typer.echo(_("log head {head}").format(head=f"{n}:{digest}"))


def _adopt(e: Any, yes: bool) -> None:
    from assetreg.integrity import adopt

    def confirm(lines: list[str]) -> bool:
        for line in lines:
            info(_("verify: {problem}").format(problem=line))
        if yes:
            return True
        if not e.interactive:
            fail(_("not adopted; give --yes to adopt without asking"))
        if not confirm_yes(_("Adopt the registry as it stands?")):
            declined()
        return False

    adopt(e.registry, e.command, confirm)
    info(_("Adopted the registry as it stands as a new log entry; 'assetreg log' shows it."))


@command(backup_app, "list")
@reads_one
def backup_list(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON only."), wide: bool = WIDE
) -> None:
    """Kept versions, newest first (N = 1 is the version before the last change)."""
    from assetreg.store import backups

    e = env(ctx)
    rows = [
        {"n": n, "file": str(p), "size": p.stat().st_size, "log_seq": int(p.name.split("-")[0])}
        for n, p in enumerate(backups(e.registry), start=1)
    ]
    if as_json:
        print_json(rows)
        return
    from assetreg.render.console import FIGURE, TEXT, Col, print_tables, table

    print_tables(
        table(  # N is what `backup restore N` needs: kept however narrow the terminal
            _("Backups"),
            [Col("N", FIGURE, 6), Col(_("After log entry"), FIGURE, 3), Col(_("Bytes"), FIGURE, 1), Col(_("File"), TEXT, 2)],
            [(r["n"], r["log_seq"], f"{r['size']:,}", r["file"]) for r in rows],
        ),
        wide=wide,
    )


@command(backup_app, "restore")
def backup_restore(
    ctx: typer.Context,
    number: int = typer.Argument(..., metavar="N", help="N from 'backup list'.", autocompletion=BACKUP_NUMBERS),
    yes: bool = typer.Option(False, "--yes", help="Restore without asking."),
) -> None:
    """Bring back a kept version, after showing what differs; the restore is logged. It also works on a
    damaged registry, and on one behind its log (the log keeps the entries it no longer holds)."""
    from assetreg.integrity import restore
    from assetreg.store import backups

    e = env(ctx)
    kept = backups(e.registry)
    if not 1 <= number <= len(kept):
        fail(_("N {number}: no such backup (there are {count})").format(number=number, count=len(kept)))
    source = kept[number - 1]

    def agreed(lines: list[str]) -> bool:
        for line in lines:
            info(line)
        if yes:
            return True
        if not e.interactive:
            fail(_("not restored; give --yes to restore without asking"))
        if not confirm(_("Restore backup {number}?").format(number=number)):
            declined()
        return True

    if restore(e.registry, e.command, source, agreed) is None:
        info(_("Backup {number} holds the same records as the registry; nothing to do.").format(number=number))
        return
    info(_("Restored backup {number} ({file}).").format(number=number, file=source.name))
