"""Evidence files (附件) kept beside the registry under the SHA-256 of their content (compare git's
loose objects): `registry.json.files/ab/cdef…`.

A file is read once: each block is hashed and written to a temporary file in the files folder in the
same pass, the temporary file is flushed to disk and only then renamed to its hash, and the folder
flushed. A kill at any moment leaves no file or the whole file under a hash name, never part of one
(a leftover temporary file is named `tmp-…` and taken away by `attachment prune`). The stored name
never comes from the person's file name, and the original is only read.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from assetreg.core.errors import InvalidValue
from assetreg.i18n import N_
from assetreg.store.atomic import folder_beside, fsync_dir

BLOCK = 1 << 20
TEMP_PREFIX = "tmp-"
# Room kept free beyond the files themselves when attaching: the registry, its log and its backup are
# written after the files, and a disk filled to the last byte fails them instead.
SPACE_MARGIN = 16 << 20


def files_dir(registry: Path) -> Path:
    return registry.with_name(registry.name + ".files")


def stored_path(folder: Path, sha256: str) -> Path:
    return folder / sha256[:2] / sha256[2:]


def _opened(source: Path, option: str) -> int:
    """The person's file opened for reading, refused in one line when it is not a readable file."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)  # a pipe is refused below, not waited on
    except FileNotFoundError:
        raise InvalidValue(option, str(source), N_("no such file")) from None
    except IsADirectoryError:
        raise InvalidValue(option, str(source), N_("is a folder, not a file")) from None
    except OSError as error:
        raise InvalidValue(option, str(source), N_("cannot be read ({why})"), why=error.strerror or "") from None
    if stat.S_ISDIR(os.fstat(fd).st_mode):
        os.close(fd)
        raise InvalidValue(option, str(source), N_("is a folder, not a file"))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InvalidValue(option, str(source), N_("is not a regular file"))
    return fd


def check_source(source: Path, max_bytes: int, option: str = "FILE") -> int:
    """The size of a file that may be attached; refused when it is missing, a folder, unreadable or too big."""
    fd = _opened(source, option)
    try:
        size = os.fstat(fd).st_size
    finally:
        os.close(fd)
    if size > max_bytes:
        raise InvalidValue(
            option, str(source), N_("is {size} bytes, more than the {most} MB allowed (setting attachment_max_mb)"),
            size=size, most=max_bytes // (1 << 20),
        )  # fmt: skip
    return size


def check_space(folder: Path, size: int, named: str, option: str = "FILE") -> None:
    """Refused before anything is copied when the disk holding the files folder has not `size` bytes free
    and the margin besides (a file already stored is counted too: its hash is not known before it is read)."""
    where = folder if folder.exists() else folder.parent
    try:
        free = shutil.disk_usage(where).free
    except OSError:
        return  # cannot tell: the copy itself still stops cleanly on a full disk
    if free < size + SPACE_MARGIN:
        raise InvalidValue(
            option, named, N_("needs {need} bytes free on the registry's disk, which has {free}; nothing was stored"),
            need=size + SPACE_MARGIN, free=free,
        )  # fmt: skip


def store(
    folder: Path, source: Path, max_bytes: int, option: str = "FILE", progress: Callable[[int], None] | None = None
) -> tuple[str, int]:
    """Copy `source` into the files folder under its hash; (sha256, size). Already there: kept, not written again.
    `progress` is told each block's size as it is copied (a bar on a terminal)."""
    fd = _opened(source, option)
    os.close(folder_beside(folder))
    tmp = folder / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "rb", buffering=0) as src, open(tmp, "xb", buffering=0) as out:
            buffer = bytearray(BLOCK)
            view = memoryview(buffer)
            while True:
                count = src.readinto(buffer)
                if not count:
                    break
                size += count
                if size > max_bytes:
                    raise InvalidValue(
                        option, str(source), N_("is more than the {most} MB allowed (setting attachment_max_mb)"),
                        most=max_bytes // (1 << 20),
                    )  # fmt: skip
                digest.update(view[:count])
                out.write(view[:count])
                if progress is not None:
                    progress(count)
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = stored_path(folder, sha)
        if state(folder, sha) is None:
            tmp.unlink()  # the same content is stored once (a missing or changed copy is replaced: the repair)
        else:
            os.close(folder_beside(target.parent))
            os.chmod(tmp, 0o444)
            os.replace(tmp, target)
            fsync_dir(target.parent)
            fsync_dir(folder)
        return sha, size
    except OSError as error:
        raise _write_error(source, option, error) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _write_error(source: Path, option: str, error: OSError) -> InvalidValue:
    if error.errno == errno.ENOSPC:
        return InvalidValue(option, str(source), N_("the disk is full; nothing was stored"))
    return InvalidValue(option, str(source), N_("could not be stored ({why}); nothing was stored"), why=error.strerror or "")


