"""The bundled example registry stays loadable, verifiable, and its headline figures stay put."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import Cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples"
# the order build.sh imports them in
KINDS = ("members", "restructurings", "assets", "statuses", "incidents", "values", "leases", "payments", "actions")


@pytest.fixture
def example(tmp_path: Path) -> Cli:
    for name in ("registry.json", "registry.json.journal"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    return Cli(tmp_path / "registry.json")


def test_value_preservation_of_2004(example: Cli) -> None:
    report = example.json("report", "value", "--from", "2004-01-01", "--to", "2004-12-31")
    total = report["total"]
    # worked out by hand in examples/README.md; the stake in the asset company (1,000,000, holds M009) is left out
    # V0 = 1,800,000 + 600,000 + 1,600,000 + 1,900,000 + 3,200,000 + 900,000 + 600,000 + 750,000 + 520,000
    #      + 880,000 + 5 × 320,000 = 14,350,000
    # V1 = 2,100,000 + 600,000 + 1,900,000 + 3,200,000 + 900,000 + 560,000 + 750,000 + 520,000 + 880,000
    #      + 5 × 120,000 + 75,000 + the shed found in the clearance 30,000 = 12,115,000
    assert total["opening"] == "14350000.00" and total["closing"] == "12115000.00"
    # A = the truck 85,000 + the shed (盘盈) 30,000; R = 300,000 (office) + 140,000 (大荆 after repair); D = 85,000 − 75,000
    assert total["acquired"] == "115000.00" and total["revalued"] == "440000.00" and total["depreciation"] == "10000.00"
    assert total["proceeds"] == "1520000.00" and total["force_majeure"] == "180000.00"
    # adjusted = 12,115,000 − 115,000 − 440,000 + 1,520,000 + 180,000 + 10,000 = 13,270,000
    # 13,270,000 / 14,350,000 = 0.924738… → 92.47
    assert total["adjusted_closing"] == "13270000.00" and total["change"] == "-1080000.00"
    assert total["ratio"] == "92.47"
    assert report["intra_equity"]["closing"] == "1000000.00" and report["intra_equity"]["acquired"] == "1000000.00"
    rows = {r["member"]: r for r in report["rows"]}
    assert rows["M008"]["ratio"] == "37.50" and rows["M008"]["name"] == "柳市布厂"  # 600,000 / 1,600,000
    assert rows["M002"]["ratio"] == "95.00"  # (0 + 1,520,000) / 1,600,000
    assert rows["M005"]["ratio"] == "100.00"  # (560,000 − 140,000 + 180,000) / 600,000
    assert rows["M000"]["ratio"] == "100.00"  # (3,700,000 − 1,000,000 − 300,000) / 2,400,000
    assert rows["M004"]["ratio"] == "100.00"  # (900,000 + 30,000 − 30,000) / 900,000: the shed taken out as acquired
    assert rows["M009"]["opening"] == "0.00" and rows["M009"]["ratio"] is None  # founded in 2004


def test_the_seed_is_kept(example: Cli) -> None:
    """The example agrees with the seed: the typhoon's landfall, 皮件厂 done in 2004, nothing owned before its owner was."""
    assert example.json("incident", "show", "I0003")["occurred"] == "2004-08-12"
    members = {m["id"]: m for m in example.json("member", "list")}
    assert members["M002"]["restructuring"] == "completed" and members["M002"]["restructuring_finished"][:4] == "2004"
    assets = {a["id"]: a for a in example.json("asset", "list")}
    assert assets["A0018"]["acquired"] >= assets["A0003"]["acquired"]  # the company's truck, after its founding
    assert assets["A0010"]["status_since"] > members["M006"]["restructuring_finished"]  # idle after restructuring


def test_liushi_is_high_severity(example: Cli) -> None:
    flags = example.json("flags", "--as-of", "2005-03-15")
    liushi = [f for f in flags if f["record_id"] == "I0001"]
    assert [(f["code"], f["severity"]) for f in liushi] == [("ENCROACHMENT_OPEN", "high")]
    assert "85 days" in liushi[0]["message"]
    result = example.run("flags", "--as-of", "2005-03-15", "--fail-on", "high")
    assert result.exit_code == 3


def test_example_verifies(example: Cli) -> None:
    assert "OK" in example.ok("verify").stdout


def test_the_land_lawsuit_is_an_open_dispute(example: Cli) -> None:
    flags = example.json("flags", "--as-of", "2005-03-15")
    assert [(f["code"], f["severity"]) for f in flags if f["record_id"] == "I0002"] == [("DISPUTE_OPEN", "medium")]


