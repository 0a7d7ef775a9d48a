"""The audit trail's records and acts as the Audit trail window names them: a coding, an
event, a person, not the stored kinds (``coding_run``, ``annotation``, ``coder``). The
trail keeps the stored words (the CSV file and ``vfa audit`` show them); a kind the
window does not know is shown as stored, its underscores as spaces."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from vfa.ui.names import QT_TRANSLATE_NOOP

RECORDS = {
    "annotation": QT_TRANSLATE_NOOP("AuditNames", "event"),
    "backups": QT_TRANSLATE_NOOP("AuditNames", "backups"),
    "case": QT_TRANSLATE_NOOP("AuditNames", "case"),
    "clip": QT_TRANSLATE_NOOP("AuditNames", "clip"),
    "coder": QT_TRANSLATE_NOOP("AuditNames", "person"),
    "coding_run": QT_TRANSLATE_NOOP("AuditNames", "coding"),
    "import": QT_TRANSLATE_NOOP("AuditNames", "import"),
    "moment": QT_TRANSLATE_NOOP("AuditNames", "moment"),
    "reel": QT_TRANSLATE_NOOP("AuditNames", "reel"),
    "reliability_criterion": QT_TRANSLATE_NOOP("AuditNames", "reliability criterion"),
    "scheme": QT_TRANSLATE_NOOP("AuditNames", "scheme"),
    "session": QT_TRANSLATE_NOOP("AuditNames", "session"),
    "workspace": QT_TRANSLATE_NOOP("AuditNames", "workspace"),
}
ACTIONS = {
    "add": QT_TRANSLATE_NOOP("AuditNames", "add"),
    "assign": QT_TRANSLATE_NOOP("AuditNames", "assign"),
    "checkout": QT_TRANSLATE_NOOP("AuditNames", "check out"),
    "code": QT_TRANSLATE_NOOP("AuditNames", "code"),
    "consent": QT_TRANSLATE_NOOP("AuditNames", "record consent"),
    "create": QT_TRANSLATE_NOOP("AuditNames", "create"),
    "decrypt": QT_TRANSLATE_NOOP("AuditNames", "decrypt"),
    "delete": QT_TRANSLATE_NOOP("AuditNames", "delete"),
    "edit": QT_TRANSLATE_NOOP("AuditNames", "edit"),
    "encrypt": QT_TRANSLATE_NOOP("AuditNames", "encrypt"),
    "export": QT_TRANSLATE_NOOP("AuditNames", "export"),
    "grid": QT_TRANSLATE_NOOP("AuditNames", "rate a grid row"),
    "hash": QT_TRANSLATE_NOOP("AuditNames", "read the video's content"),
    "import": QT_TRANSLATE_NOOP("AuditNames", "import"),
    "merge": QT_TRANSLATE_NOOP("AuditNames", "merge"),
    "modify": QT_TRANSLATE_NOOP("AuditNames", "change modifiers"),
    "moment": QT_TRANSLATE_NOOP("AuditNames", "tag"),
    "move": QT_TRANSLATE_NOOP("AuditNames", "move"),
    "rate": QT_TRANSLATE_NOOP("AuditNames", "rate"),
    "register": QT_TRANSLATE_NOOP("AuditNames", "register"),
    "relink": QT_TRANSLATE_NOOP("AuditNames", "relink"),
    "remove": QT_TRANSLATE_NOOP("AuditNames", "remove"),
    "reopen": QT_TRANSLATE_NOOP("AuditNames", "reopen"),
    "reorder": QT_TRANSLATE_NOOP("AuditNames", "reorder"),
    "restore": QT_TRANSLATE_NOOP("AuditNames", "restore"),
    "set": QT_TRANSLATE_NOOP("AuditNames", "set"),
    "share": QT_TRANSLATE_NOOP("AuditNames", "share"),
    "stop": QT_TRANSLATE_NOOP("AuditNames", "end"),
    "submit": QT_TRANSLATE_NOOP("AuditNames", "submit"),
    "theme": QT_TRANSLATE_NOOP("AuditNames", "set the theme"),
    "unshare": QT_TRANSLATE_NOOP("AuditNames", "stop sharing"),
    "update": QT_TRANSLATE_NOOP("AuditNames", "change"),
}


def _named(table: dict[str, str], stored: str) -> str:
    known = table.get(stored)
    if known is None:
        return stored.replace("_", " ")
    return QCoreApplication.translate("AuditNames", known)


def record_name(entity: str, action: str = "") -> str:
    """What an entry is about, in the reader's words (an event tagged: a moment)."""
    if entity == "annotation" and action == "moment":
        return _named(RECORDS, "moment")
    return _named(RECORDS, entity)


def action_name(action: str) -> str:
    """What an entry's person did, in the reader's words."""
    return _named(ACTIONS, action)


def kind_name(kind: str) -> str:
    """A kind to filter by (a record's kind, else an act), in the reader's words."""
    return record_name(kind) if kind in RECORDS else action_name(kind)
