"""The supervisor's reliability window: ratings agreement, the disagreement review (a
click plays the disagreement from two seconds before), and blind runs held back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from vfa.app import build_window
from vfa.player.base import PlayerState
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.services.schemes import get_scheme
from vfa.storage.workspace import open_workspace
from vfa.ui.reliability import ReliabilityWindow, columns
from vfa.ui.session import CodingSession


@pytest.fixture
def window(qtbot, tmp_path, clips):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.show()
    ws = open_workspace(tmp_path / "rel.vfa", create=True)
    clip_ids = [
        clip_service.add_clip(ws, clips["cfr25"], "FAM-1", f"Visit {n}").clip_id for n in (1, 2)
    ]
    win.set_workspace(ws)
    yield win, clip_ids
    win.close()


def open_reliability(win, qtbot, scheme_id) -> ReliabilityWindow:
    rel = ReliabilityWindow(CodingSession.bare(win.ws, coder="Sue"), win)
    qtbot.addWidget(rel)
    rel.play_requested.connect(win.play_clip_from)
    rel.scheme.setCurrentIndex(rel.scheme.findData(scheme_id))
    rel.show()
    return rel


def test_ratings_agreement_per_item_total_and_pooled(window, qtbot):
    win, clip_ids = window
    kips = get_scheme("kips")
    items = [i.id for i in kips.ratings.items]
    runs = asg.assign(win.ws, clip_ids, kips, ["Ann", "Ben"])
    values = {
        "Ann": [3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 4, 5],
        "Ben": [3, 4, 4, 2, 3, 5, 5, 4, 1, 2, 4, 5],
    }
    for run in runs:
        for item, value in zip(items, values[run.coder], strict=True):
            coding.set_rating(win.ws, run.id, kips, item, value)
        coding.submit_run(win.ws, run.id)
    rel = open_reliability(win, qtbot, "kips")
    rel.ratings.compute()
    qtbot.waitUntil(lambda: rel.ratings.result is not None, timeout=20_000)
    table = rel.ratings.table
    assert table.rowCount() == len(items) + 2
    assert table.item(len(items) + 1, 0).text() == "(pooled)"
    # pooled exact agreement: the same 9 of 12 items agree on both clips
    same = sum(a == b for a, b in zip(values["Ann"], values["Ben"], strict=True))
    column = 1 + [key for _title, key in columns()].index("exact_agreement")
    assert table.item(len(items) + 1, column).text() == f"{same / len(items):.2f}"
    assert "2 double-coded clips" in rel.ratings.note.text()


def test_blind_runs_still_open_are_held_back(window, qtbot):
    win, clip_ids = window
    kips = get_scheme("kips")
    runs = asg.assign(win.ws, clip_ids[:1], kips, ["Ann", "Ben"])
    coding.set_rating(win.ws, runs[0].id, kips, kips.ratings.items[0].id, 3)
    coding.submit_run(win.ws, runs[0].id)  # Ben has not submitted
    rel = open_reliability(win, qtbot, "kips")
    rel.ratings.compute()
    qtbot.waitUntil(lambda: rel.ratings.result is not None, timeout=20_000)
    assert "held back until their blind runs are submitted" in rel.ratings.note.text()
    assert rel.ratings.result.pending


def test_a_click_on_a_disagreement_plays_it_from_two_seconds_before(window, qtbot):
    win, clip_ids = window
    vig = get_scheme("vig")
    table = clip_service.clip_info(win.ws, clip_ids[0]).frame_table
    runs = asg.assign(win.ws, clip_ids[:1], vig, ["Ann", "Ben"])
    by = {r.coder: r for r in runs}
    events.code_event(win.ws, by["Ann"].id, vig, "waiting", None, 5_000, table)
    events.code_event(win.ws, by["Ben"].id, vig, "waiting", None, 5_040, table)  # agree
    events.code_event(win.ws, by["Ann"].id, vig, "being_attentive", None, 5_920, table)
    for run in runs:
        coding.submit_run(win.ws, run.id)
    rel = open_reliability(win, qtbot, "vig")
    rel.tabs.setCurrentWidget(rel.events)
    assert rel.events.clips.count() == 1
    rel.events.compare()
    qtbot.waitUntil(lambda: rel.events.result is not None, timeout=20_000)
    view = rel.events.view
    kinds = sorted(r.kind for r in view.rows)
    assert kinds == ["match", "missing_second"]
    assert view.list.count() == 1  # only the disagreement is listed
    lone = view.disagreements()[0]
    with qtbot.waitSignal(rel.play_requested, timeout=5_000) as signal:
        view.list.itemClicked.emit(view.list.item(0))
    assert signal.args == [clip_ids[0], max(0, lone.start_ms - 2_000)]
    player = win.player_view.player
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    assert win.current_clip == clip_ids[0]
    # the window that plays it comes in front of the Reliability window that asked
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5_000)


def test_the_window_opens_from_the_menu_with_ctrl_shift_r(window, qtbot):
    win, _ = window
    win.activateWindow()
    qtbot.keyClick(
        win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert isinstance(win.reliability, ReliabilityWindow)
    win.reliability.close()


def test_a_coder_against_the_reference_over_time(window, qtbot):
    from vfa.services.certification import track

    win, clip_ids = window
    kips = get_scheme("kips")
    items = [i.id for i in kips.ratings.items]
    for run in asg.assign(win.ws, clip_ids, kips, ["Ann", "Ben"]):
        for n, item in enumerate(items):
            value = 1 + (n + run.clip_id) % 5
            coding.set_rating(win.ws, run.id, kips, item, value if run.coder == "Ann" else 3)
        coding.submit_run(win.ws, run.id)
    rel = open_reliability(win, qtbot, "kips")
    tab = rel.coders
    rel.tabs.setCurrentWidget(tab)
    tab.coder.setText("Ben")
    tab.reference.setText("Ann")
    tab.compute()
    qtbot.waitUntil(lambda: tab.chart.track is not None, timeout=20_000)
    expected = track(win.ws, "kips", "Ben", "Ann")
    assert tab.status.text().startswith(f"Ben: {expected.status} (")
    assert len(tab.chart.track.points) == len(clip_ids)


GAZE = """
id: gaze_ui
name: Gaze UI test
version: "1"
description: a test scheme
source: the test
ethogram:
  subjects: [child]
  codes:
    - {id: x, name: X, hotkey: "X", kind: state, verified: false}
    - {id: y, name: Y, hotkey: "Y", kind: state, verified: false}
