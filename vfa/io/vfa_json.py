"""VFA's JSON export: a workspace (or a selection of it) as one id-free document.

The shape (``"format": "vfa-workspace"``, ``"version": 1``)::

    schemes   [{id, version, content_hash, name, content}]
    coders    [{name, role}]
    criteria  [{scheme, statistic, threshold, window, item, updated_by, updated_at}]
    cases     [{code, created_at, sessions: [{label, date, context, cycle, theme,
               clips: [{file, path, fingerprint, content_hash, …probe facts, frame_table
                        (base64), added_at, consent: [...],
                        runs: [{ref, scheme: {id, version, content_hash}, coder, status,
                                blind, created_at, submitted_at,
                                events: [{code, subject, start_ms, end_ms, start_frame,
                                          end_frame, modifiers, caption, created_at,
                                          moment?}],
                                ratings: [{item, value, special, note, evidence}]}]}]}]}]

Records refer to each other by natural keys (a scheme by id, version and content hash, a
coder by name) and a rating's evidence by ``[run ref, event index]``, so exporting a
workspace restored from the file gives the same file. :func:`load` checks every field
(:mod:`vfa.io.vfa_json_check`: ``FormatError`` naming the place, e.g.
``cases[0].sessions[1].clips[0].runs[2].events[17].start_ms``);
:func:`read` turns the runs into a Document for ``vfa import``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from vfa.errors import FormatError
from vfa.io.document import (
    CodeDef,
    CodeKind,
    Document,
    Event,
    MediaRef,
    ModifierSet,
    Observation,
    Problem,
    Rating,
    Subject,
)
from vfa.io.registry import FormatSpec
from vfa.io.safety import decode_text, read_bytes
from vfa.io.vfa_json_check import KIND as KIND
from vfa.io.vfa_json_check import VERSION as VERSION
from vfa.io.vfa_json_check import Obj, check
from vfa.io.vfa_json_check import frame_table_bytes as frame_table_bytes

FORMAT_ID = "vfa-json"


def load(path: str) -> Obj:
    """Read and check a VFA JSON export."""
    file = str(path)
    text = decode_text(read_bytes(file), file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            file, f"line {exc.lineno}, column {exc.colno}", f"not JSON ({exc.msg})"
        ) from None
    except RecursionError:
        raise FormatError(file, "", "nested too deeply to be a VFA export") from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise FormatError(file, "", f"not usable JSON ({exc})") from None
    return check(data, file)


def sniff(head: bytes, name: str) -> bool:
    """JSON whose first key names VFA's workspace format."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    return text.startswith("{") and f'"{KIND}"' in text[:200]


# -- as a Document ---------------------------------------------------------------------


def runs(data: Obj) -> Iterator[tuple[Obj, Obj, Obj, Obj]]:
    """(case, session, clip, run) of every run, in file order."""
    for case in data.get("cases", []):
        for session in case.get("sessions", []):
            for clip in session.get("clips", []):
                for run in clip.get("runs", []):
                    yield case, session, clip, run


