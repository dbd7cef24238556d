"""Plain text: what the document is, then each table drawn at its full width, then the notes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from assetreg.render.document import Document
from assetreg.render.formats.table import grid


def write(document: Document, **_: Any) -> Iterator[bytes]:
    head = [document.title, *document.fact_lines(), ""]
    yield ("\n".join(head) + "\n").encode()
    for table in document.tables:
        lines = grid(table, document.unit).lines()
        while chunk := list(itertools.islice(lines, 1000)):
            yield ("\n".join(chunk) + "\n").encode()
        yield b"\n"
    if document.notes:
        yield ("\n".join(document.notes) + "\n").encode()
    if document.signatures:
        yield ("\n" + document.signature_line() + "\n").encode()
