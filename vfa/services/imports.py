"""Coding into a workspace from another tool's file (or VFA's own export).

``plan_import`` reads the file through the format registry and says, without writing
anything, what an import would do: the observations taken, the scheme the codes land in
(an existing one, or a new draft ``import-<name>``, see ``vfa.services.import_scheme``),
the clip of each observation (``vfa.services.import_clips``), the coder, which file code
and subject maps to which VFA code and subject with counts, and every problem with its
place. What would stop the import is in ``ImportPlan.refusals``: codes the scheme does
not know (unless skipped), an observation without a clip, a coder who already has a run
of the scheme on the clip. Events past the clip's end are never trimmed: they are listed
and left out. ``run_import`` writes the plan in one transaction and records the batch,
the source file and its SHA-256 in the audit trail; ``undo_import`` removes exactly what
a batch added, unless something of it was edited or submitted since.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from vfa.domain.frames import FrameTable
from vfa.domain.scoring import check_rating
from vfa.errors import InvalidInputError, NotFoundError, SchemeError
from vfa.io import registry
from vfa.io.document import Document, Event, Observation, Problem
from vfa.services import schemes as scheme_files
from vfa.services.import_clips import KnownClip, find_clip, workspace_clips
from vfa.services.import_plan import (
    ImportOptions,
    ImportPlan,
    MappingRow,
    PlannedEvent,
    PlannedRun,
    StoredRating,
)
from vfa.services.import_scheme import SchemeMap, draft_id, draft_scheme, map_onto
from vfa.services.import_writes import (
    ImportResult,
    UndoResult,
    existing_run,
    run_import,
    undo_import,
)
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace

__all__ = [
    "ImportOptions",
    "ImportPlan",
    "ImportResult",
    "UndoResult",
    "plan_import",
    "run_import",
    "undo_import",
]

DEFAULT_CODER = "imported"
CODER_MAX = 128


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _observations(doc: Document, wanted: str | None) -> list[Observation]:
    if wanted is None:
        return list(doc.observations)
    for match in (lambda n: n == wanted, lambda n: n.casefold() == wanted.casefold()):
        found = [o for o in doc.observations if match(o.name)]
        if found:
            return found[:1]
    names = ", ".join(repr(o.name) for o in doc.observations) or "none"
    raise NotFoundError(f"{doc.source}: no observation {wanted!r} (observations: {names})")


def _existing_schemes(ws: Workspace) -> dict[str, set[str]]:
    """scheme id -> content hashes known (scheme folders and the workspace)."""
    known: dict[str, set[str]] = {}
    for scheme in scheme_files.available_schemes():
        known.setdefault(scheme.id, set()).add(scheme.content_hash)
    with ws.sessions() as db:
        for key, digest in db.execute(select(SchemeRow.scheme_key, SchemeRow.content_hash)):
            known.setdefault(key, set()).add(digest)
    return known


def _scheme_map(
    ws: Workspace, doc: Document, chosen: list[Observation], options: ImportOptions, file: str
) -> tuple[SchemeMap, Path | None]:
    if options.scheme_id is not None:
        scheme = scheme_files.current_scheme(ws, options.scheme_id.strip())
        return map_onto(scheme, doc, chosen), None
    known = _existing_schemes(ws)
    folder = scheme_files.user_schemes_dir()
    base = draft_id(doc, file, set())
    for n in range(1, 1000):
        candidate = base if n == 1 else f"{base[: 64 - len(str(n)) - 1]}-{n}"
        made = draft_scheme(doc, chosen, file, candidate)
        path = folder / f"{candidate}.yaml"
        if made.scheme.content_hash in known.get(candidate, set()):
            # the same draft as an earlier import: used again, written again only if gone
            made.created = not path.exists()
            return made, path if made.created else None
        if candidate not in known and not path.exists():
            return made, path
    raise InvalidInputError(f"{file}: no free scheme id for {base!r}")


def _coder(options: ImportOptions, observation: Observation, doc: Document) -> str:
    for name in (options.coder, observation.coder, doc.author, DEFAULT_CODER):
        if name and name.strip():
            name = " ".join(name.split())
            if len(name) > CODER_MAX:
                raise InvalidInputError(f"coder {name[:40]!r}…: at most {CODER_MAX} characters")
            return name
    return DEFAULT_CODER


class _Planner:
    def __init__(self, doc: Document, smap: SchemeMap, options: ImportOptions) -> None:
        self.doc, self.smap, self.options = doc, smap, options
        ethogram = smap.scheme.ethogram
        self.codes = {c.id: c for c in ethogram.codes} if ethogram else {}
        self.problems: list[Problem] = list(doc.problems) + list(smap.problems)
        self.refusals: list[Problem] = []
        self.unknown_codes: Counter[str] = Counter()
        self.unknown_subjects: Counter[str] = Counter()
        self.rows: Counter[tuple[str, str | None, str | None, str | None]] = Counter()

    def subject(self, event: Event, vfa_code: str) -> tuple[bool, str | None]:
        """(known, VFA subject) of an event."""
        smap = self.smap
        source = event.subject
        if source is None:
            defined = self.doc.code(event.code)
            source = defined.subject if defined is not None else None
        if source is not None:
            found = smap.subjects.get(source)
            return found is not None, found
        if smap.none_subject is not None:
            return True, smap.none_subject
        code = self.codes[vfa_code]
        return True, code.subjects[0] if code.subjects else None

    def modifiers(self, event: Event, vfa_code: str, place: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        code = self.codes[vfa_code]
        options = {m.id: m.options for m in code.modifiers}
        for key, value in event.modifiers:
            vfa_key = self.smap.modifiers.get((vfa_code, key))
            if vfa_key is None:
                vfa_key = key
                if not self.smap.created:
                    self.problems.append(
                        Problem(
                            place,
                            f"modifier {key!r} is not one of code {vfa_code}'s; kept as given",
                        )
                    )
            else:
                value = next(
                    (o for o in options[vfa_key] if o.casefold() == value.casefold()), value
                )
            if vfa_key in out:
                earlier = out[vfa_key]
                out[vfa_key] = [*(earlier if isinstance(earlier, list) else [earlier]), value]
            else:
                out[vfa_key] = value
        if event.comment and event.caption:
            out.setdefault("comment", event.comment)
        return out

    def map_only(self, event: Event) -> None:
        """Count an event for the preview's mapping, with no clip to place it in."""
        vfa_code = self.smap.codes.get(event.code)
        subject = self.subject(event, vfa_code)[1] if vfa_code is not None else None
        self.rows[(event.code, event.subject, vfa_code, subject)] += 1

    def event(
        self, n: int, event: Event, obs: Observation, clip: KnownClip, offset: int
    ) -> PlannedEvent | None:
        place = f"observation {obs.name!r} event {n}"
        vfa_code = self.smap.codes.get(event.code)
        if vfa_code is None:
            self.unknown_codes[event.code] += 1
            self.rows[(event.code, event.subject, None, None)] += 1
            return None
        known, subject = self.subject(event, vfa_code)
        self.rows[(event.code, event.subject, vfa_code, subject)] += 1
        if not known:
            self.unknown_subjects[str(event.subject)] += 1
            return None
        start, end = event.start_ms + offset, event.end_ms + offset
        if start < 0 or end > clip.duration_ms or start >= clip.duration_ms:
            what = (
                "before the clip's start"
                if start < 0
                else f"past the clip's end ({clip.duration_ms} ms)"
            )
            self.problems.append(
                Problem(place, f"{event.code} at {start}–{end} ms is {what}; not imported")
            )
            return None
        table: FrameTable = clip.table
        first = table.index_at(start)
        point = event.end_ms == event.start_ms
        last = first if point else max(table.index_at(end), first)
        code = self.codes[vfa_code]
        key = (first + last) // 2
        return PlannedEvent(
            vfa_code,
            subject,
            table.pts_of(first),
            table.pts_of(last),
            first,
            last,
            self.modifiers(event, vfa_code, place),
            event.caption or event.comment,
            code.moment,
            code.kind == "point",
            key,
            table.pts_of(key),
        )

    def rating(
        self, obs: Observation, n: int, item: str, value: str, note: str | None
    ) -> StoredRating | None:
        place = f"observation {obs.name!r} rating {n} ({item})"
        vfa_item = self.smap.items.get(item)
        if vfa_item is None:
            self.unknown_codes[f"item {item}"] += 1
            return None
        text = value.strip()
        if not text:
            return (vfa_item, None, None, note) if note else None
        number: float | None
        try:
            number = float(text)
        except ValueError:
            number = None
        if "/" in vfa_item:  # a grid cell: whole points
            if number is None or not number.is_integer() or number < 0:
                self.unfit(place, f"{text!r} is not a number of points")
                return None
            return (vfa_item, number, None, note)
        special: str | None = None
        given: int | str
        if number is None:
            codes = self.smap.scheme.item(vfa_item).special
            wanted = text.casefold()
            given = special = next((s.code for s in codes if s.code.casefold() == wanted), text)
        else:
            given = int(number) if number.is_integer() else text
        try:
            if number is not None and not number.is_integer():
                raise InvalidInputError(f"{text} is not a scale point")
            check_rating(self.smap.scheme, vfa_item, given)
        except InvalidInputError as exc:
            self.unfit(place, str(exc))
            return None
        return (vfa_item, number, special, note)

    def unfit(self, place: str, reason: str) -> None:
        """Something the scheme cannot take: refused, or left out when asked
        (``skip_unknown``: ``--skip-unknown``, the dialog's "Leave out codes…")."""
        if self.options.skip_unknown:
            self.problems.append(Problem(place, f"{reason}; left out as asked"))
        else:
            self.refusals.append(
                Problem(place, f"{reason}; leave it out, or choose another scheme")
            )

    def finish(self) -> None:
        scheme = self.smap.scheme.id
        for code, count in sorted(self.unknown_codes.items()):
            what = code if code.startswith("item ") else f"code {code!r}"
            self.unfit(what, f"not in scheme {scheme} ({count} in the file)")
        for subject, count in sorted(self.unknown_subjects.items()):
            self.unfit(f"subject {subject!r}", f"not a subject of scheme {scheme} ({count} events)")


