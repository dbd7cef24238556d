"""Kept versions of the registry (`<file>.backups/`): hard links staged before a write, named after it."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from assetreg.store.atomic import atomic_write


def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def backups(path: Path) -> list[Path]:
    """Kept versions, newest first."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.suffix == ".json"), key=lambda p: p.name, reverse=True)


def stage_backup(path: Path, kept: int) -> Path | None:
    """The current file, about to be replaced, kept under a temporary name in the backups folder (a
    hard link: no copy, whatever its size); `keep_backup` names it once the write has happened."""
    if kept <= 0 or not path.exists():
        return None
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    staged = folder / f".staged.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        os.link(path, staged)
    except OSError:
        atomic_write(staged, path.read_bytes())
    return staged


def keep_backup(path: Path, staged: Path | None, kept: int, seq: int) -> None:
    """The version a write replaced becomes a backup, and the oldest beyond `kept` go. Only after a
    write that happened: a failed command keeps every backup as it was."""
    if staged is None:
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    with contextlib.suppress(OSError):  # the write is done; a backup that cannot be named is no failure of it
        staged.rename(staged.with_name(f"{seq:08d}-{stamp}.json"))
        for old in backups(path)[kept:]:
            old.unlink()
