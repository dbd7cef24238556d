"""The annual clearance (资产清查): scope, findings, the result report, the close and what it changes.

The registry of `counted` (every figure below is worked out by hand from it):

  M000 乐清市二轻联社 (federation)  A0005 office      1,800,000  2,400 m²
  M001 柳市布厂                      A0001 building 1    320,000  1,200 m²
                                     A0002 building 2    320,000  1,200 m²
  M002 大荆木器厂                    A0003 lathe          50,000  (no area)
                                     A0004 building      600,000  3,000 m²
  A0006 bought 2005-01-05 and A0007 sold 2004-06-30 for 100,000 (its value) are not held on 2004-12-31.

Clearance C001 as of 2004-12-31: A0001 and A0004 found; A0002 differs (1,150 m², 280,000); A0003 missing;
A0005 differs in location only; surplus S1 of M002, a shed of 200 m² worth 40,000.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli


def _asset(cli: Cli, name: str, owner: str, category: str, acquired: str, value: str, *extra: str) -> None:
    cli.ok(
        "asset", "add", "--name", name, "--owner", owner, "--category", category, "--acquired", acquired, "--value", value, *extra
    )


@pytest.fixture
def held(cli: Cli) -> Cli:
    cli.ok("member", "add", "--name", "乐清市二轻联社", "--district", "城区片", "--kind", "federation", "--id", "M000")
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    cli.ok("member", "add", "--name", "大荆木器厂", "--district", "大荆片", "--kind", "enterprise")
    _asset(cli, "柳市布厂1号厂房", "M001", "building", "1985-06-01", "320000", "--area", "1200", "--title-no", "乐房字第01号")
    _asset(cli, "柳市布厂2号厂房", "M001", "building", "1985-06-01", "320000", "--area", "1200", "--title-no", "乐房字第02号")
    _asset(cli, "大荆车床", "M002", "equipment", "1995-01-01", "50000")
    _asset(cli, "大荆木器厂厂房", "M002", "building", "1984-03-01", "600000", "--area", "3000", "--title-no", "乐房字第04号")
    _asset(cli, "联社办公楼", "M000", "building", "1988-05-01", "1800000", "--area", "2400", "--title-no", "乐房字第05号")
    _asset(cli, "大荆新车床", "M002", "equipment", "2005-01-05", "30000")
    _asset(cli, "旧仓库", "M000", "building", "1990-01-01", "100000", "--area", "500", "--title-no", "乐房字第07号")
    cli.ok(
        "asset",
        "dispose",
        "A0007",
        "--date",
        "2004-06-30",
        "--proceeds",
        "100000",
        "--method",
        "sale",
        "--doc",
        "乐二轻〔2004〕9号",
    )
    return cli


@pytest.fixture
def counted(held: Cli) -> Cli:
    held.ok("clearance", "open", "--as-of", "2004-12-31", "--name", "2004年度资产清查")
    held.ok("clearance", "check", "C001", "A0001", "--date", "2005-01-10")
    held.ok(
        "clearance",
        "check",
        "C001",
        "柳市布厂2号厂房",
        "--result",
        "differs",
        "--area",
        "1150",
        "--value",
        "28万",
        "--date",
        "2005-01-10",
    )
    held.ok("clearance", "check", "C001", "A0003", "--result", "missing", "--date", "2005-01-11", "--note", "车间内未找到")
    held.ok("clearance", "check", "C001", "乐房字第04号", "--date", "2005-01-11")
    held.ok(
        "clearance", "check", "C001", "A0005", "--result", "differs", "--location", "乐清市城东街道8号", "--date", "2005-01-12"
    )
    held.ok(
        "clearance", "surplus", "C001", "--name", "大荆简易仓库", "--owner", "大荆木器厂", "--category", "building",
        "--value", "40000", "--area", "200", "--date", "2005-01-12",
    )  # fmt: skip
    return held


def test_open_fixes_the_scope_from_the_register_of_the_as_of_day(held: Cli) -> None:
    shown = held.json("clearance", "open", "--as-of", "2004-12-31")
    # held at the end of 2004-12-31: A0001–A0005; A0006 came in 2005, A0007 was sold in June 2004
    assert [item["asset"] for item in shown["scope"]] == ["A0001", "A0002", "A0003", "A0004", "A0005"]
    assert shown["id"] == "C001" and shown["status"] == "open" and shown["closed"] is None
    assert shown["scope"][0]["book"] == {
        "status": "in_use", "area": "1200", "location": None, "title_no": "乐房字第01号", "value": "320000.00"
    }  # fmt: skip
    assert shown["counts"] == {"scope": 5, "checked": 0, "found": 0, "differs": 0, "missing": 0, "surplus": 0, "unchecked": 5}


def test_open_by_member_and_by_district(held: Cli) -> None:
    by_member = held.json("clearance", "open", "--as-of", "2004-12-31", "--member", "柳市布厂")
    assert [i["asset"] for i in by_member["scope"]] == ["A0001", "A0002"]
    by_district = held.json("clearance", "open", "--as-of", "2004-12-31", "--district", "大荆片")
    assert [i["asset"] for i in by_district["scope"]] == ["A0003", "A0004"]


def test_the_result_report_by_member_and_total(counted: Cli) -> None:
    data = counted.json("report", "clearance", "C001")
    rows = {row["member"]: row for row in data["rows"]}

    def part(count: int, area: str, value: str) -> dict[str, Any]:
        return {"count": count, "area": area, "value": value}

    # M000: the office, found (its location differs, not a figure)
    assert rows["M000"]["book"] == part(1, "2400.00", "1800000.00") == rows["M000"]["found"]
    assert rows["M000"]["difference"] == "0.00"
    # M001: book 2 × 1,200 m², 2 × 320,000; found 1,200 + 1,150 = 2,350 m², 320,000 + 280,000 = 600,000
    assert rows["M001"]["book"] == part(2, "2400.00", "640000.00")
    assert rows["M001"]["found"] == part(2, "2350.00", "600000.00")
    assert rows["M001"]["difference"] == "-40000.00"  # 600,000 − 640,000
    # M002: book lathe 50,000 (no area) + building 600,000 (3,000 m²); lathe missing; shed found (200 m², 40,000)
    assert rows["M002"]["book"] == part(2, "3000.00", "650000.00")
    assert rows["M002"]["shortfall"] == part(1, "0.00", "50000.00")
    assert rows["M002"]["surplus"] == part(1, "200.00", "40000.00")
    assert rows["M002"]["found"] == part(2, "3200.00", "640000.00")  # 2 − 1 + 1; 3,000 + 200; 650,000 − 50,000 + 40,000
    assert rows["M002"]["difference"] == "-10000.00"
    total = data["total"]
    assert total["book"] == part(5, "7800.00", "3090000.00")  # 2,400 + 2,400 + 3,000; 1,800,000 + 640,000 + 650,000
    assert total["found"] == part(5, "7950.00", "3040000.00")  # 7,800 − 50 + 200; 3,090,000 − 40,000 − 50,000 + 40,000
    assert total["surplus"] == part(1, "200.00", "40000.00")
    assert total["shortfall"] == part(1, "0.00", "50000.00")
    assert total["difference"] == "-50000.00"
    assert [(d["asset"], d["field"], d["book"], d["found"]) for d in data["differs"]] == [
        ("A0002", "area", "1200", "1150"),
        ("A0002", "value", "320000.00", "280000.00"),
        ("A0005", "location", None, "乐清市城东街道8号"),
    ]
    assert [s["asset"] for s in data["shortfalls"]] == ["A0003"]
    assert [s["id"] for s in data["surpluses"]] == ["S1"]
    assert data["unchecked"] == []
    assert data["as_of"] == "2004-12-31" and "log_head" in data


def test_the_result_report_by_district_and_category(counted: Cli) -> None:
    districts = {r["district"]: r for r in counted.json("report", "clearance", "C001", "--by", "district")["rows"]}
    assert districts["大荆片"]["found"]["value"] == "640000.00" and districts["城区片"]["book"]["count"] == 1
    categories = {r["category"]: r for r in counted.json("report", "clearance", "C001", "--by", "category")["rows"]}
    # equipment: the lathe 50,000, missing; buildings: 3,040,000 − 0 + … = every other figure
    assert categories["equipment"]["shortfall"] == {"count": 1, "area": "0.00", "value": "50000.00"}
    assert categories["building"]["found"] == {"count": 5, "area": "7950.00", "value": "3040000.00"}


def test_close_applies_every_finding_as_one_entry_dated_the_as_of_day(counted: Cli) -> None:
    before = len(counted.json("log"))
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")
    assert len(counted.json("log")) == before + 1
    lathe = counted.json("asset", "show", "A0003", "--as-of", "2004-12-31")
    assert lathe["status"] == "missing" and lathe["value"] == "0.00"
    last = lathe["history"][-1]
    assert (last["kind"], last["cause"], last["amount"], last["doc"]) == ("impair", "shortfall", "0.00", "乐二轻〔2005〕3号")
    assert lathe["last_clearance"] is None  # as of 2004-12-31 it had not been counted yet (on 2005-01-11)
    last_count = counted.json("asset", "show", "A0003")["last_clearance"]
    assert last_count == {"clearance": "C001", "as_of": "2004-12-31", "result": "missing", "date": "2005-01-11"}
    second = counted.json("asset", "show", "A0002", "--as-of", "2004-12-31")
    assert second["value"] == "280000.00" and second["area"] == "1150"
    assert second["history"][-1]["basis"] == "clearance" and second["history"][-1]["date"] == "2004-12-31"
    assert counted.json("asset", "show", "A0005")["location"] == "乐清市城东街道8号"
    shed = counted.json("asset", "show", "A0008")
    assert shed["name"] == "大荆简易仓库" and shed["acquired"] == "2004-12-31" and shed["history"][0]["source"] == "surplus"
    # the register of the as-of day already shows what was found; the day before, the book
    assert counted.json("asset", "show", "A0003", "--as-of", "2004-12-30")["status"] == "in_use"
    shown = counted.json("clearance", "show", "C001")
    assert shown["status"] == "closed" and shown["closed"] == "2005-01-25" and shown["surplus"][0]["asset"] == "A0008"


def test_value_report_of_the_period_holding_the_as_of_day(counted: Cli) -> None:
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")
    data = counted.json("report", "value", "--year", "2004")
    rows = {r["member"]: r for r in data["rows"]}
    # M002: V0 50,000 + 600,000 = 650,000; V1 0 + 600,000 + shed 40,000 = 640,000; A = 40,000 (the surplus)
    # adjusted = 640,000 − 40,000 = 600,000; ratio 600,000 ÷ 650,000 = 92.307… → 92.31: the shortfall lowers it
    assert (rows["M002"]["opening"], rows["M002"]["closing"], rows["M002"]["acquired"]) == ("650000.00", "640000.00", "40000.00")
    assert rows["M002"]["adjusted_closing"] == "600000.00" and rows["M002"]["ratio"] == "92.31" and rows["M002"]["below"]
    # M001: the clearance revaluation 320,000 → 280,000 is in R: 600,000 + 40,000 = 640,000 ÷ 640,000 = 100.00
    assert rows["M001"]["revalued"] == "-40000.00" and rows["M001"]["ratio"] == "100.00"
    total = data["total"]
    # V0 3,190,000 (the five, and the old warehouse sold in June); V1 3,040,000; A 40,000; R −40,000; P 100,000
    # adjusted = 3,040,000 − 40,000 + 40,000 + 100,000 = 3,140,000; change −50,000 (the lathe); 98.4326… → 98.43
    assert (total["opening"], total["closing"], total["proceeds"]) == ("3190000.00", "3040000.00", "100000.00")
    assert (total["adjusted_closing"], total["change"], total["ratio"]) == ("3140000.00", "-50000.00", "98.43")


def test_a_recovery_counts_in_the_ratio_as_the_reverse_of_the_shortfall(counted: Cli) -> None:
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")
    later = {"ASSETREG_TODAY": "2006-03-15"}
    counted.ok("clearance", "open", "--as-of", "2005-12-31", "--member", "M002", env=later)
    counted.ok(
        "clearance", "check", "C002", "A0003", "--result", "differs", "--value", "45000", "--date", "2006-01-05", env=later
    )
    for asset in ("A0004", "A0006", "A0008"):
        counted.ok("clearance", "check", "C002", asset, "--date", "2006-01-05", env=later)
    counted.ok("clearance", "close", "C002", "--date", "2006-01-20", "--doc", "乐二轻〔2006〕2号", env=later)
    lathe = json.loads(counted.ok("asset", "show", "A0003", "--json", env=later).stdout)
    assert lathe["status"] == "in_use" and lathe["history"][-1]["basis"] == "recovery"
    row = json.loads(counted.ok("report", "value", "--year", "2005", "--member", "M002", "--json", env=later).stdout)["rows"][0]
    # V0 = 0 + 600,000 + 40,000 = 640,000; bought the new lathe 30,000 (A); V1 = 45,000 + 600,000 + 30,000 + 40,000
    # = 715,000; R = 0 (a recovery is not taken out); adjusted 715,000 − 30,000 = 685,000; 685 ÷ 640 = 107.03
    assert (row["opening"], row["closing"], row["acquired"], row["revalued"]) == ("640000.00", "715000.00", "30000.00", "0.00")
    assert row["ratio"] == "107.03"


def test_undo_of_a_close_reverses_it_whole(counted: Cli) -> None:
    before = counted.registry.read_bytes()
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")
    counted.ok("undo", "--yes")
    assert counted.json("asset", "show", "A0003")["status"] == "in_use"
    assert counted.json("asset", "show", "A0002")["value"] == "320000.00"
    assert counted.run("asset", "show", "A0008").exit_code == 1
    assert counted.json("clearance", "show", "C001")["status"] == "open"
    data = json.loads(counted.registry.read_text(encoding="utf-8"))
    assert data["assets"] == json.loads(before)["assets"]
    counted.ok("redo", "--yes")
    assert counted.json("asset", "show", "A0003")["status"] == "missing"


def test_export_and_import_give_the_same_clearance_report(counted: Cli, tmp_path: Path) -> None:
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")
    folder = tmp_path / "out"
    counted.ok("export", "csv", "--output", str(folder))
    fresh = Cli(tmp_path / "fresh.json")
    fresh.ok("init", "--name", "乐清市二轻联社")
    kinds = ("members", "restructurings", "assets", "statuses", "transfers", "incidents", "values", "leases", "payments",
             "actions", "clearances", "findings")  # fmt: skip
    for kind in kinds:
        fresh.ok("import", kind, str(folder / f"{kind}.csv"))

    def figures(cli: Cli, *args: str) -> dict[str, Any]:
        return {k: v for k, v in cli.json(*args).items() if k not in ("registry", "made", "log_head")}

    assert figures(fresh, "report", "clearance", "C001") == figures(counted, "report", "clearance", "C001")
    assert figures(fresh, "report", "value", "--year", "2004") == figures(counted, "report", "value", "--year", "2004")
    assert fresh.json("clearance", "show", "C001") == counted.json("clearance", "show", "C001")


def test_bad_input_is_refused_in_one_line_and_nothing_written(counted: Cli) -> None:
    def refused(*args: str) -> str:
        error = counted.refused(*args)
        assert error.count("\n") == 1, error
        return error

    assert "later than today" in refused("clearance", "open", "--as-of", "2005-03-16")
    assert "A0001 is already in open clearance C001" in refused("clearance", "open", "--as-of", "2004-12-31", "--member", "M001")
    assert "not in the scope of clearance C001 (assets held on 2004-12-31)" in refused("clearance", "check", "C001", "A0006")
    assert "names nothing that differs" in refused("clearance", "check", "C001", "A0001", "--result", "differs")
    # A0001's book: 1,200 m², 320,000.00, in use. A figure equal to it (1200.0 is 1200) is not a difference: refused
    # naming the option and the value as typed, even beside a field that does differ
    error = refused("clearance", "check", "C001", "A0001", "--result", "differs", "--area", "1200.0")
    assert "--area '1200.0': is what the register says; it is not a difference" in error
    error = refused("clearance", "check", "C001", "A0001", "--result", "differs", "--area", "1150", "--value", "32万")
    assert "--value '32万': is what the register says; it is not a difference" in error
    error = refused("clearance", "check", "C001", "A0001", "--result", "differs", "--status", "自用")
    assert "--status '自用': is what the register says" in error
    assert "--value '8000,50'" in refused("clearance", "check", "C001", "A0001", "--result", "differs", "--value", "8000,50")
    assert "--date '2005-02-30'" in refused("clearance", "check", "C001", "A0001", "--date", "2005-02-30")
    assert "applies to --result differs only" in refused("clearance", "check", "C001", "A0001", "--area", "100")
    assert "--value '-5'" in refused("clearance", "surplus", "C001", "--name", "x", "--owner", "M001", "--category", "building",
                                     "--value", "-5")  # fmt: skip
    # a value event dated on or before the as-of day of an asset being counted
    assert "open clearance C001" in refused("asset", "revalue", "A0001", "--date", "2004-12-31", "--value", "1")
    counted.ok("asset", "revalue", "A0006", "--date", "2005-02-01", "--value", "29000")  # not in the scope: allowed
    # a transfer or a status change of a counted asset dated on or before the day, too; after it, not
    assert "open clearance C001" in refused("asset", "transfer", "A0001", "--to", "M002", "--date", "2004-12-31")
    assert "open clearance C001" in refused("asset", "edit", "A0004", "--status", "idle", "--status-since", "2004-12-01")
    counted.ok("asset", "edit", "A0004", "--status", "idle", "--status-since", "2005-01-01")
    # an asset is in at most one open clearance, whatever its day
    assert "A0003 is already in open clearance C001" in refused("clearance", "open", "--as-of", "2005-02-28", "--member", "M002")


def test_close_with_unchecked_assets_says_how_many(held: Cli) -> None:
    held.ok("clearance", "open", "--as-of", "2004-12-31")
    held.ok("clearance", "check", "C001", "A0001")
    error = held.refused("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")
    assert "assets not checked: 4; check them, or give --partial" in error  # one line within 80 columns
    held.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号", "--partial")
    assert [i["asset"] for i in held.json("report", "clearance", "C001")["unchecked"]] == ["A0002", "A0003", "A0004", "A0005"]
    # a closed clearance takes no more checks and no second close
    assert "was closed on 2005-01-25" in held.refused("clearance", "check", "C001", "A0002")
    assert "was closed on 2005-01-25" in held.refused("clearance", "close", "C001", "--date", "2005-01-26", "--doc", "x")
    assert "was closed on 2005-01-25" in held.refused("clearance", "remove", "C001", "--force")


def test_close_is_refused_when_a_later_event_would_be_overridden(counted: Cli) -> None:
    counted.ok("asset", "remove", "A0006", "--force")
    error = counted.refused("clearance", "close", "C001", "--date", "2004-12-30", "--doc", "x")
    assert "before the clearance's day" in error
    counted.ok("clearance", "check", "C001", "A0004", "--result", "differs", "--status", "idle")
    counted.ok("clearance", "remove", "C001", "--force")  # open: it may go, findings and all
    assert counted.json("clearance", "list") == []


def test_a_later_event_blocks_the_close_naming_it(held: Cli) -> None:
    held.ok("asset", "revalue", "A0004", "--date", "2005-02-01", "--value", "650000", "--doc", "乐二轻〔2005〕5号")
    held.ok("clearance", "open", "--as-of", "2004-12-31", "--member", "M002")
    held.ok("clearance", "check", "C001", "A0003")
    held.ok("clearance", "check", "C001", "A0004", "--result", "differs", "--value", "580000")
    error = held.refused("clearance", "close", "C001", "--date", "2005-03-01", "--doc", "x")
    assert "asset 'A0004'" in error and "revalue 2005-02-01" in error


def test_the_notice_period_holds_the_close_back_and_the_document_states_it(counted: Cli) -> None:
    counted.ok("settings", "set", "notice_contact", "联社办公室 62512345")
    counted.ok("clearance", "notice", "C001", "--from", "2005-01-15", "--days", "10")
    assert "runs until 2005-01-24" in counted.refused("clearance", "close", "C001", "--date", "2005-01-24", "--doc", "x")
    text = counted.ok("--lang", "zh", "report", "clearance", "C001", "--format", "txt").stdout
    assert "2005-01-15 至 2005-01-24（共 10 天）" in text and "联社办公室 62512345" in text
    assert "清查人：" in text and "复核人：" in text and "单位负责人：" in text
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")


def test_without_a_notice_the_period_is_counted_from_the_day_made(counted: Cli) -> None:
    text = counted.ok("report", "clearance", "C001", "--notice-days", "5", "--format", "md").stdout
    assert "from 2005-03-15 to 2005-03-19 (5 days)" in text and "no office named yet" in text
    assert "Counted by" in text and "Head of the unit" in text


def test_clearance_list_and_show_in_chinese(counted: Cli) -> None:
    out = counted.ok("--lang", "zh", "clearance", "list").stdout
    assert "C001" in out and "进行中" in out
    for english in ("In scope", "Checked", "Found", "Differ", "Missing"):  # the count headings were English
        assert english not in out
    assert "清查范围" in out and "已清查" in out and "相符" in out and "不符" in out and "盘亏" in out
    shown = counted.ok("--lang", "zh", "clearance", "show", "C001", "--unchecked").stdout
    assert "C001" in shown
    err = counted.ok("--lang", "zh", "clearance", "show", "C001").stderr
    assert "盘亏 1" in err and "盘盈 1" in err


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "svg", "csv", "json"])
def test_the_result_document_in_every_text_format(counted: Cli, fmt: str) -> None:
    out = counted.ok("--lang", "zh", "report", "clearance", "C001", "--format", fmt).stdout
    assert "3,040,000.00" in out or "3040000.00" in out  # the found value of the total
    if fmt not in ("csv", "json"):
        assert "清查结果表" in out and "清查人" in out and "公示" in out
    else:
        assert "清查人" not in out


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_the_result_document_xlsx_and_pdf(counted: Cli, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"clearance.{fmt}"
    counted.ok("--lang", "zh", "report", "clearance", "C001", "--output", str(out))
    if fmt == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(out)
        text = "".join(page.extract_text() for page in reader.pages)
        assert "清查结果表" in text and "单位负责人" in text and "3,040,000.00" in text
        for page in reader.pages:  # A4 landscape
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    else:
        from openpyxl import load_workbook

        book = load_workbook(out)
        about = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
        assert any(row[0] == "清查人" for row in about)
        main = book.worksheets[1]
        rows = [[c.value for c in row] for row in main.iter_rows()]
        total = next(row for row in rows if row[0] == "合计")
        assert float(total[-1]) == -50000.0  # the difference of the total
        # the table ends with the document's own blanks (清查人 / 复核人 / 单位负责人), as a printed form does
        assert any(str(v).startswith("清查人：") for v in rows[-1] + rows[-3] if v)


def _codes(cli: Cli, day: str, code: str) -> list[tuple[str, str]]:
    return [(f["record_id"], f["since"]) for f in cli.json("flags", "--as-of", day) if f["code"] == code]


def test_shortfall_unresolved_on_both_sides_of_its_threshold(counted: Cli) -> None:
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")
    # missing from the as-of day 2004-12-31; 180 days later is 2005-06-29 (1 + 31 + 28 + 31 + 30 + 31 + 28 = 180)
    assert _codes(counted, "2005-06-28", "SHORTFALL_UNRESOLVED") == []
    assert _codes(counted, "2005-06-29", "SHORTFALL_UNRESOLVED") == [("A0003", "2005-06-29")]
    counted.ok("settings", "set", "shortfall_days", "30")  # 2004-12-31 + 30 = 2005-01-30
    assert _codes(counted, "2005-01-29", "SHORTFALL_UNRESOLVED") == []
    assert _codes(counted, "2005-01-30", "SHORTFALL_UNRESOLVED") == [("A0003", "2005-01-30")]
    # an open incident naming it (a theft reported) is the lathe's case being handled: no flag while it is open
    counted.ok("incident", "add", "--kind", "other", "--asset", "A0003", "--occurred", "2005-02-01", "--counterparty", "不明")
    assert _codes(counted, "2005-03-15", "SHORTFALL_UNRESOLVED") == []
    # written off: disposed of, no flag
    counted.ok("incident", "close", "I0001", "--date", "2005-03-01", "--note", "报损")
    counted.ok("asset", "dispose", "A0003", "--date", "2005-03-10", "--proceeds", "0", "--method", "write_off", "--doc", "x")
    assert _codes(counted, "2005-03-15", "SHORTFALL_UNRESOLVED") == []


def test_clearance_due_on_both_sides_of_its_due_day(counted: Cli) -> None:
    # nothing closed: from 2005-04-01 (the day after 03-31) each member holding assets on 2004-12-31 is flagged
    assert _codes(counted, "2005-03-31", "CLEARANCE_DUE") == [
        ("M000", "2004-04-01"),
        ("M001", "2004-04-01"),
        ("M002", "2004-04-01"),
    ]
    assert _codes(counted, "2005-04-01", "CLEARANCE_DUE") == [
        ("M000", "2005-04-01"),
        ("M001", "2005-04-01"),
        ("M002", "2005-04-01"),
    ]
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")
    assert _codes(counted, "2005-04-01", "CLEARANCE_DUE") == []  # every asset checked, the shed entered by the close
    counted.ok("settings", "set", "clearance_due", "1-20")  # due by 2005-01-20: closed on the 25th is too late
    assert _codes(counted, "2005-01-21", "CLEARANCE_DUE") == [
        ("M000", "2005-01-21"),
        ("M001", "2005-01-21"),
        ("M002", "2005-01-21"),
    ]
    assert "'02-30'" in counted.refused("settings", "set", "clearance_due", "02-30")


def test_a_partial_close_leaves_the_unchecked_members_due(held: Cli) -> None:
    held.ok("clearance", "open", "--as-of", "2004-12-31")
    for asset in ("A0001", "A0002", "A0003", "A0004"):
        held.ok("clearance", "check", "C001", asset)
    held.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号", "--partial")
    flags = [f for f in held.json("flags", "--as-of", "2005-04-01") if f["code"] == "CLEARANCE_DUE"]
    assert [(f["record_id"], f["message"]) for f in flags] == [
        ("M000", "assets held on 2004-12-31 and not counted in a clearance closed by its due day: 1")
    ]
    zh = json.loads(held.ok("--lang", "zh", "flags", "--as-of", "2005-04-01", "--json").stdout)
    assert next(f for f in zh if f["code"] == "CLEARANCE_DUE")["label"] == "清查逾期"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed: printing HTML to PDF needs it")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_result_document_printed_by_chromium_fits_a4_landscape(tmp_path: Path, lang: str) -> None:
    import subprocess
    import unicodedata

    from pypdf import PdfReader

    from tests.test_documents import parse

    example = tmp_path / "registry.json"
    for name in ("registry.json", "registry.json.journal"):
        shutil.copy(Path(__file__).resolve().parents[2] / "examples" / name, tmp_path / name)
    page = tmp_path / "clearance.html"
    Cli(example).ok("--lang", lang, "report", "clearance", "C001", "--output", str(page))
    out = tmp_path / "clearance.pdf"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    reader = PdfReader(out)
    for printed in reader.pages:  # A4 landscape, 297 × 210 mm
        assert (round(float(printed.mediabox.width)), round(float(printed.mediabox.height))) == (842, 595)
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages)).replace("\n", "").replace(" ", "")
    for table in parse(page.read_bytes()).tables:  # nothing cut at the right edge: every heading is printed
        for heading in table["head"]:
            assert unicodedata.normalize("NFKC", heading).replace(" ", "") in text, heading
    assert "12,115,000.00" in text  # the found value of the total (examples/README.md)


def test_areas_and_values_that_differ_are_shown_with_thousands_separators(counted: Cli) -> None:
    # A0002 was found at 1,150 m² against 1,200 in the book, and 280,000.00 against 320,000.00: the differs
    # section and `clearance show` write them as every document writes areas and money (1200 → 1,200)
    text = counted.ok("report", "clearance", "C001", "--format", "txt").stdout
    row = next(line for line in text.splitlines() if "A0002" in line and "area" in line)
    assert "1,200" in row and "1,150" in row
    row = next(line for line in text.splitlines() if "A0002" in line and "value" in line)
    assert "320,000.00" in row and "280,000.00" in row
    shown = counted.ok("clearance", "show", "C001", "--wide").stdout
    row = next(line for line in shown.splitlines() if "A0002" in line)
    assert "1,200" in row and "area in m² 1,150" in row


def test_a_document_number_is_never_split_at_80_columns(counted: Cli) -> None:
    from assetreg.render.text import fold, width

    # pieces 根 据 | 乐二轻联〔2005〕3号 (4 × 2 + 2 + 4 + 2 + 1 + 2 = 19 cells) | 文 件 批 复: at 20 cells the number
    # goes whole to a line of its own (before, "根据乐二轻联〔2005〕" filled 20 cells and "3号" went on)
    assert fold("根据乐二轻联〔2005〕3号文件批复", 20) == ["根据", "乐二轻联〔2005〕3号", "文件批复"]
    assert fold("【公示】请于七日内提出", 12) == ["【公示】请于", "七日内提出"]  # 8 + 4 cells, then 10
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻联〔2005〕3号")
    # the title of `clearance show`: "C001 2004年度资产清查 · As of 2004-12-31 · closed on 2005-01-25 under " is
    # 5 + 16 + 22 + 6 + 21 = 70 cells; 乐二轻联〔 would end at cell 80, and 2005〕3号 go to the next line
    out = counted.ok("clearance", "show", "C001", env={"COLUMNS": "80"}).stdout
    assert all(width(line) <= 80 for line in out.splitlines())
    assert any(line.strip().startswith("乐二轻联〔2005〕3号") for line in out.splitlines()), out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_usage_and_help_name_the_clearance_id_not_the_parameter(held: Cli, lang: str) -> None:
    for command in ("check", "surplus", "show", "notice", "close", "remove"):
        page = held.ok("--lang", lang, "clearance", command, "--help").stdout
        assert "clearance_id" not in page and f"clearance {command} [" in page and "ID" in page
    assert "clearance_id" not in held.ok("--lang", lang, "report", "clearance", "--help").stdout
    error = held.refused("--lang", lang, "clearance", "check", code=2)
    assert "clearance_id" not in error and "'ID'" in error


def test_an_empty_section_says_there_is_nothing_in_one_line(counted: Cli) -> None:
    # every asset of C001 was checked: "Not checked" has no rows. At 80 columns its six headings took a table
    # of their own and were named "not shown for lack of width"; now one line under the shortfalls says so
    out = counted.ok("report", "clearance", "C001", env={"COLUMNS": "80"}).stdout.splitlines()
    assert "Not checked: none" in out
    zh = counted.ok("--lang", "zh", "report", "clearance", "C001", env={"COLUMNS": "80"}).stdout.splitlines()
    assert "未清查资产：无" in zh


def test_at_80_columns_list_show_and_the_result_fit_and_keep_what_matters(counted: Cli) -> None:
    from assetreg.render.text import width

    narrow = {"COLUMNS": "80"}
    counted.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号")
    # C002: M002's lathe (missing, at 0.00), building, the lathe bought 2005-01-05 and the shed A0008 the close
    # entered; none checked yet
    counted.ok("clearance", "open", "--as-of", "2005-12-31", "--member", "M002", env={"ASSETREG_TODAY": "2006-01-10"})
    listed = counted.ok("clearance", "list", env=narrow).stdout
    assert all(width(line) <= 80 for line in listed.splitlines())
    # Id 4 + name 16 + as of 10 + status 6 + in scope 8 + not checked 11, 3 cells between each and 1 = 74 cells:
    # "Checked" (9 more cells) no longer fits; the name stays whole on one line
    rows = [line.split("│")[1:-1] for line in listed.splitlines() if line.startswith("│ C00")]
    assert [[cell.strip() for cell in row] for row in rows] == [
        ["C001", "2004年度资产清查", "2004-12-31", "closed", "5", "0"],
        ["C002", "2005-12-31", "2005-12-31", "open", "4", "4"],
    ]
    assert "Not shown for lack of width: Closed, Document, Checked, Found, Differ, Missing," in listed
    # show --unchecked: only those left, without the result, found and counted-on columns (blank for all)
    left = counted.ok("clearance", "show", "C002", "--unchecked", env=narrow).stdout
    assert "Result" not in left and "lack of width" not in left and "大荆木器厂厂房" in left
    # the signature blanks: "Counted by: " + 14 = 26, "Reviewed by: " + 14 = 27, "Head of the unit: " + 14 = 32,
    # 4 cells apart: 93 > 80, so one under the other, each label with its blank
    text = counted.ok("report", "clearance", "C001", env=narrow).stdout.splitlines()
    assert text[-3:] == ["Counted by: ______________", "Reviewed by: ______________", "Head of the unit: ______________"]
    # 清查人：(8) + 14, 复核人：(8) + 14, 单位负责人：(12) + 14, 4 apart: 78 cells: one line
    zh = counted.ok("--lang", "zh", "report", "clearance", "C001", env=narrow).stdout.splitlines()
    assert zh[-1].startswith("清查人：______________    复核人：") and zh[-1].endswith("单位负责人：______________")
