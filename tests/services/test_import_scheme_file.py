"""The scheme file an import makes is written whole or not at all, after the workspace
commits, never over a file that appeared meanwhile (with or without hard links), with
ordinary permissions and nothing left beside it."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from tests.services.test_imports import EVENTS, document, plan
from tests.services.test_imports import ws as ws
from vfa.outputs import file_mode
from vfa.services import import_writes
from vfa.services.imports import run_import
from vfa.services.schemes import user_schemes_dir


def appearing(monkeypatch, text: str) -> None:
    """Another program writes the scheme file while the import's transaction runs."""
    real = import_writes._write_run

    def write_run(*args):
        target = user_schemes_dir() / "import-Lab_project.yaml"
        if not target.exists():
            target.write_text(text)
        return real(*args)

    monkeypatch.setattr(import_writes, "_write_run", write_run)


def no_hard_links(monkeypatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)


def test_the_new_scheme_file_has_ordinary_permissions_and_nothing_beside_it(ws):
    result = run_import(ws, plan(ws, document(*EVENTS)))
    path = user_schemes_dir() / "import-Lab_project.yaml"
    assert result.scheme_created and path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == file_mode()
    assert sorted(p.name for p in user_schemes_dir().iterdir()) == [path.name]


@pytest.mark.parametrize("links", [True, False])
def test_a_scheme_file_that_appeared_meanwhile_is_kept(ws, monkeypatch, links):
    made = plan(ws, document(*EVENTS))
    appearing(monkeypatch, "someone else's scheme\n")
    if not links:
        no_hard_links(monkeypatch)
    result = run_import(ws, made)
    path = user_schemes_dir() / "import-Lab_project.yaml"
    assert path.read_text() == "someone else's scheme\n"
    assert (str(path), "another file of that name appeared meanwhile; it was kept and the "
            "imported scheme lives in the workspace only") in {
        (p.place, p.reason) for p in result.problems
    }  # fmt: skip
    assert sorted(p.name for p in user_schemes_dir().iterdir()) == [path.name]


def test_a_scheme_file_that_cannot_be_moved_into_place_is_reported(ws, monkeypatch):
    made = plan(ws, document(*EVENTS))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "link", broken)
    result = run_import(ws, made)
    path = user_schemes_dir() / "import-Lab_project.yaml"
    assert not path.exists() and len(result.runs) == 1
    assert (str(path), "the scheme file could not be written (Input/output error); the "
            "imported scheme lives in the workspace only") in {
        (p.place, p.reason) for p in result.problems
    }  # fmt: skip
    assert list(user_schemes_dir().iterdir()) == []
