"""Hotkey spellings at their edges (hotkeys.py): the plus key itself, alone or with
modifiers, and the reasons a key is refused or kept for the player and the window."""

from __future__ import annotations

import pytest

from vfa.domain.hotkeys import hotkey_conflict, normalize_hotkey


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("+", "+"), ("shift++", "Shift++"), ("ctrl+shift++", "Ctrl+Shift++"), (" + ", "+")],
)
def test_the_plus_key_is_a_key(typed, canonical):
    assert normalize_hotkey(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "the hotkey is empty"),
        ("   ", "the hotkey is empty"),
        ("shift+Shift+q", "Shift is given twice"),
        ("cmd+meta+q", "Meta is given twice"),
        ("hyper+q", "'hyper' is not a modifier (use Shift, e.g. 'Shift+Q')"),
        (
            "shift+qq",
            "'qq' is not a key (use one character, such as 'Q' or '1', "
            "or a named key such as 'F6')",
        ),
    ],
)
def test_a_text_that_is_not_one_key_is_refused_with_the_reason(typed, reason):
    with pytest.raises(ValueError) as refused:
        normalize_hotkey(typed)
    assert str(refused.value) == reason


@pytest.mark.parametrize(
    ("hotkey", "reason"),
    [
        ("Ctrl+Q", "Ctrl and Cmd combinations belong to the player and the window's commands"),
        ("Meta+Q", "Ctrl and Cmd combinations belong to the player and the window's commands"),
        ("Alt+Q", "Alt combinations open the window's menus"),
        ("Alt+Shift+Q", "Alt combinations open the window's menus"),
        ("Q", None),
        ("Shift++", None),
    ],
)
def test_keys_kept_for_the_window_are_named_with_the_reason(hotkey, reason):
    assert hotkey_conflict(hotkey) == reason
