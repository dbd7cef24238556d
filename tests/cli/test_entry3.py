"""Entering records at the terminal, version 3: list filters by id or name, folding, offered fields,
declining, Ctrl-D, line editing, wrapping, clashes at write time, "record it again?"."""

from __future__ import annotations

import json
import re
from typing import Any

import pexpect
import pytest

from tests.cli.test_prompts import expect_wrapped, finish, spawn
from tests.conftest import Cli


def stored(cli: Cli) -> dict[str, Any]:
    return json.loads(cli.registry.read_text(encoding="utf-8"))


@pytest.fixture
def leased(liushi: Cli) -> Cli:
    """柳市布厂 (M001, 柳市片) with its five buildings (A0001-A0005), the federation (M000, 市区), one
    damage incident (I0001) on all five, and A0001 let to 乐清某电器有限公司 (L0001)."""
    liushi.ok(
        "lease", "add", "--asset", "A0001", "--tenant", "乐清某电器有限公司", "--start", "2004-01-01", "--end", "2005-12-31",
        "--rent", "8000", "--period", "monthly", "--deposit", "16000",
    )  # fmt: skip
    return liushi


# -- list filters: a name, a lower-case id, and a name that matches nothing -------------------------

# (command, option, a name, the id in lower case, the ids the filter keeps, a name matching nothing,
# what the refusal suggests for a part of the name)
FILTERS = [
    (
        "asset",
        "--owner",
        "柳市布厂",
        "m001",
        ["A0001", "A0002", "A0003", "A0004", "A0005"],
        "柳市钢厂",
        ("布厂", "M001 柳市布厂"),
    ),
    ("lease", "--asset", "柳市布厂1号厂房", "a0001", ["L0001"], "柳市布厂9号厂房", ("1号", "A0001 柳市布厂1号厂房")),
    ("lease", "--owner", "柳市布厂", "m001", ["L0001"], "柳市钢厂", ("布厂", "M001 柳市布厂")),
    ("incident", "--asset", "柳市布厂2号厂房", "a0002", ["I0001"], "柳市布厂9号厂房", ("2号", "A0002 柳市布厂2号厂房")),
    ("incident", "--owner", "柳市布厂", "m001", ["I0001"], "柳市钢厂", ("布厂", "M001 柳市布厂")),
]


@pytest.mark.parametrize(("noun", "option", "name", "lower_id", "kept", "nothing", "part"), FILTERS)
def test_a_list_filter_takes_a_name_or_an_id_in_any_case(
    leased: Cli, noun: str, option: str, name: str, lower_id: str, kept: list[str], nothing: str, part: tuple[str, str]
) -> None:
    for given in (name, lower_id, f" {name.upper()} "):  # spaces around, case: the same record
        assert [r["id"] for r in leased.json(noun, "list", option, given)] == kept, given
    # a name that names nothing is refused, never an empty list
    assert leased.refused(noun, "list", option, nothing) == f"error: {option} '{nothing}': no such record\n"
    # a part of a name: refused, with the records whose names hold it
    assert f"did you mean: {part[1]}" in leased.refused(noun, "list", option, part[0])


def test_member_list_by_district_folds_spaces_and_refuses_an_unknown_district(leased: Cli) -> None:
    assert [m["id"] for m in leased.json("member", "list", "--district", " 柳市片")] == ["M001"]
    assert [a["id"] for a in leased.json("asset", "list", "--district", "柳市片　")][:1] == ["A0001"]  # full-width space
    assert "did you mean: 柳市片" in leased.refused("member", "list", "--district", "柳市")
    assert "the districts are: 市区, 柳市片" in leased.refused("member", "list", "--district", "白象片")


def test_search_folds_full_width_forms(leased: Cli) -> None:
    # １号 (full-width one) is 1号: only A0001's name holds it
    assert [a["id"] for a in leased.json("asset", "list", "--search", "１号")] == ["A0001"]
    assert [a["id"] for a in leased.json("asset", "list", "--search", "乐房字第０３号")] == ["A0003"]  # a title number


def test_in_chinese_the_suggestion_is_in_chinese(leased: Cli) -> None:
    error = leased.refused("--lang", "zh", "asset", "list", "--owner", "布厂")
    assert error == "错误：--owner '布厂'：没有这条记录；是否指：M001 柳市布厂\n"  # the words of 'no such record' alone too
    assert leased.refused("--lang", "zh", "asset", "list", "--owner", "钢厂") == "错误：--owner '钢厂'：没有这条记录\n"


# -- folding of names and title numbers -------------------------------------------------------------


