"""The listing commands print one way (``vfa.cli.common.emit_rows``): a JSON list with
``--json`` (before or after the subcommand), else a line a row, or one line saying there
is nothing."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests.test_cli_surface import run
from tests.test_cli_workspace_open import path  # noqa: F401 - a fixture: a new workspace
from vfa.cli.common import emit_rows

NOTHING = {
    ("clip", "list"): "no clips",
    ("clip", "check"): "no clips",
    ("clip", "relink", "{folder}"): "no missing clip was found there",
    ("assignments",): "no assignments",
    ("moment", "list", "--clip", "999"): "no moments",
    ("score", "{ratings}"): "no ratings",
}


def _typed(words: tuple[str, ...], tmp_path: Path) -> list[str]:
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("unit,coder,item,value\n", encoding="utf-8")
    extra = ["--scheme", "kips"] if words[0] == "score" else []
    return [w.format(folder=tmp_path, ratings=ratings) for w in words] + extra


@pytest.mark.parametrize("words", list(NOTHING), ids=" ".join)
def test_an_empty_list_says_so_in_one_line(capsys, path, tmp_path, words):  # noqa: F811
    code, out, err = run(capsys, *_typed(words, tmp_path), "--workspace", path)
    assert (code, out, err) == (0, NOTHING[words] + "\n", "")


@pytest.mark.parametrize("before", [True, False], ids=["json-first", "json-last"])
@pytest.mark.parametrize("words", list(NOTHING), ids=" ".join)
def test_an_empty_list_is_an_empty_json_list(capsys, path, tmp_path, words, before):  # noqa: F811
    typed = _typed(words, tmp_path)
    argv = ["--json", *typed] if before else [*typed, "--json"]
    code, out, err = run(capsys, *argv, "--workspace", path)
    assert (code, out, err) == (0, [], "")


def test_rows_are_a_line_each_in_their_order(capsys):
    rows = [{"id": 2, "name": "Visit 2"}, {"id": 1, "name": "Visit 1"}]
    line = lambda r: f"{r['id']}: {r['name']}"  # noqa: E731
    emit_rows(argparse.Namespace(json=False), rows, line, "none")
    emit_rows(argparse.Namespace(), [], line, "none")
    emit_rows(argparse.Namespace(json=True), rows, line, "none")
    out = capsys.readouterr().out
    text, data = out[: out.index("[")], json.loads(out[out.index("[") :])
    assert text == "2: Visit 2\n1: Visit 1\nnone\n"
    assert data == rows
