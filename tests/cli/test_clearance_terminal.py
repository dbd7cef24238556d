"""The counting loop of `clearance check ID` on a pseudo-terminal: a line per asset (a barcode scanner's id
and Enter), found by Enter, differs asking only what differs, progress, and Ctrl-D, an empty line or
Ctrl-C ending it with every finding entered before it kept."""

from __future__ import annotations

import json
import signal

import pytest

from tests.cli.test_prompts import finish, spawn, stored
from tests.conftest import Cli


@pytest.fixture
def opened(liushi: Cli) -> Cli:
    """The five Liushi buildings (A0001–A0005, 320,000 each, damaged since 2004-12-20) in clearance C001."""
    liushi.ok("clearance", "open", "--as-of", "2004-12-31", "--member", "柳市布厂")
    return liushi


def findings(cli: Cli) -> dict[str, dict | None]:
    return {key.split("/")[1]: entry["finding"] for key, entry in stored(cli)["findings"].items()}


def test_counting_loop_with_ctrl_d_in_the_middle_keeps_what_was_entered(opened: Cli) -> None:
    child = spawn(opened.registry, "clearance", "check", "C001", "--by", "王会计")
    child.expect_exact("0 of 5 checked")
    child.expect_exact("asset: ")
    child.sendline("a0001")  # a scanner types the id, any case
    child.expect_exact("柳市布厂1号厂房")  # the register line, as of the clearance's day
    child.expect_exact("damaged")
    child.expect_exact("[found]: ")
    child.sendline("")  # Enter: found
    child.expect_exact("1 of 5 checked")
    child.expect_exact("asset: ")
    child.sendline("乐房字第02号")  # a title number
    child.expect_exact("[found]: ")
    child.sendline("d")
    child.expect_exact("which differ?")
    child.sendline("value")  # only what differs is asked
    child.expect_exact("[320,000.00]: ")  # the book value as the register line shows it
    child.sendline("15万")
    child.expect_exact("2 of 5 checked")
    child.expect_exact("asset: ")
    child.sendline("柳市布厂3号厂房")
    child.expect_exact("[found]: ")
    child.sendeof()  # Ctrl-D while this one is being typed: the loop ends, the two before are kept
    child.expect_exact("findings entered: 2; 2 of 5 checked")
    assert finish(child) == 0
    found = findings(opened)
    assert found["A0001"]["result"] == "found" and found["A0001"]["by"] == "王会计"
    assert found["A0002"]["result"] == "differs" and found["A0002"]["found"] == {"value": "150000.00"}
    assert found["A0003"] is None and found["A0004"] is None


def test_counting_loop_asks_before_replacing_and_ends_on_an_empty_line(opened: Cli) -> None:
    opened.ok("clearance", "check", "C001", "A0001", "--result", "missing")
    child = spawn(opened.registry, "clearance", "check", "C001")
    child.expect_exact("asset: ")
    child.sendline("A0001")
    child.expect_exact("already checked on 2005-03-15: missing")
    child.expect_exact("[y/N]: ")
    child.sendline("n")  # keeps the old finding; the loop goes on
    child.expect_exact("asset: ")
    child.sendline("A0009")  # no such asset: said, and asked again
    child.expect_exact("no such record")
    child.expect_exact("asset: ")
    child.sendline("A0004")
    child.expect_exact("[found]: ")
    child.sendline("盘亏")
    child.expect_exact("2 of 5 checked")
    child.expect_exact("asset: ")
    child.sendline("")
    assert finish(child) == 0
    found = findings(opened)
    assert found["A0001"]["result"] == "missing" and found["A0004"]["result"] == "missing"


def test_ctrl_c_in_the_loop_exits_130_keeping_the_findings_entered(opened: Cli) -> None:
    child = spawn(opened.registry, "clearance", "check", "C001")
    child.expect_exact("asset: ")
    child.sendline("A0005")
    child.expect_exact("[found]: ")
    child.sendline("f")
    child.expect_exact("1 of 5 checked")
    child.expect_exact("asset: ")
    child.kill(signal.SIGINT)
    child.expect_exact("findings entered before were kept: 1")
    assert finish(child) == 130
    assert findings(opened)["A0005"]["result"] == "found"
    assert json.loads(opened.ok("clearance", "show", "C001", "--json").stdout)["counts"]["checked"] == 1


