"""Agreement from the workspace's coding runs: the same numbers as the CSV route, the blind
rule on agreement views, and the event pairs a disagreement view walks."""

from __future__ import annotations

import random

import pytest

from tests.unit.test_event_agreement import events_of, units_of
from vfa.domain.event_agreement import Event, event_agreement
from vfa.domain.frames import FrameTable
from vfa.errors import NotFoundError
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.services import event_reliability as er
from vfa.services import reliability_runs as rr
from vfa.services.reliability import events_report, ratings_report
from vfa.services.schemes import get_scheme

TABLE = FrameTable.from_pts([i * 40 for i in range(150)], 6000)  # the cfr25 clip: 6 s
REPORT_KEYS = ("coders", "items", "total", "pooled")

GAZE = """
id: gaze_test
name: Gaze test
version: "1"
description: a test scheme
source: the test
ethogram:
  subjects: [child]
  codes:
    - {id: x, name: X, hotkey: "X", kind: state, verified: false}
    - {id: y, name: Y, hotkey: "Y", kind: state, verified: false}
    - {id: p, name: P, hotkey: "P", kind: point, verified: false}
"""


def add_clips(ws, path, n):
    return [clip_service.add_clip(ws, path, "FAM-1", f"Visit {i}").clip_id for i in range(n)]


