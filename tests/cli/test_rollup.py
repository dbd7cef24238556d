"""Roll-ups (汇总): several registries built through the CLI, read together from a *.rollup.csv list."""

from __future__ import annotations

import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import Cli

YEAR = ("--year", "2004")


def make(folder: Path, name: str, federation: str) -> Cli:
    folder.mkdir(parents=True, exist_ok=True)
    cli = Cli(folder / f"{name}.json")
    cli.ok("init", "--name", federation)
    return cli


@pytest.fixture
def three(tmp_path: Path) -> tuple[Path, dict[str, Cli]]:
    """乐清 revalues (ratio 100.00), 永嘉 is damaged (90.00), 瑞安 sells one asset above its value (103.85)."""
    yq = make(tmp_path, "乐清", "乐清二轻联社")
    yq.ok("member", "add", "--name", "柳市布厂", "--district", "城区片", "--kind", "enterprise")
    yq.ok("asset", "add", "--name", "柳市布厂1号厂房", "--owner", "M001", "--category", "building",
          "--acquired", "2003-01-01", "--value", "1000000")  # fmt: skip
    yq.ok("asset", "revalue", "A0001", "--date", "2004-06-01", "--value", "1200000", "--basis", "appraisal")
    yq.ok("lease", "add", "--asset", "A0001", "--tenant", "温州鞋业", "--start", "2004-01-01", "--end", "2006-12-31",
          "--rent", "10000", "--period", "monthly")  # fmt: skip
    yj = make(tmp_path / "永嘉", "乐清", "永嘉二轻联社")  # its stem is taken: its folder names it
    yj.ok("member", "add", "--name", "永嘉锁厂", "--district", "城区片", "--kind", "enterprise")
    yj.ok("asset", "add", "--name", "锁厂土地", "--owner", "M001", "--category", "land",
          "--acquired", "2003-01-01", "--value", "3000000")  # fmt: skip
    yj.ok("asset", "impair", "A0001", "--date", "2004-06-01", "--value", "2700000", "--cause", "damage")
    yj.ok("incident", "add", "--kind", "encroachment", "--asset", "A0001", "--occurred", "2004-05-01",
          "--counterparty", "上峰村")  # fmt: skip
    ra = make(tmp_path, "瑞安", "瑞安二轻联社")
    ra.ok("member", "add", "--name", "瑞安皮件厂", "--district", "城区片", "--kind", "enterprise")
    ra.ok("asset", "add", "--name", "皮件厂设备", "--owner", "M001", "--category", "equipment",
          "--acquired", "2003-01-01", "--value", "500000")  # fmt: skip
    ra.ok("asset", "add", "--name", "皮件厂厂房", "--owner", "M001", "--category", "building",
          "--acquired", "2003-01-01", "--value", "800000", "--id", "B0001")  # fmt: skip
    ra.ok("asset", "dispose", "A0001", "--date", "2004-09-01", "--proceeds", "550000", "--method", "sale")
    listing = tmp_path / "温州.rollup.csv"
    yq.ok("rollup", "init", str(listing), str(yq.registry), str(yj.registry), str(ra.registry))
    return listing, {"乐清": yq, "永嘉": yj, "瑞安": ra}


def rolled(listing: Path) -> Cli:
    return Cli(listing)


def test_rollup_init_names_sources_by_stem_then_folder_with_each_head(three: tuple[Path, dict[str, Cli]]) -> None:
    listing, clis = three
    lines = listing.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "name,path,expect"
    names = [line.split(",")[0] for line in lines[1:]]
    assert names == ["乐清", "永嘉", "瑞安"]  # 永嘉's file is 永嘉/乐清.json: its folder names it
    assert lines[2].split(",")[1] == "永嘉/乐清.json"  # relative to the list's folder
    for line, cli in zip(lines[1:], clis.values(), strict=True):
        head = cli.json("verify")["head"]
        assert line.split(",")[2] == f"{head['n']}:{head['hash']}"


