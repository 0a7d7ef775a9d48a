"""Typed errors with messages a clinician can act on.

The GUI shows ``str(error)`` in the window; the CLI prints it to stderr and exits 2.
"""

from __future__ import annotations


class VfaError(Exception):
    """Base of every error VFA reports to its user."""


class MediaError(VfaError):
    """A video file is missing, unreadable, corrupt or not a video."""


class WorkspaceError(VfaError):
    """A workspace cannot be opened, migrated or written."""


class NewerWorkspaceError(WorkspaceError):
    """The workspace was written by a newer VFA than this one."""


class NotFoundError(VfaError):
    """A case, session, clip or other record does not exist."""


class InvalidInputError(VfaError):
    """A value given by the user is not acceptable."""
