"""assetreg clearance open | check | surplus | list | show | notice | close | remove (资产清查)"""

from __future__ import annotations

import contextlib
import getpass
import sys
from collections.abc import Callable, Iterator
from typing import Any

import typer

from assetreg.cli.common import SORT, WIDE, Env, command, env, fail, info, print_json, reads_rollup
from assetreg.cli.complete import DISTRICTS, MEMBER_IDS, choices, record_ids
from assetreg.core import choices as C
from assetreg.core.errors import AssetregError, MissingOptions
from assetreg.i18n import _

app = typer.Typer(no_args_is_help=True)
# metavar: the usage line and "missing argument" name the clearance ID, not the parameter `clearance_id`
ID = typer.Argument(..., metavar="ID", help="The clearance's id (C001).", autocompletion=record_ids("clearances"))
JSON = typer.Option(False, "--json", help="Print JSON only.")
BY = typer.Option(None, "--by", help="Who counted; default the OS user.")
DAY = typer.Option(None, "--date", help="The day counted; default today.")
NOTE = typer.Option(None, "--note", help="A note.")
# what was found of an asset: `check --result differs` and `surplus` take the same options
AREA = typer.Option(None, "--area", help="The area found, m².")
LOCATION = typer.Option(None, "--location", help="Where it was found.")
TITLE_NO = typer.Option(None, "--title-no", help="The title number found, if any.")
VALUE = typer.Option(None, "--value", help="The value found (appraised).")


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