def _open_stored(folder: Path, sha256: str) -> Any:
    """The stored file for reading; a symbolic link in its place is not followed (ELOOP): a link is not
    the file that was kept, whatever it points to."""
    return os.fdopen(os.open(stored_path(folder, sha256), os.O_RDONLY | os.O_NOFOLLOW), "rb", buffering=0)


def state(folder: Path, sha256: str) -> str | None:
    """None for a stored file with its hash; "missing" or "changed" otherwise (a link in its place: changed)."""
    try:
        with _open_stored(folder, sha256) as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        return "changed" if error.errno == errno.ELOOP else "missing"
    return None if digest == sha256 else "changed"


def present(folder: Path, sha256: str) -> bool:
    return stored_path(folder, sha256).is_file()


def copy_out(folder: Path, sha256: str, target: Path, *, replace: bool = False) -> None:
    """The stored file written to `target`, checked against its hash as it is copied: written to a temporary
    file beside it, flushed to disk, then put in place whole (a kill leaves no part of it under its name).
    `replace`: an existing `target` is replaced; otherwise it is refused even when it appeared meanwhile."""
    try:
        src = _open_stored(folder, sha256)  # closed below
    except OSError:
        raise InvalidValue("REF", sha256[:12], N_("its stored file is missing or changed; run verify")) from None
    tmp = target.with_name(f".{target.name}.tmp.{os.getpid()}.{secrets.token_hex(4)}")
    digest = hashlib.sha256()
    try:
        with src, open(tmp, "xb", buffering=0) as out:
            buffer = bytearray(BLOCK)
            view = memoryview(buffer)
            while count := src.readinto(buffer):
                digest.update(view[:count])
                out.write(view[:count])
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise InvalidValue("REF", sha256[:12], N_("its stored file is missing or changed; run verify"))
        _publish(tmp, target, replace)
        fsync_dir(target.parent)
    except FileExistsError:
        raise InvalidValue("--output", str(target), N_("already exists; nothing was written")) from None
    except OSError as error:
        raise InvalidValue("--output", str(target), N_("cannot be written ({why})"), why=error.strerror or "") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _publish(tmp: Path, target: Path, replace: bool) -> None:
    """`tmp` renamed to `target`; without `replace`, a hard link that fails when `target` exists (no moment
    in which another file there is overwritten), or, on a disk without hard links, a rename after a check."""
    if replace:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
            raise
        if target.exists() or target.is_symlink():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        os.replace(tmp, target)


def stored(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every stored file (hash, path), and leftover temporary files as ("", path). Only regular files are
    named, and no symbolic link is followed: a link put in the folder (to a file or a folder elsewhere)
    is neither a stored file nor a way to one, and is left alone."""
    try:
        fd = folder_beside(folder, create=False)  # the folder itself not through a link (as attach opens it)
    except (FileNotFoundError, NotADirectoryError):
        return
    os.close(fd)
    for entry in sorted(folder.iterdir()):
        mode = entry.lstat().st_mode
        if entry.name.startswith(TEMP_PREFIX):
            if stat.S_ISREG(mode):
                yield "", entry
        elif stat.S_ISDIR(mode) and len(entry.name) == 2:
            for item in sorted(entry.iterdir()):
                if stat.S_ISREG(item.lstat().st_mode):
                    yield entry.name + item.name, item


def prune(folder: Path, kept: Iterable[str]) -> tuple[int, int]:
    """Delete the stored files whose hash is not in `kept`, and leftover temporary files: (files, bytes
    freed: the sizes of the files deleted, each of which had no other name)."""
    wanted = set(kept)
    count = freed = 0
    for sha, path in stored(folder):
        if sha in wanted:
            continue
        facts = path.lstat()
        path.unlink()
        count += 1
        freed += facts.st_size if facts.st_nlink == 1 else 0  # a file with another name (a hard link) stays on disk
        if sha:
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # only when empty
    if count:
        fsync_dir(folder)
    return count, freed
