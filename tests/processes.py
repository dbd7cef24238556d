"""assetreg run as a process of its own, as a clerk's shell runs it: shared by the integrity tests and the
integrity campaign (benchmarks/campaign.py), which kill, race and stop such processes. Standard library only,
so that the campaign runs without the test dependencies."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ASSETREG = [sys.executable, "-m", "assetreg"]


def subprocess_env(registry: Path, **extra: str) -> dict[str, str]:
    """The environment of a process on `registry`: English, never prompting, no colour, the default lock wait."""
    return {
        **os.environ,
        "ASSETREG_FILE": str(registry),
        "ASSETREG_LANG": "en",
        "ASSETREG_INTERACTIVE": "0",
        "ASSETREG_LOCK_TIMEOUT": "60",
        "NO_COLOR": "1",
        **extra,
    }


def add_building(name: str, owner: str = "M001", acquired: str = "2004-01-01", value: str = "1") -> list[str]:
    """The command line of `asset add` for a building: the write the kill tests interrupt."""
    return ["asset", "add", "--name", name, "--owner", owner, "--category", "building", "--acquired", acquired, "--value", value]
