"""The ``vfa`` argument parser: the options every command takes, and each area's commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from vfa.cli import (
    audit,
    clips,
    data,
    exchange,
    feedback,
    people,
    reliability,
    schemes,
    team,
    workspace,
)
from vfa.cli import merge as merge_commands

AS_HELP = (
    "who you are: the coder name your coding is stored under and what you may see of "
    "blind coding is decided for (default: the Coder in File → Settings…, else your login "
    "name)"
)
WORKSPACE_HELP = "a workspace file or SQLAlchemy URL (default: your workspace)"
PASSPHRASE_HELP = (
    "an encrypted workspace's passphrase: the first line of FILE (else $VFA_PASSPHRASE)"
)


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``vfa``: bare, it opens the desktop app; each subcommand sets ``func``."""
    parser = argparse.ArgumentParser(
        prog="vfa", description="Video Feedback Annotator. Without a subcommand: the desktop app."
    )
    # Options every command takes, before or after the subcommand. Below the top level their
    # default is SUPPRESS, so an option given before the subcommand is not reset by the
    # subcommand's parser.
    parser.add_argument("--workspace", metavar="PATH_OR_URL", default=None, help=WORKSPACE_HELP)
    parser.add_argument("--json", action="store_true", default=False, help=argparse.SUPPRESS)
    parser.add_argument("--as", dest="viewer", metavar="NAME", default=None, help=AS_HELP)
    parser.add_argument("--passphrase-file", metavar="FILE", default=None, help=PASSPHRASE_HELP)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--workspace", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=WORKSPACE_HELP
    )
    common.add_argument(
        "--as", dest="viewer", metavar="NAME", default=argparse.SUPPRESS, help=AS_HELP
    )
    common.add_argument(
        "--passphrase-file", metavar="FILE", default=argparse.SUPPRESS, help=PASSPHRASE_HELP
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str,
        func: Callable[[argparse.Namespace], int],
        help_: str,
        parent: Any = sub,
        json_out: bool = True,
    ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, parents=[common], help=help_, description=help_)
        if json_out:
            p.add_argument(
                "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
            )
        p.set_defaults(func=func)
        return p

    def group(name: str, help_: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_, description=help_)

    # in the order `vfa --help` lists them
    clips.register_video(add)
    workspace.register_app(add)
    clips.register(add, group)
    schemes.register(add, group)
    feedback.register(add, group)
    reliability.register(add, group)
    data.register(add, group)
    exchange.register(add, group)
    audit.register(add, group)
    merge_commands.register(add, group)
    workspace.register(add, group)
    people.register(add, group)
    team.register(add, group)
    return parser
