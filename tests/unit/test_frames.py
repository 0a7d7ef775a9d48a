from vfa.domain.frames import FrameTable, format_position, format_timestamp


def test_index_at_is_the_last_frame_whose_pts_is_not_after_t():
    table = FrameTable.from_pts([0, 33, 100, 133], duration_ms=167)
    assert table.index_at(0) == 0
    assert table.index_at(32) == 0
    assert table.index_at(33) == 1
    assert table.index_at(99) == 1  # a dropped frame: frame 1 stays on screen
    assert table.index_at(100) == 2
    assert table.index_at(10_000) == 3
    assert table.index_at(-5) == 0


def test_pts_of_clamps_to_the_clip():
    table = FrameTable.from_pts([0, 40, 80], 120)
    assert table.pts_of(1) == 40
    assert table.pts_of(-1) == 0
    assert table.pts_of(99) == 80


def test_from_pts_sorts_decode_order_and_drops_duplicates():
    table = FrameTable.from_pts([80, 0, 40, 40], 120)
    assert table.pts_ms == (0, 40, 80)
    assert table.frame_count == 3


def test_blob_round_trip_keeps_every_pts():
    pts = [0, 33, 67, 100, 133, 200, 233, 267, 333]
    table = FrameTable.from_pts(pts, 366)
    back = FrameTable.from_blob(table.to_blob(), 366)
    assert back == table


def test_blob_of_a_long_clip_is_small():
    pts = [round(i * 1001 / 30) for i in range(36_000)]  # 20 minutes at 29.97
    blob = FrameTable.from_pts(pts, pts[-1] + 33).to_blob()
    assert len(blob) < 20_000


def test_readout_format():
    assert format_timestamp(3_723_004) == "01:02:03.004"
    assert format_position(1_040, 26) == "00:00:01.040 · frame 26"
    assert format_timestamp(-3) == "00:00:00.000"