def write_csv(path, rows, header):
    path.write_text(header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n")
    return path


@pytest.fixture
def kips():
    return get_scheme("kips")


def test_workspace_ratings_agreement_equals_the_csv_route(workspace, clips, kips, tmp_path):
    clip_ids = add_clips(workspace, clips["cfr25"], 6)
    runs = asg.assign(workspace, clip_ids, kips, ["Ben", "Ann"])
    rng = random.Random(3)
    items = [i.id for i in kips.ratings.items]
    rows = []
    for run in runs:
        for item in items:
            value = rng.choice([1, 2, 3, 3, 4, 4, 5, "NOB"])
            coding.set_rating(workspace, run.id, kips, item, value)
            rows.append((run.clip_id, run.coder, item, value))
        coding.submit_run(workspace, run.id)
    # the CSV lists the coders alphabetically, as the workspace report does
    rows.sort(key=lambda r: (r[0], r[1]))
    csv = write_csv(tmp_path / "r.csv", rows, "unit,coder,item,value")
    expected = ratings_report(csv, "kips", reference="Ann").as_dict()
    got = rr.ratings_agreement(workspace, "kips", "Sue", reference="Ann").as_dict()
    assert {k: got[k] for k in REPORT_KEYS} == expected
    assert got["clips"] == clip_ids and got["pending"] == []
    assert got["coders"] == ["Ann", "Ben"]


def test_grid_scale_totals_are_items_and_match_the_csv_route(workspace, clips, tmp_path):
    care = get_scheme("care_index_infant")
    grid = care.grids[0]
    clip_ids = add_clips(workspace, clips["cfr25"], 4)
    runs = asg.assign(workspace, clip_ids, care, ["Ann", "Ben"])
    rng = random.Random(5)
    rows = []
    for run in runs:
        totals = {s.id: 0 for m in grid.members for s in m.scales}
        for row in grid.rows:
            for member in grid.members:
                points = {s.id: 0 for s in member.scales}
                for _ in range(grid.points_per_row):
                    points[rng.choice(member.scales).id] += 1
                coding.set_grid_row(workspace, run.id, care, grid.id, row.id, member.id, points)
                for scale, value in points.items():
                    totals[scale] += value
        rows += [(run.clip_id, run.coder, scale, value) for scale, value in totals.items()]
        coding.submit_run(workspace, run.id)
    csv = write_csv(tmp_path / "g.csv", rows, "unit,coder,item,value")
    expected = ratings_report(csv, care).as_dict()
    got = rr.ratings_agreement(workspace, "care_index_infant", "Sue").as_dict()
    assert {k: got[k] for k in REPORT_KEYS} == expected
    assert set(got["items"]) == {s.id for m in grid.members for s in m.scales}


def test_a_partial_grid_total_is_missing_not_a_small_number(workspace, clips):
    care = get_scheme("care_index_infant")
    grid = care.grids[0]
    (clip_id,) = add_clips(workspace, clips["cfr25"], 1)
    ann, ben = asg.assign(workspace, [clip_id], care, ["Ann", "Ben"])
    adult, infant = grid.members
    for run in (ann, ben):
        for row in grid.rows:
            points = {adult.scales[0].id: grid.points_per_row}
            coding.set_grid_row(workspace, run.id, care, grid.id, row.id, adult.id, points)
        # one infant row only: the infant's totals are not comparable
        points = {infant.scales[0].id: grid.points_per_row}
        coding.set_grid_row(workspace, run.id, care, grid.id, grid.rows[0].id, infant.id, points)
        coding.submit_run(workspace, run.id)
    coded = rr.coded_ratings(workspace, "care_index_infant", "Sue")
    unit = str(clip_id)
    assert coded.table.values[adult.scales[0].id][unit] == {
        "Ann": float(grid.points_per_row * len(grid.rows)),
        "Ben": float(grid.points_per_row * len(grid.rows)),
    }
    assert coded.table.values[infant.scales[0].id][unit] == {"Ann": None, "Ben": None}


def test_agreement_waits_for_every_blind_run(workspace, clips, kips):
    done, open_ = add_clips(workspace, clips["cfr25"], 2)
    runs = asg.assign(workspace, [done, open_], kips, ["Ann", "Ben"])
    for run in runs:
        for item in kips.ratings.items:
            coding.set_rating(workspace, run.id, kips, item.id, 3 if run.coder == "Ann" else 4)
    for run in runs:
        if not (run.clip_id == open_ and run.coder == "Ben"):
            coding.submit_run(workspace, run.id)
    for viewer in ("Ann", "Ben", "Sue"):
        with pytest.raises(asg.BlindError, match="Ben, in_progress"):
            rr.ratings_agreement(workspace, "kips", viewer, clip_ids=[open_])
    report = rr.ratings_agreement(workspace, "kips", "Ann").as_dict()
    assert report["clips"] == [done]
    assert [p["clip_id"] for p in report["pending"]] == [open_]
    assert report["pending"][0]["runs"][0]["coder"] == "Ben"
    # even counting unsubmitted runs, a clip with an open blind run stays out
    assert rr.ratings_agreement(workspace, "kips", "Sue", submitted_only=False).as_dict()[
        "clips"
    ] == [done]
    ben_open = next(r for r in runs if r.clip_id == open_ and r.coder == "Ben")
    coding.submit_run(workspace, ben_open.id)
    report = rr.ratings_agreement(workspace, "kips", "Ben", clip_ids=[open_]).as_dict()
    assert report["clips"] == [open_] and report["items"][kips.ratings.items[0].id]["n_units"] == 1


def test_an_unknown_reference_is_refused_by_name(workspace, clips, kips):
    (clip_id,) = add_clips(workspace, clips["cfr25"], 1)
    for run in asg.assign(workspace, [clip_id], kips, ["Ann", "Ben"]):
        coding.set_rating(workspace, run.id, kips, kips.ratings.items[0].id, 3)
        coding.submit_run(workspace, run.id)
    with pytest.raises(rr.InvalidInputError, match="'Zed'"):
        rr.ratings_agreement(workspace, "kips", "Sue", reference="Zed")


# -- events ------------------------------------------------------------------------------


@pytest.fixture
def gaze(monkeypatch, tmp_path):
    folder = tmp_path / "schemes"
    folder.mkdir()
    (folder / "gaze_test.yaml").write_text(GAZE)
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(folder))
    return get_scheme("gaze_test")


def code_state(ws, run_id, scheme, code, start, end):
    events.code_event(ws, run_id, scheme, code, None, start, TABLE)
    events.code_event(ws, run_id, scheme, code, None, end, TABLE)  # the key again stops it


# (code, start, end) per coder; all on frame boundaries of the 25 fps clip
FIRST = [("x", 0, 2000), ("y", 3000, 4000), ("x", 5000, 5400)]
SECOND = [("x", 120, 2000), ("x", 3000, 4000), ("y", 5600, 5800)]


