"""Version 3's integrity points: no acknowledged entry cut, the ways back keep the log whole, verify quiet
about work in progress, no link followed beside the registry, writes refusing a broken head, the name and
creation date in the chain, nothing created by a refused command."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.test_integrity import ASSETREG, _edit_line, rewritten, subprocess_env

LEASE = ("--tenant", "某公司", "--start", "2004-01-01", "--end", "2005-12-31", "--rent", "800", "--period", "monthly")
MEMBER = ("member", "add", "--name", "翁垟木器厂", "--district", "柳市片", "--kind", "enterprise")


def journal(cli: Cli) -> Path:
    return cli.registry.with_name(cli.registry.name + ".journal")


def three_leases(cli: Cli) -> None:
    """Entries 11, 12 and 13 (the liushi fixture makes 10: init, 2 members, 5 assets, the incident, its action)."""
    for n in (1, 2, 3):
        cli.ok("lease", "add", "--asset", f"A000{n}", *LEASE)


def copy_backup_over_by_hand(cli: Cli, n: int) -> dict[str, Any]:
    backup = Path(cli.json("backup", "list")[n - 1]["file"])
    cli.registry.write_bytes(backup.read_bytes())
    return dict(json.loads(backup.read_bytes())["meta"]["meta"])


# -- an acknowledged entry is never cut ---------------------------------------------------------------


def test_a_backup_copied_over_by_hand_refuses_writes_and_fails_verify(liushi: Cli) -> None:
    three_leases(liushi)
    assert copy_backup_over_by_hand(liushi, 1)["log_seq"] == 12  # backup 1: the version entry 13 replaced
    log_before = journal(liushi).read_bytes()
    stderr = liushi.refused(*MEMBER)  # the registry and the log unchanged to the byte (Cli.refused)
    assert "is behind its log: entries 13 to 13 were written and acknowledged" in stderr and stderr.count("\n") == 1
    result = liushi.run("verify")
    assert result.exit_code == 1
    assert "the registry is behind its log: entries 13 to 13 were written and acknowledged" in result.stderr
    assert journal(liushi).read_bytes() == log_before  # entry 13 is still there: nothing cut


def test_backup_restore_on_a_registry_behind_its_log_keeps_the_log_whole(liushi: Cli) -> None:
    three_leases(liushi)
    copy_backup_over_by_hand(liushi, 3)  # the version after entry 10: entries 11-13 not held
    # backup 1 is after entry 12: it holds L0001 and L0002; the log (13 entries) holds L0003 as well
    result = liushi.ok("backup", "restore", "1", "--yes")
    assert "leases: 0 come back, 1 go, 0 change" in result.stderr  # and A0003, leased by it, is as before
    assert "assets: 0 come back, 0 go, 1 change" in result.stderr
    assert "the registry will not hold log entries 13 to 13; they stay in the log" in result.stderr
    entries = liushi.json("log")
    assert [e["seq"] for e in entries] == list(range(1, 15))  # 13 entries kept, the restore is entry 14
    assert entries[13]["not_held"] == [13, 13]
    asset, lease = entries[13]["changes"]
    assert (lease["id"], lease["before"]["tenant"], lease["after"]) == ("L0003", "某公司", None)
    assert (asset["id"], asset["before"]["status"], asset["after"]["status"]) == ("A0003", "leased", "in_use")
    assert "OK: 14 log entries" in liushi.ok("verify").stdout
    assert [r["id"] for r in liushi.json("lease", "list")] == ["L0001", "L0002"]
    liushi.ok(*MEMBER)  # work goes on


def test_adopt_on_a_registry_behind_its_log_keeps_the_log_whole(liushi: Cli) -> None:
    three_leases(liushi)
    copy_backup_over_by_hand(liushi, 3)  # after entry 10: no leases
    result = liushi.ok("verify", "--adopt", "--yes")
    assert "the registry will not hold log entries 11 to 13; they stay in the log" in result.stderr
    entries = liushi.json("log")
    assert [e["seq"] for e in entries] == list(range(1, 15))
    assert entries[13]["not_held"] == [11, 13] and entries[13]["outside"] == "adopted"
    leases = sorted(c["id"] for c in entries[13]["changes"] if c["kind"] == "leases" and c["after"] is None)
    assert leases == ["L0001", "L0002", "L0003"]
    assert "OK: 14 log entries" in liushi.ok("verify").stdout


def _unmarked_entry(cli: Cli) -> bytes:
    """What a writer killed between its log append and its registry write leaves: entry 11 without its mark."""
    from assetreg.core.journal import make_entry
    from assetreg.core.registry import Change

    head = json.loads(cli.registry.read_bytes())["meta"]["meta"]["log_head"]
    _, line = make_entry(11, head, "2005-03-15T00:00:00+00:00", "x", "assetreg member add", [Change("members", "M009", None, {})])
    return b"".join(line)[:-1]


def test_an_unmarked_entry_is_an_interrupted_write_and_is_cut(liushi: Cli) -> None:
    size = journal(liushi).stat().st_size
    with journal(liushi).open("ab") as handle:
        handle.write(_unmarked_entry(liushi))
    result = liushi.ok("verify")
    assert "log entry 11 has no registry write yet" in result.stderr
    liushi.ok(*MEMBER)
    entries = liushi.json("log")
    assert len(entries) == 11 and entries[10]["changes"][0]["id"] == "M002"  # the new write is entry 11
    assert journal(liushi).stat().st_size > size and journal(liushi).read_bytes().endswith(b"\n")
    assert "OK: 11 log entries" in liushi.ok("verify").stdout


def test_an_entry_held_by_the_registry_but_unmarked_is_marked_by_the_next_write(liushi: Cli) -> None:
    """A writer killed after its registry write, before the mark: the registry holds the entry."""
    data = journal(liushi).read_bytes()
    journal(liushi).write_bytes(data[:-1])
    result = liushi.ok("verify")
    assert "log entry 10 is in the registry but not yet marked as written" in result.stderr
    liushi.ok(*MEMBER)
    assert journal(liushi).read_bytes().startswith(data)  # marked, then entry 11 after it
    assert "OK: 11 log entries" in liushi.ok("verify").stdout


def test_backup_restore_works_on_a_registry_with_a_damaged_line(liushi: Cli) -> None:
    liushi.ok("member", "edit", "M001", "--employees", "80")  # entry 11; backup 1 is the version after entry 10
    line = _edit_line(liushi, b'"I0001"', lambda text: text[:60])
    assert f"damaged record in incidents at line {line}; nothing was changed; restore a backup" in liushi.refused(*MEMBER)
    result = liushi.ok("backup", "restore", "1", "--yes")
    assert "members: 0 come back, 0 go, 1 change" in result.stderr  # M001's employees back as they were
    assert "OK: 12 log entries" in liushi.ok("verify").stdout
    assert liushi.json("incident", "show", "I0001")["counterparty"] == "柳市镇上峰村"  # the damaged table is whole again
    damaged = Path(liushi.json("backup", "list")[0]["file"]).read_bytes()
    assert len(damaged.split(b"\n")[line - 1]) == 60  # the damaged version is kept as a backup


# -- verify while writers work ----------------------------------------------------------------------


def test_verify_while_writers_work_reports_no_problem(tmp_path: Path) -> None:
    registry = tmp_path / "busy.json"
    env = subprocess_env(registry)
    subprocess.run([*ASSETREG, "init"], env=env, check=True, capture_output=True)
    script = (
        "import sys\nfrom assetreg.cli.main import run\nme = sys.argv[1]\n"
        "for n in range(15):\n"
        "    sys.argv = ['assetreg', 'member', 'add', '--name', f'成员{me}-{n}', '--district', '片', '--kind', '企业']\n"
        "    try:\n        run()\n    except SystemExit:\n        pass\n"
    )
    writers = [subprocess.Popen([os.sys.executable, "-c", script, str(p)], env=env) for p in range(3)]
    checker = (
        "import sys, json\nfrom pathlib import Path\nfrom assetreg.integrity import verify\n"
        "bad = []\n"
        "for _ in range(25):\n"
        "    r = verify(Path(sys.argv[1]))\n"
        "    bad += r.problems\n"
        "print(json.dumps(bad))\n"
    )
    try:
        found = subprocess.run([os.sys.executable, "-c", checker, str(registry)], env=env, capture_output=True, text=True)
    finally:
        for writer in writers:
            writer.wait(timeout=300)
    assert json.loads(found.stdout) == [], found.stderr
    assert json.loads(subprocess.run([*ASSETREG, "verify", "--json"], env=env, capture_output=True).stdout)["head"]["n"] == 46


# -- no link followed -------------------------------------------------------------------------------------


@pytest.mark.parametrize("place", [".lock", ".backups", ".queue", ".journal"])
def test_a_link_beside_the_registry_is_refused_and_its_target_untouched(liushi: Cli, tmp_path: Path, place: str) -> None:
    beside = liushi.registry.with_name(liushi.registry.name + place)
    target = tmp_path / "target"
    if beside.is_dir():
        os.rename(beside, target)  # the folder's files, now elsewhere
    elif beside.exists():
        os.rename(beside, target)
    else:
        target.write_bytes(liushi.registry.read_bytes())
    before = {p.name: p.read_bytes() for p in target.iterdir()} if target.is_dir() else target.read_bytes()
    beside.symlink_to(target)
    stderr = liushi.refused(*MEMBER)
    assert stderr == f"error: registry '{beside}': is a symbolic link; assetreg follows no link beside the registry\n"
    after = {p.name: p.read_bytes() for p in target.iterdir()} if target.is_dir() else target.read_bytes()
    assert after == before


def test_a_link_in_the_place_of_a_temporary_file_is_refused(liushi: Cli, tmp_path: Path) -> None:
    target = tmp_path / "precious"
    target.write_bytes(b"keep me")
    stale = liushi.registry.with_name(f".{liushi.registry.name}.tmp.999.abcd")
    stale.symlink_to(target)
    assert "is a symbolic link" in liushi.refused(*MEMBER)
    assert target.read_bytes() == b"keep me" and stale.is_symlink()


def test_backup_rotation_never_deletes_through_a_linked_folder(liushi: Cli, tmp_path: Path) -> None:
    folder = liushi.registry.with_name("registry.json.backups")
    elsewhere = tmp_path / "elsewhere"
    os.rename(folder, elsewhere)
    folder.symlink_to(elsewhere)
    names = sorted(p.name for p in elsewhere.iterdir())
    assert "is a symbolic link" in liushi.refused("settings", "set", "backups_kept", "1")
    assert "is a symbolic link" in liushi.refused("backup", "list")
    assert sorted(p.name for p in elsewhere.iterdir()) == names


# -- a write refuses a broken head; the name and date are in the chain -------------------------------------


def test_a_write_refuses_an_edited_last_log_entry(liushi: Cli) -> None:
    lines = journal(liushi).read_bytes().splitlines(keepends=True)
    lines[-1] = lines[-1].replace(b"assetreg", b"assetrex", 1)  # same length: only its hash tells
    journal(liushi).write_bytes(b"".join(lines))
    stderr = liushi.refused(*MEMBER)
    assert "log entry 10, the last the registry records, is not what was written" in stderr


def test_a_write_refuses_an_edited_head_record(liushi: Cli) -> None:
    text = liushi.registry.read_bytes()
    head = json.loads(text)["meta"]["meta"]["log_head"]
    liushi.registry.write_bytes(text.replace(head.encode(), b"f" * 64))
    assert "log entry 10, the last the registry records, is not what was written" in liushi.refused(*MEMBER)
    assert liushi.run("verify").exit_code == 1


def test_the_name_and_date_are_in_the_chain(liushi: Cli) -> None:
    n, digest = liushi.json("verify")["head"]["n"], liushi.json("verify")["head"]["hash"]
    data = json.loads(liushi.registry.read_bytes())
    data["meta"]["meta"]["name"] = "别的联社"
    liushi.registry.write_bytes(rewritten(data))  # checksums recomputed: not an outside change by its bytes
    assert "registry's name or creation date is not what its log records" in liushi.refused(*MEMBER)
    report = json.loads(liushi.run("verify", "--json").stdout)
    assert report["ok"] is False and any("(别的联社, " in p for p in report["problems"])
    # the same edit with the log rewritten to match, every hash recomputed: only --expect catches it
    from assetreg.core.journal import GENESIS, canonical, entry_hash

    lines, prev = [], GENESIS
    for raw in journal(liushi).read_bytes().splitlines():
        entry = json.loads(raw)
        entry["registry"]["name"] = "别的联社"
        entry["prev"] = prev
        entry["hash"] = prev = entry_hash(entry)
        lines.append(canonical(entry) + b"\n")
    journal(liushi).write_bytes(b"".join(lines))
    data["meta"]["meta"].update(log_head=prev, log_size=journal(liushi).stat().st_size)
    liushi.registry.write_bytes(rewritten(data))
    liushi.ok("verify")
    assert "the history was rewritten" in liushi.refused("verify", "--expect", f"{n}:{digest[:16]}")


# -- a refused command creates nothing ----------------------------------------------------------------------


def test_a_write_on_a_registry_whose_log_is_missing_creates_no_log(liushi: Cli) -> None:
    journal(liushi).unlink()
    stderr = liushi.refused(*MEMBER)
    reason = "is missing; nothing was changed; 'assetreg verify --adopt' starts a new log"
    assert stderr.endswith(f"registry.json.journal': {reason}\n")
    assert not journal(liushi).exists()


# -- back-dated events that break later ones -----------------------------------------------------------------


def test_a_back_dated_event_may_not_turn_a_later_impairment_into_a_gain(liushi: Cli) -> None:
    # A0001: 320,000.00 from 1985; impaired to 300,000.00 on 2005-02-01 (a loss of 20,000.00)
    liushi.ok("asset", "impair", "A0001", "--date", "2005-02-01", "--value", "300000", "--cause", "damage")
    impair = ("asset", "impair", "A0001", "--date", "2005-01-10", "--value", "0", "--cause", "disaster")
    stderr = liushi.refused(*impair)  # 0.00 before an impairment to 300,000.00: a gain of 300,000.00
    assert stderr == (
        "error: --date '2005-01-10': is before the impairment of 2005-02-01 to 300000.00, which would then raise "
        "the value from 0.00\n"
    )
    stderr = liushi.refused("asset", "revalue", "A0001", "--date", "2005-01-10", "--value", "250000")
    assert "is before the impairment of 2005-02-01 to 300000.00, which would then raise the value from 250000.00" in stderr
    # 310,000.00 before it: the impairment is still a loss (of 10,000.00), so this is accepted
    liushi.ok("asset", "revalue", "A0001", "--date", "2005-01-10", "--value", "310000")
    history = liushi.json("asset", "history", "A0001")
    assert [(e["date"], e["kind"]) for e in history][-2:] == [("2005-01-10", "revalue"), ("2005-02-01", "impair")]


# -- settings exported and imported -----------------------------------------------------------------------------


def test_settings_travel_through_export_csv_and_import(liushi: Cli, tmp_path: Path) -> None:
    from assetreg.core.transfer import EXPORT_ORDER

    # the incident's last action was on 2005-01-10: 64 days before 2005-03-15, stale after 30 days, not after 90
    liushi.ok("settings", "set", "stale_action_days", "30")
    liushi.ok("settings", "set", "backups_kept", "3")
    flags = liushi.json("flags", "--as-of", "2005-03-15")
    assert "I0001" in json.dumps(flags)  # the incident is flagged as stale with 30 days
    liushi.ok("export", "csv", "--output", str(tmp_path / "out"))
    text = (tmp_path / "out" / "settings.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[:2] == ["key,value", "stale_action_days,30"] and "backups_kept,3" in text.splitlines()
    from assetreg.core.settings import SPECS

    assert len(text.splitlines()) == 1 + len(SPECS)  # the header and every setting, defaults included
    copy = Cli(tmp_path / "copy.json")
    copy.ok("init")
    for kind in EXPORT_ORDER:
        copy.ok("import", kind, str(tmp_path / "out" / f"{kind}.csv"))
    assert copy.json("settings", "show") == liushi.json("settings", "show")
    assert copy.json("flags", "--as-of", "2005-03-15") == flags
    bad = tmp_path / "bad.csv"
    bad.write_text("key,value\nstale_action_days,30\nbackups_kept,5000\n", encoding="utf-8")
    stderr = copy.refused("import", "settings", str(bad))
    assert "line 3, column value: value '5000': must be from 0 to 1000" in stderr


# -- one-line escaped errors naming file and line ------------------------------------------------------------


def test_errors_show_user_text_escaped_on_one_line(liushi: Cli, tmp_path: Path) -> None:
    csv = tmp_path / "members.csv"
    csv.write_text("name,district,kind\n翁垟木器厂,柳市片,enterprise\n", encoding="utf-8")
    stderr = liushi.refused("import", "members", str(csv), "--encoding", "utf\x1b[31m\u202e8")
    assert stderr == (
        "error: --encoding 'utf<U+001B>[31m<U+202E>8': cannot read the file: unknown encoding: utf<U+001B>[31m<U+202E>8\n"
    )
    stderr = liushi.refused("--lang", "e\x1b[31mn\u202e", "member", "list", code=2)
    assert stderr.splitlines()[-1] == "error: Invalid value for '--lang': 'e<U+001B>[31mn<U+202E>' is not one of: en, zh"
    stderr = liushi.refused("member", "add", "--name", "翁垟\n木器厂", "--district", "柳市片", "--kind", "enterprise")
    assert stderr == "error: --name '翁垟<U+000A>木器厂': contains an invisible or control character U+000A\n"


def test_an_empty_csv_is_named_by_its_file(liushi: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert liushi.refused("import", "members", str(empty)) == f"error: FILE '{empty}': is empty\n"


def test_every_reader_names_the_file_line_of_a_damaged_record(liushi: Cli) -> None:
    """`asset list` reads the assets table first and lets its bytes go before it reads incidents: the line
    it names is still the file's."""
    line = _edit_line(liushi, b'"I0001"', lambda text: text[:60])
    for reader in (("asset", "list"), ("asset", "show", "A0001"), ("incident", "list")):
        assert f"has a damaged record in incidents at line {line}; restore a backup" in liushi.refused(*reader), reader


