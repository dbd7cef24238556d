"""Every bad value: one line on stderr naming the field and the value, exit 1, registry byte-for-byte unchanged."""

import pytest

from tests.conftest import Cli

ASSET = ["asset", "add", "--name", "厂房", "--owner", "M001", "--category", "building", "--acquired", "2000-01-01"]


@pytest.fixture
def reg(liushi: Cli) -> Cli:
    liushi.ok(
        "lease",
        "add",
        "--asset",
        "A0002",
        "--tenant",
        "某公司",
        "--start",
        "2004-01-01",
        "--end",
        "2004-12-31",
        "--rent",
        "1000",
        "--period",
        "monthly",
    )
    return liushi


def one_line(stderr: str, *needles: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.mark.parametrize("money", ["12,34.5x", "abc", "-5", "NaN", "Infinity", "1e999999", "10.001", ""])
def test_bad_money(reg: Cli, money: str) -> None:
    one_line(reg.refused(*ASSET, "--value", money), "--value")


def test_malformed_money_names_field_and_value(reg: Cli) -> None:
    one_line(reg.refused(*ASSET, "--value", "12x"), "--value", "'12x'")


def test_negative_money(reg: Cli) -> None:
    one_line(reg.refused("lease", "pay", "L0001", "--date", "2004-02-01", "--amount", "-100"), "--amount", "'-100'")


def test_nan_money(reg: Cli) -> None:
    one_line(reg.refused("asset", "revalue", "A0001", "--date", "2004-01-01", "--value", "NaN"), "--value", "'NaN'")


def test_infinite_money(reg: Cli) -> None:
    one_line(reg.refused(*ASSET, "--value", "Infinity"), "--value", "'Infinity'")


def test_huge_exponent_money(reg: Cli) -> None:
    one_line(reg.refused(*ASSET, "--value", "1e999999"), "--value", "'1e999999'")


def test_three_decimals(reg: Cli) -> None:
    one_line(reg.refused(*ASSET, "--value", "100.123"), "--value", "'100.123'")


@pytest.mark.parametrize("day", ["2005-02-30", "2005-13-01", "2005-01/01", "tomorrow"])
def test_impossible_dates(reg: Cli, day: str) -> None:
    one_line(reg.refused("incident", "act", "I0001", "--date", day, "--note", "x"), "--date", f"'{day}'")


def test_unknown_choice(reg: Cli) -> None:
    one_line(
        reg.refused(*ASSET[:6], "--category", "palace", ASSET[8], ASSET[9], "--value", "1"), "--category", "'palace'", "building"
    )


def test_unknown_owner(reg: Cli) -> None:
    one_line(
        reg.refused(
            "asset", "add", "--name", "x", "--owner", "M999", "--category", "land", "--acquired", "2000-01-01", "--value", "1"
        ),
        "--owner",
        "'M999'",
    )


def test_unknown_asset(reg: Cli) -> None:
    one_line(reg.refused("asset", "revalue", "A9999", "--date", "2004-01-01", "--value", "1"), "asset", "'A9999'")


def test_unknown_asset_in_incident(reg: Cli) -> None:
    one_line(
        reg.refused(
            "incident", "add", "--kind", "encroachment", "--asset", "A0001", "--asset", "A9999", "--occurred", "2004-01-01"
        ),
        "--asset",
        "'A9999'",
    )


def test_unknown_lease(reg: Cli) -> None:
    one_line(reg.refused("lease", "pay", "L0404", "--date", "2004-02-01", "--amount", "100"), "lease", "'L0404'")


def test_unknown_incident(reg: Cli) -> None:
    one_line(reg.refused("incident", "act", "I0404", "--date", "2005-02-01", "--note", "x"), "incident", "'I0404'")


def test_unknown_incident_cited_by_impairment(reg: Cli) -> None:
    one_line(
        reg.refused(
            "asset", "impair", "A0001", "--date", "2005-01-01", "--value", "1", "--cause", "damage", "--incident", "I0404"
        ),
        "--incident",
        "'I0404'",
    )


def test_negative_area(reg: Cli) -> None:
    one_line(reg.refused(*ASSET, "--value", "1", "--area", "-20"), "--area", "'-20'")


def test_lease_ending_before_it_starts(reg: Cli) -> None:
    one_line(
        reg.refused(
            "lease",
            "add",
            "--asset",
            "A0003",
            "--tenant",
            "t",
            "--start",
            "2005-01-01",
            "--end",
            "2004-12-31",
            "--rent",
            "1",
            "--period",
            "annual",
        ),
        "--end",
        "'2004-12-31'",
    )


def test_payment_on_an_ended_lease(reg: Cli) -> None:
    reg.ok("lease", "end", "L0001", "--date", "2004-06-30")
    # after the end a payment is accepted up to what is owed: six dues of 1,000 (January to June), none paid
    error = reg.refused("lease", "pay", "L0001", "--date", "2004-07-15", "--amount", "6000.01")
    one_line(error, "--amount", "'6000.01'", "2004-06-30", "6,000.00")


def test_disposing_of_a_disposed_asset(reg: Cli) -> None:
    reg.ok("asset", "dispose", "A0005", "--date", "2005-01-05", "--proceeds", "1", "--method", "sale")
    one_line(
        reg.refused("asset", "dispose", "A0005", "--date", "2005-02-05", "--proceeds", "1", "--method", "sale"),
        "asset",
        "'A0005'",
        "2005-01-05",
    )


def test_value_event_before_acquisition(reg: Cli) -> None:
    one_line(reg.refused("asset", "revalue", "A0001", "--date", "1985-05-31", "--value", "1"), "--date", "'1985-05-31'")


def test_duplicate_id(reg: Cli) -> None:
    one_line(
        reg.refused("member", "add", "--name", "x", "--district", "y", "--kind", "enterprise", "--id", "M001"), "--id", "'M001'"
    )


def test_bad_id(reg: Cli) -> None:
    one_line(reg.refused("member", "add", "--name", "x", "--district", "y", "--kind", "enterprise", "--id", "M 1"), "--id")


def test_missing_options_are_all_named_when_not_interactive(reg: Cli) -> None:
    one_line(reg.refused("asset", "add", "--name", "x"), "--owner", "--category", "--acquired", "--value")


def test_missing_registry_is_a_clear_error(tmp_path) -> None:
    c = Cli(tmp_path / "none.json")
    result = c.run("member", "list")
    assert result.exit_code == 1 and "assetreg init" in result.stderr
    assert not (tmp_path / "none.json").exists()


def test_broken_registry_refused(reg: Cli) -> None:
    reg.registry.write_bytes(reg.registry.read_bytes()[:-40])
    one_line(reg.refused("member", "list"), "not valid JSON")


def test_unexpected_error_prints_one_line_and_where_details_are(reg: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import assetreg.core.records as records

    monkeypatch.setattr(records, "add_member", lambda *a, **k: 1 / 0)
    stderr = reg.refused("member", "add", "--name", "x", "--district", "y", "--kind", "enterprise")
    one_line(stderr, "ZeroDivisionError", "details in")
    assert "Traceback" not in stderr


def test_usage_errors_exit_2(reg: Cli) -> None:
    reg.refused("asset", "add", "--no-such-option", code=2)


def test_control_characters_in_a_document_reference(reg: Cli) -> None:
    one_line(reg.refused(*ASSET, "--value", "1", "--doc", "乐二轻\x1b[31m"), "--doc")


def test_flags_refuse_a_bad_or_unknown_member_and_level(reg: Cli) -> None:
    one_line(reg.refused("flags", "--member", "bad id!"), "--member 'bad id!'", "no such record")  # neither an id nor a name
    one_line(reg.refused("flags", "--member", "M999"), "--member 'M999'", "no such record")
    one_line(reg.refused("flags", "--min-severity", "urgent"), "--min-severity 'urgent'")
    one_line(reg.refused("flags", "--fail-on", "urgent"), "--fail-on 'urgent'")
