"""The demo's coding, made through the coding services as coders would make it.

KIPS is assigned for blind double coding to a coder and a trainer on every demo clip;
both rate all twelve items, mostly alike (some items the same, some one point apart, the
odd two), and submit a few days after the visit, so agreement, the coder's agreement
with the trainer over time and each case's progress have numbers. VFA's own event scheme
is double coded blind on the first clip: the trainer codes the scene as it was drawn,
the coder a little later, with one look coded differently, a laugh taken for a coo and a
coo missed, so the disagreement review has something to show. The trainer fills in a
CARE-Index grid on one clip. Everything is seeded: the same demo every time.

Each step looks first and fills only what nobody has begun: a run still "assigned", a
grid not yet begun; a run begun, submitted or reopened (by the demo or by someone trying
VFA out) is left as it is, so making the demo again adds nothing and undoes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from vfa.domain.schemes import Scheme
from vfa.media.scene_script import SceneScript, Span
from vfa.services import assignments, certification, coding, events
from vfa.services.clips import clip_info
from vfa.services.schemes import get_scheme
from vfa.storage.models import RunStatus
from vfa.storage.workspace import Workspace

TRAINER = "Demo trainer"  # the reference coder
CODER = "Demo coder"
SUPERVISOR = "Demo supervisor"
EVENT_SCHEME = "vfa_interaction"

# what each channel of the scene is coded as (media/scene_script.py)
CHANNEL_CODES = {
    "parent_gaze": {
        "infant": "parent_looks_at_infant",
        "toy": "parent_looks_at_object",
        "away": "parent_looks_away",
    },
    "infant_gaze": {
        "parent": "infant_looks_at_parent",
        "toy": "infant_looks_at_object",
        "away": "infant_looks_away",
    },
    "parent_touch": {"stroke": "parent_strokes", "tickle": "parent_tickles"},
    "parent_voice": {"talk": "parent_talks", "sing": "parent_sings"},
    "infant_holds_toy": {"toy": "infant_handles_object"},
    "infant_voice": {"coo": "infant_vocalises", "laugh": "infant_laughs"},
}
GAZE = ("parent_gaze", "infant_gaze")
SOUNDS = "infant_voice"  # point events: a press at the sound's start

# KIPS: the parent's strengths item by item (added to the visit's level), in item order
KIPS_PROFILE = (0.9, 0.5, 1.0, 0.2, -0.4, 0.6, -0.5, -0.8, -1.1, -0.3, 0.8, 0.0)
# added to a visit's seed for its ratings: with it no item's agreement over the three
# visits falls below chance (three clips are few: other seeds give items an ICC of -1)
KIPS_SEED = 189


@dataclass(frozen=True)
class CodedVisit:
    """A demo visit's clip as the coding needs it: its id, when it was filmed, how well
    the parent does (a KIPS level), on how many KIPS items the coder is one point and two
    points away from the trainer, the seed of its details and its scene."""

    clip_id: int
    filmed: dt.date
    kips_level: float
    kips_gaps: tuple[int, int]
    seed: int
    script: SceneScript


def _when(day: dt.date, days_after: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=days_after), dt.time(hour), dt.UTC)


def _runs(ws: Workspace, scheme: str, clip_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """The (clip, coder) → run of the trainer and coder, assigned blind where missing."""
    found = {(a.clip_id, a.coder): a for a in assignments.assignments(ws, scheme=scheme)}
    if any((c, who) not in found for c in clip_ids for who in (CODER, TRAINER)):
        assignments.assign(ws, clip_ids, scheme, [CODER, TRAINER], blind=True, by=SUPERVISOR)
        found = {(a.clip_id, a.coder): a for a in assignments.assignments(ws, scheme=scheme)}
    return {key: a.run_id for key, a in found.items() if key[1] in (CODER, TRAINER)}


def _untouched(ws: Workspace, scheme: str) -> set[int]:
    """The runs of the scheme nobody has begun (the first edit begins a run)."""
    return {
        a.run_id
        for a in assignments.assignments(ws, scheme=scheme)
        if a.status is RunStatus.ASSIGNED
    }


# -- KIPS ------------------------------------------------------------------------------


def _kips_pair(scheme: Scheme, visit: CodedVisit) -> dict[str, dict[str, int | str]]:
    """The trainer's and the coder's KIPS ratings of a visit, item id → value (NOB where
    the item was not seen)."""
    assert scheme.ratings is not None
    rng = random.Random(visit.seed + KIPS_SEED)
    items = [i.id for i in scheme.ratings.items]
    unseen = items[8] if visit.kips_level < 3 else None  # limits not needed in calm play
    ones, twos = visit.kips_gaps
    gaps = [(-1) ** n for n in range(ones)] + [2] * twos
    gaps += [0] * (len(items) - (unseen is not None) - len(gaps))
    rng.shuffle(gaps)
    trainer: dict[str, int | str] = {}
    coder: dict[str, int | str] = {}
    for item, lean in zip(items, KIPS_PROFILE, strict=True):
        if item == unseen:
            trainer[item] = coder[item] = "NOB"
            continue
        value = min(5, max(1, round(visit.kips_level + lean + rng.uniform(-0.35, 0.35))))
        gap = gaps.pop()
        trainer[item] = value
        coder[item] = value + gap if 1 <= value + gap <= 5 else value - gap
    return {TRAINER: trainer, CODER: coder}


def plant_kips(ws: Workspace, visits: Sequence[CodedVisit]) -> None:
    """KIPS double coded blind on every visit, both runs submitted."""
    scheme = get_scheme("kips")
    runs = _runs(ws, "kips", [v.clip_id for v in visits])
    untouched = _untouched(ws, "kips")
    for visit in visits:
        for days, (who, values) in enumerate(_kips_pair(scheme, visit).items(), start=2):
            run_id = runs[(visit.clip_id, who)]
            if run_id not in untouched:
                continue
            for item, value in values.items():
                coding.set_rating(ws, run_id, scheme, item, value)
            coding.submit_run(ws, run_id, who, at=_when(visit.filmed, days, 15))
    crit = certification.criterion(ws, "kips")
    if not crit.stored:  # three clips: a window of three gives a rolling value and status
        certification.set_criterion(ws, "kips", crit.statistic, crit.threshold, 3, by=SUPERVISOR)


# -- CARE-Index ------------------------------------------------------------------------

# each aspect's 2 points to the adult's and to the infant's scales
CARE_POINTS = {
    "facial_expression": ({"sensitivity": 2}, {"cooperativeness": 2}),
    "vocal_expression": (
        {"sensitivity": 1, "control": 1},
        {"cooperativeness": 1, "compulsivity": 1},
    ),
    "position_and_body_contact": ({"sensitivity": 2}, {"cooperativeness": 2}),
    "expression_of_affection": ({"sensitivity": 2}, {"cooperativeness": 2}),
    "turn_taking_contingencies": (
        {"sensitivity": 1, "unresponsiveness": 1},
        {"cooperativeness": 1, "passivity": 1},
    ),
    "control": ({"sensitivity": 1, "control": 1}, {"cooperativeness": 1, "difficultness": 1}),
    "choice_of_activity": ({"sensitivity": 2}, {"cooperativeness": 2}),
}


def plant_care_grid(ws: Workspace, visit: CodedVisit) -> None:
    """The trainer's CARE-Index grid of one visit, every aspect filled in, submitted."""
    scheme = get_scheme("care_index_infant")
    grid = scheme.grids[0]
    if coding.find_run(ws, visit.clip_id, scheme, TRAINER) is not None:
        return  # made before (and perhaps changed since)
    run = coding.open_run(ws, visit.clip_id, scheme, TRAINER)
    for row in grid.rows:
        for member, points in zip(grid.members, CARE_POINTS[row.id], strict=True):
            coding.set_grid_row(ws, run.id, scheme, grid.id, row.id, member.id, points)
    coding.submit_run(ws, run.id, TRAINER, at=_when(visit.filmed, 6, 11))


