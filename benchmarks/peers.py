"""The brief's two peers, measured pair by pair on generated registries of N assets.

    pip install sqlite-utils                       # the peer; not a dependency of assetreg
    python benchmarks/peers.py --sizes 10000 100000 --pairs 5

- `asset add` against `sqlite-utils insert` of one row into an `assets` table holding the same N assets
  (the same columns, from the same assets.csv), each run adding one more row, as each `asset add` does;
- `flags` against reading the same registry file with orjson (the least any command that looks at every
  record must do).

The commands run in turn, A B A B …, and each ratio is taken pair by pair, so that the machine's drift
(it is shared, and its speed varies by ±20 %) moves both sides of a pair alike; the figures printed are the
medians of the wall seconds, of the CPU seconds (user + system) and of the per-pair ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attach import timed as run  # one whole process: wall s, cpu s, peak MiB
from generate import build, generate

ORJSON_READ = "import orjson, sys; orjson.loads(open(sys.argv[1], 'rb').read())"


def paired(name: str, a: list[str], b: list[str], pairs: int, env: dict[str, str]) -> str:
    run(a, env), run(b, env)  # a warm-up of each: the page cache holds both files from here on
    rows = [(run(a, env), run(b, env)) for _ in range(pairs)]
    med = statistics.median
    wall_a, wall_b = med(x[0][0] for x in rows), med(x[1][0] for x in rows)
    cpu_a, cpu_b = med(x[0][1] for x in rows), med(x[1][1] for x in rows)
    ratio = med(x[0][0] / x[1][0] for x in rows)
    cpu_ratio = med(x[0][1] / x[1][1] for x in rows)
    peak = max(x[0][2] for x in rows)
    walls = f"{wall_a:.3f} s | {wall_b:.3f} s | {ratio:.2f}x"
    return f"| {name} | {walls} | {cpu_a:.3f} s | {cpu_b:.3f} s | {cpu_ratio:.2f}x | {peak:.0f} MB |"


def sqlite_table(folder: Path, db: Path) -> Path:
    """The generated assets in a SQLite table, and one more row to insert (written as sqlite-utils reads it)."""
    subprocess.run(["sqlite-utils", "insert", str(db), "assets", str(folder / "assets.csv"), "--csv"], check=True)
    row = folder / "row.json"
    row.write_text(
        json.dumps({"name": "新厂房", "owner": "M00001", "category": "building", "acquired": "2004-01-01", "value": "1"}),
        encoding="utf-8",
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="assetreg-peers-"))
    assetreg = str(Path(sys.executable).with_name("assetreg"))
    print("| command (A) vs peer (B) | A wall | B wall | A/B wall | A cpu | B cpu | A/B cpu | A peak |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        folder = work / f"peers-{size}"
        generate(size, folder)
        build(folder)
        registry = folder / "registry.json"
        env = {**os.environ, "ASSETREG_FILE": str(registry), "ASSETREG_LANG": "en", "COLUMNS": "200"}
        db = folder / "peer.db"
        row = sqlite_table(folder, db)
        add = [assetreg, "asset", "add", "--name", "新厂房", "--owner", "M00001", "--category", "building"]
        add += ["--acquired", "2004-01-01", "--value", "1"]
        insert = ["sqlite-utils", "insert", str(db), "assets", str(row)]
        print(paired(f"asset add at {size:,} vs sqlite-utils insert", add, insert, args.pairs, env))
        flags = [assetreg, "flags", "--as-of", "2005-03-15"]
        read = [sys.executable, "-c", ORJSON_READ, str(registry)]
        print(paired(f"flags at {size:,} vs orjson read", flags, read, args.pairs, env), flush=True)


if __name__ == "__main__":
    main()
