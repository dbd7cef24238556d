"""Writing a file so that a crash leaves either the old or the new one."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path

from assetreg.core.errors import BrokenRegistry, InvalidValue
from assetreg.i18n import N_


def linked(path: Path) -> BrokenRegistry:
    return BrokenRegistry(path, N_("is a symbolic link; assetreg follows no link beside the registry"))


def no_link(path: Path) -> Path:
    """`path`, refused when it is a symbolic link: nothing beside the registry is followed through one."""
    if path.is_symlink():
        raise linked(path)
    return path


def open_beside(path: Path, flags: int, mode: int = 0o644) -> int:
    """`os.open` of a file or folder beside the registry, refusing a symbolic link in its place (the
    check and the open are one call: no moment for a link to be put there between them)."""
    try:
        return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    except OSError as error:
        if error.errno == errno.ELOOP or (error.errno == errno.ENOTDIR and path.is_symlink()):
            raise linked(path) from None
        raise


def folder_beside(folder: Path, *, create: bool = True) -> int:
    """A folder beside the registry (backups, queue), made when missing, opened without following a link."""
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder)
    return open_beside(folder, os.O_RDONLY | os.O_DIRECTORY)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    """Write `data` (or its pieces, as they come) to `path` so that a crash leaves either the old or
    the new file."""
    atomic_write_all([(path, data)])


def atomic_write_all(files: Sequence[tuple[Path, bytes | Iterable[bytes | memoryview]]]) -> None:
    """Write several files whole or not at all: each is written and synced under a temporary name
    first, and only when every one is (a full disk stops the third of six), all are renamed into place.
    A failure leaves no temporary file and none of the new files."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            tmp = path.with_name(f".{path.name}.tmp.{os.getpid()}.{secrets.token_hex(4)}")
            staged.append((tmp, path))
            with open(tmp, "xb") as handle:
                for piece in [data] if isinstance(data, bytes) else data:
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _path in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    for folder in {path.parent for _tmp, path in staged}:
        fsync_dir(folder)


def output_failed(path: Path, error: OSError) -> InvalidValue:
    """A document or export that could not be written (a full disk, a folder not writable): one line."""
    reason = N_("cannot be written: {error}; nothing was written")
    return InvalidValue("--output", str(path), reason, error=error.strerror or str(error))


def write_failed(path: Path, error: OSError) -> BrokenRegistry:
    return BrokenRegistry(path, N_("cannot be written: {error}; nothing was changed"), error=error.strerror or str(error))
