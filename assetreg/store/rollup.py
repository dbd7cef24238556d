"""A roll-up (汇总): several registries read together, each checked against the log head it came with.

The list is a CSV file `*.rollup.csv` with the columns `name,path,expect`. Each source is read in a
worker process of its own (one per core), which checks it, runs the command's task on its records and
returns only the figures the task keeps; the registry is let go before the worker takes the next one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from assetreg.core.errors import AssetregError, InvalidValue
from assetreg.core.journal import GENESIS, entry_hash, parse_entry
from assetreg.i18n import N_

SUFFIX = ".rollup.csv"
COLUMNS = ("name", "path", "expect")
_NAME = re.compile(r"^[\w\-]+$")  # letters, digits (Chinese included), '-' and '_'
_HEAD = re.compile(r"^([0-9]{1,12}):([0-9a-fA-F]{16,64})$")


def is_rollup(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIX)


@dataclass(frozen=True)
class Source:
    name: str
    path: Path  # as the list's folder makes it
    expect: tuple[int, str] | None
    written: str = ""  # the path as the list writes it


@dataclass
class Read:
    """What a worker brings back from one source: what it is, and the task's figures."""

    source: Source
    registry: str = ""  # the registry's own name
    assets: int = 0
    head: tuple[int, str] = (0, GENESIS)  # as read
    figures: Any = None
    problem: str = ""  # a msgid; the source is bad when set
    params: dict[str, Any] | None = None
    error: AssetregError | None = None  # the task's own refusal (an id this source does not have, …)


class BadSources(Exception):
    """Sources that failed their check: one line each (name, path, problem)."""

    def __init__(self, bad: list[Read]) -> None:
        super().__init__(", ".join(r.source.name for r in bad))
        self.bad = bad


def _list_error(path: Path, line: int, column: str, value: str, problem: str, **params: Any) -> InvalidValue:
    return InvalidValue(
        column,
        value,
        N_("line {line} of the roll-up list {list}: {problem}"),
        line=line,
        list=str(path),
        problem=problem,
        **params,
    )


def parse_expect(text: str) -> tuple[int, str] | None:
    match = _HEAD.match(text.strip())
    return (int(match.group(1)), match.group(2).lower()) if match else None


def valid_name(name: str) -> bool:
    return bool(_NAME.match(name)) and name.isprintable()


def read_list(path: Path, *, missing_ok: bool = False) -> list[Source]:
    """The sources a roll-up list names, each line checked; a bad line is refused naming it. With
    `missing_ok` (--skip-bad) a registry that does not exist is a bad source to leave out instead."""
    if not path.exists():
        raise InvalidValue("--registry", str(path), N_("does not exist; write it with 'assetreg rollup init'"))
    if not path.is_file():
        raise InvalidValue("--registry", str(path), N_("is not a regular file"))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue("--registry", str(path), N_("is not UTF-8 text")) from None
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    for column in COLUMNS:
        if column not in header:
            raise _list_error(path, 1, column, ",".join(header), N_("the column {name} is missing"), name=column)
    where = {column: header.index(column) for column in COLUMNS}
    sources: list[Source] = []
    names: set[str] = set()
    folder = path.parent
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {c: row[i].strip() if i < len(row) else "" for c, i in where.items()}
        name, written, expect = cells["name"], cells["path"], cells["expect"]
        if not name:
            raise _list_error(path, number, "name", name, N_("a source needs a name"))
        if not valid_name(name):
            raise _list_error(path, number, "name", name, N_("may hold only letters, digits, Chinese characters, - and _"))
        if name in names:
            raise _list_error(path, number, "name", name, N_("is used twice in the list"))
        names.add(name)
        place = folder / written
        if not written:
            raise _list_error(path, number, "path", written, N_("a source needs a registry file"))
        if is_rollup(place) or (place.exists() and place.resolve() == path.resolve()):
            raise _list_error(path, number, "path", written, N_("is a roll-up list: a roll-up names registries only"))
        if not place.exists() and not missing_ok:
            raise _list_error(path, number, "path", written, N_("does not exist"))
        if place.exists() and not place.is_file():
            raise _list_error(path, number, "path", written, N_("is not a registry file (a folder?)"))
        head = parse_expect(expect) if expect else None
        if expect and head is None:
            raise _list_error(path, number, "expect", expect, N_("is not a log head N:HASH (16 to 64 hex digits)"))
        sources.append(Source(name, place, head, written))
    if not sources:
        raise InvalidValue("--registry", str(path), N_("names no registries"))
    return sources


