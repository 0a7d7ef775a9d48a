"""Datavyu projects (``.opf``): a zip of a ``project`` file and a ``db`` file of cells.

The ``db`` file (formats "#2" to "#4", and the unnumbered first one) lists columns, each a
header line ``Name (TYPE,visible,comment)`` (``#2`` has only the type, ``#3`` no comment;
a MATRIX header ends ``-arg1|NOMINAL,arg2|NOMINAL``) followed by its cells
``HH:MM:SS:mmm,HH:MM:SS:mmm,value``: a TEXT or NOMINAL value as it stands, a MATRIX value
as ``(a,b,…)``. A backslash escapes the next character (``\\,`` is a comma inside a value)
and a backslash at the end of a line continues the value on the next line.

Each column becomes a code (a point code when all its cells have equal onset and offset), a
MATRIX column's arguments and a NOMINAL column's value modifier sets, each cell an event,
a TEXT cell's text its caption. The ``project`` file (YAML with Datavyu's tags) is read by
hand, not by a YAML loader: anchors and aliases are refused. Its ``viewerSettings`` give the
media (``feed``) and their ``offset`` in ms; Datavyu plays a track at ``timeline time -
offset``, so ``MediaRef.offset_ms`` is ``-offset``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from vfa.domain.limits import MAX_MS
from vfa.io.document import (
    CodeDef,
    CodeKind,
    Document,
    Event,
    FileReading,
    MediaRef,
    ModifierSet,
    Observation,
    Problem,
    free_id,
)
from vfa.io.registry import FormatSpec
from vfa.io.safety import read_zip_members
from vfa.io.unpack import decode_lenient

FORMAT_ID = "datavyu"
MAX_PROJECT_BYTES = 1024 * 1024  # a project file names a few media; nothing near this
TIME = re.compile(r"(\d{1,4}):(\d{2}):(\d{2}):(\d{3})", re.ASCII)
CELL = re.compile(
    r"(\d{1,4}:\d{2}:\d{2}:\d{3}),(\d{1,4}:\d{2}:\d{2}:\d{3})(?:,(.*))?", re.S | re.ASCII
)
# an anchor (&a) or alias (*a) where a YAML value or list item starts
ANCHOR = re.compile(r"(?:^|[\s:\-\[{,])[&*][^\s,\]}]")
KINDS = ("TEXT", "NOMINAL", "MATRIX")


def _unescape(text: str) -> str:
    """Datavyu's escapes: a backslash stands for the character after it."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.S)


