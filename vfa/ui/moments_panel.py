"""The moments beside the player: a list of the clip's strength moments (a click plays
one, looped) and an editor for the chosen one: caption in the parent's words, "speaking
for the child" line, prepared comment, "for feedback" flag and the still. Captions are
checked for deficit wording as they are typed; the check underlines and hints, never
blocks. Every edit is committed at once and undoable."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vfa.domain.language import Finding, Wordlist, load_wordlist
from vfa.errors import VfaError
from vfa.services import events, moments
from vfa.services.moments import MomentInfo
from vfa.services.people import Act
from vfa.services.schemes import SchemeLibrary
from vfa.ui.changes import Change, EventsChanged, MomentsChanged, RunOpened
from vfa.ui.consent_note import ConsentNote
from vfa.ui.messages import Level, inline_label
from vfa.ui.session import CodingSession, WhenShown, allow
from vfa.ui.undo import MomentCommand

COMMIT_AFTER_MS = 600  # typing pauses this long: the text is stored


class DeficitHighlighter(QSyntaxHighlighter):
    """Underlines deficit wording (wavy, amber) as it is typed."""

    def __init__(self, document: QTextDocument, words: Wordlist) -> None:
        super().__init__(document)
        self.words = words
        self.deficit = QTextCharFormat()
        self.deficit.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.deficit.setUnderlineColor(QColor("#d08000"))

    def highlightBlock(self, text: str) -> None:
        for f in self.words.check(text):
            self.setFormat(f.start, f.end - f.start, self.deficit)


class LineEdit(QPlainTextEdit):
    """A short multi-line text field that stores its text when typing pauses or focus
    leaves, and says which deficit words it found."""

    committed = Signal(str)

    def __init__(self, words: Wordlist, placeholder: str, lines: int = 2) -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 14)
        self.highlighter = DeficitHighlighter(self.document(), words)
        self.words = words
        self._timer = QTimer(self, singleShot=True, interval=COMMIT_AFTER_MS)
        self._timer.timeout.connect(self.commit)
        self._stored = ""
        self.textChanged.connect(self._typed)

    def show_text(self, text: str | None) -> None:
        with QSignalBlocker(self):
            self.setPlainText(text or "")
        self._stored = text or ""
        self._timer.stop()
        self.highlighter.rehighlight()

    def show_stored(self, text: str | None) -> None:
        """Show the text as stored now, unless typing is going on over the same stored
        text (another field changed, here or elsewhere): what is being typed stays."""
        if self._timer.isActive() and self._stored == (text or ""):
            return
        if self.toPlainText().strip() != (text or ""):
            self.show_text(text)  # (left alone when it already says so: no jump)

    def findings(self) -> list[Finding]:
        return self.words.check(self.toPlainText())

    def _typed(self) -> None:
        self._timer.start()

    def commit(self) -> None:
        self._timer.stop()
        text = self.toPlainText()
        if text != self._stored:
            self._stored = text
            self.committed.emit(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)


def code_name(schemes: SchemeLibrary, scheme_id: str, code_id: str) -> str:
    """A code's name in its scheme (the code's id when the scheme or code is unknown)."""
    try:
        return schemes.get(scheme_id).code(code_id).name
    except VfaError:
        return code_id


def tag_path(schemes: SchemeLibrary, scheme_id: str, code_id: str) -> str:
    """A tag with the principle or theme it belongs to: "Encouraging initiatives ›
    Waiting"."""
    try:
        scheme = schemes.get(scheme_id)
        code = scheme.code(code_id)
        return f"{scheme.code(code.parent).name} › {code.name}" if code.parent else code.name
    except VfaError:
        return code_id


