"""assetreg clearance open | check | surplus | list | show | notice | close | remove (资产清查)"""

from __future__ import annotations

import contextlib
import getpass
import sys
from collections.abc import Callable, Iterator
from typing import Any

import typer

from assetreg.cli.common import WIDE, Env, command, env, fail, info, print_json, reads_rollup
from assetreg.cli.complete import DISTRICTS, MEMBER_IDS, choices, record_ids
from assetreg.core import choices as C
from assetreg.core.errors import AssetregError, MissingOptions
from assetreg.i18n import _

app = typer.Typer(no_args_is_help=True)
ID = typer.Argument(..., help="The clearance's id (C001).", autocompletion=record_ids("clearances"))
JSON = typer.Option(False, "--json", help="Print JSON only.")


@contextlib.contextmanager
def progress_bar(text: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal for work over thousands of assets (nothing elsewhere)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(text, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def counted_by() -> str:
    """Who counted, by default: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def show_json(reg: Any, clearance: dict[str, Any]) -> dict[str, Any]:
    """A clearance as `show --json` gives it."""
    from assetreg.core import clearance as core

    findings = core.findings_of(reg, clearance["id"])
    scope = [
        {
            "asset": f["asset"],
            "name": f["book"]["name"],
            "owner": f["book"]["owner"],
            "book": {k: f["book"].get(k) for k in core.BOOK_FIELDS},
            "finding": f["finding"],
        }
        for f in findings
    ]
    fields = ("id", "name", "as_of", "status", "closed", "doc", "members", "notice", "partial")
    return {
        **{k: clearance.get(k) for k in fields},
        "scope": scope,
        "surplus": clearance["surplus"],
        "counts": core.counts(clearance, findings),
    }


def _counts_line(counts: dict[str, int]) -> str:
    return _(
        "{scope} in scope, {checked} checked: {found} found, {differs} differ, {missing} missing; "
        "{surplus} surplus; {unchecked} not checked"
    ).format(**counts)


@command(app, "open")
def open_(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", help="The registration day (登记时点), normally 31 December."),
    name: str | None = typer.Option(None, "--name", help="The clearance's name, e.g. 2004年度资产清查."),
    member: list[str] = typer.Option([], "--member", help="Only this member's assets (repeatable).", autocompletion=MEMBER_IDS),
    district: list[str] = typer.Option(
        [], "--district", help="Every member of this district (repeatable).", autocompletion=DISTRICTS
    ),
    record_id: str | None = typer.Option(None, "--id", help="Its own id; default the next free one (C001, C002, …)."),
    as_json: bool = JSON,
) -> None:
    """Open a clearance: its scope is what the register held at the end of the as-of day."""
    from assetreg.core import clearance as core

    e = env(ctx)
    if not as_of:
        raise MissingOptions(["--as-of"])
    with e.session() as s, progress_bar(_("Reading the register")) as progress:
        raw = {"as_of": as_of, "name": name, "id": record_id}
        record, count = core.open_clearance(s.registry, raw, member, district, progress)
        shown = show_json(s.registry, record) if as_json else None
    if shown is not None:
        print_json(shown)
    info(
        _("Opened clearance {id} as of {day}; assets in scope: {count}").format(id=record["id"], day=record["as_of"], count=count)
    )


@command(app, "check")
def check(
    ctx: typer.Context,
    clearance_id: str = ID,
    asset: str | None = typer.Argument(
        None, help="The asset: id, exact name or title number; none at a terminal: the counting loop."
    ),
    result: str | None = typer.Option(
        None, "--result", help="found, differs or missing (default found).", autocompletion=choices(C.RESULTS)
    ),
    status: str | None = typer.Option(
        None, "--status", help="differs: the status found.", autocompletion=choices(C.SET_STATUSES)
    ),
    area: str | None = typer.Option(None, "--area", help="differs: the area found, m²."),
    location: str | None = typer.Option(None, "--location", help="differs: where it was found."),
    title_no: str | None = typer.Option(None, "--title-no", help="differs: the title number found."),
    value: str | None = typer.Option(None, "--value", help="differs: the value found (appraised)."),
    by: str | None = typer.Option(None, "--by", help="Who counted; default the OS user."),
    day: str | None = typer.Option(None, "--date", help="The day counted; default today."),
    note: str | None = typer.Option(None, "--note", help="A note."),
    as_json: bool = JSON,
) -> None:
    """Record what was found of one asset of the scope; at a terminal without an asset, count one by one."""
    from assetreg.core import clearance as core

    e = env(ctx)
    if asset is None:
        if not e.interactive:
            raise MissingOptions(["ASSET"])
        counting_loop(e, clearance_id, by or counted_by())
        return
    raw = {"result": result, "status": status, "area": area, "location": location, "title_no": title_no, "value": value}
    raw.update(by=by or counted_by(), date=day, note=note)
    with e.session() as s:
        record = core.record_finding(s.registry, clearance_id, asset, raw)
        clearance = core.get(s.registry, clearance_id)
        counts = core.counts(clearance, core.findings_of(s.registry, clearance["id"]))
    if as_json:
        print_json(record)
    info(
        _("{asset}: {result}; {checked} of {scope} checked").format(
            asset=record["asset"], result=_result(record["finding"]["result"]), **counts
        )
    )


def _result(value: str) -> str:
    return C.contextual(_(C.RESULT_LABELS[value]))


@command(app, "surplus")
def surplus(
    ctx: typer.Context,
    clearance_id: str = ID,
    name: str | None = typer.Option(None, "--name", help="What was found."),
    owner: str | None = typer.Option(None, "--owner", help="The member holding it.", autocompletion=MEMBER_IDS),
    category: str | None = typer.Option(None, "--category", help="Its category.", autocompletion=choices(C.CATEGORIES)),
    value: str | None = typer.Option(None, "--value", help="Its appraised value."),
    location: str | None = typer.Option(None, "--location", help="Where it is."),
    area: str | None = typer.Option(None, "--area", help="Its area in m²."),
    title_no: str | None = typer.Option(None, "--title-no", help="Its title number, if any."),
    by: str | None = typer.Option(None, "--by", help="Who counted; default the OS user."),
    day: str | None = typer.Option(None, "--date", help="The day counted; default today."),
    note: str | None = typer.Option(None, "--note", help="A note."),
    as_json: bool = JSON,
) -> None:
    """Record an asset found that the register does not hold (盘盈)."""
    from assetreg.core import clearance as core

    e = env(ctx)
    raw = {"name": name, "owner": owner, "category": category, "value": value, "location": location, "area": area}
    raw.update(title_no=title_no, by=by or counted_by(), date=day, note=note)
    with e.session() as s:
        record = core.add_surplus(s.registry, clearance_id, raw)
    if as_json:
        print_json(record)
    info(_("Recorded surplus {id}: {name}").format(id=record["id"], name=record["name"]))


def _rows(reg: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every clearance of a registry with its counts (and no totals: a count is of its own scope)."""
    from assetreg.core import clearance as core

    rows = []
    for record in reg.tables["clearances"].values():
        counts = core.counts(record, core.findings_of(reg, record["id"]))
        rows.append({k: record.get(k) for k in ("id", "name", "as_of", "status", "closed", "doc")} | {"counts": counts})
    return rows, {}


@command(app, "list")
@reads_rollup
def list_(ctx: typer.Context, as_json: bool = JSON, wide: bool = WIDE) -> None:
    """Every clearance with its as-of day, status and counts (of a roll-up: each source's, ids qualified)."""
    e = env(ctx)
    if e.rollup:
        from assetreg.cli import rollup

        rows, _totals = rollup.listing(e, _rows, [])
        if as_json:
            print_json(rollup.json_rows(rows))
            return
    else:
        with e.session(write=False) as s:
            rows, _totals = _rows(s.registry)
        if as_json:
            print_json(rows)
            return
    from assetreg.render.console import CODE, DATE, FIGURE, ID, TEXT, Col, print_tables, table

    columns = [
        Col(_("Id"), ID, 6),
        Col(_("Name"), TEXT, 3),
        Col(_("As of"), DATE, 5),
        Col(_("Status"), TEXT, 5),
        Col(_("Closed"), DATE, 4),
        Col(_("Document"), CODE, 2),
        *(
            Col(heading, FIGURE, 5)
            for heading in (
                _("In scope"),
                _("Checked"),
                C.contextual(_("clearance counts|Found")),  # as on the books (相符), not the found total
                _("Differ"),
                _("Missing"),
                _("Surplus"),
                _("Not checked"),
            )
        ),
    ]
    keys = ("scope", "checked", "found", "differs", "missing", "surplus", "unchecked")
    lines = [
        (r["id"], r["name"], r["as_of"], _status(r["status"]), r["closed"] or "", r["doc"] or "", *(r["counts"][k] for k in keys))
        for r in rows
    ]
    print_tables(table(_("Clearances: {count}").format(count=len(rows)), columns, lines), wide=wide)


def _status(value: str) -> str:
    return C.contextual(_(C.CLEARANCE_STATUS_LABELS[value]))


def _rollup_show(reg: Any, clearance_id: str) -> dict[str, Any]:
    """One source's clearance as `clearance show --json` gives it (in a roll-up's worker)."""
    from assetreg.core.attachments import rows as file_rows

    data = show_json(reg, reg.tables["clearances"][clearance_id])
    data["attachments"] = file_rows(reg, "clearances", clearance_id)
    return data


def _qualified(source: str, data: dict[str, Any]) -> dict[str, Any]:
    """A roll-up's clearance for the terminal: its id and every id in it qualified by its source."""
    from assetreg.cli.rollup import qualified_files
    from assetreg.core.rollup import qualified

    return {
        **data,
        "id": qualified(source, data["id"]),
        "scope": [{**i, "asset": qualified(source, i["asset"]), "owner": qualified(source, i["owner"])} for i in data["scope"]],
        "surplus": [{**x, "id": qualified(source, x["id"]), "owner": qualified(source, x["owner"])} for x in data["surplus"]],
        "attachments": qualified_files(source, data["attachments"]),
    }


@command(app, "show")
@reads_rollup
def show(
    ctx: typer.Context,
    clearance_id: str = ID,
    unchecked: bool = typer.Option(False, "--unchecked", help="Only the assets not checked yet."),
    as_json: bool = JSON,
    wide: bool = WIDE,
) -> None:
    """The scope with each finding, the surpluses and the counts (of a roll-up: one source's, ids qualified)."""
    from assetreg.cli.attachments import files_table
    from assetreg.core import clearance as core
    from assetreg.core.attachments import rows as file_rows

    e = env(ctx)
    source = None
    if e.rollup:
        from assetreg.cli import rollup

        source, data = rollup.record(e, "clearances", _rollup_show, clearance_id, "clearance")
    else:
        with e.session(write=False) as s:
            data = show_json(s.registry, core.get(s.registry, clearance_id))
            data["attachments"] = file_rows(s.registry, "clearances", data["id"])
    if unchecked:
        data["scope"] = [item for item in data["scope"] if item["finding"] is None]
    if as_json:
        print_json(data if source is None else {"source": source, **data})
        return
    if source is not None:
        data = _qualified(source, data)
    files = data["attachments"]
    from assetreg.render.console import DATE, FIGURE, ID, TEXT, Col, print_tables, table
    from assetreg.render.text import label, number

    info_line = f"{data['id']} {data['name']} · {_('As of')} {data['as_of']} · {_status(data['status'])}"
    if data["closed"]:
        info_line += " " + _("on {day} under {doc}").format(day=data["closed"], doc=data["doc"])
    columns = [
        Col(_("Asset"), ID, 6),
        Col(_("Name"), TEXT, 4),
        Col(_("Owner"), ID, 3),
        Col(_("Status"), TEXT, 4),
        Col(_("Area m²"), FIGURE, 3),
        Col(_("Book value"), FIGURE, 5),
        Col(_("Result"), TEXT, 6),
        Col(_("Found"), TEXT, 3),
        Col(_("Counted on"), DATE, 2),
    ]
    lines = []
    for item in data["scope"]:
        finding, book = item["finding"], item["book"]
        found = ", ".join(
            f"{_(core.FIELD_NAMES[k])} {label(v) if k == 'status' else _money(v) if k == 'value' else v}"
            for k, v in (finding or {}).get("found", {}).items()
        )
        result = _result(finding["result"]) if finding else _("not checked")
        lines.append(
            (
                item["asset"],
                item["name"],
                item["owner"],
                label(book["status"]),
                number(book["area"]) if book["area"] else "",
                _money(book["value"]),
                result,
                found,
                finding["date"] if finding else "",
            )
        )
    tables = [table(info_line, columns, lines)]
    if data["surplus"]:
        surplus_cols = [Col(_("Surplus"), ID, 6), Col(_("Name"), TEXT, 4), Col(_("Owner"), ID, 3), Col(_("Value"), FIGURE, 5)]
        rows = [(x["id"], x["name"], x["owner"], _money(x["value"])) for x in data["surplus"]]
        tables.append(table(_("Surpluses (盘盈)"), surplus_cols, rows))
    if files:
        tables.append(files_table(files, _("Attachments")))
    print_tables(*tables, wide=wide)
    info(_counts_line(data["counts"]))


def _money(value: Any) -> str:
    from decimal import Decimal

    return f"{Decimal(value):,.2f}"


@command(app, "notice")
def notice(
    ctx: typer.Context,
    clearance_id: str = ID,
    start: str | None = typer.Option(None, "--from", help="The first day the result is posted (公示)."),
    days: str | None = typer.Option(None, "--days", help="How many days it is posted; default 7."),
) -> None:
    """Record the public notice (公示) of the result: close is refused before it has ended."""
    from assetreg.core import clearance as core

    e = env(ctx)
    if not start:
        raise MissingOptions(["--from"])
    with e.session() as s:
        record = core.set_notice(s.registry, clearance_id, start, days)
    end = core.notice_end(record["notice"])
    info(_("Posted from {start} to {end}").format(start=record["notice"]["from"], end=end.isoformat()))


@command(app, "close")
def close(
    ctx: typer.Context,
    clearance_id: str = ID,
    day: str | None = typer.Option(None, "--date", help="The day it is closed."),
    doc: str | None = typer.Option(None, "--doc", help="The approval (文号): the assembly's or the board's resolution."),
    partial: bool = typer.Option(False, "--partial", help="Close with assets not checked, left as they are."),
    as_json: bool = JSON,
) -> None:
    """Make the register agree with the findings, dated the as-of day and citing the approval: one log entry."""
    from assetreg.core import clearance as core

    e = env(ctx)
    with e.session() as s, progress_bar(_("Applying the findings")) as progress:
        record, plan = core.close(s.registry, clearance_id, {"date": day, "doc": doc, "partial": partial}, progress)
        shown = show_json(s.registry, record) if as_json else None
    if shown is not None:
        print_json(shown)
    info(
        _("Closed clearance {id}; changes to the register, dated {day}: {count}").format(
            id=record["id"], count=len(plan), day=record["as_of"]
        )
    )


@command(app, "remove")
def remove(
    ctx: typer.Context,
    clearance_id: str = ID,
    force: bool = typer.Option(False, "--force", help="Really delete it with its findings (only while open)."),
) -> None:
    """Delete a clearance opened by mistake, with its findings; needs --force, and the change log keeps it."""
    from assetreg.core import clearance as core

    e = env(ctx)
    with e.session() as s:
        record = core.remove(s.registry, clearance_id, force=force)
    info(_("Removed {id}; the change log keeps what it held.").format(id=record["id"]))


# -- the counting loop -----------------------------------------------------------------------------


class _End(Exception):
    """Ctrl-D, or an empty line where an asset is asked for: the loop ends normally."""


def _line(prompt: str) -> str:
    """An answer, the prompt wrapped at word boundaries (at 80 columns the terminal cut "which differ?
    (…; several separated by spa|ces)" mid-word) and read with line editing; Ctrl-D ends the loop."""
    from assetreg.cli.common import read_answer

    try:
        return read_answer(prompt, _End).strip()
    except _End:
        sys.stderr.write("\n")
        raise


RESULT_WORDS = {"f": "found", "d": "differs", "m": "missing"}
FOUND_FIELDS = ("status", "area", "location", "title_no", "value")


def register_line(entry: dict[str, Any]) -> str:
    """The asset as the register held it on the as-of day, on one line."""
    from assetreg.render.text import clean, label

    book = entry["book"]
    parts = [entry["asset"], book["name"], book["owner"], label(book["category"]), label(book["status"])]
    if book.get("area"):
        parts.append(f"{book['area']} m²")
    parts += [book.get("location") or "", book.get("title_no") or "", _money(book["value"])]
    return clean(" · ".join(p for p in parts if p))


def _ask_result() -> str:
    from assetreg.core.parse import choice

    names = " / ".join(f"{_result(r)} ({r[0]})" for r in C.RESULTS)
    while True:
        answer = _line(_("{choices} [{default}]: ").format(choices=names, default=_result("found")))
        if not answer:
            return "found"
        word = RESULT_WORDS.get(answer.lower(), answer)
        try:
            return choice(word, C.RESULTS, "result")
        except AssetregError:
            info(_("please answer f, d or m"))


def _ask_found(reg: Any, clearance: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """differs: which fields, then what was found of each; checked at once, asked again if wrong."""
    from assetreg.cli.common import message
    from assetreg.core import clearance as core
    from assetreg.core.records import FIELD_LABELS

    while True:
        answer = _line(_("which differ? ({fields}; several separated by spaces): ").format(fields=", ".join(FOUND_FIELDS)))
        wanted = [w.replace("-", "_") for w in answer.replace(",", " ").replace("、", " ").split()]
        bad = [w for w in wanted if w not in FOUND_FIELDS]
        if wanted and not bad:
            break
        info(_("name one or more of: {fields}").format(fields=", ".join(FOUND_FIELDS)))
    raw: dict[str, Any] = {"result": "differs"}
    for key in dict.fromkeys(wanted):
        hint = f" ({', '.join(core.DIFFER_STATUSES)})" if key == "status" else ""
        while True:
            book = entry["book"].get(key)
            raw[key] = _line(f"{_(FIELD_LABELS[key])}{hint} [{book or ''}]{_(': ')}")
            try:
                core.read_found({key: raw[key]})
                if raw[key]:
                    break
            except AssetregError as error:
                info(message(error))
    return raw


def _choose(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A title number a building shares with its land: which of them is meant."""
    from assetreg.cli.common import say

    for entry in entries:
        say("  " + register_line(entry))
    ids = {e["asset"]: e for e in entries}
    while True:
        answer = _line(_("which one? ({ids}): ").format(ids=", ".join(ids))).upper()
        if answer in ids:
            return ids[answer]


def counting_loop(e: Env, clearance_id: str, by: str) -> None:
    """One asset per line until an empty line or Ctrl-D; each finding is written as it is entered."""
    from assetreg.cli.common import confirm, message, say
    from assetreg.core import clearance as core

    with e.session(write=False) as s:
        clearance = core.get(s.registry, clearance_id)
        core.still_open(clearance)
        counts = core.counts(clearance, core.findings_of(s.registry, clearance["id"]))
    say(
        _("Counting {id} {name} as of {day}: {checked} of {scope} checked.").format(
            id=clearance["id"], name=clearance["name"], day=clearance["as_of"], **counts
        )
    )
    say(_("Type or scan an asset's id, name or title number; an empty line or Ctrl-D ends."))
    entered = 0
    try:
        while True:
            text = _line(_("asset: "))
            if not text:
                break
            with e.session(write=False) as s:
                try:
                    entries = core.in_scope(s.registry, core.get(s.registry, clearance["id"]), text)
                except AssetregError as error:
                    info(message(error))
                    continue
            entry = entries[0] if len(entries) == 1 else _choose(entries)
            say(register_line(entry))
            if entry["finding"] is not None:
                old = entry["finding"]
                info(_("already checked on {day}: {result}").format(day=old["date"], result=_result(old["result"])))
                if not confirm(_("Replace that finding?")):
                    continue
            result = _ask_result()
            raw = _ask_found(None, clearance, entry) if result == "differs" else {"result": result}
            raw["by"] = by
            try:
                with e.session() as s:
                    core.record_finding(s.registry, clearance["id"], entry["asset"], raw)
                    counts = core.counts(core.get(s.registry, clearance["id"]), core.findings_of(s.registry, clearance["id"]))
            except AssetregError as error:
                info(message(error))
                continue
            entered += 1
            info(_("{checked} of {scope} checked").format(**counts))
    except (_End, typer.Abort):
        pass
    except KeyboardInterrupt:
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        fail(_("interrupted; the findings entered before were kept: {count}").format(count=entered), 130)
    info(_("findings entered: {count}; {checked} of {scope} checked").format(count=entered, **counts))
