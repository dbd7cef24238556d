"""CSV import in the encodings Chinese offices use, refusal of bad files as a whole, and the round trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from assetreg.core.transfer import EXPORT_ORDER
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent.parent
MEMBERS = "编号,名称,片区,类型\nM010,柳市布厂,柳市片,企业\nM011,大荆木器厂,大荆片,企业\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings_are_detected(cli: Cli, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(MEMBERS.encode(encoding))
    cli.ok("import", "members", str(path))
    members = {m["id"]: m for m in cli.json("member", "list")}
    assert members["M010"]["name"] == "柳市布厂" and members["M011"]["district"] == "大荆片"


def test_explicit_encoding(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(MEMBERS.encode("gb18030"))
    cli.refused("import", "members", str(path), "--encoding", "utf-8")
    cli.refused("import", "members", str(path), "--encoding", "klingon")
    cli.ok("import", "members", str(path), "--encoding", "gb18030")
    assert len(cli.json("member", "list")) == 2


def test_every_bad_row_is_listed_and_nothing_is_written(liushi: Cli, tmp_path: Path) -> None:
    path = tmp_path / "assets.csv"
    path.write_text(
        "name,owner,category,acquired,value,area\n"
        "好厂房,M001,building,2000-01-01,100.00,50\n"
        "坏厂房,M404,building,2000-01-01,100.00,50\n"
        "贵厂房,M001,palace,2000-01-01,100.00,50\n"
        "错日期,M001,land,2000-02-30,100.00,50\n"
        "负面积,M001,land,2000-01-01,100.00,-5\n",
        encoding="utf-8",
    )
    stderr = liushi.refused("import", "assets", str(path))
    lines = stderr.strip().splitlines()
    assert lines[:4] == [
        "line 3, column owner: --owner 'M404': no such record",
        "line 4, column category: --category 'palace': not one of: building, land, equipment, vehicle, equity, other",
        "line 5, column acquired: --acquired '2000-02-30': no such day in the calendar",
        "line 6, column area: --area '-5': must not be negative",
    ]
    assert lines[-1] == "error: 4 of 5 rows are bad; nothing was imported"


def test_dry_run_checks_and_writes_nothing(liushi: Cli, tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    liushi.ok(
        "lease",
        "add",
        "--asset",
        "A0001",
        "--tenant",
        "t",
        "--start",
        "2004-01-01",
        "--end",
        "2004-12-31",
        "--rent",
        "100",
        "--period",
        "monthly",
    )
    path.write_text("lease,date,amount,note\nL0001,2004-01-02,100,一月\nL0001,2004-02-02,100,二月\n", encoding="utf-8")
    before = liushi.registry.read_bytes()
    result = liushi.ok("import", "payments", str(path), "--dry-run")
    assert "2 rows checked" in result.stderr and liushi.registry.read_bytes() == before
    liushi.ok("import", "payments", str(path))
    assert liushi.json("lease", "show", "L0001", "--as-of", "2004-02-28")["arrears"] == "0.00"


def test_rows_refer_to_ids_given_earlier_in_the_same_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("id,name,district,kind\nX1,甲,片,enterprise\nX1,乙,片,enterprise\n", encoding="utf-8")
    stderr = cli.refused("import", "members", str(path))
    assert "line 3, column id: --id 'X1': is already taken" in stderr  # the first row's id counts already


def test_unknown_column_and_empty_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("name,district,kind,colour\n甲,片,enterprise,red\n", encoding="utf-8")
    assert "'colour'" in cli.refused("import", "members", str(path))
    path.write_text("", encoding="utf-8")
    cli.refused("import", "members", str(path))
    cli.refused("import", "members", str(tmp_path / "missing.csv"))


def _figures(data: Any) -> Any:
    """A report's JSON without what says which registry and log made it (the copy has its own)."""
    return {k: v for k, v in data.items() if k not in ("registry", "made", "log_head")} if isinstance(data, dict) else data


