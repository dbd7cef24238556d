"""The one parser of what people type: every form of PRODUCT.md's "Dates and money as people type them".

Expected values are worked out by hand in the comments; property tests cover each form.
"""

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetreg.core import parse
from assetreg.core.errors import InvalidValue

FULL = str.maketrans("0123456789-./,:", "０１２３４５６７８９－．／，：")
AMOUNTS = st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2, allow_nan=False)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


def reason(text: str, call=parse.money) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValue) as err:
        call(text, "--value")
    assert err.value.field == "--value" and err.value.value == text.strip()
    return err.value.reason


# -- money: examples ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250000.50", "1250000.50"),
        ("1250000", "1250000.00"),
        ("1,250,000.50", "1250000.50"),
        ("1,250,000.5", "1250000.50"),
        ("12,345", "12345.00"),
        ("0", "0.00"),
        (" 7 ", "7.00"),
        ("0.01", "0.01"),
        ("８０００", "8000.00"),  # full-width digits
        ("１，２５０，０００．５０", "1250000.50"),  # full-width comma and point
        ("¥3000", "3000.00"),
        ("￥3000", "3000.00"),
        ("8000元", "8000.00"),
        ("1,250,000.50元", "1250000.50"),
        ("12万", "120000.00"),  # 12 × 10000
        ("12.5万元", "125000.00"),  # 12.5 × 10000
        ("0.0001万", "1.00"),  # 0.0001 × 10000
        ("3.141592万", "31415.92"),  # six decimals × 10000 leaves two
        ("1,200万", "12000000.00"),  # 1200 × 10000
        ("１２万", "120000.00"),
    ],
)
def test_money_accepts_every_form_of_the_contract(text: str, expected: str) -> None:
    amount = parse.money(text, "--value")
    assert amount == Decimal(expected) and str(amount) == expected


@pytest.mark.parametrize(
    "text",
    [
        "8000,50",  # a decimal comma: never 800050
        "1,20",  # never 120
        "1,2,3",  # never 123
        "12,34.5",
        "1,2345",
        ",100",
        "100,",
        "1,000,00",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "1e999999",
        "1e3",
        "1.234",
        "10.001",
        "",
        "abc",
        "12x",
        "1.2.3",
        "١٢٣",  # Arabic-Indic digits are digits, but not ours
        "0x10",
        "+5",
        "1_000",
        ".5",
        "5.",
        "1 000",
        "¥¥5",
        "¥5元",
        "¥12万",
        "5元元",
        "5万万",
        "5 万",
        "万",
        "¥",
        "5 yuan",
        "$5",
    ],
)
def test_money_refuses_every_other_form_naming_the_accepted_ones(text: str) -> None:
    assert "1,250,000.50" in reason(text) and "万" in reason(text)


@pytest.mark.parametrize("text", ["-500", "-0.01", "¥-500", "-¥500", "－500", "−500", "-12万", "-1,000"])
def test_a_minus_sign_is_refused_as_negative(text: str) -> None:
    assert reason(text) == "must not be negative"


@pytest.mark.parametrize("text", ["0.0000001万", "1.2345678万元"])
def test_wan_that_leaves_more_than_two_decimals_is_refused(text: str) -> None:
    # 0.0000001 × 10000 = 0.001 and 1.2345678 × 10000 = 12345.678: three decimals of a yuan
    assert reason(text) == "leaves more than two decimals of a yuan"


# -- money: one property per form ----------------------------------------------------------------------


@given(AMOUNTS)
def test_plain_and_grouped_amounts_round_trip(amount: Decimal) -> None:
    assert parse.money(str(amount), "--value") == amount
    assert parse.money(f"{amount:,.2f}", "--value") == amount


@given(AMOUNTS, st.sampled_from(["¥{}", "￥{}", "{}元"]))
def test_currency_signs_change_nothing(amount: Decimal, form: str) -> None:
    assert parse.money(form.format(f"{amount:,.2f}"), "--value") == amount


@given(AMOUNTS)
def test_full_width_amounts_read_as_ascii(amount: Decimal) -> None:
    assert parse.money(f"{amount:,.2f}".translate(FULL), "--value") == amount


@given(st.decimals(min_value=0, max_value=Decimal("99999999999"), places=6, allow_nan=False), st.sampled_from(["万", "万元"]))
def test_wan_is_ten_thousand_exactly(amount: Decimal, unit: str) -> None:
    assert parse.money(f"{amount:f}{unit}", "--value") == amount * 10000


@given(st.integers(min_value=1, max_value=10**12), st.integers(min_value=1, max_value=11))
def test_a_comma_out_of_place_is_refused(number: int, position: int) -> None:
    digits = str(number)
    cut = len(digits) - position
    if cut <= 0 or position % 3 == 0:  # a comma before a group of three digits belongs there
        return
    assert "1,250,000.50" in reason(digits[:cut] + "," + digits[cut:])


