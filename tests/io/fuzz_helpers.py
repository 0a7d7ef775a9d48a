"""Hypothesis strategies that damage a file's bytes the way the world does.

Each strategy takes the bytes of a good sample and draws a damaged copy of them:
truncated, with bytes flipped, with garbage inserted, re-encoded in the wrong encoding,
with an XML attribute or element deleted, with a number swapped for an absurd one, or
with two numbers swapped (times out of order). ``mutations(data)`` draws any of them,
sometimes several in a row. Text-level damage keeps the sample's own encoding (a UTF-16
file stays UTF-16, BOM and all), so it reaches the parser rather than the decoder.

Use with ``@given(mutations(sample))`` and ``settings(max_examples=..., deadline=None)``.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

ABSURD_NUMBERS = (
    "-1",
    "0",
    "-0.5",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "99999999999999999999999",
    "86400001",
    "4294967296",
    "0x1F",
    "",
    "1.2.3",
    "٣",  # an Arabic-Indic digit: int() takes it, many parsers do not
)
GARBAGE = (b"\x00", b"\xff\xfe", b"<", b">", b"&", b"]]>", b"<!--", b"\x1a", b"\xc3(", b"\n")
_NUMBER = re.compile(r"-?\d+(?:[.,:]\d+)*")
_ATTRIBUTE = re.compile(r"\s[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*')")
_ELEMENT = re.compile(r"<([\w:.-]+)(?:\s[^<>]*)?>[^<]*</\1\s*>|<[\w:.-]+(?:\s[^<>]*)?/>")


def text_of(data: bytes) -> tuple[str, str]:
    """The sample as text and the encoding to write it back in (its BOM decides)."""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, "replace"), encoding
    return data.decode("utf-8", "replace"), "utf-8"


def truncations(data: bytes) -> st.SearchStrategy[bytes]:
    """The sample cut short anywhere (UTF-16 files often at an odd byte)."""
    return st.integers(0, max(0, len(data) - 1)).map(lambda n: data[:n])


def flipped_bytes(data: bytes, most: int = 8) -> st.SearchStrategy[bytes]:
    """The sample with a few bytes XOR-ed with a random mask."""
    if not data:
        return st.just(data)

    def flip(changes: list[tuple[int, int]]) -> bytes:
        out = bytearray(data)
        for position, mask in changes:
            out[position % len(out)] ^= mask
        return bytes(out)

    change = st.tuples(st.integers(0, len(data) - 1), st.integers(1, 255))
    return st.lists(change, min_size=1, max_size=most).map(flip)


def inserted_garbage(data: bytes) -> st.SearchStrategy[bytes]:
    """The sample with bytes (random, or the kind that breaks parsers) put in somewhere."""
    junk = st.one_of(st.sampled_from(GARBAGE), st.binary(min_size=1, max_size=16))
    return st.tuples(st.integers(0, len(data)), junk).map(
        lambda t: data[: t[0]] + t[1] + data[t[0] :]
    )


def wrong_encodings(data: bytes) -> st.SearchStrategy[bytes]:
    """The sample's text written in another encoding, or its bytes read as another one."""
    text, _ = text_of(data)

    def reencode(encoding: str) -> bytes:
        return text.encode(encoding, "replace")

    def misread(pair: tuple[str, str]) -> bytes:
        wrong, target = pair
        return data.decode(wrong, "replace").encode(target, "replace")

    encodings = ("latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-8", "utf-8-sig", "cp1252")
    return st.one_of(
        st.sampled_from(encodings).map(reencode),
        st.tuples(st.sampled_from(("latin-1", "utf-8")), st.sampled_from(encodings)).map(misread),
    )


def _text_edit(data: bytes, pattern: re.Pattern[str], edit) -> st.SearchStrategy[bytes]:
    text, encoding = text_of(data)
    spans = [m.span() for m in pattern.finditer(text)]
    if not spans:
        return st.just(data)

    def apply(args: tuple[int, object]) -> bytes:
        index, extra = args
        start, end = spans[index]
        return (text[:start] + edit(text[start:end], extra) + text[end:]).encode(
            encoding, "replace"
        )

    return st.tuples(st.integers(0, len(spans) - 1), st.sampled_from(ABSURD_NUMBERS)).map(apply)


def deleted_attributes(data: bytes) -> st.SearchStrategy[bytes]:
    """The XML text with one ``name="value"`` attribute taken out."""
    return _text_edit(data, _ATTRIBUTE, lambda _match, _extra: "")


def deleted_elements(data: bytes) -> st.SearchStrategy[bytes]:
    """The XML text with one leaf element (``<a>text</a>`` or ``<a/>``) taken out."""
    return _text_edit(data, _ELEMENT, lambda _match, _extra: "")


def absurd_numbers(data: bytes) -> st.SearchStrategy[bytes]:
    """The text with one number (a time, an id, a count) swapped for an absurd one."""
    return _text_edit(data, _NUMBER, lambda _match, extra: str(extra))


def swapped_numbers(data: bytes) -> st.SearchStrategy[bytes]:
    """The text with two numbers swapped, which puts times out of order."""
    text, encoding = text_of(data)
    spans = [m.span() for m in _NUMBER.finditer(text)]
    if len(spans) < 2:
        return st.just(data)

    def swap(pair: tuple[int, int]) -> bytes:
        (a0, a1), (b0, b1) = sorted((spans[pair[0]], spans[pair[1]]))
        out = text[:a0] + text[b0:b1] + text[a1:b0] + text[a0:a1] + text[b1:]
        return out.encode(encoding, "replace")

    first = st.integers(0, len(spans) - 1)
    other = st.integers(1, len(spans) - 1)  # an offset from the first, so never the same
    return st.tuples(first, other).map(lambda p: swap((p[0], (p[0] + p[1]) % len(spans))))


def mutations(data: bytes, *, text: bool = True) -> st.SearchStrategy[bytes]:
    """Any one damage to ``data`` (``text``: also the XML/number-level ones), or two."""
    kinds = [truncations, flipped_bytes, inserted_garbage, wrong_encodings]
    if text:
        kinds += [deleted_attributes, deleted_elements, absurd_numbers, swapped_numbers]
    one = st.one_of(*(kind(data) for kind in kinds))
    twice = one.flatmap(lambda damaged: st.one_of(*(kind(damaged) for kind in kinds)))
    return st.one_of(one, one, twice)
