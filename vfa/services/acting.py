"""Who acts on an open workspace: on a team workspace (PostgreSQL, a person's own login)
the person the login is, whatever name the computer's user goes by; elsewhere the viewer
(``vfa.services.viewer``).

A service that opens a workspace itself asks here *after* opening it: before, the login
has not said who it is, and the viewer falls back to the settings' coder or the
operating system's login name (``root`` on a server), who is none of the team's people.
"""

from __future__ import annotations

from vfa.errors import InvalidInputError
from vfa.services.viewer import resolve
from vfa.storage.signed_in import signed_in
from vfa.storage.workspace import Workspace


def acting_person(ws: Workspace, viewer: str | None = None) -> str:
    """The person acting on ``ws`` (open): its login's person on a team workspace (a name
    given otherwise, as by ``--as``, is refused), else ``resolve(viewer)``."""
    claimed = resolve(viewer)
    if ws.person is None or claimed == ws.person:
        return claimed
    if not (viewer or "").strip() and claimed == signed_in():
        return ws.person  # another team workspace opened later speaks, not a claim
    raise InvalidInputError(
        f"--as {claimed}: on the team workspace {ws.label} you are who you log in as, and "
        f"login {ws.login} is {ws.person}; to act as {claimed}, connect with {claimed}'s own "
        "login; nothing was read or changed"
    )
