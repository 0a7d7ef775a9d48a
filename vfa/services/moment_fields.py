"""A moment's fields: what its texts, tags and span may hold, and the one place its
feedback details (``MomentDetail``) become a ``moment`` row, for the moment editor,
the coding hotkeys and undo alike."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from vfa.domain.frames import FrameTable
from vfa.domain.scheme_types import Scheme
from vfa.domain.text_fields import refused_character
from vfa.errors import InvalidInputError
from vfa.storage.models import Annotation, Moment

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
    )


def put_moment(db: DbSession, row: Annotation, detail: MomentDetail | None) -> None:
    """Store (or remove) the moment details of an annotation, exactly as given."""
    moment = db.get(Moment, row.id)
    if detail is None:
        if moment is not None:
            db.delete(moment)
        return
    if moment is None:
        moment = Moment(annotation_id=row.id)
        db.add(moment)
    for column, value in moment_columns(detail).items():
        setattr(moment, column, value)
    row.caption = detail.caption
