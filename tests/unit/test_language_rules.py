"""The strengths-based language check by its stated rules (vfa/domain/language.py and the
shipped en.yaml's header): words matched whole and in any case, a trailing "*" for any
ending, straight or curly apostrophes, the longest of overlapping matches, lists merged
from a service's folder, and malformed lists refused with the file and the entry."""

from __future__ import annotations

import pytest

from vfa.domain.language import Finding, load_wordlist, parse_wordlist
from vfa.errors import InvalidInputError


def wordlist(*entries: tuple[list, str], language: str = "en"):
    data = {"language": language, "entries": [{"words": w, "hint": h} for w, h in entries]}
    return parse_wordlist(data, "test.yaml")


def texts(found: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.start, f.end, f.text) for f in found]


def test_a_match_keeps_the_words_as_typed_with_their_place_and_hint():
    found = wordlist((["did not"], "name what happened")).check("You Did Not wait")
    assert found == [Finding(4, 11, "Did Not", "name what happened")]


def test_words_match_whole_in_any_case():
    check = wordlist((["fail*"], "h"), (["bad"], "h")).check
    assert texts(check("FAILED, badly, Bad.")) == [(0, 6, "FAILED"), (15, 18, "Bad")]
    assert check("a sailfail badge") == []


def test_letters_whose_capital_is_two_letters_still_match():
    # "ß" has no one-letter capital ("SS"): the list's words are compared in small letters
    check = wordlist((["groß"], "h"), language="de").check
    assert texts(check("Groß und GROß")) == [(0, 4, "Groß"), (9, 13, "GROß")]


def test_a_straight_apostrophe_in_the_list_matches_a_curly_one_in_the_text():
    check = wordlist((["didn't"], "h")).check
    assert texts(check("she didn\u2019t, he didn't")) == [
        (4, 10, "didn\u2019t"),
        (15, 21, "didn't"),
    ]


def test_of_overlapping_matches_the_longest_is_kept():
    check = wordlist((["too"], "short"), (["too much"], "long")).check
    assert [(f.text, f.hint) for f in check("too much play")] == [("too much", "long")]
    assert [(f.text, f.hint) for f in check("too, much")] == [("too", "short")]


def test_matches_that_touch_are_both_kept():
    check = wordlist(
        ([":("], "a sad face"),
    ).check
    assert texts(check(":(:(")) == [(0, 2, ":("), (2, 4, ":(")]


def test_a_one_letter_word_is_a_word():
    assert texts(wordlist((["X"], "h")).check("x marks it")) == [(0, 1, "x")]


def test_the_lists_language_is_kept_and_may_be_left_out():
    assert wordlist((["bad"], "h"), language="nl").language == "nl"
    assert parse_wordlist({"entries": [{"words": ["bad"], "hint": "h"}]}, "x").language == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "test.yaml: expected 'language' and a list of 'entries'"),
        ({"language": "en"}, "test.yaml: expected 'language' and a list of 'entries'"),
        ({"entries": "bad"}, "test.yaml: expected 'language' and a list of 'entries'"),
        ({"entries": [None]}, "test.yaml: entries[1]: needs 'words' (a list) and 'hint'"),
        ({"entries": [{"words": [], "hint": "h"}]}, "entries[1]: needs 'words' (a list)"),
        ({"entries": [{"words": "bad", "hint": "h"}]}, "entries[1]: needs 'words' (a list)"),
        ({"entries": [{"words": ["bad"]}]}, "entries[1]: needs 'words' (a list) and 'hint'"),
        (
            {"entries": [{"words": ["bad"], "hint": "h"}, {"words": ["*"], "hint": "h"}]},
            "test.yaml: entries[2]: '*' is not a word",
        ),
        ({"entries": [{"words": [" * "], "hint": "h"}]}, "entries[1]: ' * ' is not a word"),
        ({"entries": [{"words": [5], "hint": "h"}]}, "test.yaml: entries[1]: 5 is not a word"),
    ],
)
def test_a_malformed_list_is_refused_naming_the_file_and_the_entry(data, message):
    with pytest.raises(InvalidInputError) as refused:
        parse_wordlist(data, "test.yaml")
    assert message in str(refused.value)


def test_a_services_own_list_is_merged_with_the_shipped_one(tmp_path):
    (tmp_path / "en.yaml").write_text(
        'language: en\nentries:\n  - words: ["naughty"]\n    hint: Say what he wanted.\n',
        encoding="utf-8",
    )
    found = load_wordlist("en", [tmp_path / "absent", tmp_path]).check("naughty, he failed")
    assert texts(found) == [(0, 7, "naughty"), (12, 18, "failed")]
    assert found[0].hint == "Say what he wanted."


def test_a_malformed_own_list_is_refused_with_its_path(tmp_path):
    (tmp_path / "en.yaml").write_text("language: en\nentries: 3\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as refused:
        load_wordlist("en", [tmp_path])
    assert str(refused.value).startswith(f"{tmp_path / 'en.yaml'}: expected")


def test_the_shipped_english_list_is_the_default():
    english = load_wordlist()
    assert english.language == "en" and load_wordlist("en").language == "en"
    assert texts(english.check("she failed")) == [(4, 10, "failed")]


def test_a_language_without_a_shipped_list_uses_the_services_own(tmp_path):
    (tmp_path / "xx.yaml").write_text(
        'language: xx\nentries:\n  - words: ["nee"]\n    hint: h\n', encoding="utf-8"
    )
    assert load_wordlist("xx").patterns == ()
    assert texts(load_wordlist("xx", [tmp_path]).check("nee, fail")) == [(0, 3, "nee")]
