"""SQLAlchemy 2 typed models of a workspace.

Case -> Session -> Clip; Coder; Scheme; CodingRun (clip x scheme x coder) -> Annotation,
Rating, Moment (a moment tag's feedback details); ConsentRecord per clip; AuditEntry
for every change that must be traceable.
Times are integer milliseconds of presentation timestamps; spans are [start, end).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
    }


def _values(members: type[enum.Enum]) -> list[str]:
    return [m.value for m in members]


class Role(enum.StrEnum):
    THERAPIST = "therapist"
    CODER = "coder"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class RunStatus(enum.StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Case(Base):
    """A family, known only by a pseudonymous code."""

    __tablename__ = "case"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sessions: Mapped[list[Session]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Session.id"
    )


class Session(Base):
    """One filming: date, context (play, mealtime, ...) and intervention cycle."""

    __tablename__ = "session"
    __table_args__ = (UniqueConstraint("case_id", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(128))
    date: Mapped[dt.date | None]
    context: Mapped[str | None] = mapped_column(String(64))
    cycle: Mapped[int | None]
    theme: Mapped[str | None] = mapped_column(String(200))  # the feedback visit's theme
    # raised by every change to the session's reel (its ordered moments)
    reel_version: Mapped[int] = mapped_column(default=1, server_default="1")
    case: Mapped[Case] = relationship(back_populates="sessions")
    clips: Mapped[list[Clip]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Clip.id"
    )


class Clip(Base):
    """A referenced (never copied) video file with its frame table."""

    __tablename__ = "clip"
    __table_args__ = (CheckConstraint("rotation IN (0, 90, 180, 270)", "rotation_quarter_turns"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)  # sampled: finds moves
    # BLAKE2b-256 of the whole file, hex; None until first computed (in the background
    # after adding, or at the first full check or export)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    file_size: Mapped[int] = mapped_column(BigInteger)
    file_mtime_ns: Mapped[int] = mapped_column(BigInteger)
    duration_ms: Mapped[int]
    frame_count: Mapped[int]
    fps: Mapped[float]
    vfr: Mapped[bool]
    width: Mapped[int]
    height: Mapped[int]
    rotation: Mapped[int] = mapped_column(default=0, server_default="0")
    has_audio: Mapped[bool]
    codec: Mapped[str] = mapped_column(String(32))
    frame_table: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    session: Mapped[Session] = relationship(back_populates="clips")

    @property
    def name(self) -> str:
        """The file name shown in lists."""
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


class Coder(Base):
    """A person who codes, tags, supervises or manages the workspace's people, and the
    database login (a PostgreSQL role) they connect as on a team workspace."""

    __tablename__ = "coder"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=_values)
    )
    login: Mapped[str | None] = mapped_column(String(63), unique=True)


class CaseMember(Base):
    """A therapist a case is shared with (a case without members is open to every
    therapist)."""

    __tablename__ = "case_member"
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case.id", ondelete="CASCADE"), primary_key=True
    )
    coder_id: Mapped[int] = mapped_column(
        ForeignKey("coder.id", ondelete="CASCADE"), primary_key=True
    )


class Scheme(Base):
    """A coding scheme as it was when a coding was made."""

    __tablename__ = "scheme"
    __table_args__ = (UniqueConstraint("scheme_key", "version", "content_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]]


class CodingRun(Base):
    """One coder's coding of one clip with one scheme."""

    __tablename__ = "coding_run"
    # ids are never handed out twice (the trail's entries about a run removed since must
    # not read as another's): 0009
    __table_args__ = (
        UniqueConstraint("clip_id", "scheme_id", "coder_id"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clip.id", ondelete="CASCADE"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"), index=True)
    status: Mapped[RunStatus] = mapped_column(
        Enum(RunStatus, native_enum=False, length=16, values_callable=_values),
        default=RunStatus.ASSIGNED,
    )
    blind: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]


class Annotation(Base):
    """A timed code, event or moment: [start_ms, end_ms), a point when equal, and no end
    yet while a state event is still running."""

    __tablename__ = "annotation"
    # ids are never handed out twice (a stale copy must not name a new event): 0008
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("coding_run.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(128))
    subject: Mapped[str | None] = mapped_column(String(64))
    start_ms: Mapped[int] = mapped_column(index=True)
    end_ms: Mapped[int | None]
    start_frame: Mapped[int]
    end_frame: Mapped[int | None]
    modifiers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    caption: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # raised by every edit; an edit made on an older version is refused
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class Rating(Base):
    """A scheme item's value in a run (a scale point, or a special code such as NOB)."""

    __tablename__ = "rating"
    __table_args__ = (UniqueConstraint("run_id", "item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("coding_run.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(128))
    value: Mapped[float | None]
    special: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # raised by every edit; an edit made on an older version is refused
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class Moment(Base):
    """What makes a moment-tag annotation a strength moment for feedback: its key frame
    (the still), its extra tags, the "speaking for the child" line, the practitioner's
    prepared comment, and its place in the session's reel. The caption, in the parent's
    words, is the annotation's own caption."""

    __tablename__ = "moment"
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotation.id", ondelete="CASCADE"), primary_key=True
    )
    key_ms: Mapped[int]
    key_frame: Mapped[int]
    tags: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"extra": [code, ...]}
    child_line: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    feedback: Mapped[bool] = mapped_column(default=False)
    reel_position: Mapped[int | None]
    # raised by every edit; an edit made on an older version is refused
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class ConsentRecord(Base):
    """What the family agreed the clip may be used for, when, recorded by whom."""

    __tablename__ = "consent_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clip.id", ondelete="CASCADE"), index=True)
    purposes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    given_on: Mapped[dt.date | None]
    valid_until: Mapped[dt.date | None]  # the last day it holds; None: no end date
    recorded_by: Mapped[str | None] = mapped_column(String(128))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """An append-only record of a change: who, what, on which record, and why."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # what the change was about (plain numbers: an entry outlives what it names)
    case_id: Mapped[int | None] = mapped_column(index=True)
    clip_id: Mapped[int | None]
    run_id: Mapped[int | None]


class WorkspaceInfo(Base):
    """Key/value facts about the workspace itself (its name, the VFA that wrote it)."""

    __tablename__ = "workspace_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReliabilityCriterion(Base):
    """A scheme's bar for certifying a coder against a reference coder: the statistic,
    the value it must reach, over how many recent clips, and on which item (None: all
    the scheme's items pooled)."""

    __tablename__ = "reliability_criterion"
    scheme_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    statistic: Mapped[str] = mapped_column(String(32))
    threshold: Mapped[float]
    window: Mapped[int]
    item: Mapped[str | None] = mapped_column(String(128))
    updated_by: Mapped[str | None] = mapped_column(String(128))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