def clock(t_ms: int) -> str:
    """m:ss.s — short enough for a list row (59.96 s is 1:00.0, never 0:60.0)."""
    minutes, tenths = divmod((max(0, t_ms) + 50) // 100, 600)
    return f"{minutes}:{tenths // 10:02d}.{tenths % 10}"


def span_text(m: MomentInfo) -> str:
    return QCoreApplication.translate(
        "MomentsPanel", "{0:.1f} s · frames {1}–{2} · still at frame {3}"
    ).format(m.span_ms / 1000, m.start_frame, m.end_frame, m.key_frame)


def moment_label(schemes: SchemeLibrary, m: MomentInfo) -> str:
    star = "★ " if m.feedback else ""
    span = f"{clock(m.start_ms)}–{clock(m.start_ms + m.span_ms)}"
    words = f" · {m.caption}" if m.caption else ""
    return f"{star}{span} · {code_name(schemes, m.scheme_id, m.code)}{words}"


class MomentsPanel(QWidget):
    """The clip's moments and the editor of the chosen one."""

    play_requested = Signal(int, int)  # first frame, last frame: play the moment looped
    scheme_wanted = Signal(str)  # a moment of this scheme was chosen: show its lane
    chosen = Signal(object)  # the moment in the editor: its id, or None

    def __init__(self, session: CodingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("momentsPanel")
        self.session = session
        self._moments: list[MomentInfo] = []
        self._shown: int | None = None  # the moment in the editor (edits go to it)
        self.when_shown = WhenShown(self, self.refresh)
        session.changed.connect(self._session_changed)
        session.roles_changed.connect(self._show_role)
        words = load_wordlist()

        self.list = QListWidget()
        self.list.setObjectName("momentList")
        self.list.setAccessibleName(self.tr("Moments"))
        # one line a row, elided: rows never need measuring again as moments come
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._clicked)
        self.list.currentRowChanged.connect(lambda _row: self._show_current())
        self.empty = QLabel(
            self.tr(
                "No moments yet. Choose the VIG or VIPP-SD scheme in Coding and press a "
                "tag's key while the clip plays."
            )
        )
        self.empty.setWordWrap(True)

        self.tags = QLabel()
        self.tags.setWordWrap(True)
        self.tags.setObjectName("momentTags")
        self.span = QLabel()
        self.caption = LineEdit(words, self.tr("In the parent's words: 'You waited, and…'"))
        self.caption.setObjectName("caption")
        self.child_line = LineEdit(words, self.tr("Speaking for the child: 'I like it when…'"))
        self.child_line.setObjectName("childLine")
        self.comment = LineEdit(words, self.tr("Prepared comment for the visit"), lines=3)
        self.comment.setObjectName("comment")
        self.hints = inline_label(Level.WARNING, "languageHints")
        self.feedback = QCheckBox(self.tr("For feedback (in the session's reel)"))
        self.feedback.setObjectName("forFeedback")
        self.still_button = QPushButton(self.tr("Still: this frame"))
        self.still_button.setObjectName("setStill")
        self.play_button = QPushButton(self.tr("Play moment"))

        self.caption.committed.connect(lambda t: self._edit(self.tr("caption"), caption=t))
        self.child_line.committed.connect(lambda t: self._edit(self.tr("child line"), child_line=t))
        self.comment.committed.connect(lambda t: self._edit(self.tr("comment"), comment=t))
        for field in (self.caption, self.child_line, self.comment):
            field.textChanged.connect(self._show_hints)
        self.feedback.toggled.connect(lambda on: self._edit(self.tr("“for feedback”"), feedback=on))
        self.still_button.clicked.connect(self.set_still_here)
        self.play_button.clicked.connect(self.play_current)

        form = QFormLayout()
        form.addRow(self.tr("Tags"), self.tags)
        form.addRow(self.tr("Span"), self.span)
        form.addRow(self.tr("Caption"), self.caption)
        form.addRow(self.tr("Child"), self.child_line)
        form.addRow(self.tr("Comment"), self.comment)
        buttons = QHBoxLayout()
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.still_button)
        self.editor = QWidget()
        editor = QVBoxLayout(self.editor)
        editor.setContentsMargins(0, 0, 0, 0)
        editor.addLayout(form)
        editor.addWidget(self.hints)
        editor.addWidget(self.feedback)
        editor.addLayout(buttons)

        self.consent_note = ConsentNote(session)  # when the clip's consent ends
        layout = QVBoxLayout(self)
        layout.addWidget(self.consent_note)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.editor)
        self.refresh()

    # -- data ------------------------------------------------------------------------
    def _session_changed(self, change: Change) -> None:
        """Another clip or run: read the moments again (now, or when next shown); an
        event edit or a moment edit of this clip: redraw the rows it touched."""
        if isinstance(change, RunOpened):
            self.when_shown.request()
        elif isinstance(change, EventsChanged) and change.clip_id == self.session.clip_id:
            self.when_shown.request(lambda: self.apply_edit(change.gone, change.made))
        elif isinstance(change, MomentsChanged) and change.clip_id == self.session.clip_id:
            self.when_shown.request(lambda: self._redraw_moments(change.moment_ids))

    def moments(self) -> list[MomentInfo]:
        self.when_shown.catch_up()
        return list(self._moments)

    def current(self) -> MomentInfo | None:
        row = self.list.currentRow()
        return self._moments[row] if 0 <= row < len(self._moments) else None

    def refresh(self, keep: int | None = None) -> None:
        """Reload the clip's moments, keeping the chosen one chosen."""
        chosen = keep if keep is not None else self._shown
        self.when_shown.stale = False
        self._commit_typing()
        ws, clip_id = self.session.ws, self.session.clip_id
        self._moments = (
            moments.moments(ws, clip_id=clip_id) if ws is not None and clip_id is not None else []
        )
        self._hold(self._moments)
        with QSignalBlocker(self.list):
            self.list.clear()
            for m in self._moments:
                item = QListWidgetItem(moment_label(self.session.schemes, m))
                item.setData(Qt.ItemDataRole.UserRole, m.id)
                self.list.addItem(item)
            ids = [m.id for m in self._moments]
            if chosen in ids:
                self.list.setCurrentRow(ids.index(chosen))
            elif ids:
                self.list.setCurrentRow(0)
        self.empty.setVisible(not self._moments)
        self._show_current()

    def _hold(self, read: list[MomentInfo]) -> None:
        """The versions the editor's edits (and the timeline's) are made on."""
        held = {("moment", m.id): m.version for m in read}
        self.session.held.load(held | {("event", m.id): m.event_version for m in read})

    def apply_edit(self, gone: tuple[int, ...], made: tuple[events.Event, ...]) -> None:
        """Take an event edit into the list without reloading it (a hotkey stays quick
        with hundreds of moments): drop the moments that went, read the moments made or
        changed."""
        ws = self.session.ws
        ids = [m.id for m in self._moments]
        touched = {i for i in gone if i in ids}
        touched |= {e.id for e in made if e.moment is not None or e.id in ids}
        if ws is None or not touched:
            return
        self._commit_typing()
        with QSignalBlocker(self.list):
            for moment_id in touched:
                if moment_id in ids:
                    row = ids.index(moment_id)
                    self.list.takeItem(row)
                    del self._moments[row]
                    ids.pop(row)
            for event in made:
                if event.id not in touched or event.moment is None:
                    continue
                m = moments.get_moment(ws, event.id)
                self._hold([m])
                key = (m.clip_id, m.start_ms, m.id)
                row = next(
                    (n for n, x in enumerate(self._moments) if (x.clip_id, x.start_ms, x.id) > key),
                    len(self._moments),
                )
                self._moments.insert(row, m)
                ids.insert(row, m.id)
                item = QListWidgetItem(moment_label(self.session.schemes, m))
                item.setData(Qt.ItemDataRole.UserRole, m.id)
                self.list.insertItem(row, item)
            if self._shown in ids:
                self.list.setCurrentRow(ids.index(self._shown))
            elif ids:
                self.list.setCurrentRow(0)
        self.empty.setVisible(not self._moments)
        self._show_current()

    def _show_current(self) -> None:
        self._commit_typing()  # what was typed belongs to the moment shown until now
        m = self.current()
        shown = m.id if m is not None else None
        if shown != self._shown:
            self._shown = shown
            self.chosen.emit(shown)
        self.editor.setEnabled(m is not None)
        self._show_role()
        if m is None:
            self.tags.setText("")
            self.span.setText("")
            for field in (self.caption, self.child_line, self.comment):
                field.show_text(None)
            self._show_hints()
            return
        names = [tag_path(self.session.schemes, m.scheme_id, c) for c in m.tags]
        self.tags.setText(", ".join(names))
        self.span.setText(span_text(m))
        self._show_fields(m)

    def _show_role(self) -> None:
        """A role that may not tag moments reads them (and plays them) but edits none:
        the fields and the still are disabled, saying why."""
        why = self.session.why_not(Act.TAG_MOMENTS, "")
        for field in (self.caption, self.child_line, self.comment, self.feedback):
            allow(field, True, why)
        allow(self.still_button, True, why, self.tr("Make the frame on screen the moment's still"))

    def _show_fields(self, m: MomentInfo) -> None:
        for field, text in (
            (self.caption, m.caption),
            (self.child_line, m.child_line),
            (self.comment, m.comment),
        ):
            field.show_stored(text)
        with QSignalBlocker(self.feedback):
            self.feedback.setChecked(m.feedback)
        self._show_hints()

    def _show_hints(self) -> None:
        seen: dict[str, str] = {}
        for field in (self.caption, self.child_line, self.comment):
            for f in field.findings():
                seen.setdefault(f.text.lower(), f.hint)
        self.hints.setText("\n".join(f"“{word}”: {hint}" for word, hint in seen.items()))
        self.hints.setVisible(bool(seen))

    def _commit_typing(self) -> None:
        for field in (self.caption, self.child_line, self.comment):
            field.commit()

    # -- edits -----------------------------------------------------------------------
    def _edit(self, what: str, **change: object) -> None:
        """Edit the moment in the editor (``what`` names the field, for Edit → Undo)."""
        self.when_shown.catch_up()  # edits go to the moment the list shows, as stored now
        moment_id, ws, clip = self._shown, self.session.ws, self.session.clip
        m = next((x for x in self._moments if x.id == moment_id), None)
        if m is None or ws is None or clip is None:
            return

        seen = self.session.held.seen(("moment", moment_id))  # the moment as shown

        def edit() -> MomentInfo:
            return moments.edit_moment(ws, moment_id, expected_version=seen, **change)  # type: ignore[arg-type]

        text = self.tr('{0} of "{1}"').format(
            what, code_name(self.session.schemes, m.scheme_id, m.code)
        )
        command = MomentCommand(self.session, text, edit, where=clip.name)
        if not command.push(lambda text: self.session.shell.messages.error(text, "moments")):
            self.refresh(keep=moment_id)

    def _redraw_moments(self, moment_ids: tuple[int, ...]) -> None:
        """Moments changed (an edit, an undo or a redo): redraw their rows and, when one
        is in the editor, the fields that now differ."""
        assert self.session.ws is not None
        for moment_id in moment_ids:
            ids = [x.id for x in self._moments]
            if moment_id not in ids:
                continue
            m = moments.get_moment(self.session.ws, moment_id)
            self._hold([m])
            row = ids.index(moment_id)
            self._moments[row] = m
            self.list.item(row).setText(moment_label(self.session.schemes, m))
            if moment_id == self._shown:
                self._show_fields(m)
                self.span.setText(span_text(m))

    def select_moment(self, moment_id: int) -> None:
        """Choose this moment in the list (when it is one of the clip's)."""
        self.when_shown.catch_up()
        ids = [m.id for m in self._moments]
        if moment_id in ids:
            self.list.setCurrentRow(ids.index(moment_id))

    def set_still_here(self) -> None:
        """The frame on screen becomes the chosen moment's still."""
        self._edit(self.tr("still"), key_ms=self.session.playhead()[1])

    def play_current(self) -> None:
        m = self.current()
        if m is not None:
            self.play_requested.emit(m.start_frame, m.end_frame)

    def _clicked(self, item: QListWidgetItem) -> None:
        m = self.current()
        if m is not None:
            self.scheme_wanted.emit(m.scheme_id)  # its span on the timeline, to trim
        self.play_current()
