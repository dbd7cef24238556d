"""Prompts of the `edit` commands, `asset edit --event`, `settings set` and a repeated payment, on a real
(pseudo-)terminal; without one, one line naming what to give, exit 1, the registry unchanged."""

from __future__ import annotations

import os

import pytest

from tests.cli.test_prompts import expect_wrapped, finish, spawn, stored
from tests.conftest import Cli

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


@pytest.fixture
def leased(liushi: Cli) -> Cli:
    """A0001 let to a tenant from 2004, with one payment of 8000.00 on 2005-01-05."""
    liushi.ok(
        "lease", "add", "--asset", "A0001", "--tenant", "乐清某电器有限公司", "--start", "2004-01-01", "--end", "2005-12-31",
        "--rent", "8000", "--period", "monthly",
    )  # fmt: skip
    liushi.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")
    return liushi


def journal(cli: Cli) -> bytes:
    path = cli.registry.with_name(cli.registry.name + ".journal")
    return path.read_bytes() if path.exists() else b""


# -- asset edit --event N --doc REF ---------------------------------------------------------------


def test_asset_edit_event_without_doc_asks_for_the_reference_only(liushi: Cli) -> None:
    child = spawn(liushi.registry, "asset", "edit", "A0002", "--event", "1")
    child.expect_exact("document reference (文号) --doc: ")
    child.sendline("")  # required: asked again at once
    child.expect_exact("--doc: an answer is needed")
    child.expect_exact("document reference (文号) --doc: ")
    child.sendline("乐二轻〔1985〕7号")
    assert finish(child) == 0  # the note stays optional: never asked
    event = stored(liushi)["assets"]["A0002"]["events"][0]
    assert (event["kind"], event["doc"], event["note"]) == ("acquire", "乐二轻〔1985〕7号", None)


def test_asset_edit_event_shows_the_reference_it_has_and_enter_keeps_it(liushi: Cli) -> None:
    liushi.ok("asset", "edit", "A0002", "--event", "1", "--doc", "乐二轻〔1985〕7号")
    child = spawn(liushi.registry, "asset", "edit", "A0002", "--event", "1")
    child.expect_exact("document reference (文号) --doc [乐二轻〔1985〕7号]: ")
    child.sendline("乐二轻〔1985〕8号")  # corrected
    assert finish(child) == 0
    assert stored(liushi)["assets"]["A0002"]["events"][0]["doc"] == "乐二轻〔1985〕8号"
    child = spawn(liushi.registry, "asset", "edit", "A0002", "--event", "1")
    child.expect_exact("[乐二轻〔1985〕8号]: ")
    child.sendline("")  # Enter keeps it
    assert finish(child) == 0
    assert stored(liushi)["assets"]["A0002"]["events"][0]["doc"] == "乐二轻〔1985〕8号"


def test_asset_edit_doc_without_event_asks_for_the_event_and_checks_its_number(liushi: Cli) -> None:
    child = spawn(liushi.registry, "asset", "edit", "A0002", "--doc", "乐二轻〔1985〕7号", "--note", "补录")
    child.expect_exact("1  1985-06-01  acquire  320,000.00")  # its one event, the acquisition, as history lists it
    prompt = "number of the event, as 'asset history' numbers them --event: "
    child.expect_exact(prompt)
    child.sendline("2")  # A0002 has one event, its acquisition
    child.expect_exact("--event '2': no such event; the asset's history has 1")
    child.expect_exact(prompt)
    child.sendline("1")
    assert finish(child) == 0
    event = stored(liushi)["assets"]["A0002"]["events"][0]
    assert (event["doc"], event["note"]) == ("乐二轻〔1985〕7号", "补录")


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (["asset", "edit", "A0002", "--event", "1"], "'--doc'"),
        (["asset", "edit", "A0002", "--doc", "X", "--note", "n"], "'--event'"),
        (["asset", "edit", "--event", "1", "--doc", "X"], "'ID'"),
        (["asset", "edit", "--event", "1"], "'ID, --doc'"),
        (["member", "edit", "--name", "X"], "'ID'"),
        (["lease", "edit"], "'ID'"),
        (["settings", "set"], "'KEY, VALUE'"),
        (["settings", "set", "idle_years"], "'VALUE'"),
    ],
)
def test_without_a_terminal_what_is_missing_is_named_in_one_line(liushi: Cli, args: list[str], missing: str) -> None:
    stderr = liushi.refused(*args)
    assert stderr == f"error: missing {missing}: give them on the command line, or run at a terminal to be asked\n"


