"""ruff and mypy are part of the test run, so CI holds the code to them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is in the test extra")
def test_ruff_clean() -> None:
    result = subprocess.run(["ruff", "check", "assetreg", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    formatted = subprocess.run(["ruff", "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert formatted.returncode == 0, formatted.stdout


def test_mypy_clean() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run([sys.executable, "-m", "mypy", "assetreg"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
