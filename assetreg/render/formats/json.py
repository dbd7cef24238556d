"""The report's own JSON (always in yuan) with what the document is: registry, made, log_head."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from assetreg.render.document import Document
from assetreg.render.text import json_default


def write(document: Document, **_: Any) -> Iterator[bytes]:
    data = {**(document.json or {}), **document.meta_json()}
    yield orjson.dumps(data, default=json_default, option=orjson.OPT_INDENT_2) + b"\n"
