"""Parsing at the edge: what a person types, or a CSV cell holds, into typed values.

Every option, prompt answer and CSV cell goes through these functions, so a form
accepted in one place is accepted everywhere. Input is never "cleaned" by deleting
characters: a form is either one of those below, read exactly, or refused with a
message naming the accepted forms.

Before matching, spaces around a value are ignored and full-width characters
(U+FF01–U+FF5E, what a Chinese input method types in full-width mode: ０–９,
Ａ–Ｚ, － ． ， ／ ：) are read as their ASCII forms. Nothing else is changed.

==============  ==============================================  =====================
kind            accepted forms                                  read as
==============  ==============================================  =====================
date            ``2005-03-15``  ``2005-3-15``                   2005-03-15
                ``2005/3/15``  ``2005.3.15`` (one separator)    2005-03-15
                ``20050315``                                    2005-03-15
                ``2005年3月15日``                                2005-03-15
                (1900-01-01 … 2199-12-31; a past event's date
                may not be later than today: ``not_after``)
money           ``1250000.50``  ``1250000`` (≤ 2 decimals)      1250000.50, 1250000.00
                ``1,250,000.50`` (a comma before every 3 digits) 1250000.50
                ``¥3000``  ``￥3000``  ``3000元``               3000.00
                ``12万``  ``12.5万元`` (× 10000 exactly;         120000.00, 125000.00
                refused if that leaves > 2 decimals)
                ``-500``, ``¥-500``                             refused: negative
area            as money, without ``¥``, ``元`` or ``万``;      1200.5
                at most four decimals
whole number    ``12``                                          12
id              ``A0001``  ``a0001``  ``Ａ０００１``             A0001 (upper case)
==============  ==============================================  =====================

Refused, never read as another amount: ``8000,50``, ``1,20``, ``1,2,3``, ``1e3``,
``+5``, ``1_000``, ``.5``, ``NaN``, digits of other scripts (``١٢٣``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from assetreg.core.choices import CHINESE
from assetreg.core.errors import InvalidValue
from assetreg.i18n import N_

CENT = Decimal("0.01")
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
# Full-width forms U+FF01..U+FF5E are ASCII U+0021..U+007E shifted; U+3000 is the full-width space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DIGITS = r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+"
_NUMBER = re.compile(rf"^(?P<whole>{_DIGITS})(?:\.(?P<fraction>[0-9]+))?$")
_MONEY = re.compile(r"^(?P<yen>[¥￥])?(?P<minus>[-−])?(?P<yen2>[¥￥])?(?P<number>[0-9.,]+)(?P<unit>元|万元|万)?$")
_DATE_FORMS = (
    re.compile(r"^(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})$"),
    re.compile(r"^(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$"),
    re.compile(r"^(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日$"),
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
MAX_WHOLE_DIGITS = 15
# Control and format characters (zero-width and bidi marks, U+061C, U+FFF9-FFFB, tag characters),
# line and paragraph separators, and lone surrogates: invisible, or making text read differently
# from what is stored. Refused in text; shown as <U+XXXX> if they arrive otherwise.
INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))

MONEY_FORMS = N_(
    "not an amount of money; write digits with at most two decimals (1250000.50 or 1,250,000.50), "
    "optionally with ¥ before or 元 after, or 万/万元 after for ten thousand yuan (12.5万)"
)
AREA_FORMS = N_("not an area; write digits with at most four decimals (1200.5 or 1,200.5)")
DATE_FORMS = N_("not a date; write it as 2005-03-15, 2005-3-15, 2005/3/15, 2005.3.15, 20050315 or 2005年3月15日")


def ascii_forms(text: object) -> str:
    """Spaces around removed, full-width letters, digits and punctuation read as ASCII."""
    return str(text).translate(_FULL_WIDTH).strip()


def fold(text: object) -> str:
    """What names, title numbers, districts and searches are compared by: full-width forms read as
    ASCII, every space (full-width too) left out, case ignored (`乐国用（2005）第0315号` is
    `乐国用(2005)第0315号`, `１号` is `1号`)."""
    return "".join(str(text).translate(_FULL_WIDTH).split()).casefold()


def _number(body: str, decimals: int) -> Decimal | None:
    """Digits with thousands commas only where they belong; None for any other form."""
    match = _NUMBER.match(body)
    if not match:
        return None
    whole, fraction = match["whole"].replace(",", ""), match["fraction"] or ""
    if len(fraction) > decimals or len(whole) > MAX_WHOLE_DIGITS:
        return None
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def money(text: str | Decimal, field: str) -> Decimal:
    """A non-negative amount in yuan, exactly as typed, with two decimals. Forms: see the module."""
    raw = str(text).strip()
    form = _MONEY.match(ascii_forms(raw))
    if not form or (form["yen"] and form["yen2"]) or ((form["yen"] or form["yen2"]) and form["unit"]):
        raise InvalidValue(field, raw, MONEY_FORMS)
    wan = form["unit"] in ("万", "万元")
    amount = _number(form["number"], 40 if wan else 2)
    if amount is None:
        raise InvalidValue(field, raw, MONEY_FORMS)
    if wan:
        amount *= 10000
        if amount != amount.quantize(CENT):
            raise InvalidValue(field, raw, N_("leaves more than two decimals of a yuan"))
    if form["minus"]:
        raise InvalidValue(field, raw, N_("must not be negative"))
    if len(str(int(amount))) > MAX_WHOLE_DIGITS:
        raise InvalidValue(field, raw, MONEY_FORMS)
    return amount.quantize(CENT)


def decimal_number(text: str | Decimal, field: str) -> Decimal:
    """A non-negative measure such as an area in m²: the money digits, no currency, ≤ 4 decimals."""
    raw = str(text).strip()
    body = ascii_forms(raw)
    if body[:1] in ("-", "−") and _number(body[1:], 4) is not None:
        raise InvalidValue(field, raw, N_("must not be negative"))
    value = _number(body, 4)
    if value is None:
        raise InvalidValue(field, raw, AREA_FORMS)
    return value


def whole_number(text: str | int, field: str) -> int:
    raw = str(text).strip()
    digits = ascii_forms(raw)
    if digits[:1] in ("-", "−") and digits[1:].isascii() and digits[1:].isdigit():
        raise InvalidValue(field, raw, N_("must not be negative"))
    if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
        raise InvalidValue(field, raw, N_("not a whole number of zero or more"))
    return int(digits)


def yes_no(value: object, field: str) -> bool:
    """A flag given on the command line (a bool) or in a CSV cell: true/1/yes/是, false/0/no/否 or empty."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = ascii_forms(value).lower()
    if text in ("true", "1", "yes", "y", "是"):
        return True
    if text in ("", "false", "0", "no", "n", "否"):
        return False
    raise InvalidValue(field, str(value).strip(), N_("not one of: {choices}"), choices="true, false")


