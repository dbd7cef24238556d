"""Turning values into the text a person reads: numbers, dates, labels, and safe user text."""

from __future__ import annotations

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


def widths_of(texts: Sequence[str]) -> list[int]:
    """`width` of each text, measured in one pass over them all (a column of 10^5 cells)."""
    joined = "\0".join(texts)
    if not texts or joined.count("\0") != len(texts) - 1:  # a text holding NUL itself: one by one
        return [width(text) for text in texts]
    return [len(part) for part in _WIDE.sub("WW", joined).split("\0")]  # a wide character counts twice


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