def _pairs(modifiers: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for key, value in modifiers.items():
        for one in value if isinstance(value, list) else [value]:
            out.append((str(key), "" if one is None else str(one)))
    return tuple(out)


def scheme_codes(
    contents: Iterable[tuple[str, Mapping[str, Any]]],
) -> tuple[tuple[CodeDef, ...], tuple[Subject, ...], tuple[ModifierSet, ...], list[Problem]]:
    """The codes, subjects and modifier sets of VFA schemes' ethograms, for a Document.

    ``contents`` are (place, scheme content) pairs. A code id two schemes define
    differently keeps its first definition (reported); a modifier id several codes use
    is one modifier set whose values are all their options.
    """
    codes: dict[str, CodeDef] = {}
    subjects: dict[str, Subject] = {}
    sets: dict[str, ModifierSet] = {}
    problems: list[Problem] = []
    for where, content in contents:
        ethogram = content.get("ethogram")
        if not isinstance(ethogram, dict):
            continue
        raw_subjects = ethogram.get("subjects")
        for subject in raw_subjects if isinstance(raw_subjects, list) else []:
            if isinstance(subject, str):
                subjects.setdefault(subject, Subject(subject, subject))
        raw_codes = ethogram.get("codes")
        for k, code in enumerate(raw_codes if isinstance(raw_codes, list) else []):
            place = f"{where}.ethogram.codes[{k}]"
            if not isinstance(code, dict) or not isinstance(code.get("id"), str):
                problems.append(Problem(place, "a code without an id is left out"))
                continue
            made = _code_def(code, sets)
            if code["id"] in codes and codes[code["id"]] != made:
                problems.append(
                    Problem(
                        place,
                        f"code {code['id']!r} is defined differently by another scheme; "
                        "the first is kept",
                    )
                )
                continue
            codes.setdefault(code["id"], made)
    return tuple(codes.values()), tuple(subjects.values()), tuple(sets.values()), problems


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _code_def(code: Mapping[str, Any], sets: dict[str, ModifierSet]) -> CodeDef:
    mods = []
    raw = code.get("modifiers")
    for m in raw if isinstance(raw, list) else []:
        if isinstance(m, dict) and isinstance(m.get("id"), str):
            options = m.get("options")
            values = (
                tuple(o for o in options if isinstance(o, str)) if isinstance(options, list) else ()
            )
            earlier = sets.get(m["id"])
            merged = tuple(dict.fromkeys((*(earlier.values if earlier else ()), *values)))
            sets[m["id"]] = ModifierSet(m["id"], str(m.get("name") or m["id"]), merged)
            mods.append(m["id"])
    subjects = code.get("subjects")
    only = subjects[0] if isinstance(subjects, list) and len(subjects) == 1 else None
    return CodeDef(
        code["id"],
        str(code.get("name") or code["id"]),
        CodeKind.POINT if code.get("kind") == "point" else CodeKind.STATE,
        key=_text_or_none(code.get("hotkey")) or None,
        category=_text_or_none(code.get("parent")),
        description=_text_or_none(code.get("description")) or None,
        exclusive_group=_text_or_none(code.get("group")),
        modifier_sets=tuple(mods),
        subject=only if isinstance(only, str) else None,
    )


def _value(rating: Obj) -> str:
    if rating.get("special"):
        return str(rating["special"])
    value = rating.get("value")
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def document(data: Obj, file: str) -> Document:
    """The runs of a checked export as a Document: one observation per run."""
    problems: list[Problem] = []
    observations = []
    used: set[tuple[str, str, str]] = set()
    names: set[str] = set()
    for n, (case, session, clip, run) in enumerate(runs(data)):
        ref = run["scheme"]
        used.add((ref["id"], ref["version"], ref["content_hash"]))
        file_name = MediaRef(clip["path"]).name
        name = " / ".join((case["code"], session["label"], file_name, run["coder"], ref["id"]))
        if name in names:
            name = f"{name} ({n + 1})"
        names.add(name)
        events = []
        for k, ev in enumerate(run.get("events", [])):
            start = math.floor(ev["start_ms"] + 0.5)
            end = ev.get("end_ms")
            if end is None:
                problems.append(
                    Problem(
                        f"run {run['ref']} event {k}",
                        "a state with no end (still running); taken as ending where it starts",
                    )
                )
                end = start
            events.append(
                Event(
                    ev["code"],
                    start,
                    math.floor(end + 0.5),
                    ev.get("subject"),
                    _pairs(ev.get("modifiers") or {}),
                    caption=ev.get("caption"),
                )
            )
        ratings = tuple(
            Rating(r["item"], _value(r), note=r.get("note")) for r in run.get("ratings", [])
        )
        observations.append(
            Observation(
                name,
                coder=run["coder"],
                date=session.get("date"),
                media=(MediaRef(clip["path"]),),
                events=tuple(events),
                ratings=ratings,
                variables=(
                    ("case", case["code"]),
                    ("session", session["label"]),
                    ("scheme", ref["id"]),
                    ("scheme_version", ref["version"]),
                ),
            )
        )
    codes, subjects, sets, code_problems = scheme_codes(
        (f"schemes[{n}].content", s["content"])
        for n, s in enumerate(data.get("schemes", []))
        if (s["id"], s["version"], s["content_hash"]) in used
    )
    ids = sorted({i for i, _v, _h in used})
    return Document(
        FORMAT_ID,
        file,
        name=ids[0] if len(ids) == 1 else Path(file).stem,
        codes=codes,
        subjects=subjects,
        modifier_sets=sets,
        observations=tuple(observations),
        problems=(*code_problems, *problems),
    )


def read(path: str) -> Document:
    """Read a VFA JSON export as a Document of its runs."""
    return document(load(path), str(path))


FORMAT = FormatSpec(
    id=FORMAT_ID,
    name="VFA JSON",
    suffixes=(".json",),
    sniff=sniff,
    read=read,
)
