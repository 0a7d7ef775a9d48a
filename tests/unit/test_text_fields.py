"""One-line text fields as they enter: what is kept, and what is refused with its field."""

from __future__ import annotations

import hashlib
import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vfa.domain.text_fields import matching_key, refused_character, single_line
from vfa.errors import InvalidInputError


@given(st.text(max_size=300), st.integers(min_value=1, max_value=200))
def test_a_field_is_kept_clean_or_refused_naming_it(value, limit):
    try:
        kept = single_line(value, "session label", limit)
    except InvalidInputError as exc:
        assert str(exc).startswith("session label")
        assert len(str(exc)) < 300
        return
    assert kept is not None and 0 < len(kept) <= limit
    assert kept == kept.strip() and unicodedata.is_normalized("NFC", kept)
    assert refused_character(kept) is None
    assert single_line(kept, "session label", limit) == kept  # stable once clean


@given(st.text(alphabet=st.characters(categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1))
def test_control_characters_anywhere_are_refused(bad):
    with pytest.raises(InvalidInputError, match="control character"):
        single_line("Visit " + bad + " 1", "session label", 1000)


@given(st.text(alphabet=string.ascii_letters + string.digits + " -", max_size=50))
def test_spellings_that_differ_in_capitals_or_spacing_share_a_key(text):
    assert matching_key(text.upper()) == matching_key(text.lower())
    assert matching_key("  " + text.replace(" ", "   ") + " ") == matching_key(text)


def test_labels_that_differ_otherwise_have_different_keys():
    assert matching_key("Visit 1") != matching_key("Visit 2")
    assert matching_key("Straße") == matching_key("STRASSE")  # case folding, not lower()


def test_an_empty_optional_field_is_none_and_a_required_one_is_refused():
    assert single_line("   ", "session context", 64, required=False) is None
    assert single_line(None, "session context", 64, required=False) is None
    with pytest.raises(InvalidInputError, match="session label: is empty"):
        single_line(" ", "session label", 128)
    with pytest.raises(InvalidInputError, match="expected text, got int"):
        single_line(7, "session label", 128)


@given(st.binary(max_size=3 << 20))
def test_the_content_hash_is_blake2b_of_every_byte(tmp_path_factory, data):
    from vfa.media.fingerprint import content_hash

    path = tmp_path_factory.mktemp("h") / "f.bin"
    path.write_bytes(data)
    assert content_hash(path) == hashlib.blake2b(data, digest_size=32).hexdigest()
