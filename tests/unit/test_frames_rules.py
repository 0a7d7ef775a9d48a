"""A frame table survives its stored form (int64 deltas) whatever its pts, negative ones
included (a file whose first frames come before 0 after an edit list)."""

from __future__ import annotations

import pytest

from vfa.domain.frames import FrameTable


@pytest.mark.parametrize(
    "pts", [[0, 40, 80], [-80, -40, 0, 40], [-3_000_000_000_000, 5], [7], [0, 2**40, 2**41]]
)
def test_the_stored_form_gives_back_the_same_table(pts):
    table = FrameTable.from_pts(pts, pts[-1] + 40)
    again = FrameTable.from_blob(table.to_blob(), table.duration_ms)
    assert again == table and list(again.pts_ms) == sorted(pts)


def test_a_clip_lasts_at_least_until_one_ms_after_its_last_frame_starts():
    assert FrameTable.from_pts([80, 0, 40], 50).duration_ms == 81
    assert FrameTable.from_pts([0, 40, 80], 120).duration_ms == 120
    assert FrameTable.from_pts([0, 40, 80], 81).duration_ms == 81


def test_a_table_without_frames_is_refused():
    with pytest.raises(ValueError, match=r"^a frame table needs at least one frame$"):
        FrameTable((), 100)