# -- edit given no options ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "options"),
    [
        (
            ["asset", "edit", "A0002"],
            "--name, --owner, --category, --location, --area, --title-no, --status, --status-since, --holds, --note, "
            "--event, --doc",
        ),
        (
            ["member", "edit", "M001"],
            "--name, --district, --kind, --restructuring, --restructuring-since, --restructuring-finished, "
            "--restructuring-note, --employees, --contact, --note",
        ),
        (["lease", "edit", "L0001"], "--tenant, --contact, --end, --deposit, --doc, --note, --rent, --from"),
    ],
)
def test_edit_without_options_or_terminal_names_the_options_it_takes(leased: Cli, args: list[str], options: str) -> None:
    assert leased.refused(*args) == f"error: nothing to change: give one of {options}\n"


def test_edit_without_options_in_chinese(liushi: Cli) -> None:
    stderr = liushi.refused("--lang", "zh", "asset", "edit", "A0002")
    assert stderr.startswith("错误：没有要修改的内容：请给出以下选项之一 --name, --owner, ")


def test_asset_edit_walks_every_field_with_its_current_value_and_writes_what_changed(liushi: Cli) -> None:
    child = spawn(liushi.registry, "asset", "edit", "A0002")
    for prompt, answer in [
        ("name --name [柳市布厂2号厂房]: ", ""),  # Enter keeps it
        ("owner (member id or name) --owner [M001]: ", ""),
        # 84 cells: wrapped before its default, at a space, the choices whole
        ("category --category (building, land, equipment, vehicle, equity, other) [building]: ", ""),
        ("location --location: ", "柳市镇东风路"),
        ("area in m² --area [1200]: ", "1,250.5"),
        ("title certificate number --title-no [乐房字第02号]: ", "乐房字第01号"),  # A0001's: refused at once
        ("is already the title number of A0001 柳市布厂1号厂房, held in the same category", None),
        ("title certificate number --title-no [乐房字第02号]: ", ""),
        ("status --status (in_use, leased, idle, damaged, occupied) [in_use]: ", "idle"),
        ("status since --status-since [2005-03-15]: ", "2005-03-01"),  # a new status: today by default
        ("note --note: ", ""),  # no question of the member a stake is in: a building is no stake
    ]:
        expect_wrapped(child, prompt)
        if answer is not None:
            child.sendline(answer)
    assert finish(child) == 0
    asset = stored(liushi)["assets"]["A0002"]
    assert (asset["name"], asset["location"], asset["area"], asset["title_no"]) == (
        "柳市布厂2号厂房",
        "柳市镇东风路",
        "1250.5",
        "乐房字第02号",
    )
    # in use since its acquisition, idle from the day answered
    assert asset["status_history"] == [{"date": "1985-06-01", "status": "in_use"}, {"date": "2005-03-01", "status": "idle"}]
    last = liushi.json("log")[-1]
    assert last["command"] == "assetreg asset edit A0002"


