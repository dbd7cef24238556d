import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetreg.core import parse
from assetreg.core.errors import InvalidValue


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1250000.50", "1250000.50"), ("1,250,000.5", "1250000.50"), ("0", "0.00"), (" 7 ", "7.00"), ("0.01", "0.01")],
)
def test_money_accepts(text: str, expected: str) -> None:
    assert parse.money(text, "--value") == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["-1", "NaN", "nan", "Infinity", "inf", "1e999999", "1e3", "1.234", "", "abc", "1.2.3", "١٢٣", "0x10", "+5", "1_000"]
)
def test_money_refuses(text: str) -> None:
    with pytest.raises(InvalidValue) as err:
        parse.money(text, "--value")
    assert err.value.field == "--value"


@given(st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2, allow_nan=False))
def test_money_round_trips_every_two_place_amount(amount: Decimal) -> None:
    assert parse.money(str(amount), "--value") == amount
    assert parse.money(f"{amount:,.2f}", "--value") == amount


@given(st.text())
def test_money_never_raises_anything_but_invalid_value(text: str) -> None:
    try:
        value = parse.money(text, "--value")
    except InvalidValue:
        return
    assert value >= 0 and value == value.quantize(Decimal("0.01"))


@given(st.dates())
def test_dates_round_trip(day: date) -> None:
    assert parse.iso_date(day.isoformat(), "--date") == day


@pytest.mark.parametrize("text", ["2005-02-30", "2005-13-01", "2005-1-1", "05-01-01", "2005/01/01", "yesterday", ""])
def test_impossible_dates_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse.iso_date(text, "--date")


@given(st.text())
def test_date_parse_never_raises_anything_but_invalid_value(text: str) -> None:
    with contextlib.suppress(InvalidValue):
        parse.iso_date(text, "--date")


def test_chinese_choice_names_and_ambiguity() -> None:
    assert parse.choice("厂房", ("building", "land"), "--category") == "building"
    assert parse.choice("损坏", ("in_use", "damaged"), "--status") == "damaged"
    assert parse.choice("损坏", ("encroachment", "damage"), "--kind") == "damage"
    assert parse.choice("Building", ("building",), "--category") == "building"
    with pytest.raises(InvalidValue):
        parse.choice("house", ("building", "land"), "--category")


def test_text_refuses_control_characters_and_bidi_overrides() -> None:
    for bad in ("a\x1b[31mb", "x\x9by", "evil\u202etxt", "nul\x00"):
        with pytest.raises(InvalidValue):
            parse.text(bad, "--name")
    assert parse.text("line one\nline two", "--note", multiline=True) == "line one\nline two"
    with pytest.raises(InvalidValue):
        parse.text("two\nlines", "--name")
