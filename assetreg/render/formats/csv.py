"""One table as CSV: numbers plain and exact in the unit asked, text neutralised, every row self-describing.

The report's main table by default; `section` (numbered from 1 in the order the report shows them)
picks another. The summary's small tables are long rows of section, item, column and value, so a row
means the same wherever it stands. UTF-8 with a byte order mark, so Excel shows Chinese.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from assetreg.core.errors import InvalidValue
from assetreg.core.transfer import neutralise
from assetreg.i18n import N_, _
from assetreg.render.document import NUMERIC, Col, Document, Table, exact

BATCH = 2000


def pick(document: Document, section: int | None) -> list[Table]:
    """The tables one CSV holds: the chosen section, else the main one (the summary: all of them)."""
    if section is not None:
        if not 1 <= section <= len(document.tables):
            raise InvalidValue(
                "--section", str(section), N_("is not a section of this report (1 to {count})"), count=len(document.tables)
            )
        return [document.tables[section - 1]]
    return document.tables if document.name == "summary" else document.tables[:1]


def plain(col: Col, value: Any, unit: str) -> str:
    found = exact(col, value, unit)
    if found is None:
        return ""
    if col.kind in NUMERIC:
        return f"{found:f}" if isinstance(found, Decimal) else str(found)
    return neutralise(str(found))


def write(document: Document, *, section: int | None = None, **_options: Any) -> Iterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    unit = document.unit
    tables = pick(document, section)
    long = document.name == "summary"

    def flush() -> bytes:
        data = out.getvalue().encode("utf-8")
        out.seek(0)
        out.truncate()
        return data

    out.write("\ufeff")
    if long:
        writer.writerow([_("Section"), _("Item"), _("Column"), _("Figure")])
    for table in tables:
        if not long:
            writer.writerow([neutralise(c.heading) for c in table.columns])
        for number, (row, is_total) in enumerate(table.all_rows(), 1):
            values = [plain(c, row.get(c.key), unit) for c in table.columns]
            if is_total:
                values[0] = _("Total")
            if long:
                item = _item(table, values, is_total, number)
                for col, value in zip(table.columns, values, strict=True):
                    if value != item or col is not table.columns[0]:
                        writer.writerow([neutralise(table.title), neutralise(item), neutralise(col.heading), value])
            else:
                writer.writerow(values)
            if number % BATCH == 0:
                yield flush()
    yield flush()


def _item(table: Table, values: list[str], is_total: bool, number: int) -> str:
    """What a long row is about: the row's own label (a category, a status), else the total."""
    first = table.columns[0]
    if is_total or first.kind in NUMERIC:
        return _("Total") if is_total or len(table.rows) == 1 else str(number)
    return values[0]
