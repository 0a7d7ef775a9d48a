"""ELAN reading, continued: the tiers and events being built, reference annotations
attached to the events they hang from, and problems counted when they repeat."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vfa.io.document import ModifierSet, Problem
from vfa.io.eaf_vocab import Vocabulary

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

SEPARATOR = " · "  # between the parts of a tier name VFA writes: coder · subject · child
# the same oddity on one tier is listed this many times, then counted
SAME_PROBLEM_LIMIT = 10


class Problems:
    """Problems in the order met; one kind on one tier is listed a few times, then counted."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._counts: dict[tuple[str, str], int] = defaultdict(int)
        self._summaries: dict[tuple[str, str], tuple[str, str]] = {}

    def add(self, place: str, reason: str, group: tuple[str, str] | None = None) -> None:
        """A problem; one of a ``group`` past the limit is only counted."""
        if group is not None:
            self._counts[group] += 1
            if self._counts[group] > SAME_PROBLEM_LIMIT:
                return
        self.items.append(Problem(place, reason))

    def count_as(self, group: tuple[str, str], place: str, what: str) -> None:
        """How to word the count of ``group`` past the limit."""
        self._summaries[group] = (place, what)

    def done(self) -> tuple[Problem, ...]:
        """Every problem, with a count for each group that went past the limit."""
        for group, count in self._counts.items():
            if count > SAME_PROBLEM_LIMIT and group in self._summaries:
                place, what = self._summaries[group]
                self.items.append(Problem(place, f"{count - SAME_PROBLEM_LIMIT:,} more {what}"))
        return tuple(self.items)


@dataclass
class Tier:
    """A TIER element with what its linguistic type says about it."""

    id: str
    index: int
    element: Element
    parent: str | None
    participant: str | None
    annotator: str | None
    type_id: str | None
    constraint: str | None = None
    vocabulary: Vocabulary | None = None
    depth: int = 0  # tiers above it
    inherited: str | None = None  # its PARTICIPANT, else its nearest ancestor's
    alignable: bool = True  # its type is time-alignable: a lane even while empty


@dataclass
class Draft:
    """An event being built: modifiers arrive from child tiers after it is made."""

    code: str
    start: int
    end: int
    subject: str
    caption: str | None
    modifiers: list[tuple[str, str]] = field(default_factory=list)
    comment: str | None = None


def attach_references(
    tiers: list[Tier],
    by_id: dict[str, Tier],
    references: dict[str, list[Element]],
    anchors: dict[str, int],
    drafts: list[Draft],
    problems: Problems,
) -> tuple[list[ModifierSet], dict[str, dict[str, None]]]:
    """Reference annotations onto the events they hang from, as modifiers (a caption or
    comment for VFA's own '… · caption' and '… · comment' tiers); returns the modifier
    sets, and the sets each code's events carry."""
    code_sets: dict[str, dict[str, None]] = defaultdict(dict)  # code -> set names, in order
    parent_of: dict[str, str] = {}  # reference annotation id -> the annotation it refers to
    for tier in tiers:
        for item in references[tier.id]:
            ann_id, target = item.get("ANNOTATION_ID"), item.get("ANNOTATION_REF")
            if ann_id and target and ann_id not in parent_of and ann_id not in anchors:
                parent_of[ann_id] = target
    resolved: dict[str, tuple[int | None, int]] = {}

    def resolve(target: str) -> tuple[int | None, int]:
        """The event an annotation hangs from, and how many references lie between; each
        step remembered, so a long chain is walked once (a loop ends as nothing)."""
        path: list[str] = []
        on_path: set[str] = set()
        found: tuple[int | None, int] = (None, 0)
        while True:
            if target in anchors:
                found = (anchors[target], 0)
                break
            if target in resolved:
                found = resolved[target]
                break
            if target not in parent_of or target in on_path:
                break
            path.append(target)
            on_path.add(target)
            target = parent_of[target]
        anchor, hops = found
        for step in reversed(path):
            hops += 1
            resolved[step] = (anchor, hops if anchor is not None else 0)
        return resolved[path[0]] if path else found

    sets: dict[str, ModifierSet] = {}
    for tier in tiers:
        items = chain_order(references[tier.id])
        if not items:
            continue
        parent = by_id.get(tier.parent or "")
        name = tier.id
        if parent is not None and name.startswith(parent.id + SEPARATOR):
            name = name[len(parent.id) + len(SEPARATOR) :]
        special = name in ("caption", "comment") and tier.constraint in (
            None,
            "Symbolic_Association",
        )
        counts: dict[int, int] = defaultdict(int)
        lost = 0
        for item in items:
            anchor, hops = resolve(item.get("ANNOTATION_REF") or "")
            if anchor is None:
                lost += 1
                continue
            draft, value = drafts[anchor], value_of(item)
            counts[anchor] += 1
            if special and hops == 0 and name == "caption" and draft.caption is None:
                draft.caption = value
            elif special and hops == 0 and name == "comment" and draft.comment is None:
                draft.comment = value
            else:
                draft.modifiers.append((name, value))
                if name not in sets:
                    cv = tier.vocabulary
                    values = tuple(e.name for e in cv.entries) if cv is not None else ()
                    sets[name] = ModifierSet(name, name, values)
                code_sets[draft.code][name] = None
        if name in sets and (
            tier.constraint == "Symbolic_Subdivision" or any(c > 1 for c in counts.values())
        ):
            s = sets[name]
            sets[name] = ModifierSet(s.id, s.name, s.values, multiple=True)
        if lost:
            problems.add(
                f"tier {tier.id!r}",
                f"{lost:,} annotation(s) refer to annotations that were not read; left out",
            )
    return list(sets.values()), code_sets


def value_of(item: Element) -> str:
    """An annotation's ANNOTATION_VALUE ('' when there is none)."""
    value = item.find("ANNOTATION_VALUE")
    return (value.text or "") if value is not None else ""


def chain_order(items: list[Element]) -> list[Element]:
    """Reference annotations with those of one parent in their PREVIOUS_ANNOTATION chain
    (a symbolic subdivision's order); anything off a chain keeps its place in the file."""
    if not any(item.get("PREVIOUS_ANNOTATION") for item in items):
        return items
    ids = {item.get("ANNOTATION_ID") for item in items}
    following: dict[str, Element] = {}
    followers: set[int] = set()
    for item in items:
        previous = item.get("PREVIOUS_ANNOTATION")
        if previous and previous in ids and previous not in following:
            following[previous] = item
            followers.add(id(item))
    placed: set[int] = set()
    ordered: list[Element] = []
    for item in items:
        if id(item) in followers or id(item) in placed:
            continue
        current: Element | None = item
        while current is not None and id(current) not in placed:
            placed.add(id(current))
            ordered.append(current)
            current = following.get(current.get("ANNOTATION_ID") or "")
    ordered.extend(item for item in items if id(item) not in placed)  # a loop of references
    return ordered
