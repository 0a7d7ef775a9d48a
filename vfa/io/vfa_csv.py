"""VFA's tidy CSV: one row per event (or, with ``--what ratings``, one per rating).

The columns are fixed (``EVENT_COLUMNS``, ``RATING_COLUMNS``) so R, SPSS and Excel read
them by name; the file is UTF-8 with a header row. A cell a spreadsheet would run as a
formula is written with a leading apostrophe, which the reader takes off again.
Modifiers are ``key=value`` pairs joined by ``;``; the cells are encoded in
:mod:`vfa.io.csv_cells`. The reader turns either file into a Document with one
observation per case × session × clip × coder × scheme, so VFA's own export can be
imported again.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from vfa.domain.limits import MAX_MS
from vfa.errors import FormatError
from vfa.io.csv_cells import (
    NUMBER,
    format_modifiers,
    parse_modifiers,
    plain_cell,
    safe_cell,
    writer,
)
from vfa.io.csv_cells import csv_line as csv_line
from vfa.io.csv_cells import csv_text as csv_text
from vfa.io.document import (
    CodeDef,
    CodeKind,
    Document,
    Event,
    MediaRef,
    Observation,
    Problem,
    Rating,
    Subject,
)
from vfa.io.registry import FormatSpec
from vfa.io.safety import decode_text, read_bytes

FORMAT_ID = "vfa-csv"
EVENT_COLUMNS = (
    "case",
    "session",
    "session_date",
    "clip",
    "clip_file",
    "coder",
    "scheme",
    "scheme_version",
    "code",
    "code_name",
    "subject",
    "start_ms",
    "end_ms",
    "start_frame",
    "end_frame",
    "duration_ms",
    "modifiers",
    "caption",
)
RATING_COLUMNS = (
    "case",
    "session",
    "clip",
    "coder",
    "scheme",
    "scheme_version",
    "item",
    "item_name",
    "value",
    "special",
    "note",
)
# one cell of this many characters is no coding; the csv module's own limit is 128 KiB
FIELD_LIMIT = 1 << 20


# -- reading -----------------------------------------------------------------------------


def _header_of(head: bytes) -> list[str] | None:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    try:
        return next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return None


def sniff(head: bytes, name: str) -> bool:
    """A file whose header row holds every column of VFA's events or ratings CSV."""
    header = _header_of(head)
    if not header:
        return False
    cells = {c.strip() for c in header}
    return set(EVENT_COLUMNS) <= cells or set(RATING_COLUMNS) <= cells


