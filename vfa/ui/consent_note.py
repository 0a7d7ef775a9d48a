"""The open clip's consent end, shown where moments are prepared for the family: until
when it holds, that it ends soon, or that it has ended (nothing of the clip may leave VFA
then). Nothing is shown for consent without an end date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QWidget

from vfa.errors import VfaError
from vfa.services import consent
from vfa.services.choices import DUE_DAYS
from vfa.ui.changes import Change, ConsentChanged, RunOpened
from vfa.ui.messages import Level, set_inline_level
from vfa.ui.session import CodingSession


class ConsentNote(QLabel):
    """One line about the open clip's consent end; hidden when it has none."""

    def __init__(self, session: CodingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentEnd")
        self.setWordWrap(True)
        self.session = session
        self.level: Level | None = None
        # (read at once, not when shown: the note hides itself when there is nothing to say)
        session.changed.connect(self._session_changed)
        self.refresh()

    def _session_changed(self, change: Change) -> None:
        if isinstance(change, RunOpened) or (
            isinstance(change, ConsentChanged) and change.clip_id == self.session.clip_id
        ):
            self.refresh()

    def refresh(self, today: dt.date | None = None) -> None:
        """Read the clip's consent and say when it ends (``today``: the local date)."""
        ws, clip_id = self.session.ws, self.session.clip_id
        found = None
        if ws is not None and clip_id is not None:
            try:
                found = consent.consent_for(ws, clip_id)
            except VfaError:
                found = None  # (the clip went: the next clip's change redraws)
        until = found.valid_until if found is not None and found.purposes else None
        if until is None:
            self.level = None
            self.clear()
            self.setVisible(False)
            return
        left = (until - (today or dt.date.today())).days
        if left < 0:
            self.level = Level.ERROR
            text = self.tr(
                "The family's consent for this clip ended on {0}: nothing of it may leave "
                "VFA until their consent is recorded again (Feedback → Consent for this clip…)."
            ).format(until)
        elif left <= DUE_DAYS:
            self.level = Level.WARNING
            if left == 0:
                text = self.tr(
                    "The family's consent for this clip holds until {0}: today is its last day."
                ).format(until)
            elif left == 1:
                text = self.tr(
                    "The family's consent for this clip holds until {0}: tomorrow is its last day."
                ).format(until)
            else:
                text = self.tr(
                    "The family's consent for this clip holds until {0}: {1} days left."
                ).format(until, left)
        else:
            self.level = Level.INFO
            text = self.tr("The family's consent for this clip holds until {0}.").format(until)
        self.setText(text)
        set_inline_level(self, self.level)
        self.setVisible(True)