def test_a_title_number_typed_with_the_input_method_on_is_the_same_number(liushi: Cli) -> None:
    land = ["--owner", "M001", "--category", "land", "--acquired", "2005-01-01", "--value", "100000"]
    liushi.ok("asset", "add", "--name", "柳市布厂土地", *land, "--title-no", "乐国用（2005）第0315号")
    error = liushi.refused("asset", "add", "--name", "另一块地", *land, "--title-no", "乐国用(2005)第0315号")
    assert "is already the title number of A0006 柳市布厂土地" in error
    # the same with spaces typed inside, and full-width digits
    assert "A0006" in liushi.refused("asset", "add", "--name", "另一块地", *land, "--title-no", "乐国用 (２００５) 第0315号")
    # a building may share its land's certificate
    liushi.ok("asset", "add", "--name", "柳市布厂6号厂房", *land[:2], "--category", "building", *land[4:], "--title-no",
              "乐国用(2005)第0315号")  # fmt: skip


def test_a_member_name_typed_another_way_is_a_duplicate(liushi: Cli) -> None:
    error = liushi.refused("member", "add", "--name", "柳市 布厂", "--district", "柳市片", "--kind", "enterprise")
    assert error == "error: --name '柳市 布厂': is already the name of member M001\n"


def test_typhoon_is_a_disaster_and_an_incident_has_no_default_kind(liushi: Cli) -> None:
    for typed in ("台风", "typhoon", "Typhoon"):
        incident = liushi.json("incident", "add", "--kind", typed, "--asset", "A0001", "--occurred", "2005-03-01")
        assert incident["kind"] == "disaster"
    impaired = liushi.json("asset", "impair", "A0002", "--date", "2005-03-01", "--value", "100000", "--cause", "台风")
    assert impaired["history"][-1]["cause"] == "disaster"
    assert "--kind" in liushi.refused("incident", "add", "--asset", "A0001", "--occurred", "2005-03-01")


def test_a_registry_copied_without_its_log_points_to_verify_adopt(liushi: Cli) -> None:
    journal = liushi.registry.with_name(liushi.registry.name + ".journal")
    journal.unlink()  # copied without its log
    error = liushi.refused("member", "add", "--name", "皮件厂", "--district", "城区片", "--kind", "enterprise")
    assert "is missing" in error and "'assetreg verify --adopt'" in error
    assert not journal.exists()  # the refusal left no empty log behind
    result = liushi.run("verify")
    assert result.exit_code == 1 and "is missing" in result.stderr and "'assetreg verify --adopt'" in result.stderr
    # one problem, said once, with what to do: copy the log if it was left behind, else adopt
    assert result.stderr.count("is missing") == 1 and "copy registry.json.journal beside it" in result.stderr
    assert result.stderr.endswith("failed verification (1 problem)\n")
    zh = liushi.run("--lang", "zh", "verify").stderr
    assert "'assetreg verify --adopt' 可开始新的日志" in zh and zh.endswith("未通过校验（1 处问题）\n")
    liushi.ok("verify", "--adopt", "--yes")
    liushi.ok("member", "add", "--name", "皮件厂", "--district", "城区片", "--kind", "enterprise")


def test_lease_end_takes_a_document_reference(leased: Cli) -> None:
    lease = leased.json("lease", "end", "L0001", "--date", "2005-03-01", "--doc", "乐二轻〔2005〕3号")
    assert stored(leased)["leases"]["L0001"]["end_doc"] == "乐二轻〔2005〕3号" and lease["status"] == "ended"


def test_declining_at_a_terminal_through_a_pipe_changes_nothing_and_exits_0(leased: Cli) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")
    before = leased.registry.read_bytes()
    result = leased.run("undo", input="n\n", env={"ASSETREG_INTERACTIVE": "1"})
    assert result.exit_code == 0 and result.stderr.endswith("Nothing changed.\n")
    assert leased.registry.read_bytes() == before


# -- at a real terminal, 80 columns, both languages --------------------------------------------------

