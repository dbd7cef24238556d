"""Records edited by hand are checked field by field when read (issue 15): a field assetreg would not
have stored is named with its table, record and field in one line, exit 1; no report computes with it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Cli


def _edit_record(cli: Cli, key: str, edit: Callable[[dict[str, Any]], None]) -> None:
    """Change one record's line of the file as a person with a text editor would."""
    lines = cli.registry.read_bytes().decode("utf-8").split("\n")
    number = next(n for n, line in enumerate(lines) if line.startswith(f'"{key}":'))
    comma = "," if lines[number].endswith(",") else ""
    record = json.loads(lines[number].rstrip(",").split(":", 1)[1])
    edit(record)
    lines[number] = f'"{key}":' + json.dumps(record, ensure_ascii=False, separators=(",", ":")) + comma
    cli.registry.write_bytes("\n".join(lines).encode("utf-8"))


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set (or with `...` delete) a field of a record, `events.0.amount` reaching into its lists."""

    def edit(record: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = record
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is ...:
            del target[last]
        else:
            target[last] = value

    return edit


# The asset A0001 of the Liushi fixture (acquired 1985-06-01 for 320000.00, owner M001, a building).
CASES = [
    ("name", ..., "error: assets A0001 name '': is missing"),
    ("events", None, "error: assets A0001 events '': is missing"),
    ("events.0.amount", "一百八十万", "error: assets A0001 events[1].amount '一百八十万': not an amount"),
    ("events.0.amount", "-5.00", "error: assets A0001 events[1].amount '-5.00': must not be negative"),
    ("acquired", "1988/05/01", "error: assets A0001 acquired '1988/05/01': not a date as assetreg stores it (as 1988-05-01)"),
    ("owner", "M999", "error: assets A0001 owner 'M999': no such record in members"),
    ("category", "厂房", "error: assets A0001 category '厂房': not one of: building, land, equipment"),
    ("events.0.date", "1988/05/01", "error: assets A0001 events[1].date '1988/05/01': not a date as assetreg stores it"),
    ("events.0.amount", 320000, "error: assets A0001 events[1].amount '320000': must be text in quotes"),
]


@pytest.mark.parametrize(("path", "value", "expected"), CASES, ids=[f"{c[0]}={c[1]!r}" for c in CASES])
def test_a_hand_edited_field_is_named_by_every_reader_and_verify_and_not_adopted(
    liushi: Cli, path: str, value: Any, expected: str
) -> None:
    _edit_record(liushi, "A0001", _set(path, value))
    for reader in (
        ("asset", "list"),
        ("asset", "show", "A0002"),
        ("report", "value", "--year", "2005"),
        ("report", "register"),
        ("report", "summary"),
        ("flags",),
    ):
        stderr = liushi.refused(*reader)
        assert stderr.startswith(expected) and stderr.count("\n") == 1, (reader, stderr)
    assert "was changed outside assetreg in assets" in liushi.refused(
        "asset", "revalue", "A0002", "--date", "2005-01-01", "--value", "1"
    )
    report = json.loads(liushi.run("verify", "--json").stdout)
    assert report["ok"] is False and any(p.startswith(expected.removeprefix("error: ")) for p in report["problems"])
    stderr = liushi.refused("verify", "--adopt", "--yes")  # the broken value is not blessed
    assert stderr.startswith(expected) and stderr.count("\n") == 1
    liushi.ok("backup", "restore", "1", "--yes")  # the way back still works
    assert liushi.json("asset", "show", "A0001")["name"] == "柳市布厂1号厂房"


def test_every_invalid_field_is_listed_by_verify(liushi: Cli) -> None:
    _edit_record(liushi, "A0002", _set("category", "厂房"))
    _edit_record(liushi, "A0003", _set("events.0.amount", "-1.00"))
    _edit_record(liushi, "M001", _set("employees", "many"))
    problems = json.loads(liushi.run("verify", "--json").stdout)["problems"]
    assert "members M001 employees 'many': must be a whole number without quotes" in problems
    assert "assets A0003 events[1].amount '-1.00': must not be negative" in problems
    assert any(p.startswith("assets A0002 category '厂房': not one of: building") for p in problems)


def test_a_valid_hand_edit_is_read_with_a_warning_and_adopted(liushi: Cli) -> None:
    _edit_record(liushi, "A0001", _set("events.0.amount", "180000.00"))
    result = liushi.run("report", "register", "--json")
    assert result.exit_code == 0 and "changed outside assetreg (assets)" in result.stderr
    liushi.ok("verify", "--adopt", "--yes")
    liushi.ok("verify")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("option", ["--as-of", "--from", "--to"])
def test_far_off_dates_in_reports_and_flags_are_one_line(liushi: Cli, day: str, option: str) -> None:
    for command in (("report", "value"), ("report", "register"), ("report", "leases"), ("flags",)):
        if command == ("flags",) and option != "--as-of":
            continue
        stderr = liushi.refused(*command, option, day)
        assert stderr == f"error: {option} '{day}': is outside the years 1900 to 2199\n", (command, stderr)
