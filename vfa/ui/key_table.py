"""What every key does, as Help → Keyboard shortcuts lists it: the window's actions (from
the action registry, with the keys the user set), the chosen scheme's event keys and rating
keys, and the keys of presentation mode."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from vfa.domain.schemes import Scheme
from vfa.ui.actions import SPEC_BY_ID, SPECS, action_text

PORTABLE = QKeySequence.SequenceFormat.PortableText
NATIVE = QKeySequence.SequenceFormat.NativeText


@dataclass(frozen=True)
class KeyRow:
    """One thing a key does: ``keys`` in portable text (``Ctrl+Shift+E``), ``shown`` as
    the user reads them, ``path`` the menu entry it also has, ``note`` a remark."""

    what: str
    keys: tuple[str, ...]
    shown: str
    path: str = ""
    note: str = ""

    @classmethod
    def of(cls, what: str, keys: Iterable[str], path: str = "", note: str = "") -> KeyRow:
        """A row whose keys are shown one by one, in the platform's own spelling."""
        keys = tuple(keys)
        shown = QCoreApplication.translate("KeyTable", " or ").join(
            QKeySequence(k).toString(NATIVE) for k in keys
        )
        return cls(what, keys, shown, path, note)


@dataclass(frozen=True)
class KeySection:
    """A heading (a menu, the scheme's keys, presentation mode) and its rows."""

    title: str
    rows: tuple[KeyRow, ...]


def plain(text: str) -> str:
    """A menu or action text as shown, without its mnemonic marker."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def menu_titles(bar: QMenuBar) -> dict[str, str]:
    """The title each registry menu (``ActionSpec.menu``) has in this menu bar."""
    return {SPEC_BY_ID[action_id].menu: title for title, action_id in _menu_entries(bar)}


def _menu_entries(bar: QMenuBar) -> list[tuple[str, str]]:
    """(menu title, action id) of every registered action in the menus, as they show."""
    found = []
    for entry in bar.actions():
        menu = entry.menu()
        for action in menu.actions() if isinstance(menu, QMenu) else ():
            if action.objectName() in SPEC_BY_ID:
                found.append((plain(entry.text()), action.objectName()))
    return found


def window_sections(actions: Mapping[str, QAction], bar: QMenuBar) -> list[KeySection]:
    """Every registered action with its current key, under its menu as the menu bar
    orders them (one the menus lack under its registry menu, at the end)."""
    placed = [(t, a) for t, a in _menu_entries(bar) if a in actions]
    titles = menu_titles(bar)
    seen = {a for _t, a in placed}
    missing = [s for s in SPECS if s.id in actions and s.id not in seen]
    placed += [(titles.get(s.menu, s.menu), s.id) for s in missing]
    rows: dict[str, list[KeyRow]] = {}
    for title, action_id in placed:
        what = action_name(action_id)
        key = actions[action_id].shortcut().toString(PORTABLE)
        rows.setdefault(title, []).append(
            KeyRow.of(what, [key] if key else [], path=f"{title} → {what}")
        )
    return [KeySection(title, tuple(section)) for title, section in rows.items()]


def event_section(scheme: Scheme, taken: Mapping[str, str]) -> KeySection | None:
    """The scheme's event keys; one on a window action's key (``taken``: key -> action)
    is said to be left out, as the window leaves it out."""
    codes = scheme.ethogram.codes if scheme.ethogram else ()
    rows = []
    for code in codes:
        if not code.hotkey:
            continue
        key = QKeySequence(code.hotkey).toString(PORTABLE)
        note = (
            QCoreApplication.translate("KeyTable", "a state: the key starts it, again stops it")
            if code.kind == "state"
            else ""
        )
        if key in taken:
            note = QCoreApplication.translate(
                "KeyTable", "left out: the window's key for “{0}” (Settings)"
            ).format(taken[key])
        rows.append(KeyRow.of(code.name, [key], note=note))
    if not rows:
        return None
    return KeySection(
        QCoreApplication.translate("KeyTable", "{0}: event keys").format(scheme.name), tuple(rows)
    )


def rating_section(scheme: Scheme) -> KeySection | None:
    """The keys of the rating form (while it has the focus): digits in each item's scale,
    the first letter of a special code, clearing and moving on."""
    items = scheme.ratings.items if scheme.ratings else ()
    if not items:
        return None
    rows: list[KeyRow] = []
    for low, high in sorted({(i.scale_min, i.scale_max) for i in items}):
        digits = [str(d) for d in range(max(low, 0), min(high, 9) + 1)]
        if not digits:
            continue
        what = QCoreApplication.translate("KeyTable", "Rate the current item")
        if len({(i.scale_min, i.scale_max) for i in items}) > 1:
            what = QCoreApplication.translate("KeyTable", "Rate an item scored {0}–{1}").format(
                low, high
            )
        rows.append(KeyRow(what, tuple(digits), f"{digits[0]}–{digits[-1]}"))
    specials = {s.code: s for item in items for s in item.special}
    for code, special in specials.items():
        rows.append(KeyRow.of(f"{special.label} ({code})", [code[0].upper()]))
    rows.append(
        KeyRow.of(QCoreApplication.translate("KeyTable", "Clear the rating"), ["Del", "Backspace"])
    )
    rows.append(KeyRow.of(QCoreApplication.translate("KeyTable", "Next item"), ["Return", "Down"]))
    title = QCoreApplication.translate(
        "KeyTable", "{0}: the rating list, while it has the focus"
    ).format(scheme.name)
    return KeySection(title, tuple(rows))


def scheme_sections(scheme: Scheme | None, taken: Mapping[str, str]) -> list[KeySection]:
    """The chosen scheme's keys: its events, then its rating form."""
    if scheme is None:
        return []
    found = (event_section(scheme, taken), rating_section(scheme))
    return [section for section in found if section is not None]


def presenting_section() -> KeySection:
    """The keys of presentation mode (``ui/presentation.py``; tests press each one)."""
    return KeySection(
        QCoreApplication.translate("KeyTable", "While presenting the reel"),
        (
            KeyRow.of(QCoreApplication.translate("KeyTable", "Next moment"), ["Right", "PgDown"]),
            KeyRow.of(QCoreApplication.translate("KeyTable", "Previous moment"), ["Left", "PgUp"]),
            KeyRow.of(QCoreApplication.translate("KeyTable", "Pause or play"), ["Space"]),
            KeyRow.of(
                QCoreApplication.translate("KeyTable", "Freeze on the still (again to play)"), ["F"]
            ),
            KeyRow.of(
                QCoreApplication.translate(
                    "KeyTable", "The caption, or the line spoken for the child"
                ),
                ["C"],
            ),
            KeyRow.of(QCoreApplication.translate("KeyTable", "Leave the presentation"), ["Esc"]),
        ),
    )


def action_name(action_id: str) -> str:
    """A registered action's name as its menu entry shows it (before Undo names its act)."""
    return plain(action_text(SPEC_BY_ID[action_id]))


def taken_keys(actions: Mapping[str, QAction]) -> dict[str, str]:
    """The window actions' current keys (portable text) -> the action's name."""
    return {
        action.shortcut().toString(PORTABLE): action_name(action_id)
        for action_id, action in actions.items()
        if not action.shortcut().isEmpty()
    }