def test_the_loop_wraps_its_prompts_at_word_boundaries_at_80_columns(opened: Cli) -> None:
    child = spawn(opened.registry, "clearance", "check", "C001")  # pexpect's terminal: 80 columns
    child.expect_exact("asset: ")
    child.sendline("A0001")
    child.expect_exact("[found]: ")
    child.sendline("d")
    # "which differ? (status, area, location, title_no, value; several separated by" is 76 cells and
    # " spaces): " would take it past 79: the line breaks before "spaces", never inside it ("spa|ces")
    child.expect_exact("several separated by\r\nspaces): ")
    child.sendline("area")
    child.expect_exact("[1,200]: ")
    child.sendline("1250")
    child.expect_exact("1 of 5 checked")
    child.expect_exact("asset: ")
    child.sendeof()  # Ctrl-D still ends the loop normally
    assert finish(child) == 0
    assert findings(opened)["A0001"]["found"] == {"area": "1250"}


def test_the_chinese_loop_names_the_fields_in_chinese_and_refuses_what_the_book_says(opened: Cli) -> None:
    child = spawn(opened.registry, "--lang", "zh", "clearance", "check", "C001")
    child.expect_exact("资产：")
    child.sendline("A0001")
    # the register line: 1200 m² and 320000 with thousands separators, as the documents show them
    child.expect_exact("1,200 m²")
    child.expect_exact("320,000.00")
    child.expect_exact("[相符]：")
    child.sendline("不符")
    child.expect_exact("哪些不符？（状态、面积、坐落、产权证号、价值；多项以空格分隔）：")
    child.sendline("面积，价值")  # Chinese names, a full-width comma between them
    child.expect_exact("面积（平方米） [1,200]：")
    child.sendline("1200")  # what the book says: not a difference, asked again
    child.expect_exact("--area '1200'：与登记簿所载相同，不是不符")
    child.expect_exact("[1,200]：")
    child.sendline("1150")
    child.expect_exact("价值（元） [320,000.00]：")
    child.sendline("28万")
    child.expect_exact("已清查 1 / 5")
    child.expect_exact("资产：")
    child.sendline("A0002")
    child.expect_exact("[相符]：")
    child.sendline("d")
    child.expect_exact("；多项以空格分隔）：")
    child.sendline("Title-No")  # the English names are taken too
    child.expect_exact("产权证号 [乐房字第02号]：")
    child.sendline("乐房字第12号")
    child.expect_exact("已清查 2 / 5")
    child.expect_exact("资产：")
    child.sendeof()
    assert finish(child) == 0
    found = findings(opened)
    assert found["A0001"]["found"] == {"area": "1150", "value": "280000.00"}  # 28万 = 280,000.00
    assert found["A0002"]["found"] == {"title_no": "乐房字第12号"}


def test_a_status_is_taken_by_the_label_the_loop_offers(opened: Cli) -> None:
    child = spawn(opened.registry, "clearance", "check", "C001")
    child.expect_exact("asset: ")
    child.sendline("A0003")
    child.expect_exact("[found]: ")
    child.sendline("d")
    child.expect_exact("spaces): ")
    child.sendline("status")
    # the five statuses an asset can be found in, by their labels; the book: damaged by the open incident
    child.expect_exact("status (in use, leased, idle, damaged, occupied) [damaged]: ")
    child.sendline("damaged")
    child.expect_exact("--status 'damaged': is what the register says; it is not a difference")
    child.expect_exact("[damaged]: ")
    child.sendline("in use")  # as offered: the label of in_use
    child.expect_exact("1 of 5 checked")
    child.expect_exact("asset: ")
    child.sendeof()
    assert finish(child) == 0
    assert findings(opened)["A0003"]["found"] == {"status": "in_use"}
