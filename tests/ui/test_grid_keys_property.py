"""Any run of keys in a point-distribution grid: a row is only ever entered when its
points add up (a blank cell counting as 0), each row's "N of 2" is the sum of what it
shows, and the stored rows are shown as stored unless a row typed since waits."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from vfa.services.schemes import get_scheme
from vfa.ui.grid_table import GridForm

KEYS = {
    **{str(d): getattr(Qt.Key, f"Key_{d}") for d in range(10)},
    "n": Qt.Key.Key_N,
    "del": Qt.Key.Key_Delete,
    "tab": Qt.Key.Key_Tab,
    "enter": Qt.Key.Key_Return,
    "down": Qt.Key.Key_Down,
    "up": Qt.Key.Key_Up,
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(presses=st.lists(st.sampled_from(sorted(KEYS)), max_size=40), accept=st.booleans())
def test_any_keys_enter_only_rows_that_add_up(qtbot, presses, accept):
    scheme = get_scheme("care_index_infant")
    form = GridForm()
    qtbot.addWidget(form)
    form.set_scheme(scheme)
    table = form.tables[0]
    grid, member = table.grid, table.member
    need = grid.points_per_row
    stored: dict[str, dict[str, int]] = {}  # what a service would hold
    entered: list[dict[str, int]] = []

    def enter(_grid: str, row: str, _member: str, points: dict[str, int]) -> None:
        entered.append(points)
        if sum(points.values()) != need:
            form.mark_refused(grid.id, member.id, row)
            return
        if accept:  # (else refused for another reason: a locked run)
            stored[row] = {s.id: points.get(s.id, 0) for s in member.scales}
            form.show_points({grid.id: {r: {member.id: p} for r, p in stored.items()}})
        else:
            form.mark_refused(grid.id, member.id, row)

    form.row_entered.connect(enter)
    for press in presses:
        QTest.keyClick(table, KEYS[press])
    assert all(sum(p.values()) >= need for p in entered)  # only complete rows are sent
    assert all(0 <= v <= need for p in entered for v in p.values())
    for r, row in enumerate(grid.rows):
        shown = [table.item(r, c).text() for c in range(table.points_column)]
        total = sum(int(t) for t in shown if t)
        assert table.item(r, table.points_column).text().startswith(f"{total} ")
        if row.id in stored and r not in table.waiting():
            assert shown == [str(stored[row.id][s.id]) for s in member.scales]
    assert table.currentColumn() < table.points_column  # the sums are never the cursor's
