"""GitHub pipe tables. User text is escaped so that no renderer reads it as HTML, a link or emphasis:
`<`, `>` and `&` become entities, Markdown's inline punctuation gets a backslash, and `:` an entity, so that
neither `javascript:` nor `http://` can start a link even in renderers that find bare addresses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from assetreg.i18n import _
from assetreg.render.document import NUMERIC, Document, Table, total_cells
from assetreg.render.text import width

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", ":": "&#58;", "~": "&#126;"}
# Inside a table cell only inline syntax matters: emphasis, code, links and images, the cell bar, HTML.
_SPECIAL = re.compile(r"[\\`*_\[\]()|&<>:~]")
BATCH = 2000


def escape(text: str) -> str:
    text = text.replace("\n", " ").replace("\r", " ")
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m.group(), "\\" + m.group()), text)


def write(document: Document, **_options: Any) -> Iterator[bytes]:
    lines = [f"# {escape(document.title)}", ""]
    colon = _(": ")
    lines += [f"- {k}{colon}{escape(v) if k == _('Registry') else v}" for k, v in document.facts()]  # only the name is user text
    yield ("\n".join(lines) + "\n\n").encode()
    for table in document.tables:
        yield from _table(table, document.unit)
    if document.notes:
        # the notes are ours: read as written (no entities), only kept from being taken as HTML
        yield ("\n\n".join(re.sub("[&<>]", lambda m: _ENTITIES[m.group()], note) for note in document.notes) + "\n").encode()
    if document.signatures:
        yield ("\n" + document.signature_line().replace("_", "\\_") + "\n").encode()


def _table(table: Table, unit: str) -> Iterator[bytes]:
    """Padded by display width while small, so Chinese columns line up in a monospace editor too."""
    right = [c.kind in NUMERIC for c in table.columns]
    ours = [c.kind not in ("text", "id") for c in table.columns]  # figures, dates and marks: nothing to escape
    headers = [escape(c.heading) for c in table.columns]
    small = len(table.rows) <= 1000
    rows: Iterator[list[str]] = (
        [c if o else escape(c) for c, o in zip(total_cells(table, row, unit, total), ours, strict=True)]
        for row, total in table.all_rows()
    )
    widths = [3] * len(headers)
    if small:
        rows = iter(body := list(rows))
        widths = [max(3, *(width(r[i]) for r in [headers, *body])) for i in range(len(headers))]
    rule = "|" + "|".join(("-" * (w + 1) + ":") if r else ("-" * (w + 2)) for w, r in zip(widths, right, strict=True)) + "|"
    out = [f"## {escape(table.title)}", "", _line(headers, widths, right), rule]
    for row in rows:
        out.append(_line(row, widths, right))
        if len(out) >= BATCH:
            yield ("\n".join(out) + "\n").encode()
            out.clear()
    yield ("\n".join(out) + "\n\n").encode()


def _line(row: list[str], widths: list[int], right: list[bool]) -> str:
    padded = [(" " * (w - width(v)) + v) if r else (v + " " * (w - width(v))) for v, w, r in zip(row, widths, right, strict=True)]
    return "| " + " | ".join(padded) + " |"
