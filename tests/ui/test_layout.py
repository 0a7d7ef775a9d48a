"""The window at 1024×700, a laptop's screen: every essential control keeps the room it
needs (the position slider above all), whichever scheme is chosen and however the panes
are dragged; item and scale names show in full."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionComboBox, QWidget

from vfa.app import build_window
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.storage.workspace import open_workspace

SMALL = (1024, 700)


@pytest.fixture
def small_window(qtbot, tmp_path, clips):
    """The window as a 1024×700 screen first shows it, on a workspace with a clip open."""
    path = tmp_path / "small.vfa"
    ws = open_workspace(path, create=True)
    clip_id = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    win = build_window("qt")
    qtbot.addWidget(win)
    win.resize(*SMALL)
    win.show()
    qtbot.waitExposed(win)
    win.set_workspace(ws)
    with qtbot.waitSignal(win.player_view.frame_shown, timeout=20_000):
        win.open_clip(clip_id)
    yield win
    win.close()


def needs(widget: QWidget, hint: bool) -> tuple[int, int]:
    """The size a control needs: its minimum, and its size hint too where that is what
    it needs (a button's text, the slider's length) rather than what it would like (a
    timeline as wide as a screen)."""
    size = widget.minimumSize().expandedTo(widget.minimumSizeHint())
    if hint:
        size = size.expandedTo(widget.sizeHint())
    return size.width(), size.height()


def assert_room(widget: QWidget, *, hint: bool = True, height_too: bool = True) -> None:
    width, height = needs(widget, hint)
    name = widget.objectName() or type(widget).__name__
    assert widget.isVisible(), name
    assert widget.width() >= width, (name, widget.width(), width)
    if height_too:
        assert widget.height() >= height, (name, widget.height(), height)


def assert_essentials(win, *, whole_name: bool = True) -> None:
    view = win.player_view
    for control in (view.slider, view.play_button, view.loop_button, view.readout):
        assert_room(control)
    assert_room(view.timeline, hint=False)
    assert view.timeline.width() >= view.timeline.minimumWidth() > 0
    # the chooser is never narrower than it needs, and shows the scheme's name whole
    chooser = win.coding.chooser
    assert_room(chooser, hint=False)
    if not whole_name:
        return
    option = QStyleOptionComboBox()
    chooser.initStyleOption(option)
    field = chooser.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, chooser
    )
    shown = chooser.currentText()
    assert chooser.fontMetrics().horizontalAdvance(shown) <= field.width(), shown


def text_fits(widget: QWidget, rect: QRect, text: str) -> bool:
    """Whether ``text``, wrapped at word boundaries, fits ``rect`` (with a cell's margins)."""
    flags = int(Qt.TextFlag.TextWordWrap)
    needed = widget.fontMetrics().boundingRect(QRect(0, 0, rect.width() - 8, 10_000), flags, text)
    return needed.width() <= rect.width() - 6 and needed.height() <= rect.height()


@pytest.mark.parametrize("scheme_id", ["kips", "care_index_infant", "vig"])
def test_at_1024_by_700_every_essential_control_has_its_room(small_window, qtbot, scheme_id):
    win = small_window
    assert (win.width(), win.height()) == SMALL
    win.coding.choose(scheme_id)
    QApplication.processEvents()
    assert_essentials(win)


def test_at_1024_by_700_each_kips_item_shows_its_whole_name(small_window):
    win = small_window
    win.coding.choose("kips")
    QApplication.processEvents()
    table = win.coding.table
    assert_room(table, height_too=False)
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        rect = table.visualItemRect(item)
        assert text_fits(table, rect, item.text()), item.text()


def test_at_1024_by_700_each_care_scale_shows_its_whole_name(small_window):
    win = small_window
    win.coding.choose("care_index_infant")
    QApplication.processEvents()
    grids = win.coding.grids
    for table in win.coding.grid_tables:
        header = table.horizontalHeader()
        for column in range(table.columnCount()):
            need = header.size_of(column, header.upright)
            assert header.sectionSize(column) >= need.width(), header.text(column)
            assert header.height() >= need.height(), header.text(column)
        # the table fits the panel: no scale is out of sight to the side
        assert table.width() <= grids.viewport().width()
        assert table.horizontalHeader().length() + table.verticalHeader().width() <= table.width()


def test_dragging_the_panes_cannot_squeeze_the_player_or_hide_a_pane(small_window, qtbot):
    win = small_window
    win.coding.choose("kips")
    splitter = win.splitter
    splitter.setSizes([0, 0, 5_000])  # as far as a drag goes: the side pane over the player
    QApplication.processEvents()
    assert_essentials(win)
    assert all(size > 0 for size in splitter.sizes())
    splitter.setSizes([5_000, 0, 0])  # the clips over both: the side pane at its least
    QApplication.processEvents()
    assert_essentials(win, whole_name=False)
    assert all(size > 0 for size in splitter.sizes())
    assert win.coding.table.isVisible()


def assert_details_whole(win) -> None:
    """The item details as laid out now: the title and keys wrapped in full, the
    description with nothing to scroll to."""
    details = win.coding.details
    QApplication.processEvents()  # (the new text's layout)
    for label in (details.title, details.keys):
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    description = details.description
    assert description.verticalScrollBar().maximum() == 0, description.toPlainText()


def test_at_1024_by_700_each_kips_item_is_described_whole_beside_the_whole_list(small_window):
    win = small_window
    win.coding.choose("kips")
    QApplication.processEvents()
    scheme, table = win.coding.scheme, win.coding.table
    assert table.verticalScrollBar().maximum() == 0  # every item in sight
    for item in scheme.ratings.items:
        win.coding.details.show_item(scheme, item, coding.RatingState(None, None, ()))
        assert_details_whole(win)


def test_at_1024_by_700_each_care_row_and_scale_is_described_whole(small_window):
    win = small_window
    win.coding.choose("care_index_infant")
    QApplication.processEvents()
    scheme = win.coding.scheme
    for grid in scheme.grids:
        for member in grid.members:
            for row in grid.rows:
                for scale in member.scales:
                    win.coding.details.show_cell(scheme, grid, member, row, scale)
                    assert_details_whole(win)
