"""Polish, Turkish, Arabic and Chinese captions from the command line: ``reel export``
writes a handout and ``reel script`` a feedback script that print every one as typed."""

from __future__ import annotations

import pytest

from tests.test_cli_surface import run
from tests.test_cli_surface_feedback import PLACES, moment, typed, visit
from tests.unit.test_fonts_shipped import LANGUAGES, check_every_language_prints

__all__ = ["visit"]  # the fixture, used by name


@pytest.fixture
def captioned(capsys, visit):
    """Four moments for feedback, one captioned in each language, consent for feedback."""
    ws, clip_id, session_id = visit
    run(capsys, "consent", "set", "--clip", clip_id, "--purposes", "feedback", "--workspace", ws)
    for n, caption in enumerate(LANGUAGES):
        start = 1000 + 1200 * n
        moment(capsys, ws, clip_id, start, start + 800, caption, "--feedback")
    return ws, session_id


@pytest.mark.parametrize("place", PLACES)
def test_reel_export_writes_a_handout_in_every_language(capsys, captioned, tmp_path, place):
    ws, session_id = captioned
    out = tmp_path / "export"
    argv = typed(place, ws, "reel", "export", "--session", session_id, "--purpose", "feedback",
                 "-o", out, "--burn-captions")  # fmt: skip
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    check_every_language_prints(out / "handout.pdf")


def test_reel_script_prints_every_language(capsys, captioned, tmp_path):
    ws, session_id = captioned
    out = tmp_path / "script.pdf"
    code, _, err = run(capsys, "reel", "script", "--session", session_id, "-o", out,
                       "--workspace", ws)  # fmt: skip
    assert code == 0, err
    check_every_language_prints(out)
