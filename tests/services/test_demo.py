"""The demo workspace, read back through the services: two cases over three visits with a
generated clip each, KIPS double coded blind with agreement, disagreement and coders over
time that have numbers, a CARE-Index grid, VFA's event scheme with exclusive states,
moments, a reel and consent. The demo is made once for the module (and made a second
time, which must add nothing); every expected number is worked out here from what the
services read back."""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from vfa.media.frames import FrameServer
from vfa.media.synth import BITS, read_barcode
from vfa.services import (
    assignments,
    certification,
    coding,
    consent,
    event_reliability,
    events,
    moments,
    progress,
    reliability_runs,
)
from vfa.services.clips import catalog, clip_info
from vfa.services.demo import create_demo
from vfa.services.schemes import current_scheme, get_scheme
from vfa.storage.models import AuditEntry, RunStatus
from vfa.storage.workspace import Workspace, open_workspace

SUPERVISOR = "Someone else"  # a viewer who codes nothing: sees what a supervisor sees


def snapshot(ws: Workspace) -> dict[str, object]:
    """Everything the demo made, as the services give it, and the audit trail's length."""
    clips = [k.id for c in catalog(ws) for s in c.sessions for k in s.clips]
    runs = assignments.assignments(ws)
    with ws.sessions() as db:
        audited = db.scalar(select(func.count()).select_from(AuditEntry))
    return {
        "catalog": catalog(ws),
        "runs": runs,
        "ratings": {r.run_id: coding.ratings(ws, r.run_id, r.coder) for r in runs},
        "events": {r.run_id: events.run_events(ws, r.run_id, r.coder) for r in runs},
        "moments": [moments.moments(ws, clip_id=c, viewer=SUPERVISOR) for c in clips],
        "consent": [consent.consent_for(ws, c) for c in clips],
        "audit": audited,
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The demo made once (in an isolated user folder), with what it reported as it went,
    and the workspace as it was before and after making the demo a second time."""
    home = tmp_path_factory.mktemp("demo-user")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VFA_CONFIG_DIR", str(home / "config"))
        mp.setenv("VFA_CACHE_DIR", str(home / "cache"))
        ws = open_workspace(home / "demo.vfa", create=True)
        seen: list[float] = []
        added = create_demo(ws, progress=seen.append)
        first = snapshot(ws)
        again = create_demo(ws)
        second = snapshot(ws)
        yield {
            "ws": ws,
            "added": added,
            "again": again,
            "progress": seen,
            "first": first,
            "second": second,
        }
        ws.close()


def runs_of(ws: Workspace, scheme: str) -> dict[int, list[assignments.Assignment]]:
    """The scheme's runs, clip by clip."""
    out: dict[int, list[assignments.Assignment]] = {}
    for run in assignments.assignments(ws, scheme=scheme):
        out.setdefault(run.clip_id, []).append(run)
    return out


def test_two_cases_over_three_visits_with_a_clip_each_that_differ(demo):
    ws = demo["ws"]
    shape = [(c.code, [(s.label, len(s.clips)) for s in c.sessions]) for c in catalog(ws)]
    assert shape == [("DEMO-001", [("Visit 1", 1), ("Visit 2", 1)]), ("DEMO-002", [("Visit 1", 1)])]
    clips = [clip_info(ws, a.clip_id) for a in demo["added"]]
    assert len({c.fingerprint for c in clips}) == 3  # each visit's own scene
    assert all(c.has_audio and (c.width, c.height, round(c.fps)) == (854, 480, 25) for c in clips)
    assert all(20_000 <= c.duration_ms <= 30_000 for c in clips)
    visits = progress.case_progress(ws, "DEMO-001", "kips").sessions
    assert [s.label for s in visits] == ["Visit 1", "Visit 2"]
    assert visits[0].date < visits[1].date and visits[0].cycle < visits[1].cycle
    assert demo["progress"][-1] == 1.0 and demo["progress"] == sorted(demo["progress"])


def test_making_the_demo_again_adds_nothing(demo):
    assert demo["second"] == demo["first"]
    assert [a.clip_id for a in demo["again"]] == [a.clip_id for a in demo["added"]]


def test_making_the_demo_again_keeps_what_someone_trying_it_changed(demo, tmp_path):
    from vfa.services.backups import backup_now

    copy = backup_now(demo["ws"], target=str(tmp_path / "copy.vfa"))
    media = demo["ws"].path.with_name(demo["ws"].path.stem + "-media")
    shutil.copytree(media, tmp_path / "copy-media")  # the copy's own demo clips
    ws = open_workspace(copy)
    try:
        first = demo["added"][0].clip_id
        run = runs_of(ws, "kips")[first][0]
        scheme = get_scheme("kips")
        item = scheme.ratings.items[0].id
        was = coding.ratings(ws, run.run_id, run.coder)[item].value
        coding.reopen_run(ws, run.run_id, "a second look", actor=run.coder)
        coding.set_rating(ws, run.run_id, scheme, item, 5 if was != 5 else 1)
        for moment in moments.moments(ws, clip_id=first, viewer=SUPERVISOR):
            events.delete_event(ws, moment.run_id, moment.id)
        consent.set_consent(ws, first, [], by="the family")
        changed = snapshot(ws)
        create_demo(ws)
        assert snapshot(ws) == changed
    finally:
        ws.close()


def test_kips_is_double_coded_blind_on_every_clip_and_submitted(demo):
    ws = demo["ws"]
    by_clip = runs_of(ws, "kips")
    assert sorted(by_clip) == sorted(a.clip_id for a in demo["added"])
    coders = {tuple(sorted(r.coder for r in runs)) for runs in by_clip.values()}
    assert len(coders) == 1 and len(next(iter(coders))) == 2
    every = [r for runs in by_clip.values() for r in runs]
    assert all(r.blind and r.status is RunStatus.SUBMITTED for r in every)
    assert len({r.submitted_at.date() for r in every}) == len(every)  # spread over days


def kips_values(ws: Workspace) -> dict[tuple[int, str], tuple[object, object]]:
    """(clip, item) → the two coders' values, read back, in coder-name order."""
    out: dict[tuple[int, str], list[object]] = {}
    for clip_id, runs in runs_of(ws, "kips").items():
        for run in sorted(runs, key=lambda r: r.coder):
            for item, state in coding.ratings(ws, run.run_id, SUPERVISOR).items():
                out.setdefault((clip_id, item), []).append(state.value)
    return {k: (v[0], v[1]) for k, v in out.items()}


def test_the_two_coders_mostly_agree_on_kips_and_agreement_has_numbers(demo):
    ws = demo["ws"]
    values = kips_values(ws)
    rated = {k: v for k, v in values.items() if all(isinstance(x, int) for x in v)}
    gaps = Counter(abs(a - b) for a, b in rated.values())  # type: ignore[operator]
    assert gaps[0] > gaps[1] > 0 and gaps[2] >= 1 and max(gaps) == 2  # close, the odd gap
    assert any(v == ("NOB", "NOB") for v in values.values())
    result = reliability_runs.ratings_agreement(ws, "kips", SUPERVISOR)
    assert sorted(result.clips) == sorted(a.clip_id for a in demo["added"])
    assert result.pending == ()
    pooled = result.as_dict()["pooled"]
    assert pooled["n_units"] == len(rated)
    assert pooled["exact_agreement"] == pytest.approx(gaps[0] / len(rated))
    assert pooled["within_one_agreement"] == pytest.approx((gaps[0] + gaps[1]) / len(rated))
    assert pooled["icc_2_1"] is not None and 0 < pooled["icc_2_1"] < 1
    first, second = sorted({r.coder for r in assignments.assignments(ws, scheme="kips")})
    against = reliability_runs.ratings_agreement(ws, "kips", SUPERVISOR, reference=second)
    (r,) = against.as_dict()["pooled"]["pearson_r"].items()
    a, b = np.array(list(rated.values()), float).T  # in coder-name order: first, second
    assert r == (first, pytest.approx(np.corrcoef(a, b)[0, 1]))


def test_coders_over_time_has_a_point_per_clip_with_a_value(demo):
    ws = demo["ws"]
    coder, reference = sorted({r.coder for r in assignments.assignments(ws, scheme="kips")})
    track = certification.track(ws, "kips", coder, reference)
    assert sorted(p.clip_id for p in track.points) == sorted(a.clip_id for a in demo["added"])
    assert all(p.value is not None for p in track.points)
    dates = [p.at for p in track.points]
    assert dates == sorted(dates) and len({d.date() for d in dates}) == len(dates)
    window = track.criterion.window
    assert window <= len(track.points) and track.latest is not None
    assert track.status in {"reliable", "not yet", "drifted"}


def test_case_progress_has_a_kips_total_for_each_visit(demo):
    points = progress.case_progress(demo["ws"], "DEMO-001", "kips").points
    assert {p.session_label for p in points} == {"Visit 1", "Visit 2"}
    assert all(p.total is not None and p.band is not None and p.submitted for p in points)


def test_a_care_index_grid_is_filled_in_with_two_points_per_aspect(demo):
    ws = demo["ws"]
    scheme = get_scheme("care_index_infant")
    grid = scheme.grids[0]
    (runs,) = runs_of(ws, "care_index_infant").values()
    (run,) = runs
    assert run.status is RunStatus.SUBMITTED
    cells = coding.grid_points(coding.ratings(ws, run.run_id, SUPERVISOR))[grid.id]
    assert set(cells) == {r.id for r in grid.rows}
    for row in grid.rows:
        assert set(cells[row.id]) == {m.id for m in grid.members}
        for member in grid.members:
            assert sum(cells[row.id][member.id].values()) == grid.points_per_row
    score = coding.run_score(ws, run.run_id, scheme, SUPERVISOR)
    assert score.grid_bands[grid.id] is not None and not score.grid_missing[grid.id]


def test_the_event_scheme_is_coded_with_exclusive_states_that_never_overlap(demo):
    ws = demo["ws"]
    scheme = get_scheme("vfa_interaction")
    groups = {c.id: c.group for c in scheme.ethogram.codes}
    kinds = {c.id: c.kind for c in scheme.ethogram.codes}
    ((clip_id, runs),) = runs_of(ws, "vfa_interaction").items()
    assert len(runs) == 2 and all(r.blind and r.status is RunStatus.SUBMITTED for r in runs)
    end_of_clip = clip_info(ws, clip_id).duration_ms
    for run in runs:
        coded = events.run_events(ws, run.run_id, SUPERVISOR)
        assert {kinds[e.code] for e in coded} == {"state", "point"}
        spans: dict[tuple[str | None, str], list[tuple[int, int, str]]] = {}
        for e in coded:
            if groups[e.code] is not None:
                end = e.end_ms if e.end_ms is not None else end_of_clip
                spans.setdefault((e.subject, groups[e.code]), []).append((e.start_ms, end, e.code))
        assert {g for _, g in spans} >= {"parent_gaze", "infant_gaze", "parent_touch"}
        switches = 0
        for found in spans.values():
            found.sort()
            for (_, end, code), (start, _, following) in itertools.pairwise(found):
                assert end <= start  # one state of a group at a time per subject
                switches += end == start and code != following
        assert switches > 0  # one state of a group stopped by starting another


def test_the_disagreement_review_has_pairs_that_differ(demo):
    ws = demo["ws"]
    (double,) = event_reliability.double_coded(ws, "vfa_interaction")
    assert double.pending == ()
    first, second = double.coders[:2]
    result = event_reliability.event_agreement_for_clip(
        ws, double.clip_id, "vfa_interaction", (first, second), SUPERVISOR
    )
    differ = [p for p in result.pairs if p.kind != "match"]
    assert differ and any(p.kind == "match" for p in result.pairs)
    kinds = {p.kind for p in differ}
    assert "code" in kinds and kinds & {"missing_first", "missing_second"}
    assert result.time_unit.percent_agreement is not None
    assert result.event.kappa is not None
    assert result.event.matched == sum(p.kind in ("match", "code") for p in result.pairs)


def test_a_reel_of_three_captioned_moments_within_the_guidance(demo):
    ws = demo["ws"]
    sessions = [s for c in catalog(ws) for s in c.sessions]
    reels = {s.id: moments.reel(ws, s.id, SUPERVISOR, complete=True) for s in sessions}
    (session_id,) = [s for s, r in reels.items() if r]
    reel = reels[session_id]
    assert len(reel) == 3 and [m.reel_position for m in reel] == sorted(
        m.reel_position for m in reel
    )
    assert all(m.caption and m.child_line for m in reel)
    assert moments.reel_guidance(ws, session_id, SUPERVISOR) == []
    every = moments.moments(ws, session_id=session_id, viewer=SUPERVISOR)
    assert len(every) > len(reel) and all(m.caption for m in every)
    assert all(current_scheme(ws, m.scheme_id).moments is not None for m in every)
    assert moments.session_theme(ws, session_id)


def test_every_clip_has_consent_for_feedback(demo):
    ws = demo["ws"]
    clip_ids = [a.clip_id for a in demo["added"]]
    for clip_id in clip_ids:
        assert consent.require(ws, clip_id, "feedback", "the demo's reel").covers("feedback")
    assert consent.coverage(ws, clip_ids, "the demo's reel")["feedback"] is None


def top_strip(image: np.ndarray) -> np.ndarray:
    """The mean brightness of each of the barcode's blocks along the top edge."""
    gray = image.mean(axis=2)
    h, w = gray.shape
    block, bar_h = w // BITS, max(12, h // 20)
    return np.array([gray[:bar_h, i * block : (i + 1) * block].mean() for i in range(BITS)])


def test_a_demo_clip_carries_no_barcode(demo):
    info = clip_info(demo["ws"], demo["added"][0].clip_id)
    assert Path(info.path).is_file()
    wanted = [1, 2, 3, 5, 8, 13, 100, 250]
    with FrameServer(info.path, info.frame_table) as frames:
        shown = {i: frames.frame(i) for i in wanted}
    assert sum(read_barcode(image) == i for i, image in shown.items()) <= 1
    for image in shown.values():  # a barcode is black and white blocks; this is a wall
        strip = top_strip(image)
        assert strip.max() - strip.min() < 40
