"""The supervisor's reliability window: ratings agreement, the disagreement review (a
click plays the disagreement from two seconds before), and blind runs held back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from vfa.app import build_window
from vfa.player.base import PlayerState
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.services.schemes import get_scheme
from vfa.storage.workspace import open_workspace
from vfa.ui.reliability import COLUMNS, ReliabilityWindow


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
    rel = ReliabilityWindow(win.ws, lambda: "Sue", win)
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
    column = 1 + [key for _title, key in COLUMNS].index("exact_agreement")
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
    assert rel.ratings.result["pending"]


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
