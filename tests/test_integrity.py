"""The change log, verify, backups — and attempts to break the file: kills, races, fuzz, hostile text."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assetreg.store import os_user
from tests.conftest import Cli
from tests.processes import ASSETREG, add_building, subprocess_env

# -- change log and verify ---------------------------------------------------------------


def test_every_change_is_logged_with_before_and_after(liushi: Cli) -> None:
    liushi.ok("asset", "edit", "A0003", "--status", "idle", "--status-since", "2005-01-01")
    entries = liushi.json("log", "--record", "A0003")
    # init, M000, M001, A0001, A0002 come first: A0003 is entry 6; the incident and its action are 9 and 10
    assert [e["seq"] for e in entries] == [6, 11]
    change = entries[-1]["changes"][0]
    assert change["before"]["status"] == "in_use"
    assert change["after"]["status"] == "idle" and entries[-1]["command"].startswith("assetreg")
    assert entries[-1]["user"]
    all_entries = liushi.json("log")
    assert [e["seq"] for e in all_entries] == list(range(1, 12))
    assert all(e["prev"] == p["hash"] for p, e in itertools.pairwise(all_entries))
    assert liushi.json("log", "--since", "2100-01-01") == []
    assert "A0003" in liushi.ok("log").stdout


def test_verify_passes_on_a_sound_registry(liushi: Cli) -> None:
    before = liushi.registry.read_bytes(), liushi.registry.stat().st_mtime_ns
    out = liushi.ok("verify").stdout
    assert "10 log entries" in out and "hash chain intact" in out
    assert (liushi.registry.read_bytes(), liushi.registry.stat().st_mtime_ns) == before  # checked, never written


def test_verify_reports_a_record_edited_outside_the_tool(liushi: Cli) -> None:
    data = json.loads(liushi.registry.read_text(encoding="utf-8"))
    data["assets"]["A0004"]["events"][0]["amount"] = "1.00"  # someone "revalues" by hand
    liushi.registry.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = liushi.run("verify")
    assert result.exit_code == 1
    assert "assets/A0004" in result.stderr and "failed verification" in result.stderr


def test_verify_reports_the_first_bad_log_entry(liushi: Cli) -> None:
    journal = liushi.registry.with_name("registry.json.journal")
    lines = journal.read_bytes().splitlines(keepends=True)
    entry = json.loads(lines[3])
    entry["user"] = "someone-else"
    lines[3] = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    journal.write_bytes(b"".join(lines))
    result = liushi.run("verify")
    assert result.exit_code == 1 and "log entry 4" in result.stderr


def test_backups_are_kept_listed_and_restored_with_a_diff(liushi: Cli) -> None:
    liushi.ok("asset", "dispose", "A0005", "--date", "2005-02-01", "--proceeds", "1000", "--method", "sale")
    kept = liushi.json("backup", "list")
    assert kept[0]["n"] == 1 and kept[0]["log_seq"] == 10  # the version before the disposal
    assert len(kept) == 10  # the previous version of every change since init
    refused = liushi.run("backup", "restore", "1")  # not interactive and no --yes: shows the diff, changes nothing
    assert refused.exit_code == 1 and "assets: 0 come back, 0 go, 1 change" in refused.stderr
    liushi.ok("backup", "restore", "1", "--yes")
    assert liushi.json("asset", "show", "A0005")["value"] == "320000.00"
    assert liushi.json("log")[-1]["command"].startswith("assetreg")
    assert "OK" in liushi.ok("verify").stdout
    liushi.refused("backup", "restore", "99")


def test_backups_kept_is_a_setting(liushi: Cli) -> None:
    liushi.ok("settings", "set", "backups_kept", "2")
    liushi.ok("member", "edit", "M001", "--employees", "80")
    assert len(liushi.json("backup", "list")) == 2
    liushi.refused("settings", "set", "backups_kept", "5000")
    liushi.refused("settings", "set", "backups_kept", "-1", code=2)  # read as an option: a usage error
    liushi.refused("settings", "set", "no_such_key", "1")
    assert liushi.json("settings", "show")["backups_kept"] == 2
    assert [c["id"] for c in liushi.json("log")[-2]["changes"]] == ["settings"]


# -- crash, race, fuzz -----------------------------------------------------------------------


def _registry_with_assets(tmp_path: Path, count: int) -> Path:
    registry = tmp_path / "big.json"
    env = subprocess_env(registry)
    subprocess.run([*ASSETREG, "init"], env=env, check=True, capture_output=True)
    csv = tmp_path / "assets.csv"
    rows = ["id,name,owner,category,acquired,value"] + [f"A{n:05d},厂房{n},M001,building,1990-01-01,{n}.50" for n in range(count)]
    csv.write_text("\n".join(rows), encoding="utf-8")
    subprocess.run(
        [*ASSETREG, "member", "add", "--name", "布厂", "--district", "片", "--kind", "enterprise"],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run([*ASSETREG, "import", "assets", str(csv)], env=env, check=True, capture_output=True)
    return registry


def test_sigkill_at_random_moments_never_breaks_the_registry(tmp_path: Path) -> None:
    registry = _registry_with_assets(tmp_path, 3000)
    env = subprocess_env(registry)
    rng = random.Random(20041220)
    count = 3000
    killed_mid_way = 0
    for attempt in range(50):
        process = subprocess.Popen(
            [*ASSETREG, *add_building(f"新厂房{attempt}")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        data = json.loads(registry.read_bytes())  # always parses
        now = len(data["assets"])
        assert now in (count, count + 1), now  # the old content or the new, nothing between
        killed_mid_way += now == count
        count = now
        result = subprocess.run([*ASSETREG, "verify"], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr  # a journal tail without its write is repaired, not "tampering"
    assert not list(tmp_path.glob(".big.json.tmp*"))  # a killed writer's temp file is cleaned up
    assert killed_mid_way > 0  # the kills did land before commands finished


def test_twelve_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    registry = tmp_path / "race.json"
    env = subprocess_env(registry)
    subprocess.run([*ASSETREG, "init"], env=env, check=True, capture_output=True)
    processes = [
        subprocess.Popen(
            [*ASSETREG, "member", "add", "--name", f"成员{n}", "--district", "片", "--kind", "enterprise", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(12)
    ]
    outputs = [p.communicate() for p in processes]
    assert all(p.returncode == 0 for p in processes), [o[1] for o in outputs]
    ids = [json.loads(out)["id"] for out, _ in outputs]
    assert len(set(ids)) == 12
    members = json.loads(registry.read_bytes())["members"]
    assert sorted(m["name"] for m in members.values()) == sorted(f"成员{n}" for n in range(12))
    assert subprocess.run([*ASSETREG, "verify"], env=env, capture_output=True).returncode == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=30), employees=st.one_of(st.text(max_size=8), st.integers(-5, 10**10).map(str)))
def test_fuzzed_member_add_stores_exactly_or_changes_nothing(cli: Cli, name: str, employees: str) -> None:
    before = cli.registry.read_bytes()
    result = cli.run(
        "member", "add", "--name", name, "--district", "片", "--kind", "enterprise", "--employees", employees, "--json"
    )
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code == 0:
        member = json.loads(result.stdout)
        stored = json.loads(cli.registry.read_bytes())["members"][member["id"]]
        assert stored["name"] == name.strip()
        assert stored["employees"] == (int(employees.strip()) if employees else None)  # "" means not given
    else:
        assert result.exit_code in (1, 2) and cli.registry.read_bytes() == before


NUMBERS = st.one_of(
    st.text(max_size=10),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**20), 10**20).map(str),
    st.floats().map(str),
)
DATES = st.one_of(st.text(max_size=12), st.dates().map(str), st.integers(0, 99999999).map(str))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=20), value=NUMBERS, area=NUMBERS, acquired=DATES, amount=NUMBERS, paid_on=DATES)
def test_fuzzed_asset_and_payment_commands(
    liushi: Cli, name: str, value: str, area: str, acquired: str, amount: str, paid_on: str
) -> None:
    before = liushi.registry.read_bytes()
    result = liushi.run(
        "asset",
        "add",
        "--name",
        name,
        "--owner",
        "M001",
        "--category",
        "land",
        "--acquired",
        acquired,
        "--value",
        value,
        "--area",
        area,
        "--json",
    )
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code == 0:
        asset = json.loads(result.stdout)
        stored = json.loads(liushi.registry.read_bytes())["assets"][asset["id"]]
        assert stored["name"] == name.strip() and stored["acquired"] == acquired.strip()
        assert Decimal(stored["events"][0]["amount"]) == Decimal(value.strip().replace(",", ""))
    else:
        assert result.exit_code in (1, 2) and liushi.registry.read_bytes() == before
    if "L0001" not in liushi.registry.read_text(encoding="utf-8"):
        liushi.ok(
            "lease",
            "add",
            "--asset",
            "A0001",
            "--tenant",
            "t",
            "--start",
            "2004-01-01",
            "--end",
            "2005-12-31",
            "--rent",
            "100",
            "--period",
            "monthly",
        )
    before = liushi.registry.read_bytes()
    result = liushi.run("lease", "pay", "L0001", "--date", paid_on, "--amount", amount)
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code != 0:
        assert result.exit_code in (1, 2) and liushi.registry.read_bytes() == before


# -- hostile text -------------------------------------------------------------------------------

HOSTILE = [
    "[bold]粗[/]",
    "[link=javascript:alert(1)]点我[/link]",
    ":smile:",
    "<script>alert('x')</script>",
    "a|b`c`",
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2",
    "@SUM(A1)",
]


@pytest.fixture
def hostile(cli: Cli) -> Cli:
    cli.ok(
        "member",
        "add",
        "--name",
        HOSTILE[0],
        "--district",
        HOSTILE[1],
        "--kind",
        "enterprise",
        "--note",
        "多行\n备注 | with pipe",
    )
    for n, text in enumerate(HOSTILE):
        cli.ok(
            "asset",
            "add",
            "--name",
            text,
            "--owner",
            "M001",
            "--category",
            "building",
            "--acquired",
            "2000-01-01",
            "--value",
            f"{n + 1}",
            "--title-no",
            f"T{n}",
            "--location",
            HOSTILE[(n + 3) % 9],
        )
    return cli


def test_terminal_shows_markup_and_html_as_text(hostile: Cli) -> None:
    out = hostile.ok("asset", "list").stdout
    for text in ("[bold]粗[/]", "[link=javascript:alert(1)]点我[/link]", ":smile:", "<script>alert('x')</script>"):
        assert text in out
    assert "😄" not in out and "\x1b" not in out


def test_control_characters_and_bidi_overrides_are_refused(cli: Cli) -> None:
    for bad in ("\x1b[31mred", "\x1b]8;;http://x\x07link", "c1\x9bcsi", "evil\u202etxt", "bell\x07"):
        cli.refused("member", "add", "--name", bad, "--district", "x", "--kind", "enterprise")


def test_escapes_in_a_tampered_file_are_shown_inert() -> None:
    from assetreg.render.text import clean

    assert clean("\x1b[31mred\x9b\u202e") == "<U+001B>[31mred<U+009B><U+202E>"


def test_html_export_escapes_user_text(hostile: Cli, tmp_path: Path) -> None:
    out = tmp_path / "register.html"
    hostile.ok("report", "register", "--as-of", "2005-01-01", "--format", "html", "--output", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html and "[link=javascript:alert(1)]点我[/link]" in html


def test_svg_export_escapes_user_text(hostile: Cli, tmp_path: Path) -> None:
    out = tmp_path / "register.svg"
    hostile.ok("report", "register", "--as-of", "2005-01-01", "--format", "svg", "--output", str(out))
    svg = out.read_text(encoding="utf-8")
    assert "<script>alert" not in svg


def test_markdown_export_escapes_table_breakers(hostile: Cli, tmp_path: Path) -> None:
    out = tmp_path / "register.md"
    hostile.ok("report", "register", "--as-of", "2005-01-01", "--format", "md", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    assert "a\\|b\\`c\\`" in text
    rows = [line for line in text.splitlines() if " | A0" in line]
    assert len(rows) == 9 and all(line.count(" | ") == rows[0].count(" | ") for line in rows)


def test_csv_exports_neutralise_formulas_and_keep_numbers(hostile: Cli, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "register.csv"
    hostile.ok("report", "register", "--as-of", "2005-01-01", "--format", "csv", "--output", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    names = [r[4] for r in rows[1:-1]]
    assert '\'=HYPERLINK("http://x")' in names and "'+1+1" in names and "'-2" in names and "'@SUM(A1)" in names
    assert [r[9] for r in rows[1:-1]] == [f"{n}.00" for n in range(1, 10)]  # money stays numeric
    assert rows[-1][9] == "45.00"
    hostile.ok("export", "csv", "--output", str(tmp_path / "all"))
    assets = (tmp_path / "all" / "assets.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in assets and ",'-2," in assets


# -- output paths ---------------------------------------------------------------------------------


def test_output_refuses_registry_folder_symlink_and_existing_file(liushi: Cli, tmp_path: Path) -> None:
    args = ["report", "register", "--format", "txt", "--output"]
    liushi.refused(*args, str(liushi.registry))
    liushi.refused(*args, str(liushi.registry) + ".journal")
    liushi.refused(*args, str(tmp_path))
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    liushi.refused(*args, str(link))
    assert target.read_text() == "keep me"
    liushi.refused(*args, str(target))
    assert target.read_text() == "keep me"
    liushi.ok(*args, str(target), "--force")
    assert "Asset register" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_log_entry_read_change_by_change_is_the_entry(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """Large entries are read a change at a time; what is read is exactly the entry, whose hash holds."""
    import orjson

    import assetreg.core.journal as journal
    from assetreg.core.registry import Change

    tricky = {"id": "A0001", "note": 'tab\there, "],\t" and ,\t{"after": in a note', "amount": "1.00"}
    changes = [Change("assets", f"A000{n}", None if n % 2 else tricky, {**tricky, "n": n}) for n in range(count)]
    digest, pieces = journal.make_entry(7, "0" * 64, "2005-03-15T00:00:00+00:00", "me", "assetreg x", changes)
    line = b"".join(pieces)
    whole = orjson.loads(line)
    monkeypatch.setattr(journal, "PIECEWISE", 0)  # as if it were large
    assert journal.parse_entry(line) == whole
    assert whole["hash"] == digest == journal.entry_hash(journal.parse_entry(line))
    assert journal.parse_entry(line, changes=False) == {k: v for k, v in whole.items() if k != "changes"}
    with pytest.raises(ValueError):
        journal.parse_entry(b"[1, 2]\n")


def test_log_json_is_written_entry_by_entry_in_the_usual_layout(liushi: Cli) -> None:
    import orjson

    out = liushi.ok("log", "--json").stdout.encode()
    assert out == orjson.dumps(orjson.loads(out), option=orjson.OPT_INDENT_2) + b"\n"  # as print_json lays it out
    assert liushi.ok("log", "--json", "--since", "2100-01-01").stdout == "[]\n"


@pytest.mark.parametrize("damage", [b'{"seq": 4}', b"[1, 2]", b'{"changes": 5}', b"not json"])
def test_a_damaged_log_entry_is_one_line_from_verify_and_log(liushi: Cli, damage: bytes) -> None:
    journal = liushi.registry.with_name("registry.json.journal")
    lines = journal.read_bytes().splitlines(keepends=True)
    lines[3] = damage + b"\n"
    journal.write_bytes(b"".join(lines))
    for command in (("verify",), ("log",), ("log", "--json")):
        stderr = liushi.refused(*command)
        assert stderr.strip().count("\n") == 0 and "log entry 4" in stderr, (command, stderr)


# -- the log head: printed, expected, rewritten, rolled back ----------------------------------------


def _head(cli: Cli) -> tuple[int, str]:
    result = cli.run("verify", "--json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["problems"] == []
    return report["head"]["n"], report["head"]["hash"]


def _rewrite(cli: Cli, edit: Callable[[dict[str, Any]], None]) -> None:
    """What someone with the source code could do: change every entry, recompute every hash and the
    chain, and make the registry agree (its records, the log head and size it records)."""
    import orjson

    from assetreg.core.journal import GENESIS, canonical, entry_hash

    journal = cli.registry.with_name(cli.registry.name + ".journal")
    lines, prev = [], GENESIS
    for raw in journal.read_bytes().splitlines():
        entry = orjson.loads(raw)
        for change in entry["changes"]:
            for side in ("before", "after"):
                if change[side] is not None:
                    edit(change[side])
        entry["prev"] = prev
        entry["hash"] = prev = entry_hash(entry)
        lines.append(canonical(entry) + b"\n")
    journal.write_bytes(b"".join(lines))
    data = json.loads(cli.registry.read_bytes())
    for kind, table in data.items():
        if kind != "meta":
            for record in table.values():
                edit(record)
    data["meta"]["meta"].update(log_head=prev, log_size=journal.stat().st_size)
    cli.registry.write_bytes(rewritten(data))


def rewritten(data: dict[str, Any]) -> bytes:
    """A registry's tables written back as assetreg writes them, checksums and all (as someone with the
    source code could), so that only the content changed."""
    from assetreg.store import Tables

    tables = Tables(Path("x"), parsed=data)
    return b"".join(bytes(piece) for piece in tables.dump({kind: set(table) for kind, table in data.items()}))


def test_verify_prints_the_log_head_and_its_json(liushi: Cli) -> None:
    out = liushi.ok("verify").stdout
    n, digest = _head(liushi)
    # init, 2 members, 5 assets, the incident and its action: 10 entries
    assert n == 10 and re.fullmatch("[0-9a-f]{64}", digest)
    assert f"log head 10:{digest}" in out
    assert digest == liushi.json("log")[-1]["hash"]
    from assetreg.store import head_text, log_head

    assert log_head(liushi.registry) == (10, digest)  # what documents print as `log 10:HASH16`
    assert head_text(log_head(liushi.registry)) == f"10:{digest[:16]}"
    assert "has the expected hash" in liushi.ok("verify", "--expect", f"10:{digest[:16]}").stdout
    liushi.ok("verify", "--expect", f"10:{digest.upper()}")  # all 64 digits, either case
    for bad in (f"10:{digest[:15]}", "10", f"x:{digest}", f"10:{digest[:15]}g"):
        assert "--expect" in liushi.refused("verify", "--expect", bad)


def test_a_rewritten_history_passes_verify_but_not_the_expected_head(liushi: Cli) -> None:
    n, digest = _head(liushi)

    def rename(record: dict[str, Any]) -> None:
        if record.get("id") == "A0001":
            record["name"] = "村办厂房"  # as if A0001 had always belonged elsewhere

    _rewrite(liushi, rename)
    assert liushi.json("asset", "show", "A0001")["name"] == "村办厂房"
    assert _head(liushi)[0] == 10 and _head(liushi)[1] != digest  # a chain intact in itself
    result = liushi.run("verify", "--expect", f"{n}:{digest[:16]}", "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["ok"] is False
    assert report["problems"] == [
        f"log entry 10 has the hash {report['head']['hash'][:16]}, not the expected {digest[:16]}: the history was rewritten"
    ]
    assert "history was rewritten" in liushi.refused("verify", "--expect", f"{n}:{digest}")


def test_a_rollback_passes_verify_but_not_the_expected_head(liushi: Cli) -> None:
    for n in range(3):
        liushi.ok(
            "lease",
            "add",
            "--asset",
            f"A000{n + 1}",
            "--tenant",
            "某公司",
            "--start",
            "2004-01-01",
            "--end",
            "2005-12-31",
            "--rent",
            "800",
            "--period",
            "monthly",
        )
    n, digest = _head(liushi)
    assert n == 13  # 10 entries, then three leases
    backup = Path(liushi.json("backup", "list")[2]["file"])  # the version after entry 10
    old_size = json.loads(backup.read_bytes())["meta"]["meta"]["log_size"]
    journal = liushi.registry.with_name("registry.json.journal")
    liushi.registry.write_bytes(backup.read_bytes())
    with journal.open("rb+") as handle:
        handle.truncate(old_size)
    assert _head(liushi)[0] == 10  # consistent in itself: three entries erased without a trace
    stderr = liushi.refused("verify", "--expect", f"13:{digest[:16]}")
    assert "log entry 13 was expected" in stderr and "only 10 entries: it was rolled back" in stderr


# -- readers take no lock; writers queue and say who they wait for ------------------------------

READS = [
    ("asset", "list"),
    ("asset", "show", "A0001"),
    ("asset", "history", "A0001"),
    ("flags", "--as-of", "2005-03-15"),
    ("report", "register", "--as-of", "2005-03-15"),
    ("report", "summary", "--from", "2004-01-01", "--to", "2004-12-31"),
    ("export", "json"),
    ("log",),
    ("verify",),
]


def _liushi_subprocess(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    registry = tmp_path / "reg.json"
    env = subprocess_env(registry)
    run = [*ASSETREG]
    subprocess.run([*run, "init"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*run, "member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise"],
        env=env,
        check=True,
        capture_output=True,
    )
    add = ["asset", "add", "--name", "柳市布厂1号厂房", "--owner", "M001", "--category", "building"]
    subprocess.run([*run, *add, "--acquired", "1985-06-01", "--value", "320000"], env=env, check=True, capture_output=True)
    return registry, env


def _stopped_holder(registry: Path) -> subprocess.Popen[str]:
    """A process that takes the writers' lock and stops (SIGSTOP) until it is sent SIGCONT."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, signal, sys; from pathlib import Path; from assetreg.store import locked\n"
            "with locked(Path(sys.argv[1]), 'assetreg asset revalue A0001'):\n"
            "    print('locked', flush=True); os.kill(os.getpid(), signal.SIGSTOP)",
            str(registry),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def _queued(registry: Path) -> int:
    return sum(name.isdigit() for name in os.listdir(registry.with_name(registry.name + ".queue")))


