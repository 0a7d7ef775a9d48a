"""The cells of VFA's CSV files: formula guard, quoting and the ``modifiers`` cell.

A cell a spreadsheet would run as a formula is written with a leading apostrophe
(:func:`safe_cell`), which :func:`plain_cell` takes off again. Modifiers are ``key=value``
pairs joined by ``;``; a ``\\``, ``;`` or ``=`` inside a key or value is escaped with ``\\``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from vfa import outputs

LINE_END = "\n"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# a plain number: a cell starting with "+" or "-" that is one is no formula
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_ESCAPE = str.maketrans({"\\": "\\\\", ";": "\\;", "=": "\\="})


def safe_cell(value: Any) -> Any:
    """A cell as a spreadsheet shows it, never runs it (``vfa.outputs.safe_cell``)."""
    return outputs.safe_cell(value)


_QUOTE = re.compile(r'[,"\r\n]')


def csv_text(value: Any) -> str:
    """A value as it stands in a line of VFA's CSV: neutralised, then quoted where the
    csv module would quote it (a comma, a quote or a line break inside)."""
    text = str(outputs.safe_cell(value))
    if _QUOTE.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(values: Sequence[Any]) -> str:
    """One line of VFA's CSV, as ``writer(stream).writerow(map(safe_cell, values))``."""
    return ",".join(map(csv_text, values)) + LINE_END


def plain_cell(text: str) -> str:
    """A cell as it was before ``safe_cell``: the apostrophe it added taken off."""
    if text.startswith("'"):
        rest = text[1:]
        first = rest.lstrip(" ")[:1]
        if first and first in _FORMULA_START and not NUMBER.match(rest.strip(" ")):
            return rest
    return text


def format_modifiers(modifiers: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> str:
    """``key=value;key=value``, with ``\\ ; =`` escaped; a list value gives one pair each."""
    pairs = modifiers.items() if isinstance(modifiers, Mapping) else modifiers
    out = []
    for key, value in pairs:
        values = value if isinstance(value, list | tuple) else [value]
        for one in values:
            text = "" if one is None else str(one)
            out.append(f"{str(key).translate(_ESCAPE)}={text.translate(_ESCAPE)}")
    return ";".join(out)


def parse_modifiers(text: str) -> tuple[tuple[str, str], ...]:
    """The pairs of a ``modifiers`` cell; ValueError names what is wrong."""
    if not text:
        return ()
    pairs: list[tuple[str, str]] = []
    key: str | None = None
    current: list[str] = []
    chars = iter(text)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, None)
            if nxt is None:
                raise ValueError("ends with a lone '\\'")
            current.append(nxt)
        elif ch == "=" and key is None:
            key, current = "".join(current), []
        elif ch == ";":
            if key is None:
                raise ValueError(f"{''.join(current)!r} has no '=value'")
            pairs.append((key, "".join(current)))
            key, current = None, []
        else:
            current.append(ch)
    if key is None:
        raise ValueError(f"{''.join(current)!r} has no '=value'")
    pairs.append((key, "".join(current)))
    if any(not k for k, _ in pairs):
        raise ValueError("a modifier has no name before '='")
    return tuple(pairs)


def writer(stream: Any) -> Any:
    """A csv writer for VFA's CSV files (newline as line end, minimal quoting)."""
    return csv.writer(stream, lineterminator=LINE_END)