LANGS = {
    "en": {
        "date": "date --date: ",
        "value": "value in yuan --value: ",
        "basis": "[appraisal]: ",
        "doc": "document reference (文号) --doc: ",
        "note": "note --note: ",
        "nothing": "Nothing changed.",
        "interrupted": "error: interrupted; nothing was changed",
        "title": "title certificate number --title-no: ",
        "clash": "--title-no '乐房字第06号': is already the title number of A0006 别的厂房",
        "again": "record it again? [y/N]: ",
        "yes": "y",
        "amount": "amount paid in yuan --amount: ",
        "confirm": "[y/N]",
    },
    "zh": {
        "date": "日期 --date：",
        "value": "价值（元） --value：",
        "basis": "[资产评估]：",
        "doc": "文件号（文号） --doc：",
        "note": "备注 --note：",
        "nothing": "没有任何改动。",
        "interrupted": "错误：已中断；未作任何更改",
        "title": "产权证号 --title-no：",
        "clash": "--title-no '乐房字第06号'：已是同类在册资产 A0006 别的厂房 的产权证号",
        "again": "再记一笔？ [是/否，默认否]：",
        "yes": "是",
        "amount": "付款金额（元） --amount：",
        "confirm": "[是/否，默认否]",
    },
}


def words(lang: str) -> dict[str, str]:
    return LANGS[lang]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_revalue_offers_the_basis_document_and_note_once(leased: Cli, lang: str) -> None:
    w = words(lang)
    child = spawn(leased.registry, "--lang", lang, "asset", "revalue", "A0002")
    child.expect_exact(w["date"])
    child.sendline("2005-03-01")
    child.expect_exact(w["value"])
    child.sendline("350000")
    child.expect_exact(w["basis"])
    child.sendline("")  # Enter: the default basis
    child.expect_exact(w["doc"])
    child.sendline("乐二轻〔2005〕7号")
    child.expect_exact(w["note"])
    child.sendline("")  # Enter skips
    assert finish(child) == 0
    event = stored(leased)["assets"]["A0002"]["events"][-1]
    assert (event["amount"], event["basis"], event["doc"], event["note"]) == ("350000.00", "appraisal", "乐二轻〔2005〕7号", None)


def test_impair_offers_the_incident_it_comes_from(leased: Cli) -> None:
    child = spawn(leased.registry, "asset", "impair", "A0003", "--value", "200000", "--cause", "damage")
    child.expect_exact("date --date: ")
    child.sendline("2005-03-01")
    child.expect_exact("incident that caused it (id) --incident: ")
    child.sendline("i0001")
    child.expect_exact("document reference (文号) --doc: ")
    child.sendline("")
    child.expect_exact("note --note: ")
    child.sendline("")
    assert finish(child) == 0
    assert stored(leased)["assets"]["A0003"]["events"][-1]["incident"] == "I0001"


def test_nothing_is_offered_when_nothing_is_asked(leased: Cli) -> None:
    leased.ok("asset", "revalue", "A0002", "--date", "2005-03-01", "--value", "350000", env={"ASSETREG_INTERACTIVE": "1"})
    child = spawn(leased.registry, "--no-input", "asset", "revalue", "A0002", "--date", "2005-03-02")
    child.expect_exact("error: missing '--value'")
    assert finish(child) == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_building_partly_given_is_offered_its_title_number(liushi: Cli, lang: str) -> None:
    w = words(lang)
    child = spawn(liushi.registry, "--lang", lang, "asset", "add", "--name", "柳市布厂仓库", "--owner", "柳市布厂",
                  "--category", "厂房", "--acquired", "1990-01-01")  # fmt: skip
    child.expect_exact(w["value"])
    child.sendline("12万")
    child.expect_exact(w["title"])
    child.sendline("乐房字第０６号")
    assert finish(child) == 0
    asset = stored(liushi)["assets"]["A0006"]
    assert (asset["title_no"], asset["events"][0]["amount"]) == ("乐房字第０６号", "120000.00")


