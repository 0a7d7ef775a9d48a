"""A script's edit of a reel made on a version someone has changed since is refused on
the command line: exit 2, a ``vfa:`` message naming who changed it and when, no
traceback, nothing stored changed; without ``--if-version`` a script is not checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import TABLE
from vfa.cli import main
from vfa.services import moments
from vfa.services.viewer import viewing_as
from vfa.storage.workspace import open_workspace


def run(capsys, *args: str) -> tuple[int, dict | None, str]:
    code = main(list(args))
    out = capsys.readouterr()
    data = json.loads(out.out) if code == 0 and "--json" in args else None
    return code, data, out.err


@pytest.fixture
def visit(capsys, tmp_path: Path):
    """A workspace with a visit whose reel holds two moments."""
    path = tmp_path / "team.vfa"
    assert run(capsys, "workspace", "new", str(path))[0] == 0
    ws = open_workspace(path)
    try:
        clip, session = add_clip_row(ws, TABLE)
        a, b = (
            moments.add_moment(ws, clip, ["vig:waiting"], start, start + 500, feedback=True).id
            for start in (0, 1_000)
        )
    finally:
        ws.close()
    return path, session, a, b


def test_reel_show_gives_the_version_and_an_order_made_on_an_older_one_is_refused(capsys, visit):
    path, session, a, b = visit
    code, shown, err = run(
        capsys, "--workspace", str(path), "reel", "show", "--session", str(session), "--json"
    )
    assert code == 0, err
    seen = shown["version"]
    assert [m["id"] for m in shown["moments"]] == [a, b]
    assert all("version" in m for m in shown["moments"])
    ben = open_workspace(path)
    try:
        with viewing_as("Ben"):
            moments.reorder_reel(ben, session, [b, a], expected_version=seen)
    finally:
        ben.close()
    for args in (
        ("--workspace", str(path), "reel", "order", "--session", str(session),
         "--if-version", str(seen), f"{a},{b}"),
        ("reel", "order", f"{a},{b}", "--session", str(session), "--if-version", str(seen),
         "--workspace", str(path), "--json"),
        ("reel", "theme", "Play", "--if-version", str(seen), "--session", str(session),
         "--workspace", str(path)),
    ):  # fmt: skip
        code, _, err = run(capsys, *args)
        assert code == 2, err
        assert err.startswith(f"vfa: the reel of session {session}: changed by Ben at ")
        assert "Traceback" not in err and "not stored" in err
    code, now, _ = run(capsys, "reel", "show", "--session", str(session), "--workspace",
                       str(path), "--json")  # fmt: skip
    assert [m["id"] for m in now["moments"]] == [b, a] and now["theme"] is None
    # on the version stored now it goes through; without --if-version it is not checked
    code, _, err = run(capsys, "reel", "order", f"{a},{b}", "--session", str(session),
                       "--if-version", str(now["version"]), "--workspace", str(path))  # fmt: skip
    assert code == 0, err
    code, _, err = run(capsys, "reel", "theme", "Play", "--session", str(session),
                       "--workspace", str(path))  # fmt: skip
    assert code == 0, err


@pytest.mark.parametrize("given", ["two", "0", "-3"])
def test_if_version_must_be_a_version(capsys, visit, given):
    path, session, a, b = visit
    with pytest.raises(SystemExit) as exited:
        main(["reel", "order", f"{a},{b}", "--session", str(session), "--if-version", given,
              "--workspace", str(path)])  # fmt: skip
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--if-version" in err and "a version" in err and "not an id" not in err
