"""SRT text for clips and reels."""

from __future__ import annotations

import pytest

from vfa.domain.subtitles import reel_entries, reel_srt, srt, srt_time


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "00:00:00,000"),
        (7, "00:00:00,007"),
        (61_005, "00:01:01,005"),
        (3_599_999, "00:59:59,999"),
        (3_600_000 + 2 * 60_000 + 3_000 + 40, "01:02:03,040"),
        (-5, "00:00:00,000"),
    ],
)
def test_srt_times_use_a_comma_before_the_milliseconds(ms, text):
    assert srt_time(ms) == text


def test_entries_are_numbered_from_one_and_separated_by_a_blank_line():
    text = srt([(0, 1500, "First"), (1500, 62_250, "Second")])
    assert text == (
        "1\n00:00:00,000 --> 00:00:01,500\nFirst\n\n2\n00:00:01,500 --> 00:01:02,250\nSecond\n"
    )


def test_multi_line_text_is_kept_and_empty_entries_are_skipped():
    text = srt(
        [(0, 1000, "  "), (1000, 2000, "You waited\n\u2018I like it\u2019"), (2000, 3000, "")]
    )
    blocks = text.strip().split("\n\n")
    assert blocks == ["1\n00:00:01,000 --> 00:00:02,000\nYou waited\n\u2018I like it\u2019"]


def test_a_blank_line_inside_a_caption_does_not_end_the_cue():
    text = srt([(0, 1000, "one\n\n two")])
    assert text == "1\n00:00:00,000 --> 00:00:01,000\none\ntwo\n"  # spaces tidied too


def test_an_entry_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        srt([(2000, 1000, "backwards")])


def test_no_entries_make_an_empty_file():
    assert srt([]) == ""


def test_the_reel_lays_moments_end_to_end():
    moments = [(10_040, "one"), (4_000, ""), (7_500, "three")]
    assert reel_entries(moments) == [
        (0, 10_040, "one"),
        (10_040, 14_040, ""),
        (14_040, 21_540, "three"),
    ]
    # the uncaptioned moment still takes its time; numbering skips it
    assert reel_srt(moments) == (
        "1\n00:00:00,000 --> 00:00:10,040\none\n\n2\n00:00:14,040 --> 00:00:21,540\nthree\n"
    )


def test_a_negative_duration_is_refused():
    with pytest.raises(ValueError):
        reel_entries([(1000, "a"), (-1, "b")])
