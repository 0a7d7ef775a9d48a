"""The coding panel driven by keys alone, as a coder works: the KIPS list and the
CARE-Index grid take the same keys (a digit sets the value, Enter or ↓ moves on, N gives
"not observed" where the scheme has it), a key that cannot be taken says why, a grid
row shows its points against what it needs, and the current item is described beside
the form. Every edit is one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.ui.coding_panel import CodingPanel
from vfa.ui.session import CodingSession
from vfa.ui.settings import config_dir

KEY = Qt.Key
SHIPPED = Path(__file__).resolve().parents[2] / "coding_schemes"


@pytest.fixture
def make_panel(qtbot, workspace, clips):
    """A coding panel on a bare session with a clip open (made after any scheme folder a
    test sets up, so that the session reads it)."""

    def make() -> CodingPanel:
        clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
        session = CodingSession.bare(workspace, coder="Ann")
        session.open_clip(clip_service.clip_info(workspace, clip_id))
        panel = CodingPanel(session, session.schemes)
        qtbot.addWidget(panel)
        panel.resize(420, 900)
        panel.show()
        qtbot.waitExposed(panel)
        panel.activateWindow()  # the keys go where the focus is
        qtbot.waitUntil(lambda: QApplication.activeWindow() is panel, timeout=5_000)
        return panel

    return make


def stored(panel: CodingPanel) -> dict[str, object]:
    run = panel.run
    if run is None:
        return {}
    return {k: s.value for k, s in coding.ratings(panel.session.ws, run.id).items()}


def grid_stored(panel: CodingPanel, member: str) -> dict[str, dict[str, int]]:
    """Each row's stored points for one member of the CARE-Index grid."""
    points = coding.grid_points(coding.ratings(panel.session.ws, panel.run.id))
    return {row: cells[member] for row, cells in points.get("care_index", {}).items()}


def test_the_kips_list_shows_each_item_by_its_published_number_and_name(make_panel):
    panel = make_panel()
    panel.choose("kips")
    table = panel.table
    # the published names, in the published order (shared/domain/instruments.md)
    assert table.item(0, 0).text() == "1 Sensitivity of Responses"
    assert table.item(3, 0).text() == "4 Involvement in Child's Activities"
    assert table.item(11, 0).text() == "12 Promotes Exploration & Curiosity"
    assert table.textElideMode() == Qt.TextElideMode.ElideNone and table.wordWrap()


def test_the_kips_list_is_rated_with_digits_enter_down_and_n(make_panel, qtbot):
    panel = make_panel()
    panel.choose("kips")
    items = [i.id for i in panel.scheme.ratings.items]
    table = panel.table
    table.setFocus()
    qtbot.keyClick(table, KEY.Key_4)  # rates the first item and moves on
    assert stored(panel) == {items[0]: 4} and table.currentRow() == 1
    qtbot.keyClick(table, KEY.Key_Return)  # moves on, rates nothing
    qtbot.keyClick(table, KEY.Key_Down)
    assert table.currentRow() == 3 and stored(panel) == {items[0]: 4}
    qtbot.keyClick(table, KEY.Key_N)  # not observed
    assert stored(panel)[items[3]] == "NOB" and table.currentRow() == 4
    assert panel.session.undo.count() == 2  # one undo step a rating


@pytest.mark.parametrize("key, digit", [(KEY.Key_9, "9"), (KEY.Key_0, "0"), (KEY.Key_6, "6")])
def test_a_digit_off_the_scale_says_why_and_changes_nothing(make_panel, qtbot, key, digit):
    panel = make_panel()
    panel.choose("kips")
    table = panel.table
    table.setFocus()
    qtbot.keyClick(table, KEY.Key_Down)
    qtbot.keyClick(table, key)
    said = panel.message.text()
    assert said.startswith(f"{digit} is not a rating")
    assert "2 Supports Emotions" in said and "1–5" in said and "NOB" in said
    assert stored(panel) == {} and panel.run is None and table.currentRow() == 1
    qtbot.keyClick(table, KEY.Key_3)  # a rating that is one: taken, the message goes
    assert stored(panel) == {panel.scheme.ratings.items[1].id: 3}
    assert panel.message.text() == ""


LOCAL = """
id: plain_ratings
name: Plain ratings
version: "1"
description: Two items rated 1-3, no code for "not observed".
source: a test
ratings:
  verified: false
  aggregate: sum
  scale: {min: 1, max: 3}
  items:
    - {id: warmth, name: Warmth, description: "Smiles and leans in.", verified: false}
    - {id: pace, name: Pace, verified: false}
"""


def test_n_says_why_where_the_scheme_has_no_not_observed(make_panel, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "schemes"
    folder.mkdir()
    (folder / "plain.yaml").write_text(LOCAL)
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(folder))
    panel = make_panel()
    panel.choose("plain_ratings")
    panel.table.setFocus()
    qtbot.keyClick(panel.table, KEY.Key_N)
    assert '"1 Warmth" has no "not observed" code' in panel.message.text()
    assert "1–3" in panel.message.text()
    assert stored(panel) == {} and panel.table.currentRow() == 0
    # its own description is shown beside the list
    assert panel.details.description.toPlainText() == "Smiles and leans in."


def test_the_details_show_a_description_filled_in_in_a_local_copy(
    make_panel, qtbot, tmp_path, monkeypatch
):
    folder = tmp_path / "schemes"
    folder.mkdir()
    text = (SHIPPED / "kips.yaml").read_text(encoding="utf-8")
    local = text.replace('description: ""', 'description: "What a licensed user wrote."', 1)
    (folder / "kips.yaml").write_text(local, encoding="utf-8")
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(folder))
    panel = make_panel()
    panel.choose("kips")
    panel.table.setFocus()
    details = panel.details
    assert details.title.text().startswith("1 Sensitivity of Responses")
    assert details.description.toPlainText() == "What a licensed user wrote."
    assert "1–5" in details.keys.text() and "NOB" in details.keys.text()
    qtbot.keyClick(panel.table, KEY.Key_Down)  # the next item's text is the manual's
    assert details.title.text().startswith("2 Supports Emotions")
    assert "licensed manual" in details.description.toPlainText()
    assert str(config_dir() / "schemes") in details.description.toolTip()  # where to put it