def counted(by: str | None, day: str | None, note: str | None) -> dict[str, Any]:
    """Who counted, on what day, with what note: as `check` and `surplus` take them."""
    return {"by": by or counted_by(), "date": day, "note": note}


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
        None, metavar="ASSET", help="The asset: id, exact name or title number; none at a terminal: the counting loop."
    ),
    result: str | None = typer.Option(
        None,
        "--result",
        help="found, differs or missing (default found); differs: what was found in --status, --area, --location, --title-no "
        "or --value.",
        autocompletion=choices(C.RESULTS),
    ),
    status: str | None = typer.Option(
        None, "--status", help="differs: the status found.", autocompletion=choices(C.SET_STATUSES)
    ),
    area: str | None = AREA,
    location: str | None = LOCATION,
    title_no: str | None = TITLE_NO,
    value: str | None = VALUE,
    by: str | None = BY,
    day: str | None = DAY,
    note: str | None = NOTE,
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
    raw.update(counted(by, day, note))
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
    value: str | None = VALUE,
    location: str | None = LOCATION,
    area: str | None = AREA,
    title_no: str | None = TITLE_NO,
    by: str | None = BY,
    day: str | None = DAY,
    note: str | None = NOTE,
    as_json: bool = JSON,
) -> None:
    """Record an asset found that the register does not hold (盘盈)."""
    from assetreg.core import clearance as core

    e = env(ctx)
    raw = {"name": name, "owner": owner, "category": category, "value": value, "location": location, "area": area}
    raw.update(title_no=title_no, **counted(by, day, note))
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
def list_(ctx: typer.Context, as_json: bool = JSON, wide: bool = WIDE, sort: str | None = SORT) -> None:
    """Every clearance with its as-of day, status and counts (of a roll-up: each source's, ids qualified)."""
    from assetreg.core.views import sort_rows

    e = env(ctx)
    if e.rollup:
        from assetreg.cli import rollup

        rows, _totals = rollup.listing(e, _rows, [])
    else:
        with e.session(write=False) as s:
            rows, _totals = _rows(s.registry)
    if sort:  # every list sorts (PRODUCT.md v3), this one too
        rows = sort_rows(rows, sort)
    if as_json:
        print_json(rollup.json_rows(rows) if e.rollup else rows)
        return
    from assetreg.render.console import CODE, DATE, FIGURE, ID, TEXT, Col, print_tables, table

    # At 80 columns the name and the progress (in scope, not checked) stay; the close and the
    # counts by result go first, which `show` gives
    columns = [
        Col(_("Id"), ID, 6),
        Col(_("Name"), TEXT, 5, least=16),  # 2004年度资产清查 on one line
        Col(_("As of"), DATE, 5),
        Col(_("Status"), TEXT, 5),
        Col(_("Closed"), DATE, 3),
        Col(_("Document"), CODE, 2),
        *(
            Col(heading, FIGURE, importance)
            for heading, importance in (
                (_("In scope"), 5),
                (_("Checked"), 4),
                (C.contextual(_("clearance counts|Found")), 4),  # as on the books (相符), not the found total
                (_("Differ"), 4),
                (_("Missing"), 4),
                (_("Surplus"), 4),
                (_("Not checked"), 5),
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
    from assetreg.core import clearance as core
    from assetreg.core.attachments import rows as file_rows
    from assetreg.render.records import files_table

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
    from assetreg.render.text import label

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
    lines: list[tuple[Any, ...]] = []
    for item in data["scope"]:
        finding, book = item["finding"], item["book"]
        found = ", ".join(f"{_(core.FIELD_NAMES[k])} {_book_shown(k, v)}" for k, v in (finding or {}).get("found", {}).items())
        result = _result(finding["result"]) if finding else _("not checked")
        lines.append(
            (
                item["asset"],
                item["name"],
                item["owner"],
                label(book["status"]),
                _area(book["area"]) if book["area"] else "",
                _money(book["value"]),
                result,
                found,
                finding["date"] if finding else "",
            )
        )
    if unchecked:  # result, found and day counted are the same blank in every row: the name gets their room
        columns, lines = columns[:6], [line[:6] for line in lines]
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


def register_parts(entry: dict[str, Any]) -> list[str]:
    """The asset as the register held it on the as-of day: id, name, owner, category, status, area,
    location, title number, value."""
    from assetreg.render.text import clean, label

    book = entry["book"]
    parts = [entry["asset"], book["name"], book["owner"], label(book["category"]), label(book["status"])]
    if book.get("area"):
        parts.append(f"{_area(book['area'])} m²")
    parts += [book.get("location") or "", book.get("title_no") or "", _money(book["value"])]
    return [clean(p) for p in parts if p]


def register_line(entry: dict[str, Any]) -> str:
    return " · ".join(register_parts(entry))


def say_register(entry: dict[str, Any], indent: str = "") -> None:
    """The register line at the terminal, broken between its parts: a name or a title number such as
    乐房权证字第861001号 is never cut in two (a part wider than the whole line is folded)."""
    from assetreg.cli.common import say, terminal_columns
    from assetreg.render.text import width

    room = terminal_columns() - 1 - len(indent)
    if room < 10:
        info(indent + register_line(entry))
        return
    lines: list[str] = []
    for part in register_parts(entry):
        if lines and width(lines[-1]) + 3 + width(part) <= room:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    for line in lines:
        say(indent + line)


def _area(value: Any) -> str:
    """An area as the documents show it (render/document.py `shown`): 12,345 or 12,345.50."""
    from decimal import ROUND_HALF_UP, Decimal

    from assetreg.render.text import number

    return number(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _book_shown(key: str, value: Any) -> str:
    """A book figure in a prompt of the loop, as the register line shows it."""
    from assetreg.render.text import label

    if value in (None, ""):
        return ""
    if key == "status":
        return label(value)
    return _area(value) if key == "area" else _money(value) if key == "value" else str(value)


def _field_word(key: str) -> str:
    from assetreg.core import clearance as core

    return C.contextual(_(core.FIELD_WORDS[key]))


def field_words() -> dict[str, str]:
    """Every name the loop takes for a field: its English key (title_no or title-no), its name in the reader's
    language, short or long, and its Chinese name in either language."""
    from assetreg.core import clearance as core
    from assetreg.core.parse import ascii_forms

    words: dict[str, str] = {}
    for key in FOUND_FIELDS:
        for word in (key, key.replace("_", "-"), _field_word(key), _(core.FIELD_NAMES[key])):
            words[ascii_forms(word).casefold()] = key
    return words | core.CHINESE_FIELD_WORDS


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
    from assetreg.cli.common import message, say
    from assetreg.core import clearance as core
    from assetreg.core.parse import ascii_forms
    from assetreg.core.records import FIELD_LABELS
    from assetreg.render.text import label

    names = _(", ").join(_field_word(key) for key in FOUND_FIELDS)
    words = field_words()
    while True:
        answer = _line(_("which differ? ({fields}; several separated by spaces): ").format(fields=names))
        typed = ascii_forms(answer).replace(",", " ").replace("、", " ").split()
        if typed and all(w.casefold() in words for w in typed):
            break
        info(_("name one or more of: {fields}").format(fields=names))
    raw: dict[str, Any] = {"result": "differs"}
    # a status is offered by its label ("in use", 自用): the label is taken back as well as the value
    statuses = {ascii_forms(label(s)).casefold(): s for s in core.DIFFER_STATUSES}
    for key in dict.fromkeys(words[w.casefold()] for w in typed):
        choices = _(", ").join(label(s) for s in core.DIFFER_STATUSES)
        hint = _(" ({choices})").format(choices=choices) if key == "status" else ""
        while True:
            book = _book_shown(key, entry["book"].get(key))
            answer = _line(f"{_(FIELD_LABELS[key])}{hint} [{book}]{_(': ')}")
            raw[key] = statuses.get(ascii_forms(answer).casefold(), answer) if key == "status" else answer
            try:
                core.not_different(entry["book"], core.read_found({key: raw[key]}), {key: answer})
                if raw[key]:
                    break
            except AssetregError as error:
                say(message(error))
    return raw


def _choose(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A title number a building shares with its land: which of them is meant."""
    for entry in entries:
        say_register(entry, "  ")
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
                    say(message(error))
                    continue
            entry = entries[0] if len(entries) == 1 else _choose(entries)
            say_register(entry)
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
                say(message(error))
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
