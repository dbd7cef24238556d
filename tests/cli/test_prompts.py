"""Entering records at the terminal: prompts on a real (pseudo-)terminal, one error without one, no lock held."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.conftest import TODAY, Cli

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


def terminal_env(registry: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "ASSETREG_FILE": str(registry), "ASSETREG_TODAY": TODAY, "ASSETREG_LANG": "en", "NO_COLOR": "1"}
    env.pop("ASSETREG_INTERACTIVE", None)  # decided by the terminal itself
    env.update(extra)
    return env


def spawn(registry: Path, *args: str, **extra: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "assetreg", *args],
        env=terminal_env(registry, **extra),
        encoding="utf-8",
        timeout=20,
        preexec_fn=_ctrl_c_as_at_a_terminal,
    )


def _ctrl_c_as_at_a_terminal() -> None:
    # A test run started in the background (`cmd &` in a script) inherits SIGINT ignored, and so would
    # the program under test: Ctrl-C must reach it as it does at a real terminal.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0))


def wrapped(text: str) -> str:
    """A pattern of `text` as a terminal of 80 columns shows it: a line may break at a space (which the
    break replaces) or beside a Chinese character, never inside a word (PRODUCT.md v3)."""
    from rich.cells import cell_len

    pattern = []
    for i, char in enumerate(text):
        if char == " ":
            pattern.append(r"(?: |\r?\n)")
            continue
        if i and (cell_len(char) == 2 or cell_len(text[i - 1]) == 2):
            pattern.append(r"(?:\r?\n)?")
        pattern.append(re.escape(char))
    return "".join(pattern)


def expect_wrapped(child: pexpect.spawn, text: str) -> None:
    child.expect(wrapped(text))


def stored(cli: Cli) -> dict[str, Any]:
    return json.loads(cli.registry.read_text(encoding="utf-8"))


@pytest.fixture
def leased(liushi: Cli) -> Cli:
    liushi.ok(
        "asset",
        "add",
        "--name",
        "皮件厂厂房",
        "--owner",
        "M000",
        "--category",
        "building",
        "--acquired",
        "1990-01-01",
        "--value",
        "500000",
    )
    liushi.ok(
        "lease", "add", "--asset", "A0006", "--tenant", "乐清某电器有限公司", "--start", "2004-01-01", "--end", "2005-12-31",
        "--rent", "8000", "--period", "monthly",
    )  # fmt: skip
    return liushi


def test_lease_pay_asks_for_date_and_amount_and_asks_a_wrong_date_again(leased: Cli) -> None:
    child = spawn(leased.registry, "lease", "pay", "L0001")
    child.expect_exact("date --date: ")
    child.sendline("2005-02-30")
    child.expect_exact("--date '2005-02-30': no such day in the calendar")
    child.expect_exact("date --date: ")  # asked again at once, before the amount
    child.sendline("2005-01-05")
    child.expect_exact("amount paid in yuan --amount: ")
    child.sendline("8000")
    assert finish(child) == 0
    assert stored(leased)["leases"]["L0001"]["payments"] == [{"date": "2005-01-05", "amount": "8000.00", "note": None}]


def test_the_record_itself_is_asked_first_when_not_given(leased: Cli) -> None:
    child = spawn(leased.registry, "lease", "pay")
    child.expect_exact("lease (id or tenant): ")
    child.sendline("乐清某")  # no lease has that tenant: asked again
    child.expect_exact("lease '乐清某': no such record")
    child.expect_exact("lease (id or tenant): ")
    child.sendline("乐清某电器有限公司")  # the tenant names the lease
    child.expect_exact("date --date: ")
    child.sendline("2005-01-05")
    child.expect_exact("amount paid in yuan --amount: ")
    child.sendline("8000")
    assert finish(child) == 0
    assert stored(leased)["leases"]["L0001"]["payments"] == [{"date": "2005-01-05", "amount": "8000.00", "note": None}]
    # the answers are checked against the record answered: a payment before the lease began is refused at once
    child = spawn(leased.registry, "asset", "revalue", "--value", "1")
    child.expect_exact("asset (id or name): ")
    child.sendline("皮件厂厂房")
    child.expect_exact("date --date: ")
    child.sendline("1989-12-31")  # acquired 1990-01-01: a value a day earlier is refused, the date asked again
    child.expect_exact("--date '1989-12-31': is before the asset was acquired (1990-01-01)")
    child.expect_exact("date --date: ")
    child.sendline("2005-01-31")
    for offered in ("[appraisal]: ", "--doc: ", "--note: "):  # the basis, 文号 and note offered, Enter skipping
        child.expect_exact(offered)
        child.sendline("")
    assert finish(child) == 0
    assert stored(leased)["assets"]["A0006"]["events"][-1]["amount"] == "1.00"


def test_an_incident_asked_for_is_listed_by_its_kind_and_counterparty(liushi: Cli) -> None:
    child = spawn(liushi.registry, "--lang", "zh", "incident", "act")
    child.expect_exact("I0001 损坏 柳市镇上峰村")  # an incident has no name: what happened, and with whom
    child.expect_exact("事件（编号）：")
    child.sendintr()
    assert finish(child) == 130


def test_without_a_terminal_a_missing_record_is_named_with_the_missing_options(leased: Cli) -> None:
    missing = "give them on the command line, or run at a terminal to be asked"
    assert leased.refused("lease", "pay").strip() == f"error: missing 'ID, --date, --amount': {missing}"
    refused = leased.refused("asset", "dispose", "--proceeds", "1").strip()
    assert refused == f"error: missing 'ID, --date, --method': {missing}"
    assert leased.refused("incident", "close", "--date", "2005-01-01").strip() == f"error: missing 'ID': {missing}"


def test_another_command_writes_while_a_prompt_waits(leased: Cli) -> None:
    child = spawn(leased.registry, "lease", "pay", "L0001")
    child.expect_exact("date --date: ")
    # The prompt holds no lock: a colleague's command goes through at once (it would fail after 2 s otherwise).
    other = subprocess.run(
        [
            sys.executable,
            "-m",
            "assetreg",
            "member",
            "add",
            "--name",
            "乐清市塑料厂",
            "--district",
            "城关片",
            "--kind",
            "enterprise",
        ],
        env=terminal_env(leased.registry, ASSETREG_LOCK_TIMEOUT="2"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert other.returncode == 0, other.stderr
    child.sendline("2005-01-05")
    child.expect_exact("--amount: ")
    child.sendline("8000")
    assert finish(child) == 0
    data = stored(leased)
    assert data["members"]["M002"]["name"] == "乐清市塑料厂"  # neither change lost the other
    assert [p["amount"] for p in data["leases"]["L0001"]["payments"]] == ["8000.00"]


def test_answers_are_checked_again_when_written(leased: Cli) -> None:
    child = spawn(leased.registry, "lease", "pay", "L0001")
    child.expect_exact("date --date: ")
    child.sendline("2005-01-05")
    child.expect_exact("--amount: ")
    # meanwhile someone ends the lease on 2004-02-29: 8,000 a month from 2004-01-01, nothing paid, so the
    # dues of 2004-01-01 and 2004-02-01 are owed, 2 × 8,000 = 16,000; a payment after the end is accepted
    # up to that (version 3) and no further
    leased.ok("lease", "end", "L0001", "--date", "2004-02-29")
    before = leased.registry.read_bytes()
    child.sendline("20000")  # right when asked, wrong by the time it is written
    expect_wrapped(child, "--amount '20000.00': the lease ended on 2004-02-29 and still owes 16,000.00")
    child.expect_exact("amount paid in yuan --amount: ")  # asked again, the date kept
    assert leased.registry.read_bytes() == before  # nothing written meanwhile
    child.sendline("16000")
    assert finish(child) == 0
    payments = stored(leased)["leases"]["L0001"]["payments"]
    assert [(p["date"], p["amount"]) for p in payments] == [("2005-01-05", "16000.00")]


def test_an_equity_walk_asks_the_member_it_is_a_stake_in(liushi: Cli) -> None:
    child = spawn(liushi.registry, "asset", "add")
    for prompt, answer in [
        ("name --name: ", "资产营运公司股权"),
        ("--owner: ", "M000"),
        ("[building]: ", "equity"),
        ("date acquired --acquired: ", "2001-01-01"),
        ("value in yuan --value: ", "1000000"),
        ("[purchase]: ", "injection"),
        ("location --location: ", ""),
        ("area in m² --area: ", ""),
        ("title certificate number --title-no: ", ""),
        ("[in_use]: ", ""),
        ("status since --status-since: ", ""),
        ("for an equity stake: the member it is in (id or name; Enter: none) --holds: ", "柳市布厂"),
        ("note --note: ", ""),
        ("--id: ", ""),
    ]:
        child.expect_exact(prompt)
        child.sendline(answer)
    assert finish(child) == 0
    assert stored(liushi)["assets"]["A0006"]["holds"] == "M001"


def test_asset_add_without_options_walks_through_every_field(liushi: Cli) -> None:
    child = spawn(liushi.registry, "asset", "add")
    child.expect_exact("name --name: ")
    child.sendline("柳市布厂仓库")
    child.expect_exact("M000 乐清市二轻联社, M001 柳市布厂")  # the members a reference may name
    child.expect_exact("--owner: ")
    child.sendline("M404")
    child.expect_exact("--owner 'M404': no such record")
    child.expect_exact("--owner: ")
    child.sendline("M001")
    # 84 characters at 80 columns: wrapped between words, the default on the answer's line
    child.expect_exact("category --category (building, land, equipment, vehicle, equity, other)\r\n[building]: ")
    child.sendline("")  # Enter takes the default
    child.expect_exact("date acquired --acquired: ")
    child.sendline("1988-05-01")
    child.expect_exact("value in yuan --value: ")
    child.sendline("150000")
    # then the optional fields, each skipped with Enter or answered
    for prompt, answer in [
        ("--source (purchase, construction, injection, transfer_in,\r\nsurplus) [purchase]: ", "construction"),
        ("location --location: ", "柳市镇"),
        ("area in m² --area: ", "600"),
        ("title certificate number --title-no: ", ""),
        ("--status (in_use, leased, idle, damaged, occupied) [in_use]: ", "idle"),
        ("status since --status-since: ", ""),  # no question of the member a stake is in: a building is no stake
        ("note --note: ", ""),
        ("own id (Enter: the next free one) --id: ", ""),
    ]:
        child.expect_exact(prompt)
        child.sendline(answer)
    assert finish(child) == 0
    asset = stored(liushi)["assets"]["A0006"]
    assert (asset["name"], asset["owner"], asset["category"], asset["acquired"]) == (
        "柳市布厂仓库",
        "M001",
        "building",
        "1988-05-01",
    )
    assert (asset["location"], asset["area"], asset["title_no"], asset["status"], asset["status_since"]) == (
        "柳市镇",
        "600",
        None,
        "idle",
        "1988-05-01",  # no status date given: the day it was acquired
    )
    assert asset["events"][0]["amount"] == "150000.00" and asset["events"][0]["source"] == "construction"


def test_ctrl_c_at_a_prompt_exits_130_with_one_line_and_changes_nothing(leased: Cli) -> None:
    before = leased.registry.read_bytes()
    child = spawn(leased.registry, "lease", "pay", "L0001")
    child.expect_exact("date --date: ")
    child.sendintr()
    child.expect_exact("\nerror: interrupted; nothing was changed")  # on a line of its own, not after the question
    assert finish(child) == 130
    assert leased.registry.read_bytes() == before


def test_lease_end_before_its_start_is_asked_again_at_once(liushi: Cli) -> None:
    liushi.ok(
        "asset", "add", "--name", "仓库", "--owner", "M000", "--category", "building", "--acquired", "1990-01-01", "--value", "1"
    )
    answers = "2005-01-01\n2004-12-31\n2005-12-31\n\n\n"  # then Enter to the 文号 and the note offered
    result = liushi.run(
        "lease", "add", "--asset", "A0006", "--tenant", "某公司", "--rent", "1000", "--period", "monthly", "--json",
        input=answers, env={"ASSETREG_INTERACTIVE": "1"},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # the wrong end is refused right after it is typed, and only the end is asked again
    assert result.stderr.count("first day --start: ") == 1
    assert result.stderr.count("last day --end: ") == 2
    assert "--end '2004-12-31': is before the lease starts (2005-01-01)" in result.stderr
    lease = json.loads(result.stdout)
    assert (lease["start"], lease["end"]) == ("2005-01-01", "2005-12-31")


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (["lease", "pay", "L0001"], "'--date, --amount'"),
        (["lease", "end", "L0001"], "'--date'"),
        (["asset", "revalue", "A0001"], "'--date, --value'"),
        (["asset", "impair", "A0001", "--value", "1"], "'--date, --cause'"),
        (["asset", "dispose", "A0001"], "'--date, --proceeds, --method'"),
        (["incident", "act", "I0001"], "'--date, --note'"),
        (["incident", "close", "I0001"], "'--date'"),
        (["incident", "add", "--kind", "damage"], "'--asset, --occurred'"),
    ],
)
def test_without_a_terminal_one_error_names_every_missing_option(leased: Cli, args: list[str], missing: str) -> None:
    stderr = leased.refused(*args)
    assert stderr == f"error: missing {missing}: give them on the command line, or run at a terminal to be asked\n"


def test_a_given_option_that_is_wrong_is_refused_before_any_question(leased: Cli) -> None:
    result = leased.run("lease", "pay", "L0001", "--amount", "-5", input="", env={"ASSETREG_INTERACTIVE": "1"})
    assert result.exit_code == 1
    assert "--date" not in result.stderr  # nothing asked


def test_incident_add_takes_two_assets_in_one_answer_by_id_and_name(liushi: Cli) -> None:
    child = spawn(liushi.registry, "incident", "add", "--kind", "damage", "--occurred", "2005-03-01")
    prompt = "affected assets (ids or names; several separated by spaces, commas or 、)\r\n--asset: "  # wrapped at 80
    child.expect_exact(prompt)
    child.sendline("A0009、柳市布厂2号厂房")  # no A0009: asked again at once
    child.expect_exact("--asset 'A0009': no such record")
    child.expect_exact(prompt)
    child.sendline("a0001、柳市布厂2号厂房")  # an id in any case and a unique name, separated by 、
    assert finish(child) == 0
    incidents = stored(liushi)["incidents"]
    assert [i["assets"] for i in incidents.values() if i["occurred"] == "2005-03-01"] == [["A0001", "A0002"]]


def test_asset_transfer_asks_for_the_receiver_and_the_day(liushi: Cli) -> None:
    child = spawn(liushi.registry, "asset", "transfer", "A0001")
    child.expect_exact("the member receiving it (id or name) --to")
    child.sendline("乐清市二轻联社")  # by its name
    child.expect_exact("--date: ")
    child.sendline("2005/3/1")
    child.expect_exact("document reference (文号) --doc: ")  # offered, with the note
    child.sendline("乐二轻〔2005〕2号")
    child.expect_exact("note --note: ")
    child.sendline("")
    assert finish(child) == 0
    assert liushi.json("asset", "show", "A0001", "--as-of", "2005-03-15")["owner"] == "M000"


def test_asset_transfer_without_a_terminal_names_both_missing_options(liushi: Cli) -> None:
    assert "--to, --date" in liushi.refused("asset", "transfer", "A0001")
