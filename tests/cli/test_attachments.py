"""Evidence files (附件): kept by content hash beside the registry, checked by verify (PRODUCT.md, Evidence files)."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Cli

PHOTO = b"\xff\xd8\xff\xe0 photo of building 3, 2004-12-22 " * 40  # 4 bytes + 33 characters = 37 bytes, x 40 = 1,480 bytes
LETTER = "上峰村来函：同意赔偿。".encode() * 10  # 11 characters x 3 bytes = 33 bytes, x 10 = 330 bytes


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_folder(cli: Cli) -> Path:
    return cli.registry.with_name("registry.json.files")


def stored_files(cli: Cli) -> list[Path]:
    folder = files_folder(cli)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_same_content_is_stored_once_under_its_hash_and_saved_back_byte_for_byte(liushi: Cli, tmp_path: Path) -> None:
    photo = write(tmp_path / "厂房3号.jpg", PHOTO)
    copy = write(tmp_path / "copy.jpg", PHOTO)
    before = os.stat(photo)
    liushi.ok("attach", "A0003", str(photo), "--kind", "photo", "--note", "损坏照片", "--event", "1")
    liushi.ok("attach", "I0001", str(copy), "--kind", "photo")
    digest = sha(PHOTO)
    # stored once, under ab/cdef…, whatever the user's file was called
    assert stored_files(liushi) == [files_folder(liushi) / digest[:2] / digest[2:]]
    assert stored_files(liushi)[0].read_bytes() == PHOTO
    after = os.stat(photo)  # the original is only read
    assert (photo.read_bytes(), after.st_mtime_ns, after.st_ino) == (PHOTO, before.st_mtime_ns, before.st_ino)
    listed = liushi.json("attachments")
    assert listed == [
        {
            "ref": "F1",
            "record": "A0003",
            "event": 1,
            "action": None,
            "kind": "photo",
            "name": "厂房3号.jpg",
            "size": 1480,
            "sha256": digest,
            "date": "2005-03-15",
            "note": "损坏照片",
        },
        {
            "ref": "F2",
            "record": "I0001",
            "event": None,
            "action": None,
            "kind": "photo",
            "name": "copy.jpg",
            "size": 1480,
            "sha256": digest,
            "date": "2005-03-15",
            "note": None,
        },
    ]
    assert [a["ref"] for a in liushi.json("attachments", "A0003")] == ["F1"]
    liushi.ok("attachment", "save", "F2", "--output", str(tmp_path / "back.jpg"))
    assert (tmp_path / "back.jpg").read_bytes() == PHOTO
    # a hash prefix naming two attachments is refused, listing them
    stderr = liushi.refused("attachment", "show", digest[:8])
    assert "F1" in stderr and "F2" in stderr
    out = tmp_path / "out"
    out.mkdir()
    liushi.ok("attachment", "save", "F1", "--output", str(out))  # a folder: under the file's name
    assert (out / "厂房3号.jpg").read_bytes() == PHOTO
    assert "already exists" in liushi.run("attachment", "save", "F1", "--output", str(out)).stderr
    # the attach is one log entry, undone as any other
    liushi.ok("undo", "--yes")
    assert [a["ref"] for a in liushi.json("attachments")] == ["F1"]


def test_a_file_stays_with_its_event_and_action_when_a_back_dated_one_renumbers(liushi: Cli, tmp_path: Path) -> None:
    # A0001: acquired 1985-06-01 (event 1), revalued 2000-01-01 (event 2); the appraisal is tied to event 2
    liushi.ok("asset", "revalue", "A0001", "--date", "2000-01-01", "--value", "400000", "--basis", "appraisal")
    liushi.ok("attach", "A0001", str(write(tmp_path / "评估报告.pdf", LETTER)), "--kind", "scan", "--event", "2")
    # a revaluation back-dated to 1990 becomes event 2: the appraisal's event is now 3
    liushi.ok("asset", "revalue", "A0001", "--date", "1990-01-01", "--value", "350000", "--basis", "book")
    assert [a["event"] for a in liushi.json("attachments", "A0001")] == [3]
    # the incident has one action (mediation, 2005-01-10, from the fixture); the letter comes with a second
    liushi.ok(
        "incident",
        "act",
        "I0001",
        "--date",
        "2005-02-01",
        "--note",
        "村委会来函",
        "--attach",
        str(write(tmp_path / "来函.pdf", PHOTO)),
    )
    assert [(a["record"], a["action"]) for a in liushi.json("attachments", "I0001")] == [("I0001", 2)]
    # an action dated before both moves the letter's action from 2 to 3
    liushi.ok("incident", "act", "I0001", "--date", "2004-12-25", "--note", "报告")
    assert liushi.json("attachments", "I0001")[0]["action"] == 3
    shown = liushi.ok("incident", "show", "I0001").stdout
    assert "来函.pdf" in shown and sha(PHOTO)[:12] in shown
    assert "评估报告.pdf" in liushi.ok("asset", "show", "A0001").stdout


def test_verify_names_a_changed_and_a_missing_file_and_other_commands_go_on(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("attach", "A0001", str(write(tmp_path / "a.jpg", PHOTO)))
    liushi.ok("attach", "A0002", str(write(tmp_path / "b.pdf", LETTER)))
    assert liushi.run("verify").exit_code == 0
    changed = files_folder(liushi) / sha(PHOTO)[:2] / sha(PHOTO)[2:]
    changed.chmod(0o644)
    changed.write_bytes(PHOTO[:-1] + b"!")  # one byte swapped
    (files_folder(liushi) / sha(LETTER)[:2] / sha(LETTER)[2:]).unlink()
    result = liushi.run("verify", "--json")
    assert result.exit_code == 1
    problems = [p for p in __import__("json").loads(result.stdout)["problems"] if p.startswith("attachment")]
    assert problems == [
        f"attachment F1 (A0001 a.jpg, sha256 {sha(PHOTO)[:12]}): its stored file was changed (the hash differs)",
        f"attachment F2 (A0002 b.pdf, sha256 {sha(LETTER)[:12]}): its stored file is missing",
    ]
    # the records are still good: other commands go on
    liushi.ok("asset", "revalue", "A0001", "--date", "2005-03-01", "--value", "300000", "--basis", "appraisal")
    assert "MISSING" in liushi.ok("attachment", "show", "F2").stdout
    assert "missing or changed" in liushi.refused("attachment", "save", "F2", "--output", str(tmp_path / "x"))
    # attaching the original again repairs the stored copy
    liushi.ok("attach", "A0002", str(tmp_path / "b.pdf"))
    liushi.ok("attach", "A0001", str(tmp_path / "a.jpg"))
    assert liushi.run("verify").exit_code == 0


@pytest.mark.parametrize("case", ["folder", "missing", "too big", "newline in name", "bidi mark in name", "pipe"])
def test_refused_inputs_are_one_line_and_leave_no_trace(liushi: Cli, tmp_path: Path, case: str) -> None:
    liushi.ok("settings", "set", "attachment_max_mb", "1")
    if case == "folder":
        path, expected = tmp_path, "is a folder, not a file"
    elif case == "missing":
        path, expected = tmp_path / "gone.pdf", "no such file"
    elif case == "too big":  # 1 MB = 1,048,576 bytes; one more is refused
        path, expected = write(tmp_path / "big.bin", b"x" * 1_048_577), "more than the 1 MB allowed"
    elif case == "newline in name":
        path, expected = write(tmp_path / "a\nb.pdf", LETTER), "control or format characters"
    elif case == "bidi mark in name":
        path, expected = write(tmp_path / "invoice\u202egpj.exe", LETTER), "control or format characters"
    else:
        path, expected = tmp_path / "pipe", "is not a regular file"
        os.mkfifo(path)
    stderr = liushi.refused("attach", "A0001", str(path))
    assert expected in stderr and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    assert stored_files(liushi) == []
    assert liushi.json("attachments") == []


def test_exactly_the_limit_is_taken(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("settings", "set", "attachment_max_mb", "1")
    liushi.ok("attach", "A0001", str(write(tmp_path / "limit.bin", b"x" * 1_048_576)))
    assert [a["size"] for a in liushi.json("attachments")] == [1_048_576]


def test_a_full_disk_is_one_line_and_leaves_nothing(liushi: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assetreg.store import files

    real_fsync = os.fsync

    def full(fd: int) -> None:
        real_fsync(fd)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    stderr = liushi.refused("attach", "A0001", str(write(tmp_path / "a.jpg", PHOTO)))
    monkeypatch.undo()
    assert "the disk is full; nothing was stored" in stderr and stderr.count("\n") == 1
    assert stored_files(liushi) == []  # not even the temporary file


def test_a_kill_in_the_middle_of_a_large_attach_leaves_no_partial_file(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("settings", "set", "attachment_max_mb", "1024")
    big = tmp_path / "scan.tif"
    with open(big, "wb") as handle:  # 600 MB: long enough to be killed while it is copied
        block = os.urandom(1 << 20)
        for _ in range(600):
            handle.write(block)
    env = {**os.environ, **liushi.env}
    child = subprocess.Popen([sys.executable, "-m", "assetreg", "attach", "A0001", str(big)], env=env, stderr=subprocess.DEVNULL)
    folder = files_folder(liushi)
    deadline = time.monotonic() + 60
    copying = False
    while time.monotonic() < deadline and child.poll() is None:
        temps = list(folder.glob("tmp-*")) if folder.exists() else []
        if temps and temps[0].stat().st_size > 0:
            copying = True
            break
        time.sleep(0.001)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert copying, "the copy was not caught in the middle"
    hashed = [p for p in stored_files(liushi) if not p.name.startswith("tmp-")]
    assert hashed == []  # no partial file under a hash name
    assert liushi.json("attachments") == []
    assert liushi.run("verify").exit_code == 0
    assert "1 files" in liushi.ok("attachment", "prune").stderr  # the leftover temporary file
    assert stored_files(liushi) == []
    liushi.ok("attach", "A0001", str(big))  # and the file can be attached whole afterwards
    assert liushi.run("verify").exit_code == 0


def test_export_csv_and_import_attachments_round_trip(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("attach", "A0003", str(write(tmp_path / "photo.jpg", PHOTO)), "--kind", "photo", "--event", "1")
    liushi.ok(
        "attach", "I0001", str(write(tmp_path / "letter.pdf", LETTER)), "--kind", "letter", "--action", "1", "--note", "来函"
    )
    out = tmp_path / "export"
    liushi.ok("export", "csv", "--output", str(out))
    for data in (PHOTO, LETTER):
        assert (out / "files" / sha(data)[:2] / sha(data)[2:]).read_bytes() == data
    assert (out / "attachments.csv").read_text("utf-8-sig").splitlines()[0] == (
        "ref,record,event,action,kind,name,size,sha256,date,note"
    )
    fresh = Cli(tmp_path / "other" / "registry.json")
    (tmp_path / "other").mkdir()
    fresh.ok("init")
    for kind in ("members", "assets", "incidents", "values", "actions"):
        fresh.ok("import", kind, str(out / f"{kind}.csv"))
    # a changed file refuses the whole import: nothing recorded, nothing stored
    exported = out / "files" / sha(LETTER)[:2] / sha(LETTER)[2:]
    exported.write_bytes(LETTER + b"x")
    assert "does not have its hash" in fresh.refused("import", "attachments", str(out / "attachments.csv"))
    assert stored_files(fresh) == []
    exported.write_bytes(LETTER)
    fresh.ok("import", "attachments", str(out / "attachments.csv"))
    assert fresh.json("attachments") == liushi.json("attachments")
    fresh.ok("attachment", "save", "F2", "--output", str(tmp_path / "back.pdf"))
    assert (tmp_path / "back.pdf").read_bytes() == LETTER
    assert fresh.run("verify").exit_code == 0


def test_prune_frees_exactly_the_bytes_no_record_names(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("settings", "set", "backups_kept", "0")  # no kept backup names a file
    liushi.ok("attach", "A0001", str(write(tmp_path / "a.jpg", PHOTO)))  # F1: 1,480 bytes
    liushi.ok("attach", "A0002", str(write(tmp_path / "b.pdf", LETTER)))  # F2: 330 bytes
    liushi.ok("attach", "A0003", str(tmp_path / "b.pdf"))  # F3: the same 330 bytes, stored once
    assert "give --force" in liushi.refused("attachment", "remove", "F1")
    liushi.ok("attachment", "remove", "F1", "--force")
    liushi.ok("attachment", "remove", "F2", "--force")
    # F1's content is named by no record: 1,480 bytes; F2's is still F3's: kept
    assert "Pruned 1 files, 1480 bytes freed." in liushi.ok("attachment", "prune").stderr
    assert stored_files(liushi) == [files_folder(liushi) / sha(LETTER)[:2] / sha(LETTER)[2:]]
    assert "Pruned 0 files, 0 bytes freed." in liushi.ok("attachment", "prune").stderr
    # undoing the removal of F2 is fine (its file is there); of F1, refused naming it
    liushi.ok("undo", "--yes")
    stderr = liushi.refused("undo", "--yes")
    assert "F1" in stderr and "was pruned" in stderr


def test_a_record_with_files_is_not_removed_under_them(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("member", "add", "--name", "白象电器厂", "--district", "白象片", "--kind", "enterprise")
    liushi.ok("attach", "M002", str(write(tmp_path / "章程.pdf", LETTER)))
    assert "F1" in liushi.refused("member", "remove", "M002", "--force")


def test_the_incidents_document_lists_each_case_s_files_by_number_name_and_hash(liushi: Cli, tmp_path: Path) -> None:
    assert "files" not in liushi.json("report", "incidents", "--year", "2005")["rows"][0]
    liushi.ok(
        "incident",
        "act",
        "I0001",
        "--date",
        "2005-02-01",
        "--note",
        "判决",
        "--attach",
        str(write(tmp_path / "判决书.pdf", LETTER)),
    )
    rows = liushi.json("report", "incidents", "--year", "2005")["rows"]
    assert rows[0]["files"] == f"F1 判决书.pdf {sha(LETTER)[:12]}"
    assert f"F1 判决书.pdf {sha(LETTER)[:12]}" in liushi.ok("report", "incidents", "--year", "2005", "--format", "md").stdout


def test_the_clearance_result_lists_a_shortfall_s_files_and_the_clearance_s_own(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("clearance", "open", "--as-of", "2004-12-31", "--name", "2004年度资产清查")
    liushi.ok("clearance", "check", "C001", "A0003", "--result", "missing", "--date", "2005-01-11", "--note", "车间内未找到")
    plain = liushi.ok("report", "clearance", "C001", "--format", "md").stdout
    assert "Files" not in plain  # no evidence kept: the document as before
    liushi.ok("attach", "A0003", str(write(tmp_path / "现场照片.jpg", PHOTO)), "--kind", "photo")
    liushi.ok("attach", "C001", str(write(tmp_path / "清查纪要.pdf", LETTER)), "--kind", "letter")
    shown = liushi.ok("report", "clearance", "C001", "--format", "md").stdout
    assert f"F1 现场照片.jpg {sha(PHOTO)[:12]}" in shown  # in the shortfall's row
    assert "Files of the clearance" in shown and "清查纪要.pdf" in shown and sha(LETTER)[:12] in shown
    assert "清查纪要.pdf" in liushi.ok("clearance", "show", "C001").stdout


def test_a_document_marks_a_missing_or_changed_file(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("attach", "I0001", str(write(tmp_path / "判决书.pdf", LETTER)))
    liushi.ok("attach", "I0001", str(write(tmp_path / "照片.jpg", PHOTO)))
    (files_folder(liushi) / sha(LETTER)[:2] / sha(LETTER)[2:]).unlink()
    changed = files_folder(liushi) / sha(PHOTO)[:2] / sha(PHOTO)[2:]
    changed.chmod(0o644)
    changed.write_bytes(b"not the photo")
    rows = liushi.json("report", "incidents", "--year", "2005")["rows"]
    assert rows[0]["files"] == (
        f"F1 判决书.pdf {sha(LETTER)[:12]} [MISSING]; F2 照片.jpg {sha(PHOTO)[:12]} [CHANGED (hash differs)]"
    )


def test_attach_checks_free_space_first(liushi: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from assetreg.store import files

    photo = write(tmp_path / "a.jpg", PHOTO)
    registry_before = liushi.registry.read_bytes()
    # PHOTO is 1,480 bytes; the margin is 16 MiB = 16,777,216 bytes: 16,778,696 are needed, one fewer is refused
    need = 1_480 + 16 * 1024 * 1024
    assert need == 16_778_696
    monkeypatch.setattr(files.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9, need - 1))  # type: ignore[attr-defined]
    stderr = liushi.refused("attach", "A0001", str(photo))
    assert stderr == (
        f"error: FILE '{photo}': needs 16778696 bytes free on the registry's disk, which has 16778695; nothing was stored\n"
    )
    assert stored_files(liushi) == [] and liushi.registry.read_bytes() == registry_before
    monkeypatch.setattr(files.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9, need))  # type: ignore[attr-defined]
    liushi.ok("attach", "A0001", str(photo))
    assert [a["size"] for a in liushi.json("attachments")] == [1_480]


def test_a_disk_filling_up_during_the_copy_is_one_line_and_leaves_nothing(
    liushi: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assetreg.store import files

    class Full:
        """The stored copy's file: the first block goes in, the second finds the disk full."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            self.inner = open(*args, **kwargs)  # type: ignore[call-overload]  # noqa: SIM115
            self.blocks = 0

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.inner.close()

        def fileno(self) -> int:
            return int(self.inner.fileno())

        def write(self, data: bytes) -> int:
            self.blocks += 1
            if self.blocks > 1:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return int(self.inner.write(data))

    scan = write(tmp_path / "scan.tif", b"s" * (3 << 20))  # 3 MiB: three 1 MiB blocks, the second fails
    before = liushi.registry.read_bytes()
    monkeypatch.setattr(files, "open", Full, raising=False)
    stderr = liushi.refused("attach", "A0001", str(scan))
    monkeypatch.undo()
    assert stderr == f"error: FILE '{scan}': the disk is full; nothing was stored\n"
    assert stored_files(liushi) == []  # neither a hash-named file nor the temporary one
    assert liushi.registry.read_bytes() == before and liushi.json("attachments") == []