def _rows(name: str) -> list[dict[str, str]]:
    with (EXAMPLE / "csv" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_example_is_rebuilt_from_its_csv_files(tmp_path: Path) -> None:
    """The committed registry holds exactly what build.sh's imports of csv/ and its clearance produce."""
    c = Cli(tmp_path / "fresh.json")
    c.ok("init")
    for kind in KINDS:
        c.ok("import", kind, str(EXAMPLE / "csv" / f"{kind}.csv"))
    on = {"ASSETREG_TODAY": "2005-01-04"}
    c.ok("clearance", "open", "--as-of", "2004-12-31", "--name", "2004年度资产清查", env=on)
    for row in _rows("clearance_findings.csv"):
        extra = [x for key in ("area", "note") if row[key] for x in (f"--{key}", row[key])]
        c.ok("clearance", "check", "C001", row["asset"], "--result", row["result"], "--by", row["by"], "--date", row["date"],
             *extra, env={"ASSETREG_TODAY": row["date"]})  # fmt: skip
    for row in _rows("clearance_surplus.csv"):
        c.ok("clearance", "surplus", "C001", *[x for key, value in row.items() for x in (f"--{key}", value)],
             env={"ASSETREG_TODAY": row["date"]})  # fmt: skip
    c.ok("clearance", "notice", "C001", "--from", "2005-01-15", "--days", "7", env={"ASSETREG_TODAY": "2005-01-14"})
    c.ok("clearance", "close", "C001", "--date", "2005-01-25", "--doc", "乐二轻〔2005〕3号", env={"ASSETREG_TODAY": "2005-01-25"})
    built = json.loads((tmp_path / "fresh.json").read_text(encoding="utf-8"))
    shipped = json.loads((EXAMPLE / "registry.json").read_text(encoding="utf-8"))
    for kind in ("members", "assets", "leases", "incidents", "clearances"):
        assert built[kind] == shipped[kind], kind
    assert built["findings"] == shipped["findings"]


def test_the_2004_clearance(example: Cli) -> None:
    """The year-end clearance, closed in January 2005 under the board's resolution (examples/README.md)."""
    data = example.json("report", "clearance", "C001")
    assert data["clearance"]["closed"] == "2005-01-25" and data["clearance"]["doc"] == "乐二轻〔2005〕3号"
    total = data["total"]
    # the scope: the 16 assets held on 2004-12-31 (A0001–A0003, A0006–A0018), less the stake A0003 left out of the
    # total: 15, worth the register's V1 of 2004 before the clearance, 12,085,000
    assert total["book"] == {"count": 15, "area": "45200.00", "value": "12085000.00"}
    # area 2,400 + 1,800 (office, warehouse) + 6,100 + 15,000 + 2,600 + 3,000 + 2,200 + 1,900 + 4,200 + 5 × 1,200
    # = 45,200; found: 白象's building measured 2,750 (+150) and the shed 150 → 45,500; value + 30,000
    assert total["found"] == {"count": 16, "area": "45500.00", "value": "12115000.00"}
    assert total["surplus"] == {"count": 1, "area": "150.00", "value": "30000.00"}
    assert total["shortfall"] == {"count": 0, "area": "0.00", "value": "0.00"} and total["difference"] == "30000.00"
    assert data["intra_equity"]["book"] == {"count": 1, "area": "0.00", "value": "1000000.00"}
    liushi = next(r for r in data["rows"] if r["member"] == "M008")
    assert liushi["book"] == liushi["found"] == {"count": 5, "area": "6000.00", "value": "600000.00"}  # 5 × 120,000
    shown = example.json("clearance", "show", "C001")
    damaged = [i for i in shown["scope"] if i["owner"] == "M008"]
    assert [(i["book"]["status"], i["finding"]["result"]) for i in damaged] == [("damaged", "found")] * 5
    assert shown["surplus"][0]["asset"] == "A0019"
    assert example.json("asset", "show", "A0008")["area"] == "2750"


def test_clearance_due_on_both_sides_of_the_due_day(example: Cli) -> None:
    def due(day: str) -> list[str]:
        return [f["record_id"] for f in example.json("flags", "--as-of", day) if f["code"] == "CLEARANCE_DUE"]

    # up to 2005-03-31 the latest year-end whose due day (03-31) has passed is 2003-12-31, never counted: every
    # member holding assets then (M001's building was sold in 2003, the company was founded in 2004)
    assert due("2005-03-31") == ["M000", "M002", "M003", "M004", "M005", "M006", "M007", "M008"]
    # from 2005-04-01 it is 2004-12-31, counted in C001 and closed on 2005-01-25: no flag
    assert due("2005-04-01") == []
