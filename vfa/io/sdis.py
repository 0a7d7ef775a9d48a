"""SDIS timed-event data for GSEQ (Bakeman & Quera's Sequential Data Interchange Standard).

What is written (an ``.sds`` file GSEQ compiles)::

    % comments: where the file came from, the time unit, each code's original name
    Timed MomLooks InfCries Laughs ;
    % observation "Visit 1"
    <Visit 1>
    ,0
    MomLooks,1000-2500
    Laughs,3000
    ,60000/

- One session per observation, labelled ``<name>``; each begins with ``,start`` (0, the
  start of the coding's timeline) and ends with ``,end/`` (the end of its last event), so
  the file ends with ``/``. An observation without events is an empty session ``,0 ,0/``.
- Times are integer **milliseconds** (SDIS's plain integer time units): exact, and read by
  every GSEQ version, where decimal seconds are not. GSEQ counts durations in these units.
- A state is ``code,onset-offset`` (the offset is the first ms after it, as in VFA); a point
  is ``code,onset``. Events are in onset order.
- Codes: SDIS takes letters, digits and underscores, starting with a letter; VFA's names
  become such ids (accents dropped, other characters ``_``, at most 16 characters, unique
  without regard to case, never a data-type keyword), and every id's original code and
  subject names are listed as ``%`` comments (JSON-quoted, so non-ASCII stays readable and
  exact). An event's subject is part of its code (``Mother_Looks``): SDIS has no subjects.
- Occurrences of one code that overlap in a session are joined into one (a code cannot
  overlap itself in SDIS) and a ``%`` comment says so.
- Not written: modifiers, comments and captions (SDIS codes carry none), media.

The file is ASCII with CRLF line ends (GSEQ is a Windows program).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from vfa.errors import FormatError
from vfa.io.document import Document, Event, Observation
from vfa.io.registry import FormatSpec

MAX_CODE_CHARS = 16
KEYWORDS = frozenset({"event", "state", "timed", "interval", "multievent"})
_LINE_CHARS = 76


def safe_code(name: str, taken: set[str]) -> str:
    """An SDIS code for ``name``: ASCII letters, digits, ``_``; a letter first; unique
    (case-insensitively) among ``taken``, to which it is added in lower case."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_") or "code"
    if not base[0].isalpha():
        base = "c" + base
    base = base[:MAX_CODE_CHARS].rstrip("_")
    candidate, n = base, 2
    while candidate.lower() in taken or candidate.lower() in KEYWORDS:
        suffix = str(n)
        candidate = base[: MAX_CODE_CHARS - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def safe_label(name: str) -> str:
    """A session label: printable ASCII without the characters SDIS gives a meaning to."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    label = re.sub(r"[^ -~]|[<>/;%,()=*$&\[\]']", "_", ascii_text)
    return " ".join(label.split())[:60] or "session"


@dataclass(frozen=True)
class _Span:
    code: str  # the SDIS code
    start: int
    end: int  # exclusive; start + 1 for a point
    point: bool


def _codes(document: Document) -> dict[tuple[str | None, str], str]:
    """(subject id, code id) -> SDIS code, in the document's order of subjects and codes."""
    code_order = {c.id: i for i, c in enumerate(document.codes)}
    subject_order = {s.id: i for i, s in enumerate(document.subjects)}
    used = {(e.subject, e.code) for o in document.observations for e in o.events}
    if not any(subject for subject, _ in used):  # no subjects: the whole code list
        used |= {(None, c.id) for c in document.codes}

    def order(key: tuple[str | None, str]) -> tuple[int, str, int, str]:
        subject, code = key
        return (
            -1 if subject is None else subject_order.get(subject, len(subject_order)),
            subject or "",
            code_order.get(code, len(code_order)),
            code,
        )

    taken: set[str] = set()
    out = {}
    for subject, code in sorted(used, key=order):
        out[(subject, code)] = safe_code(
            f"{_subject_name(document, subject)}_{_code_name(document, code)}"
            if subject
            else _code_name(document, code),
            taken,
        )
    return out


def _code_name(document: Document, code_id: str) -> str:
    code = document.code(code_id)
    return code.name if code is not None else code_id


def _subject_name(document: Document, subject_id: str | None) -> str:
    if subject_id is None:
        return ""
    return next((s.name for s in document.subjects if s.id == subject_id), subject_id)


def _spans(events: Iterable[Event], codes: dict[tuple[str | None, str], str]) -> list[_Span]:
    return [
        _Span(codes[(e.subject, e.code)], e.start_ms, max(e.end_ms, e.start_ms + 1), e.is_point)
        for e in events
    ]


def _joined(spans: list[_Span]) -> tuple[list[_Span], list[str]]:
    """Overlapping occurrences of one code joined; notes on what was joined."""
    out: list[_Span] = []
    notes: list[str] = []
    by_code: dict[str, list[_Span]] = {}
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        by_code.setdefault(span.code, []).append(span)
    for code, runs in by_code.items():
        current = runs[0]
        joined = 1
        for span in runs[1:]:
            if span.start < current.end:
                current = _Span(
                    code, current.start, max(current.end, span.end), current.point and span.point
                )
                joined += 1
                continue
            out.append(current)
            if joined > 1:
                notes.append(f"{joined} overlapping {code} at {current.start} joined")
            current, joined = span, 1
        out.append(current)
        if joined > 1:
            notes.append(f"{joined} overlapping {code} at {current.start} joined")
    out.sort(key=lambda s: (s.start, s.end, s.code))
    return out, notes


def _wrapped(words: list[str], first: str, last: str) -> list[str]:
    lines, line = [], first
    for word in words:
        if len(line) + 1 + len(word) > _LINE_CHARS and line.strip():
            lines.append(line)
            line = " "
        line += " " + word if line.strip() else word
    lines.append(line + last)
    return [line.rstrip() for line in lines]


def sdis_text(document: Document) -> str:
    """The SDIS text for a document's observations (see the module docstring)."""
    codes = _codes(document)
    lines = [
        "% SDIS timed-event data written by VFA (Video Feedback Annotator)",
        f"% from {json.dumps(document.source or document.name or 'VFA')}",
        "% times are integer milliseconds from the start of each observation",
        "% codes (SDIS code = VFA code, with its subject):",
    ]
    for (subject, code), sdis in codes.items():
        described = json.dumps(_code_name(document, code))
        if subject:
            described += f" of subject {json.dumps(_subject_name(document, subject))}"
        lines.append(f"%   {sdis} = {described}")
    lines += _wrapped(list(codes.values()), "Timed", " ;")
    for observation in document.observations:
        lines += _session(observation, codes)
    return "\r\n".join(lines) + "\r\n"


def _session(observation: Observation, codes: dict[tuple[str | None, str], str]) -> list[str]:
    spans, notes = _joined(_spans(observation.events, codes))
    lines = [f"% observation {json.dumps(observation.name)}"]
    lines += [f"% {note}" for note in notes]
    if not spans:
        lines.append("% no events")
    lines.append(f"<{safe_label(observation.name)}>")
    lines.append(",0")
    for span in spans:
        lines.append(
            f"{span.code},{span.start}" if span.point else f"{span.code},{span.start}-{span.end}"
        )
    lines.append(f",{max((s.end for s in spans), default=0)}/")
    return lines


def write_sdis(document: Document, stream: BinaryIO, target: Path | None = None) -> None:
    """Write the document's observations as SDIS timed-event data to a binary stream."""
    if not document.observations:
        where = str(target) if target is not None else "SDIS export"
        raise FormatError(where, "", "has no observations to write; GSEQ needs a session")
    if not document.codes and not any(o.events for o in document.observations):
        where = str(target) if target is not None else "SDIS export"
        raise FormatError(where, "", "has no codes to declare; GSEQ needs at least one")
    stream.write(sdis_text(document).encode("ascii"))


def _write(document: Document, stream: BinaryIO, target: Path) -> None:
    write_sdis(document, stream, target)


def sniff(head: bytes, name: str) -> bool:
    """SDIS text: a data-type keyword first, after any ``%`` comments."""
    text = head.decode("latin-1")
    words = "\n".join(line.split("%", 1)[0] for line in text.splitlines()).split(None, 1)
    return bool(words) and words[0].lower() in KEYWORDS


FORMAT = FormatSpec(
    id="sdis",
    name="SDIS timed-event data (GSEQ)",
    suffixes=(".sds",),
    sniff=sniff,
    write=_write,
)
