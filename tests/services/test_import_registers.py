"""An import stores its draft scheme and its coders the way every other path does: the
same scheme row and audit entry as ``register_scheme``, the same coder entry as
``ensure_coder``."""

from __future__ import annotations

from sqlalchemy import select

from tests.services.test_imports import EVENTS, document, plan, ws  # noqa: F401 (fixture)
from vfa.services import coding
from vfa.services.import_writes import run_import
from vfa.services.schemes import get_scheme, register_scheme
from vfa.storage.models import AuditEntry


def entries(workspace, action: str, entity: str) -> list[dict]:
    with workspace.sessions() as db:
        return [
            dict(e.detail)
            for e in db.scalars(
                select(AuditEntry).where(AuditEntry.action == action, AuditEntry.entity == entity)
            )
        ]


def test_an_imported_scheme_is_registered_as_any_other(ws):  # noqa: F811
    made = plan(ws, document(*EVENTS))
    result = run_import(ws, made)
    (imported,) = entries(ws, "register", "scheme")
    scheme = get_scheme(result.scheme)
    register_scheme(ws, scheme)  # the row the import made: found, not made again
    assert len(entries(ws, "register", "scheme")) == 1
    register_scheme(ws, get_scheme("kips"))
    _, registered = entries(ws, "register", "scheme")
    assert imported.keys() == registered.keys()
    assert (imported["scheme"], imported["version"], imported["content_hash"]) == (
        scheme.id,
        scheme.version,
        scheme.content_hash,
    )


def test_an_imported_coder_is_made_as_any_other(ws):  # noqa: F811
    run_import(ws, plan(ws, document(*EVENTS), coder="Imogen"))
    coding.ensure_coder(ws, "Ann")
    made = {e["name"]: e for e in entries(ws, "create", "coder")}
    assert made["Imogen"].keys() == made["Ann"].keys()
    assert made["Imogen"]["role"] == made["Ann"]["role"] == "coder"
