"""Who is asking: ``--as`` / ``viewing_as``, else Settings → Coder, else the login name;
the settings file is read without Qt exactly as the window writes it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vfa.services import viewer
from vfa.services.audit import current_actor

NAMES = [
    "Ann",
    "Ann Smith",
    " lead and trail ",
    "a,b",
    'q"x',
    "Zoë Ω",
    "@at",
    "back\\slash",
    "semi;colon",
    "tab\tx",
    "=eq",
    "#hash",
    "x  y",
    "日本",
    "[br]",
    "true",
    "1,2",
]


@pytest.fixture
def qt_settings():
    from vfa.ui.settings import Settings, config_dir

    assert config_dir() == viewer.config_dir()
    return Settings()


@pytest.mark.parametrize("name", NAMES)
def test_the_coder_named_in_settings_is_read_as_the_window_wrote_it(qt_settings, name):
    qt_settings.set("coder/name", name)
    assert viewer.settings_coder() == str(qt_settings.get("coder/name")).strip()
    assert viewer.current_viewer() == name.strip()
    assert current_actor() == name.strip()


@settings(max_examples=60, deadline=None)
@given(name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30))
def test_any_printable_name_reads_back_as_written(name):
    from vfa.ui.settings import Settings

    Settings().set("coder/name", name)
    assert viewer.settings_coder() == str(Settings().get("coder/name")).strip()


def test_without_settings_the_login_name_and_as_wins_over_both(qt_settings):
    assert viewer.current_viewer() == viewer.login_name()
    qt_settings.set("coder/name", "Ben")
    assert viewer.current_viewer() == "Ben"
    with viewer.viewing_as("Sue"):
        assert viewer.current_viewer() == "Sue" and viewer.resolve(None) == "Sue"
        assert viewer.resolve(" Ann ") == "Ann"
        with viewer.viewing_as(None):  # no name given: who asks stays as it was
            assert viewer.current_viewer() == "Sue"
    assert viewer.current_viewer() == "Ben"
