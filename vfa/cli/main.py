"""``vfa``: run one subcommand, or the desktop app, and turn refusals into ``vfa: …`` and exit 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from vfa.cli.parser import build_parser
from vfa.cli.workspace import cmd_gui, opens_window
from vfa.errors import InvalidInputError, VfaError
from vfa.storage.locations import is_memory_url
from vfa.storage.passphrases import (
    Passphrase,
    giving,
    read_passphrase_file,
    readable_by_others,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the command line) and run it; the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if opens_window(args) and args.viewer:
        return _fail(
            "--as is for the batch commands; the window's coder is the Coder in File → Settings…"
        )
    try:
        secret = _passphrase(args)
    except VfaError as exc:
        return _fail(str(exc))
    with giving(secret):  # --passphrase-file holds for the whole command (or window)
        if args.command is None:
            return cmd_gui(args)
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from vfa.services.viewer import viewing_as

    try:
        _check_options(args)
        with viewing_as(args.viewer):  # --as holds for the whole command
            return int(args.func(args))
    except VfaError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # `vfa … | head` stopped reading: not an error of VFA's
        sys.stderr.close()
        return 0
    except OSError as exc:  # a file given on the command line: a symlink loop, a device …
        where = exc.filename if exc.filename is not None else "file"
        return _fail(f"{where}: {exc.strerror or exc}")
    except ValueError as exc:
        return _fail(str(exc))
    except Exception as exc:
        # imported here: `vfa` opens its window before the database layer is loaded
        from sqlalchemy.exc import DatabaseError

        if not isinstance(exc, DatabaseError):
            raise
        return _fail(f"the workspace could not be used ({getattr(exc, 'orig', None) or exc})")


def _check_options(args: argparse.Namespace) -> None:
    """Options every command takes: a person's name, a workspace that keeps what it is given."""
    from vfa.domain.text_fields import single_line

    if args.viewer is not None:
        args.viewer = single_line(args.viewer, "--as", 128, example="Ann")
    target = getattr(args, "workspace", None) or getattr(args, "target", None)
    if isinstance(target, str) and is_memory_url(target):
        raise InvalidInputError(
            f"--workspace {target}: an in-memory database keeps nothing after the command; "
            "give a workspace file or a PostgreSQL URL"
        )


def _passphrase(args: argparse.Namespace) -> Passphrase | None:
    """The passphrase of ``--passphrase-file``, read once (None when not given); a file
    that others can read is used, with a warning."""
    path = getattr(args, "passphrase_file", None)
    if path is None:
        return None
    secret = read_passphrase_file(path)
    if readable_by_others(path):
        print(
            f"vfa: warning: {path} can be read by other users; keep a passphrase file to "
            f"yourself (chmod 600 {path})",
            file=sys.stderr,
        )
    return secret


def _fail(message: str) -> int:
    print(f"vfa: {message}", file=sys.stderr)
    return 2
