"""Every menu path a message names ("record the family's consent (Feedback → Consent for
this clip…)") is one the window's menu bar holds: the texts of the services, the command
line, the window and the storage read from their source (not their docstrings), checked
against the menus of the window as built."""

from __future__ import annotations

import pytest

from tests.message_texts import menu_path_problems, texts
from tests.ui.help_mentions import menu_paths

AREAS = ("services", "cli", "ui", "storage")


@pytest.fixture
def paths(bare_window) -> set[str]:
    return menu_paths(bare_window.menuBar())


def test_every_menu_path_a_message_names_is_in_the_menus(paths):
    said = [s for s in texts(*AREAS) if "→" in s.text]
    assert said  # (the check reads what it should)
    found = [f"{s.where()}: {p}" for s in said for p in menu_path_problems(s.text, paths)]
    assert found == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("record it (Feedback → Consent for this clip…, or 'vfa consent set')", None),
        ("Edit → Undo removes them", None),
        ("an admin adds people (File → People…); File → Who are you… says who", None),
        ("record it (Clip → Consent, or 'vfa consent set')", "no menu 'Clip'"),
        ("the window's coder is Settings → Coder", "no menu 'Settings'"),
        ("(File → Consent for this clip…)", "no entry of File"),
        ("(File → Merge)", "no entry of File"),  # the start of an entry is not the entry
        ("“{}” → clip {} ({}), coder {}", None),  # an arrow that names no menu
    ],
)
def test_a_path_the_menus_lack_is_found(paths, text, problem):
    found = menu_path_problems(text, paths)
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(problem)
