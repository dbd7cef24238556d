"""The bundled example registry stays loadable, verifiable, and its headline figures stay put."""

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
    #      + 5 × 120,000 + 75,000 = 12,085,000
    assert total["opening"] == "14350000.00" and total["closing"] == "12085000.00"
    # A = the truck 85,000; R = 300,000 (office) + 140,000 (大荆 after repair); D = 85,000 − 75,000
    assert total["acquired"] == "85000.00" and total["revalued"] == "440000.00" and total["depreciation"] == "10000.00"
    assert total["proceeds"] == "1520000.00" and total["force_majeure"] == "180000.00"
    # adjusted = 12,085,000 − 85,000 − 440,000 + 1,520,000 + 180,000 + 10,000 = 13,270,000
    # 13,270,000 / 14,350,000 = 0.924738… → 92.47
    assert total["adjusted_closing"] == "13270000.00" and total["change"] == "-1080000.00"
    assert total["ratio"] == "92.47"
    assert report["intra_equity"]["closing"] == "1000000.00" and report["intra_equity"]["acquired"] == "1000000.00"
    rows = {r["member"]: r for r in report["rows"]}
    assert rows["M008"]["ratio"] == "37.50" and rows["M008"]["name"] == "柳市布厂"  # 600,000 / 1,600,000
    assert rows["M002"]["ratio"] == "95.00"  # (0 + 1,520,000) / 1,600,000
    assert rows["M005"]["ratio"] == "100.00"  # (560,000 − 140,000 + 180,000) / 600,000
    assert rows["M000"]["ratio"] == "100.00"  # (3,700,000 − 1,000,000 − 300,000) / 2,400,000
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


def test_example_is_rebuilt_from_its_csv_files(tmp_path: Path) -> None:
    """The committed registry holds exactly what build.sh's imports of csv/ produce."""
    c = Cli(tmp_path / "fresh.json")
    c.ok("init")
    for kind in KINDS:
        c.ok("import", kind, str(EXAMPLE / "csv" / f"{kind}.csv"))
    built = json.loads((tmp_path / "fresh.json").read_text(encoding="utf-8"))
    shipped = json.loads((EXAMPLE / "registry.json").read_text(encoding="utf-8"))
    for kind in ("members", "assets", "leases", "incidents"):
        assert built[kind] == shipped[kind], kind