def test_equipment_is_not_offered_a_title_number(liushi: Cli) -> None:
    child = spawn(liushi.registry, "asset", "add", "--name", "织布机", "--owner", "M001", "--category", "equipment",
                  "--acquired", "1990-01-01")  # fmt: skip
    child.expect_exact("value in yuan --value: ")
    child.sendline("5000")
    assert finish(child) == 0
    assert "title" not in child.before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_declining_an_undo_is_nothing_changed_and_exit_0(leased: Cli, lang: str) -> None:
    w = words(lang)
    before = leased.registry.read_bytes()
    child = spawn(leased.registry, "--lang", lang, "undo")
    child.expect_exact(w["confirm"])
    child.sendline("n" if lang == "en" else "否")
    child.expect_exact(w["nothing"])
    assert finish(child) == 0
    assert leased.registry.read_bytes() == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ctrl_d_at_a_prompt_is_ctrl_c(leased: Cli, lang: str) -> None:
    w = words(lang)
    before = leased.registry.read_bytes()
    child = spawn(leased.registry, "--lang", lang, "lease", "pay", "L0001")
    child.expect_exact(w["date"])
    child.sendeof()
    child.expect_exact(w["interrupted"])
    assert finish(child) == 130
    assert leased.registry.read_bytes() == before
    child = spawn(leased.registry, "--lang", lang, "undo")  # a confirmation too
    child.expect_exact(w["confirm"])
    child.sendeof()
    child.expect_exact(w["interrupted"])
    assert finish(child) == 130
    assert leased.registry.read_bytes() == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_arrow_keys_edit_the_answer(leased: Cli, lang: str) -> None:
    w = words(lang)
    child = spawn(leased.registry, "--lang", lang, "lease", "pay", "L0001")
    child.expect_exact(w["date"])
    child.send("2005-01-5")
    child.send("\x1b[D")  # left arrow: the cursor before the 5
    child.send("0\r")  # 2005-01-05, not "2005-01-5^[[D0"
    child.expect_exact("--amount")
    child.send("800")
    child.send("\x1b[H")  # Home
    child.send("\x1b[F")  # End
    child.send("0\r")
    assert finish(child) == 0
    assert stored(leased)["leases"]["L0001"]["payments"] == [{"date": "2005-01-05", "amount": "8000.00", "note": None}]


def test_the_up_arrow_brings_back_an_earlier_answer(leased: Cli) -> None:
    child = spawn(leased.registry, "lease", "pay", "L0001")
    child.expect_exact("date --date: ")
    child.sendline("2005-01-05")
    child.expect_exact("--amount: ")
    child.send("\x1b[A")  # up: the date typed before, to edit
    child.send("\x15")  # Ctrl-U: cleared again
    child.sendline("8000")
    assert finish(child) == 0
    assert stored(leased)["leases"]["L0001"]["payments"][0]["amount"] == "8000.00"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_prompts_wrap_between_words_at_80_columns(liushi: Cli, lang: str) -> None:
    child = spawn(liushi.registry, "--lang", lang, "member", "add")
    lines: list[str] = []
    for answer in ("皮件厂", "城区片", ""):
        child.expect(r"[:：] ?$")
        lines += child.before.splitlines()
        child.sendline(answer)
    child.expect(r"[:：] ?$")  # the restructuring status, with its choices
    lines += (child.before + child.after).splitlines()
    child.sendintr()
    finish(child)
    shown = [line for line in lines if line.strip()]
    assert all(cell_width(line) <= 80 for line in shown), shown
    for choice in ("not_started", "in_progress", "completed", "verified", "preparing"):
        assert any(choice in line for line in shown), (choice, shown)  # each choice whole on one line


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_incident_kinds_wrap_between_words_at_80_columns(liushi: Cli, lang: str) -> None:
    # version 2 split ille/gal_transfer: seven kinds (with their Chinese names in Chinese) are wider than 80
    child = spawn(liushi.registry, "--lang", lang, "incident", "add", "--asset", "A0001", "--occurred", "2005-03-01")
    child.expect(r"\)[:：] ?$")
    lines = [line for line in (child.before + child.after).splitlines() if line.strip()]
    child.sendintr()
    finish(child)
    assert len(lines) >= 2 and all(cell_width(line) <= 80 for line in lines), lines
    for kind in ("encroachment", "occupation", "illegal_transfer", "land_dispute", "disaster"):
        assert any(kind in line for line in lines), (kind, lines)  # each kind whole on one line


def test_what_an_undo_will_do_wraps_between_words_at_80_columns(leased: Cli) -> None:
    note = "second quarter of 2005, paid in cash by the tenant's accountant at the federation office"
    leased.ok("lease", "pay", "L0001", "--date", "2005-03-01", "--amount", "24000", "--note", note)
    child = spawn(leased.registry, "undo")
    child.expect_exact("[y/N]: ")
    lines = [line for line in child.before.splitlines() if line.strip()]
    child.sendline("n")
    assert finish(child) == 0
    assert all(cell_width(line) <= 80 for line in lines), lines
    assert any("accountant" in line for line in lines) and any("federation" in line for line in lines), lines