def _split(text: str, separator: str) -> list[str]:
    """Split at separators not escaped by a backslash, unescaping each part."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


class _Reader(FileReading):
    def decode(self, data: bytes, member: str) -> str:
        text, problem = decode_lenient(data, self.file, member)
        self.problems.extend([problem] if problem else [])
        return text

    # -- the project file ---------------------------------------------------------------------
    def project(self, text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
        """The top-level keys and each viewer's keys of Datavyu's project file."""
        top: dict[str, str] = {}
        viewers: list[dict[str, str]] = []
        in_viewers = False
        list_indent: int | None = None  # where the viewers' "- " stand
        item_indent: int | None = None  # where a viewer's keys stand
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.rstrip()
            place = f"project line {number}"
            if ANCHOR.search(line) and not line.lstrip().startswith("#"):
                raise self.fail(place, "YAML anchors and aliases are not read; refused")
            stripped = line.strip()
            if not stripped or stripped.startswith("#") or stripped.startswith("!project"):
                continue
            indent = len(line) - len(line.lstrip())
            if stripped.startswith("- ") and in_viewers and list_indent in (None, indent):
                list_indent = indent
                viewers.append({})
                item_indent = indent + 2
                stripped = stripped[2:].strip()
                if stripped.startswith("!"):  # the item's tag, e.g. "- !vs"
                    stripped = stripped.partition(" ")[2].strip()
                if not stripped:
                    continue
                indent = item_indent
            key, colon, value = stripped.partition(":")
            if not colon:
                continue
            value = self.scalar(value.strip(), place)
            if indent == 0:
                in_viewers, list_indent = key.strip() == "viewerSettings", None
                top[key.strip()] = value
            elif in_viewers and viewers and indent == item_indent:
                viewers[-1][key.strip()] = value
        return top, viewers

    def scalar(self, text: str, place: str) -> str:
        if text.startswith("!"):  # a tag before the value: "!ts", "!!str x"
            text = text.partition(" ")[2].strip()
        if len(text) >= 2 and text[0] == text[-1] == "'":
            return text[1:-1].replace("''", "'")
        if len(text) >= 2 and text[0] == text[-1] == '"':
            return _unescape(text[1:-1])
        return text

    def media(self, viewers: list[dict[str, str]]) -> list[MediaRef]:
        out = []
        for index, viewer in enumerate(viewers, 1):
            place = f"project viewer {index}"
            path = viewer.get("feed", "").strip()
            if not path:
                self.note(place, "a viewer without a media file; left out")
                continue
            offset_text = viewer.get("offset", "0").strip() or "0"
            try:
                offset = int(offset_text)
            except ValueError:
                reason = f"{offset_text[:40]!r} is not a whole number of ms"
                raise self.fail(f"{place} offset", reason) from None
            if abs(offset) > MAX_MS:
                raise self.fail(f"{place} offset", f"{offset} ms is beyond 24 hours")
            out.append(MediaRef(path=path, offset_ms=-offset))
        return out

    # -- the cells ------------------------------------------------------------------------------
    def time(self, text: str, place: str, what: str) -> int:
        match = TIME.fullmatch(text)
        if match is None:
            raise self.fail(place, f"the {what} {text!r} is not a time HH:MM:SS:mmm")
        hours, minutes, seconds, ms = (int(g) for g in match.groups())
        if minutes > 59 or seconds > 59:
            raise self.fail(place, f"the {what} {text!r} is not a time HH:MM:SS:mmm")
        total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms
        if total > MAX_MS:
            raise self.fail(place, f"the {what} {text} is beyond 24 hours")
        return total

    def columns(self, text: str) -> list[dict[str, Any]]:
        lines = [line.removesuffix("\r") for line in text.split("\n")]
        start = 0
        if lines and re.fullmatch(r"#[2-9]", lines[0].strip()):
            start = 1
        columns: list[dict[str, Any]] = []
        names: set[str] = set()
        column: dict[str, Any] | None = None
        index = start
        while index < len(lines):
            number, line = index + 1, lines[index]
            index += 1
            if not line.strip():
                continue
            if line[0] not in "0123456789":
                column = self.header(line, number, names)
                if column is not None:
                    columns.append(column)
                continue
            while _continues(line) and index < len(lines):  # an escaped line break
                line = line[:-1] + "\n" + lines[index]
                index += 1
            if column is None:
                self.note(f"db line {number}", "a cell before any column; left out")
                continue
            if column["kind"] is not None:
                column["cells"].append((number, line))
        return columns

    def header(self, line: str, number: int, names: set[str]) -> dict[str, Any] | None:
        place = f"db line {number}"
        name_part, paren, after = line.partition("(")
        close = after.find(")")
        if not paren or close < 0:
            raise self.fail(place, f"{line[:60]!r} is neither a column header nor a cell")
        name = _unescape(name_part.strip())
        inner, rest = after[:close].split(","), after[close + 1 :]
        kind = inner[0].strip().upper()
        if not name:
            raise self.fail(place, "a column without a name")
        if name in names:
            self.note(place, f"a second column named {name!r}; read as {name + ' (2)'!r}")
            name += " (2)"
        names.add(name)
        column: dict[str, Any] = {
            "name": name,
            "kind": kind if kind in KINDS else None,
            "comment": _unescape(inner[2].strip()) if len(inner) > 2 else "",
            "args": [],
            "cells": [],
            "line": number,
        }
        if name == "###QueryVar###":  # old MacSHAPA queries: Datavyu skips them too
            column["kind"] = None
            return None
        if column["kind"] is None:
            self.note(place, f"column {name!r} is of type {kind!r}, which is not read")
        if kind == "MATRIX":
            args = rest.partition("-")[2] if rest.startswith("-") else ""
            for arg in _split(args, ","):
                arg_name = arg.partition("|")[0].strip().strip("<>")
                if arg_name:
                    column["args"].append(arg_name)
            if not column["args"]:
                raise self.fail(place, f"the matrix column {name!r} names no arguments")
        return column

    def cell(
        self, column: dict[str, Any], number: int, line: str, set_ids: list[str]
    ) -> Event | None:
        place = f"db line {number}"
        match = CELL.fullmatch(line)
        if match is None:
            raise self.fail(place, f"{line[:60]!r} is not a cell onset,offset,value")
        onset = self.time(match.group(1), place, "onset")
        offset = self.time(match.group(2), place, "offset")
        value = match.group(3) or ""
        if offset < onset:
            self.note(place, "the offset is before the onset; taken as a point at the onset")
            offset = onset
        caption = None
        modifiers: list[tuple[str, str]] = []
        if column["kind"] == "TEXT":
            caption = _unescape(value) or None
        elif column["kind"] == "NOMINAL":
            text = _unescape(value).strip()
            if text:
                modifiers.append((set_ids[0], text))
        else:
            if value.startswith("(") and value.endswith(")") and not _continues(value[:-1]):
                value = value[1:-1]
            else:
                self.note(place, "the matrix value is not in parentheses; read as it stands")
            parts = _split(value, ",")
            args = column["args"]
            if len(parts) != len(args):
                self.note(
                    place, f"{len(parts)} values for {len(args)} arguments; the unmatched left out"
                )
            for arg, set_id, part in zip(args, set_ids, parts, strict=False):
                part = part.strip()
                if part and part != f"<{arg}>":
                    modifiers.append((set_id, part))
        return Event(
            code=column["name"],
            start_ms=onset,
            end_ms=offset,
            modifiers=tuple(modifiers),
            caption=caption,
        )

    def document(self, members: dict[str, bytes]) -> Document:
        db = _member(members, "db")
        if db is None:
            raise self.fail("", "not a Datavyu project (the zip holds no 'db' file)")
        project = _member(members, "project")
        top: dict[str, str] = {}
        viewers: list[dict[str, str]] = []
        if project is None:
            self.note("project", "the zip holds no 'project' file; no media are known")
        elif len(project) > MAX_PROJECT_BYTES:
            raise self.fail("project", f"is {len(project):,} bytes; refused")
        else:
            top, viewers = self.project(self.decode(project, "project"))
        media = self.media(viewers)
        codes, sets, events = [], [], []
        taken: set[str] = set()
        for column in self.columns(self.decode(db, "db")):
            if column["kind"] is None:
                continue
            names = column["args"] if column["kind"] == "MATRIX" else [column["name"]]
            set_ids = []
            if column["kind"] != "TEXT":
                for arg in names:
                    base = arg if column["kind"] == "NOMINAL" else f"{column['name']}.{arg}"
                    set_id = free_id(base, taken)
                    set_ids.append(set_id)
                    sets.append(ModifierSet(id=set_id, name=arg))
            cells = [self.cell(column, n, line, set_ids) for n, line in column["cells"]]
            column_events = [e for e in cells if e is not None]
            point = bool(column_events) and all(e.is_point for e in column_events)
            codes.append(
                CodeDef(
                    id=column["name"],
                    name=column["name"],
                    kind=CodeKind.POINT if point else CodeKind.STATE,
                    description=column["comment"] or None,
                    modifier_sets=tuple(set_ids),
                )
            )
            events.extend(column_events)
        events.sort(key=lambda e: (e.start_ms, e.end_ms))
        name = top.get("name") or Path(self.file).stem
        return Document(
            format=FORMAT_ID,
            source=self.file,
            name=name,
            codes=tuple(codes),
            modifier_sets=tuple(sets),
            observations=(Observation(name=name, media=tuple(media), events=tuple(events)),),
            problems=tuple(sorted(self.problems, key=_line_order)),
        )


def _line_order(problem: Problem) -> tuple[int, int]:
    """Problems in the order of the file: the project's first, then the cells' by line."""
    match = re.fullmatch(r"db line (\d+)", problem.place)
    return (1, int(match.group(1))) if match else (0, 0)


def _continues(line: str) -> bool:
    """Does the line end in an odd number of backslashes (an escaped line break)?"""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _member(members: dict[str, bytes], name: str) -> bytes | None:
    if name in members:
        return members[name]
    return next((data for key, data in members.items() if key.rsplit("/", 1)[-1] == name), None)


def read(path: str | os.PathLike[str]) -> Document:
    """Read a Datavyu project (.opf)."""
    file = os.fspath(path)
    return _Reader(file).document(read_zip_members(file))


def sniff(head: bytes, name: str) -> bool:
    """A zip whose first member is Datavyu's ``project`` or ``db`` (or a .opf name)."""
    if not head.startswith(b"PK\x03\x04"):
        return False
    if len(head) >= 30:
        length = int.from_bytes(head[26:28], "little")
        if head[30 : 30 + length] in (b"project", b"db"):
            return True
    return name.lower().endswith(".opf")


FORMAT = FormatSpec(
    id=FORMAT_ID,
    name="Datavyu project",
    suffixes=(".opf",),
    sniff=sniff,
    read=read,
)
