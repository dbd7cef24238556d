"""Time the annual clearance (资产清查) at scale, beside its baselines measured in the same run.

    python benchmarks/clearance.py                   # 100,000 assets, 3 runs each (builds the registry first)
    python benchmarks/clearance.py --size 10000

Targets (issue 20): `clearance open` of the whole registry ≤ 5 s; each `clearance check` ≤ the budget of
`asset add` (1.5 s at 100k), timed beside `asset add` itself; `report clearance` ≤ 4 s. `flags` is timed
too (its budget is 5 s and the clearance adds two rules). Baselines: orjson reading and writing the same
file, and `asset add`. `open` starts each run from the registry as built (copied back before the run,
outside the timing), so every run opens the same whole-registry scope.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import build, generate
from run import ORJSON_ROUND_TRIP, row, timed

TARGETS = {"clearance open": 5.0, "clearance check": 1.5, "asset add": 1.5, "report clearance": 4.0, "flags": 5.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="assetreg-clearance-bench-"))
    folder = work / "registry"
    counts = generate(args.size, folder)
    build(folder)
    registry = folder / "registry.json"
    pristine = work / "pristine"
    pristine.mkdir()
    for path in folder.glob("registry.json*"):
        if path.is_file():
            shutil.copy2(path, pristine / path.name)
    env = {**os.environ, "ASSETREG_FILE": str(registry), "ASSETREG_LANG": "en", "COLUMNS": "200", "ASSETREG_TODAY": "2005-03-15"}
    assetreg = str(Path(sys.executable).with_name("assetreg"))
    script = work / "roundtrip.py"
    script.write_text(ORJSON_ROUND_TRIP)
    io_base, io_peak = timed([sys.executable, str(script), str(registry)], args.runs, env)

    def restore() -> None:
        for path in pristine.iterdir():
            shutil.copy2(path, folder / path.name)

    lines = [
        f"## Clearance at {args.size:,} assets: run of {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        "records: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
        f"registry file: {registry.stat().st_size / 2**20:.1f} MB; orjson read+write of it (baseline): {io_base:.3f} s, "
        f"{io_peak:.0f} MB",
        "",
        "| command | median | vs orjson | peak memory | target |",
        "|---|---:|---:|---:|---|",
    ]
    opens, open_peak = [], 0.0
    for _ in range(args.runs):
        restore()
        seconds, peak = timed([assetreg, "clearance", "open", "--as-of", "2004-12-31"], 1, env)
        opens.append(seconds)
        open_peak = max(open_peak, peak)
    opens.sort()
    lines.append(row("clearance open", opens[len(opens) // 2], io_base, open_peak, TARGETS["clearance open"]))
    first = "A" + "0" * 5 + "1"  # the generator's ids: A000001 …
    for name, command in (
        ("asset add", [assetreg, "asset", "add", "--name", "新厂房", "--owner", "M00001", "--category", "building",
                       "--acquired", "2004-01-01", "--value", "1"]),
        ("clearance check", [assetreg, "clearance", "check", "C001", first, "--result", "differs", "--area", "1"]),
        ("clearance show --json", [assetreg, "clearance", "show", "C001", "--json"]),
        ("report clearance", [assetreg, "report", "clearance", "C001"]),
        ("report clearance json", [assetreg, "report", "clearance", "C001", "--json"]),
        ("flags", [assetreg, "flags", "--as-of", "2005-04-01"]),
    ):  # fmt: skip
        seconds, peak = timed(command, args.runs, env)
        lines.append(row(name, seconds, io_base, peak, TARGETS.get(name)))
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