def parse_ms(text: str, file: str, place: str) -> int:
    """A time cell in integer ms (round half up), refused when not a time of a recording."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise FormatError(file, place, f"{text!r} is not a time in milliseconds") from None
    if not value.is_finite():
        raise FormatError(file, place, f"{text!r} is not a finite time")
    if value < 0:
        raise FormatError(file, place, f"{text} ms is before the start of the recording")
    if value > MAX_MS:
        raise FormatError(file, place, f"{text} ms is beyond 24 hours ({MAX_MS} ms)")
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass
class _Group:
    """One observation being gathered from the rows that share its key."""

    name: str
    coder: str
    date: str | None
    media: tuple[MediaRef, ...]
    variables: tuple[tuple[str, str], ...]
    events: list[Event] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)


def _rows(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each row, csv errors as FormatErrors naming the line."""
    old = csv.field_size_limit()
    csv.field_size_limit(FIELD_LIMIT)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FormatError(
                    file, f"line {reader.line_num}", f"not valid CSV ({exc})"
                ) from None
            yield reader.line_num, cells
    finally:
        csv.field_size_limit(old)


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.groups: dict[tuple[str, ...], _Group] = {}
        self.codes: dict[str, CodeDef] = {}
        self.spans: set[str] = set()  # codes with at least one event that has a duration
        self.subjects: dict[str, Subject] = {}
        self.schemes: list[str] = []
        self.problems: list[Problem] = []

    def group(self, key: tuple[str, ...], make: Any) -> _Group:
        found = self.groups.get(key)
        if found is None:
            found = self.groups[key] = make()
        return found

    def scheme(self, scheme: str) -> None:
        if scheme and scheme not in self.schemes:
            self.schemes.append(scheme)

    def event(self, line: int, row: Mapping[str, str]) -> None:
        place = f"line {line}"
        code = row["code"].strip()
        if not code:
            self.problems.append(Problem(place, "no code; the row is left out"))
            return
        start = parse_ms(row["start_ms"], self.file, f"{place}, start_ms")
        end_text = row["end_ms"].strip()
        if end_text:
            end = parse_ms(end_text, self.file, f"{place}, end_ms")
            if end < start:
                self.problems.append(
                    Problem(
                        place, f"ends ({end} ms) before it starts ({start} ms); taken as a point"
                    )
                )
                end = start
        else:
            self.problems.append(
                Problem(
                    place,
                    "a state with no end (still running when exported); taken as ending "
                    "where it starts",
                )
            )
            end = start
            self.spans.add(code)
        if end > start:
            self.spans.add(code)
        try:
            modifiers = parse_modifiers(row["modifiers"])
        except ValueError as exc:
            self.problems.append(
                Problem(f"{place}, modifiers", f"{exc}; the modifiers are left out")
            )
            modifiers = ()
        subject = row["subject"].strip() or None
        if subject is not None and subject not in self.subjects:
            self.subjects[subject] = Subject(subject, subject)
        if code not in self.codes:
            self.codes[code] = CodeDef(code, row["code_name"].strip() or code)
        scheme = row["scheme"].strip()
        self.scheme(scheme)
        clip_file = row["clip_file"].strip()
        key = tuple(
            row[c]
            for c in ("case", "session", "clip", "clip_file", "coder", "scheme", "scheme_version")
        )

        def make() -> _Group:
            return _Group(
                _name(row["case"], row["session"], clip_file or row["clip"], row["coder"], scheme),
                row["coder"].strip(),
                row["session_date"].strip() or None,
                (MediaRef(clip_file),) if clip_file else (),
                _variables(row),
            )

        caption = row["caption"] or None
        self.group(key, make).events.append(
            Event(code, start, end, subject, modifiers, caption=caption)
        )

    def rating(self, line: int, row: Mapping[str, str]) -> None:
        place = f"line {line}"
        item = row["item"].strip()
        if not item:
            self.problems.append(Problem(place, "no item; the row is left out"))
            return
        special = row["special"].strip()
        value = row["value"].strip()
        if value:
            try:
                number = float(value)
            except ValueError:
                raise FormatError(
                    self.file, f"{place}, value", f"{value!r} is not a number"
                ) from None
            if not math.isfinite(number):
                raise FormatError(self.file, f"{place}, value", f"{value!r} is not a finite number")
            value = f"{number:g}" if number != int(number) else str(int(number))
        if value and special:
            self.problems.append(
                Problem(
                    place,
                    f"both a value ({value}) and a special code ({special}); the value is taken",
                )
            )
        scheme = row["scheme"].strip()
        self.scheme(scheme)
        key = tuple(
            row[c] for c in ("case", "session", "clip", "coder", "scheme", "scheme_version")
        )

        def make() -> _Group:
            return _Group(
                _name(row["case"], row["session"], row["clip"], row["coder"], scheme),
                row["coder"].strip(),
                None,
                (),
                _variables(row),
            )

        self.group(key, make).ratings.append(
            Rating(item, value or special, note=row["note"] or None)
        )

    def document(self, name: str) -> Document:
        codes = tuple(
            CodeDef(
                c.id,
                c.name,
                CodeKind.STATE if c.id in self.spans else CodeKind.POINT,
            )
            for c in self.codes.values()
        )
        observations = tuple(
            Observation(
                g.name,
                coder=g.coder or None,
                date=g.date,
                media=g.media,
                events=tuple(g.events),
                ratings=tuple(g.ratings),
                variables=g.variables,
            )
            for g in self.groups.values()
        )
        return Document(
            FORMAT_ID,
            self.file,
            name=self.schemes[0] if len(self.schemes) == 1 else name,
            codes=codes,
            subjects=tuple(self.subjects.values()),
            observations=observations,
            problems=tuple(self.problems),
        )


def _name(case: str, session: str, clip: str, coder: str, scheme: str) -> str:
    return " / ".join(p.strip() or "-" for p in (case, session, clip, coder, scheme))


