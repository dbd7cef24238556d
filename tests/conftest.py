from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetreg.cli.main import app
from assetreg.i18n import set_language

TODAY = "2005-03-15"
MADE = "1110844800"  # 2005-03-15 00:00:00 UTC: documents of the example say they were made then
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


class Cli:
    """Runs assetreg in-process against a temporary registry, as a user at a terminal would."""

    def __init__(self, registry: Path, extra_env: dict[str, str] | None = None) -> None:
        self.registry = registry
        self.env = {
            "ASSETREG_FILE": str(registry),
            "ASSETREG_TODAY": TODAY,
            "NO_COLOR": "1",
            "COLUMNS": "160",
            "ASSETREG_LANG": "en",
            "ASSETREG_INTERACTIVE": "0",
            "ASSETREG_LOCK_TIMEOUT": "5",
            **(extra_env or {}),
        }
        self.runner = CliRunner()

    def run(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
        result = self.runner.invoke(app, list(args), env={**self.env, **(env or {})}, input=input)
        set_language("en")
        return result

    def ok(self, *args: str, **kwargs: Any) -> Any:
        result = self.run(*args, **kwargs)
        assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json").stdout)

    def refused(self, *args: str, code: int = 1) -> str:
        """Run a command that must be refused; the registry must not change by a single byte."""
        before = self.registry.read_bytes() if self.registry.exists() else None
        journal = self.registry.with_name(self.registry.name + ".journal")
        log_before = journal.read_bytes() if journal.exists() else None
        result = self.run(*args)
        assert result.exit_code == code, (args, result.exit_code, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout
        after = self.registry.read_bytes() if self.registry.exists() else None
        assert after == before, "a refused command changed the registry"
        assert (journal.read_bytes() if journal.exists() else None) == log_before
        return str(result.stderr)


@pytest.fixture(autouse=True, scope="session")
def _crash_reports_stay_out_of_the_shared_temp_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Crash reports of every command the tests run (in-process or not) go to the test run's own folder."""
    os.environ["ASSETREG_CRASH_DIR"] = str(tmp_path_factory.mktemp("crashes"))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    c = Cli(tmp_path / "registry.json")
    c.ok("init", "--name", "乐清市二轻联社")
    return c


@pytest.fixture
def liushi(cli: Cli) -> Cli:
    """The federation, the Liushi cloth factory with its five buildings, the damage and the mediation."""
    cli.ok("member", "add", "--name", "乐清市二轻联社", "--district", "市区", "--kind", "federation", "--id", "M000")
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    for n in range(1, 6):
        cli.ok(
            "asset",
            "add",
            "--name",
            f"柳市布厂{n}号厂房",
            "--owner",
            "M001",
            "--category",
            "building",
            "--acquired",
            "1985-06-01",
            "--value",
            "320000",
            "--area",
            "1200",
            "--title-no",
            f"乐房字第0{n}号",
        )
    cli.ok(
        "incident",
        "add",
        "--kind",
        "damage",
        *[x for n in range(1, 6) for x in ("--asset", f"A000{n}")],
        "--occurred",
        "2004-12-20",
        "--reported",
        "2004-12-22",
        "--counterparty",
        "柳市镇上峰村",
        "--estimated-loss",
        "800000",
    )
    cli.ok("incident", "act", "I0001", "--date", "2005-01-10", "--note", "市里成立调解小组", "--status", "mediation")
    return cli


Runner = Callable[..., Any]


@pytest.fixture
def example(tmp_path: Path) -> Cli:
    """A copy of the bundled example registry and its log, its documents made at MADE."""
    import shutil

    for name in ("registry.json", "registry.json.journal"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return Cli(tmp_path / "registry.json", {"SOURCE_DATE_EPOCH": MADE})