def test_value_rows_are_each_registrys_own_and_the_total_ratio_comes_from_summed_columns(
    three: tuple[Path, dict[str, Cli]],
) -> None:
    listing, clis = three
    report = rolled(listing).json("report", "value", *YEAR)
    rows = {row["source"]: row for row in report["rows"]}
    for name, cli in clis.items():
        own = cli.json("report", "value", *YEAR)["total"]
        assert {k: v for k, v in rows[name].items() if k not in ("source", "registry")} == own
    # 瑞安: (800,000 + 550,000 P) ÷ (500,000 + 800,000) × 100 = 103.846… → 103.85
    assert [rows[n]["ratio"] for n in ("乐清", "永嘉", "瑞安")] == ["100.00", "90.00", "103.85"]
    total = report["total"]
    # V0 = 1,000,000 + 3,000,000 + 500,000 + 800,000 = 5,300,000
    assert total["opening"] == "5300000.00"
    # adjusted = (1,200,000 − 200,000 R) + 2,700,000 + (800,000 + 550,000 P) = 5,050,000
    assert total["adjusted_closing"] == "5050000.00"
    # 5,050,000 ÷ 5,300,000 × 100 = 95.283… → 95.28; the mean of the ratios would be 97.95
    assert total["ratio"] == "95.28"
    assert round((Decimal("100") + Decimal("90") + Decimal("103.85")) / 3, 2) == Decimal("97.95")


def test_by_category_sums_across_sources_and_by_member_keeps_them_apart(three: tuple[Path, dict[str, Cli]]) -> None:
    listing, _ = three
    cli = rolled(listing)
    by_category = {r["category"]: r for r in cli.json("report", "value", *YEAR, "--by", "category")["rows"]}
    # buildings: 乐清 1,000,000 → adjusted 1,000,000; 瑞安 800,000 → 800,000: 1,800,000 ÷ 1,800,000 = 100.00
    assert by_category["building"]["opening"] == "1800000.00"
    assert by_category["building"]["ratio"] == "100.00"
    members = cli.json("report", "value", *YEAR, "--by", "member")["rows"]
    assert [(r["source"], r["member"]) for r in members] == [("乐清", "M001"), ("永嘉", "M001"), ("瑞安", "M001")]
    table = cli.ok("report", "value", *YEAR, "--by", "district", "--format", "csv").stdout
    assert "乐清:城区片" in table and "永嘉:城区片" in table  # a district is a place in one city


def test_qualified_ids_in_show_list_and_flags(three: tuple[Path, dict[str, Cli]]) -> None:
    listing, _ = three
    cli = rolled(listing)
    listed = cli.ok("asset", "list").stdout
    assert "乐清:A0001" in listed and "永嘉:A0001" in listed and "瑞安:B0001" in listed
    shown = cli.ok("asset", "show", "永嘉:A0001").stdout
    assert "永嘉:A0001" in shown and "永嘉:M001" in shown and "锁厂土地" in shown
    assert cli.ok("asset", "show", "B0001").stdout.count("瑞安:B0001") >= 1  # only one source has it
    error = cli.refused("asset", "show", "A0001")
    assert "is in 3 sources: 乐清:A0001, 永嘉:A0001, 瑞安:A0001" in error
    flags = cli.ok("flags", "--as-of", "2005-03-15").stdout
    assert "乐清:A0001" in flags
    as_json = cli.json("flags", "--as-of", "2005-03-15")
    assert {(f["source"], f["record_id"]) for f in as_json if f["code"] == "NO_TITLE"} >= {("乐清", "A0001"), ("永嘉", "A0001")}
    rows = cli.json("asset", "list")
    assert {(r["source"], r["id"], r["owner"]) for r in rows} >= {("永嘉", "A0001", "M001")}
    assert cli.json("member", "show", "瑞安:M001")["source"] == "瑞安"
    assert "乐清:L0001" in cli.ok("lease", "list").stdout
    lease = cli.ok("lease", "show", "L0001").stdout  # only 乐清 has a lease
    assert "乐清:L0001" in lease and "乐清:A0001" in lease
    assert cli.json("lease", "list")[0]["source"] == "乐清"
    incidents = cli.ok("incident", "list", "--owner", "永嘉:M001").stdout
    assert "永嘉:I0001" in incidents and "永嘉:A0001" in incidents
    assert cli.json("incident", "show", "永嘉:I0001")["assets"] == ["A0001"]
    assert "2,700,000.00" in cli.ok("asset", "history", "永嘉:A0001").stdout
    report = cli.json("report", "incidents", "--as-of", "2005-03-15")
    assert [(r["source"], r["id"]) for r in report["rows"]] == [("永嘉", "I0001")]
    leases = cli.ok("report", "leases", "--as-of", "2005-03-15", "--format", "csv").stdout
    assert "乐清:L0001" in leases


