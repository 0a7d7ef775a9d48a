"""Where a problem in a scheme file is: its place (``ratings.items[3].id``) and YAML line.

:class:`Checker` raises a ``SchemeError`` naming the file, the place and, when the reader
recorded it, the line of the nearest enclosing node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NoReturn

from vfa.errors import SchemeError

PathPart = str | int
Lines = Mapping[tuple[PathPart, ...], int]


def place_text(path: Sequence[PathPart]) -> str:
    """``("ratings", "items", 3, "id")`` -> ``ratings.items[3].id``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class Checker:
    """The file and YAML lines of one scheme, and the refusals that name them."""

    def __init__(self, source_file: str, lines: Lines | None) -> None:
        self.file = source_file
        self.lines = lines or {}

    def line(self, path: tuple[PathPart, ...]) -> int | None:
        """The YAML line of the path, or of its nearest enclosing node that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def fail(self, path: tuple[PathPart, ...], reason: str) -> NoReturn:
        """Raise the SchemeError for the place."""
        raise SchemeError(self.file, place_text(path), reason, self.line(path))

    def unique(self, path: tuple[PathPart, ...], field: str, values: Iterable[str]) -> None:
        """Fail at the second of two equal values (compared case-insensitively)."""
        seen: dict[str, int] = {}
        for i, value in enumerate(values):
            key = value.casefold()
            if key in seen:
                self.fail(
                    (*path, i, field),
                    f"duplicate {field} {value!r} (also {place_text((*path, seen[key]))})",
                )
            seen[key] = i
