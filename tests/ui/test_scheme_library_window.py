"""The window reads the scheme folders once, when the composition root builds it; a scheme
file added later is offered after a restart or the coding panel's reload, and a scheme an
import made at once."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.services.test_scheme_library import count_reads
from tests.ui.test_actions_surface import answering
from vfa.io.vfa_csv import EVENT_COLUMNS
from vfa.services import schemes as scheme_files
from vfa.services.workspaces import open_workspace
from vfa.ui.import_dialog import ImportDialog


@pytest.fixture
def reads(monkeypatch):
    return count_reads(monkeypatch)


def _window(qtbot):
    from vfa.app import build_window

    win = build_window("qt")
    qtbot.addWidget(win)
    return win


def _offered(win) -> list[str]:
    chooser = win.coding.chooser
    return [chooser.itemData(i).id for i in range(1, chooser.count())]


def test_the_window_reads_the_scheme_folders_once_on_start(reads, qtbot, barcode_copy):
    win = _window(qtbot)
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.player_view.frame_shown, timeout=20_000):
        win.set_workspace(open_workspace(barcode_copy))
        win.open_clip(1)
    for tab in range(win.side.count()):  # each pane drawn: codes named, themes offered
        win.side.setCurrentIndex(tab)
        QApplication.processEvents()
    assert win.feedback.moments.list.count() == 2
    assert "Waiting" in win.feedback.moments.list.item(1).text()  # named from its scheme
    assert win.feedback.reel.theme.count() > 0  # the VIPP-SD themes
    win.coding.choose("kips")
    assert win.coding.scheme is not None and win.coding.scheme.id == "kips"
    assert reads[0] == 1
    win.close()


def test_a_scheme_file_added_is_offered_after_a_restart_or_a_reload(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "schemes"
    folder.mkdir()
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(folder))
    first = _window(qtbot)
    text = (scheme_files.shipped_dir() / "kips.yaml").read_text(encoding="utf-8")
    assert "\nid: kips\n" in text
    (folder / "home.yaml").write_text(text.replace("\nid: kips\n", "\nid: home\n"), "utf-8")
    assert "home" not in _offered(first)  # read once, on start
    assert "home" in _offered(_window(qtbot))  # a restart reads the folders again
    first.coding.refresh_schemes()  # and so does the panel's reload
    assert "home" in _offered(first)
    assert first.session.schemes.get("home").source_file == str(folder / "home.yaml")


def test_a_scheme_an_import_made_is_offered_at_once(window, qtbot, tmp_path):
    source = tmp_path / "lab.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, EVENT_COLUMNS)
        writer.writeheader()
        row = dict.fromkeys(EVENT_COLUMNS, "")
        row.update(clip_file="demo-play.mp4", coder="Ann", scheme="lab", subject="child",
                   code="look", start_ms="1000", end_ms="2000")  # fmt: skip
        writer.writerow(row)
    assert "import-lab" not in _offered(window)

    def run_import(dialog: ImportDialog) -> None:
        with qtbot.waitSignal(dialog.planned, timeout=20_000):
            dialog.set_file(str(source))
        with qtbot.waitSignal(dialog.imported, timeout=20_000):
            qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    with answering(qtbot, (ImportDialog, run_import)):
        window.import_coding()
    assert "import-lab" in _offered(window)
    assert "import-lab" in [s.id for s in window.session.schemes()]


def _double_coded(workspace, clips, n_clips=1):
    """A session on a workspace whose clips Ann and Ben coded with KIPS and with VIG, and
    the reliability window on it."""
    from vfa.services import assignments, coding, events
    from vfa.services import clips as clip_service
    from vfa.ui.reliability import ReliabilityWindow
    from vfa.ui.session import CodingSession

    session = CodingSession.bare(workspace, coder="Sue")
    kips, vig = session.schemes.get("kips"), session.schemes.get("vig")
    for n in range(n_clips):
        clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", f"V{n}").clip_id
        table = clip_service.clip_info(workspace, clip_id).frame_table
        for run in assignments.assign(workspace, [clip_id], kips, ["Ann", "Ben"]):
            for item in kips.ratings.items:
                coding.set_rating(workspace, run.id, kips, item.id, 3)
            coding.submit_run(workspace, run.id)
        for run in assignments.assign(workspace, [clip_id], vig, ["Ann", "Ben"]):
            events.code_event(workspace, run.id, vig, "waiting", None, 5_000, table)
            coding.submit_run(workspace, run.id)
    return ReliabilityWindow(session, None)


def test_the_reliability_window_looks_schemes_up_in_its_library(reads, qtbot, workspace, clips):
    """Ratings agreement, event agreement and a coder's track read no scheme folder: the
    services take the session's library as their lookup."""
    rel = _double_coded(workspace, clips)
    qtbot.addWidget(rel)
    reads[0] = 0
    rel.scheme.setCurrentIndex(rel.scheme.findData("kips"))
    rel.ratings.compute()
    qtbot.waitUntil(lambda: rel.ratings.result is not None, timeout=20_000)
    rel.coders.coder.setText("Ben")
    rel.coders.reference.setText("Ann")
    rel.coders.compute()
    qtbot.waitUntil(lambda: rel.coders.chart.track is not None, timeout=20_000)
    rel.scheme.setCurrentIndex(rel.scheme.findData("vig"))
    assert rel.events.clips.count() == 1
    rel.events.compare()
    qtbot.waitUntil(lambda: rel.events.result is not None, timeout=20_000)
    assert reads[0] == 0
    rel.close()