def test_writing_commands_are_refused_in_one_line(three: tuple[Path, dict[str, Cli]]) -> None:
    listing, clis = three
    before = {name: cli.registry.read_bytes() for name, cli in clis.items()}
    cli = rolled(listing)
    for args in (
        ("asset", "revalue", "乐清:A0001", "--date", "2005-01-01", "--value", "1"),
        ("member", "add", "--name", "x", "--district", "y", "--kind", "enterprise"),
        ("verify", "--adopt", "--yes"),
    ):
        result = cli.run(*args)
        assert result.exit_code == 1
        assert result.stderr == "error: a roll-up is read-only; write to one of its registries\n"
    assert "reads one registry at a time" in cli.refused("settings", "show")
    assert {name: c.registry.read_bytes() for name, c in clis.items()} == before


def test_a_source_edited_outside_the_tool_stops_the_rollup(three: tuple[Path, dict[str, Cli]]) -> None:
    listing, clis = three
    path = clis["永嘉"].registry
    path.write_bytes(path.read_bytes().replace("锁厂土地".encode(), "私人土地".encode()))
    result = rolled(listing).run("report", "value", *YEAR)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "永嘉" in lines[0] and "outside assetreg" in lines[0] and "assets" in lines[0]


def test_a_source_rolled_back_after_the_list_was_written_stops_the_rollup(
    three: tuple[Path, dict[str, Cli]], tmp_path: Path
) -> None:
    listing, clis = three
    yq = clis["乐清"]
    journal = yq.registry.with_name(yq.registry.name + ".journal")
    shutil.copy(yq.registry, tmp_path / "old.json")
    shutil.copy(journal, tmp_path / "old.journal")
    yq.ok("asset", "revalue", "A0001", "--date", "2005-01-01", "--value", "1300000")
    yq.ok("rollup", "init", str(listing), str(yq.registry), str(clis["永嘉"].registry), str(clis["瑞安"].registry), "--force")
    shutil.copy(tmp_path / "old.json", yq.registry)  # the older copy, log and all
    shutil.copy(tmp_path / "old.journal", journal)
    clis["永嘉"].registry.write_bytes(clis["永嘉"].registry.read_bytes().replace("锁厂".encode(), "鎖厂".encode()))
    result = rolled(listing).run("asset", "list")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2  # one line per bad source
    assert "乐清" in lines[0] and "rolled back" in lines[0]
    assert "永嘉" in lines[1]
    verified = rolled(listing).run("verify")
    assert verified.exit_code == 1
    assert [line.split()[0] for line in verified.stdout.splitlines()] == ["乐清", "永嘉", "瑞安", "rollup"]
    assert "rolled back" in verified.stdout.splitlines()[0] and verified.stdout.splitlines()[2].endswith("ok")


def test_skip_bad_leaves_a_source_out_and_the_documents_say_which_and_why(
    three: tuple[Path, dict[str, Cli]], tmp_path: Path
) -> None:
    listing, clis = three
    path = clis["永嘉"].registry
    path.write_bytes(path.read_bytes().replace("锁厂土地".encode(), "私人土地".encode()))
    cli = rolled(listing)
    result = cli.ok("--skip-bad", "report", "value", *YEAR, "--json")
    report = json.loads(result.stdout)
    assert [r["source"] for r in report["rows"]] == ["乐清", "瑞安"]
    # (1,000,000 + 1,350,000) ÷ (1,000,000 + 1,300,000) × 100 = 102.173… → 102.17
    assert report["total"]["ratio"] == "102.17"
    assert report["left_out"][0]["name"] == "永嘉" and "outside assetreg" in report["left_out"][0]["problem"]
    assert "永嘉" in result.stderr
    html = tmp_path / "v.html"
    cli.ok("--skip-bad", "report", "value", *YEAR, "--output", str(html))
    text = html.read_text(encoding="utf-8")
    assert "Sources left out" in text and "永嘉" in text


