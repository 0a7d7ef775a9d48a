"""The reel export's rules before any encoding (docs/architecture.md, Moments and the
feedback session): the files it writes, at most six stills in a handout, and the script
titled by the visit's approach, the names of its moments' schemes in reel order."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from vfa.errors import InvalidInputError
from vfa.services import clips as clip_service
from vfa.services import moments, reel_export
from vfa.services.consent import set_consent
from vfa.services.schemes import get_scheme


def test_an_export_writes_a_clip_and_a_still_per_moment_then_the_captions_and_handout():
    assert reel_export.file_names(2) == [
        "01.mp4", "01.png", "02.mp4", "02.png", "reel.srt", "handout.pdf"
    ]  # fmt: skip
    assert reel_export.file_names(1, handout=False, sidecars=True) == [
        "01.mp4", "01.png", "01.srt", "reel.srt"
    ]  # fmt: skip
    assert reel_export.file_names(10, handout=False)[-3:] == ["10.mp4", "10.png", "reel.srt"]
    assert reel_export.file_names(0) == ["reel.srt", "handout.pdf"]


@pytest.mark.parametrize("count", [0, 1, 5, 6])
def test_a_handout_holds_up_to_six_stills(count):
    reel_export.check_handout(count)


@pytest.mark.parametrize("count", [7, 8, 30])
def test_a_handout_of_more_than_six_stills_is_refused_with_the_way_out(count):
    with pytest.raises(InvalidInputError) as refused:
        reel_export.check_handout(count)
    assert str(refused.value) == (
        f"a handout holds at most 6 stills and the reel has {count}; take moments out of the "
        "reel, or export without the handout (--no-handout)"
    )


@pytest.fixture
def visit(workspace, clips):
    added = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1")
    set_consent(workspace, added.clip_id, ["feedback"], by="Sue")
    return workspace, added.clip_id, added.session_id


def test_seven_reel_moments_with_a_handout_are_refused_before_any_file(visit, tmp_path):
    ws, clip_id, session_id = visit
    for n in range(7):
        start = n * 800
        moments.add_moment(ws, clip_id, ["vig:waiting"], start, start + 400, feedback=True)
    exports = tmp_path / "exports"
    exports.mkdir()
    with pytest.raises(InvalidInputError, match="the reel has 7"):
        reel_export.export_reel(ws, session_id, "feedback", exports / "reel")
    assert list(exports.iterdir()) == []  # not even a staging folder


def test_the_script_is_titled_by_every_scheme_of_its_moments_in_reel_order(visit, tmp_path):
    ws, clip_id, session_id = visit
    moments.add_moment(ws, clip_id, ["vipp_sd:positive_moment"], 0, 1_000, feedback=True)
    moments.add_moment(ws, clip_id, ["vig:waiting"], 2_000, 3_000, feedback=True)
    moments.add_moment(ws, clip_id, ["vipp_sd:positive_moment"], 4_000, 5_000, feedback=True)
    out = reel_export.export_script(ws, session_id, tmp_path / "script.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    approach = f"{get_scheme('vipp_sd').name} / {get_scheme('vig').name}"
    # each scheme once, in the order its first moment comes in the reel
    assert text.startswith(f"Feedback script \u00b7 {approach} Case FAM-1")
