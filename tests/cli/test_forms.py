"""Dates and money as people type them, through the commands: each accepted form lands as the exact cent and
day; each refused one is one line, exit 1, and the registry byte for byte as it was."""

import pytest

from tests.conftest import Cli

LEASE = ["lease", "add", "--asset", "A0002", "--tenant", "某公司", "--start", "2004-01-01", "--end", "2005-12-31"]


@pytest.fixture
def reg(liushi: Cli) -> Cli:
    liushi.ok(*LEASE, "--rent", "1000", "--period", "monthly")
    return liushi


def paid(reg: Cli) -> list[dict[str, str]]:
    return [{k: p[k] for k in ("date", "amount")} for p in reg.json("lease", "show", "L0001")["payments"]]


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        ("8000.50", "8000.50"),
        ("8,000.50", "8000.50"),
        ("1,250,000.50", "1250000.50"),
        ("８０００", "8000.00"),
        ("¥3000", "3000.00"),
        ("￥3000", "3000.00"),
        ("8000元", "8000.00"),
        ("12万", "120000.00"),  # 12 × 10000
        ("12.5万元", "125000.00"),  # 12.5 × 10000
        ("0.85万", "8500.00"),  # 0.85 × 10000
    ],
)
def test_every_money_form_is_the_exact_cent(reg: Cli, amount: str, cents: str) -> None:
    reg.ok("lease", "pay", "L0001", "--date", "2004-01-05", "--amount", amount)
    assert paid(reg) == [{"date": "2004-01-05", "amount": cents}]


@pytest.mark.parametrize(
    ("day", "iso"),
    [
        ("2005-03-15", "2005-03-15"),
        ("2005-3-15", "2005-03-15"),
        ("2005/3/15", "2005-03-15"),
        ("2005.3.15", "2005-03-15"),
        ("20050315", "2005-03-15"),
        ("2005年3月15日", "2005-03-15"),
        ("２００５－３－１５", "2005-03-15"),
        ("2004/2/29", "2004-02-29"),
    ],
)
def test_every_date_form_is_the_same_day(reg: Cli, day: str, iso: str) -> None:
    reg.ok("lease", "pay", "L0001", "--date", day, "--amount", "1000")
    assert paid(reg) == [{"date": iso, "amount": "1000.00"}]


def test_forms_in_an_asset_add(reg: Cli) -> None:
    asset = reg.json(
        "asset", "add", "--name", "新仓库", "--owner", "m001", "--category", "厂房", "--acquired", "1998年7月1日",
        "--value", "38.5万元", "--area", "１，２００．５",
    )  # fmt: skip
    assert (asset["owner"], asset["acquired"], asset["value"], asset["area"]) == ("M001", "1998-07-01", "385000.00", "1200.5")


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("8000,50", "not an amount of money"),
        ("1,20", "not an amount of money"),
        ("1,2,3", "not an amount of money"),
        ("1e3", "not an amount of money"),
        ("12万元元", "not an amount of money"),
        ("100.123", "not an amount of money"),
        ("-500", "must not be negative"),
        ("¥-500", "must not be negative"),
        ("0.0000001万", "leaves more than two decimals"),
    ],
)
def test_refused_money_changes_nothing(reg: Cli, amount: str, says: str) -> None:
    lines = reg.refused("lease", "pay", "L0001", "--date", "2004-01-05", "--amount", amount).splitlines()
    assert len(lines) == 1 and "--amount" in lines[0] and f"'{amount}'" in lines[0] and says in lines[0], lines


@pytest.mark.parametrize(
    ("day", "says"),
    [
        ("2005-3/15", "not a date"),
        ("05-3-15", "not a date"),
        ("2005-02-29", "no such day"),
        ("1899-12-31", "outside the years 1900 to 2199"),
        ("2200-01-01", "outside the years 1900 to 2199"),
        ("2005-03-16", "later than today (2005-03-15)"),  # ASSETREG_TODAY is 2005-03-15
        ("2099-01-01", "later than today"),
    ],
)
def test_refused_dates_change_nothing(reg: Cli, day: str, says: str) -> None:
    lines = reg.refused("lease", "pay", "L0001", "--date", day, "--amount", "1000").splitlines()
    assert len(lines) == 1 and "--date" in lines[0] and f"'{day}'" in lines[0] and says in lines[0], lines


@pytest.mark.parametrize(
    "args",
    [
        ("asset", "add", "--name", "x", "--owner", "M001", "--category", "land", "--acquired", "2030-01-01", "--value", "1"),
        ("asset", "revalue", "A0001", "--date", "2005-03-16", "--value", "1"),
        ("asset", "impair", "A0001", "--date", "2005/4/1", "--value", "1", "--cause", "damage"),
        ("asset", "dispose", "A0001", "--date", "20051231", "--proceeds", "1", "--method", "sale"),
        ("incident", "act", "I0001", "--date", "2005-03-16", "--note", "x"),
        ("incident", "close", "I0001", "--date", "2005-03-16"),
        ("incident", "add", "--kind", "damage", "--asset", "A0001", "--occurred", "2005-04-01"),
        ("incident", "add", "--kind", "damage", "--asset", "A0001", "--occurred", "2005-01-01", "--reported", "2005-04-01"),
        ("lease", "end", "L0001", "--date", "2005-03-16"),
        (
            "member",
            "add",
            "--name",
            "y",
            "--district",
            "z",
            "--kind",
            "企业",
            "--restructuring",
            "preparing",
            "--restructuring-since",
            "2006-1-1",
        ),
        ("asset", "edit", "A0001", "--status", "idle", "--status-since", "2005-03-16"),
    ],
)
def test_events_may_not_be_later_than_today(reg: Cli, args: tuple[str, ...]) -> None:
    assert "later than today (2005-03-15)" in reg.refused(*args)


def test_a_lease_may_start_and_end_in_the_future(reg: Cli) -> None:
    lease = reg.json(*LEASE[:6], "--start", "2006/1/1", "--end", "2199年12月31日", "--rent", "1万", "--period", "annual")
    assert (lease["start"], lease["end"], lease["rent"]) == ("2006-01-01", "2199-12-31", "10000.00")


def test_as_of_may_be_in_the_future_and_takes_every_form(reg: Cli) -> None:
    assert reg.json("lease", "show", "L0001", "--as-of", "2005年12月31日")["arrears"] == "24000.00"  # 24 months × 1000