def cell_width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_clash_found_when_writing_asks_again_only_for_the_title_number(liushi: Cli, lang: str) -> None:
    w = words(lang)
    given = ["--owner", "M001", "--category", "building", "--acquired", "1990-01-01", "--title-no", "乐房字第06号"]
    child = spawn(liushi.registry, "--lang", lang, "asset", "add", "--name", "柳市布厂6号厂房", *given, "--area", "900")
    child.expect_exact(w["value"])
    # meanwhile another clerk enters a building with that certificate
    liushi.ok("asset", "add", "--name", "别的厂房", "--owner", "M000", "--category", "building", "--acquired", "1990-01-01",
              "--value", "1", "--title-no", "乐房字第06号")  # fmt: skip
    child.sendline("300000")
    expect_wrapped(child, w["clash"])
    child.expect_exact(w["title"])  # the title number only: the name, area and value are not asked again
    child.sendline("乐房字第07号")
    assert finish(child) == 0
    asset = stored(liushi)["assets"]["A0007"]
    # every other answer kept: the name, area and value given before
    assert (asset["name"], asset["title_no"], asset["area"], asset["events"][0]["amount"]) == (
        "柳市布厂6号厂房", "乐房字第07号", "900", "300000.00")  # fmt: skip


def test_without_a_terminal_a_clash_is_one_line(liushi: Cli) -> None:
    land = ["--owner", "M001", "--category", "building", "--acquired", "2005-01-01", "--value", "1"]
    assert liushi.refused("asset", "add", "--name", "x", *land, "--title-no", "乐房字第01号").count("\n") == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_duplicate_payment_at_a_prompt_asks_record_it_again(leased: Cli, lang: str) -> None:
    w = words(lang)
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")
    child = spawn(leased.registry, "--lang", lang, "lease", "pay", "L0001", "--date", "2005-01-05")
    child.expect_exact(w["amount"])
    child.sendline("8000")
    child.expect_exact(w["again"][: w["again"].index("[")].strip())  # the question, then its choices
    child.expect_exact(w["again"][w["again"].index("[") :])
    child.sendline(w["yes"])
    assert finish(child) == 0
    payments = stored(leased)["leases"]["L0001"]["payments"]
    assert [(p["date"], p["amount"], p.get("again")) for p in payments] == [
        ("2005-01-05", "8000.00", None),
        ("2005-01-05", "8000.00", True),
    ]