def list_text(sources: Sequence[Source]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for source in sources:
        writer.writerow([source.name, source.written, f"{source.expect[0]}:{source.expect[1]}" if source.expect else ""])
    return out.getvalue().encode("utf-8")


def rollup_head(reads: Sequence[Read]) -> tuple[int, str]:
    """The roll-up's own head: the number of sources, and the SHA-256 of `name<TAB>n:hash64<LF>` of each."""
    digest = hashlib.sha256()
    for read in reads:
        digest.update(f"{read.source.name}\t{read.head[0]}:{read.head[1]}\n".encode())
    return len(reads), digest.hexdigest()


# -- checking a source ---------------------------------------------------------------------------------


def _check_log(path: Path, meta: dict[str, Any], expect: tuple[int, str] | None) -> tuple[str, dict[str, Any]] | None:
    """Whether the log holds `expect` with the chain intact from that entry to the registry's head."""
    from assetreg.store.journal import journal_file

    seq, head = int(meta.get("log_seq", 0)), str(meta.get("log_head", GENESIS))
    journal = journal_file(path)
    if not journal.exists():
        return N_("its log {log} is missing"), {"log": str(journal)}
    if expect is not None and expect[0] > seq:
        return N_("its log holds {seq} entries, not the expected {expect}: it was rolled back"), {
            "seq": seq,
            "expect": f"{expect[0]}:{expect[1][:16]}",
        }
    first = expect[0] if expect is not None else seq
    previous, count = None, 0
    with journal.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number > seq:
                break
            count = number
            if number < first:
                continue
            try:
                entry = parse_entry(line)
            except ValueError:
                return N_("log entry {n} is damaged"), {"n": number}
            if (
                entry.get("seq") != number
                or entry.get("hash") != entry_hash(entry)
                or (previous is not None and entry.get("prev") != previous)
            ):
                return N_("log entry {n} is not what was written (its sequence, link or hash)"), {"n": number}
            previous = entry["hash"]
            if expect is not None and number == expect[0] and not previous.startswith(expect[1]):
                return N_("log entry {n} has the hash {actual}, not the expected {expect}: the history was rewritten"), {
                    "n": number,
                    "actual": previous[:16],
                    "expect": expect[1][:16],
                }
    if count < seq or (seq and previous != head):
        return N_("the registry records the log head {head} but the log does not hold it"), {"head": f"{seq}:{head[:16]}"}
    return None


Task = Callable[..., Any]


def _read(job: tuple[Source, Task | None, tuple[Any, ...], date]) -> Read:
    """In a worker: check one source, then run the task on its records (only when it is sound)."""
    from assetreg.store.session import open_registry

    source, task, args, today = job
    read = Read(source)
    try:
        with open_registry(source.path, write=False, quiet=True) as session:
            read.registry = session.registry.name
            read.head = (int(session.meta.get("log_seq", 0)), str(session.meta.get("log_head", GENESIS)))
            tables = session.storage.read()
            if tables.outside:
                kind, line = next(iter(tables.outside.items()))
                if line is not None:
                    read.problem, read.params = (
                        N_("has a damaged record in {table} at line {line}"),
                        {"table": kind, "line": line},
                    )
                else:
                    read.problem, read.params = N_("was changed outside assetreg in {table}"), {"table": kind}
                return read
            found = _check_log(source.path, session.meta, source.expect)
            if found is not None:
                read.problem, read.params = found
                return read
            read.assets = len(tables.ids("assets"))
            if task is not None:
                try:
                    session.registry.today = today
                    read.figures = task(session.registry, session.meta, source.name, *args)
                except AssetregError as error:
                    read.error = error
    except AssetregError as error:  # missing, damaged, not a registry
        read.problem, read.params = error.reason, {**error.params}
    except OSError as error:
        read.problem, read.params = N_("cannot be read: {error}"), {"error": error.strerror or str(error)}
    return read


def workers(count: int) -> int:
    return max(1, min(count, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def read_sources(sources: Sequence[Source], today: date, task: Task | None = None, *args: Any) -> Iterator[Read]:
    """Each source checked and read, in the list's order; in worker processes when there are several.
    `task(registry, meta, source name, *args)` gives the figures each worker sends back."""
    jobs = [(source, task, args, today) for source in sources]
    count = workers(len(jobs))
    if count == 1:
        yield from map(_read, jobs)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(count, maxtasksperchild=None) as pool:
        yield from pool.imap(_read, jobs, chunksize=1)


def read_all(
    sources: Sequence[Source],
    today: date,
    task: Task | None,
    *args: Any,
    skip_bad: bool = False,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Read], list[Read]]:
    """(the sound sources' reads, the bad ones); bad ones stop everything unless `skip_bad`. `progress`
    is told how many sources were read so far."""
    good: list[Read] = []
    bad: list[Read] = []
    for number, read in enumerate(read_sources(sources, today, task, *args), start=1):
        (bad if read.problem else good).append(read)
        if progress is not None:
            progress(number)
    if bad and not skip_bad:
        raise BadSources(bad)
    if not good:
        raise BadSources(bad)
    return good, bad
