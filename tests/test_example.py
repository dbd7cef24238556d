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


def test_statuses_come_from_the_incidents_and_end_with_them(example: Cli) -> None:
    """The damaged and occupied assets are so because of their open incidents, not a status typed in."""
    rows = {r["id"]: r["status"] for r in example.json("report", "register", "--as-of", "2004-12-31")["rows"]}
    # I0001 (damage, 2004-12-20) makes 柳市's five buildings damaged; I0004 (occupation, 2004-05-01) the 翁垟 land
    assert [rows[f"A00{n}"] for n in range(13, 18)] == ["damaged"] * 5 and rows["A0012"] == "occupied"
    before = {r["id"]: r["status"] for r in example.json("report", "register", "--as-of", "2004-04-30")["rows"]}
    assert before["A0012"] == "in_use"  # the occupation began on 2004-05-01
    # the typhoon (I0003, 2004-08-12) damaged 大荆's building until its repair was resolved on 2004-11-30
    assert example.json("asset", "show", "A0009", "--as-of", "2004-09-01")["status"] == "damaged"
    assert example.json("asset", "show", "A0009", "--as-of", "2004-11-30")["status"] == "in_use"
    example.ok("incident", "close", "I0001", "--date", "2005-03-01", "--note", "调解结案")
    example.ok("incident", "close", "I0004", "--date", "2005-03-01", "--note", "判决结案")
    after = {a["id"]: a["status"] for a in example.json("asset", "list")}
    assert [after[f"A00{n}"] for n in range(12, 18)] == ["in_use"] * 6
    codes = [f["code"] for f in example.json("flags", "--as-of", "2005-03-15")]
    assert "ASSET_DAMAGED_UNREPORTED" not in codes and "ENCROACHMENT_OPEN" not in codes


def test_records_on_a_past_day_list_nothing_after_it(example: Cli) -> None:
    leather = example.json("asset", "show", "A0005", "--as-of", "2004-06-30")
    # the auction of 2004-09-28 had not happened: only the acquisition, and the building in use at 1,600,000
    assert [e["kind"] for e in leather["history"]] == ["acquire"]
    assert (leather["status"], leather["value"]) == ("in_use", "1600000.00")
    lease = example.json("lease", "show", "L0001", "--as-of", "2004-03-31")
    # three dues of 8,000 (Jan–Mar), three payments of 8,000 by then: nothing owed, nothing later listed
    assert [p["date"] for p in lease["payments"]] == ["2004-01-05", "2004-02-05", "2004-03-08"]
    assert lease["arrears"] == "0.00"
    typhoon = example.json("incident", "show", "I0003", "--as-of", "2004-09-01")
    assert typhoon["status"] == "open" and typhoon["actions"] == []  # the grant (09-10) and the repair (11-30) came later
    assert [t["what"] for t in typhoon["timeline"]] == ["occurred", "reported"]
    radio = example.json("member", "show", "M001", "--as-of", "2004-06-30")
    # restructuring since 2001-03-01, accepted only on 2004-11-30
    assert (radio["restructuring"], radio["restructuring_finished"]) == ("in_progress", None)
    assert [e["status"] for e in radio["restructuring_history"]] == ["in_progress"]
    # before a record was there, there is nothing of it to show; a lease signed ahead had not started
    assert "A0018 was acquired on 2004-04-15" in example.refused("asset", "show", "A0018", "--as-of", "2004-01-01")
    assert "I0001 occurred on 2004-12-20" in example.refused("incident", "show", "I0001", "--as-of", "2004-12-19")
    assert example.json("lease", "show", "L0003", "--as-of", "2004-06-30")["status"] == "signed"


def test_rent_roll_of_2004(example: Cli) -> None:
    """Worked out by hand in examples/README.md."""
    roll = example.json("report", "leases", "--year", "2004")
    rows = {r["id"]: r for r in roll["rows"]}
    # L0001: 12 monthly dues of 8,000 = 96,000; paid 9 × 8,000 + 4,000 = 76,000: owes 20,000 — October's 4,000
    # (due 10-01, 91 days old), November's 8,000 (60 days), December's 8,000 (30 days)
    assert (rows["L0001"]["collected"], rows["L0001"]["arrears"]) == ("76000.00", "20000.00")
    assert rows["L0001"]["aging"] == {"0-30": "8000.00", "31-90": "8000.00", "91-180": "4000.00", "180+": "0.00"}
    # L0002: 7 quarterly dues of 15,000 from 2003-04-01 = 105,000, paid 30,000 in 2003: owes 75,000; the dues of
    # 2003-10-01, 2004-01-01, 04-01 and 07-01 are over 180 days old (60,000), 10-01 is 91 days (15,000)
    assert (rows["L0002"]["collected"], rows["L0002"]["arrears"]) == ("0.00", "75000.00")
    assert (rows["L0002"]["aging"]["180+"], rows["L0002"]["aging"]["91-180"]) == ("60000.00", "15000.00")
    total = roll["total"]
    # rent per year 96,000 + 60,000 + 60,000; deposits 16,000 + 10,000 + 20,000; collected 76,000 + 60,000
    assert (total["rent_per_year"], total["deposit"], total["collected"], total["arrears"]) == (
        "216000.00",
        "46000.00",
        "136000.00",
        "95000.00",
    )
    assert roll["ended"]["rows"] == []
    rent = example.json("report", "summary", "--year", "2004")["rent"]["rows"][0]
    # due in 2004: 96,000 + 4 × 15,000 + 60,000 = 216,000; collected as on the rent roll
    assert rent == {"due": "216000.00", "collected": "136000.00", "written_off": "0.00", "arrears": "95000.00"}
