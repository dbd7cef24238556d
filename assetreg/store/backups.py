"""Kept versions of the registry (`<file>.backups/`): hard links staged before a write, named after it.

The folder is opened once, refusing a symbolic link in its place, and every name in it is made,
renamed and removed through that open folder: rotation never deletes files somewhere else."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from assetreg.core.errors import BrokenRegistry
from assetreg.store.atomic import folder_beside, no_link, open_beside


def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def backups(path: Path) -> list[Path]:
    """Kept versions, newest first."""
    folder = no_link(backup_dir(path))
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.suffix == ".json"), key=lambda p: p.name, reverse=True)


def read_backup(backup: Path) -> bytes:
    """A kept version's bytes, refusing a link in the folder or in its place."""
    no_link(backup.parent)
    with os.fdopen(open_beside(backup, os.O_RDONLY), "rb") as handle:
        return handle.read()


def stage_backup(path: Path, kept: int) -> Path | None:
    """The current file, about to be replaced, kept under a temporary name in the backups folder (a
    hard link: no copy, whatever its size); `keep_backup` names it once the write has happened."""
    if kept <= 0 or not path.exists():
        return None
    folder = backup_dir(path)
    fd = folder_beside(folder)
    staged = folder / f".staged.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        try:
            os.link(path, staged.name, dst_dir_fd=fd, follow_symlinks=False)
        except OSError:
            copy = open_beside(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            with os.fdopen(copy, "wb") as handle:
                handle.write(path.read_bytes())
                handle.flush()
                os.fsync(handle.fileno())
    finally:
        os.close(fd)
    return staged


def keep_backup(path: Path, staged: Path | None, kept: int, seq: int) -> None:
    """The version a write replaced becomes a backup, and the oldest beyond `kept` go. Only after a
    write that happened: a failed command keeps every backup as it was."""
    if staged is None:
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    with contextlib.suppress(OSError, BrokenRegistry):  # the write is done; a backup that cannot be named is no failure of it
        fd = folder_beside(staged.parent, create=False)
        try:
            os.rename(staged.name, f"{seq:08d}-{stamp}.json", src_dir_fd=fd, dst_dir_fd=fd)
            names = sorted((n for n in os.listdir(fd) if n.endswith(".json")), reverse=True)
            for old in names[kept:]:
                os.unlink(old, dir_fd=fd)
        finally:
            os.close(fd)
