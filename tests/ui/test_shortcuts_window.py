"""Help → Keyboard shortcuts, made from a bare coding session and a window's registered
actions and menus: what it lists comes from the registry and the chosen scheme, follows
them, and is what the keys really do (in the rating list and in presentation mode)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from vfa.player.qt_backend import QtPlayer
from vfa.services.schemes import SchemeLibrary
from vfa.ui.actions import SPEC_BY_ID, SPECS, ActionSpec, apply_shortcuts, build_actions
from vfa.ui.key_table import KeyRow, action_name, presenting_section, rating_section
from vfa.ui.menus import build_menus
from vfa.ui.presentation import PresentationWindow
from vfa.ui.rating_tables import RatingTable
from vfa.ui.session import CodingSession
from vfa.ui.shortcuts_window import ShortcutsWindow

PORTABLE = QKeySequence.SequenceFormat.PortableText
LIBRARY = SchemeLibrary()


class Keys:
    """The window's actions and menus on a bare host, a bare session, and the shortcuts
    window made from them."""

    def __init__(self, qtbot) -> None:
        self.host = QMainWindow()
        qtbot.addWidget(self.host)
        self.actions = build_actions(self.host, {})
        build_menus(self.host.menuBar(), self.actions)
        self.session = CodingSession.bare()
        self.window = ShortcutsWindow(self.session, self.actions, self.host.menuBar())
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitExposed(self.window)

    def rows(self) -> dict[str, dict[str, KeyRow]]:
        """Section title -> row name -> row, as shown."""
        found: dict[str, dict[str, KeyRow]] = {}
        for title, row in self.window.shown_rows():
            found.setdefault(title, {})[row.what] = row
        return found

    def choose(self, scheme_id: str | None) -> None:
        self.session.choose_scheme(LIBRARY.get(scheme_id) if scheme_id else None)


@pytest.fixture
def keys(qtbot):
    made = Keys(qtbot)
    yield made
    made.window.close()


@pytest.fixture
def extra_action():
    """An action added to the registry (and taken out again)."""
    spec = ActionSpec("help.example", "E&xample entry", "Ctrl+Alt+X", "help")
    SPECS.append(spec)
    SPEC_BY_ID[spec.id] = spec
    yield spec
    SPECS.remove(spec)
    del SPEC_BY_ID[spec.id]


def scheme_with_events():
    """A shipped scheme with event keys and none with ratings, and one with ratings."""
    events = next(s for s in LIBRARY() if s.ethogram and any(c.hotkey for c in s.ethogram.codes))
    rated = next(s for s in LIBRARY() if s.ratings and s.ratings.items)
    return events, rated


def test_every_registered_action_is_listed_under_its_menu_with_its_key(keys):
    rows = keys.rows()
    for spec in SPECS:
        menu = next(t for t in rows if f"{t} → {action_name(spec.id)}" in _paths(rows[t]))
        row = rows[menu][action_name(spec.id)]
        key = keys.actions[spec.id].shortcut().toString(PORTABLE)
        assert row.keys == ((key,) if key else ()), spec.id
        assert row.path == f"{menu} → {action_name(spec.id)}"
    menus = [a.text().replace("&", "") for a in keys.host.menuBar().actions()]
    assert list(rows)[: len(menus)] == menus  # the menus first, in the menu bar's order


def _paths(rows: dict[str, KeyRow]) -> set[str]:
    return {row.path for row in rows.values()}


def test_an_action_added_to_the_registry_shows_up_with_its_key(extra_action, qtbot):
    made = Keys(qtbot)
    try:
        row = made.rows()["Help"]["Example entry"]
        assert row.keys == ("Ctrl+Alt+X",)
        assert row.path == "Help → Example entry"
    finally:
        made.window.close()


def test_the_chosen_schemes_keys_show_up_and_follow_the_scheme(keys):
    events, rated = scheme_with_events()
    assert not any(title.startswith((events.name, rated.name)) for title in keys.rows())
    keys.choose(events.id)
    listed = keys.rows()[f"{events.name}: event keys"]
    coded = {c.name: (c.hotkey,) for c in events.ethogram.codes if c.hotkey}
    assert {name: row.keys for name, row in listed.items()} == coded
    keys.choose(rated.id)
    rows = keys.rows()
    assert f"{events.name}: event keys" not in rows
    rating = rows[f"{rated.name}: the rating list, while it has the focus"]
    item = rated.ratings.items[0]
    digits = tuple(str(d) for d in range(item.scale_min, item.scale_max + 1))
    assert rating["Rate the current item"].keys == digits
    for special in item.special:
        assert rating[f"{special.label} ({special.code})"].keys == (special.code[0].upper(),)
    keys.choose(None)
    assert not any(title.startswith((events.name, rated.name)) for title in keys.rows())


def test_a_scheme_chosen_while_the_window_is_closed_is_listed_when_it_shows(keys, qtbot):
    events, _rated = scheme_with_events()
    keys.window.close()
    keys.choose(events.id)
    keys.window.show()
    qtbot.waitExposed(keys.window)
    assert f"{events.name}: event keys" in keys.rows()


def test_a_key_set_in_settings_shows_and_a_scheme_key_it_takes_is_said_left_out(keys):
    events, _rated = scheme_with_events()
    code = next(c for c in events.ethogram.codes if c.hotkey)
    keys.choose(events.id)
    apply_shortcuts(keys.actions, {"nav.end": code.hotkey})
    rows = keys.rows()
    assert rows["Playback"][action_name("nav.end")].keys == (code.hotkey,)
    note = rows[f"{events.name}: event keys"][code.name].note
    assert note.startswith("left out") and f"“{action_name('nav.end')}”" in note


def test_the_filter_keeps_the_rows_holding_the_text_and_their_sections(keys, qtbot):
    everything = keys.window.shown_rows()
    present = SPEC_BY_ID["reel.present"]
    typed = QKeySequence(present.shortcut).toString(PORTABLE)
    qtbot.keyClicks(keys.window.filter, typed.lower())
    kept = keys.window.shown_rows()
    assert (action_name(present.id), (typed,)) in [(r.what, r.keys) for _t, r in kept]
    assert all(
        typed.casefold() in " ".join((t, r.what, r.shown, *r.keys, r.note)).casefold()
        for t, r in kept
    )
    assert len(kept) < len(everything)
    keys.window.filter.clear()
    assert keys.window.shown_rows() == everything
    qtbot.keyClicks(keys.window.filter, "While presenting")  # a section's title: all of it
    assert [r for _t, r in keys.window.shown_rows()] == list(presenting_section().rows)


# -- what the listed keys do ------------------------------------------------------------


@pytest.mark.parametrize("scheme", [s for s in LIBRARY() if s.ratings], ids=lambda s: s.id)
def test_the_rating_list_keys_listed_are_the_keys_that_rate(scheme, qtbot):
    table = RatingTable()
    qtbot.addWidget(table)
    table.set_scheme(scheme)
    table.show()
    rated: list[object] = []
    table.rate.connect(lambda _item, value: rated.append(value))
    section = rating_section(scheme)
    item = scheme.item(table.current_item_id())

    def press(key: str) -> tuple[list[object], int]:
        rated.clear()
        table.setCurrentCell(0, 1)
        sequence = QKeySequence(key)[0]
        qtbot.keyClick(table, sequence.key(), sequence.keyboardModifiers())
        return list(rated), table.currentRow()

    listed = {key: row for row in section.rows for key in row.keys}
    for key, row in listed.items():
        values, now_at = press(key)
        if row.what == "Clear the rating":
            assert values == [None], key
        elif row.what == "Next item":
            assert (values, now_at) == ([], 1), key
        elif key.isdigit():
            assert values == [int(key)], key
        else:
            assert values == [
                next(s.code for s in item.special if row.what.endswith(f"({s.code})"))
            ]
    others = [chr(c) for c in range(ord("0"), ord("9") + 1)] + [chr(c) for c in range(65, 91)]
    for key in others:
        if key not in listed:
            assert press(key)[0] == [], f"{key} rates but is not listed"


def test_the_presentation_keys_listed_are_the_keys_presentation_answers(qtbot):
    window = PresentationWindow(CodingSession.bare(), QtPlayer)  # (no reel: nothing plays)
    qtbot.addWidget(window)
    does = {
        "Next moment": "next",
        "Previous moment": "previous",
        "Pause or play": "toggle_pause",
        "Freeze on the still (again to play)": "toggle_freeze",
        "The caption, or the line spoken for the child": "toggle_line",
        "Leave the presentation": "close",
    }
    called: list[str] = []
    for name in does.values():
        setattr(window, name, lambda n=name: called.append(n))
    listed = {key: does[row.what] for row in presenting_section().rows for key in row.keys}
    candidates = [*listed, "Up", "Down", "Home", "End", "Return", "Tab", "Del", "Ins",
                  *(f"F{n}" for n in range(1, 13)), *(chr(c) for c in range(65, 91)),
                  *(str(d) for d in range(10))]  # fmt: skip
    for key in candidates:
        called.clear()
        sequence = QKeySequence(key)[0]
        qtbot.keyClick(window, sequence.key(), sequence.keyboardModifiers())
        assert called == ([listed[key]] if key in listed else []), key
    PresentationWindow.close(window)
