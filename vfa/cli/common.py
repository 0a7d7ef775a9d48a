"""What every ``vfa`` subcommand shares: the workspace it works on, how it prints, ``--force``.

The area modules (clips, schemes, feedback, …) import these from here, never from the
package's ``__init__``, so no module of the command line imports its parent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from vfa.errors import InvalidInputError, VfaError

if TYPE_CHECKING:
    from vfa.domain.schemes import Scheme
    from vfa.services.schemes import SchemeLibrary
    from vfa.storage.workspace import Workspace


def emit(args: argparse.Namespace, data: Any, text: Callable[[Any], str]) -> None:
    """Print ``data`` as JSON with ``--json``, else as ``text(data)``."""
    if getattr(args, "json", False):
        # never a bare NaN or Infinity: an undefined value is null
        print(json.dumps(data, indent=1, default=str, allow_nan=False))
    else:
        print(text(data))


def emit_rows(
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
    line: Callable[[dict[str, Any]], str],
    none: str,
) -> None:
    """Print ``rows`` as a JSON list with ``--json``, else a ``line`` a row (``none`` if none)."""
    emit(args, rows, lambda d: "\n".join(map(line, d)) or none)


@contextlib.contextmanager
def open_workspace(
    args: argparse.Namespace,
    *,
    read_only: bool = False,
    daily_backup: bool = True,
    opener: Callable[[], Workspace] | None = None,
) -> Iterator[Workspace]:
    """The command's workspace (``--workspace``, else the user's), closed when the block ends.

    Opened for writing unless ``read_only``; a writable one gets the daily backup a window
    user gets (a backup that cannot be made is a warning, never a stop). ``opener`` opens
    it another way (a new or the demo workspace), without the daily backup.
    """
    if opener is not None:
        ws = opener()
        daily_backup = False
    else:
        from vfa.services.workspaces import open_workspace as open_target

        ws = open_target(args.workspace, read_only=read_only)
    try:
        _check_claim(args, ws)
        if daily_backup and not read_only:
            _backup_if_due(ws)
        yield ws
    finally:
        ws.close()


def _check_claim(args: argparse.Namespace, ws: Workspace) -> None:
    """On a team workspace a person is who they log in as: ``--as`` someone else is refused."""
    claimed = getattr(args, "viewer", None)
    if ws.person is not None and claimed and claimed != ws.person:
        raise InvalidInputError(
            f"--as {claimed}: on the team workspace {ws.label} you are who you log in as, "
            f"and login {ws.login} is {ws.person}; to act as {claimed}, connect with "
            f"{claimed}'s own login"
        )


def _backup_if_due(ws: Workspace) -> None:
    from vfa.services.backups import DAILY, backup_if_due

    try:
        backup_if_due(ws, "daily", DAILY)  # a command-line user gets the daily backup too
    except VfaError as exc:  # a backup that cannot be made must not stop the work
        print(f"vfa: warning: {exc}", file=sys.stderr)


def has_workspace(args: argparse.Namespace) -> bool:
    """Whether a workspace was named with --workspace, or the user has one of their own."""
    if args.workspace is not None:
        return True
    from vfa.storage.engine import default_workspace_path

    return default_workspace_path().exists()


def scheme_library(args: argparse.Namespace) -> SchemeLibrary:
    """The scheme folders as this command reads them: once, when first needed, kept on
    ``args`` for the rest of the command (a command that needs no scheme reads none)."""
    found = vars(args).get("_scheme_library")
    if found is None:
        from vfa.services.schemes import SchemeLibrary

        found = SchemeLibrary()
        args._scheme_library = found
    return found


def load_scheme(args: argparse.Namespace, id_or_file: str) -> Scheme:
    """A scheme by id (see ``vfa schemes list``), or read from a scheme file."""
    from vfa.services.schemes import SUFFIXES, load_scheme_file

    if id_or_file.lower().endswith(SUFFIXES):
        return load_scheme_file(id_or_file)
    return scheme_library(args).get(id_or_file)


def add_force(p: argparse.ArgumentParser) -> None:
    """``--force``: the one way to let a writer replace an existing file."""
    p.add_argument(
        "--force", action="store_true", help="replace an existing file (never a link or device)"
    )


# what an area module's ``register`` is given: ``add`` makes a leaf command, ``group`` one
# with actions below it (see vfa.cli.parser)
Add = Callable[..., argparse.ArgumentParser]
Group = Callable[[str, str], Any]