def _variables(row: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    keys = ("case", "session", "clip", "scheme", "scheme_version")
    return tuple((k, row[k].strip()) for k in keys if row.get(k, "").strip())


def read(path: str) -> Document:
    """Read VFA's events or ratings CSV into a Document."""
    file = str(path)
    text = decode_text(read_bytes(file), file)
    rows = _rows(text, file)
    first = next(rows, None)
    if first is None:
        raise FormatError(file, "line 1", "the file is empty (no header row)")
    header = [h.strip() for h in first[1]]
    header[0] = header[0].lstrip("\ufeff")
    columns: tuple[str, ...]
    if set(EVENT_COLUMNS) <= set(header):
        columns, kind = EVENT_COLUMNS, "events"
    elif set(RATING_COLUMNS) <= set(header):
        columns, kind = RATING_COLUMNS, "ratings"
    else:
        missing = [c for c in EVENT_COLUMNS if c not in header]
        raise FormatError(
            file,
            "line 1",
            "not VFA's events or ratings CSV (the header lacks "
            + ", ".join(missing[:5])
            + (", …" if len(missing) > 5 else "")
            + ")",
        )
    twice = sorted({h for h in header if h in columns and header.count(h) > 1})
    if twice:
        raise FormatError(file, "line 1", f"column {', '.join(twice)} is given twice")
    index = {name: header.index(name) for name in columns}
    reader = _Reader(file)
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            reader.problems.append(
                Problem(
                    f"line {line}",
                    f"{len(cells)} cells where the header has {len(header)}; the row is left out",
                )
            )
            continue
        row = {name: plain_cell(cells[i]) for name, i in index.items()}
        if kind == "events":
            reader.event(line, row)
        else:
            reader.rating(line, row)
    return reader.document(Path(file).stem)


# -- writing -----------------------------------------------------------------------------


def _variable(observation: Observation, key: str) -> str:
    return next((v for k, v in observation.variables if k == key), "")


def event_rows(document: Document) -> Iterator[Sequence[Any]]:
    """The events CSV rows of a Document (frames left empty: a document has none)."""
    names = {c.id: c.name for c in document.codes}
    for observation in document.observations:
        media = observation.media[0].name if observation.media else ""
        scheme = _variable(observation, "scheme") or document.name
        fixed = (
            _variable(observation, "case"),
            _variable(observation, "session"),
            observation.date or "",
            _variable(observation, "clip"),
            media,
            observation.coder or "",
            scheme,
            _variable(observation, "scheme_version"),
        )
        for event in observation.events:
            yield (
                *fixed,
                event.code,
                names.get(event.code, event.code),
                event.subject or "",
                event.start_ms,
                event.end_ms,
                "",
                "",
                event.end_ms - event.start_ms,
                format_modifiers(event.modifiers),
                event.caption or "",
            )


def rating_rows(document: Document) -> Iterator[Sequence[Any]]:
    """The ratings CSV rows of a Document."""
    for observation in document.observations:
        for rating in observation.ratings:
            number = NUMBER.match(rating.value.strip())
            yield (
                _variable(observation, "case"),
                _variable(observation, "session"),
                _variable(observation, "clip"),
                observation.coder or "",
                _variable(observation, "scheme") or document.name,
                _variable(observation, "scheme_version"),
                rating.item,
                rating.item,
                rating.value if number else "",
                "" if number else rating.value,
                rating.note or "",
            )


def write(document: Document, stream: BinaryIO, target: Path) -> None:
    """Write a Document's events as VFA's tidy CSV (its ratings when it has no events)."""
    has_events = any(o.events for o in document.observations)
    has_ratings = any(o.ratings for o in document.observations)
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        out = writer(text)
        header: tuple[str, ...]
        if has_ratings and not has_events:
            header, rows = RATING_COLUMNS, rating_rows(document)
        else:
            header, rows = EVENT_COLUMNS, event_rows(document)
        out.writerow(header)
        for row in rows:
            out.writerow([safe_cell(v) for v in row])
        text.flush()
    finally:
        text.detach()


FORMAT = FormatSpec(
    id=FORMAT_ID,
    name="VFA CSV",
    suffixes=(".csv",),
    sniff=sniff,
    read=read,
    write=write,
)
