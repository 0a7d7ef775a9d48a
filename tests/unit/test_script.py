"""The feedback script's times and title: tenths of a second that read back to the time
they stand for, frames beside them, and the approach the visit used."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from vfa.reports.script import ScriptItem, clock, script_title, span_text, write_feedback_script
from vfa.ui.moments_panel import clock as list_clock


def read_back(text: str) -> float:
    """Seconds from ``m:ss.s`` or ``h:mm:ss.s``."""
    parts = [float(p) for p in text.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


@given(st.integers(0, 30 * 3_600_000))
def test_a_time_reads_back_to_the_nearest_tenth(t_ms):
    text = clock(t_ms)
    assert re.fullmatch(r"(\d+:[0-5]\d|[0-5]?\d):[0-5]\d\.\d", text), text
    assert abs(read_back(text) * 1000 - t_ms) <= 50


def test_times_near_a_minute_carry_over():
    assert clock(59_960) == "1:00.0"  # never "0:60.0"
    assert clock(3_599_970) == "1:00:00.0"
    assert clock(2_520) == "0:02.5" and clock(3_360) == "0:03.4"


def test_the_span_names_its_frames():
    item = ScriptItem(None, 2_520, 3_360, "x", first_frame=63, last_frame=83)
    assert span_text(item) == "0:02.5\u20130:03.4 \u00b7 frames 63\u201383"
    assert span_text(ScriptItem(None, 0, 1_000, "x")) == "0:00.0\u20130:01.0"


def test_the_title_is_the_visits_approach(tmp_path):
    assert script_title(None) == "Feedback script"
    out = write_feedback_script(
        tmp_path / "s.pdf",
        case_code="FAM-1",
        session_label="Visit 2",
        theme=None,
        items=[ScriptItem(None, 0, 1_000, "You waited")],
        approach="VIPP-SD themes and moments",
    )
    first = PdfReader(out).pages[0].extract_text().splitlines()[0]
    assert first == "Feedback script \u00b7 VIPP-SD themes and moments"


@given(st.integers(0, 10 * 3_600_000))
def test_the_moments_list_reads_times_the_same_way(t_ms):
    minutes, seconds = list_clock(t_ms).split(":")
    assert 0 <= float(seconds) < 60
    assert abs((int(minutes) * 60 + float(seconds)) * 1000 - t_ms) <= 50
