"""A document for screen and print: real tables, A4 landscape, no script, no fetched fonts.

Columns take the width of their longest word: a <colgroup> gives each column a minimum width worked out
from its texts (`floor`), and cells wrap only at spaces (Chinese between characters), so one long
cell (a counterparty, a list of assets) no longer crushes its neighbours letter by letter. A printed
page carries the registry, the log head and its number in CSS paged-media margin boxes (Chromium
draws them since version 131).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html import escape
from itertools import compress
from typing import Any

from assetreg.i18n import _
from assetreg.render.document import Document, Table, total_cells
from assetreg.render.text import clean, width, widths_of

# System fonts that draw Chinese on Windows, macOS and Linux; nothing is fetched.
FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", '
    '"WenQuanYi Micro Hei", "Noto Sans", "Segoe UI", Arial, SimSun, sans-serif'
)
# A run of text without a space is kept on one line up to this many cells; a longer one (a pasted list
# of ids, a web address) may break anywhere rather than push the table past the page.
LONG_WORD = 40
# A run holding Chinese is kept on one line up to this many cells (诉讼中, 天以上, 乐国用（1985）第0501号);
# a longer one breaks between its characters, as Chinese does.
WIDE_RUN = 24
# The minimum widths of a table's columns add up to at most this many ems of its printed type (7.5 pt):
# A4 landscape less two 10 mm margins is 104 of them. Wider, they are scaled down to fit.
PAGE_EMS = 100
PAD_EMS = 0.9  # a cell's padding and borders
CH_EMS = 0.55  # a Latin letter or figure ("ch") in ems, near enough for the fonts above
STYLE = f"""
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
th, td {{ border: 1px solid #999; padding: .25em .4em; vertical-align: top; text-align: left; }}
th, td {{ overflow-wrap: normal; word-break: normal; }}
td.long {{ overflow-wrap: anywhere; }}
thead th {{ background: #e8ecf1; font-weight: 600; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.id, .date {{ white-space: nowrap; }}
tr.total td, tr.total th {{ font-weight: 700; border-top: 2px solid #333; }}
tr.marked td {{ background: #fdecea; }}
tr.marked td.mark {{ color: #a40000; font-weight: 700; }}
.unit {{ font-size: 10pt; margin: 0 0 .6em; }}
.notes {{ font-size: 9pt; color: #333; }}
.signatures {{ display: flex; gap: 3em; margin-top: 2em; font-size: 10pt; break-inside: avoid; }}
.signatures .blank {{ display: inline-block; width: 9em; border-bottom: 1px solid #111; }}
footer {{ margin-top: 1.2em; font-size: 8.5pt; color: #444; }}
@media print {{
  body {{ margin: 0; font-size: 9pt; line-height: 1.3; }}
  h1 {{ font-size: 13pt; }}
  h2 {{ font-size: 10pt; margin: .8em 0 .3em; }}
  dl.facts {{ margin-bottom: .5em; font-size: 8.5pt; }}
  .unit {{ font-size: 9pt; margin-bottom: .4em; }}
  table {{ font-size: 7.5pt; line-height: 1.25; }}
  th, td {{ padding: .1em .3em; }}
  .signatures {{ margin-top: 1em; }}
  footer {{ display: none; }}  /* every printed page carries it at its foot */
  tr.marked td, thead th {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""
MARGIN_BOX = f"font-family: {FONTS}; font-size: 7.5pt; color: #444;"
CLASS = {"money": "num", "area": "num", "count": "num", "ratio": "num", "id": "id", "date": "date", "mark": "mark"}
WHOLE = ("money", "area", "count", "ratio", "id", "date", "mark")  # never wrapped: a figure, an id or a date is one piece
BATCH = 2000  # rows joined into one piece: one write per row costs as much as making it
FOOTER_CELLS = 60  # a registry's name in the page footer is cut to this many cells (the header has it whole)


def write(document: Document, **_options: Any) -> Iterator[bytes]:
    e = escape
    lang = "zh-CN" if document.lang == "zh" else "en"
    colon = _(": ")
    facts = "".join(f"<div><dt>{e(k)}{e(colon)}</dt><dd>{e(v)}</dd></div>" for k, v in document.facts())
    yield (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(document.title)} · {e(document.period[1])}</title>\n<style>\n{page_rule(document)}{STYLE}</style>\n"
        f"</head>\n<body>\n"
        f'<header>\n<h1>{e(document.title)}</h1>\n<dl class="facts">{facts}</dl>\n'
        f'<p class="unit">{e(document.unit_line)}</p>\n</header>\n'
    ).encode()
    for table in document.tables:
        yield from _table(table, document.unit)
    notes = "".join(f"<p>{e(note)}</p>\n" for note in document.notes)
    if notes:
        yield f'<section class="notes">\n{notes}</section>\n'.encode()
    roles = "".join(f'<span>{e(role)}{e(colon)}<span class="blank"></span></span>' for role in document.form_roles)
    yield f'<p class="signatures">{roles}</p>\n'.encode()
    yield (
        f"<footer>{e(document.registry)} · {e(document.made_text)} · {e(document.head_text)}</footer>\n</body>\n</html>\n"
    ).encode()


# -- printed pages ----------------------------------------------------------------------


def page_rule(document: Document) -> str:
    """A4 landscape, with the registry and the log head bottom left and 第 1 页 共 3 页 bottom right of
    every printed page (CSS paged-media margin boxes: the browser counts the pages)."""
    who = shortened(clean(document.registry), FOOTER_CELLS)
    left = css_string(" · ".join(part for part in (who, document.head_text) if part))
    pieces = re.split(r"(\{pages?\})", _("Page {page} of {pages}"))
    right = " ".join(COUNTERS.get(piece) or css_string(piece) for piece in pieces if piece)
    return (
        "@page { size: A4 landscape; margin: 12mm 10mm 14mm;\n"
        f"  @bottom-left {{ content: {left}; {MARGIN_BOX} }}\n"
        f"  @bottom-right {{ content: {right}; {MARGIN_BOX} text-align: right; }}\n}}\n"
    )


COUNTERS = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
# Characters a CSS string shows through a hex escape: its own quote and backslash, line breaks and other
# controls, and < > & so that user text can never close the <style> element it sits in.
_CSS_ESCAPED = re.compile(r'[\\"<>&\x00-\x1f\x7f-\x9f\u2028\u2029]')


def css_string(text: str) -> str:
    """Text as a double-quoted CSS string that shows it as it is."""
    return '"' + _CSS_ESCAPED.sub(lambda m: f"\\{ord(m.group()):x} ", text) + '"'


def shortened(text: str, cells: int) -> str:
    """The text cut to at most `cells` cells, with … when anything was cut."""
    if width(text) <= cells:
        return text
    used = 1  # the … takes a cell
    for end, char in enumerate(text):
        used += width(char)
        if used > cells:
            return text[:end] + "…"
    return text


# -- column widths ----------------------------------------------------------------------


def floor(heading: str, texts: Sequence[str], whole: bool) -> tuple[int, int, bool]:
    """The narrowest a column can be without splitting a word: its widest run of text as (Latin
    characters, wide characters), and whether some run is so long that it has to break anywhere.

    A run is a piece of a cell between spaces (a heading is always split at its spaces), or the whole
    cell for figures, ids and dates, which never wrap. A run holding Chinese counts at most WIDE_RUN
    cells, any other at most LONG_WORD. Each distinct run is measured once, in one pass over them all
    (linear in the rows); only runs wider than WIDE_RUN are looked at one by one.
    """
    runs = list({*texts, *heading.split()} if whole else {*" ".join(texts).split(), *heading.split()})
    if not runs:
        return 0, 0, False
    if all(map(str.isascii, runs)):  # figures, ids, dates, English: a character is a cell
        longest = max(map(len, runs))
        return min(longest, LONG_WORD), 0, longest > LONG_WORD
    cells = widths_of(runs)
    top = max((size for size in cells if size <= WIDE_RUN), default=0)
    # of the runs that wide, the one with the most wide characters (the fewest characters): the same whatever
    # order the set gave them in, and an em is wider than two ch
    least = min(map(len, compress(runs, map(top.__eq__, cells))), default=0)
    best = (2 * least - top, top - least)  # wide characters are the cells beyond the characters
    longest = max(cells)
    wider = list(map(WIDE_RUN.__lt__, cells))
    for size, run in zip(compress(cells, wider), compress(runs, wider), strict=True):
        pair = (min(size, LONG_WORD), 0) if size == len(run) else (0, WIDE_RUN // 2)
        if pair[0] + 2 * pair[1] > best[0] + 2 * best[1]:
            best = pair
    return best[0], best[1], longest > LONG_WORD


def col_styles(floors: Sequence[tuple[int, int, bool]]) -> list[str]:
    """Each column's min-width: its widest run in ch (Latin) and em (wide characters), and its padding;
    all scaled down together when they would not fit a printed page side by side."""
    ems = sum(latin * CH_EMS + wide for latin, wide, _long in floors)
    room = PAGE_EMS - PAD_EMS * len(floors)
    scale = min(1.0, room / ems) if ems and room > 0 else 1.0
    return [f"min-width: calc({latin * scale:.3g}ch + {wide * scale:.3g}em + {PAD_EMS}em)" for latin, wide, _long in floors]


def has_long_run(text: str) -> bool:
    return any(width(run) > LONG_WORD for run in text.split())


def _row_class(table: Table, row: dict[str, Any], is_total: bool) -> str:
    return ' class="total"' if is_total else ' class="marked"' if table.marked(row) else ""


def _table(table: Table, unit: str) -> Iterator[bytes]:
    classes = [CLASS.get(c.kind, "") for c in table.columns]
    attrs = [f' class="{c}"' if c else "" for c in classes]
    long_attrs = [f' class="{c} long"' if c else ' class="long"' for c in classes]
    # every row's texts first: the column widths come before the rows
    rows = [(total_cells(table, row, unit, is_total), _row_class(table, row, is_total)) for row, is_total in table.all_rows()]
    columns = list(zip(*(cells for cells, _kind in rows), strict=True)) or [() for _ in table.columns]
    floors = [floor(c.heading, texts, c.kind in WHOLE) for c, texts in zip(table.columns, columns, strict=True)]
    # a cell holding a run longer than LONG_WORD may break anywhere; only the columns that have one are looked at
    long_rows = [
        {n for n, text in enumerate(texts) if has_long_run(text)} if is_long else set()
        for texts, (_latin, _wide, is_long) in zip(columns, floors, strict=True)
    ]
    cols = "".join(f'<col style="{style}">' for style in col_styles(floors))
    head = "".join(f'<th scope="col"{a}>{escape(c.heading)}</th>' for c, a in zip(table.columns, attrs, strict=True))
    parts = [f"<section>\n<h2>{escape(table.title)}</h2>\n<table>\n<colgroup>{cols}</colgroup>\n"]
    parts.append(f"<thead><tr>{head}</tr></thead>\n<tbody>\n")
    some_long = any(long_rows)
    for n, (cells, kind) in enumerate(rows):
        marks = [long_attrs[i] if n in long_rows[i] else attrs[i] for i in range(len(cells))] if some_long else attrs
        parts.append(f"<tr{kind}>" + "".join(f"<td{a}>{escape(v)}</td>" for v, a in zip(cells, marks, strict=True)) + "</tr>\n")
        if len(parts) >= BATCH:
            yield "".join(parts).encode()
            parts.clear()
    parts.append("</tbody>\n</table>\n</section>\n")
    yield "".join(parts).encode()