def test_an_edit_where_every_answer_is_enter_changes_nothing_and_logs_nothing(leased: Cli) -> None:
    before, logged = leased.registry.read_bytes(), journal(leased)
    child = spawn(leased.registry, "lease", "edit", "L0001")
    for prompt in (
        "tenant --tenant [乐清某电器有限公司]: ",
        "contact --contact: ",  # the tenant's telephone (version 3)
        "last day --end [2005-12-31]: ",  # a renewal or an earlier end agreed (version 3)
        "deposit in yuan --deposit [0.00]: ",
        "--doc: ",
        "note --note: ",
    ):
        child.expect_exact(prompt)
        child.sendline("")
    child.expect_exact("Nothing changed.")
    assert finish(child) == 0
    assert leased.registry.read_bytes() == before
    assert journal(leased) == logged


def test_lease_edit_walk_checks_each_answer_as_the_options_are_checked(leased: Cli) -> None:
    child = spawn(leased.registry, "lease", "edit", "L0001")
    child.expect_exact("tenant --tenant [乐清某电器有限公司]: ")
    child.sendline("")
    child.expect_exact("contact --contact: ")
    child.sendline("王经理 13805770000")
    child.expect_exact("last day --end [2005-12-31]: ")
    child.sendline("2003-12-31")  # before the lease starts: refused at once, as --end is
    child.expect_exact("--end '2003-12-31': is before the lease starts (2004-01-01)")
    child.expect_exact("last day --end [2005-12-31]: ")
    child.sendline("")
    child.expect_exact("deposit in yuan --deposit [0.00]: ")
    child.sendline("-5")
    child.expect_exact("--deposit '-5': must not be negative")
    child.expect_exact("deposit in yuan --deposit [0.00]: ")
    child.sendline("2万")  # 2 × 10,000 yuan
    child.expect_exact("--doc: ")
    child.sendline("乐二轻〔2004〕12号")
    child.expect_exact("note --note: ")
    child.sendline("")
    assert finish(child) == 0
    lease = stored(leased)["leases"]["L0001"]
    assert (lease["tenant"], lease["contact"], lease["end"], lease["deposit"], lease["doc"], lease.get("note")) == (
        "乐清某电器有限公司",
        "王经理 13805770000",
        "2005-12-31",
        "20000.00",
        "乐二轻〔2004〕12号",
        None,
    )


def test_member_edit_asks_for_the_member_by_name_then_walks_in_chinese(liushi: Cli) -> None:
    child = spawn(liushi.registry, "member", "edit", ASSETREG_LANG="zh")
    child.expect_exact("M000 乐清市二轻联社, M001 柳市布厂")
    child.expect_exact("成员单位（编号或名称）：")
    child.sendline("柳市布厂")
    child.expect_exact("名称 --name [柳市布厂]：")
    child.sendline("乐清市二轻联社")  # another member's name: refused at once
    child.expect_exact("已是成员单位 M000 的名称")
    child.expect_exact("名称 --name [柳市布厂]：")
    child.sendline("")
    for prompt, answer in [
        ("片区 --district [柳市片]：", ""),
        ("类型 --kind (enterprise=企业, federation=联社, company=公司, association=片联合会) [企业]：", ""),
        (
            "改制状态 --restructuring (not_started=未改制, preparing=改制准备, in_progress=改制中, "
            "completed=已改制, verified=已验收) [未改制]：",
            "改制中",
        ),
        ("改制开始日期 --restructuring-since：", "2005年3月1日"),
        ("改制完成日期 --restructuring-finished：", ""),
        ("改制情况说明 --restructuring-note：", ""),
        ("职工人数 --employees：", "80"),
        ("联系人或电话 --contact：", ""),
        ("备注 --note：", ""),
    ]:
        expect_wrapped(child, prompt)  # the kind's and the status's choices are wider than 80 columns
        child.sendline(answer)
    assert finish(child) == 0
    member = stored(liushi)["members"]["M001"]
    assert (member["name"], member["restructuring"], member["employees"]) == ("柳市布厂", "in_progress", 80)
    assert member["restructuring_history"] == [{"date": "2005-03-01", "status": "in_progress"}]


