"""Turning values into the text a person reads: numbers, dates, labels, and safe user text."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assetreg.core.choices import LABELS
from assetreg.core.parse import INVISIBLE
from assetreg.i18n import _, language

WAN = Decimal(10000)
# East Asian Wide (W) and Fullwidth (F) ranges, as terminals and Rich draw them.
_WIDE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u2329\u232a\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60"
    "\uffe0-\uffe6\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0002fffd\U00030000-\U0003fffd]"
)


def clean(value: object) -> str:
    """User text made inert: control and format characters (escapes, zero-width and bidi marks, tag
    characters, line and paragraph separators) and lone surrogates shown as code points."""
    text = "" if value is None else str(value)
    if text.isprintable():  # the common case, checked in C: nothing to escape
        return text
    return "".join(_shown(ch) for ch in text)


def cleaned(values: list[Any]) -> list[str]:
    """`clean` of each value; a column of text all printable (the common case) is checked in one C call."""
    try:
        if "".join(values).isprintable():
            return values
    except TypeError:  # a value that is not text (None): each made text by `clean`
        pass
    return [clean(value) for value in values]


def one_line(value: object) -> str:
    """User text made inert for a one-line message: `clean`, and line breaks shown as code points too."""
    return clean(value).replace("\n", "<U+000A>")


def _shown(ch: str) -> str:
    if ch == "\n" or ch.isprintable():
        return ch
    if ch == "\t":
        return " "
    return f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in INVISIBLE else ch  # e.g. U+3000, a space


def money(value: Decimal | str | None, unit: str = "yuan") -> str:
    """Thousands separators, two decimals, half-up; 万元 divides by 10,000 first."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if unit == "wan":
        amount = amount / WAN
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def number(value: Decimal | str | int | None) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    return f"{amount.normalize():,f}" if amount == amount.to_integral() else f"{amount:,f}"


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f} %"


def day(value: date | str | None) -> str:
    if not value:
        return ""
    iso = value.isoformat() if isinstance(value, date) else str(value)
    return iso


def label(value: str | None) -> str:
    """A stored value (status, category, kind…) in the reader's language."""
    if not value:
        return ""
    return _(LABELS.get(value, value))


def unit_label(unit: str) -> str:
    return _("10k yuan") if unit == "wan" else _("yuan")


def is_chinese() -> bool:
    return language() == "zh"


def width(text: str) -> int:
    """Terminal cells the text takes: East Asian wide and full-width characters take two."""
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


# A piece of text that folding keeps whole: a wide character with the punctuation around it (a line
# never starts with "，" or "）" nor ends with "（"), or a run of other characters without a space (a
# word, a figure, an id).
_OPENING = "(\\[（《「『“‘"
_CLOSING = ",.;:!?)\\]，。、；：！？）》」』”’"
_CLOSING_MARKS = frozenset(",.;:!?)]，。、；：！？）》」』”’")
_PIECE = re.compile(rf"\s*[{_OPENING}]*(?:{_WIDE.pattern}[{_CLOSING}]*|[^\s{_WIDE.pattern[1:-1]}]+[{_CLOSING}]*)")
# A document number (文号) such as 乐二轻联〔2005〕3号 is one piece: the brackets 〔〕【】 are wide
# characters that belong to the number, with the issuer's short name before them (up to four
# characters: in running text nothing tells where a longer one starts) and the serial number after.
_BRACKETS = "〔【"
_DOC_NUMBER = re.compile(r"[^\s〔〕【】（）()，。、；：]{0,4}[〔【][^\s〔〕【】]{1,10}[〕】][0-9０-９]*号?")
_PIECE_OR_NUMBER = re.compile(
    rf"\s*[{_OPENING}]*(?:{_DOC_NUMBER.pattern}[{_CLOSING}]*|{_WIDE.pattern}[{_CLOSING}]*|[^\s{_WIDE.pattern[1:-1]}]+[{_CLOSING}]*)"
)


def _pieces(text: str) -> re.Pattern[str]:
    return _PIECE_OR_NUMBER if any(map(text.__contains__, _BRACKETS)) else _PIECE  # no generator: 10^5 folds


def longest_piece(texts: Sequence[str], cap: int) -> int:
    """The widest run without a space or a wide character in any of the texts (or a document number), at
    most `cap` cells: the narrowest a column folding them at spaces and between Chinese characters can be
    without cutting a word."""
    joined = "\n".join(texts)
    numbers = [width(n) for n in _DOC_NUMBER.findall(joined)] if any(b in joined for b in _BRACKETS) else []
    if not joined.isascii():
        joined = _WIDE.sub(" ", joined)
    return min(cap, max([*map(len, joined.split()), *numbers], default=0))


def fold(text: str, size: int) -> list[str]:
    """The text in lines of at most `size` cells, broken at spaces and between Chinese characters (never
    inside a document number); only a word wider than the whole line is cut, by character."""
    if width(text) <= size or size < 2:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    measure = len if text.isascii() else width  # 10^5 messages folded: no Python call a piece for English
    for piece in _pieces(text).findall(text):
        cells = measure(piece)
        if used + cells <= size:
            line, used = line + piece, used + cells
            continue
        if line:
            lines.append(line)
        piece = piece.lstrip()
        cells = measure(piece)
        while cells > size:
            head = _cut(piece, size)
            if "/" in head[1:-1]:  # a list such as building/land/other breaks after a slash, not inside a word
                head = head[: head.rindex("/", 1) + 1]
            while len(head) > 1 and piece[len(head)] in _CLOSING_MARKS:  # "）。" never starts a line
                head = head[:-1]
            lines.append(head)
            piece = piece[len(head) :]
            cells = measure(piece)
        line, used = piece, cells
    if line:
        lines.append(line)
    return lines or [""]


def _cut(text: str, size: int) -> str:
    """The longest start of the text that fits in `size` cells (at least one character)."""
    used = 0
    for end, char in enumerate(text):
        used += width(char)
        if used > size:
            return text[: max(end, 1)]
    return text


_NARROW = re.compile(f"[^\0{_WIDE.pattern[1:-1]}]+")  # a run of characters of one cell, not the NUL between texts


def widths_of(texts: Sequence[str]) -> list[int]:
    """`width` of each text, measured in one pass over them all (a column of 10^5 cells)."""
    joined = "\0".join(texts)
    if not texts or joined.count("\0") != len(texts) - 1:  # a text holding NUL itself: one by one
        return [width(text) for text in texts]
    wide = _NARROW.sub("", joined).split("\0")  # each text's wide characters only: runs removed, not each character
    return list(map(operator.add, map(len, texts), map(len, wide)))  # a wide character counts twice


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