def test_documents_carry_the_sources_table_and_the_rollups_head(three: tuple[Path, dict[str, Cli]], tmp_path: Path) -> None:
    listing, clis = three
    heads = {name: cli.json("verify")["head"] for name, cli in clis.items()}
    lines = "".join(f"{name}\t{h['n']}:{h['hash']}\n" for name, h in heads.items())
    digest = hashlib.sha256(lines.encode()).hexdigest()
    cli = rolled(listing)
    report = cli.json("report", "register", "--as-of", "2005-03-15")
    assert report["rollup_head"] == {"n": 3, "hash": digest}
    assert report["registry"] == str(listing)
    assert report["sources"][1] == {
        "name": "永嘉",
        "registry": "永嘉二轻联社",
        "path": "永嘉/乐清.json",
        "log_head": heads["永嘉"],
        "assets": 1,
    }
    for fmt in ("html", "md", "txt"):
        out = tmp_path / f"r.{fmt}"
        cli.ok("report", "register", "--as-of", "2005-03-15", "--output", str(out))
        text = out.read_text(encoding="utf-8")
        assert f"rollup 3:{digest[:16]}" in text, fmt
        assert "瑞安二轻联社" in text and heads["瑞安"]["hash"][:16] in text, fmt  # the head as read
    from openpyxl import load_workbook
    from pypdf import PdfReader

    cli.ok("report", "register", "--as-of", "2005-03-15", "--output", str(tmp_path / "r.xlsx"))
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    sheet = book[next(name for name in book.sheetnames if name.startswith("Sources"))]
    assert [row[:3] for row in sheet.iter_rows(min_row=2, max_row=4, values_only=True)] == [
        ("乐清", "乐清二轻联社", 1),
        ("永嘉", "永嘉二轻联社", 1),
        ("瑞安", "瑞安二轻联社", 2),
    ]
    cli.ok("report", "value", *YEAR, "--output", str(tmp_path / "v.pdf"))
    pdf = "".join(page.extract_text() for page in PdfReader(tmp_path / "v.pdf").pages)
    assert f"rollup 3:{digest[:16]}" in pdf and "Sources" in pdf
    csv_text = cli.ok("report", "register", "--as-of", "2005-03-15", "--format", "csv", "--section", "3").stdout
    assert "乐清二轻联社" in csv_text  # the sources table is a section of its own
    verified = cli.ok("verify").stdout.splitlines()
    assert verified[-1] == f"rollup 3:{digest}"
    assert verified[0].startswith("乐清  ") and verified[0].endswith("ok")
    cli.ok("verify", "--expect", f"3:{digest[:16]}")
    assert cli.run("verify", "--expect", f"3:{'0' * 16}").exit_code == 1
    assert [v["source"] for v in cli.json("verify")] == ["乐清", "永嘉", "瑞安"]


def test_export_json_holds_each_sources_own_export(three: tuple[Path, dict[str, Cli]]) -> None:
    listing, clis = three
    data = json.loads(rolled(listing).ok("export", "json").stdout)
    assert [s["name"] for s in data["sources"]] == ["乐清", "永嘉", "瑞安"]
    own = json.loads(clis["瑞安"].ok("export", "json").stdout)
    assert {k: v for k, v in data["sources"][2].items() if k != "name"} == own


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("name,path\n乐清,乐清.json\n", "expect"),
        ("name,path,expect\n乐清,乐清.json,\n乐清,瑞安.json,\n", "line 3"),
        ("name,path,expect\n,乐清.json,\n", "line 2"),
        ("name,path,expect\n甲,missing.json,\n", "missing.json"),
        ("name,path,expect\n甲,永嘉,\n", "line 2"),
        ("name,path,expect\n甲,other.rollup.csv,\n", "roll-up list"),
        ("name,path,expect\n甲,温州.rollup.csv,\n", "roll-up list"),  # the list itself
        ("name,path,expect\n甲,乐清.json,12:abc\n", "12:abc"),
        ("name,path,expect\n甲 乙,乐清.json,\n", "甲 乙"),
    ],
)
def test_a_bad_list_is_refused_naming_its_line(three: tuple[Path, dict[str, Cli]], content: str, named: str) -> None:
    listing, _ = three
    (listing.parent / "other.rollup.csv").write_text("name,path,expect\n", encoding="utf-8")
    listing.write_text(content, encoding="utf-8")
    result = rolled(listing).run("asset", "list")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and named in result.stderr and "Traceback" not in result.stderr


