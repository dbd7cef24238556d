"""The writers' queue and lock: writers go in the order they asked; readers never wait."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from assetreg.core.errors import BrokenRegistry, Conflict
from assetreg.i18n import N_, _
from assetreg.store.atomic import folder_beside, open_beside, write_failed
from assetreg.store.journal import os_user


def lock_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("ASSETREG_LOCK_TIMEOUT", "60")))
    except ValueError:
        return 60.0


def _tickets(queue: Path) -> list[int]:
    return [int(name) for name in os.listdir(queue) if name.isdigit()]


class _Ticket:
    """A writer's place in the queue: `<file>.queue/<number>`, flock-held while the writer waits and
    writes. A number is one more than any ticket there, handed out under a short lock on the folder,
    so numbers follow the order in which writers asked."""

    def __init__(self, path: Path) -> None:
        self.queue = path.with_name(path.name + ".queue")
        folder = folder_beside(self.queue)
        try:
            fcntl.flock(folder, fcntl.LOCK_EX)
            self.number = max(_tickets(self.queue), default=0) + 1
            self.file = self.queue / f"{self.number:012d}"
            self.fd = open_beside(self.file, os.O_RDWR | os.O_CREAT)
            fcntl.flock(self.fd, fcntl.LOCK_EX)  # taken before the folder is released: nobody sees it unheld
        finally:
            os.close(folder)

    def wait_for_turn(self) -> None:
        """Blocks on the nearest earlier ticket until none is left; a ticket whose writer finished or
        died (the kernel drops its flock) is removed by whoever finds it free."""
        while True:
            earlier = [n for n in _tickets(self.queue) if n < self.number]
            if not earlier:
                return
            ahead = self.queue / f"{max(earlier):012d}"
            try:
                fd = open_beside(ahead, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_SH)
            finally:
                os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                ahead.unlink()

    def leave(self) -> None:
        with contextlib.suppress(OSError):
            self.file.unlink()
        os.close(self.fd)


class _Waiter(threading.Thread):
    """Queues for the lock and takes it with blocking calls, so that waiting writers go in the order
    they asked instead of polling or racing (a released flock wakes every waiter at once); a thread, so
    that the command can say who holds it and give up in time."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.lock_file = path.with_name(path.name + ".lock")
        self.ticket: _Ticket | None = None
        self.fd: int | None = None
        self.error: OSError | BrokenRegistry | None = None
        self.done = threading.Event()
        self.cancelled = False
        self.guard = threading.Lock()

    def run(self) -> None:
        try:
            ticket = _Ticket(self.path)
            with self.guard:
                self.ticket = ticket
            ticket.wait_for_turn()
            fd = open_beside(self.lock_file, os.O_RDWR | os.O_CREAT)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except (OSError, BrokenRegistry) as error:
            self.error = error
            self.done.set()
            return
        with self.guard:
            if self.cancelled:  # the command gave up meanwhile: let the next one have it
                os.close(fd)
                return
            self.fd = fd
            self.done.set()

    def leave(self) -> None:
        """Out of the queue: after the write, or when the command gave up waiting."""
        with self.guard:
            self.cancelled = True
            if self.fd is not None:
                os.close(self.fd)  # closing releases the lock
            if self.ticket is not None:
                self.ticket.leave()


def _holder(lock_file: Path) -> str:
    """Who holds the registry, as its lock file says (pid, user, command)."""
    try:
        fd = open_beside(lock_file, os.O_RDONLY)
        with os.fdopen(fd, "rb") as handle:
            pid, user, command = handle.read(4096).decode("utf-8", "replace").split("\t", 2)
    except (OSError, ValueError, BrokenRegistry):
        return _("another assetreg command")
    return _("pid {pid} (user {user}): {command}").format(pid=pid, user=user, command=command.strip())


def _take_lock(path: Path, command: str) -> _Waiter:
    """The writers' lock, in the order they asked for it; after two seconds a line says who holds
    it, and the command gives up after `ASSETREG_LOCK_TIMEOUT` seconds (60)."""
    waiter = _Waiter(path)
    waiter.start()
    timeout = lock_timeout()
    if not waiter.done.wait(min(2.0, timeout)):
        sys.stderr.write(_("waiting for the registry, held by {holder}").format(holder=_holder(waiter.lock_file)) + "\n")
        sys.stderr.flush()
        waiter.done.wait(max(0.0, timeout - 2.0))
    if waiter.fd is None:
        waiter.leave()
        if isinstance(waiter.error, BrokenRegistry):
            raise waiter.error
        if waiter.error is not None:
            raise write_failed(path, waiter.error)
        raise Conflict("registry", str(path), N_("is in use by {holder}; try again"), holder=_holder(waiter.lock_file))
    with contextlib.suppress(OSError):  # who holds it is for the others to read; a full disk may refuse it
        os.ftruncate(waiter.fd, 0)
        line = "\t".join([str(os.getpid()), os_user(), command]).replace("\n", " ")
        os.pwrite(waiter.fd, line.encode("utf-8", "replace"), 0)
    return waiter


@contextlib.contextmanager
def locked(path: Path, command: str = "") -> Iterator[None]:
    """Held by writers only: readers never wait (the file is replaced whole, never changed in place)."""
    waiter = _take_lock(path, command)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.ftruncate(waiter.fd, 0)  # type: ignore[arg-type]
        waiter.leave()