"""


@pytest.fixture
def gaze(monkeypatch, tmp_path):
    folder = tmp_path / "schemes"
    folder.mkdir()
    (folder / "gaze_ui.yaml").write_text(GAZE)
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(folder))
    return get_scheme("gaze_ui")


def compare_events(rel, qtbot):
    rel.tabs.setCurrentWidget(rel.events)
    rel.events.refresh()
    assert rel.events.clips.count() == 1
    rel.events.compare()
    qtbot.waitUntil(lambda: rel.events.result is not None, timeout=20_000)
    return rel.events.view


def test_no_events_coded_by_either_coder_shows_n_a_not_agreement_one(window, qtbot, gaze):
    win, clip_ids = window
    for run in asg.assign(win.ws, clip_ids[:1], gaze, ["Ann", "Ben"]):
        coding.submit_run(win.ws, run.id)
    rel = open_reliability(win, qtbot, "gaze_ui")
    view = compare_events(rel, qtbot)
    text = view.summary.text()
    assert "n/a — no events coded" in text
    assert "1.00" not in text and view.list.count() == 0


def test_an_open_state_is_drawn_to_the_clips_end_and_listed_as_not_stopped(window, qtbot, gaze):
    win, clip_ids = window
    table = clip_service.clip_info(win.ws, clip_ids[0]).frame_table
    by = {r.coder: r for r in asg.assign(win.ws, clip_ids[:1], gaze, ["Ann", "Ben"])}
    events.code_event(win.ws, by["Ann"].id, gaze, "x", None, 2_000, table)  # never stopped
    events.code_event(win.ws, by["Ben"].id, gaze, "y", None, 2_000, table)
    events.code_event(win.ws, by["Ben"].id, gaze, "y", None, 3_000, table)  # stopped
    for run in by.values():
        coding.submit_run(win.ws, run.id)
    rel = open_reliability(win, qtbot, "gaze_ui")
    view = compare_events(rel, qtbot)
    duration = rel.events.result.duration_ms
    row = next(r for r in view.rows if r.first is not None)
    assert row.first.open and row.first.end_ms == duration  # x: 2 s to the end, unpaired
    tracks = view.tracks
    assert tracks.span_rect(row.first).right() == pytest.approx(tracks._x(duration))
    listed = [view.list.item(n).text() for n in range(view.list.count())]
    assert sorted(("not stopped" in t, "only Ann" in t) for t in listed) == [
        (False, False),
        (True, True),
    ]
    tracks.grab()  # paints the open edge without error


def test_an_undefined_kappa_reads_n_a_in_the_window_the_pdf_the_csv_and_the_cli(
    window, qtbot, tmp_path, capsys
):
    # Ben gives 3 to every item of both clips: every kappa is undefined (not "0.00 poor")
    from pypdf import PdfReader

    from vfa.cli import main
    from vfa.services.reliability_report import build_report, write_report

    win, clip_ids = window
    kips = get_scheme("kips")
    items = [i.id for i in kips.ratings.items]
    for run in asg.assign(win.ws, clip_ids, kips, ["Ann", "Ben"]):
        for n, item in enumerate(items):
            coding.set_rating(win.ws, run.id, kips, item, 3 if run.coder == "Ben" else 1 + n % 5)
        coding.submit_run(win.ws, run.id)
    rel = open_reliability(win, qtbot, "kips")
    rel.ratings.compute()
    qtbot.waitUntil(lambda: rel.ratings.result is not None, timeout=20_000)
    column = 1 + [key for _title, key in columns()].index("kappa_quadratic")
    assert rel.ratings.table.item(0, column).text() == "n/a"
    report = build_report(win.ws, "kips", "Sue")
    assert report.ratings.as_dict()["items"][items[0]]["kappa_quadratic"] is None
    pdf = write_report(report, tmp_path / "r.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "n/a" in text and "0.00 [0.00, 0.00]" not in " ".join(text.split())
    csv_text = write_report(report, tmp_path / "r.csv").read_text()
    assert f"{items[0]},kappa_quadratic,n/a,,,," in csv_text
    ratings = tmp_path / "ratings.csv"
    ratings.write_text(
        "unit,coder,item,value\n"
        + "".join(f"u{u},{c},i1,{3 if c == 'B' else u % 5 + 1}\n" for u in range(6) for c in "AB")
    )
    assert main(["reliability", str(ratings)]) == 0
    line = next(t for t in capsys.readouterr().out.splitlines() if t.startswith("i1 "))
    assert line.split()[4] == "n/a"  # the quadratic kappa column