@given(AMOUNTS)
def test_every_negative_amount_is_refused_as_negative(amount: Decimal) -> None:
    assert reason(f"-{amount}") == "must not be negative"


@given(st.text())
def test_money_never_raises_anything_but_invalid_value(text: str) -> None:
    try:
        value = parse.money(text, "--value")
    except InvalidValue:
        return
    assert value >= 0 and value == value.quantize(Decimal("0.01"))


# -- areas ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"), [("1200", "1200"), ("1,200.5", "1200.5"), ("１２００．２５", "1200.25"), ("0.0001", "0.0001")]
)
def test_areas(text: str, expected: str) -> None:
    assert str(parse.decimal_number(text, "--area")) == expected


@pytest.mark.parametrize("text", ["12万", "¥1200", "1200元", "1,20", "1200.00001", "1200m²", "abc", ""])
def test_areas_take_no_currency_or_wan(text: str) -> None:
    assert "1,200.5" in reason(text, parse.decimal_number)


def test_a_negative_area_is_negative() -> None:
    assert reason("-5", parse.decimal_number) == "must not be negative"


@given(st.decimals(min_value=0, max_value=Decimal("99999999999"), places=4, allow_nan=False))
def test_areas_round_trip(area: Decimal) -> None:
    assert parse.decimal_number(f"{area:,f}", "--area") == area
    assert parse.decimal_number(f"{area:f}".translate(FULL), "--area") == area


# -- dates -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2005-03-15",
        "2005-3-15",
        "2005/3/15",
        "2005/03/15",
        "2005.3.15",
        "20050315",
        "2005年3月15日",
        "2005年03月15日",
        "２００５－０３－１５",
        "２００５年３月１５日",
        "２００５．３．１５",
        " 2005/3/15 ",
    ],
)
def test_every_date_form_is_the_same_day(text: str) -> None:
    assert parse.iso_date(text, "--date") == date(2005, 3, 15)


@pytest.mark.parametrize(
    "text",
    [
        "2005-3/15",
        "05-03-15",
        "2005315",
        "2005-03-15T00:00",
        "15/3/2005",
        "2005年3月15",
        "yesterday",
        "",
        "2005 03 15",
        "٢٠٠٥-٠٣-١٥",
    ],
)
def test_other_date_forms_are_refused_naming_the_accepted_ones(text: str) -> None:
    assert "2005年3月15日" in reason(text, parse.iso_date) and "20050315" in reason(text, parse.iso_date)


@pytest.mark.parametrize("text", ["2005-02-30", "2005-13-01", "2005/2/29", "20050231", "2005年4月31日"])
def test_impossible_days_are_refused(text: str) -> None:
    assert reason(text, parse.iso_date) == "no such day in the calendar"


@pytest.mark.parametrize("text", ["1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31"])
def test_days_outside_1900_to_2199_are_refused(text: str) -> None:
    assert reason(text, parse.iso_date) == "is outside the years 1900 to 2199"


def test_a_past_event_may_not_be_later_than_today() -> None:
    today = date(2005, 3, 15)
    assert parse.iso_date("2005-03-15", "--date", not_after=today) == today
    with pytest.raises(InvalidValue) as err:
        parse.iso_date("2005/3/16", "--date", not_after=today)
    assert err.value.reason == "is later than today ({today})" and err.value.params == {"today": "2005-03-15"}
    assert parse.iso_date("2199-12-31", "--end") == date(2199, 12, 31)  # a lease's end may be in the future


@given(DAYS)
def test_every_form_of_every_day(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    forms = [day.isoformat(), f"{y}-{m}-{d}", f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}{m:02}{d:02}", f"{y}年{m}月{d}日"]
    for text in forms + [f.translate(FULL) for f in forms]:
        assert parse.iso_date(text, "--date") == day, text


@given(st.text())
def test_date_parse_never_raises_anything_but_invalid_value(text: str) -> None:
    with contextlib.suppress(InvalidValue):
        parse.iso_date(text, "--date")


# -- ids, choices, text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"), [("m001", "M001"), (" A0001 ", "A0001"), ("Ａ０００１", "A0001"), ("x－1．2", "X-1.2")]
)
def test_ids_ignore_case_full_width_and_spaces(text: str, expected: str) -> None:
    assert parse.record_id(text, "--owner") == expected


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}", fullmatch=True))
def test_ids_read_upper_case(text: str) -> None:
    assert parse.record_id(text.lower(), "--asset") == parse.record_id(text.translate(FULL), "--asset") == text.upper()


def test_whole_numbers() -> None:
    assert parse.whole_number("１２", "--employees") == 12
    assert reason("-3", parse.whole_number) == "must not be negative"
    assert reason("3.5", parse.whole_number) == "not a whole number of zero or more"


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
