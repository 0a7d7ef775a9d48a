"""Captions made plain, character by character, from the rules in subtitles.py's notes:
tabs are spaces, other line breaks are line breaks, control characters and lone
surrogates go, markup goes, stray braces become parentheses; the MP4 text track shows a
backslash as a look-alike and breaks lines with \\N. And a field's value cut short in a
message from 41 characters on."""

from __future__ import annotations

import pytest

from vfa.domain.subtitles import ass_text, caption_text, reel_entries
from vfa.domain.text_fields import SHOWN, matching_key, shown, single_line
from vfa.errors import InvalidInputError


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("Xmas\tXL", "Xmas XL"),  # a tab is a space; the letters around it stay
        ("X\vY\fZ", "X Y Z"),
        ("one\r\ntwo", "one\ntwo"),
        ("one\rtwo", "one\ntwo"),
        ("one\x85two\u2028three\u2029four", "one\ntwo\nthree\nfour"),
        ("a\x07b\x1bc\x7fd", "abcd"),  # control characters
        ("a\ud800b", "ab"),  # a lone surrogate (undecodable input)
        ("XX you waited XX", "XX you waited XX"),
        ("a{\\an8}b", "ab"),
        ("<i>you</i> waited", "you waited"),
        ("a{b", "a(b"),
        ("a}b", "a)b"),
        ("{a{b}c}", ""),  # nested blocks: until no block is left
        ("", ""),
    ],
)
def test_a_caption_is_made_plain(typed, plain):
    assert caption_text(typed) == plain


def test_the_text_track_shows_a_backslash_as_a_look_alike_and_breaks_lines_as_backslash_n():
    assert ass_text("a\\b\nc") == "a\u2216b\\Nc"
    assert ass_text("no\\Nbreak") == "no\u2216Nbreak"


def test_a_negative_duration_is_refused_with_its_value():
    with pytest.raises(ValueError, match=r"^a moment cannot last -5 ms$"):
        reel_entries([(1000, "a"), (-5, "b")])
    assert reel_entries([(0, "a"), (1000, "b")]) == [(0, 0, "a"), (0, 1000, "b")]


def test_a_value_is_shown_whole_up_to_the_limit_and_cut_after_it():
    assert SHOWN == 40
    assert shown("x" * 40) == repr("x" * 40)
    assert shown("x" * 39 + "yz") == repr("x" * 39 + "y") + "… (41 characters)"
    assert shown("abcdef", limit=3) == "'abc'… (6 characters)"
    assert shown("abc", limit=3) == "'abc'"


def test_two_spellings_of_a_label_share_a_key_of_single_spaces():
    assert matching_key("  Free   Play\t") == "free play"
    assert matching_key("Cafe\u0301 time") == matching_key("CAF\u00c9 TIME") == "caf\u00e9 time"


def test_a_one_line_field_names_the_character_refused_and_its_place():
    with pytest.raises(InvalidInputError) as refused:
        single_line("ab\ncd", "the theme", 200)
    assert str(refused.value) == (
        "the theme 'ab\\ncd': contains a control character (U+000A) at character 3; "
        "use one line of plain text"
    )


@pytest.mark.parametrize(("length", "refused"), [(5, False), (6, True)])
def test_a_one_line_field_may_be_exactly_its_longest(length, refused):
    if not refused:
        assert single_line("x" * length, "the label", 5) == "x" * length
        return
    with pytest.raises(InvalidInputError) as error:
        single_line("x" * length, "the label", 5)
    assert str(error.value) == "the label 'xxxxxx': is 6 characters long; at most 5 are allowed"


def test_an_empty_required_field_says_so_with_an_example_when_one_is_given():
    with pytest.raises(InvalidInputError) as error:
        single_line("  ", "the case code", 40, example="FAM-1")
    assert str(error.value) == "the case code: is empty; give one, such as 'FAM-1'"
    with pytest.raises(InvalidInputError) as error:
        single_line("  ", "the case code", 40)
    assert str(error.value) == "the case code: is empty; give one"
    with pytest.raises(InvalidInputError, match=r"^the case code: expected text, got NoneType$"):
        single_line(None, "the case code", 40)
    assert single_line(None, "the note", 40, required=False) is None
    assert single_line(" x ", "the note", 40, required=False) == "x"
