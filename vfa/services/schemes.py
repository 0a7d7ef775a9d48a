"""Scheme files: find, load (YAML + JSON Schema + semantic checks), register in a workspace.

Schemes are read from, in order: the shipped ``coding_schemes/`` folder, the folders in
``$VFA_SCHEMES_DIR`` (``os.pathsep``-separated) and ``schemes/`` in the user's config
folder (``$VFA_CONFIG_DIR`` or the platform's). A later folder's scheme replaces an earlier
one with the same id, so a service can keep its own copy of a shipped scheme (with the
licensed descriptions filled in). Bad files are skipped by ``available_schemes`` and
reported by ``scheme_problems`` (``scan_schemes`` returns both at once).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

import vfa
from vfa.domain.schemes import PathPart, Scheme, parse_scheme, place_text
from vfa.errors import NotFoundError, SchemeError
from vfa.services.audit import record
from vfa.services.scheme_yaml import read_scheme_bytes, read_yaml
from vfa.services.viewer import config_dir
from vfa.storage.models import CodingRun
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace

if TYPE_CHECKING:  # jsonschema costs ~0.1 s to import: only loading a file needs it
    import jsonschema

SUFFIXES = (".yaml", ".yml")

# a scheme by id, NotFoundError when unknown: ``get_scheme`` (the folders now) or a
# ``SchemeLibrary``'s ``get`` (the folders as read once)
SchemeLookup = Callable[[str], Scheme]


def shipped_dir() -> Path:
    """The repository's ``coding_schemes/`` folder."""
    return Path(vfa.__file__).resolve().parents[1] / "coding_schemes"


def user_schemes_dir() -> Path:
    """``schemes/`` in the user's config folder (``$VFA_CONFIG_DIR`` or the platform's)."""
    return config_dir() / "schemes"


