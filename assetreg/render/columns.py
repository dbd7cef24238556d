"""Column widths from content, and text wrapped at word boundaries, for printed documents (pdf, and html).

A word here is what must never be split while the page has room: a run of characters without a space
(a figure, a date, an id, an English word), or one Chinese character with the closing punctuation
after it (Chinese may break between characters, but a line never starts with ，。）). Widths are
measured by a function the format passes in (points of a font in pdf, character cells elsewhere), so
this module knows nothing of fonts.

Widths, in order of preference (`share`):
1. every column as wide as its widest cell on one line, when all of them fit the room;
2. else every column at least its widest word, a heading's words (a Chinese heading whole) included,
   and the room left shared by the columns that want more, the least wanting made whole first;
3. else the same with Chinese headings free to break between characters;
4. else nothing fits even so: the caller makes the type smaller by the returned scale.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# East Asian Wide and Fullwidth characters: each may stand on a line of its own
_WIDE = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0002fffd\U00030000-\U0003fffd"
)
# Punctuation a line must not start with: kept with the character before it
_CLOSE = "，。、；：！？）》」』】〕〉”’％,.;:!?)\\]}%"
# Punctuation a line must not end with: kept with the character after it
_OPEN = "（《「『【〔〈“‘"
TOKEN = re.compile(f"[{_OPEN}]*(?:[{_WIDE}]|[^\\s{_WIDE}]+)[{_CLOSE}]*|\\s+")
_HAS_WIDE = re.compile(f"[{_WIDE}]")
SAMPLE = 25  # the longest cells and words of a column, by characters, are measured exactly

Measure = Callable[[str], float]


def tokens(text: str) -> list[str]:
    """The words and spaces of a text, in order; joined they give the text back."""
    return TOKEN.findall(text)


def words(text: str) -> list[str]:
    """The unbreakable pieces of a text (spaces left out)."""
    return [t for t in TOKEN.findall(text) if not t.isspace()]


def wrap(text: str, room: float, measure: Measure) -> list[str]:
    """Text as lines no wider than `room`: broken at spaces and between Chinese characters; a word wider
    than the room on its own (a 300-character name without a space) is broken between characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_line(paragraph, room, measure)
    return lines


def wrap_items(items: list[str], separator: str, room: float, measure: Measure) -> list[str]:
    """Items (a document's facts: "Log head: log 32:8941…") joined on lines no wider than `room`, broken
    between items; an item wider than the room on its own is wrapped at its words."""
    lines: list[str] = []
    line = ""
    for item in items:
        joined = f"{line}{separator}{item}" if line else item
        if measure(joined) <= room + 0.01:
            line = joined
            continue
        if line:
            lines.append(line)
        *whole, line = wrap(item, room, measure)
        lines += whole
    return [*lines, line]


def _wrap_line(text: str, room: float, measure: Measure) -> list[str]:
    if measure(text) <= room + 0.01:
        return [text]
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for token in TOKEN.findall(text):
        if token.isspace():
            if line:
                line.append(token)
                used += measure(token)
            continue
        size = measure(token)
        if line and used + size > room + 0.01:
            lines.append("".join(line).rstrip())
            line, used = [], 0.0
        if size > room + 0.01:  # a word wider than the column: its characters, as many as fit a line
            for char in token:
                step = measure(char)
                if line and used + step > room + 0.01:
                    lines.append("".join(line).rstrip())
                    line, used = [], 0.0
                line.append(char)
                used += step
            continue
        line.append(token)
        used += size
    if line or not lines:
        lines.append("".join(line).rstrip())
    return lines


@dataclass
class Need:
    """What one column asks for, in the measure's units."""

    natural: float  # the widest cell (and heading) on one line
    word: float  # the widest word of any cell, and the heading's pieces between spaces whole
    least: float  # the widest word, a Chinese heading breaking between characters

    def padded(self, pad: float) -> Need:
        return Need(self.natural + pad, self.word + pad, self.least + pad)


def need(heading: str, cells: Iterable[str], measure: Measure, whole: bool) -> Need:
    """A column's need from its heading and cells. `whole`: figures, dates and ids are one word each, never
    broken. One pass over the cells, measuring only the longest few by characters (a province's register
    is 10^5 rows: measuring every cell and word would cost more than drawing them)."""
    longest: list[str] = []  # the longest cells
    long_words: list[str] = []  # the longest words
    if whole:
        longest = heapq.nlargest(SAMPLE, cells, key=len)
        long_words = longest
    else:
        texts = list(cells) if not isinstance(cells, list) else cells
        longest = heapq.nlargest(SAMPLE, texts, key=len)
        # a cell without a space or a Chinese character is one word; others are split (a regex per cell)
        pieces = (w for t in texts for w in ((t,) if t.isascii() and " " not in t else words(t)))
        long_words = heapq.nlargest(SAMPLE, pieces, key=len)
        # Chinese characters are about twice a Latin letter: the widest short Chinese words too
        long_words += heapq.nlargest(SAMPLE, (w for t in longest for w in words(t)), key=measure)
    natural = max([measure(t) for t in longest] + [measure(heading)])
    cell_word = max([measure(w) for w in long_words] or [0.0])
    heading_whole = max((measure(p) for p in heading.split()), default=0.0)
    heading_word = max((measure(w) for w in words(heading)), default=0.0)
    return Need(natural, max(cell_word, heading_whole), max(cell_word, heading_word))


def share(needs: list[Need], room: float) -> tuple[list[float], float]:
    """Each column's width and the scale the type must take (1.0 when it fits); see the module's note."""
    if sum(n.natural for n in needs) <= room:
        return [n.natural for n in needs], 1.0
    for floor in ([n.word for n in needs], [n.least for n in needs]):
        if sum(floor) <= room:
            return _fill(floor, [n.natural for n in needs], room - sum(floor)), 1.0
    least = [n.least for n in needs]
    scale = room / sum(least)
    return [w * scale for w in least], scale


def _fill(floor: list[float], natural: list[float], spare: float) -> list[float]:
    """The spare room shared as water fills vessels: the columns that lack least are made whole first
    (a kind "land dispute", a status 诉讼中 stays on one line), and the long texts (a list of assets, a
    counterparty of 200 characters) share equally what remains."""
    widths = list(floor)
    wanting = sorted(range(len(floor)), key=lambda i: natural[i] - floor[i])
    for n, i in enumerate(wanting):
        give = min(max(0.0, natural[i] - floor[i]), spare / (len(wanting) - n))
        widths[i] += give
        spare -= give
    return widths


def has_wide(text: str) -> bool:
    return bool(_HAS_WIDE.search(text))