# -- events ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Press:
    """A key press of a coder: when, and which code."""

    at_ms: int
    code: str


def _trainer_presses(script: SceneScript) -> list[Press]:
    """The presses that code the scene as it was drawn: a state's key at its start (a
    new look stops the last one of its group) and again at its end, a sound's at its start."""
    presses = []
    for channel, codes in CHANNEL_CODES.items():
        spans = script.spans(channel)
        for n, span in enumerate(spans):
            presses.append(Press(span.start_ms, codes[span.what]))
            if channel == SOUNDS:
                continue
            ends_alone = channel not in GAZE or n == len(spans) - 1
            if ends_alone:  # a look ends when the next starts; the last one at the end
                presses.append(Press(min(span.end_ms, script.duration_ms - 1), codes[span.what]))
    return sorted(presses, key=lambda p: p.at_ms)


def _swap_look(script: SceneScript, rng: random.Random) -> tuple[str, Span] | None:
    """A look the coder codes as another one: the other code of its group that neither
    neighbour has (so the coder's key still switches looks), or None."""
    choices = [(c, n) for c in GAZE for n in range(len(script.spans(c)))]
    rng.shuffle(choices)
    for channel, n in choices:
        spans = script.spans(channel)
        near = {spans[k].what for k in (n - 1, n + 1) if 0 <= k < len(spans)}
        other = sorted(set(CHANNEL_CODES[channel]) - near - {spans[n].what})
        if other:
            return channel, Span(other[0], spans[n].start_ms, spans[n].end_ms)
    return None