def test_prune_follows_no_symbolic_link(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("settings", "set", "backups_kept", "0")  # no kept backup names a file
    liushi.ok("attach", "A0001", str(write(tmp_path / "a.jpg", PHOTO)))  # F1: 1,480 bytes
    liushi.ok("attach", "A0002", str(write(tmp_path / "b.pdf", LETTER)))  # F2: 330 bytes
    liushi.ok("attachment", "remove", "F1", "--force")
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = write(outside / "deed.pdf", b"the only copy of the deed")
    folder = files_folder(liushi)
    # links put in the files folder: a two-letter folder, a hash-named file, a temporary-looking file
    (folder / "ee").symlink_to(outside, target_is_directory=True)
    (folder / sha(LETTER)[:2] / ("f" * 62)).symlink_to(victim)
    (folder / "tmp-123-abc").symlink_to(victim)
    # only F1's stored content is unreferenced: exactly its 1,480 bytes are freed, one file
    assert "Pruned 1 files, 1480 bytes freed." in liushi.ok("attachment", "prune").stderr
    assert victim.read_bytes() == b"the only copy of the deed" and sorted(p.name for p in outside.iterdir()) == ["deed.pdf"]
    assert (folder / "ee").is_symlink() and (folder / "tmp-123-abc").is_symlink()  # left alone, not followed
    assert (folder / sha(LETTER)[:2] / sha(LETTER)[2:]).read_bytes() == LETTER  # F2's file kept
    assert liushi.run("verify").exit_code == 0


def test_prune_refuses_a_files_folder_that_is_a_link(liushi: Cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "ab").mkdir(parents=True)
    write(elsewhere / "ab" / ("c" * 62), b"someone else's file")
    files_folder(liushi).symlink_to(elsewhere, target_is_directory=True)
    stderr = liushi.refused("attachment", "prune")
    assert "is a symbolic link" in stderr and stderr.count("\n") == 1
    assert (elsewhere / "ab" / ("c" * 62)).read_bytes() == b"someone else's file"


def test_save_writes_a_temporary_file_flushed_to_disk_then_puts_it_in_place(
    liushi: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assetreg.store import files

    liushi.ok("attach", "A0001", str(write(tmp_path / "a.jpg", PHOTO)))
    target = tmp_path / "back.jpg"
    flushed: list[tuple[str, bool]] = []
    real_fsync = os.fsync

    def watched(fd: int) -> None:
        flushed.append((os.readlink(f"/proc/self/fd/{fd}"), target.exists()))
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", watched)
    liushi.ok("attachment", "save", "F1", "--output", str(target))
    monkeypatch.undo()
    assert target.read_bytes() == PHOTO
    # the bytes were flushed under a temporary name while back.jpg did not exist yet, then its folder
    written = [(Path(p).name, there) for p, there in flushed if Path(p).name.startswith(".back.jpg.tmp.")]
    assert len(written) == 1 and written[0][1] is False
    assert (str(tmp_path), True) in flushed
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".back")) == []  # no temporary file left
    # a file that appears at the target after save's check is not overwritten
    write(target, b"a newer file")
    with pytest.raises(files.InvalidValue, match="already exists"):
        files.copy_out(files_folder(liushi), sha(PHOTO), target)
    assert target.read_bytes() == b"a newer file"