def iso_date(text: str | date, field: str, *, not_after: date | None = None) -> date:
    """A day in any form of the module's table, between 1900 and 2199; a past event's day
    (`not_after` = today) may not be later than today."""
    if isinstance(text, date):
        day = text
        raw = day.isoformat()
    else:
        raw = str(text).strip()
        form = next((m for m in (f.match(ascii_forms(raw)) for f in _DATE_FORMS) if m), None)
        if form is None:
            raise InvalidValue(field, raw, DATE_FORMS)
        try:
            day = date(int(form["y"]), int(form["m"]), int(form["d"]))
        except ValueError:
            raise InvalidValue(field, raw, N_("no such day in the calendar")) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidValue(field, raw, N_("is outside the years 1900 to 2199"))
    if not_after is not None and day > not_after:
        raise InvalidValue(field, raw, N_("is later than today ({today})"), today=not_after.isoformat())
    return day


def choice(text: str, allowed: Iterable[str], field: str) -> str:
    """An English value, or its Chinese name from PRODUCT.md; `allowed` decides ambiguous names."""
    allowed = tuple(allowed)
    raw = str(text).strip()
    value = ascii_forms(raw).lower()
    if value in allowed:
        return value
    for candidate in CHINESE.get(raw, CHINESE.get(value, ())):
        if candidate in allowed:
            return candidate
    raise InvalidValue(field, raw, N_("not one of: {choices}"), choices=", ".join(allowed))


def record_id(text: str, field: str) -> str:
    """An id as typed (any case, full-width or not) in the upper-case ASCII form it is stored in."""
    raw = str(text).strip()
    rid = ascii_forms(raw)
    if not _ID.match(rid):
        raise InvalidValue(field, raw, N_("not a valid id (letters, digits, '-', '_', '.'; at most 40)"))
    return rid.upper()


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
