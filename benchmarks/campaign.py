"""The integrity campaign, re-runnable: kills, concurrent writers, fuzzed command lines. Each prints its counts.

    python benchmarks/campaign.py kills 1000        # SIGKILL at random moments of add, revalue, pay,
                                                    # a 500-row import, restore and undo
    python benchmarks/campaign.py writers 64 5      # 64 processes writing 5 changes each; then a writer
                                                    # stopped (SIGSTOP) for 20 s while readers run
    python benchmarks/campaign.py fuzz 10000        # fuzzed command lines, in-process

Every run works in a temporary folder and exits 1 when a count that must be 0 is not.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout: its tests/processes.py
from tests.processes import ASSETREG, add_building, subprocess_env

TODAY = "2025-01-01"


def environment(registry: Path) -> dict[str, str]:
    return subprocess_env(registry, ASSETREG_TODAY=TODAY)


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ASSETREG, *args], env=env, capture_output=True, text=True)


def log_hashes(registry: Path) -> list[str]:
    journal = registry.with_name(registry.name + ".journal")
    return [json.loads(line)["hash"] for line in journal.read_bytes().split(b"\n") if line.strip().endswith(b"}")]


# -- kills ------------------------------------------------------------------------------------------------


def _setup(folder: Path) -> tuple[Path, dict[str, str], Path]:
    registry = folder / "killed.json"
    env = environment(registry)
    for args in (
        ["init", "--name", "柳市"],
        ["member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise"],
        add_building("1号厂房", acquired="1990-01-01", value="320000"),
        [
            "lease",
            "add",
            "--asset",
            "A0001",
            "--tenant",
            "某公司",
            "--start",
            "2020-01-01",
            "--end",
            "2030-12-31",
            "--rent",
            "1000",
            "--period",
            "monthly",
        ],
    ):
        subprocess.run([*ASSETREG, *args], env=env, check=True, capture_output=True)
    rows = ["name,owner,category,acquired,value"] + [f"导入厂房{n},M001,equipment,2000-01-01,{n}.50" for n in range(500)]
    csv = folder / "assets.csv"
    csv.write_text("\n".join(rows), encoding="utf-8")
    return registry, env, csv


def kills(count: int, seed: int) -> int:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as name:
        registry, env, csv = _setup(Path(name))
        commands = {
            "add": lambda n: add_building(f"新厂房{n}"),
            "revalue": lambda n: ["asset", "revalue", "A0001", "--date", "2024-06-30", "--value", str(300000 + n)],
            "pay": lambda n: ["lease", "pay", "L0001", "--date", "2024-01-01", "--amount", "1", "--again"],
            "import": lambda n: ["import", "assets", str(csv)],
            "restore": lambda n: ["backup", "restore", "1", "--yes"],
            "undo": lambda n: ["undo", "--yes"],
        }
        counts = {"kills": 0, "landed": 0, "corrupt": 0, "partial": 0, "lost": 0, "finished": 0}
        acknowledged: dict[int, str] = {}  # entry number -> hash, of every write that exited 0
        for n in range(count):
            kind = list(commands)[n % len(commands)]
            before = len(json.loads(registry.read_bytes())["assets"])
            process = subprocess.Popen(
                [*ASSETREG, *commands[kind](n)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(0.05, 0.9 if kind == "import" else 0.6))
            process.send_signal(signal.SIGKILL)
            code = process.wait()
            counts["kills"] += 1
            counts["landed" if code == -signal.SIGKILL else "finished"] += 1
            try:
                after = len(json.loads(registry.read_bytes())["assets"])
            except ValueError:
                counts["corrupt"] += 1
                continue
            if kind == "import" and after - before not in (0, 500):
                counts["partial"] += 1
            check = run(["verify", "--json"], env)
            report = json.loads(check.stdout) if check.stdout.startswith("{") else {"ok": False}
            if not report["ok"]:
                counts["corrupt"] += 1
                print(kind, check.stdout, check.stderr, file=sys.stderr)
            if code == 0:
                head = report.get("head", {})
                acknowledged[head.get("n", 0)] = head.get("hash", "")
        hashes = log_hashes(registry)
        counts["lost"] = sum(1 for seq, digest in acknowledged.items() if seq > len(hashes) or hashes[seq - 1] != digest)
        print(f"kills: {counts}")
        return counts["corrupt"] + counts["partial"] + counts["lost"]


# -- concurrent writers -------------------------------------------------------------------------------------

WRITER = (
    "import sys\nfrom assetreg.cli.main import run\nfailed, me, each = 0, sys.argv[1], int(sys.argv[2])\n"
    "for n in range(each):\n"
    "    sys.argv = ['assetreg', 'member', 'add', '--name', f'成员{me}-{n}', '--district', '片', '--kind', '企业']\n"
    "    try:\n        run()\n    except SystemExit as stop:\n        failed += stop.code != 0\n"
    "sys.exit(failed)"
)
HOLDER = (
    "import os, signal, sys\nfrom pathlib import Path\nfrom assetreg.store import locked\n"
    "with locked(Path(sys.argv[1]), 'campaign'):\n    print('locked', flush=True); os.kill(os.getpid(), signal.SIGSTOP)"
)
READS = [["asset", "list"], ["flags"], ["report", "register"], ["export", "json"], ["log"], ["verify"]]


def writers(processes: int, each: int, stopped: float) -> int:
    with tempfile.TemporaryDirectory() as name:
        registry = Path(name) / "race.json"
        env = environment(registry)
        subprocess.run([*ASSETREG, "init"], env=env, check=True, capture_output=True)
        started = time.monotonic()
        running = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(p), str(each)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            for p in range(processes)
        ]
        errors = [p.communicate()[1].decode() for p in running]
        failed = sum(p.returncode for p in running)
        timed_out = sum(e.count("is in use by") for e in errors)
        members = json.loads(registry.read_bytes())["members"]
        lost = processes * each - len(members)
        ok = json.loads(run(["verify", "--json"], env).stdout)["ok"]
        print(
            f"writers: {processes} x {each} in {time.monotonic() - started:.0f} s: {len(members)} written, {lost} lost, "
            f"{failed} failed, {timed_out} timed out, verify {'ok' if ok else 'FAILED'}"
        )
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(registry)], env=env, stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        slowest, waited, until = 0.0, 0, time.monotonic() + stopped
        try:
            while time.monotonic() < until:
                for args in READS:
                    begun = time.monotonic()
                    result = run(args, env)
                    slowest = max(slowest, time.monotonic() - begun)
                    waited += result.returncode != 0 or "waiting" in result.stderr
        finally:
            holder.send_signal(signal.SIGCONT)
            holder.wait()
        print(f"a writer stopped {stopped:.0f} s: readers that waited or failed {waited}, slowest read {slowest:.2f} s")
        return lost + failed + timed_out + waited + (not ok)


# -- fuzzing -----------------------------------------------------------------------------------------------

WORDS = [
    "",
    " ",
    "0",
    "-1",
    "1e9",
    "NaN",
    "12万",
    "1,2,3",
    "¥1,250,000.50",
    "2005-02-30",
    "2005年3月15日",
    "20050315",
    "2199-12-31",
    "M001",
    "A0001",
    "L0001",
    "I0001",
    "m001",
    "Ａ０００１",
    "柳市布厂",
    "[bold]x[/]",
    "<script>",
    "=1+1",
    "\x1b[31m",
    "\u202e",
    "a\nb",
    "\x00",
    "\udcff",
    "x" * 300,
    "--help",
    "--json",
    "--force",
    "--yes",
    "9" * 40,
]
NOUNS = {
    "member": ["add", "list", "show", "edit", "remove"],
    "asset": ["add", "list", "show", "edit", "revalue", "impair", "dispose", "transfer", "history", "remove"],
    "lease": ["add", "list", "show", "edit", "pay", "end", "write-off", "statement", "remove"],
    "incident": ["add", "list", "show", "act", "close", "remove"],
    "report": ["register", "value", "trend", "leases", "incidents", "summary"],
    "settings": ["show", "set"],
    "backup": ["list", "restore"],
    "import": ["members", "assets", "values", "settings"],
    "export": ["json"],
}
OPTIONS = [
    "--name",
    "--owner",
    "--category",
    "--acquired",
    "--value",
    "--date",
    "--amount",
    "--asset",
    "--tenant",
    "--start",
    "--end",
    "--rent",
    "--period",
    "--kind",
    "--district",
    "--status",
    "--as-of",
    "--from",
    "--to",
    "--year",
    "--by",
    "--unit",
    "--format",
    "--encoding",
    "--lang",
    "--id",
    "--area",
    "--cause",
    "--method",
    "--proceeds",
    "--note",
]


def fuzz(count: int, seed: int) -> int:
    from typer.testing import CliRunner

    from assetreg.cli.main import app
    from assetreg.i18n import set_language

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as name:
        registry, env, _ = _setup(Path(name))
        runner = CliRunner()
        environ = {key: env[key] for key in ("ASSETREG_FILE", "ASSETREG_TODAY", "ASSETREG_LANG", "ASSETREG_INTERACTIVE")}
        crashes = Path(name) / "crashes"  # an unexpected error writes its details here
        environ["ASSETREG_CRASH_DIR"] = str(crashes)
        tracebacks = unexpected = bad_exit = changed = 0
        for _ in range(count):
            noun = rng.choice([*NOUNS, "flags", "verify", "log", "undo", "redo"])
            args = [noun, *([rng.choice(NOUNS[noun])] if noun in NOUNS else [])]
            for _option in range(rng.randint(0, 6)):
                args += [rng.choice(OPTIONS), rng.choice(WORDS)] if rng.random() < 0.8 else [rng.choice(WORDS)]
            before = registry.read_bytes()
            result = runner.invoke(app, args, env={**environ, "ASSETREG_LANG": rng.choice(["en", "zh"])})
            set_language("en")
            out = result.stdout + result.stderr
            tracebacks += "Traceback" in out or (result.exception is not None and not isinstance(result.exception, SystemExit))
            unexpected += crashes.is_dir() and any(crashes.iterdir())
            bad_exit += result.exit_code not in (0, 1, 2, 3)
            changed += result.exit_code != 0 and registry.read_bytes() != before
            if "Traceback" in out or (crashes.is_dir() and any(crashes.iterdir())):
                print(args, out[-400:], file=sys.stderr)
                for report in crashes.glob("*"):
                    report.unlink()
        print(
            f"fuzz: {count} command lines: {tracebacks} tracebacks, {unexpected} unexpected errors, "
            f"{bad_exit} other exit codes, {changed} refused commands that changed the registry"
        )
        return tracebacks + unexpected + bad_exit + changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    k = sub.add_parser("kills")
    k.add_argument("count", type=int)
    k.add_argument("--seed", type=int, default=20041220)
    w = sub.add_parser("writers")
    w.add_argument("processes", type=int)
    w.add_argument("each", type=int)
    w.add_argument("--stopped", type=float, default=20.0, help="seconds a writer holds the lock, stopped")
    f = sub.add_parser("fuzz")
    f.add_argument("count", type=int)
    f.add_argument("--seed", type=int, default=20041220)
    options = parser.parse_args()
    if options.what == "kills":
        bad = kills(options.count, options.seed)
    elif options.what == "writers":
        bad = writers(options.processes, options.each, options.stopped)
    else:
        bad = fuzz(options.count, options.seed)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
