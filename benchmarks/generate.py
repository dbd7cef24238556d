"""Build a realistic registry of N assets for benchmarks: CSV files, then `assetreg import` of each.

    python benchmarks/generate.py 10000 /tmp/bench-10k      # writes CSVs and registry.json there

One member per 30 assets, one to three value events per asset, a lease on one asset in five with
monthly payments, an incident per hundred assets, Chinese names, a fixed seed.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

DISTRICTS = ["白象片", "大荆片", "柳市片", "城区片", "虹桥片", "翁垟片", "北白象片", "乐成片"]
TRADES = ["布厂", "木器厂", "锁厂", "制鞋厂", "皮件厂", "塑料厂", "无线电厂", "五金厂", "印刷厂", "服装厂"]
PLACES = ["柳市镇", "大荆镇", "白象镇", "虹桥镇", "翁垟镇", "乐成街道", "城东街道", "城南街道"]
VILLAGES = ["上峰村", "中心村", "东村", "西岙村", "前垟村", "后山村"]
KINDS = ["building"] * 6 + ["land"] * 2 + ["equipment", "vehicle"]
ORDER = ("members", "assets", "incidents", "values", "leases", "payments", "actions")


def write(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def generate(count: int, folder: Path, seed: int = 2004) -> dict[str, int]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    members = max(1, count // 30)
    write(
        folder / "members.csv",
        ["id", "name", "district", "kind", "restructuring", "restructuring_since"],
        [
            [
                f"M{m:05d}",
                f"{rng.choice(PLACES)}{rng.choice(TRADES)}{m}",
                rng.choice(DISTRICTS),
                "enterprise",
                rng.choice(["not_started", "preparing", "in_progress", "completed"]),
                f"{rng.randint(1998, 2004)}-03-01",
            ]
            for m in range(members)
        ],
    )
    assets, values, leases, payments = [], [], [], []
    for n in range(count):
        acquired = date(1980, 1, 1) + timedelta(days=rng.randint(0, 8000))
        category = rng.choice(KINDS)
        value = rng.randint(20_000, 3_000_000)
        title = f"乐房权证字第{n:06d}号" if rng.random() < 0.9 else ""
        assets.append(
            [
                f"A{n:06d}",
                f"{rng.choice(TRADES)}{n}号{'厂房' if category == 'building' else '资产'}",
                f"M{n % members:05d}",
                category,
                acquired.isoformat(),
                f"{value}.{rng.randint(0, 99):02d}",
                f"{rng.choice(PLACES)}{rng.choice(VILLAGES)}",
                rng.randint(100, 8000),
                title,
                rng.choice(["in_use", "idle", "in_use", "in_use"]),
            ]
        )
        day = acquired
        for _ in range(rng.randint(0, 2)):
            day = day + timedelta(days=rng.randint(200, 2000))
            kind, extra = rng.choice(
                [
                    ("revalue", ["appraisal", ""]),
                    ("revalue", ["market", ""]),
                    ("impair", ["", "depreciation"]),
                    ("impair", ["", "damage"]),
                ]
            )
            value = int(value * (rng.uniform(0.6, 0.99) if kind == "impair" else rng.uniform(0.7, 1.3)))
            values.append([f"A{n:06d}", day.isoformat(), kind, f"{value}.00", *extra, "", "", f"文号{n}", ""])
        if n % 5 == 0:
            lease_id = f"L{n // 5:06d}"
            start = date(2003, 1 + rng.randint(0, 11), 1)
            rent = rng.randint(500, 20_000)
            leases.append(
                [
                    lease_id,
                    f"A{n:06d}",
                    f"承租人{n}",
                    start.isoformat(),
                    (start + timedelta(days=729)).isoformat(),
                    f"{rent}.00",
                    "monthly",
                    "0",
                ]
            )
            for month in range(rng.randint(6, 24)):
                paid = date(start.year + (start.month - 1 + month) // 12, (start.month - 1 + month) % 12 + 1, 5)
                payments.append([lease_id, paid.isoformat(), f"{rent}.00", f"第{month + 1}期"])
    write(
        folder / "assets.csv",
        ["id", "name", "owner", "category", "acquired", "value", "location", "area", "title_no", "status"],
        assets,
    )
    write(
        folder / "values.csv", ["asset", "date", "kind", "amount", "basis", "cause", "method", "incident", "doc", "note"], values
    )
    write(folder / "leases.csv", ["id", "asset", "tenant", "start", "end", "rent", "period", "deposit"], leases)
    write(folder / "payments.csv", ["lease", "date", "amount", "note"], payments)
    incidents, actions = [], []
    for i in range(count // 100):
        asset = rng.randrange(count)
        occurred = date(2004, 1, 1) + timedelta(days=rng.randint(0, 360))
        incidents.append(
            [
                f"I{i:05d}",
                rng.choice(["encroachment", "damage", "occupation", "land_dispute"]),
                f"A{asset:06d}",
                occurred.isoformat(),
                rng.choice(VILLAGES),
                "厂房被损坏",
                "100000.00",
            ]
        )
        actions.append([f"I{i:05d}", (occurred + timedelta(days=20)).isoformat(), "成立调解小组", "mediation", ""])
    write(
        folder / "incidents.csv", ["id", "kind", "assets", "occurred", "counterparty", "description", "estimated_loss"], incidents
    )
    write(folder / "actions.csv", ["incident", "date", "note", "status", "doc"], actions)
    return {
        "members": members,
        "assets": count,
        "values": len(values),
        "leases": len(leases),
        "payments": len(payments),
        "incidents": len(incidents),
        "actions": len(actions),
    }


def build(folder: Path) -> tuple[dict[str, float], float]:
    """Import every CSV into a new registry.json in `folder`: seconds per import, and peak resident MB."""
    registry = folder / "registry.json"
    for stale in folder.glob("registry.json*"):
        shutil_rm(stale)
    env_cmd = [str(Path(sys.executable).with_name("assetreg")), "--registry", str(registry)]
    subprocess.run([*env_cmd, "init", "--name", "基准测试"], check=True, capture_output=True)
    subprocess.run([*env_cmd, "settings", "set", "backups_kept", "0"], check=True, capture_output=True)
    seconds = {}
    peak = 0
    for kind in ORDER:
        start = time.perf_counter()
        log = folder / f"import-{kind}.log"
        with log.open("wb") as messages:
            process = subprocess.Popen(
                [*env_cmd, "import", kind, str(folder / f"{kind}.csv")], stdout=subprocess.DEVNULL, stderr=messages
            )
            _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"import {kind} failed:\n{log.read_text(encoding='utf-8')}")
        seconds[kind] = time.perf_counter() - start
        peak = max(peak, usage.ru_maxrss)
    return seconds, peak / 1024


def shutil_rm(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


if __name__ == "__main__":
    size, target = int(sys.argv[1]), Path(sys.argv[2])
    print(generate(size, target))
    seconds, peak = build(target)
    print({k: round(v, 2) for k, v in seconds.items()}, f"peak {peak:.0f} MB")
