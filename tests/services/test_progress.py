"""Progress over time: a case's totals per session and coder, with the content coded."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from vfa.domain.schemes import parse_scheme
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.services.progress import case_progress, coded_schemes, has_progress
from vfa.services.schemes import get_scheme

VISITS = {  # label: (date, cycle), added out of order: the chart orders them by date
    "Visit 3": (dt.date(2024, 9, 2), 3),
    "Visit 1": (dt.date(2024, 3, 4), 1),
    "Visit 2": (dt.date(2024, 6, 3), 2),
    "Follow-up": (dt.date(2024, 12, 2), 4),  # filmed, never coded
}


def rate_all(ws, run_id, scheme, values):
    for item, value in zip((i.id for i in scheme.ratings.items), values, strict=True):
        coding.set_rating(ws, run_id, scheme, item, value)


@pytest.fixture
def kips_case(workspace, clips):
    """FAM-1 with four sessions: Ann codes visits 1–3, Ben visit 2, nobody the follow-up."""
    scheme = get_scheme("kips")
    clip = {}
    for label, (date, cycle) in VISITS.items():
        added = clip_service.add_clip(
            workspace, clips["noaudio"], "FAM-1", label, date=date, cycle=cycle
        )
        clip[label] = added.clip_id
    runs = {}
    for label, coder, values in [
        ("Visit 1", "Ann", [2] * 6 + [3] * 6),
        ("Visit 2", "Ann", [3, 3, 4, 4, 3, 3, 4, 4, 3, 3, 4, "NOB"]),
        ("Visit 2", "Ben", [4] * 11 + [5]),
        ("Visit 3", "Ann", [5, 4] * 6),
    ]:
        run = coding.open_run(workspace, clip[label], scheme, coder)
        rate_all(workspace, run.id, scheme, values)
        runs[label, coder] = run.id
    coding.submit_run(workspace, runs["Visit 3", "Ann"])
    return workspace, scheme, clip, runs


def test_totals_per_session_and_coder_in_date_order(kips_case):
    ws, _scheme, clip, runs = kips_case
    progress = case_progress(ws, "FAM-1", "kips")
    assert (progress.case_code, progress.scheme_id, progress.measure) == (
        "FAM-1",
        "kips",
        "KIPS mean",
    )
    assert (progress.scale_min, progress.scale_max) == (1.0, 5.0)
    assert [b.label for b in progress.bands] == ["low", "moderate", "high"]
    assert [s.label for s in progress.sessions] == ["Visit 1", "Visit 2", "Visit 3", "Follow-up"]
    got = [(p.session_label, p.coder, p.total, p.band, p.submitted) for p in progress.points]
    assert got == [
        # (6 × 2 + 6 × 3) / 12 = 30 / 12 = 2.5
        ("Visit 1", "Ann", pytest.approx(2.5), "low", False),
        # NOB is not counted: (6 × 3 + 5 × 4) / 11 = 38 / 11 = 3.4545…
        ("Visit 2", "Ann", pytest.approx(38 / 11), "moderate", False),
        # (11 × 4 + 5) / 12 = 49 / 12 = 4.0833…
        ("Visit 2", "Ben", pytest.approx(49 / 12), "high", False),
        # (6 × 5 + 6 × 4) / 12 = 54 / 12 = 4.5
        ("Visit 3", "Ann", pytest.approx(4.5), "high", True),
    ]
    first = progress.points[0]
    assert (first.date, first.cycle, first.clip_id, first.run_id) == (
        dt.date(2024, 3, 4),
        1,
        clip["Visit 1"],
        runs["Visit 1", "Ann"],
    )
    # the follow-up was filmed but not coded: on the axis, without a point
    follow_up = progress.sessions[-1]
    assert follow_up.date == dt.date(2024, 12, 2)
    assert all(p.session_id != follow_up.id for p in progress.points)


def test_submitted_only_and_a_run_without_a_total(kips_case):
    ws, scheme, clip, _runs = kips_case
    coding.open_run(ws, clip["Follow-up"], scheme, "Ben")  # opened, nothing rated yet
    progress = case_progress(ws, "FAM-1", "kips")
    last = progress.points[-1]
    assert (last.session_label, last.coder, last.total, last.band) == (
        "Follow-up",
        "Ben",
        None,
        None,
    )
    submitted = case_progress(ws, "FAM-1", "kips", submitted_only=True)
    assert [(p.session_label, p.coder) for p in submitted.points] == [("Visit 3", "Ann")]
    assert len(submitted.sessions) == 4  # the axis keeps every session


def test_sessions_without_a_date_come_last_by_cycle(workspace, clips):
    scheme = get_scheme("kips")
    for label, cycle in [("Later", 2), ("Undated", 1)]:
        clip_service.add_clip(workspace, clips["noaudio"], "FAM-9", label, cycle=cycle)
    clip_service.add_clip(
        workspace, clips["noaudio"], "FAM-9", "Dated", date=dt.date(2025, 1, 6), cycle=9
    )
    clip_id = clip_service.add_clip(workspace, clips["noaudio"], "FAM-9", "Later").clip_id
    coding.open_run(workspace, clip_id, scheme, "Ann")
    progress = case_progress(workspace, "FAM-9", "kips")
    assert [s.label for s in progress.sessions] == ["Dated", "Undated", "Later"]


def test_a_run_keeps_the_scheme_content_it_was_coded_with(kips_case):
    ws, scheme, clip, _runs = kips_case
    # an earlier content of KIPS: two items, one of them renamed since, other band names
    raw = copy.deepcopy(scheme.raw)
    raw["version"] = "0"
    raw["ratings"]["items"] = raw["ratings"]["items"][:2]
    raw["ratings"]["items"][1]["id"] = "emotions_old"
    for band in raw["ratings"]["bands"]:
        band["label"] = band["label"].upper()
    old = parse_scheme(raw, "kips-v0.yaml")
    run = coding.open_run(ws, clip["Visit 1"], old, "Cy")
    coding.set_rating(ws, run.id, old, "sensitivity_of_responses", 3)
    coding.set_rating(ws, run.id, old, "emotions_old", 4)
    progress = case_progress(ws, "FAM-1", "kips")
    cy = next(p for p in progress.points if p.coder == "Cy")
    # (3 + 4) / 2 = 3.5, banded by the old content's own bands
    assert (cy.total, cy.band) == (pytest.approx(3.5), "MODERATE")
    assert [b.label for b in progress.bands] == ["low", "moderate", "high"]  # current ones


def test_care_index_plots_the_adult_sensitivity_total(workspace, clips):
    scheme = get_scheme("care_index_infant")
    grid = scheme.grids[0]
    runs = []
    for label, date in [("Visit 1", dt.date(2024, 1, 8)), ("Visit 2", dt.date(2024, 4, 8))]:
        clip_id = clip_service.add_clip(
            workspace, clips["noaudio"], "FAM-2", label, date=date
        ).clip_id
        runs.append(coding.open_run(workspace, clip_id, scheme, "Ann").id)
    for n, row in enumerate(grid.rows):
        # visit 1: 2 sensitivity points on 5 aspects, 1 on 2 aspects: 5 × 2 + 2 × 1 = 12
        points = {"sensitivity": 2} if n < 5 else {"sensitivity": 1, "control": 1}
        coding.set_grid_row(workspace, runs[0], scheme, grid.id, row.id, "adult", points)
        if n < 3:  # visit 2: three of seven aspects so far: a partial sum, not plotted
            coding.set_grid_row(workspace, runs[1], scheme, grid.id, row.id, "adult", points)
    progress = case_progress(workspace, "FAM-2", "care_index_infant")
    assert progress.measure == "Sensitivity total"
    assert (progress.scale_min, progress.scale_max) == (0.0, 14.0)  # 7 aspects × 2 points
    assert [b.label for b in progress.bands] == ["at risk", "inept", "adequate", "sensitive"]
    assert [(p.total, p.band) for p in progress.points] == [(12.0, "sensitive"), (None, None)]


def test_unknown_case_or_scheme_is_named(kips_case):
    ws = kips_case[0]
    with pytest.raises(NotFoundError, match="FAM-404"):
        case_progress(ws, "FAM-404", "kips")
    with pytest.raises(NotFoundError, match="no_such_scheme"):
        case_progress(ws, "FAM-1", "no_such_scheme")
    with pytest.raises(InvalidInputError, match="vig"):
        case_progress(ws, "FAM-1", "vig")  # timed codes only: no score to plot


def test_coded_schemes_and_which_have_a_score(kips_case):
    ws, _scheme, clip, _runs = kips_case
    coding.open_run(ws, clip["Visit 1"], get_scheme("vig"), "Ann")
    assert coded_schemes(ws, "FAM-1") == ["kips", "vig"]
    assert [has_progress(get_scheme(s)) for s in ("kips", "care_index_infant", "vig")] == [
        True,
        True,
        False,
    ]
