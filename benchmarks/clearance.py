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
from run import ORJSON_ROUND_TRIP

CPU: list[float] = []  # user + system seconds of each timed process, in order


def timed(command: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall seconds and the largest resident set (MB); the median CPU seconds go to CPU: on a
    machine loaded by other work the wall clock waits for a core, the CPU time does not."""
    import statistics
    import subprocess

    walls, cpus, peak = [], [], 0
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(command)}")
        cpus.append(usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss)
    CPU.append(statistics.median(cpus))
    return statistics.median(walls), peak / 1024


def row(name: str, seconds: float, baseline: float, peak: float, target: float | None) -> str:
    goal = f"≤ {target:g} s {'ok' if seconds <= target else 'MISSED'}" if target else ""
    return f"| {name:<22} | {seconds:7.3f} s | {CPU[-1]:6.3f} s | {seconds / baseline:5.2f}x | {peak:7.0f} MB | {goal} |"


TARGETS = {"clearance open": 5.0, "clearance check": 1.5, "asset add": 1.5, "report clearance": 4.0, "flags": 5.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--built", type=Path, help="A folder holding a registry benchmarks/generate.py built (kept).")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="assetreg-clearance-bench-"))
    folder = work / "registry"
    if args.built:
        shutil.copytree(args.built, folder, ignore=shutil.ignore_patterns("pristine", "*.backups"))
        counts = {"assets": args.size}
    else:
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
        f"registry file: {registry.stat().st_size / 2**20:.1f} MB; orjson read+write of it (baseline): {io_base:.3f} s "
        f"wall, {CPU[-1]:.3f} s cpu, {io_peak:.0f} MB",
        "",
        "| command | median wall | median cpu | vs orjson (wall) | peak memory | target (wall) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    opens, open_cpu, open_peak = [], [], 0.0
    for _ in range(args.runs):
        restore()
        seconds, peak = timed([assetreg, "clearance", "open", "--as-of", "2004-12-31"], 1, env)
        opens.append(seconds)
        open_cpu.append(CPU.pop())
        open_peak = max(open_peak, peak)
    opens.sort()
    CPU.append(sorted(open_cpu)[len(open_cpu) // 2])
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