@pytest.fixture
def coded_pair(workspace, clips, gaze):
    (clip_id,) = add_clips(workspace, clips["cfr25"], 1)
    ann, ben = asg.assign(workspace, [clip_id], gaze, ["Ann", "Ben"])
    for run, spans in ((ann, FIRST), (ben, SECOND)):
        for code, start, end in spans:
            code_state(workspace, run.id, gaze, code, start, end)
    return workspace, clip_id, ann, ben


def test_event_views_wait_for_both_blind_runs(coded_pair):
    ws, clip_id, ann, ben = coded_pair
    coding.submit_run(ws, ann.id)
    with pytest.raises(NotFoundError, match="Ben has no submitted"):
        er.event_agreement_for_clip(ws, clip_id, "gaze_test", ("Ann", "Ben"), "Sue")
    for viewer in ("Ann", "Ben", "Sue"):
        with pytest.raises(asg.BlindError, match=f"run {ben.id} \\(Ben"):
            er.event_agreement_for_clip(
                ws, clip_id, "gaze_test", ("Ann", "Ben"), viewer, submitted_only=False
            )
    coding.submit_run(ws, ben.id)
    result = er.event_agreement_for_clip(ws, clip_id, "gaze_test", ("Ann", "Ben"), "Ben")
    assert result.run_ids == (ann.id, ben.id)


def test_event_pairs_for_the_disagreement_view(coded_pair):
    ws, clip_id, ann, ben = coded_pair
    coding.submit_run(ws, ann.id)
    coding.submit_run(ws, ben.id)
    result = er.event_agreement_for_clip(ws, clip_id, "gaze_test", ("Ann", "Ben"), "Sue")
    kinds = [p.kind for p in result.pairs]
    assert kinds == ["match", "code", "missing_second", "missing_first"]
    starts = [p.start_ms for p in result.pairs]
    assert starts == sorted(starts) == [0, 3000, 5000, 5600]
    ann_events = {(e.code, e.start_ms): e.id for e in events.run_events(ws, ann.id)}
    ben_events = {(e.code, e.start_ms): e.id for e in events.run_events(ws, ben.id)}
    match = result.pairs[0]
    assert (match.first.run_id, match.first.annotation_id) == (ann.id, ann_events[("x", 0)])
    assert (match.second.run_id, match.second.annotation_id) == (ben.id, ben_events[("x", 120)])
    code = result.pairs[1]
    assert (code.first.code, code.second.code) == ("y", "x")
    assert result.pairs[2].second is None and result.pairs[2].first.end_ms == 5400
    assert result.pairs[3].first is None and result.pairs[3].second.code == "y"
    assert result.as_dict()["pairs"][1]["kind"] == "code"


def test_event_statistics_equal_the_domain_and_the_csv_route(coded_pair, tmp_path):
    ws, clip_id, ann, ben = coded_pair
    coding.submit_run(ws, ann.id)
    coding.submit_run(ws, ben.id)
    result = er.event_agreement_for_clip(
        ws, clip_id, "gaze_test", ("Ann", "Ben"), "Sue", unit_ms=500, tolerance_ms=300
    )
    a = [Event(c, s, e) for c, s, e in FIRST]
    b = [Event(c, s, e) for c, s, e in SECOND]
    assert result.event.kappa == events_of(a, b, tolerance_ms=300).kappa
    assert result.time_unit.kappa == units_of(a, b, 6000, 500).kappa
    rows = [(clip_id, "Ann", c, s, e, 6000) for c, s, e in FIRST]
    rows += [(clip_id, "Ben", c, s, e, 6000) for c, s, e in SECOND]
    csv = write_csv(tmp_path / "e.csv", rows, "unit,coder,code,start_ms,end_ms,duration_ms")
    expected = events_report(csv, unit_ms=500, tolerance_ms=300)
    assert result.time_unit == expected.time_unit
    assert result.event == expected.event
    pooled = er.events_agreement(ws, "gaze_test", "Sue", unit_ms=500, tolerance_ms=300)
    assert pooled.agreement.time_unit == expected.time_unit
    assert pooled.agreement.event == expected.event
    assert pooled.clips == (clip_id,) and pooled.skipped == ()
    assert pooled.as_dict()["time_unit"] == expected.as_dict()["time_unit"]


