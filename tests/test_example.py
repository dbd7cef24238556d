"""The bundled example registry stays loadable, verifiable, and its headline figures stay put."""

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import Cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def example(tmp_path: Path) -> Cli:
    for name in ("registry.json", "registry.json.journal"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    return Cli(tmp_path / "registry.json")


def test_value_preservation_of_2004(example: Cli) -> None:
    report = example.json("report", "value", "--from", "2004-01-01", "--to", "2004-12-31")
    total = report["total"]
    # worked out by hand in examples/README.md
    assert total["opening"] == "14435000.00" and total["closing"] == "12930000.00"
    # R = 300,000 (appraisal) − 25,000 (the truck's book revaluation) = 275,000
    # adjusted = 12,930,000 − 1,000,000 − 275,000 + 1,520,000 + 180,000 = 13,355,000; 13,355,000 / 14,435,000 → 92.52
    assert total["revalued"] == "275000.00" and total["proceeds"] == "1520000.00" and total["force_majeure"] == "180000.00"
    assert total["adjusted_closing"] == "13355000.00" and total["change"] == "-1080000.00"
    assert total["ratio"] == "92.52"
    rows = {r["member"]: r for r in report["rows"]}
    assert rows["M008"]["ratio"] == "37.50" and rows["M008"]["name"] == "柳市布厂"
    # the truck's wear taken out: 60,000 + 25,000 = 85,000 over 85,000 → 100.00
    assert rows["M009"]["ratio"] == "100.00"


def test_liushi_is_high_severity(example: Cli) -> None:
    flags = example.json("flags", "--as-of", "2005-03-15")
    liushi = [f for f in flags if f["record_id"] == "I0001"]
    assert [(f["code"], f["severity"]) for f in liushi] == [("ENCROACHMENT_OPEN", "high")]
    assert "85 days" in liushi[0]["message"]
    result = example.run("flags", "--as-of", "2005-03-15", "--fail-on", "high")
    assert result.exit_code == 3


def test_example_verifies(example: Cli) -> None:
    assert "OK" in example.ok("verify").stdout


def test_example_is_rebuilt_from_its_csv_files(tmp_path: Path) -> None:
    """The committed registry holds exactly what build.sh's imports of csv/ produce."""
    c = Cli(tmp_path / "fresh.json")
    c.ok("init")
    for kind in ("members", "assets", "incidents", "values", "leases", "payments", "actions"):
        c.ok("import", kind, str(EXAMPLE / "csv" / f"{kind}.csv"))
    built = json.loads((tmp_path / "fresh.json").read_text(encoding="utf-8"))
    shipped = json.loads((EXAMPLE / "registry.json").read_text(encoding="utf-8"))
    for kind in ("members", "assets", "leases", "incidents"):
        assert built[kind] == shipped[kind], kind
