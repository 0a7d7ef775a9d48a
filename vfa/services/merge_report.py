"""What a merge reports: counts per kind of thing (added, updated, removed, already
here), the runs that conflict, notes, and the refusals a merge can end in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vfa.errors import InvalidInputError

KINDS = (
    "people",
    "schemes",
    "cases",
    "sessions",
    "clips",
    "runs",
    "events",
    "ratings",
    "moments",
    "consent",
    "criteria",
    "audit",
)


SAID = {"skipped": "already here"}  # (the JSON's key is "skipped")


class MergeError(InvalidInputError):
    """A merge that cannot be made as asked; nothing was changed."""


class MergeConflictError(MergeError):
    """Runs changed on both sides since they parted; nothing was changed."""


@dataclass
class Tally:
    """How many of one kind of thing a merge adds, updates, removes or finds already here."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        """The four counts by name."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "skipped": self.skipped,
        }


def coding_words(where: tuple[str, str, str], coder: str, scheme: dict[str, Any]) -> str:
    """A coding as a person names it: where, whose, with which scheme (name and version)."""
    case, session, clip = where
    return (
        f"{case} / {session} / {clip}: {coder}'s coding with {scheme['name']} "
        f"(version {scheme['version']})"
    )


@dataclass(frozen=True)
class Conflict:
    """A run changed on both sides since they parted: where, which scheme (its id and
    version, and its name), whose."""

    case: str
    session: str
    clip: str
    scheme: str
    coder: str
    reason: str
    scheme_name: str
    scheme_version: str

    def text(self) -> str:
        """The conflict in one line."""
        where = (self.case, self.session, self.clip)
        scheme = {"name": self.scheme_name, "version": self.scheme_version}
        return f"{coding_words(where, self.coder, scheme)}: {self.reason}"


@dataclass
class MergeReport:
    """What a merge did (or, dry, would do): counts per kind, conflicts, notes. Runs the
    blind rule hides from the person merging are counted only as hidden."""

    source: str
    dry_run: bool
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    conflicts: list[Conflict] = field(default_factory=list)
    hidden_runs: int = 0
    notes: list[str] = field(default_factory=list)
    backup: str | None = None
    written: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The report as plain values (``--json``)."""
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "written": self.written,
            "backup": self.backup,
            "counts": {k: t.as_dict() for k, t in self.tallies.items()},
            "hidden_runs": self.hidden_runs,
            "conflicts": [c.__dict__ for c in self.conflicts],
            "notes": list(self.notes),
        }


def merge_text(report: MergeReport) -> str:
    """The report as the command line prints it."""
    head = "would merge" if report.dry_run else ("merged" if report.written else "nothing new in")
    lines = [f"{head} {report.source}"]
    for kind, tally in report.tallies.items():
        parts = [f"{n} {SAID.get(what, what)}" for what, n in tally.as_dict().items() if n]
        if parts:
            lines.append(f"  {kind}: {', '.join(parts)}")
    if report.hidden_runs:
        lines.append(
            f"  {report.hidden_runs} run(s) are blind coding hidden from you: not counted above"
        )
    if report.conflicts:
        lines.append(f"conflicts ({len(report.conflicts)}): the merge would be refused")
        lines += [f"  {c.text()}" for c in report.conflicts]
    lines += [f"note: {n}" for n in report.notes]
    if report.backup:
        lines.append(f"backup before merging -> {report.backup}")
    return "\n".join(lines)


def rename_map(pairs: Iterable[tuple[str, str]], what: str) -> dict[str, str]:
    """The incoming cases' new codes (old -> new) from the pairs typed; a case given twice
    (any capitals) is refused, naming ``what`` took it, since one of the two would be
    lost."""
    renames: dict[str, str] = {}
    for old, new in pairs:
        if old.lower() in {k.lower() for k in renames}:
            raise InvalidInputError(
                f"{what} {old}: given twice; give each incoming case one new code"
            )
        renames[old] = new
    return renames