def scheme_dirs() -> list[Path]:
    """The folders schemes are read from, lowest precedence first."""
    dirs = [shipped_dir()]
    env = os.environ.get("VFA_SCHEMES_DIR", "")
    dirs += [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    dirs.append(user_schemes_dir())
    return dirs


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema

    schema = json.loads((shipped_dir() / "scheme.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


# -- JSON Schema -------------------------------------------------------------------------


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _schema_reason(error: jsonschema.ValidationError) -> str:
    value: Any = error.instance
    rule: Any = error.validator_value
    schema: Any = error.schema
    if error.validator == "required":
        missing = [f for f in rule if f not in value]
        return f"missing field {missing[0]!r}" if missing else error.message
    if error.validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed))
        return f"unknown field {extra[0]!r} (fields here: {', '.join(allowed)})"
    if error.validator == "type":
        if rule == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            return f'must be text, not the number {value!r} (quote it: "{value}")'
        article = "an" if str(rule)[0] in "aeiou" else "a"
        return f"must be {article} {rule}, not {_shown(value)}"
    if error.validator == "enum":
        return f"{_shown(value)} is not one of: {', '.join(str(v) for v in rule)}"
    if error.validator == "pattern":
        first = "a letter" if rule.startswith("^[A-Za-z][") else "a letter or digit"
        return f"{value!r}: use letters, digits, '_', '.' or '-', starting with {first}"
    if error.validator in ("minItems", "minLength"):
        return "must not be empty"
    return error.message


def check_structure(data: Any, file: str, lines: dict[tuple[PathPart, ...], int]) -> None:
    """Check the data against the JSON Schema; SchemeError at the first problem in the file."""
    errors = list(_validator().iter_errors(data))
    if not errors:
        return

    def line_of(path: tuple[PathPart, ...]) -> int:
        while path not in lines and path:
            path = path[:-1]
        return lines.get(path, 0)

    def key(error: jsonschema.ValidationError) -> tuple[int, int, bool]:
        path = tuple(error.absolute_path)  # first in the file, deepest, typos before gaps
        return line_of(path), -len(path), error.validator != "additionalProperties"

    first = min(errors, key=key)
    path = tuple(first.absolute_path)
    raise SchemeError(file, place_text(path), _schema_reason(first), line_of(path) or None)


# -- loading -----------------------------------------------------------------------------


def load_scheme_file(path: str | os.PathLike[str]) -> Scheme:
    """Read, check and parse one scheme file; SchemeError names file, place and reason.

    Only a regular file of at most 1 MiB is read, and its YAML may hold no anchors,
    aliases, deep nesting or non-JSON values (``vfa.services.scheme_yaml``).
    """
    name = str(Path(path))
    return _load(name, read_scheme_bytes(name))


def load_scheme_text(name: str, content: bytes) -> Scheme:
    """Check and parse a scheme file's content as if read from ``name`` (a draft not yet
    written); SchemeError names the place and the reason."""
    return _load(name, content)


@functools.lru_cache(maxsize=64)
def _load(name: str, content: bytes) -> Scheme:
    """Parse once per file name and content (the scheme list is read often)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SchemeError(name, "", f"not UTF-8 text ({exc.reason})") from None
    data, lines = read_yaml(text, name)
    if not isinstance(data, dict):
        raise SchemeError(name, "", "a scheme file is a mapping (id:, name:, …) at the top")
    check_structure(data, name, lines)
    return parse_scheme(data, name, lines)


@dataclass(frozen=True)
class SchemeScan:
    schemes: list[Scheme]  # by id; a later folder's scheme replaces an earlier one
    problems: list[SchemeError]  # files that could not be used, and why


def _scheme_files(problems: list[SchemeError]) -> list[Path]:
    files: list[Path] = []
    for folder in scheme_dirs():
        try:
            if folder.is_dir():
                files += sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES)
        except OSError as exc:
            problems.append(SchemeError(str(folder), "", exc.strerror or str(exc)))
    return files


def scan_schemes() -> SchemeScan:
    """Every usable scheme in the scheme folders, and the problems of the others."""
    found: dict[str, Scheme] = {}
    problems: list[SchemeError] = []
    for file in _scheme_files(problems):
        try:
            scheme = load_scheme_file(file)
        except SchemeError as exc:
            problems.append(exc)
            continue
        except Exception as exc:
            problems.append(SchemeError(str(file), "", f"could not be read ({exc!r:.200})"))
            continue
        earlier = found.get(scheme.id)
        if earlier is not None and Path(earlier.source_file).parent == file.parent:
            problems.append(
                SchemeError(
                    str(file),
                    "id",
                    f"scheme id {scheme.id!r} is also used by {earlier.source_file}; "
                    "this file is skipped",
                )
            )
            continue
        found[scheme.id] = scheme
    return SchemeScan(sorted(found.values(), key=lambda s: s.id), problems)


def available_schemes() -> list[Scheme]:
    """The usable schemes, sorted by id (bad files are skipped: see ``scheme_problems``)."""
    return scan_schemes().schemes


def scheme_problems() -> list[SchemeError]:
    """Why each unusable scheme file was skipped."""
    return scan_schemes().problems


def _find(schemes: list[Scheme], scheme_id: str) -> Scheme:
    for scheme in schemes:
        if scheme.id == scheme_id:
            return scheme
    known = ", ".join(s.id for s in schemes) or "none"
    raise NotFoundError(f"scheme {scheme_id!r}: not found (known schemes: {known})")


def get_scheme(scheme_id: str) -> Scheme:
    """The scheme with this id (NotFoundError listing the known ids)."""
    return _find(available_schemes(), scheme_id)


class SchemeLibrary:
    """The scheme folders read once and kept until ``reload``: what the composition root
    (the GUI's app.py) builds and hands to the window, its session and its dialogs."""

    def __init__(self, scan: Callable[[], SchemeScan] = scan_schemes) -> None:
        self._scan = scan
        self._found = scan()

    def reload(self) -> None:
        """Read the scheme folders again (a scheme file was added, edited or imported)."""
        self._found = self._scan()

    def __call__(self) -> list[Scheme]:
        """The usable schemes, sorted by id."""
        return self._found.schemes

    @property
    def problems(self) -> list[SchemeError]:
        """Why each unusable scheme file was skipped (as last read)."""
        return self._found.problems

    def get(self, scheme_id: str) -> Scheme:
        """The scheme with this id (NotFoundError listing the known ids)."""
        return _find(self._found.schemes, scheme_id)


# -- workspace ---------------------------------------------------------------------------


def register_scheme(ws: Workspace, scheme: Scheme) -> int:
    """The workspace row of this scheme's exact content, stored when new.

    Rows are keyed by id, version and content hash, so codings keep pointing at the
    content they were made with. When the same id and version is already stored with
    other content, a new row is still made: ask ``scheme_changes`` for the warning.
    """
    with ws.writes.begin() as db:
        return stored_scheme_row(db, scheme)[0]


def stored_scheme_row(db: DbSession, scheme: Scheme) -> tuple[int, bool]:
    """``register_scheme`` in the caller's transaction: the row's id, and whether this
    made it (audited, with the content an earlier row of the same id and version had)."""
    row_id = db.scalar(
        select(SchemeRow.id).where(
            SchemeRow.scheme_key == scheme.id,
            SchemeRow.version == scheme.version,
            SchemeRow.content_hash == scheme.content_hash,
        )
    )
    if row_id is not None:
        return row_id, False
    earlier = db.scalars(
        select(SchemeRow.content_hash).where(
            SchemeRow.scheme_key == scheme.id, SchemeRow.version == scheme.version
        )
    ).all()
    row = SchemeRow(
        scheme_key=scheme.id,
        version=scheme.version,
        content_hash=scheme.content_hash,
        name=scheme.name,
        content=scheme.raw,
    )
    db.add(row)
    db.flush()
    detail: dict[str, Any] = {
        "scheme": scheme.id,
        "version": scheme.version,
        "content_hash": scheme.content_hash,
        "file": scheme.source_file,
    }
    if earlier:
        detail["content_changed_from"] = list(earlier)
    record(db, "register", "scheme", row.id, detail)
    return row.id, True


def scheme_changes(ws: Workspace, scheme: Scheme) -> str | None:
    """A warning when this id and version is stored with other content, else None."""
    with ws.sessions() as db:
        others = db.scalars(
            select(SchemeRow.id).where(
                SchemeRow.scheme_key == scheme.id,
                SchemeRow.version == scheme.version,
                SchemeRow.content_hash != scheme.content_hash,
            )
        ).all()
        if not others:
            return None
        runs = db.scalar(
            select(func.count()).select_from(CodingRun).where(CodingRun.scheme_id.in_(others))
        )
    return (
        f"scheme {scheme.id} version {scheme.version} ({scheme.source_file}): the content "
        "changed since this version was first used in this workspace, but the version did "
        f"not. The {runs} coding run(s) made with the earlier content keep it unchanged; new "
        "codings use the new content. Raise the version in the file to tell them apart."
    )


def stored_scheme(ws: Workspace, row: SchemeRow) -> Scheme:
    """The scheme as stored in a workspace row (the content a run was coded with)."""
    return parse_scheme(row.content, f"{ws.label}: scheme {row.scheme_key} version {row.version}")


def current_scheme(ws: Workspace, scheme_id: str, find_scheme: SchemeLookup = get_scheme) -> Scheme:
    """The scheme from the scheme folders (``find_scheme``: a library read once, else the
    folders now), else its newest content stored in the workspace."""
    try:
        return find_scheme(scheme_id)
    except NotFoundError as missing:
        with ws.sessions() as db:
            row = db.scalar(
                select(SchemeRow)
                .where(SchemeRow.scheme_key == scheme_id)
                .order_by(SchemeRow.id.desc())
            )
            if row is None:
                raise missing from None
            return stored_scheme(ws, row)
