"""The texts VFA's code says to people, read from its source by the AST: every string
literal and f-string (adjacent literals joined, as Python joins them; an f-string's
placeholders as ``{}``) that is not a docstring, with the file and line it is on.

What a placeholder becomes is not known here: a text put together at run time is checked
where it is said (a test of the command or service that says it)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

VFA = Path(__file__).resolve().parents[1] / "vfa"
ARROW = "→"


@dataclass(frozen=True)
class Said:
    """A text of the code, and where it is."""

    path: Path
    line: int
    text: str

    def where(self) -> str:
        return f"{self.path.relative_to(VFA.parent)}:{self.line}"


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes (module, class, function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
            for v in node.values
        )
    return None


def texts(*areas: str) -> Iterator[Said]:
    """Every text said in these folders of ``vfa`` (all of it when none are named)."""
    folders = [VFA / a for a in areas] or [VFA]
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            skip = _docstrings(tree)
            parts = set()  # an f-string's constant parts are texts of their own node
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):
                    parts.update(id(v) for v in node.values)
            for node in ast.walk(tree):
                if id(node) in skip or id(node) in parts:
                    continue
                text = _text(node)
                if text:
                    yield Said(path, getattr(node, "lineno", 0), text)


# a word said twice ("the the", "with with", "a a"); a word in capitals stands for what
# to type (--role ROLE, --passphrase-file FILE) or is SQL, and is not prose
_TWICE = re.compile(r"\b([A-Za-z]+)\s+(\1)\b", re.IGNORECASE)


def doubled_words(text: str) -> list[str]:
    """The words a text says twice in a row."""
    return [
        m.group(0)
        for m in _TWICE.finditer(text)
        if not (m.group(1).isupper() or m.group(2).isupper())
    ]


# "Menu → Item": a menu's title (a capitalised word) before the arrow
_PATH = re.compile(r"\b([A-Z][a-z]+) " + ARROW + " ")


def menu_path_problems(text: str, paths: set[str]) -> list[str]:
    """What the text names as a menu path (``Menu → Item``) that the menus do not hold:
    the menu must be in the menu bar and the words after the arrow must begin with one of
    its items, ending there (a space, punctuation or the end follows)."""
    menus: dict[str, list[str]] = {}
    for path in paths:
        menu, _, item = path.partition(f" {ARROW} ")
        menus.setdefault(menu, []).append(item)
    found = []
    for match in _PATH.finditer(text):
        menu, rest = match.group(1), text[match.end() :]
        items = menus.get(menu)
        if items is None:
            found.append(f"no menu {menu!r} (named as {menu} {ARROW} {rest[:30]}…)")
            continue
        if not any(
            rest.startswith(item) and (len(rest) == len(item) or not rest[len(item)].isalnum())
            for item in items
        ):
            found.append(f"no entry of {menu} at {menu} {ARROW} {rest[:40]}…")
    return found
