"""What a role may not do is disabled before it is tried, saying why: Tools → Audit trail…
for a therapist or coder (not a window that opens to show a refusal), and the coding
panel's Reopen… for anyone but a supervisor or admin (not a refusal after the reason was
typed). A personal workspace disables neither."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.people_helpers import make_managed, open_as
from tests.ui.test_actions_surface import menu_titled
from vfa.services import coding
from vfa.services.people import set_role
from vfa.services.schemes import get_scheme
from vfa.services.viewer import set_person
from vfa.storage.workspace import open_workspace
from vfa.ui.audit_window import AuditWindow


def submitted_run(path, coder: str) -> None:
    """A KIPS run of clip 1 by ``coder``, one item rated, submitted."""
    kips = get_scheme("kips")
    ws = open_workspace(path)
    set_person(coder)  # (who codes, as the services ask)
    try:
        run = coding.open_run(ws, 1, kips, coder)
        coding.set_rating(ws, run.id, kips, kips.ratings.items[0].id, 3)
        coding.submit_run(ws, run.id, actor=coder)
    finally:
        set_person(None)
        ws.close()


@pytest.mark.parametrize(
    ("person", "role", "may"),
    [("Cal", "coder", False), ("Tia", "therapist", False), ("Sue", "supervisor", True)],
)
def test_the_audit_trail_is_disabled_for_a_role_that_may_not_read_it(
    bare_window, barcode_copy, qtbot, person, role, may
):
    make_managed(barcode_copy)
    open_as(bare_window, qtbot, barcode_copy, person)
    action = bare_window.actions_by_id["tools.audit"]
    assert action.isEnabled() is may
    if not may:
        assert action.toolTip() == (
            f"{person} ({role}) may not read the audit trail. Roles that may: supervisor, admin."
        )
        action.trigger()  # (a disabled action does nothing, whatever asks it)
        assert bare_window.findChildren(AuditWindow) == []
    assert menu_titled(bare_window, "Tools").toolTipsVisible()


def test_reopen_is_disabled_for_a_coder_and_enabled_for_a_supervisor(
    bare_window, barcode_copy, qtbot
):
    make_managed(barcode_copy)
    submitted_run(barcode_copy, "Cal")
    submitted_run(barcode_copy, "Sue")
    open_as(bare_window, qtbot, barcode_copy, "Cal")
    window = bare_window
    with qtbot.waitSignal(window.player_view.frame_shown, timeout=20_000):
        window.open_clip(1)
    panel = window.coding
    panel.choose("kips")
    reopen = panel.reopen_button
    assert reopen.isVisibleTo(window) and panel.run.coder == "Cal"
    assert not reopen.isEnabled()
    assert reopen.toolTip() == (
        "Cal (coder) may not reopen a submitted coding. Roles that may: supervisor, admin."
    )
    qtbot.mouseClick(reopen, Qt.MouseButton.LeftButton)  # nothing asked, nothing refused
    assert panel.message.text() == ""
    window.people.become("Sue")
    panel.choose("kips")
    assert panel.run.coder == "Sue" and reopen.isVisibleTo(window)
    assert reopen.isEnabled() and reopen.toolTip() == ""


def test_a_personal_workspace_disables_neither(window):
    assert window.actions_by_id["tools.audit"].isEnabled()
    assert window.coding.reopen_button.isEnabled()


EXPORT_TIP = (
    "Cal (coder) may not export for feedback to the family. "
    "Roles that may: therapist, supervisor, admin."
)
CONSENT_TIP = "Cal (coder) may not record consent. Roles that may: therapist, supervisor, admin."
MOMENTS_TIP = (
    "Cal (coder) may not tag moments and build reels. Roles that may: therapist, supervisor, admin."
)


def feedback_controls(window):
    """The Reel tab's and the Moments tab's controls a coder's role does not allow, each
    with the tooltip it has when the role is no reason."""
    reel, tagged = window.feedback.reel, window.feedback.moments
    still_tip = "Make the frame on screen the moment's still"
    return [
        (reel.export, EXPORT_TIP, ""),
        (reel.script, EXPORT_TIP, ""),
        (reel.consent, CONSENT_TIP, ""),
        (reel.theme, MOMENTS_TIP, ""),
        (tagged.caption, MOMENTS_TIP, ""),
        (tagged.child_line, MOMENTS_TIP, ""),
        (tagged.comment, MOMENTS_TIP, ""),
        (tagged.feedback, MOMENTS_TIP, ""),
        (tagged.still_button, MOMENTS_TIP, still_tip),
    ]


def test_a_coder_reads_the_reel_and_its_moments_but_the_controls_they_may_not_use_say_why(
    bare_window, barcode_copy, qtbot
):
    make_managed(barcode_copy)
    open_as(bare_window, qtbot, barcode_copy, "Cal")
    window = bare_window
    with qtbot.waitSignal(window.player_view.frame_shown, timeout=20_000):
        window.open_clip(1)
    reel, tagged = window.feedback.reel, window.feedback.moments
    window.side.setCurrentWidget(reel)
    qtbot.waitExposed(reel.list)
    assert reel.list.count() == 1  # the barcode workspace's moment for feedback
    for control, why, _tip in feedback_controls(window):
        assert not control.isEnabled(), control.objectName()
        assert control.toolTip() == why
    assert reel.present.isEnabled()  # showing the reel is for everyone
    assert reel.list.dragDropMode() is reel.list.DragDropMode.NoDragDrop
    qtbot.mouseClick(reel.export, Qt.MouseButton.LeftButton)  # nothing opens
    qtbot.mouseClick(reel.consent, Qt.MouseButton.LeftButton)
    window.side.setCurrentWidget(tagged)
    qtbot.waitExposed(tagged.list)
    assert tagged.current() is not None and tagged.caption.toPlainText() == (
        "You smiled back, and she kept looking at you"
    )  # read, not edited
    assert tagged.play_button.isEnabled()

    # an admin makes Cal a therapist: the People window's change reaches the panels
    ws = open_workspace(barcode_copy)
    try:
        set_role(ws, "Cal", "therapist", "Ada")
    finally:
        ws.close()
    window.people.refresh()
    for control, _why, tip in feedback_controls(window):
        assert control.isEnabled(), control.objectName()
        assert control.toolTip() == tip
    assert reel.list.dragDropMode() is reel.list.DragDropMode.InternalMove


def test_a_personal_workspace_leaves_the_feedback_controls_enabled(window, qtbot):
    window.side.setCurrentWidget(window.feedback.moments)
    qtbot.waitExposed(window.feedback.moments.list)
    assert window.feedback.moments.current() is not None
    for control, _why, tip in feedback_controls(window):
        assert control.isEnabled(), control.objectName()
        assert control.toolTip() == tip