def test_a_disposed_asset_is_refused_before_any_question(liushi: Cli) -> None:
    liushi.ok("asset", "dispose", "A0005", "--date", "2005-03-01", "--proceeds", "100000", "--method", "sale")
    result = liushi.run("asset", "edit", "A0005", input="", env={"ASSETREG_INTERACTIVE": "1"})
    assert result.exit_code == 1
    assert result.stderr == "error: asset 'A0005': was disposed of; its record is closed\n"


# -- settings set -----------------------------------------------------------------------------------


def test_settings_set_asks_for_the_key_listing_them_then_the_value_with_the_current_one(liushi: Cli) -> None:
    child = spawn(liushi.registry, "settings", "set")
    child.expect_exact("idle_years = 1  years a building or land may stand idle before it is flagged")
    child.expect_exact("setting KEY: ")
    child.sendline("idle")
    child.expect_exact("KEY 'idle': not one of: stale_action_days,")
    child.expect_exact("setting KEY: ")
    child.sendline("idle_years")
    child.expect_exact("new value VALUE [1]: ")
    child.sendline("0")  # allowed: 1 to 50 years
    child.expect_exact("idle_years '0': must be from 1 to 50")
    child.expect_exact("new value VALUE [1]: ")
    child.sendline("3")
    assert finish(child) == 0
    assert liushi.json("settings", "show")["idle_years"] == 3


def test_settings_set_with_the_key_asks_only_for_the_value(liushi: Cli) -> None:
    liushi.ok("settings", "set", "lease_long_years", "8")
    child = spawn(liushi.registry, "settings", "set", "lease_long_years")
    child.expect_exact("new value VALUE [8]: ")  # the current value, not the default 5
    child.sendline("10")
    assert finish(child) == 0
    assert liushi.json("settings", "show")["lease_long_years"] == 10


def test_settings_set_with_a_wrong_key_is_refused_before_any_question(liushi: Cli) -> None:
    result = liushi.run("settings", "set", "no_such_key", input="", env={"ASSETREG_INTERACTIVE": "1"})
    assert result.exit_code == 1
    assert result.stderr.startswith("error: KEY 'no_such_key': not one of: ")


# -- a payment entered twice --------------------------------------------------------------------------


def test_a_prompted_payment_repeating_one_recorded_asks_record_it_again_and_no_asks_the_amount_again(leased: Cli) -> None:
    # version 3: "record it again?" instead of a refusal naming --again, which a prompt cannot take; in
    # Chinese, 否 is the typing mistake it was, and the amount is asked again, the date kept
    child = spawn(leased.registry, "--lang", "zh", "lease", "pay", "L0001")
    child.expect_exact("日期 --date：")
    child.sendline("2005-01-05")
    child.expect_exact("付款金额（元） --amount：")
    child.sendline("8000")  # as recorded on 2005-01-05
    expect_wrapped(child, "2005-01-05 已记有一笔 8,000.00 元的付款：再记一笔？ [是/否，默认否]：")
    child.sendline("否")
    child.expect_exact("付款金额（元） --amount：")
    child.sendline("4000")
    assert finish(child) == 0
    payments = stored(leased)["leases"]["L0001"]["payments"]
    assert [(p["date"], p["amount"]) for p in payments] == [("2005-01-05", "8000.00"), ("2005-01-05", "4000.00")]


def test_again_given_on_the_command_line_lets_the_prompted_repeat_through(leased: Cli) -> None:
    child = spawn(leased.registry, "lease", "pay", "L0001", "--again")
    child.expect_exact("date --date: ")
    child.sendline("2005-01-05")
    child.expect_exact("amount paid in yuan --amount: ")
    child.sendline("8000")
    assert finish(child) == 0
    payments = stored(leased)["leases"]["L0001"]["payments"]
    assert [(p["date"], p["amount"], bool(p.get("again"))) for p in payments] == [
        ("2005-01-05", "8000.00", False),
        ("2005-01-05", "8000.00", True),
    ]