def test_double_coded_lists_clips_with_two_submitted_runs(workspace, clips, kips):
    one, two, three = add_clips(workspace, clips["cfr25"], 3)
    runs = asg.assign(workspace, [one, two], kips, ["Ann", "Ben"])
    runs += asg.assign(workspace, [three], kips, ["Ann"])
    for run in runs:
        if run.clip_id != two or run.coder == "Ann":
            coding.submit_run(workspace, run.id)
    found = er.double_coded(workspace, "kips")
    assert [(d.clip_id, d.coders, d.pending) for d in found] == [(one, ("Ann", "Ben"), ())]


def test_pair_events_index_the_sequences_as_given():
    from vfa.domain.event_agreement import pair_events

    # given out of time order, with a point event and a duplicate onset
    a = [Event("y", 3000, 4000), Event("x", 0, 2000), Event("p", 4500), Event("x", 5000, 5400)]
    b = [Event("p", 4700), Event("x", 3000, 4000), Event("x", 120, 2000)]
    pairs = pair_events(a, b)
    assert pairs == [(1, 2), (0, 1), (2, 0), (3, None)]
    matched = [(a[i].code, b[j].code) for i, j in pairs if i is not None and j is not None]
    result = event_agreement(a, b)
    assert len(matched) == result.matched
    assert sum(x == y for x, y in matched) == int(result.confusion.counts.trace())
    assert pair_events([], b) == [(None, 2), (None, 1), (None, 0)]
    with pytest.raises(ValueError):
        pair_events(a, b, overlap=0)


def test_a_code_for_several_subjects_is_told_apart_by_subject():
    assert er.event_label("touch", "parent", several=True) == "parent:touch"
    assert er.event_label("touch", "child", several=False) == "touch"
    assert er.event_label("touch", None, several=True) == "touch"


def test_an_open_state_runs_to_the_clips_end_and_is_marked_open(workspace, clips, gaze):
    # Ann starts x at 4000 and never stops it; Ben codes x from 4000 to the clip's end
    (clip_id,) = add_clips(workspace, clips["cfr25"], 1)
    ann, ben = asg.assign(workspace, [clip_id], gaze, ["Ann", "Ben"])
    events.code_event(workspace, ann.id, gaze, "x", None, 4000, TABLE)
    code_state(workspace, ben.id, gaze, "x", 4000, 6000)
    coding.submit_run(workspace, ann.id)
    coding.submit_run(workspace, ben.id)
    result = er.event_agreement_for_clip(workspace, clip_id, "gaze_test", ("Ann", "Ben"), "Sue")
    (pair,) = result.pairs
    assert pair.kind == "match"
    assert (pair.first.start_ms, pair.first.end_ms, pair.first.open) == (4000, 6000, True)
    assert pair.second.open is False and result.as_dict()["pairs"][0]["first"]["open"] is True
    assert result.time_unit.code("x").both == 2  # units 4-5 s for both
    assert er.state_end(4000, None, 6000) == 6000
    assert er.state_end(6000, None, 6000) is None  # opened at the very end: a point
    assert er.state_end(1000, 1000, 6000) is None


def test_no_events_coded_by_either_coder_is_undefined_agreement(workspace, clips, gaze):
    (clip_id,) = add_clips(workspace, clips["cfr25"], 1)
    runs = asg.assign(workspace, [clip_id], gaze, ["Ann", "Ben"])
    for run in runs:
        coding.submit_run(workspace, run.id)
    result = er.event_agreement_for_clip(workspace, clip_id, "gaze_test", ("Ann", "Ben"), "Sue")
    assert result.time_unit.percent_agreement is None and result.time_unit.kappa is None
    assert result.event.percent_agreement is None and result.pairs == []
