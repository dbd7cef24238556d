"""Parsing at the edge: text from the terminal or a CSV cell into typed values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from assetreg.core.choices import CHINESE
from assetreg.core.errors import InvalidValue
from assetreg.i18n import N_

_MONEY = re.compile(r"^[0-9]{1,15}(\.[0-9]{1,2})?$")
_DECIMAL = re.compile(r"^[0-9]{1,15}(\.[0-9]{1,4})?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
CENT = Decimal("0.01")
# Control and format characters (zero-width and bidi marks, U+061C, U+FFF9-FFFB, tag characters),
# line and paragraph separators, and lone surrogates: invisible, or making text read differently
# from what is stored. Refused in text; shown as <U+XXXX> if they arrive otherwise.
INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))


def money(text: str | Decimal, field: str) -> Decimal:
    """A non-negative amount in yuan with at most two decimals, thousands commas allowed."""
    raw = str(text).strip()
    cleaned = raw.replace(",", "").replace("，", "")
    if not _MONEY.match(cleaned):
        raise InvalidValue(field, raw, N_("not an amount of money (digits with at most two decimals, e.g. 1250000.50)"))
    return Decimal(cleaned).quantize(CENT)


def decimal_number(text: str | Decimal, field: str) -> Decimal:
    """A non-negative measure such as an area in m²."""
    raw = str(text).strip()
    cleaned = raw.replace(",", "")
    if not _DECIMAL.match(cleaned):
        raise InvalidValue(field, raw, N_("not a non-negative number (at most four decimals)"))
    return Decimal(cleaned)


def whole_number(text: str | int, field: str) -> int:
    raw = str(text).strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise InvalidValue(field, raw, N_("not a whole number of zero or more"))
    return int(raw)


def iso_date(text: str | date, field: str) -> date:
    if isinstance(text, date):
        return text
    raw = str(text).strip()
    if not _DATE.match(raw):
        raise InvalidValue(field, raw, N_("not a date in the form YYYY-MM-DD"))
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidValue(field, raw, N_("no such day in the calendar")) from None


def choice(text: str, allowed: Iterable[str], field: str) -> str:
    """An English value, or its Chinese name from PRODUCT.md; `allowed` decides ambiguous names."""
    allowed = tuple(allowed)
    raw = str(text).strip()
    value = raw.lower()
    if value in allowed:
        return value
    for candidate in CHINESE.get(raw, ()):
        if candidate in allowed:
            return candidate
    raise InvalidValue(field, raw, N_("not one of: {choices}"), choices=", ".join(allowed))


def record_id(text: str, field: str) -> str:
    raw = str(text).strip()
    if not _ID.match(raw):
        raise InvalidValue(field, raw, N_("not a valid id (letters, digits, '-', '_', '.'; at most 40)"))
    return raw


def text(value: str, field: str, *, required: bool = False, multiline: bool = False, limit: int = 2000) -> str:
    """Free text: any Unicode, but no control characters or bidi overrides (they forge output)."""
    cleaned = str(value).strip()
    if required and not cleaned:
        raise InvalidValue(field, value, N_("must not be empty"))
    if len(cleaned) > limit:
        raise InvalidValue(field, cleaned[:20] + "…", N_("longer than {limit} characters"), limit=limit)
    for ch in "" if cleaned.isprintable() else cleaned:  # every invisible character is unprintable
        if multiline and ch == "\n":
            continue
        if unicodedata.category(ch) in INVISIBLE:
            raise InvalidValue(field, cleaned, N_("contains an invisible or control character {char}"), char=f"U+{ord(ch):04X}")
    return cleaned
