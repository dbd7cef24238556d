"""The errors a user can cause. Each names the field and the value it refuses.

Messages are gettext message ids (marked with `N_`); the CLI translates them.
"""

from __future__ import annotations

from assetreg.i18n import N_


class AssetregError(Exception):
    """Base of every error that is the user's to fix (exit code 1)."""

    template = N_("{field} {value}: {reason}")

    def __init__(self, field: str, value: object, reason: str, **params: object) -> None:
        super().__init__(f"{field} {value!r}: {reason}")
        self.field = field
        self.value = value
        self.reason = reason
        self.params = params

    def __reduce__(self) -> tuple[object, ...]:
        # A roll-up's worker sends its error back pickled; the default rebuilds it by calling __init__ with
        # the message alone, which fails in the pool's result thread and leaves the command waiting forever.
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(cls: type[AssetregError], args: tuple[object, ...], state: dict[str, object]) -> AssetregError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class InvalidValue(AssetregError):
    pass


class NotFound(AssetregError):
    """No record has this id or name; `like`: records whose names hold it, to say which was meant."""

    def __init__(self, field: str, value: object, like: str = "") -> None:
        if like:
            super().__init__(field, value, N_("no such record; did you mean: {like}"), like=like)
        else:
            super().__init__(field, value, N_("no such record"))


class Conflict(AssetregError):
    pass


class AlreadyRecorded(Conflict):
    """The same payment (lease, date, amount) is recorded already: `--again` records it once more, and a
    terminal asks "record it again?" instead of refusing."""


class BrokenRegistry(AssetregError):
    """The registry file cannot be trusted; it is left untouched."""

    def __init__(self, path: object, reason: str, **params: object) -> None:
        super().__init__("registry", str(path), reason, **params)


class MissingOptions(AssetregError):
    """Every required option not given, in one error (a terminal asks for them instead)."""

    template = N_("missing {value}: give them on the command line, or run at a terminal to be asked")

    def __init__(self, options: list[str]) -> None:
        super().__init__("options", ", ".join(options), "")


class NothingToChange(AssetregError):
    """An `edit` given no option to change, and no terminal to ask at: the options it takes, in one line."""

    template = N_("nothing to change: give one of {field}")

    def __init__(self, options: list[str]) -> None:
        super().__init__(", ".join(options), "", "")


class InterruptedAfterWrite(KeyboardInterrupt):
    """Ctrl-C arrived while the change was being written: the write was finished first, then this."""