def test_log_of_a_rollup_reads_each_sources_log_with_its_name(three: tuple[Path, dict[str, Cli]]) -> None:
    listing, _ = three
    cli = rolled(listing)
    entries = cli.json("log")
    # 乐清: init, member, asset, revalue, lease = 5; 永嘉: init, member, asset, impair, incident = 5; 瑞安: 5
    assert [(x["source"], x["seq"]) for x in entries][:6] == [("乐清", n) for n in range(1, 6)] + [("永嘉", 1)]
    assert len(entries) == 15
    touched = cli.json("log", "--record", "永嘉:A0001")
    # its add (3) and its impairment (4); the incident (5) is a record of its own
    assert {x["source"] for x in touched} == {"永嘉"} and [x["seq"] for x in touched] == [3, 4]
    assert "乐清:A0001" in cli.ok("log").stdout


def test_a_rollup_in_chinese(three: tuple[Path, dict[str, Cli]]) -> None:
    listing, _ = three
    text = rolled(listing).ok("--lang", "zh", "report", "value", *YEAR).stdout
    assert "来源" in text and "读取时的日志头" in text and "95.28 %" in text


def test_tab_completes_qualified_ids_of_every_source(three: tuple[Path, dict[str, Cli]]) -> None:
    from tests.cli.test_completion import complete

    listing, _ = three
    assert complete(listing, "assetreg asset show ") == ["乐清:A0001", "永嘉:A0001", "瑞安:A0001", "瑞安:B0001"]
    assert complete(listing, "assetreg asset show 瑞安:B") == ["瑞安:B0001"]


def test_rollup_init_refuses_a_file_it_cannot_name_and_a_damaged_one(three: tuple[Path, dict[str, Cli]], tmp_path: Path) -> None:
    listing, clis = three
    other = tmp_path / "乐清"  # its stem, 乐清, and its folder's name are both taken by the first file
    other.mkdir()
    twin = make(other, "乐清", "重名")
    cli = clis["乐清"]
    error = cli.refused("rollup", "init", str(tmp_path / "x.rollup.csv"), str(cli.registry), str(twin.registry))
    assert "PATH=NAME" in error and not (tmp_path / "x.rollup.csv").exists()
    cli.ok("rollup", "init", str(tmp_path / "x.rollup.csv"), str(cli.registry), f"{twin.registry}=乐清二")
    assert "乐清二,乐清/乐清.json," in (tmp_path / "x.rollup.csv").read_text(encoding="utf-8")
    path = clis["瑞安"].registry
    path.write_bytes(path.read_bytes().replace("皮件厂".encode(), "皮鞋厂".encode()))
    error = cli.refused("rollup", "init", str(tmp_path / "y.rollup.csv"), str(path))
    assert "瑞安.json" in error and "outside assetreg" in error and not (tmp_path / "y.rollup.csv").exists()
    assert "already exists" in cli.refused("rollup", "init", str(listing), str(cli.registry))


def test_skip_bad_leaves_out_a_source_whose_file_is_gone(three: tuple[Path, dict[str, Cli]]) -> None:
    listing, clis = three
    clis["瑞安"].registry.unlink()
    cli = rolled(listing)
    assert "line 4" in cli.refused("asset", "list")  # without --skip-bad: the list's line names it
    rows = json.loads(cli.ok("--skip-bad", "asset", "list", "--json").stdout)
    assert {r["source"] for r in rows} == {"乐清", "永嘉"}


def test_an_id_no_source_has_is_refused_not_waited_on(three: tuple[Path, dict[str, Cli]]) -> None:
    # Each worker raises 'no such record' for a lease none of the three has; that error travels back
    # pickled. It used to fail to unpickle in the pool's result thread and the command hung for ever.
    listing, _ = three
    cli = rolled(listing)
    assert cli.refused("lease", "show", "乐清:L0099") == "error: lease 'L0099': no such record\n"
    assert "no such record" in cli.refused("asset", "history", "瑞安:A0077")


