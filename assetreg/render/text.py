"""Turning values into the text a person reads: numbers, dates, labels, and safe user text."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rich.cells import cell_len

from assetreg.core.choices import LABELS
from assetreg.i18n import _, language

_UNSAFE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
WAN = Decimal(10000)


def clean(value: object) -> str:
    """User text made inert: control characters, escapes and bidi overrides shown as code points."""
    text = "" if value is None else str(value)
    return _UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text).replace("\t", " ")


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
    """Terminal cells the text takes (Chinese characters take two), measured as Rich measures."""
    return len(text) if text.isascii() else cell_len(text)


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