def test_export_then_import_into_an_empty_registry_gives_the_same_reports_and_flags(tmp_path: Path) -> None:
    for name in ("registry.json", "registry.json.journal"):
        shutil.copy(ROOT / "examples" / name, tmp_path / name)
    original = Cli(tmp_path / "registry.json")
    # dated history of every kind: a transfer, statuses changed on past days, a restructuring that moved on
    original.ok("asset", "transfer", "A0001", "--to", "M001", "--date", "2004-06-30", "--doc", "乐二轻〔2004〕9号")
    original.ok("asset", "edit", "A0002", "--status", "idle", "--status-since", "2003-05-01")
    original.ok("asset", "edit", "A0002", "--status", "in_use", "--status-since", "2004-02-01")
    original.ok("member", "edit", "M003", "--restructuring", "completed", "--restructuring-finished", "2005-01-31")
    original.ok("export", "csv", "--output", str(tmp_path / "out"))
    original.refused("export", "csv", "--output", str(tmp_path / "out"))  # files exist: needs --force
    copy = Cli(tmp_path / "copy.json")
    copy.ok("init")
    for kind in EXPORT_ORDER:
        copy.ok("import", kind, str(tmp_path / "out" / f"{kind}.csv"))
    for args in (
        ["report", "register", "--as-of", "2003-12-31"],
        ["report", "register", "--as-of", "2004-06-30"],
        ["report", "summary", "--from", "2005-01-01", "--to", "2005-03-15"],
        ["asset", "list", "--as-of", "2004-01-31"],
        ["member", "list", "--as-of", "2004-12-31"],
        ["flags", "--as-of", "2005-03-15"],
        ["report", "summary", "--to", "2004-12-31"],
        ["report", "value", "--to", "2004-12-31"],
        ["report", "leases", "--as-of", "2005-03-15"],
        ["report", "register", "--as-of", "2005-03-15"],
        ["report", "incidents", "--to", "2005-03-15"],
    ):
        assert _figures(original.json(*args)) == _figures(copy.json(*args)), args
    a = json.loads(original.ok("export", "json").stdout)
    b = json.loads(copy.ok("export", "json").stdout)
    for kind in ("members", "assets", "leases", "incidents"):
        assert a[kind] == b[kind], kind


def test_export_json_to_a_file(liushi: Cli, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    liushi.ok("export", "json", "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["assets"]) == 5 and data["meta"]["schema"] == 1


def test_an_import_reads_once_writes_once_and_logs_one_entry(cli: Cli, tmp_path: Path, monkeypatch) -> None:
    """However many rows: one read of the registry, one write, one journal entry (work grows with the rows,
    not with rows times records)."""
    import assetreg.store as store
    import assetreg.store.session as session

    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    path = tmp_path / "assets.csv"
    rows = [f"厂房{n},M001,building,2000-01-{n % 28 + 1:02d},{n}000" for n in range(300)]
    path.write_text("name,owner,category,acquired,value\n" + "\n".join(rows), encoding="utf-8")
    writes, parses = [], []
    real_write, real_parse = session.atomic_write, store.Tables._parse
    monkeypatch.setattr(session, "atomic_write", lambda p, d: writes.append(p) or real_write(p, d))
    monkeypatch.setattr(store.Tables, "_parse", lambda self, kind, *span: parses.append(kind) or real_parse(self, kind, *span))
    cli.ok("import", "assets", str(path))
    assert writes == [cli.registry]
    assert len(parses) == len(set(parses))  # no table parsed twice
    assert [e["seq"] for e in cli.json("log")][-1] == 3  # init, member add, the import: one entry for 300 rows
    assert len(cli.json("asset", "list")) == 300


def test_export_json_is_laid_out_as_one_indented_document(liushi: Cli) -> None:
    """Made a record at a time, the document is byte for byte what dumping it whole would give."""
    import orjson

    out = liushi.ok("export", "json").stdout.encode()
    assert out == orjson.dumps(orjson.loads(out), option=orjson.OPT_INDENT_2) + b"\n"
    assert list(orjson.loads(out)) == [
        "meta",
        "members",
        "assets",
        "leases",
        "incidents",
        "settings",
        "clearances",
        "findings",
        "attachments",
    ]


def test_export_json_of_an_empty_registry(cli: Cli) -> None:
    import orjson

    out = cli.ok("export", "json").stdout.encode()
    assert out == orjson.dumps(orjson.loads(out), option=orjson.OPT_INDENT_2) + b"\n"
    assert orjson.loads(out)["assets"] == []
