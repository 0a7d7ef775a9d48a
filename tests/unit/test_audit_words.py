"""The audit trail's words: the window marks for translation the very words a filter by
kind takes, and every word names one stored kind."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vfa.domain.audit_words import ACTION_WORDS, RECORD_WORDS, kind_list, stored_kind
from vfa.ui.audit_names import ACTIONS, RECORDS


def test_the_window_names_records_and_acts_with_the_words_a_filter_takes():
    assert RECORDS == RECORD_WORDS
    assert ACTIONS == ACTION_WORDS


def test_each_word_a_person_says_names_one_stored_kind():
    words = [*RECORD_WORDS.values(), *ACTION_WORDS.values()]
    # one word for two kinds would make a filter by it ambiguous ("import" is both)
    twice = {w for w in words if words.count(w) > 1}
    assert twice == {"import"} and RECORD_WORDS["import"] == ACTION_WORDS["import"] == "import"
    assert {w: stored_kind(w) for w in ("event", "person", "coding", "stop sharing", "tag")} == {
        "event": "annotation",
        "person": "coder",
        "coding": "coding_run",
        "stop sharing": "unshare",
        "tag": "moment",
    }
    for stored in (*RECORD_WORDS, *ACTION_WORDS):
        assert stored_kind(stored) == stored  # the stored words name themselves


@given(
    st.sampled_from([*RECORD_WORDS.values(), *ACTION_WORDS.values()]),
    st.lists(st.sampled_from([" ", "  ", "\t"]), min_size=1, max_size=4),
    st.booleans(),
)
def test_a_word_names_its_kind_in_any_capitals_and_spacing(word, gaps, upper):
    typed = "".join(f"{part}{gaps[i % len(gaps)]}" for i, part in enumerate(word.split()))
    typed = typed.upper() if upper else typed.title()
    assert stored_kind(typed) == stored_kind(word) is not None


def test_a_word_that_names_nothing_is_none_and_the_kinds_are_listed_as_people_say_them():
    assert stored_kind("evnt") is None and stored_kind("") is None
    listed = kind_list()
    assert "event (annotation)" in listed and "coding (coding_run)" in listed
    assert "rate, " in listed  # (a word that is its stored one is said once)
