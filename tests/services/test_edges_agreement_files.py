"""The checks on what ``vfa agreement`` reads and is told, at their edges: times are whole
ms from 0 to 24 hours (``MAX_MS``), an event lies inside its clip (ending at its end is
inside), a state ends after it starts; the time unit is 1 ms to 24 h, the overlap in
(0, 1], the tolerance 0 ms to 24 h. Then the pairing edge as a user meets it: the
command's output for two states overlapping exactly 60%, and one ms less."""

from __future__ import annotations

import argparse
import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest

from vfa.cli import main
from vfa.cli import types as cli_types
from vfa.domain.limits import MAX_ID, MAX_MS
from vfa.errors import InvalidInputError
from vfa.services.reliability import check_event_settings, events_report

HEADER = "unit,coder,code,start_ms,end_ms,duration_ms\n"


def report(tmp_path, rows: str, **settings):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path, events_report(path, **settings)


@pytest.mark.parametrize(
    ("a_row", "ok"),
    [
        ("u,a,x,0,6000,6000", True),  # ends at the clip's end
        ("u,a,x,0,6001,6000", False),  # one ms past it
        ("u,a,x,6000,,6000", True),  # a point at the clip's end
        ("u,a,x,6001,,6000", False),
        ("u,a,x,100,101,6000", True),  # the shortest state
        ("u,a,x,100,100,6000", False),  # a state that does not end after it starts
    ],
)
def test_an_event_inside_its_clip_and_one_ms_outside(tmp_path, a_row, ok):
    rows = a_row + "\nu,b,x,0,1000,6000\n"
    if ok:
        assert report(tmp_path, rows)[1].unit("u").coders == ("a", "b")
    else:
        with pytest.raises(InvalidInputError, match=r"events\.csv: row 2: "):
            report(tmp_path, rows)


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        (MAX_MS, None),
        (MAX_MS + 1, f"column duration_ms: {MAX_MS + 1} ms is more than 24 hours"),
        (0, "duration_ms must be above 0"),
        (1, None),
    ],
)
def test_a_clip_of_24_hours_is_the_longest(tmp_path, duration, message):
    rows = f"u,a,x,0,,{duration}\nu,b,x,0,,{duration}\n"
    if message is None:
        assert report(tmp_path, rows)[1].event.matched == 1
    else:
        with pytest.raises(InvalidInputError, match=rf"events\.csv: row 2.*{message}"):
            report(tmp_path, rows)


@pytest.mark.parametrize(
    ("unit_ms", "overlap", "tolerance_ms", "message"),
    [
        (1, 0.6, None, None),
        (MAX_MS, 1.0, MAX_MS, None),
        (1, 1e-9, 0, None),
        (0, 0.6, None, "the time unit must be 1 ms to 24 hours, not 0 ms"),
        (MAX_MS + 1, 0.6, None, "the time unit must be 1 ms to 24 hours"),
        (1000, 0.0, None, "the overlap must be above 0 and at most 1, not 0.0"),
        (1000, 1.0000001, None, "the overlap must be above 0 and at most 1"),
        (1000, 0.6, -1, "the onset tolerance must be 0 ms to 24 hours, not -1 ms"),
        (1000, 0.6, MAX_MS + 1, "the onset tolerance must be 0 ms to 24 hours"),
    ],
)
def test_agreement_settings_at_their_ends(unit_ms, overlap, tolerance_ms, message):
    if message is None:
        check_event_settings(unit_ms, overlap, tolerance_ms)
    else:
        with pytest.raises(InvalidInputError, match=message):
            check_event_settings(unit_ms, overlap, tolerance_ms)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (cli_types.milliseconds, ["0", str(MAX_MS)], ["-1", str(MAX_MS + 1)]),
        (cli_types.positive_ms, ["1", str(MAX_MS)], ["0", str(MAX_MS + 1)]),
        (cli_types.frame_index, ["0", str(MAX_MS)], ["-1", str(MAX_MS + 1)]),
        (cli_types.record_id, ["1", str(MAX_ID)], ["0", str(MAX_ID + 1)]),
        (cli_types.cycle, ["1", "999"], ["0", "1000"]),
        (cli_types.count, ["1", "1000000"], ["0", "1000001"]),
        (cli_types.seed, ["0", str(MAX_ID)], ["-1", str(MAX_ID + 1)]),
        (cli_types.fraction, ["1e-300", "1"], ["0", "1.0000001", "nan", "inf"]),
        (cli_types.iso_date, ["2024-02-29", "2023-12-31"], ["2023-02-29", "2023-13-01"]),
    ],
)
def test_command_line_types_at_each_end(kind, good, bad):
    for text in good:
        kind(text)
    for text in bad:
        with pytest.raises(argparse.ArgumentTypeError, match=repr(text).replace("'", "'?")):
            kind(text)


def agreement(tmp_path, b_start: int, *options: str, a_start: int = 1000):
    path = tmp_path / f"events-{b_start}.csv"
    path.write_text(
        HEADER + f"u,a,x,{a_start},{a_start + 1000},9000\nu,b,x,{b_start},{b_start + 1000},9000\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["agreement", str(path), "--json", *options])
    return code, json.loads(out.getvalue() or "null"), err.getvalue()


@pytest.mark.parametrize(("b_start", "matched"), [(1399, 1), (1400, 1), (1401, 0)])
def test_vfa_agreement_pairs_from_exactly_sixty_percent(tmp_path, b_start, matched):
    # a is [1000, 2000); b as long, starting later: 601, 600 and 599 ms of overlap
    code, result, err = agreement(tmp_path, b_start)
    assert (code, err) == (0, "")
    assert result["event"]["matched"] == matched
    assert result["event"]["unmatched"] == {"first": 1 - matched, "second": 1 - matched}


@pytest.mark.parametrize(
    ("b_start", "matched"),
    # a starts at 3000; a tolerance of 2000 ms reaches from 1000 to 5000, both included
    [(999, 0), (1000, 1), (1001, 1), (4999, 1), (5000, 1), (5001, 0)],
)
def test_vfa_agreement_tolerance_is_inclusive_on_both_sides(tmp_path, b_start, matched):
    code, result, _ = agreement(tmp_path, b_start, "--tolerance-ms", "2000", a_start=3000)
    assert code == 0 and result["event"]["matched"] == matched
    assert result["event"]["tolerance_ms"] == 2000 and result["event"]["overlap"] is None
