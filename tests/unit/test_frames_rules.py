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
