"""Strengths-based language: find deficit wording in a caption, with a hint to reframe.

The word lists are data (``vfa/data/language/<lang>.yaml``, plus a service's own file in
its config folder), so other languages are a file away. The check only points; it never
blocks what a practitioner writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Finding:
    """A match in the text: characters [start, end), the words matched and the hint."""

    start: int
    end: int
    text: str
    hint: str


@dataclass(frozen=True)
class Wordlist:
    language: str
    patterns: tuple[tuple[re.Pattern[str], str], ...]

    def check(self, text: str) -> list[Finding]:
        """Every deficit phrase in ``text``, in order, longest first where they overlap."""
        found: list[Finding] = []
        for pattern, hint in self.patterns:
            for m in pattern.finditer(text):
                found.append(Finding(m.start(), m.end(), m.group(0), hint))
        found.sort(key=lambda f: (f.start, -(f.end - f.start)))
        kept: list[Finding] = []
        for f in found:
            if not kept or f.start >= kept[-1].end:
                kept.append(f)
        return kept


def _pattern(phrase: str) -> re.Pattern[str]:
    """A whole-word, any-case pattern; a trailing ``*`` allows any word ending; the
    apostrophe may be typed straight or curly."""
    stem = phrase.strip().lower()
    open_end = stem.endswith("*")
    stem = stem.rstrip("*")
    parts = [re.escape(w).replace("'", "['\u2019]") for w in stem.split()]
    body = r"\s+".join(parts)
    tail = r"\w*" if open_end else ""
    return re.compile(rf"(?<![\w']){body}{tail}(?![\w'])", re.IGNORECASE)


def parse_wordlist(data: object, source: str) -> Wordlist:
    """A word list from its YAML data; a malformed one names the file and the place."""
    from vfa.errors import InvalidInputError

    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise InvalidInputError(f"{source}: expected 'language' and a list of 'entries'")
    patterns = []
    for n, entry in enumerate(data["entries"], start=1):
        words, hint = (entry or {}).get("words"), (entry or {}).get("hint")
        if not isinstance(words, list) or not words or not isinstance(hint, str):
            raise InvalidInputError(f"{source}: entries[{n}]: needs 'words' (a list) and 'hint'")
        for word in words:
            if not isinstance(word, str) or not word.strip("* "):
                raise InvalidInputError(f"{source}: entries[{n}]: {word!r} is not a word")
            patterns.append((_pattern(word), hint))
    return Wordlist(str(data.get("language", "")), tuple(patterns))


def load_wordlist(language: str = "en", extra_dirs: Iterable[Path] = ()) -> Wordlist:
    """The shipped list for ``language`` merged with any ``<dir>/<language>.yaml``."""
    shipped = resources.files("vfa.data.language").joinpath(f"{language}.yaml")
    sources: list[tuple[object, str]] = []
    if shipped.is_file():
        sources.append((yaml.safe_load(shipped.read_text(encoding="utf-8")), str(shipped)))
    for folder in extra_dirs:
        path = Path(folder) / f"{language}.yaml"
        if path.is_file():
            sources.append((yaml.safe_load(path.read_text(encoding="utf-8")), str(path)))
    patterns: list[tuple[re.Pattern[str], str]] = []
    for data, source in sources:
        patterns.extend(parse_wordlist(data, source).patterns)
    return Wordlist(language, tuple(patterns))