def _missed(script: SceneScript) -> Span | None:
    """The coo the coder misses: the one furthest from anything else starting, so that
    the review shows it as missing rather than paired with something else."""
    starts = [s.start_ms for c in CHANNEL_CODES for s in script.spans(c)]

    def room(coo: Span) -> int:
        return min((abs(t - coo.start_ms) for t in starts if t != coo.start_ms), default=0)

    coos = [s for s in script.spans(SOUNDS) if s.what == "coo"]
    return max(coos, key=room, default=None)


def _coder_presses(script: SceneScript, seed: int) -> list[Press]:
    """The coder's presses: a little after each change (a human reaction), one look coded
    as another, the first laugh taken for a coo and one coo missed."""
    rng = random.Random(seed * 31 + 7)
    swapped = _swap_look(script, rng)
    laughs = [s for s in script.spans(SOUNDS) if s.what == "laugh"]
    missed = _missed(script)
    out = []
    for channel, codes in CHANNEL_CODES.items():
        spans = list(script.spans(channel))
        if swapped is not None and swapped[0] == channel:
            spans = [swapped[1] if s.start_ms == swapped[1].start_ms else s for s in spans]
        last = -1
        for n, span in enumerate(spans):
            if channel == SOUNDS:
                if span == missed:
                    continue
                code = codes["coo"] if laughs and span == laughs[0] else codes[span.what]
                out.append(Press(max(0, span.start_ms + rng.randint(-80, 120)), code))
                continue
            start = max(last + 80, span.start_ms + rng.randint(60, 380))
            out.append(Press(start, codes[span.what]))
            last = start
            if channel not in GAZE or n == len(spans) - 1:
                end = max(
                    last + 80, min(span.end_ms + rng.randint(-200, 250), script.duration_ms - 1)
                )
                out.append(Press(end, codes[span.what]))
                last = end
    return sorted(out, key=lambda p: p.at_ms)


def _code(ws: Workspace, run_id: int, scheme: Scheme, clip_id: int, presses: list[Press]) -> None:
    """Code the presses into a run nobody has begun; the parent's talk is marked
    infant-directed."""
    table = clip_info(ws, clip_id).frame_table
    for press in presses:
        made = events.code_event(ws, run_id, scheme, press.code, None, press.at_ms, table)
        if made.created and press.code == "parent_talks":
            events.set_modifiers(ws, run_id, scheme, made.event.id, {"register": "infant-directed"})


def plant_events(ws: Workspace, visit: CodedVisit) -> None:
    """VFA's event scheme double coded blind on one visit, both runs submitted."""
    scheme = get_scheme(EVENT_SCHEME)
    runs = _runs(ws, EVENT_SCHEME, [visit.clip_id])
    untouched = _untouched(ws, EVENT_SCHEME)
    plans = {
        TRAINER: _trainer_presses(visit.script),
        CODER: _coder_presses(visit.script, visit.seed),
    }
    for days, (who, presses) in enumerate(plans.items(), start=3):
        run_id = runs[(visit.clip_id, who)]
        if run_id in untouched:
            _code(ws, run_id, scheme, visit.clip_id, presses)
            coding.submit_run(ws, run_id, who, at=_when(visit.filmed, days, 10))
