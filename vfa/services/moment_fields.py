"""A moment's fields: what its texts, tags and span may hold, and the one place its
feedback details (``MomentDetail``) become a ``moment`` row, for the moment editor,
the coding hotkeys and undo alike."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.frames import FrameTable
from vfa.domain.scheme_types import Scheme
from vfa.domain.text_fields import refused_character
from vfa.errors import InvalidInputError
from vfa.services.audit import run_place
from vfa.services.versions import ABSENT, Trail, check, claim, fresh, reel_changed, wrote
from vfa.storage.models import Annotation, Clip, CodingRun, Moment

# the most a text of a moment may hold: a caption is shown under a still and as a
# subtitle, a child line read aloud; a prepared comment is the practitioner's note
MAX_CHARS = {"caption": 500, "child line": 500, "comment": 2000, "theme": 200}


def checked_text(value: str | None, field: str, where: str) -> str | None:
    """``value`` stripped (None when empty), or InvalidInputError naming the field when
    it is longer than ``MAX_CHARS[field]``."""
    text = unicodedata.normalize("NFC", value or "").strip()
    for i, ch in enumerate(text):  # line breaks are the text's own; other controls are not
        if ch in "\n\t":
            continue
        bad = refused_character(ch)
        if bad is not None or 0xD800 <= ord(ch) <= 0xDFFF:
            raise InvalidInputError(
                f"{where}: the {field} holds a control character (U+{ord(ch):04X}) at "
                f"character {i + 1}; write plain text"
            )
    limit = MAX_CHARS[field]
    if len(text) > limit:
        raise InvalidInputError(
            f"{where}: the {field} is {len(text):,} characters long; at most {limit:,} fit "
            "under a still and in a subtitle"
        )
    return text or None


def parse_tag(tag: str) -> tuple[str, str]:
    """``SCHEME:CODE`` → (scheme id, code id)."""
    scheme_id, sep, code_id = tag.partition(":")
    if not sep or not scheme_id.strip() or not code_id.strip():
        raise InvalidInputError(f"tag {tag!r}: write it as SCHEME:CODE, e.g. vig:waiting")
    return scheme_id.strip(), code_id.strip()


def span_frames(table: FrameTable, start_ms: int, end_ms: int, where: str) -> tuple[int, int]:
    """The first and last frame of ``[start_ms, end_ms)``; refused outside the clip."""
    duration = table.duration_ms
    if start_ms < 0 or end_ms <= start_ms:
        raise InvalidInputError(
            f"{where}: the span {start_ms}–{end_ms} ms is empty or starts before the clip"
        )
    if end_ms > duration:
        raise InvalidInputError(
            f"{where}: the span {start_ms}–{end_ms} ms runs past the clip's end ({duration} ms)"
        )
    first = table.index_at(start_ms)
    last = max(first, table.index_at(end_ms - 1))
    return first, last


def check_moment_codes(scheme: Scheme, codes: Sequence[str], where: str) -> None:
    """InvalidInputError when a code is an event code, not a moment tag of the scheme."""
    for code_id in codes:
        code = scheme.code(code_id)  # an unknown code: NotFoundError naming the known ones
        if not code.moment:
            raise InvalidInputError(
                f"{where}: {scheme.id}:{code_id} is an event code, not a moment tag"
            )


@dataclass(frozen=True)
class MomentDetail:
    """A moment tag's feedback details, kept with its event so undo restores them."""

    key_ms: int
    key_frame: int
    extra_tags: tuple[str, ...] = ()
    caption: str | None = None
    child_line: str | None = None
    comment: str | None = None
    feedback: bool = False
    reel_position: int | None = None
    # the stored details' version when read (not part of what they say)
    version: int = field(default=1, compare=False)


