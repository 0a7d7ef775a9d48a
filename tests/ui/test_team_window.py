"""The window on a team workspace: it codes as the person the login names, whatever
Settings → Coder says, and a login that is none of the people is told what to ask for."""

from __future__ import annotations

import uuid

import pytest

from tests.storage.team_world import drop_team, make_team
from vfa.ui.settings import Settings


@pytest.fixture(scope="module")
def team(pg_url: str):
    made = make_team(pg_url, {"Ada": "admin", "Ann": "coder"})
    yield made
    drop_team(pg_url, made)


def test_the_window_codes_as_the_person_the_login_names(bare_window, team, qtbot):
    Settings().set("coder/name", "Tess")
    bare_window.open_workspace_at(team.url_of("Ann"))
    qtbot.waitUntil(lambda: bare_window.ws is not None, timeout=20_000)
    assert bare_window.ws.person == "Ann"
    assert bare_window.coder_name() == "Ann"
    bare_window.close_workspace()
    assert bare_window.coder_name() == "Tess"  # a workspace file: Settings → Coder again


def test_a_login_that_is_none_of_the_people_is_told_so_in_the_window(bare_window, team, qtbot):
    stray = f"kim_{uuid.uuid4().hex[:6]}"
    team.strays.append(stray)
    with team.as_login(team.owner_login) as conn:
        conn.execute(f'CREATE ROLE "{stray}" LOGIN')
        conn.commit()
    bare_window.open_workspace_at(team.login_url(stray))
    qtbot.waitUntil(lambda: bare_window.messages.isVisible(), timeout=20_000)
    said = bare_window.messages.label.text()
    assert f"you are connected as {stray}" in said and "vfa team add" in said
    assert bare_window.ws is None
