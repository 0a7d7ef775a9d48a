"""The audit trail's stored kinds and the words a person names them with.

The trail stores a record's kind (``coding_run``, ``annotation``, ``coder``) and an act
(``unshare``, ``stop``); the Audit trail window shows them as a person says them (a
coding, an event, a person; stop sharing, end), translated there
(``vfa/ui/audit_names.py`` marks the same words for translation, and a test holds the
two to each other). A filter by kind takes either: ``stored_kind`` turns a person's word
into the stored one.
"""

from __future__ import annotations

# a record's stored kind -> its name
RECORD_WORDS = {
    "annotation": "event",
    "backups": "backups",
    "case": "case",
    "clip": "clip",
    "coder": "person",
    "coding_run": "coding",
    "import": "import",
    "moment": "moment",
    "reel": "reel",
    "reliability_criterion": "reliability criterion",
    "scheme": "scheme",
    "session": "session",
    "workspace": "workspace",
}
# an act's stored word -> what a person says they did
ACTION_WORDS = {
    "add": "add",
    "assign": "assign",
    "checkout": "check out",
    "code": "code",
    "consent": "record consent",
    "create": "create",
    "decrypt": "decrypt",
    "delete": "delete",
    "edit": "edit",
    "encrypt": "encrypt",
    "export": "export",
    "grid": "rate a grid row",
    "hash": "read the video's content",
    "import": "import",
    "merge": "merge",
    "modify": "change modifiers",
    "moment": "tag",
    "move": "move",
    "rate": "rate",
    "register": "register",
    "relink": "relink",
    "remove": "remove",
    "reopen": "reopen",
    "reorder": "reorder",
    "restore": "restore",
    "set": "set",
    "share": "share",
    "stop": "end",
    "submit": "submit",
    "theme": "set the theme",
    "unshare": "stop sharing",
    "update": "change",
}
# a word a person may filter by -> the stored kind (the stored words name themselves)
_STORED = {
    **{stored: stored for stored in (*RECORD_WORDS, *ACTION_WORDS)},
    **{word: stored for stored, word in ACTION_WORDS.items()},
    **{word: stored for stored, word in RECORD_WORDS.items()},
    "criterion": "reliability_criterion",
}


def plain(word: str) -> str:
    """A typed kind as compared: lower case, one space between words."""
    return " ".join(word.lower().split())


def stored_kind(word: str) -> str | None:
    """The stored kind a person's word names (any capitals and spacing), or None."""
    return _STORED.get(plain(word))


def kind_list() -> str:
    """The kinds a filter takes, for a message: as a person names them, each with the
    word the trail stores (and ``vfa audit`` prints) where that is another."""

    def listed(words: dict[str, str]) -> str:
        named = sorted((word, stored) for stored, word in words.items())
        return ", ".join(word if word == stored else f"{word} ({stored})" for word, stored in named)

    return f"a record: {listed(RECORD_WORDS)}; or an act: {listed(ACTION_WORDS)}"
