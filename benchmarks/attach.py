"""Attaching a 100 MB file against `sha256sum` and then `cp` of it on the same disk (issue 22).

    python benchmarks/attach.py              # 100 MiB, 7 pairs after one warm-up
    python benchmarks/attach.py --runs 3 --mib 100

Each run attaches a new file of random bytes (the files folder is emptied first, so nothing is already
stored; written back to disk before timing), then times `sha256sum FILE` followed by `cp FILE COPY` in the
same folder (cp does not flush to disk; attach does, file and folder): the pairs alternate
(A B A B …) so a load that changes during the run falls on both. Wall and CPU seconds are of the whole
process and its children (wait4's rusage); peak memory is attach's resident set. Figures are printed,
nothing is asserted: people judge (the issue's target is within 1.5x of the baseline).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MiB) of one process run to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--mib", type=int, default=100)
    parser.add_argument("--dir", default=None, help="Where to work (default a temporary folder).")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="assetreg-attach-", dir=options.dir))
    registry = folder / "registry.json"
    env = {**os.environ, "ASSETREG_FILE": str(registry), "ASSETREG_TODAY": "2005-03-15", "ASSETREG_INTERACTIVE": "0"}
    assetreg = [sys.executable, "-m", "assetreg"]
    try:
        for args in (
            ["init", "--name", "基准"],
            ["member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise"],
            ["asset", "add", "--name", "厂房", "--owner", "M001", "--category", "building",
             "--acquired", "1985-06-01", "--value", "320000"],
            ["settings", "set", "backups_kept", "0"],
        ):  # fmt: skip
            subprocess.run([*assetreg, *args], env=env, check=True, capture_output=True)
        big = folder / "big.bin"
        files = folder / "registry.json.files"
        attach: list[tuple[float, float, float]] = []
        baseline: list[tuple[float, float]] = []
        for run in range(options.runs + 1):
            with open(big, "wb") as handle:  # new content each run: nothing is stored already
                for _ in range(options.mib):
                    handle.write(os.urandom(1 << 20))
            shutil.rmtree(files, ignore_errors=True)
            os.sync()  # the new file's own write-back is not left to fall inside the timed attach's fsync
            one = timed([*assetreg, "attach", "A0001", str(big)], env)
            hashed = timed(["sha256sum", str(big)], env)
            copied = timed(["cp", str(big), str(folder / "copy.bin")], env)
            (folder / "copy.bin").unlink()
            if run:  # the first is the warm-up
                attach.append(one)
                baseline.append((hashed[0] + copied[0], hashed[1] + copied[1]))
        ratios = [a[0] / b[0] for a, b in zip(attach, baseline, strict=True)]
        print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {options.mib} MiB, "
              f"{options.runs} pairs, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        print("| | min | median | max |\n|---|---:|---:|---:|")
        for name, values in (
            ("attach: wall s", [a[0] for a in attach]),
            ("attach: cpu s", [a[1] for a in attach]),
            ("attach: peak MiB", [a[2] for a in attach]),
            ("sha256sum + cp: wall s", [b[0] for b in baseline]),
            ("sha256sum + cp: cpu s", [b[1] for b in baseline]),
            ("attach / (sha256sum + cp), wall, pair by pair", ratios),
        ):
            print(f"| {name} | {min(values):.3f} | {statistics.median(values):.3f} | {max(values):.3f} |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