def test_readers_finish_while_a_writer_is_stopped_and_a_writer_says_who_it_waits_for(tmp_path: Path) -> None:
    registry, env = _liushi_subprocess(tmp_path)
    holder = _stopped_holder(registry)
    try:
        for args in READS:
            result = subprocess.run([*ASSETREG, *args], env=env, capture_output=True, text=True, timeout=30)
            assert result.returncode == 0, (args, result.stderr)
            assert "waiting" not in result.stderr
        result = subprocess.run(
            [*ASSETREG, "member", "add", "--name", "翁垟木器厂", "--district", "柳市片", "--kind", "enterprise"],
            env={**env, "ASSETREG_LOCK_TIMEOUT": "3"},
            capture_output=True,
            text=True,
            timeout=30,
        )
        lines = result.stderr.splitlines()
        assert result.returncode == 1 and len(lines) == 2, lines
        held_by = f"pid {holder.pid} (user {os_user()}): assetreg asset revalue A0001"
        assert lines[0] == f"waiting for the registry, held by {held_by}"
        assert lines[1] == f"error: registry '{registry}': is in use by {held_by}; try again"
    finally:
        holder.send_signal(signal.SIGCONT)
        holder.wait(timeout=30)
    assert holder.returncode == 0
    subprocess.run(
        [*ASSETREG, "member", "add", "--name", "翁垟木器厂", "--district", "柳市片", "--kind", "enterprise"],
        env=env,
        check=True,
        capture_output=True,
    )


