"""Writing a file so that a crash leaves either the old or the new one."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from assetreg.core.errors import BrokenRegistry
from assetreg.i18n import N_


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes | Iterable[bytes | memoryview]) -> None:
    """Write `data` (or its pieces, as they come) to `path` so that a crash leaves either the old or
    the new file."""
    tmp = path.with_name(f".{path.name}.tmp.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        with open(tmp, "xb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(path.parent)


def write_failed(path: Path, error: OSError) -> BrokenRegistry:
    return BrokenRegistry(path, N_("cannot be written: {error}; nothing was changed"), error=error.strerror or str(error))
