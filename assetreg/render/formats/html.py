"""A document for screen and print: real tables, A4 landscape, no script, no fetched fonts."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

from assetreg.i18n import _
from assetreg.render.document import Document, Table, total_cells

# System fonts that draw Chinese on Windows, macOS and Linux; nothing is fetched.
FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", '
    '"WenQuanYi Micro Hei", "Noto Sans", "Segoe UI", Arial, SimSun, sans-serif'
)
STYLE = f"""
@page {{ size: A4 landscape; margin: 12mm 10mm; }}
html {{ font-family: {FONTS}; color: #111; background: #fff; }}
body {{ margin: 1.5em; font-size: 10.5pt; }}
h1 {{ font-size: 15pt; margin: 0 0 .3em; }}
h2 {{ font-size: 11.5pt; margin: 1.2em 0 .4em; break-after: avoid; }}
dl.facts {{ display: flex; flex-wrap: wrap; gap: .2em 1.6em; margin: 0 0 1em; font-size: 9.5pt; }}
dl.facts div {{ display: flex; gap: .4em; }}
dl.facts dt {{ color: #444; }}
dl.facts dd {{ margin: 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9pt; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
th, td {{ border: 1px solid #999; padding: .25em .4em; vertical-align: top; text-align: left; overflow-wrap: anywhere; }}
thead th {{ background: #e8ecf1; font-weight: 600; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }}
.id, .date {{ white-space: nowrap; overflow-wrap: normal; }}
tr.total td, tr.total th {{ font-weight: 700; border-top: 2px solid #333; }}
tr.marked td {{ background: #fdecea; }}
tr.marked td.mark {{ color: #a40000; font-weight: 700; }}
.unit {{ font-size: 10pt; margin: 0 0 .6em; }}
.notes {{ font-size: 9pt; color: #333; }}
.signatures {{ display: flex; gap: 3em; margin-top: 2em; font-size: 10pt; break-inside: avoid; }}
.signatures .blank {{ display: inline-block; width: 9em; border-bottom: 1px solid #111; }}
footer {{ margin-top: 1.2em; font-size: 8.5pt; color: #444; }}
@media print {{
  body {{ margin: 0; font-size: 9pt; }}
  table {{ font-size: 7.5pt; }}
  th, td {{ padding: .15em .3em; }}
  tr.marked td, thead th {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""
CLASS = {"money": "num", "area": "num", "count": "num", "ratio": "num", "id": "id", "date": "date", "mark": "mark"}
BATCH = 2000  # rows joined into one piece: one write per row costs as much as making it


def write(document: Document, **_options: Any) -> Iterator[bytes]:
    e = escape
    lang = "zh-CN" if document.lang == "zh" else "en"
    facts = "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in document.facts())
    yield (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(document.title)} · {e(document.period[1])}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<header>\n<h1>{e(document.title)}</h1>\n<dl class="facts">{facts}</dl>\n'
        f'<p class="unit">{e(document.unit_line)}</p>\n</header>\n'
    ).encode()
    for table in document.tables:
        yield from _table(table, document.unit)
    notes = "".join(f"<p>{e(note)}</p>\n" for note in document.notes)
    if notes:
        yield f'<section class="notes">\n{notes}</section>\n'.encode()
    roles = "".join(f'<span>{e(role)}{e(_(": "))}<span class="blank"></span></span>' for role in document.form_roles)
    yield f'<p class="signatures">{roles}</p>\n'.encode()
    yield (
        f"<footer>{e(document.registry)} · {e(document.made_text)} · {e(document.head_text)}</footer>\n</body>\n</html>\n"
    ).encode()


def _table(table: Table, unit: str) -> Iterator[bytes]:
    classes = [CLASS.get(c.kind, "") for c in table.columns]
    attrs = [f' class="{c}"' if c else "" for c in classes]
    head = "".join(f'<th scope="col"{a}>{escape(c.heading)}</th>' for c, a in zip(table.columns, attrs, strict=True))
    parts = [f"<section>\n<h2>{escape(table.title)}</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"]
    for row, is_total in table.all_rows():
        cells = total_cells(table, row, unit, is_total)
        kind = ' class="total"' if is_total else ' class="marked"' if table.marked(row) else ""
        parts.append(f"<tr{kind}>" + "".join(f"<td{a}>{escape(v)}</td>" for v, a in zip(cells, attrs, strict=True)) + "</tr>\n")
        if len(parts) >= BATCH:
            yield "".join(parts).encode()
            parts.clear()
    parts.append("</tbody>\n</table>\n</section>\n")
    yield "".join(parts).encode()
