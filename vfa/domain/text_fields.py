"""Short free-text fields as they enter VFA: one line of plain text within a length.

Every refusal names the field and says why; the value is shown cut short, so a
100,000-character paste never floods a message.
"""

from __future__ import annotations

import unicodedata

from vfa.errors import InvalidInputError

# control characters, lone surrogates (undecodable bytes on a command line), line and
# paragraph separators
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
# embeddings, overrides and isolates reorder the text shown around them, so a label
# could read as another (the marks U+200E/U+200F that right-to-left text needs stay)
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SHOWN = 40


def shown(value: str, limit: int = SHOWN) -> str:
    """``value`` quoted for a message, cut to ``limit`` characters with an ellipsis."""
    if len(value) <= limit:
        return repr(value)
    return repr(value[:limit]) + f"… ({len(value)} characters)"


def refused_character(value: str) -> tuple[int, str] | None:
    """The first character a one-line field may not hold, as (position, U+XXXX)."""
    for i, ch in enumerate(value):
        if unicodedata.category(ch) in _REFUSED_CATEGORIES or ch in _BIDI_CONTROLS:
            return i, f"U+{ord(ch):04X}"
    return None


def single_line(
    value: object, field: str, max_length: int, *, required: bool = True, example: str = ""
) -> str | None:
    """The value stripped of surrounding spaces and NFC-normalised; ``None`` for an empty
    optional value. Refuses a non-string, an empty required value, a control character
    and more than ``max_length`` characters, naming ``field``."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"{field}: expected text, got {type(value).__name__}")
    bad = refused_character(value)
    if bad is not None:
        position, code = bad
        raise InvalidInputError(
            f"{field} {shown(value)}: contains a control character ({code}) at character "
            f"{position + 1}; use one line of plain text"
        )
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        if not required:
            return None
        hint = f", such as {example!r}" if example else ""
        raise InvalidInputError(f"{field}: is empty; give one{hint}")
    if len(text) > max_length:
        raise InvalidInputError(
            f"{field} {shown(text)}: is {len(text)} characters long; at most {max_length} "
            "are allowed"
        )
    return text


def matching_key(text: str) -> str:
    """What two spellings of one label share: case folded, runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()