@dataclass(frozen=True)
class MomentInfo:
    """A moment as the moments list, the reel and the exports see it."""

    id: int
    clip_id: int
    session_id: int
    run_id: int
    scheme_id: str
    coder: str
    code: str
    extra_tags: tuple[str, ...]
    start_ms: int
    end_ms: int
    start_frame: int
    end_frame: int
    key_ms: int
    key_frame: int
    caption: str | None
    child_line: str | None
    comment: str | None
    feedback: bool
    reel_position: int | None
    # the versions when read (not part of what it says): of its details (caption, still,
    # tags, lines, flag, reel place) and of its event (code, span)
    version: int = field(default=1, compare=False)
    event_version: int = field(default=1, compare=False)

    @property
    def detail(self) -> MomentDetail:
        """Its feedback details, as its event carries them for undo."""
        return MomentDetail(
            self.key_ms,
            self.key_frame,
            self.extra_tags,
            self.caption,
            self.child_line,
            self.comment,
            self.feedback,
            self.reel_position,
            self.version,
        )

    @property
    def tags(self) -> tuple[str, ...]:
        return (self.code, *self.extra_tags)

    @property
    def frames(self) -> int:
        return self.end_frame - self.start_frame + 1

    @property
    def span_ms(self) -> int:
        """How long the moment plays: its frames, the last one included (estimated
        from the span's mean frame interval)."""
        if self.frames <= 1:
            return max(self.end_ms - self.start_ms, 0)
        return round((self.end_ms - self.start_ms) * self.frames / (self.frames - 1))


def moment_columns(detail: MomentDetail) -> dict[str, Any]:
    """The ``moment`` row's columns for these details (the caption is the annotation's)."""
    return {
        "key_ms": detail.key_ms,
        "key_frame": detail.key_frame,
        "tags": {"extra": list(detail.extra_tags)},
        "child_line": detail.child_line,
        "comment": detail.comment,
        "feedback": detail.feedback,
        "reel_position": detail.reel_position,
    }


def stored_detail(row: Annotation, moment: Moment) -> MomentDetail:
    """The details a stored moment row (and its annotation's caption) hold."""
    return MomentDetail(
        moment.key_ms,
        moment.key_frame,
        tuple(moment.tags.get("extra", [])),
        row.caption,
        moment.child_line,
        moment.comment,
        moment.feedback,
        moment.reel_position,
        moment.version,
    )


def moment_trail(moment_id: int) -> Trail:
    """Where the audit trail keeps a moment's changes (its details, its event)."""
    return Trail(f"moment {moment_id}", ("moment", "annotation"), moment_id)


def claim_moment(db: DbSession, moment_id: int) -> None:
    """Raise a moment's version (an edit of this transaction changes its details)."""
    table = Moment.__table__
    assert isinstance(table, Table)
    where = table.c.annotation_id == moment_id
    claim(db, table, where, None, moment_trail(moment_id), ("moment", moment_id))


def put_moment(
    db: DbSession,
    row: Annotation,
    detail: MomentDetail | None,
    expected_version: int | None = None,
) -> None:
    """Store (or remove) the moment details of an annotation, exactly as given; nothing
    is written when they already are. ``expected_version``: the version of the stored
    details the caller holds (0: none; None: no check; StaleEditError when another).
    Their version rises, and the reel's when the moment joins, leaves or moves in it."""
    moment = db.get(Moment, row.id, with_for_update=True)
    key = ("moment", row.id)
    stored = moment.version if moment is not None else ABSENT
    was = (moment.feedback, moment.reel_position) if moment is not None else None
    if detail is None:
        if moment is not None:
            check(db, stored, expected_version, moment_trail(row.id), key)
            db.delete(moment)
            wrote(key, stored, ABSENT)
            reel_moved(db, row, was, None)
        return
    if moment is not None and stored_detail(row, moment) == detail:
        return
    check(db, stored, expected_version, moment_trail(row.id), key)
    if moment is None:
        moment = Moment(annotation_id=row.id, version=fresh(db, moment_trail(row.id)))
        db.add(moment)
    else:
        moment.version = stored + 1
    for column, value in moment_columns(detail).items():
        setattr(moment, column, value)
    row.caption = detail.caption
    wrote(key, stored, moment.version)
    reel_moved(db, row, was, (detail.feedback, detail.reel_position))


def reel_moved(
    db: DbSession,
    row: Annotation,
    was: tuple[bool, int | None] | None,
    now: tuple[bool, int | None] | None,
) -> None:
    """The reel's version rises when the moment (its flag and place: before, after)
    joined, left or moved in its session's reel."""
    joined, left = bool(now and now[0]), bool(was and was[0])
    if not (joined or left) or was == now:
        return
    session_id = db.scalar(
        select(Clip.session_id)
        .join(CodingRun, CodingRun.clip_id == Clip.id)
        .where(CodingRun.id == row.run_id)
    )
    if session_id is not None:
        action = "move" if joined and left else "add" if joined else "remove"
        reel_changed(db, session_id, action, {"moment": row.id}, run_place(db, row.run_id))
