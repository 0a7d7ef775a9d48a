"""Help and Tools actions fired by their shortcut or menu entry: Quick start shows the
roles' pages, Keyboard shortcuts lists the keys, Audit trail lists the workspace's trail;
each opens one window, shown again rather than twice."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.ui.test_actions_surface import covers
from vfa.services.audit_trail import read_audit
from vfa.ui.audit_window import AuditWindow
from vfa.ui.key_table import action_name
from vfa.ui.quick_start import ROLES, QuickStartWindow, page_file
from vfa.ui.shortcuts_window import ShortcutsWindow


def shown(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


@covers("help.quick_start")
def test_quick_start_shows_the_first_roles_page_and_once_only(bare_window, surface, qtbot):
    surface.fire(bare_window, "help.quick_start")
    (guide,) = shown(QuickStartWindow)
    qtbot.waitExposed(guide)
    assert guide.windowTitle() == "Quick start"
    assert guide.role() == ROLES[0]
    title = page_file(ROLES[0]).read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert guide.page.toPlainText().startswith(title)
    surface.fire(bare_window, "help.quick_start")
    assert shown(QuickStartWindow) == [guide]
    guide.close()


@covers("help.shortcuts")
def test_keyboard_shortcuts_lists_every_window_action_with_its_key(bare_window, surface, qtbot):
    surface.fire(bare_window, "help.shortcuts")
    (keys,) = shown(ShortcutsWindow)
    qtbot.waitExposed(keys)
    assert keys.windowTitle() == "Keyboard shortcuts"
    listed = {row.what: row.keys for _title, row in keys.shown_rows()}
    for action_id, action in bare_window.actions_by_id.items():
        key = action.shortcut().toString()
        assert listed[action_name(action_id)] == ((key,) if key else ()), action_id
    surface.fire(bare_window, "help.shortcuts")
    assert shown(ShortcutsWindow) == [keys]
    keys.close()


@covers("tools.audit")
def test_audit_trail_lists_the_workspaces_trail_in_one_window(window, surface, qtbot):
    surface.fire(window, "tools.audit")
    (trail,) = shown(AuditWindow)
    qtbot.waitExposed(trail)
    assert trail.windowTitle() == "Audit trail" and not trail.isModal()
    qtbot.waitUntil(lambda: not trail.busy(), timeout=20_000)
    assert [r.id for r in trail.model.rows] == [e.id for e in read_audit(window.ws)]
    surface.fire(window, "tools.audit")
    assert shown(AuditWindow) == [trail]
    trail.close()
