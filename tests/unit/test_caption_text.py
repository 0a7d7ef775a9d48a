"""Captions become plain subtitle text: whatever a parent's words hold, the reel's SRT has
exactly one cue per captioned moment, at the moment's time, with no markup."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from vfa.domain.subtitles import ass_text, caption_text, reel_srt, srt

TIMING = re.compile(r"^\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d$")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def parse_srt(text: str) -> list[tuple[int, str, list[str]]]:
    """A strict SRT reader: blocks of number, timing, one or more non-blank lines."""
    if not text:
        return []
    assert text.endswith("\n") and "\r" not in text
    cues = []
    for block in text[:-1].split("\n\n"):
        lines = block.split("\n")
        assert len(lines) >= 3, block
        assert lines[0].isdigit() and TIMING.match(lines[1]), block
        assert all(line.strip() for line in lines[2:]), block
        cues.append((int(lines[0]), lines[1], lines[2:]))
    return cues


def lenient_cue_starts(text: str) -> int:
    """How many cues a forgiving player finds: any line with a timing starts one."""
    return sum(1 for line in text.split("\n") if "-->" in line)


pieces = st.sampled_from(
    ["\n", "\n\n", "\r\n", "\r", "2", "17\n", "00:00:01,000 --> 00:00:09,000", "-->", "- ->",
     "--->", "<b>", "</b>", "<font color=red>", "<i", ">", "{\\an8}", "{", "}", "\\N", "\t",
     "\x00", "\x1b[31m", "\u2028", "You waited", " ", "é", "<<b>i>", "{{\\b1}}"]
)  # fmt: skip
captions = st.one_of(st.text(max_size=60), st.lists(pieces, max_size=12).map("".join))


@given(st.lists(st.tuples(st.integers(0, 60_000), captions), max_size=5))
@example([(1000, "You waited\n\n2\n00:00:01,000 --> 00:00:09,000\nInjected")])
@example([(1000, "<font color=red>{\\an8}Loud</font>")])
@example([(1000, "You waited\n²")])
@example([(1000, "You waited\n٣")])
def test_every_captioned_moment_is_one_cue_of_plain_text(moments):
    text = reel_srt(moments)
    cues = parse_srt(text)
    wanted = [caption_text(t) for _, t in moments]
    assert [n for n, _, _ in cues] == list(range(1, len(cues) + 1))
    assert len(cues) == sum(1 for w in wanted if w) == lenient_cue_starts(text)
    start = 0
    shown = iter(cues)
    for (duration, _), w in zip(moments, wanted, strict=True):
        if w:
            _, timing, lines = next(shown)
            assert timing.startswith(srt([(start, start + duration, "x")]).split("\n")[1][:12])
            assert lines == w.split("\n")
            for line in lines:
                assert not TAG.search(line) and "{" not in line and "}" not in line
                # a line of decimal digits alone could read as a cue number ("²" is a
                # digit to isdigit() but no number to a subtitle reader)
                assert not line.strip().isdecimal() or len(lines) == 1
        start += duration


@given(captions)
def test_normalising_twice_changes_nothing(text):
    once = caption_text(text)
    assert caption_text(once) == once
    assert "\n\n" not in once and not once.startswith("\n") and not once.endswith("\n")


@given(captions)
def test_the_text_track_reads_no_override_or_escape(text):
    dialogue = ass_text(text)
    assert "{" not in dialogue and "}" not in dialogue and "\n" not in dialogue
    assert "\\" not in dialogue.replace("\\N", "")


def test_a_caption_keeps_its_words_and_lines():
    assert caption_text("You waited.\n\n  She smiled\tback  ") == "You waited.\nShe smiled back"
    assert caption_text("I <3 you") == "I <3 you"
    assert caption_text("<i>gently</i> --> then") == "gently \u2192 then"
    assert caption_text("We counted\n3\nblocks") == "We counted 3\nblocks"
    assert caption_text("3\nblocks") == "3 blocks"
