"""Coding schemes: the typed form of a scheme file and the checks that it is coherent.

``parse_scheme`` takes data whose structure the JSON Schema has already checked
(``coding_schemes/scheme.schema.json``) and checks what a schema cannot: unique ids and
hotkeys, bands that fit their scale without gaps or overlaps, grids whose totals add up,
exclusive groups of states only, known subjects and parents. Every problem is a
``SchemeError`` naming the file, the place (``ratings.items[3].group``, 0-based indices,
with the YAML line when known; :mod:`vfa.domain.scheme_places`) and the reason.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from decimal import Decimal
from itertools import pairwise
from typing import Any

from vfa.domain.hotkeys import hotkey_conflict, normalize_hotkey
from vfa.domain.scheme_places import Checker, Lines, PathPart, place_text
from vfa.domain.scheme_types import (
    Band,
    Ethogram,
    EventCode,
    Grid,
    GridMember,
    GridRow,
    GridScale,
    Modifier,
    MomentSettings,
    RatingItem,
    RatingSection,
    ScalePoint,
    Scheme,
    SpecialCode,
)

__all__ = [
    "AGGREGATES",
    "COUNTS_AS",
    "KINDS",
    "Band",
    "Ethogram",
    "EventCode",
    "Grid",
    "GridMember",
    "GridRow",
    "GridScale",
    "Lines",
    "Modifier",
    "MomentSettings",
    "PathPart",
    "RatingItem",
    "RatingSection",
    "ScalePoint",
    "Scheme",
    "SpecialCode",
    "content_hash",
    "parse_scheme",
    "place_text",
    "scheme_as_dict",
]

AGGREGATES = ("mean", "sum")
COUNTS_AS = ("excluded", "zero")
KINDS = ("point", "state")


def content_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the data (sorted keys, no whitespace, UTF-8)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_scheme(data: Mapping[str, Any], source_file: str, lines: Lines | None = None) -> Scheme:
    """The typed scheme, after the semantic checks; ``lines`` maps data paths to YAML lines."""
    ck = Checker(source_file, lines)
    if not any(key in data for key in ("ratings", "grids", "ethogram")):
        ck.fail((), "nothing to code: give ratings, grids or an ethogram")
    _check_unverified_fields(data, (), ck)
    ratings = _ratings(data["ratings"], ck) if "ratings" in data else None
    grids = _grids(data.get("grids", []), ck)
    ethogram = _ethogram(data["ethogram"], ck) if "ethogram" in data else None
    moments = _moments(data, ethogram, ck)
    return Scheme(
        id=data["id"],
        name=data["name"],
        version=str(data["version"]),
        description=data.get("description", ""),
        ratings=ratings,
        grids=grids,
        ethogram=ethogram,
        moments=moments,
        content_hash=content_hash(data),
        source_file=source_file,
        raw=json.loads(json.dumps(data)),
    )


def _check_unverified_fields(node: Any, path: tuple[PathPart, ...], ck: Checker) -> None:
    """``unverified: [field, …]`` may only name fields the object has (or its ``order``)."""
    if isinstance(node, Mapping):
        for i, name in enumerate(node.get("unverified", ())):
            if name != "order" and name not in node:
                ck.fail(
                    (*path, "unverified", i),
                    f"{name!r} is not a field of this object (fields: {', '.join(node)})",
                )
        for key, value in node.items():
            _check_unverified_fields(value, (*path, key), ck)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_unverified_fields(value, (*path, i), ck)


# -- ratings -----------------------------------------------------------------------------


def _scale(
    raw: Mapping[str, Any], path: tuple[PathPart, ...], ck: Checker
) -> tuple[int, int, tuple[ScalePoint, ...]]:
    lo, hi = raw["min"], raw["max"]
    if hi <= lo:
        ck.fail((*path, "max"), f"the scale's max ({hi}) must be above its min ({lo})")
    points: dict[int, ScalePoint] = {}
    for i, point in enumerate(raw.get("points", [])):
        value = point["value"]
        if not lo <= value <= hi:
            ck.fail(
                (*path, "points", i, "value"),
                f"labelled point {value} is outside the scale {lo}–{hi}",
            )
        if value in points:
            ck.fail((*path, "points", i, "value"), f"point {value} is labelled twice")
        points[value] = ScalePoint(value, point["label"])
    return lo, hi, tuple(points[v] for v in sorted(points))


def _special(
    raw: Sequence[Mapping[str, Any]], path: tuple[PathPart, ...], ck: Checker
) -> tuple[SpecialCode, ...]:
    ck.unique(path, "code", (s["code"] for s in raw))
    for i, s in enumerate(raw):
        if s["code"].strip().lstrip("+-").isdigit():
            ck.fail((*path, i, "code"), f"{s['code']!r} would read as a scale point; use letters")
    return tuple(SpecialCode(s["code"], s["label"], s["counts_as"]) for s in raw)


def _ratings(raw: Mapping[str, Any], ck: Checker) -> RatingSection:
    path: tuple[PathPart, ...] = ("ratings",)
    groups = tuple((g["id"], g["title"]) for g in raw.get("groups", []))
    ck.unique((*path, "groups"), "id", (g for g, _ in groups))
    group_ids = {g for g, _ in groups}
    default_scale = _scale(raw["scale"], (*path, "scale"), ck) if "scale" in raw else None
    default_special = _special(raw.get("special", []), (*path, "special"), ck)
    ck.unique((*path, "items"), "id", (i["id"] for i in raw["items"]))
    items = []
    for n, item in enumerate(raw["items"]):
        here = (*path, "items", n)
        if "scale" in item:
            lo, hi, points = _scale(item["scale"], (*here, "scale"), ck)
        elif default_scale is not None:
            lo, hi, points = default_scale
        else:
            ck.fail(here, f"item {item['id']!r} has no scale: give ratings.scale or its own scale")
        special = (
            _special(item["special"], (*here, "special"), ck)
            if "special" in item
            else default_special
        )
        group = item.get("group")
        if group is not None and group not in group_ids:
            known = ", ".join(sorted(group_ids)) or "no groups are defined"
            ck.fail((*here, "group"), f"unknown group {group!r} (groups: {known})")
        items.append(
            RatingItem(
                id=item["id"],
                name=item["name"],
                group=group,
                scale_min=lo,
                scale_max=hi,
                points=points,
                special=special,
                description=item.get("description", ""),
                requires_license=item.get("requires_license", False),
                verified=item["verified"],
            )
        )
    aggregate = raw["aggregate"]
    if aggregate == "mean":
        lo, hi = min(i.scale_min for i in items), max(i.scale_max for i in items)
        what = "the items' scale"
    else:  # a sum: excluded and zero-counted special codes add nothing
        lo = sum(min(i.scale_min, 0) if i.special else i.scale_min for i in items)
        hi = sum(i.scale_max for i in items)
        what = "the possible sums"
    bands = _bands(raw.get("bands", []), (*path, "bands"), lo, hi, what, ck)
    return RatingSection(tuple(items), groups, aggregate, bands)


# -- bands -------------------------------------------------------------------------------


def _decimals(value: float) -> int:
    if isinstance(value, int):
        return 0
    exponent = Decimal(repr(value)).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _written(value: float) -> Decimal:
    """A bound as written in the file (a float's shortest repr), exactly."""
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _span(band: Mapping[str, Any]) -> str:
    return f"{band['min']}–{band['max']}"


def _bands(
    raw: Sequence[Mapping[str, Any]],
    path: tuple[PathPart, ...],
    lo: float,
    hi: float,
    what: str,
    ck: Checker,
) -> tuple[Band, ...]:
    """Bands inside [lo, hi], without overlaps or gaps at the precision they are written in.

    Consecutive bands may touch (``max`` = next ``min``) or leave one step of the written
    precision between them (1.0–2.9, 3.0–3.9: a step of 0.1); anything wider is a gap.
    """
    ck.unique(path, "label", (b["label"] for b in raw))
    bands = []
    for i, b in enumerate(raw):
        band = Band(b["label"], float(b["min"]), float(b["max"]), b["verified"])
        for edge in ("min", "max"):
            if b[edge] != b[edge] or abs(b[edge]) == float("inf"):
                ck.fail((*path, i, edge), f"band {band.label!r}: {edge} must be a finite number")
        if band.max < band.min:
            ck.fail(
                (*path, i, "max"),
                f"band {band.label!r}: max {b['max']} is below its min {b['min']}",
            )
        if band.min < lo or band.max > hi:
            ck.fail(
                (*path, i),
                f"band {band.label!r} ({_span(b)}) is outside {what} ({lo:g}–{hi:g})",
            )
        bands.append(band)
    if not raw:
        return ()
    # exactly, in the decimals written: a float slack would itself be a step at 9 places
    step = Decimal(1).scaleb(-max(_decimals(r[edge]) for r in raw for edge in ("min", "max")))
    order = sorted(range(len(bands)), key=lambda i: (bands[i].min, bands[i].max))
    for before, after in pairwise(order):
        low, high = bands[before], bands[after]
        if high.min < low.max:
            ck.fail(
                (*path, after),
                f"band {high.label!r} ({_span(raw[after])}) overlaps band {low.label!r} "
                f"({_span(raw[before])})",
            )
        if _written(raw[after]["min"]) - _written(raw[before]["max"]) > step:
            ck.fail(
                (*path, after),
                f"gap between band {low.label!r} (up to {raw[before]['max']}) and band "
                f"{high.label!r} (from {raw[after]['min']}): scores in between would have "
                "no band",
            )
    return tuple(bands)


# -- grids -------------------------------------------------------------------------------


def _grids(raw: Sequence[Mapping[str, Any]], ck: Checker) -> tuple[Grid, ...]:
    ck.unique(("grids",), "id", (g["id"] for g in raw))
    return tuple(_grid(g, ("grids", n), ck) for n, g in enumerate(raw))


def _grid(raw: Mapping[str, Any], path: tuple[PathPart, ...], ck: Checker) -> Grid:
    ck.unique((*path, "members"), "id", (m["id"] for m in raw["members"]))
    ck.unique((*path, "rows"), "id", (r["id"] for r in raw["rows"]))
    members = []
    scale_owner: dict[str, str] = {}
    for m, member in enumerate(raw["members"]):
        ck.unique((*path, "members", m, "scales"), "id", (s["id"] for s in member["scales"]))
        for s, scale in enumerate(member["scales"]):
            if scale["id"] in scale_owner:
                ck.fail(
                    (*path, "members", m, "scales", s, "id"),
                    f"scale id {scale['id']!r} is also a scale of member "
                    f"{scale_owner[scale['id']]!r}; scale ids must be unique within a grid",
                )
            scale_owner[scale["id"]] = member["id"]
        scales = tuple(GridScale(s["id"], s["name"]) for s in member["scales"])
        members.append(GridMember(member["id"], member["name"], scales))
    rows = tuple(GridRow(r["id"], r["name"]) for r in raw["rows"])
    per_row, total = raw["points_per_row"], raw["total_per_member"]
    if per_row * len(rows) != total:
        ck.fail(
            (*path, "total_per_member"),
            f"{len(rows)} rows × {per_row} points per row give each member "
            f"{len(rows) * per_row} points, not the stated {total}",
        )
    band_scale = raw.get("band_scale")
    if band_scale is not None and band_scale not in scale_owner:
        ck.fail(
            (*path, "band_scale"),
            f"no scale {band_scale!r} in this grid (scales: {', '.join(scale_owner)})",
        )
    if raw.get("bands") and band_scale is None:
        ck.fail((*path, "bands"), "bands need a band_scale: the scale whose total they band")
    what = f"the {band_scale} scale's range" if band_scale else "the scale's range"
    bands = _bands(raw.get("bands", []), (*path, "bands"), 0, total, what, ck)
    return Grid(raw["id"], raw["name"], per_row, tuple(members), rows, band_scale, bands)


# -- ethogram and moments ----------------------------------------------------------------


def _ethogram(raw: Mapping[str, Any], ck: Checker) -> Ethogram:
    path: tuple[PathPart, ...] = ("ethogram",)
    subjects = tuple(raw["subjects"])
    for i, subject in enumerate(subjects):
        if subject.casefold() in (s.casefold() for s in subjects[:i]):
            ck.fail((*path, "subjects", i), f"duplicate subject {subject!r}")
    codes_raw = raw["codes"]
    ck.unique((*path, "codes"), "id", (c["id"] for c in codes_raw))
    ids = {c["id"] for c in codes_raw}
    hotkeys: dict[str, int] = {}
    codes = []
    for n, code in enumerate(codes_raw):
        here = (*path, "codes", n)
        hotkey = ""
        if code.get("hotkey", "") != "":
            try:
                hotkey = normalize_hotkey(code["hotkey"])
            except ValueError as exc:
                ck.fail((*here, "hotkey"), str(exc))
            conflict = hotkey_conflict(hotkey)
            if conflict:
                ck.fail((*here, "hotkey"), f"{conflict}; choose another key")
            if hotkey in hotkeys:
                other = hotkeys[hotkey]
                ck.fail(
                    (*here, "hotkey"),
                    f"{hotkey!r} is already the key of code {codes_raw[other]['id']!r} "
                    f"({place_text((*path, 'codes', other))})",
                )
            hotkeys[hotkey] = n
        for k, subject in enumerate(code.get("subjects", [])):
            if subject not in subjects:
                ck.fail(
                    (*here, "subjects", k),
                    f"unknown subject {subject!r} (subjects: {', '.join(subjects)})",
                )
        group = code.get("group")
        if group is not None and code["kind"] == "point":
            ck.fail(
                (*here, "group"),
                f"code {code['id']!r} is a point event in exclusive group {group!r}; only "
                "states can stop each other (make it kind: state or drop the group)",
            )
        parent = code.get("parent")
        if parent is not None and (parent not in ids or parent == code["id"]):
            ck.fail((*here, "parent"), f"unknown parent code {parent!r}")
        codes.append(
            EventCode(
                id=code["id"],
                name=code["name"],
                hotkey=hotkey,
                kind=code["kind"],
                subjects=tuple(code.get("subjects", subjects)),
                group=group,
                modifiers=_modifiers(code.get("modifiers", []), (*here, "modifiers"), ck),
                moment=code.get("moment", False),
                parent=parent,
                description=code.get("description", ""),
                verified=code["verified"],
            )
        )
    _check_parent_cycles(codes, ck)
    return Ethogram(subjects, tuple(codes))


def _modifiers(
    raw: Sequence[Mapping[str, Any]], path: tuple[PathPart, ...], ck: Checker
) -> tuple[Modifier, ...]:
    ck.unique(path, "id", (m["id"] for m in raw))
    for m, modifier in enumerate(raw):
        for o, option in enumerate(modifier["options"]):
            if option.casefold() in (x.casefold() for x in modifier["options"][:o]):
                ck.fail((*path, m, "options", o), f"duplicate option {option!r}")
    return tuple(Modifier(m["id"], m["name"], tuple(m["options"])) for m in raw)


def _check_parent_cycles(codes: Sequence[EventCode], ck: Checker) -> None:
    parent_of = {c.id: c.parent for c in codes}
    for n, code in enumerate(codes):
        seen = {code.id}
        current = code.parent
        while current is not None:
            if current in seen:
                ck.fail(
                    ("ethogram", "codes", n, "parent"),
                    f"code {code.id!r} is its own ancestor through parent {code.parent!r}",
                )
            seen.add(current)
            current = parent_of.get(current)


def _moments(
    data: Mapping[str, Any], ethogram: Ethogram | None, ck: Checker
) -> MomentSettings | None:
    moment_codes = [n for n, c in enumerate(ethogram.codes if ethogram else ()) if c.moment]
    raw = data.get("moments")
    if raw is None:
        if moment_codes:
            ck.fail(
                ("ethogram", "codes", moment_codes[0], "moment"),
                "moment codes need a top-level moments block (the span around a key press)",
            )
        return None
    if not moment_codes:
        ck.fail(("moments",), "no ethogram code has moment: true")
    settings = MomentSettings(
        raw["before_ms"], raw["after_ms"], raw.get("max_clips"), raw.get("max_clip_ms")
    )
    span = settings.before_ms + settings.after_ms
    if settings.max_clip_ms is not None and span > settings.max_clip_ms:
        ck.fail(
            ("moments", "before_ms"),
            f"the default span ({settings.before_ms} + {settings.after_ms} = {span} ms) is "
            f"longer than max_clip_ms ({settings.max_clip_ms} ms)",
        )
    return settings


# -- plain form --------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def scheme_as_dict(scheme: Scheme) -> dict[str, Any]:
    """The parsed scheme as plain JSON data: every item, grid and code with its id."""
    ratings = None
    if scheme.ratings is not None:
        ratings = {
            "aggregate": scheme.ratings.aggregate,
            "groups": [{"id": g, "title": t} for g, t in scheme.ratings.groups],
            "bands": [asdict(b) for b in scheme.ratings.bands],
            "items": [asdict(i) for i in scheme.ratings.items],
        }
    return _plain(
        {
            "id": scheme.id,
            "name": scheme.name,
            "version": scheme.version,
            "description": scheme.description,
            "source": scheme.source,
            "file": scheme.source_file,
            "content_hash": scheme.content_hash,
            "ratings": ratings,
            "grids": [asdict(g) for g in scheme.grids],
            "ethogram": asdict(scheme.ethogram) if scheme.ethogram else None,
            "moments": asdict(scheme.moments) if scheme.moments else None,
        }
    )