def test_errors_travel_between_processes_whole() -> None:
    import pickle

    from assetreg.core.errors import InvalidValue, NotFound

    error = pickle.loads(pickle.dumps(InvalidValue("--value", "x", "not money: {why}", why="a letter")))
    assert (type(error), error.field, error.value, error.reason, error.params) == (
        InvalidValue, "--value", "x", "not money: {why}", {"why": "a letter"},
    )  # fmt: skip
    assert pickle.loads(pickle.dumps(NotFound("asset", "A0001"))).reason == "no such record"


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, dict[str, Cli]]:
    """Two small registries, each with a member, an asset with a file, an incident and a clearance that
    found the asset missing: 乐清's asset is worth 1,000,000, 永嘉's 300,000."""
    clis = {}
    for name, value in (("乐清", "1000000"), ("永嘉", "300000")):
        cli = make(tmp_path, name, f"{name}二轻联社")
        cli.ok("member", "add", "--name", f"{name}布厂", "--district", "城区片", "--kind", "enterprise")
        cli.ok("asset", "add", "--name", f"{name}厂房", "--owner", "M001", "--category", "building",
               "--acquired", "2003-01-01", "--value", value)  # fmt: skip
        cli.ok("incident", "add", "--kind", "encroachment", "--asset", "A0001", "--occurred", "2004-05-01",
               "--counterparty", "上峰村")  # fmt: skip
        cli.ok("clearance", "open", "--as-of", "2004-12-31", "--name", f"{name}2004年清查")
        cli.ok("clearance", "check", "C001", "A0001", "--result", "missing", "--date", "2005-01-11")
        scan = tmp_path / f"{name}照片.jpg"
        scan.write_bytes(name.encode() * 10)  # 2 characters x 3 bytes x 10 = 60 bytes
        cli.ok("attach", "A0001", str(scan), "--kind", "photo")
        clis[name] = cli
    listing = tmp_path / "温州.rollup.csv"
    clis["乐清"].ok("rollup", "init", str(listing), *(str(c.registry) for c in clis.values()))
    return listing, clis


def test_attachments_clearance_list_and_report_clearance_read_across_the_sources(two: tuple[Path, dict[str, Cli]]) -> None:
    listing, clis = two
    cli = rolled(listing)
    files = cli.json("attachments")
    assert [(f["source"], f["ref"], f["record"], f["name"], f["size"]) for f in files] == [
        ("乐清", "F1", "A0001", "乐清照片.jpg", 60),
        ("永嘉", "F1", "A0001", "永嘉照片.jpg", 60),
    ]
    assert [f["sha256"] for f in files] == [hashlib.sha256(n.encode() * 10).hexdigest() for n in ("乐清", "永嘉")]
    shown = cli.ok("attachments").stdout
    assert "乐清:F1" in shown and "永嘉:F1" in shown and "永嘉:A0001" in shown
    assert [f["source"] for f in cli.json("attachments", "永嘉:A0001")] == ["永嘉"]
    assert "is in 2 sources: 乐清:A0001, 永嘉:A0001" in cli.refused("attachments", "A0001")
    # the files themselves do not travel with a source: show and save are refused saying so
    for args in (("attachment", "show", "乐清:F1"), ("attachment", "save", "F1", "--output", str(listing.parent / "x"))):
        assert cli.refused(*args).startswith("error: a roll-up's sources carry no attached files")
    clearances = cli.json("clearance", "list")
    assert [(c["source"], c["id"], c["name"], c["counts"]["missing"]) for c in clearances] == [
        ("乐清", "C001", "乐清2004年清查", 1),
        ("永嘉", "C001", "永嘉2004年清查", 1),
    ]
    assert "乐清:C001" in cli.ok("clearance", "list").stdout
    assert cli.json("clearance", "show", "永嘉:C001")["source"] == "永嘉"
    assert "永嘉:A0001" in cli.ok("clearance", "show", "永嘉:C001").stdout
    # report clearance takes a qualified id and reports that source's clearance, as that registry does
    report = cli.json("report", "clearance", "永嘉:C001")
    own = clis["永嘉"].json("report", "clearance", "C001")
    assert report["total"] == own["total"] and report["total"]["shortfall"]["value"] == "300000.00"
    assert [row["source"] for row in report["rows"]] == ["永嘉"]
    assert [s["name"] for s in report["sources"]] == ["乐清", "永嘉"]
    html = cli.ok("report", "clearance", "永嘉:C001", "--format", "html").stdout
    assert "永嘉:A0001" in html and "永嘉:F1 永嘉照片.jpg" in html and "rollup 2:" in html
    assert "is in 2 sources: 乐清:C001, 永嘉:C001" in cli.refused("report", "clearance", "C001")
    # the incidents document lists a case's files with their numbers qualified, unmarked: a source's
    # files do not travel with it, so they are not checked (the letter is deleted: still no mark)
    letter = listing.parent / "来函.pdf"
    letter.write_bytes(b"letter")
    clis["永嘉"].ok("incident", "act", "I0001", "--date", "2005-01-20", "--note", "来函", "--attach", str(letter))
    stored = clis["永嘉"].registry.with_name("永嘉.json.files")
    digest = hashlib.sha256(b"letter").hexdigest()
    (stored / digest[:2] / digest[2:]).unlink()
    incidents = cli.ok("report", "incidents", "--year", "2005", "--format", "html").stdout
    assert f"永嘉:F2 来函.pdf {digest[:12]}" in incidents and "MISSING" not in incidents
    for fmt in ("csv", "md", "txt", "json"):  # 乐清's case has no files: an empty cell, in every format
        assert cli.run("report", "incidents", "--year", "2005", "--format", fmt).exit_code == 0, fmt
    for fmt in ("xlsx", "pdf"):
        cli.ok("report", "incidents", "--year", "2005", "--output", str(listing.parent / f"incidents.{fmt}"))