def test_show_of_every_record_lists_its_files_and_json_carries_them(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("lease", "add", "--asset", "A0002", "--tenant", "温州鞋业", "--start", "2005-01-01", "--end", "2007-12-31",
              "--rent", "2000", "--period", "monthly")  # fmt: skip
    liushi.ok("clearance", "open", "--as-of", "2004-12-31", "--name", "2004年度资产清查")
    records = {"member": "M001", "asset": "A0002", "lease": "L0001", "incident": "I0001", "clearance": "C001"}
    for number, (kind, record) in enumerate(records.items(), start=1):
        liushi.ok("attach", record, str(write(tmp_path / f"{kind}.pdf", LETTER + kind.encode())), "--kind", "scan")
        data = LETTER + kind.encode()  # 330 bytes and the kind's name: 336 for member, 335 for asset, …
        expected = {
            "ref": f"F{number}",
            "record": record,
            "event": None,
            "action": None,
            "kind": "scan",
            "name": f"{kind}.pdf",
            "size": 330 + len(kind),
            "sha256": sha(data),
            "date": "2005-03-15",
            "note": None,
        }
        assert liushi.json(kind, "show", record)["attachments"] == [expected], kind
        shown = liushi.ok(kind, "show", record).stdout
        assert f"{kind}.pdf" in shown and sha(data)[:12] in shown and f"F{number}" in shown, kind
    # a record with none has an empty list; --as-of a day before the files were attached lists none
    assert liushi.json("asset", "show", "A0003")["attachments"] == []
    assert liushi.json("asset", "show", "A0002", "--as-of", "2005-03-14")["attachments"] == []


def test_incident_show_lists_each_file_beside_its_action(liushi: Cli, tmp_path: Path) -> None:
    # the fixture's incident has one action (mediation, 2005-01-10); a second on 2005-02-01 comes with the letter
    liushi.ok("incident", "act", "I0001", "--date", "2005-02-01", "--note", "村委会来函",
              "--attach", str(write(tmp_path / "来函.pdf", LETTER)))  # fmt: skip
    liushi.ok("attach", "I0001", str(write(tmp_path / "调解记录.jpg", PHOTO)), "--action", "1")
    shown = liushi.ok("incident", "show", "I0001").stdout
    # the timeline: occurred, reported, action 1 (mediation: F2), action 2 (the letter: F1)
    lines = shown.splitlines()
    mediation = next(line for line in lines if "2005-01-10" in line)
    letter = next(line for line in lines if "2005-02-01" in line and "村委会来函" in line)
    assert f"F2 调解记录.jpg {sha(PHOTO)[:12]}" in mediation
    assert f"F1 来函.pdf {sha(LETTER)[:12]}" in letter and "F2" not in letter
    occurred = next(line for line in lines if "2004-12-20" in line)
    assert "F1" not in occurred and "F2" not in occurred
    assert [(a["ref"], a["action"]) for a in liushi.json("incident", "show", "I0001")["attachments"]] == [("F1", 2), ("F2", 1)]


def test_the_clearance_document_marks_its_own_missing_file_in_the_reader_s_language(liushi: Cli, tmp_path: Path) -> None:
    liushi.ok("clearance", "open", "--as-of", "2004-12-31", "--name", "2004年度资产清查")
    liushi.ok("clearance", "check", "C001", "A0003", "--result", "missing", "--date", "2005-01-11")
    liushi.ok("attach", "A0003", str(write(tmp_path / "现场照片.jpg", PHOTO)))  # F1, on the shortfall's asset
    liushi.ok("attach", "C001", str(write(tmp_path / "清查纪要.pdf", LETTER)))  # F2, the clearance's own
    assert "MISSING" not in liushi.ok("report", "clearance", "C001", "--format", "md").stdout
    (files_folder(liushi) / sha(LETTER)[:2] / sha(LETTER)[2:]).unlink()
    changed = files_folder(liushi) / sha(PHOTO)[:2] / sha(PHOTO)[2:]
    changed.chmod(0o644)
    changed.write_bytes(b"another photo")
    english = liushi.ok("report", "clearance", "C001", "--format", "html").stdout
    assert f"F1 现场照片.jpg {sha(PHOTO)[:12]} [CHANGED (hash differs)]" in english
    assert english.count("MISSING") == 1  # F2, the clearance's own, in its row of the files section
    chinese = liushi.ok("report", "clearance", "C001", "--format", "html", env={"ASSETREG_LANG": "zh"}).stdout
    assert "MISSING" not in chinese and "CHANGED" not in chinese
    assert f"F1 现场照片.jpg {sha(PHOTO)[:12]} [已被改动（哈希不符）]" in chinese  # the catalogue's words
    assert chinese.count("缺失") == 1 and "清查纪要.pdf" in chinese.split("缺失")[0].rsplit("<tr>", 1)[-1]
    judgment = b"judgment of 2005"
    liushi.ok("attach", "I0001", str(write(tmp_path / "判决书.pdf", judgment)))  # F3, on the incident
    (files_folder(liushi) / sha(judgment)[:2] / sha(judgment)[2:]).unlink()
    incidents = liushi.ok("report", "incidents", "--year", "2005", "--format", "html", env={"ASSETREG_LANG": "zh"}).stdout
    assert "MISSING" not in incidents
    assert f"F3 判决书.pdf {sha(judgment)[:12]} [缺失]" in incidents


def test_an_unreadable_file_is_refused_in_one_line_and_leaves_no_trace(
    liushi: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assetreg.store import files

    secret = write(tmp_path / "secret.pdf", LETTER)
    if os.geteuid() != 0:  # a real unreadable file where permissions hold; as root they do not, so the open is refused
        secret.chmod(0)
    real_open = os.open

    def denied(path: object, *args: object, **kwargs: object) -> int:
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "open", denied)
    before = liushi.registry.read_bytes()
    stderr = liushi.refused("attach", "A0001", str(secret))
    monkeypatch.undo()
    assert stderr == f"error: FILE '{secret}': cannot be read (Permission denied)\n"
    assert stored_files(liushi) == [] and liushi.registry.read_bytes() == before


def test_refused_in_the_middle_of_several_files_leaves_none_of_them(liushi: Cli, tmp_path: Path) -> None:
    # the first file is fine, the second a folder: every file is checked before any is copied
    first = write(tmp_path / "a.jpg", PHOTO)
    stderr = liushi.refused("attach", "A0001", str(first), str(tmp_path))
    assert "is a folder, not a file" in stderr
    assert stored_files(liushi) == [] and liushi.json("attachments") == []


def test_a_large_copy_reports_its_progress_block_by_block(tmp_path: Path) -> None:
    from assetreg.store import files

    scan = write(tmp_path / "scan.tif", b"s" * ((3 << 20) + 5))  # 3 MiB and 5 bytes: three whole 1 MiB blocks, then 5
    told: list[int] = []
    sha256, size = files.store(tmp_path / "registry.json.files", scan, 10 << 20, progress=told.append)
    assert told == [1 << 20, 1 << 20, 1 << 20, 5] and size == sum(told) == 3_145_733
    assert sha256 == sha(scan.read_bytes())


def test_a_link_in_place_of_a_stored_file_is_a_changed_file(liushi: Cli, tmp_path: Path) -> None:
    """A symbolic link is not the file that was kept, even to the very same bytes: verify names it as changed,
    save refuses it, and attaching the original again puts the file itself back."""
    liushi.ok("attach", "A0001", str(write(tmp_path / "a.jpg", PHOTO)))
    stored = files_folder(liushi) / sha(PHOTO)[:2] / sha(PHOTO)[2:]
    elsewhere = write(tmp_path / "copy.jpg", PHOTO)
    stored.chmod(0o644)
    stored.unlink()
    stored.symlink_to(elsewhere)
    result = liushi.run("verify", "--json")
    assert result.exit_code == 1
    problems = [p for p in __import__("json").loads(result.stdout)["problems"] if p.startswith("attachment")]
    assert problems == [f"attachment F1 (A0001 a.jpg, sha256 {sha(PHOTO)[:12]}): its stored file was changed (the hash differs)"]
    assert "missing or changed" in liushi.refused("attachment", "save", "F1", "--output", str(tmp_path / "x"))
    liushi.ok("attach", "A0001", str(tmp_path / "a.jpg"))
    assert not stored.is_symlink() and stored.read_bytes() == PHOTO and elsewhere.read_bytes() == PHOTO
    assert liushi.run("verify").exit_code == 0