def test_the_care_grid_is_entered_with_digits_and_a_blank_counts_as_zero(make_panel, qtbot):
    panel = make_panel()
    panel.choose("care_index_infant")
    adult = panel.grid_tables[0]
    sums = adult.points_column
    rows = [r.id for r in adult.grid.rows]
    sensitivity, control, unresponsiveness = (s.id for s in adult.member.scales)
    adult.setFocus()
    qtbot.keyClick(adult, KEY.Key_1)  # one point of two: the row waits, the cursor moves on
    assert adult.item(0, sums).text() == "1 of 2"
    assert (adult.currentRow(), adult.currentColumn()) == (0, 1)
    assert panel.run is None  # nothing stored, no run begun
    qtbot.keyClick(adult, KEY.Key_1)  # the row adds up: entered, its blank cell is 0
    assert grid_stored(panel, "adult") == {
        rows[0]: {sensitivity: 1, control: 1, unresponsiveness: 0}
    }
    assert adult.item(0, 2).text() == "0" and adult.item(0, sums).text() == "2 of 2"
    assert (adult.currentRow(), adult.currentColumn()) == (1, 0)  # the next aspect
    qtbot.keyClick(adult, KEY.Key_2)  # all the row's points on one scale
    assert grid_stored(panel, "adult")[rows[1]] == {
        sensitivity: 2,
        control: 0,
        unresponsiveness: 0,
    }
    qtbot.keyClick(adult, KEY.Key_Return)  # Enter and ↓ move on without entering
    qtbot.keyClick(adult, KEY.Key_Down)
    assert adult.currentRow() == 4 and set(grid_stored(panel, "adult")) == {rows[0], rows[1]}
    assert adult.item(2, sums).text() == "0 of 2"
    assert panel.session.undo.count() == 2  # one step a row
    panel.session.undo.undo()
    assert set(grid_stored(panel, "adult")) == {rows[0]}


def test_the_grid_says_why_it_refuses_a_key(make_panel, qtbot):
    panel = make_panel()
    panel.choose("care_index_infant")
    adult = panel.grid_tables[0]
    adult.setFocus()
    qtbot.keyClick(adult, KEY.Key_3)  # more than a row gives
    assert "2 points" in panel.message.text() and "Adult" in panel.message.text()
    assert panel.run is None and adult.item(0, 0).text() == ""
    qtbot.keyClick(adult, KEY.Key_N)  # the grid has no "not observed"
    assert "not observed" in panel.message.text()
    qtbot.keyClick(adult, KEY.Key_1)
    qtbot.keyClick(adult, KEY.Key_2)  # 1 + 2: over the row's points, refused in red
    assert "add up to 3" in panel.message.text() and panel.run is None
    assert adult.item(0, adult.points_column).text() == "3 of 2"
    qtbot.keyClick(adult, KEY.Key_1)  # put right: entered, the message goes
    assert panel.message.text() == "" and panel.run is not None


def test_a_cleared_cell_leaves_the_stored_row_until_the_row_adds_up_again(make_panel, qtbot):
    panel = make_panel()
    panel.choose("care_index_infant")
    adult = panel.grid_tables[0]
    row = adult.grid.rows[0].id
    sensitivity, control, unresponsiveness = (s.id for s in adult.member.scales)
    adult.setFocus()
    qtbot.keyClick(adult, KEY.Key_2)
    qtbot.keyClick(adult, KEY.Key_Up)
    qtbot.keyClick(adult, KEY.Key_Delete)
    assert adult.item(0, 0).text() == "" and adult.item(0, adult.points_column).text() == "0 of 2"
    assert grid_stored(panel, "adult")[row][sensitivity] == 2  # still as stored
    qtbot.keyClick(adult, KEY.Key_Tab)  # across to Control
    qtbot.keyClick(adult, KEY.Key_2)
    assert grid_stored(panel, "adult")[row] == {
        sensitivity: 0,
        control: 2,
        unresponsiveness: 0,
    }
    assert panel.session.undo.count() == 2


def test_tab_crosses_the_scales_and_enter_past_the_last_aspect_goes_to_the_infant(
    make_panel, qtbot
):
    panel = make_panel()
    panel.choose("care_index_infant")
    adult, infant = panel.grid_tables
    adult.setFocus()
    for _ in range(len(adult.member.scales)):
        qtbot.keyClick(adult, KEY.Key_Tab)  # the points column is skipped
    assert (adult.currentRow(), adult.currentColumn()) == (1, 0)
    for _ in range(len(adult.grid.rows)):
        qtbot.keyClick(adult, KEY.Key_Return)
    assert infant.hasFocus() and (infant.currentRow(), infant.currentColumn()) == (0, 0)
    assert "Infant: Cooperativeness" in panel.details.title.text()  # the details follow
    # the scales under their full names (shared/domain/instruments.md)
    heads = [infant.horizontalHeaderItem(c).text() for c in range(infant.points_column)]
    assert heads == ["Cooperativeness", "Compulsivity", "Difficultness", "Passivity"]
    qtbot.keyClick(infant, KEY.Key_Tab)
    title = panel.details.title.text()
    assert "Facial expression" in title and "Compulsivity" in title
    assert "Compulsive compliance." in panel.details.description.toPlainText()