def test_a_refused_first_write_on_a_copied_registry_makes_no_lock_and_no_queue(liushi: Cli, tmp_path: Path) -> None:
    """A registry copied alone with its log (no lock file, no queue folder), damaged: the write is refused
    before anything is made beside it."""
    folder = tmp_path / "copied"
    folder.mkdir()
    for name in ("registry.json", "registry.json.journal"):
        (folder / name).write_bytes(liushi.registry.with_name(name).read_bytes())
    copy = Cli(folder / "registry.json")
    _edit_line(copy, b'"I0001"', lambda text: text[:60])
    assert "damaged record in incidents" in copy.refused(*MEMBER)
    assert sorted(p.name for p in folder.iterdir()) == ["registry.json", "registry.json.journal"]
    (folder / "registry.json").write_bytes(liushi.registry.read_bytes())  # whole again, but its log left behind
    (folder / "registry.json.journal").unlink()
    assert "is missing" in copy.refused("settings", "set", "backups_kept", "3")
    assert sorted(p.name for p in folder.iterdir()) == ["registry.json"]  # no log, no lock, no queue


# -- documents and exports: whole or nothing ----------------------------------------------------------


def test_a_document_or_export_to_a_full_disk_is_one_line_and_leaves_nothing(
    liushi: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up while the third CSV of the export is written: no CSV of the export is left
    (members.csv and assets.csv were whole, but an export of two kinds out of six cannot be imported)."""
    import errno
    import io

    import assetreg.store.atomic as atomic

    opened = 0
    real_open = open

    def filling(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        nonlocal opened
        if mode == "xb":
            opened += 1
            if opened == 3:
                handle = real_open(path, mode, *args, **kwargs)

                class Full(io.BufferedWriter):
                    def write(self, data: Any) -> int:
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

                handle.close()
                return Full(real_open(path, "wb", buffering=0))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(atomic, "open", filling, raising=False)
    out = tmp_path / "export"
    stderr = liushi.refused("export", "csv", "--output", str(out))
    assert stderr == f"error: --output '{out}': cannot be written: No space left on device; nothing was written\n"
    assert not out.exists()  # the folder was made by the export: it goes too
    out.mkdir()
    opened = 0
    liushi.refused("export", "csv", "--output", str(out))
    assert sorted(out.iterdir()) == []  # an existing folder is left as it was: empty
    opened = 2  # the next file opened is the third: the document itself
    report = tmp_path / "register.html"
    stderr = liushi.refused("report", "register", "--as-of", "2004-12-31", "--output", str(report))
    assert stderr == f"error: --output '{report}': cannot be written: No space left on device; nothing was written\n"
    assert not report.exists() and not [p for p in tmp_path.iterdir() if ".tmp." in p.name]  # nor a temporary file
