"""Consent with an end date in the window: the consent dialog's optional last day, recorded
with the purposes; and the Moments panel saying until when the open clip's consent holds,
that it ends soon, or that it has ended."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import TABLE
from tests.ui.test_actions_surface import answering, covers
from vfa.services import consent
from vfa.services.clips import clip_info
from vfa.ui.changes import ConsentChanged
from vfa.ui.feedback_dialogs import ConsentDialog
from vfa.ui.messages import Level
from vfa.ui.moments_panel import MomentsPanel
from vfa.ui.session import CodingSession

DAY = dt.timedelta(days=1)


def test_the_dialog_has_no_end_date_unless_one_is_ticked(qtbot):
    dialog = ConsentDialog("visit.mp4", None, "Sue", None)
    qtbot.addWidget(dialog)
    assert dialog.valid_until() is None and not dialog.until.isEnabled()
    dialog.ends.setChecked(True)
    assert dialog.until.isEnabled()
    dialog.until.setDate(QDate(2030, 6, 30))
    assert dialog.valid_until() == dt.date(2030, 6, 30)
    dialog.ends.setChecked(False)
    assert dialog.valid_until() is None


@pytest.mark.parametrize("years_ago", [0, 3])
def test_ticking_an_end_offers_a_day_still_to_come(qtbot, years_ago):
    """The day offered is a year on, from the day consent was given or from today when
    that was longer ago: never a day already past, which would end it at once."""
    today = dt.date.today()
    given = dt.date(today.year - years_ago, 3, 4)
    current = consent.Consent(1, ("feedback",), given, "Sue", dt.datetime.now(dt.UTC))
    dialog = ConsentDialog("visit.mp4", current, "Sue", None)
    qtbot.addWidget(dialog)
    dialog.ends.setChecked(True)
    offered = dialog.valid_until()
    assert offered is not None and offered > today
    assert offered.year == max(given, today).year + 1


def test_the_dialog_shows_the_end_date_last_recorded(qtbot, workspace):
    clip, _ = add_clip_row(workspace, TABLE)
    end = dt.date(2031, 1, 15)
    current = consent.set_consent(workspace, clip, ["feedback"], valid_until=end, by="Sue")
    dialog = ConsentDialog("visit.mp4", current, "Sue", None)
    qtbot.addWidget(dialog)
    assert dialog.ends.isChecked() and dialog.valid_until() == end


@covers("clip.consent")
def test_consent_for_this_clip_records_the_last_day_ticked(window, surface, qtbot):
    end = dt.date.today() + 200 * DAY

    def until(dialog: ConsentDialog) -> None:
        dialog.ends.setChecked(True)
        dialog.until.setDate(QDate(end.year, end.month, end.day))
        dialog.accept()

    with answering(qtbot, (ConsentDialog, until)):
        surface.fire(window, "clip.consent")
    given = consent.consent_for(window.ws, window.current_clip)
    assert given is not None and given.valid_until == end and given.covers("feedback")
    assert window.messages.level("consent") is Level.INFO
    assert window.messages.text("consent") == f"Consent recorded: feedback, until {end}"
    note = window.feedback.moments.consent_note
    assert note.level is Level.INFO
    assert note.text() == f"The family's consent for this clip holds until {end}."


# -- the note in the Moments panel ---------------------------------------------------------------


@pytest.fixture
def panel(qtbot, workspace):
    clip, _ = add_clip_row(workspace, TABLE)
    session = CodingSession.bare(workspace, coder="Tess")
    qtbot.addWidget(session.shell.host)
    made = MomentsPanel(session)
    qtbot.addWidget(made)
    session.open_clip(clip_info(workspace, clip))
    return session, made, clip


def record(session, clip, until, purposes=("feedback",)):
    consent.set_consent(session.ws, clip, list(purposes), valid_until=until, by="Sue")
    session.tell(ConsentChanged(clip))


def test_no_note_without_an_end_date(panel):
    session, shown, clip = panel
    assert shown.consent_note.isHidden()
    record(session, clip, None)
    assert shown.consent_note.isHidden() and shown.consent_note.level is None


@pytest.mark.parametrize(
    ("days", "level", "says"),
    [
        (45, Level.INFO, "The family's consent for this clip holds until {end}."),
        (12, Level.WARNING, "The family's consent for this clip holds until {end}: 12 days left."),
        (1, Level.WARNING, "holds until {end}: tomorrow is its last day."),
        (0, Level.WARNING, "holds until {end}: today is its last day."),
        (-1, Level.ERROR, "consent for this clip ended on {end}: nothing of it may leave VFA"),
    ],
)
def test_the_note_says_when_the_clips_consent_ends(panel, days, level, says):
    session, shown, clip = panel
    end = dt.date.today() + days * DAY
    record(session, clip, end)
    note = shown.consent_note
    assert not note.isHidden() and note.level is level
    assert says.format(end=end.isoformat()) in note.text()


def test_a_withdrawn_or_renewed_consent_takes_the_note_away(panel):
    session, shown, clip = panel
    record(session, clip, dt.date.today() - DAY)
    assert shown.consent_note.level is Level.ERROR
    record(session, clip, dt.date.today() - DAY, purposes=())  # withdrawn: nothing to end
    assert shown.consent_note.isHidden()
    record(session, clip, dt.date.today() - DAY)
    record(session, clip, None)  # renewed without an end
    assert shown.consent_note.isHidden()


def test_another_clip_shows_its_own_consent(panel, workspace):
    session, shown, clip = panel
    record(session, clip, dt.date.today() + 3 * DAY)
    other, _ = add_clip_row(workspace, TABLE, case="FAM-2")
    session.open_clip(clip_info(workspace, other))
    assert shown.consent_note.isHidden()
    session.open_clip(clip_info(workspace, clip))
    assert shown.consent_note.level is Level.WARNING
