"""No text VFA says repeats a word ("give the passphrase to encrypt with with"): the
texts of the code read from its source, and the help pages; texts put together at run
time are checked where they are said."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.message_texts import VFA, doubled_words, texts

HELP = VFA / "data" / "help"


def test_no_text_of_the_code_says_a_word_twice():
    found = [f"{s.where()}: {w!r}" for s in texts() for w in doubled_words(s.text)]
    assert found == []


def test_no_help_page_says_a_word_twice():
    found = [
        f"{page.name}: {w!r}"
        for page in sorted(HELP.glob("*.md"))
        for w in doubled_words(page.read_text("utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "twice"),
    [
        ("give the passphrase to encrypt with with: FILE", ["with with"]),
        ("The the workspace", ["The the"]),
        ("is a a coder", ["a a"]),
        ("add NAME --role ROLE; --passphrase-file FILE", []),  # what to type, not prose
        ("with within", []),
    ],
)
def test_a_word_said_twice_is_found(text, twice):
    assert doubled_words(text) == twice


def test_the_reader_skips_docstrings_and_joins_adjacent_literals(tmp_path, monkeypatch):
    from tests import message_texts

    area = tmp_path / "vfa" / "area"
    area.mkdir(parents=True)
    (area / "m.py").write_text(
        '"""A docstring said twice twice."""\n'
        "def f(verb):\n"
        '    """Its own docstring docstring."""\n'
        '    return ("to " "to", f"{verb} with with")\n',
        "utf-8",
    )
    monkeypatch.setattr(message_texts, "VFA", tmp_path / "vfa")
    said = sorted(s.text for s in message_texts.texts("area"))
    assert said == ["to to", "{} with with"]
    assert Path(area / "m.py").exists()