def plan_import(
    ws: Workspace,
    path: str | os.PathLike[str],
    options: ImportOptions | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPlan:
    """Read the file and plan its import (see the module's notes); writes nothing."""
    options = options or ImportOptions()
    file = os.fspath(path)
    doc = registry.read(file)
    if cancelled is not None and cancelled():
        raise InvalidInputError(f"{file}: reading was cancelled")
    return plan_document(ws, doc, options, file, _sha256(file), cancelled)


def plan_document(
    ws: Workspace,
    doc: Document,
    options: ImportOptions,
    file: str,
    digest: str,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPlan:
    """Plan the import of a Document read from ``file`` (whose SHA-256 is ``digest``)."""
    chosen = _observations(doc, options.observation)
    try:
        smap, draft_path = _scheme_map(ws, doc, chosen, options, file)
    except SchemeError as exc:
        raise InvalidInputError(f"{file}: its codes cannot make a VFA scheme ({exc})") from None
    planner = _Planner(doc, smap, options)
    media_dir = Path(options.media_dir).expanduser() if options.media_dir else None
    if media_dir is not None and not media_dir.is_dir():
        raise InvalidInputError(f"--media-dir {media_dir}: not a folder")
    clips = workspace_clips(ws)
    runs: list[PlannedRun] = []
    had_events = False
    for obs in chosen:
        if cancelled is not None and cancelled():
            raise InvalidInputError(f"{file}: planning was cancelled")
        had_events = had_events or bool(obs.events or obs.ratings)
        choice = find_clip(obs, clips, options.clip_id, media_dir)
        if choice.clip is None:
            planner.refusals.append(Problem(f"observation {obs.name!r}", choice.problem or ""))
            for event in obs.events:  # the preview still shows what the file holds
                planner.map_only(event)
            continue
        offset = choice.media.offset_ms if choice.media is not None else 0
        run = PlannedRun(
            obs.name, choice.clip.id, choice.clip.name, choice.how, _coder(options, obs, doc)
        )
        for n, event in enumerate(obs.events):
            made = planner.event(n, event, obs, choice.clip, offset)
            if made is not None:
                run.events.append(made)
        for n, rating in enumerate(obs.ratings):
            stored = planner.rating(obs, n, rating.item, rating.value, rating.note)
            if stored is not None:
                run.ratings.append(stored)
        runs.append(run)
    planner.finish()
    _check_runs(ws, smap.scheme.id, runs, planner.refusals)
    if not chosen and not smap.created and not planner.refusals:
        planner.refusals.append(Problem("the file", "it holds no observations to import"))
    if (
        had_events
        and runs
        and not planner.refusals
        and not any(r.events or r.ratings for r in runs)
    ):
        planner.refusals.append(
            Problem("the file", "nothing in it can be imported (see the problems)")
        )
    mappings = [
        MappingRow(
            source,
            (doc.code(source).name if doc.code(source) else source),  # type: ignore[union-attr]
            source_subject,
            code,
            subject,
            count,
        )
        for (source, source_subject, code, subject), count in planner.rows.items()
    ]
    return ImportPlan(
        file,
        doc.format,
        digest,
        smap.scheme,
        smap.created,
        smap.yaml_text if smap.created else None,
        draft_path,
        runs,
        mappings,
        planner.problems,
        planner.refusals,
        options,
        [o.name for o in doc.observations],
    )


def _check_runs(
    ws: Workspace, scheme_id: str, runs: list[PlannedRun], refusals: list[Problem]
) -> None:
    """A coder's run of the scheme on a clip is never made twice."""
    seen: dict[tuple[int, str], str] = {}
    with ws.sessions() as db:
        for run in runs:
            key = (run.clip_id, run.coder)
            if key in seen:
                refusals.append(
                    Problem(
                        f"observation {run.observation!r}",
                        f"{run.coder} would code clip {run.clip_id} twice (also observation "
                        f"{seen[key]!r}); import one observation at a time (--observation) or "
                        "name another coder (--coder)",
                    )
                )
                continue
            seen[key] = run.observation
            existing = existing_run(db, run.clip_id, scheme_id, run.coder)
            if existing is not None:
                refusals.append(
                    Problem(
                        f"observation {run.observation!r}",
                        f"{run.coder} already has run {existing} of scheme {scheme_id} on clip "
                        f"{run.clip_id} ({run.clip_name}); name another coder (--coder) or "
                        "undo that import first",
                    )
                )
