"""The ``vfa`` command: the GUI launcher and batch subcommands over the services.

One module an area (clips, schemes, workspace, feedback, reliability, data, exchange), each
with a ``register(add, group)`` for its commands; ``parser`` puts them together, ``main``
runs one, ``common`` holds what they share (``open_workspace``, ``emit``), ``types`` the
argument types. A module here imports its siblings, never this package's ``__init__``.
"""

from vfa.cli.main import main
from vfa.cli.parser import build_parser

__all__ = ["build_parser", "main"]
