"""Typed errors with messages a clinician can act on.

The GUI shows ``str(error)`` in the window; the CLI prints it to stderr and exits 2.
"""

from __future__ import annotations

import datetime as dt


class VfaError(Exception):
    """Base of every error VFA reports to its user."""


class MediaError(VfaError):
    """A video file is missing, unreadable, corrupt or not a video."""


class WorkspaceError(VfaError):
    """A workspace cannot be opened, migrated or written."""


class ReadOnlyWorkspaceError(WorkspaceError):
    """A change was asked of a workspace that is open for reading only."""


class NewerWorkspaceError(WorkspaceError):
    """The workspace was written by a newer VFA than this one."""


class PassphraseError(WorkspaceError):
    """An encrypted workspace was opened without its passphrase, or with a wrong one."""


class PassphraseNeededError(PassphraseError):
    """The workspace file is encrypted (or not a workspace) and no passphrase was given."""


class WrongPassphraseError(PassphraseError):
    """The passphrase given does not open the workspace file."""


class NotFoundError(VfaError):
    """A case, session, clip or other record does not exist."""


class InvalidInputError(VfaError):
    """A value given by the user is not acceptable."""


class SchemeError(VfaError):
    """A coding scheme file is malformed or contradicts itself."""

    def __init__(self, file: str, place: str, reason: str, line: int | None = None) -> None:
        self.file = file
        self.place = place
        self.reason = reason
        self.line = line
        where = (
            f"{place} (line {line})"
            if place and line
            else place or (f"line {line}" if line else "")
        )
        super().__init__(f"{file}: {where}: {reason}" if where else f"{file}: {reason}")

    def __reduce__(self) -> tuple[type[SchemeError], tuple[str, str, str, int | None]]:
        return (type(self), (self.file, self.place, self.reason, self.line))


class FormatError(VfaError):
    """Another tool's file cannot be read or written: the file, the place and the reason."""

    def __init__(self, file: str, place: str, reason: str) -> None:
        self.file = file
        self.place = place
        self.reason = reason
        super().__init__(f"{file}: {place}: {reason}" if place else f"{file}: {reason}")

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, str, str]]:
        return (type(self), (self.file, self.place, self.reason))


class RefusedByServerError(InvalidInputError):
    """The database server refused an act: the login's role does not allow it."""


class StaleEditError(InvalidInputError):
    """An edit was made on a copy someone has changed since: who changed it and when;
    nothing was stored, and the view reloads."""

    def __init__(
        self,
        message: str,
        key: tuple[object, ...] = (),
        by: str | None = None,
        at: dt.datetime | None = None,
        yours: bool = False,
        gone: bool = False,
    ) -> None:
        super().__init__(message)
        self.key = key  # what was stale: ("event", id), ("moment", id), ("rating", run, item)…
        # who changed it last (None: not known) and when (UTC), whether that was the
        # same person elsewhere (another window, a command), and whether it was deleted:
        # for a window to say it in its own words
        self.by, self.at, self.yours, self.gone = by, at, yours, gone

    def __reduce__(self) -> tuple[type[StaleEditError], tuple[object, ...]]:
        return (type(self), (str(self), self.key, self.by, self.at, self.yours, self.gone))