def arguments_of(path: tuple[str, ...], spare: Path) -> tuple[str, ...]:
    """Arguments enough for a writing command to reach its refusal rather than a usage error."""
    if path[0] == "import":
        return (str(spare),)
    if path[0] == "clearance" and path[-1] not in ("list", "open"):
        return ("乐清:C001",)
    return ("乐清:A0001",) if path[-1] == "remove" else ()


READ_ONLY_LINE = "error: a roll-up is read-only; write to one of its registries\n"


def test_every_command_on_a_rollup_answers_or_is_refused_in_one_line(two: tuple[Path, dict[str, Cli]], tmp_path: Path) -> None:
    import typer.main

    from assetreg.cli.main import app

    listing, clis = two
    cli = rolled(listing)
    spare = tmp_path / "spare.csv"
    spare.write_text("name\n", encoding="utf-8")
    given = {  # the arguments of the commands that need some, each naming a record of a source
        "revert": ("1",),
        "attach": ("乐清:A0001", str(spare)),
        "member show": ("乐清:M001",),
        "asset show": ("永嘉:A0001",),
        "asset history": ("永嘉:A0001",),
        "incident show": ("乐清:I0001",),
        "lease show": ("乐清:L0001",),  # no source has a lease: 'no such record'
        "report clearance": ("永嘉:C001",),
        "export csv": ("--output", str(tmp_path / "out")),
        "backup restore": ("1",),
        "attachment show": ("乐清:F1",),
        "attachment save": ("乐清:F1", "--output", str(tmp_path / "saved")),
        "attachment remove": ("乐清:F1", "--force"),
        "clearance show": ("乐清:C001",),
        "rollup init": (str(tmp_path / "again.rollup.csv"), str(clis["乐清"].registry)),
    }
    refused_reading = {  # reading commands that make no sense on a roll-up, and the line that says why
        "settings show": "reads one registry at a time",
        "backup list": "reads one registry at a time",
        "attachment show": "carry no attached files",
        "attachment save": "carry no attached files",
        "lease show": "no such record",
    }
    answered = {
        "flags", "log", "verify", "attachments", "member list", "member show", "asset list", "asset show",
        "asset history", "lease list", "incident list", "incident show", "report register", "report value",
        "report trend", "report leases", "report incidents", "report summary", "report clearance", "export json",
        "export csv", "clearance list", "clearance show", "rollup init",
    }  # fmt: skip

    def leaves(command: object, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        children = getattr(command, "commands", None)
        if children is None:
            return [path]
        return [leaf for name, child in children.items() for leaf in leaves(child, (*path, name))]

    before = {
        name: (c.registry.read_bytes(), c.registry.with_name(c.registry.name + ".journal").read_bytes())
        for name, c in clis.items()
    }
    seen = set()
    for path in leaves(typer.main.get_command(app), ()):
        name = " ".join(path)
        seen.add(name)
        args = given.get(name) or arguments_of(path, spare)
        result = cli.run(*path, *args)
        assert "Traceback" not in result.stdout + result.stderr, name
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
        if name in answered:
            assert result.exit_code == 0, (name, result.stderr)
        elif name in refused_reading:
            assert result.exit_code == 1 and result.stderr.count("\n") == 1 and refused_reading[name] in result.stderr, (
                name,
                result.stderr,
            )
        else:  # every other command writes
            assert (result.exit_code, result.stderr) == (1, READ_ONLY_LINE), (name, result.stderr)
    assert answered <= seen and set(refused_reading) <= seen and len(seen) >= 79  # every command of today
    after = {
        name: (c.registry.read_bytes(), c.registry.with_name(c.registry.name + ".journal").read_bytes())
        for name, c in clis.items()
    }
    assert after == before  # no source touched