def test_readers_create_nothing_and_work_in_a_read_only_folder(liushi: Cli, tmp_path: Path) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    for args in READS:
        liushi.ok(*args)
    liushi.ok("export", "csv", "--output", str(tmp_path / "out"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "out"])  # only what --output names
    # a refused read creates nothing either: no folders, no lock file
    missing = tmp_path / "new" / "a" / "reg.json"
    assert "does not exist" in liushi.refused("--registry", str(missing), "asset", "list")
    member = ("member", "add", "--name", "x", "--district", "x", "--kind", "enterprise")
    assert "does not exist" in liushi.refused("--registry", str(missing), *member)
    assert not (tmp_path / "new").exists()
    if os.geteuid() != 0:
        pytest.skip("a read-only folder needs a read-only mount, which needs root")
    folder = tmp_path / "ro"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("mount is not permitted here")
    try:
        for name in ("registry.json", "registry.json.journal"):
            (folder / name).write_bytes(liushi.registry.with_name(name).read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        reader = Cli(folder / "registry.json")
        for args in READS:
            reader.ok(*args)
        stderr = reader.refused("member", "add", "--name", "x", "--district", "x", "--kind", "enterprise")
        assert stderr.count("\n") == 1 and stderr.endswith("registry.json': is read-only; nothing was changed\n")
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_waiting_writers_go_in_the_order_they_asked_and_a_killed_one_does_not_block_the_rest(tmp_path: Path) -> None:
    registry, env = _liushi_subprocess(tmp_path)
    holder = _stopped_holder(registry)
    writers: list[subprocess.Popen[bytes]] = []
    try:
        for n in range(1, 7):  # each asks only once the one before it is in the queue
            add = ["member", "add", "--name", f"成员{n}", "--district", "柳市片", "--kind", "enterprise"]
            writers.append(subprocess.Popen([*ASSETREG, *add], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
            deadline = time.monotonic() + 60
            while _queued(registry) < n + 1 and time.monotonic() < deadline:  # the holder's ticket and n more
                time.sleep(0.02)
            assert _queued(registry) == n + 1
        writers[2].kill()  # the third dies while it waits: its place is given up, not kept
        writers[2].wait(timeout=30)
    finally:
        holder.send_signal(signal.SIGCONT)
        holder.wait(timeout=30)
    for writer in writers:
        writer.communicate(timeout=120)
    assert [w.returncode for w in writers] == [0, 0, -signal.SIGKILL, 0, 0, 0]
    members = json.loads(registry.read_bytes())["members"]
    # M001 柳市布厂 was there; the writers got the next ids in the order they asked, the killed one none
    assert [(k, m["name"]) for k, m in sorted(members.items())] == [
        ("M001", "柳市布厂"),
        ("M002", "成员1"),
        ("M003", "成员2"),
        ("M004", "成员4"),
        ("M005", "成员5"),
        ("M006", "成员6"),
    ]
    assert _queued(registry) == 0  # every ticket is gone, the killed writer's too


def test_sixty_four_writers_adding_five_each_all_succeed(tmp_path: Path) -> None:
    registry = tmp_path / "race.json"
    env = {**subprocess_env(registry), "ASSETREG_LOCK_TIMEOUT": ""}  # the default: 60 s
    subprocess.run([*ASSETREG, "init"], env=env, check=True, capture_output=True)
    # each process runs the command five times, as five commands would (the import paid once)
    script = (
        "import sys\nfrom assetreg.cli.main import run\nfailed, me = 0, sys.argv[1]\n"
        "for n in range(5):\n"
        "    sys.argv = ['assetreg', 'member', 'add', '--name', f'成员{me}-{n}', '--district', '片', '--kind', '企业']\n"
        "    try:\n        run()\n    except SystemExit as stop:\n        failed += stop.code != 0\n"
        "sys.exit(failed)"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(p)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for p in range(64)
    ]
    outputs = [p.communicate(timeout=600) for p in processes]
    assert [p.returncode for p in processes] == [0] * 64, [o[1].decode() for o in outputs if o[1]]
    members = json.loads(registry.read_bytes())["members"]
    assert sorted(m["name"] for m in members.values()) == sorted(f"成员{p}-{n}" for p in range(64) for n in range(5))
    assert len(members) == 320 and sorted(members) == [f"M{n:03d}" for n in range(1, 321)]
    result = subprocess.run([*ASSETREG, "verify", "--json"], env=env, capture_output=True)
    assert json.loads(result.stdout)["head"]["n"] == 321  # init and 320 additions


# -- a failed write keeps every backup ----------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


ADD = ["asset", "add", "--owner", "M001", "--category", "building", "--acquired", "2004-01-01"]


def test_a_full_disk_keeps_every_backup(liushi: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a small tmpfs when the test runs as root (a real full disk), else with the write failing as
    a full disk makes it fail (OSError ENOSPC)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and not subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True).returncode
    )
    try:
        cli = Cli(folder / "registry.json")
        for name in ("registry.json", "registry.json.journal"):
            (folder / name).write_bytes(liushi.registry.with_name(name).read_bytes())
        for n in range(3):
            cli.ok("member", "edit", "M001", "--employees", str(100 + n))  # three backups
        if mounted:
            filler = folder / "filler"
            with open(filler, "wb", buffering=0) as handle, contextlib.suppress(OSError):
                while True:
                    handle.write(b"x" * 4096)
        else:
            import errno

            import assetreg.store.session as session

            def full(path: Path, data: object) -> None:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            monkeypatch.setattr(session, "atomic_write", full)
        before = _snapshot(folder)
        for attempt in range(15):
            stderr = cli.refused(*ADD, "--name", "新厂房", "--value", str(attempt + 1))
            assert (
                stderr == f"error: registry '{cli.registry}': cannot be written: No space left on device; nothing was changed\n"
            )
        assert _snapshot(folder) == before  # the registry, its log and all three backups, byte for byte
        assert [b["log_seq"] for b in cli.json("backup", "list")] == [12, 11, 10]
        if mounted:
            filler.unlink()
        else:
            monkeypatch.undo()
        cli.ok(*ADD, "--name", "新厂房", "--value", "1")
        assert [b["log_seq"] for b in cli.json("backup", "list")] == [13, 12, 11, 10]  # only the write that happened
        assert "OK" in cli.ok("verify").stdout
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


# -- text: invisible characters refused; CSV gives back every text exactly ------------------------------

INVISIBLE = [
    "\u061c",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u2060",
    "\ufeff",
    "\ufff9",
    "\ufffb",
    "\U000e0041",
    "\u2028",
    "\u2029",
    "\x85",
]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_and_format_characters_are_refused_in_text(cli: Cli, char: str) -> None:
    stderr = cli.refused("member", "add", "--name", f"柳市{char}布厂", "--district", "柳市片", "--kind", "enterprise")
    assert f"--name '柳市<U+{ord(char):04X}>布厂': contains an invisible or control character U+{ord(char):04X}" in stderr


def test_invisible_characters_arriving_otherwise_are_shown_as_code_points(liushi: Cli) -> None:
    data = json.loads(liushi.registry.read_bytes())
    data["members"]["M001"]["name"] = "柳市\u200b布厂\u2028\U000e0041"
    liushi.registry.write_bytes(rewritten(data))
    out = liushi.run("member", "show", "M001").stdout
    assert "柳市<U+200B>布厂<U+2028><U+E0041>" in out and "\u200b" not in out


def test_export_csv_then_import_gives_back_every_text_exactly(cli: Cli, tmp_path: Path) -> None:
    texts = ["'", "'x", "''x", "'=x", "=x", "+1", "-2", "@SUM(A1)", "=1+1", "'-2", "a'b", "—破折号", "x="]
    cli.ok("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    for n, text in enumerate(texts):
        cli.ok(*ADD, "--name", text, "--value", "1", "--location", text, "--title-no", f"T{n}", "--note", text)
    cli.ok("export", "csv", "--output", str(tmp_path / "out"))
    again = Cli(tmp_path / "again.json")
    again.ok("init")
    for kind in ("members", "assets"):
        again.ok("import", kind, str(tmp_path / "out" / f"{kind}.csv"))
    assets = again.json("asset", "list")
    assert [a["name"] for a in assets] == texts
    stored = json.loads((tmp_path / "again.json").read_bytes())["assets"]
    assert [(a["location"], a["note"]) for a in stored.values()] == [(t, t) for t in texts]


def test_a_csv_cell_over_128_kib_is_one_line(cli: Cli, tmp_path: Path) -> None:
    csv_file = tmp_path / "members.csv"
    csv_file.write_text("name,district,kind\n" + '"' + "长" * 131_073 + '",柳市片,enterprise\n', encoding="utf-8")
    stderr = cli.refused("import", "members", str(csv_file))
    assert stderr == f"error: FILE '{csv_file}, line 2': cannot be read as CSV: field larger than field limit (131072)\n"


# -- arguments and paths that are not UTF-8 --------------------------------------------------------------


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.binary(min_size=1, max_size=6).filter(lambda b: not _is_utf8(b) and b"\0" not in b),
    where=st.sampled_from([["--encoding"], ["--registry"], []]),
)
def test_fuzzed_arguments_that_are_not_utf8_are_one_line(tmp_path: Path, raw: bytes, where: list[str]) -> None:
    registry = tmp_path / "reg.json"
    env = subprocess_env(registry)
    if not registry.exists():
        subprocess.run([*ASSETREG, "init"], env=env, check=True, capture_output=True)
    before = registry.read_bytes()
    args = (
        [b"import", b"assets", b"examples/csv/assets.csv", b"--encoding", raw]
        if where == ["--encoding"]
        else [b"--registry", raw, b"asset", b"list"]
        if where
        else [b"member", b"add", b"--name", raw, b"--district", b"x", b"--kind", b"enterprise"]
    )
    result = subprocess.run([*ASSETREG, *args], env=env, capture_output=True, cwd=Path(__file__).parent.parent)
    assert result.returncode == 1 and result.stdout == b""
    assert result.stderr.count(b"\n") == 1 and b"is not valid UTF-8; nothing was changed" in result.stderr
    assert registry.read_bytes() == before


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_an_internal_error_under_a_path_that_is_not_utf8_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/\xff\xfe"))
    folder.mkdir()
    crashes = tmp_path / "crashes"
    cli = Cli(folder / "reg.json", {"ASSETREG_CRASH_DIR": str(crashes)})
    cli.ok("init")
    import assetreg.core.records as records

    def broken(*args: object) -> None:
        raise RuntimeError(f"bug under {folder}")

    monkeypatch.setattr(records, "add_member", broken)
    stderr = cli.refused("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    [report] = crashes.iterdir()
    assert stderr == f"error: unexpected RuntimeError; nothing was changed; details in {report}\n"
    assert b"bug under " + bytes(tmp_path) + b"/\\udcff\\udcfe" in report.read_bytes()


def test_an_empty_registry_option_is_one_line(cli: Cli) -> None:
    assert cli.refused("--registry", "", "asset", "list") == "error: --registry '': must not be empty\n"
    assert cli.refused("--registry", "", "init") == "error: --registry '': must not be empty\n"


# -- changes made outside assetreg: every command sees them ----------------------------------------------


def _edit_line(cli: Cli, starts: bytes, edit: Callable[[bytes], bytes]) -> int:
    """Edit the file's line that starts with `starts`, as with a text editor; its line number."""
    lines = cli.registry.read_bytes().split(b"\n")
    number = next(n for n, line in enumerate(lines) if line.startswith(starts))
    lines[number] = edit(lines[number])
    cli.registry.write_bytes(b"\n".join(lines))
    return number + 1


def test_a_damaged_line_refuses_a_write_that_never_reads_its_table(liushi: Cli) -> None:
    line = _edit_line(liushi, b'"I0001"', lambda text: text[:60])  # cut short, as by a bad copy
    for write in (
        ("member", "add", "--name", "翁垟木器厂", "--district", "柳市片", "--kind", "enterprise"),
        ("settings", "set", "backups_kept", "3"),
    ):
        stderr = liushi.refused(*write)
        assert stderr.endswith(f"has a damaged record in incidents at line {line}; nothing was changed; restore a backup\n")
    stderr = liushi.refused("incident", "list")  # a reader that needs it
    assert f"has a damaged record in incidents at line {line}; restore a backup" in stderr
    result = liushi.run("member", "list")  # a reader that does not: a warning, and the list
    assert result.exit_code == 0 and "柳市布厂" in result.stdout
    assert result.stderr.startswith("warning: registry ") and "(incidents)" in result.stderr
    assert f"table incidents has a damaged record at line {line}" in liushi.refused("verify")


def test_a_missing_comma_is_named_by_its_line(liushi: Cli) -> None:
    line = _edit_line(liushi, b'"A0002"', lambda text: text.rstrip(b","))
    assert f"damaged record in assets at line {line + 1}" in liushi.refused("asset", "list")


def test_an_outside_edit_refuses_writes_warns_readers_and_is_adopted(liushi: Cli) -> None:
    data = json.loads(liushi.registry.read_bytes())
    data["assets"]["A0004"]["name"] = "改过的名字"
    data["meta"]["meta"]["name"] = "别的联社"
    text = liushi.registry.read_text(encoding="utf-8")
    liushi.registry.write_text(
        text.replace("柳市布厂4号厂房", "改过的名字").replace('"name":"乐清市二轻联社","created"', '"name":"别的联社","created"'),
        encoding="utf-8",
    )
    assert json.loads(liushi.registry.read_bytes())["meta"]["meta"]["name"] == "别的联社"
    stderr = liushi.refused("member", "add", "--name", "翁垟木器厂", "--district", "柳市片", "--kind", "enterprise")
    assert "was changed outside assetreg in assets; nothing was changed" in stderr
    result = liushi.run("asset", "show", "A0004", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["name"] == "改过的名字"
    assert result.stderr.count("\n") == 1 and "changed outside assetreg (assets, meta)" in result.stderr
    report = json.loads(liushi.run("verify", "--json").stdout)
    assert report["ok"] is False
    created = json.loads(liushi.registry.read_bytes())["meta"]["meta"]["created"]
    assert report["problems"] == [
        "table assets was changed outside assetreg",
        "the meta record (the registry's name, when it was created) was changed outside assetreg",
        f"the registry's name or creation date (别的联社, {created}) is not what its log records (乐清市二轻联社, {created})",
        "record assets/A0004 differs from the log",
    ]
    assert "not adopted; give --yes" in liushi.refused("verify", "--adopt")
    adopted = liushi.run("verify", "--adopt", "--yes")
    assert adopted.exit_code == 0 and "record assets/A0004 differs from the log" in adopted.stderr
    assert "OK: 11 log entries" in liushi.ok("verify").stdout
    last = liushi.json("log")[-1]
    assert last["seq"] == 11 and last["outside"] == "adopted" and last["command"].startswith("assetreg")
    assert last["changes"] == [
        {
            "kind": "assets",
            "id": "A0004",
            "before": {**last["changes"][0]["after"], "name": "柳市布厂4号厂房"},
            "after": last["changes"][0]["after"],
        }
    ]
    liushi.ok("member", "add", "--name", "翁垟木器厂", "--district", "柳市片", "--kind", "enterprise")  # work goes on


def test_adopt_starts_a_new_log_when_the_log_is_lost(liushi: Cli) -> None:
    journal = liushi.registry.with_name("registry.json.journal")
    journal.unlink()  # registry.json copied to another machine alone
    assert "is missing" in liushi.refused("verify")
    liushi.ok("verify", "--adopt", "--yes")
    assert (
        "OK: 1 log entries, hash chain intact; 9 records match the log." in liushi.ok("verify").stdout
    )  # 2 members, 5 assets, the incident, settings
    [entry] = liushi.json("log")
    assert (
        entry["outside"] == "adopted"
        and sorted(c["id"] for c in entry["changes"])
        == ["A0001", "A0002", "A0003", "A0004", "A0005", "I0001", "M000", "M001", "settings"]
        and all(c["before"] is None for c in entry["changes"])
    )
    liushi.ok("asset", "revalue", "A0001", "--date", "2005-01-01", "--value", "300000")


@pytest.mark.parametrize("journal_is", ["folder", "link"])
def test_a_log_that_is_a_folder_or_a_link_is_one_line(liushi: Cli, tmp_path: Path, journal_is: str) -> None:
    journal = liushi.registry.with_name("registry.json.journal")
    elsewhere = tmp_path / "elsewhere.journal"
    elsewhere.write_bytes(journal.read_bytes())
    journal.unlink()
    if journal_is == "folder":
        journal.mkdir()
    else:
        journal.symlink_to(elsewhere)
    before, log_before = liushi.registry.read_bytes(), elsewhere.read_bytes()
    linked = "is a symbolic link; assetreg follows no link beside the registry"
    reason = "is not a regular file" if journal_is == "folder" else linked
    for args in (("verify",), ("log",), ("member", "edit", "M001", "--employees", "5")):
        result = liushi.run(*args)
        assert result.exit_code == 1 and result.stderr == f"error: registry '{journal}': {reason}\n", args
    assert liushi.registry.read_bytes() == before
    assert elsewhere.read_bytes() == log_before


# -- files that are not what they seem -------------------------------------------------------------------


def test_a_registry_saved_with_a_byte_order_mark_is_read(liushi: Cli) -> None:
    liushi.registry.write_bytes(b"\xef\xbb\xbf" + liushi.registry.read_bytes())  # Notepad's way
    assert [m["id"] for m in liushi.json("member", "list")] == ["M000", "M001"]
    liushi.ok("member", "edit", "M001", "--employees", "80")
    assert not liushi.registry.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    "content", [b'{"meta": {"meta": {"schema": 1}}}', b'{"meta": {"meta": {"schema": true}}}', b'{"meta": {"meta": 1}}']
)
def test_a_file_that_only_looks_like_a_registry_is_refused(cli: Cli, content: bytes) -> None:
    cli.registry.write_bytes(content)
    for args in (("asset", "list"), ("member", "add", "--name", "x", "--district", "x", "--kind", "enterprise")):
        assert cli.refused(*args) == f"error: registry '{cli.registry}': is not an assetreg registry\n"


def test_a_record_that_is_a_string_is_one_line(liushi: Cli) -> None:
    _edit_line(liushi, b'"A0003"', lambda text: b'"A0003":"\xe5\x8e\x82\xe6\x88\xbf",')
    stderr = liushi.refused("asset", "list")
    assert stderr == f"error: registry '{liushi.registry}': has a record A0003 in assets that is not a record; restore a backup\n"


def test_ctrl_c_during_the_write_finishes_it_first_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assetreg import store

    cli = Cli(tmp_path / "reg.json")
    cli.ok("init", "--name", "t")
    real_save = store.Session.save

    def save_with_ctrl_c(self: store.Session, *args: Any, **kwargs: Any) -> int:
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C as the write starts
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(store.Session, "save", save_with_ctrl_c)
    result = cli.run("member", "add", "--name", "柳市布厂", "--district", "柳市片", "--kind", "enterprise")
    monkeypatch.undo()
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines() == ["error: interrupted while writing: the change was finished and saved first"]
    assert [m["name"] for m in cli.json("member", "list")] == ["柳市布厂"]
    cli.ok("verify")
