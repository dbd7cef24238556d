"""The roll-up against one registry of the same assets, side by side in one run.

    python benchmarks/rollup.py [--sources 100] [--assets 2000] [--runs 3] [--work DIR]

Builds SOURCES registries of ASSETS assets each (benchmarks/generate.py, seeded per source), a roll-up
list of them, and one registry holding all their records (ids prefixed per source so they stay
apart). Then times `report value`, `report register --format xlsx` and `flags` on each, one after the
other in the same run (the machine is shared: each roll-up figure is paired with its single-file
baseline), and the peak memory of the largest source read alone.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import ORDER, build, generate
from run import timed

ID = re.compile(r"\b([MALI]\d{5,6})\b")
COMMANDS = {
    "report value": ["report", "value", "--as-of", "2005-06-30"],
    "report register xlsx": [
        "report",
        "register",
        "--as-of",
        "2005-06-30",
        "--format",
        "xlsx",
        "--output",
        "{out}.xlsx",
        "--force",
    ],
    "flags": ["flags", "--as-of", "2005-06-30"],
}


def build_sources(work: Path, sources: int, assets: int) -> list[Path]:
    registries = []
    for number in range(sources):
        folder = work / f"s{number:03d}"
        registry = folder / "registry.json"
        if not registry.exists():
            generate(assets, folder, seed=2004 + number)
            build(folder)
        registries.append(registry)
    return registries


def build_single(work: Path, registries: list[Path]) -> Path:
    """One registry holding every source's records, each id prefixed by its source's number."""
    folder = work / "single"
    registry = folder / "registry.json"
    if registry.exists():
        return registry
    folder.mkdir(parents=True, exist_ok=True)
    for kind in ORDER:
        with (folder / f"{kind}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for number, source in enumerate(registries):
                with (source.parent / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
                    rows = list(csv.reader(handle))
                if number == 0:
                    writer.writerow(rows[0])
                unique = [i for i, c in enumerate(rows[0]) if (kind, c) in (("members", "name"), ("assets", "title_no"))]
                for row in rows[1:]:
                    cells = [ID.sub(lambda m, n=number: f"{m.group(1)[0]}{n:03d}{m.group(1)[1:]}", cell) for cell in row]
                    for i in unique:  # a member's name and a title number are unique in one registry
                        cells[i] = f"{cells[i]}·{number:03d}" if cells[i] else cells[i]
                    writer.writerow(cells)
    build(folder)
    return registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--assets", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/assetreg-rollup-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    registries = build_sources(args.work, args.sources, args.assets)
    single = build_single(args.work, registries)
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    listing = args.work / "all.rollup.csv"
    assetreg = str(Path(sys.executable).with_name("assetreg"))
    subprocess.run(
        [assetreg, "rollup", "init", str(listing), *(f"{r}=s{n:03d}" for n, r in enumerate(registries)), "--force"],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "ASSETREG_TODAY": "2005-06-30"}
    print(f"## Roll-up of {args.sources} registries of {args.assets} assets vs one registry of the same records")
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, machine shared with parallel work; median of {args.runs}")
    print()
    print("| command | one registry | roll-up | ratio (each pair) | peak one | peak roll-up | peak one source |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, words in COMMANDS.items():
        command = {
            out: [assetreg, "--registry", str(registry), *(w.format(out=args.work / out) for w in words)]
            for registry, out in ((single, "single"), (listing, "rollup"), (registries[0], "source"))
        }
        pairs = [(timed(command["single"], 1, env), timed(command["rollup"], 1, env)) for _ in range(args.runs)]  # interleaved
        one = statistics.median(p[0][0] for p in pairs)
        many = statistics.median(p[1][0] for p in pairs)
        one_peak, many_peak = max(p[0][1] for p in pairs), max(p[1][1] for p in pairs)
        source_peak = timed(command["source"], 1, env)[1]
        ratios = ", ".join(f"{b[0] / a[0]:.2f}" for a, b in pairs)
        peaks = f"{one_peak:.0f} MB | {many_peak:.0f} MB | {source_peak:.0f} MB"
        print(f"| {name} | {one:.2f} s | {many:.2f} s | {many / one:.2f}x ({ratios}) | {peaks} |", flush=True)


if __name__ == "__main__":
    main()