def test_assigning_saving_a_criterion_and_the_report_read_no_scheme_folder(
    reads, qtbot, workspace, clips, tmp_path, monkeypatch
):
    """The window's other reliability work looks schemes up in the session's library too:
    a share assigned, a criterion saved, the report of a scheme with timed events pooled
    over several clips (a lookup for each clip, before)."""
    import vfa.ui.reliability as reliability_ui
    from vfa.services import assignments, certification

    rel = _double_coded(workspace, clips, n_clips=2)
    qtbot.addWidget(rel)
    out = tmp_path / "vig.csv"
    monkeypatch.setattr(reliability_ui, "ask_save_file", lambda *_args: (out, False))
    reads[0] = 0
    rel.scheme.setCurrentIndex(rel.scheme.findData("vig"))
    rel.ratings.save_report()
    qtbot.waitUntil(out.exists, timeout=20_000)
    assert "time_unit" in out.read_text(encoding="utf-8")
    rel.coders.statistic.setCurrentIndex(rel.coders.statistic.findData("kappa_linear"))
    rel.coders.save_criterion()
    assert certification.criterion(workspace, "vig").statistic == "kappa_linear"
    rel.assign.coders.setText("Cy, Di")
    rel.assign.every.setValue(1)
    rel.assign.assign()
    assert {a.coder for a in assignments.assignments(workspace, scheme="vig")} >= {"Cy", "Di"}
    assert reads[0] == 0
    rel.close()


def test_the_script_the_progress_chart_and_the_check_read_no_scheme_folder(
    reads, window, qtbot, tmp_path, monkeypatch
):
    """The feedback script (titled by its moments' schemes), a case's progress and the
    workspace check look schemes up in the window's library."""
    from PySide6.QtWidgets import QFileDialog

    from tests.ui.test_actions_surface import TypeFileName
    from vfa.services import coding
    from vfa.ui.backups_dialog import CheckDialog
    from vfa.ui.messages import Level
    from vfa.ui.progress_chart import ProgressDialog

    kips = window.session.schemes.get("kips")
    run = coding.open_run(window.ws, 1, kips, window.coder_name())
    coding.set_rating(window.ws, run.id, kips, kips.ratings.items[0].id, 3)
    reads[0] = 0
    with answering(qtbot, (QFileDialog, TypeFileName(tmp_path / "script"))):
        window.actions_by_id["reel.script"].trigger()
    qtbot.waitUntil(lambda: window.messages.level("reel.script") is Level.INFO, timeout=20_000)
    assert (tmp_path / "script.pdf").read_bytes()[:5] == b"%PDF-"
    charted = []

    def look(dialog: ProgressDialog) -> None:
        charted.extend(p.total for p in dialog.chart.plotted())
        dialog.reject()

    with answering(qtbot, (ProgressDialog, look)):
        window.actions_by_id["case.progress"].trigger()
    assert charted == [3.0]
    checked = []
    monkeypatch.setattr(CheckDialog, "exec", lambda dialog: checked.append(dialog) or 0)
    window.actions_by_id["workspace.check"].trigger()
    qtbot.waitUntil(lambda: bool(checked), timeout=20_000)
    assert reads[0] == 0