def test_no_to_record_it_again_asks_the_amount_again(leased: Cli) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")
    child = spawn(leased.registry, "lease", "pay", "L0001", "--date", "2005-01-05")
    child.expect_exact("--amount: ")
    child.sendline("8000")
    child.expect_exact("record it again?")
    child.expect_exact("[y/N]: ")
    child.sendline("n")
    child.expect_exact("--amount: ")  # a typing mistake, then: the amount asked again
    child.sendline("4000")
    assert finish(child) == 0
    assert [p["amount"] for p in stored(leased)["leases"]["L0001"]["payments"]] == ["8000.00", "4000.00"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_incident_add_asks_the_kind_without_a_default_and_takes_typhoon(liushi: Cli, lang: str) -> None:
    child = spawn(liushi.registry, "--lang", lang, "incident", "add", "--asset", "A0001", "--occurred", "2005-03-01")
    child.expect(r"(?s)--kind.*?\)[:：] ?")
    assert "[encroachment]" not in child.after and "[侵占]" not in child.after
    child.sendline("")  # no default: asked again
    child.expect_exact("--kind: an answer is needed" if lang == "en" else "--kind：此项必须填写")
    child.expect(r"(?s)--kind.*?\)[:：] ?")
    child.sendline("台风")
    assert finish(child) == 0
    assert stored(liushi)["incidents"]["I0002"]["kind"] == "disaster"


def test_lease_end_with_arrears_offers_the_deposit(leased: Cli) -> None:
    # L0001: 8,000 a month from 2004-01-01; nothing paid. Ending on 2004-02-15: the dues of 2004-01-01 and
    # 2004-02-01 fell due, 2 × 8,000 = 16,000 owed; the deposit held is 16,000.
    child = spawn(leased.registry, "lease", "end", "L0001")
    child.expect_exact("date --date: ")
    child.sendline("2004-02-15")
    child.expect_exact("document reference (文号) --doc: ")
    child.sendline("乐二轻〔2004〕5号")
    child.expect_exact("note --note: ")
    child.sendline("")
    child.expect_exact("Arrears of 16,000.00 yuan are owed and a deposit of 16,000.00 yuan is held")
    child.expect_exact("[y/N]: ")
    child.sendline("y")
    assert finish(child) == 0
    lease = stored(leased)["leases"]["L0001"]
    assert (lease["status"], lease["end_doc"], [p["amount"] for p in lease["payments"]]) == (
        "ended", "乐二轻〔2004〕5号", ["16000.00"])  # fmt: skip


def test_pexpect_is_80_columns() -> None:
    child = pexpect.spawn("stty", ["size"], encoding="utf-8")
    child.expect(pexpect.EOF)
    assert child.before.split() == ["24", "80"]


# -- readable changes in undo, redo and revert ---------------------------------------------------------


def test_undo_of_a_payment_again_says_it_in_words(leased: Cli) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-03-15", "--amount", "8000.50")
    leased.ok("lease", "pay", "L0001", "--date", "2005-03-15", "--amount", "8000.50", "--again")
    shown = leased.ok("undo", "--yes").stderr
    assert "L0001: payments: takes out 2005-03-15 8,000.50 (recorded again)" in shown
    assert "True" not in shown and "seq" not in shown
    shown = leased.ok("--lang", "zh", "redo", "--yes").stderr
    assert "2005-03-15 8,000.50 （重复登记）" in shown and "True" not in shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_revert_of_a_lease_end_names_fields_in_the_language_and_leaves_out_unchanged_ones(leased: Cli, lang: str) -> None:
    leased.ok("lease", "end", "L0001", "--date", "2005-03-01")  # no note, no 文号
    last = leased.json("log")[-1]["seq"]
    shown = leased.ok("--lang", lang, "revert", str(last), "--yes").stderr
    lines = [line for line in shown.splitlines() if "L0001" in line and "→" in line]
    assert "— → —" not in shown and "end_note" not in shown and "ended_on" not in shown
    ended = "ended on" if lang == "en" else "终止日"
    assert any(f"{ended} 2005-03-01 → —" in line for line in lines), lines
    assert len(lines) == 2, lines  # the status and the day it ended: nothing else changes


# -- the shape of cli/ and render/formats/ ---------------------------------------------------------------


def _imports(path: Any) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("package", ["cli", "render/formats"])
def test_no_module_imports_one_that_imports_it_back(package: str) -> None:
    from pathlib import Path

    import assetreg

    folder = Path(assetreg.__file__).parent / package
    name = "assetreg." + package.replace("/", ".")
    modules = {f"{name}.{p.stem}": p for p in folder.glob("*.py") if p.stem != "__init__"}
    graph = {m: {n for n in _imports(p) if n in modules and n != m} for m, p in modules.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph[start])

    circled = {m.rsplit(".", 1)[1] for m in modules if reaches(m, m, {m})}
    # the three circles of version 2 are gone (rollup, reports and transfer: see the report to the lead)
    assert circled & {"admin", "correct", "common", "complete", "language", "table", "txt"} == set()


def test_completion_uses_no_private_module_of_typer() -> None:
    from pathlib import Path

    import assetreg

    for path in sorted((Path(assetreg.__file__).parent / "cli").glob("*.py")):  # language.py used typer._click
        private = {m for m in _imports(path) if m.startswith("typer._")}
        assert private == set(), (path.name, private)
        # nor a private name of a public module (rich_utils._make_rich_text was patched for folding)
        assert re.findall(r"\b(?:typer|rich_utils|core|main)\._[a-z]\w*", path.read_text(encoding="utf-8")) == [], path.name


# -- corrections and list options ----------------------------------------------------------------------


def test_lease_edit_end_and_contact_and_the_dues_follow(leased: Cli) -> None:
    # L0001: 8,000 a month from 2004-01-01 to 2005-12-31, nothing paid; on 2005-03-15 (the tests' today)
    # 15 dues fell due (2004-01 … 2005-03): 15 × 8,000 = 120,000 owed.
    assert leased.json("lease", "show", "L0001")["arrears"] == "120000.00"
    # an earlier end agreed, on 2004-06-30: the dues of 2004-01 … 2004-06 only, 6 × 8,000 = 48,000
    lease = leased.json("lease", "edit", "l0001", "--end", "2004/6/30", "--contact", "王经理 13805770000")
    assert (lease["end"], lease["contact"], lease["arrears"]) == ("2004-06-30", "王经理 13805770000", "48000.00")
    assert "--end '2003-12-31': is before the lease starts (2004-01-01)" in leased.refused(
        "lease", "edit", "L0001", "--end", "2003-12-31"
    )
    added = leased.json("lease", "add", "--asset", "A0002", "--tenant", "某公司", "--contact", "0577-62512345",
                        "--start", "2005-01-01", "--end", "2005-12-31", "--rent", "1000", "--period", "monthly")  # fmt: skip
    assert added["contact"] == "0577-62512345"
    # and shown where the clerk looks for it, the lease's page, in both languages (labels padded to the
    # widest: "Document" 8 letters + 2 in English, 承租人 6 cells + 2 in Chinese)
    assert "Contact   0577-62512345" in leased.ok("lease", "show", "L0002").stdout
    assert "联系人  王经理 13805770000" in leased.ok("--lang", "zh", "lease", "show", "L0001").stdout
    # and kept through export csv and import into a new registry (the column was missing: a tenant's
    # phone was lost on the way)
    folder = leased.registry.parent / "out"
    leased.ok("export", "csv", "--output", str(folder))
    assert "contact" in (folder / "leases.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    other = Cli(leased.registry.parent / "other.json")
    other.ok("init", "--name", "副本")
    for kind in ("members", "assets", "leases"):
        other.ok("import", kind, str(folder / f"{kind}.csv"))
    assert [x.get("contact") for x in other.json("lease", "list")] == ["王经理 13805770000", "0577-62512345"]


def test_lease_list_by_the_day_it_ends(leased: Cli) -> None:
    leased.ok("lease", "add", "--asset", "A0002", "--tenant", "某公司", "--start", "2005-01-01", "--end", "2007-12-31",
              "--rent", "1000", "--period", "monthly")  # fmt: skip
    assert [x["id"] for x in leased.json("lease", "list", "--ends-from", "2005-01-01", "--ends-to", "2005-12-31")] == ["L0001"]
    assert [x["id"] for x in leased.json("lease", "list", "--ends-from", "2006-01-01")] == ["L0002"]
    assert [x["id"] for x in leased.json("lease", "list", "--ends-to", "2007-12-31")] == ["L0001", "L0002"]
    assert "--ends-to '2005-01-01': is before --ends-from (2006-01-01)" in leased.refused(
        "lease", "list", "--ends-from", "2006-01-01", "--ends-to", "2005-01-01"
    )


def test_every_list_sorts(leased: Cli) -> None:
    leased.ok("asset", "impair", "A0003", "--date", "2005-01-01", "--value", "100000", "--cause", "damage")
    leased.ok("asset", "revalue", "A0004", "--date", "2005-01-01", "--value", "500000")
    # values: A0001, A0002, A0005 320,000; A0003 100,000; A0004 500,000; ties keep the id order
    assert [a["id"] for a in leased.json("asset", "list", "--sort", "-value")] == ["A0004", "A0001", "A0002", "A0005", "A0003"]
    assert [a["id"] for a in leased.json("asset", "list", "--sort", "value")][:1] == ["A0003"]
    assert [m["id"] for m in leased.json("member", "list", "--sort", "-id")] == ["M001", "M000"]
    assert [x["id"] for x in leased.json("lease", "list", "--sort", "arrears")] == ["L0001"]
    assert [i["id"] for i in leased.json("incident", "list", "--sort", "occurred")] == ["I0001"]
    error = leased.refused("asset", "list", "--sort", "colour")
    assert error.startswith("error: --sort 'colour': not a field of these rows; one of: ") and "value" in error


def test_the_clearance_list_sorts_too(leased: Cli) -> None:
    leased.ok("clearance", "open", "--as-of", "2004-12-31", "--name", "2004年度资产清查", "--member", "M001")  # C001
    leased.ok(
        "clearance", "open", "--as-of", "2003-12-31", "--name", "2003年度资产清查", "--member", "M000"
    )  # C002: a year before
    assert [c["id"] for c in leased.json("clearance", "list")] == ["C001", "C002"]
    assert [c["id"] for c in leased.json("clearance", "list", "--sort", "as_of")] == ["C002", "C001"]
    assert [c["id"] for c in leased.json("clearance", "list", "--sort", "-id")] == ["C002", "C001"]
    assert [c["id"] for c in leased.json("clearance", "list", "--sort", "-name")] == ["C001", "C002"]
    assert "--sort 'colour': not a field of these rows" in leased.refused("clearance", "list", "--sort", "colour")


# -- the README's entry and correction part runs as written ------------------------------------------


def readme_lines() -> list[tuple[str, str]]:
    """Each command line of the README's bash blocks from "A short tour" to "Commands", with its
    comment: continuation lines joined, `export` and comment lines left out."""
    from pathlib import Path

    text = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    part = text[text.index("## A short tour") : text.index("## Commands")]
    found = []
    for block in re.findall(r"```bash\n(.*?)```", part, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command, _, comment = line.partition("  #")
            if command.strip().startswith("assetreg"):
                found.append((command.strip(), comment))
    return found


def test_every_command_line_of_the_readme_entry_part_runs(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    monkeypatch.chdir(tmp_path)  # a report's --output lands here
    lines = readme_lines()
    assert len(lines) > 20 and lines[0][0].startswith("assetreg init")
    fresh = Cli(tmp_path / "federation.json")  # the tour starts from nothing: its init makes the registry
    for command, comment in lines:
        args = shlex.split(command)[1:]
        # what the comment says: a refusal exits 1, `flags --fail-on` finding a flag 3; undo asks (y)
        expected = 1 if "refused" in comment else 3 if "--fail-on" in command else 0
        result = fresh.run(*args, input="y\n", env={"ASSETREG_INTERACTIVE": "1"} if args == ["undo"] else None)
        assert result.exit_code == expected, (command, result.stderr)
    assert (tmp_path / "value-2004.html").exists()


# -- what a prompt offers, command by command (answers piped, as a terminal would give them) -------------

ASKING = {"ASSETREG_INTERACTIVE": "1"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dispose_transfer_lease_add_and_act_offer_the_document_reference(leased: Cli, lang: str) -> None:
    doc = "文件号（文号） --doc" if lang == "zh" else "document reference (文号) --doc"
    # dispose, missing its method: the method, then the 文号 and the note offered
    result = leased.run("--lang", lang, "asset", "dispose", "A0005", "--date", "2005-03-01", "--proceeds", "1000",
                        input="sale\n乐二轻〔2005〕8号\n旧厂房拆除\n", env=ASKING)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr.index("--method") < result.stderr.index(doc) < result.stderr.index("--note")
    event = stored(leased)["assets"]["A0005"]["events"][-1]
    assert (event["kind"], event["doc"], event["note"]) == ("dispose", "乐二轻〔2005〕8号", "旧厂房拆除")
    # a transfer, missing the receiver
    result = leased.run("--lang", lang, "asset", "transfer", "A0004", "--date", "2005-03-01",
                        input="M000\n乐二轻〔2005〕9号\n\n", env=ASKING)  # fmt: skip
    assert result.exit_code == 0 and doc in result.stderr, result.stderr
    assert stored(leased)["assets"]["A0004"]["owner"] == "M000"
    assert "乐二轻〔2005〕9号" in json.dumps(stored(leased)["assets"]["A0004"], ensure_ascii=False)
    # a lease, missing its period: Enter takes monthly, then the 文号
    result = leased.run("--lang", lang, "lease", "add", "--asset", "A0003", "--tenant", "某公司", "--start", "2005-01-01",
                        "--end", "2005-12-31", "--rent", "1000", input="\n乐二轻〔2005〕10号\n\n", env=ASKING)  # fmt: skip
    assert result.exit_code == 0 and doc in result.stderr, result.stderr
    assert (stored(leased)["leases"]["L0002"]["period"], stored(leased)["leases"]["L0002"]["doc"]) == (
        "monthly",
        "乐二轻〔2005〕10号",
    )
    # an action, missing what was done: the 文号 offered, no note (the note is what was done)
    result = leased.run("--lang", lang, "incident", "act", "I0001", "--date", "2005-03-01",
                        input="再次调解\n乐二轻〔2005〕11号\n", env=ASKING)  # fmt: skip
    assert result.exit_code == 0 and doc in result.stderr, result.stderr
    action = stored(leased)["incidents"]["I0001"]["actions"][-1]
    assert (action["note"], action["doc"]) == ("再次调解", "乐二轻〔2005〕11号")


def test_lease_pay_offers_nothing_more(leased: Cli) -> None:
    result = leased.run("lease", "pay", "L0001", "--date", "2005-01-05", input="8000\n", env=ASKING)
    assert result.exit_code == 0 and "--doc" not in result.stderr and "--note" not in result.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_declining_redo_and_revert_is_nothing_changed_and_exit_0(leased: Cli, lang: str) -> None:
    leased.ok("lease", "pay", "L0001", "--date", "2005-01-05", "--amount", "8000")
    first = str(leased.json("log")[-1]["seq"])  # a payment that may be reverted
    leased.ok("lease", "pay", "L0001", "--date", "2005-02-05", "--amount", "8000")
    leased.ok("undo", "--yes")  # the second payment taken out: there is something to redo
    nothing = "Nothing changed.\n" if lang == "en" else "没有任何改动。\n"
    for command in (["redo"], ["revert", first]):
        before = leased.registry.read_bytes()
        result = leased.run("--lang", lang, *command, input="n\n" if lang == "en" else "否\n", env=ASKING)
        assert (result.exit_code, result.stderr.endswith(nothing)) == (0, True), (command, result.stderr)
        assert leased.registry.read_bytes() == before
