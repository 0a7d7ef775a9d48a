"""Certification and drift: criteria (stored and default) and a coder's status over time."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import select, update

from vfa.errors import InvalidInputError
from vfa.services import assignments as asg
from vfa.services import certification as cert
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.services.schemes import get_scheme
from vfa.storage.models import AuditEntry, CodingRun

WINDOW = 3
THRESHOLD = 0.8
START = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def kips():
    return get_scheme("kips")


def coded_clips(ws, path, kips, disagreements, days=None, first=0):
    """One clip per entry: the reference Rita rates every KIPS item 3; the trainee Tess
    gives 4 to the first ``n`` items and 3 to the rest. Clip k is submitted on day
    ``days[k]`` (default k)."""
    items = [i.id for i in kips.ratings.items]
    out = []
    for k, n in enumerate(disagreements):
        clip_id = clip_service.add_clip(ws, path, "FAM-1", f"Visit {first + k}").clip_id
        rita, tess = asg.assign(ws, [clip_id], kips, ["Rita", "Tess"])
        day = days[k] if days is not None else k
        for run, values in ((rita, [3] * len(items)), (tess, [4] * n + [3] * (len(items) - n))):
            for item, value in zip(items, values, strict=True):
                coding.set_rating(ws, run.id, kips, item, value)
            coding.submit_run(ws, run.id)
            with ws.sessions.begin() as db:
                db.execute(
                    update(CodingRun)
                    .where(CodingRun.id == run.id)
                    .values(submitted_at=START + dt.timedelta(days=day, hours=run.id))
                )
        out.append(clip_id)
    return out


@pytest.fixture
def exact_rule(workspace):
    return cert.set_criterion(workspace, "kips", "exact_agreement", THRESHOLD, WINDOW, by="Sue")


def test_defaults_are_stated_placeholders(workspace):
    kips_rule = cert.criterion(workspace, "kips")
    assert (kips_rule.statistic, kips_rule.threshold, kips_rule.stored) == ("icc_2_1", 0.7, False)
    assert "not public" in kips_rule.note
    care = cert.criterion(workspace, "care_index_infant")
    assert (care.statistic, care.item, care.threshold) == ("pearson_r", "sensitivity", 0.7)
    assert "[unverified]" in care.note
    other = cert.criterion(workspace, "vig")
    assert other.statistic == "icc_2_1" and not other.stored


def test_a_stored_criterion_replaces_the_default_and_is_audited(workspace, exact_rule):
    found = cert.criterion(workspace, "kips")
    assert found.stored and found == exact_rule
    assert (found.statistic, found.threshold, found.window) == ("exact_agreement", 0.8, 3)
    again = cert.set_criterion(workspace, "kips", "kappa_quadratic", 0.6)
    assert again.window == WINDOW  # kept when not given
    with workspace.sessions() as db:
        entries = db.scalars(
            select(AuditEntry).where(AuditEntry.entity == "reliability_criterion")
        ).all()
    assert [e.detail["to"]["statistic"] for e in entries] == ["exact_agreement", "kappa_quadratic"]
    assert entries[0].actor == "Sue" and entries[1].detail["from"]["statistic"] == "exact_agreement"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("fleiss", 0.7, 5), "unknown statistic"),
        (("icc_2_1", 1.5, 5), "threshold"),
        (("icc_2_1", 0.7, 0), "window"),
    ],
)
def test_bad_criteria_are_refused(workspace, args, reason):
    with pytest.raises(InvalidInputError, match=reason):
        cert.set_criterion(workspace, "kips", *args)
    assert not cert.criterion(workspace, "kips").stored


def test_an_unknown_item_is_refused(workspace):
    with pytest.raises(InvalidInputError, match="no item or grid scale 'warmth'"):
        cert.set_criterion(workspace, "kips", "pearson_r", 0.7, 5, item="warmth")


def test_reliable_when_the_latest_window_meets_the_criterion(workspace, clips, kips, exact_rule):
    design = [2, 1, 0, 1]
    coded_clips(workspace, clips["cfr25"], kips, design)
    result = cert.track(workspace, "kips", "Tess", "Rita")
    # by hand: 12 items a clip, so a window of 3 clips pools 36 ratings; the windows
    # [2, 1, 0] and [1, 0, 1] disagree on 3 and 2 of them: 33/36 and 34/36, both >= 0.8
    expected = [pytest.approx(33 / 36), pytest.approx(34 / 36)]
    assert [p.rolling for p in result.points] == [None, None, *expected]
    assert [p.value for p in result.points] == [10 / 12, 11 / 12, 12 / 12, 11 / 12]
    assert result.status == "reliable" and result.latest == pytest.approx(34 / 36)


def test_not_yet_when_never_met_or_too_few_clips(workspace, clips, kips, exact_rule):
    design = [6, 5, 6]
    coded_clips(workspace, clips["cfr25"], kips, design[:2])
    assert cert.track(workspace, "kips", "Tess", "Rita").status == "not yet"  # no window yet
    coded_clips(workspace, clips["cfr25"], kips, design[2:], days=[2], first=2)
    result = cert.track(workspace, "kips", "Tess", "Rita")
    # by hand: the one window [6, 5, 6] disagrees on 17 of 36 ratings: 19/36 < 0.8
    assert [p.rolling for p in result.points] == [None, None, pytest.approx(19 / 36)]
    assert result.status == "not yet"


def test_drifted_when_met_before_but_not_in_the_latest_window(workspace, clips, kips, exact_rule):
    design = [0, 1, 0, 5, 6, 6]
    coded_clips(workspace, clips["cfr25"], kips, design)
    result = cert.track(workspace, "kips", "Tess", "Rita")
    # by hand: windows [0,1,0] [1,0,5] [0,5,6] [5,6,6] disagree on 1, 6, 11 and 17 of 36:
    # 35/36 and 30/36 meet 0.8, 25/36 and 19/36 do not
    rolling = [35 / 36, 30 / 36, 25 / 36, 19 / 36]
    assert [p.rolling for p in result.points] == [None, None, *map(pytest.approx, rolling)]
    assert result.status == "drifted"
    assert result.as_dict()["status"] == "drifted"


def test_points_follow_the_later_submission_not_the_clip_order(workspace, clips, kips, exact_rule):
    design = [0, 6, 1]
    ids = coded_clips(workspace, clips["cfr25"], kips, design, days=[5, 1, 3])
    result = cert.track(workspace, "kips", "Tess", "Rita")
    assert [p.clip_id for p in result.points] == [ids[1], ids[2], ids[0]]
    assert result.points[0].at < result.points[1].at < result.points[2].at


def test_an_item_criterion_correlates_that_item_across_the_window(workspace, clips, kips):
    cert.set_criterion(workspace, "kips", "pearson_r", 0.7, 4, item="encouragement")
    items = [i.id for i in kips.ratings.items]
    rita_values, tess_values = [1, 2, 4, 5, 3], [2, 2, 5, 4, 3]
    for k, (r, t) in enumerate(zip(rita_values, tess_values, strict=True)):
        clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-2", f"V{k}").clip_id
        for run in asg.assign(workspace, [clip_id], kips, ["Rita", "Tess"]):
            value = r if run.coder == "Rita" else t
            coding.set_rating(workspace, run.id, kips, "encouragement", value)
            coding.set_rating(workspace, run.id, kips, items[0], 3)
            coding.submit_run(workspace, run.id)
    result = cert.track(workspace, "kips", "Tess", "Rita")
    # five clips, each a single unit: no per-clip correlation
    assert [p.value for p in result.points] == [None] * 5
    expected = [
        np.corrcoef(rita_values[k - 3 : k + 1], tess_values[k - 3 : k + 1])[0, 1] for k in (3, 4)
    ]
    assert [p.rolling for p in result.points[3:]] == pytest.approx(expected)
    assert result.status == ("reliable" if expected[-1] >= 0.7 else "drifted")


def test_status_rules_on_rolling_values():
    assert cert.status_of([], 0.7) == "not yet"
    assert cert.status_of([0.5, 0.71], 0.7) == "reliable"
    assert cert.status_of([0.8, None], 0.7) == "drifted"  # not computable: not met
    assert cert.status_of([0.6, 0.69], 0.7) == "not yet"


def test_a_coder_is_not_their_own_reference(workspace):
    with pytest.raises(InvalidInputError, match="own reference"):
        cert.track(workspace, "kips", "Rita", "Rita")
