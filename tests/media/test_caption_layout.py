"""Burned-in captions in any script: Chinese from the shipped fallback font, Arabic joined
and right to left, every character drawn once, on any machine."""

from __future__ import annotations

import unicodedata
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.media.test_export import decode
from vfa import fonts
from vfa.media.caption_layout import CaptionFonts, caption_band, wrap
from vfa.media.export import export_clip
from vfa.media.probe import probe

ARABIC = "الأم تبتسم للطفل"
CHINESE = "妈妈对宝宝微笑"
POLISH = "Zażółć gęślą jaźń"
TURKISH = "Iğdır'da çiçekli şeyler"
# a code point no shipped font has: drawn as the font's empty box (.notdef)
NOTDEF = "\U0010fffd"


def band(text: str) -> np.ndarray:
    return np.asarray(caption_band(text, 640, 360), dtype=int)


def test_the_notdef_stand_in_is_in_no_shipped_font():
    assert all(ord(NOTDEF) not in fonts.coverage(path) for path in fonts.caption_fonts())


@pytest.mark.parametrize("char", sorted(set(CHINESE + ARABIC.replace(" ", ""))))
def test_each_chinese_and_arabic_character_draws_its_own_glyph(char):
    drawn, box, empty = band(char), band(NOTDEF), band(" ")
    assert drawn.shape == box.shape == empty.shape
    assert np.abs(drawn - box).sum() > 0
    assert np.abs(drawn - empty).sum() > 0


def test_a_whole_caption_in_each_script_differs_from_empty_boxes():
    for text in (CHINESE, ARABIC, POLISH, TURKISH):
        boxes = " ".join(NOTDEF * len(word) for word in text.split())
        differs = np.abs(band(text) - band(boxes))[:, :, 0] > 40
        assert differs.mean() > 0.01, text


def letters(names: list[str]) -> list[str]:
    return [unicodedata.lookup(f"ARABIC LETTER {name}") for name in names]


def test_arabic_letters_join_and_read_right_to_left():
    layout = CaptionFonts(40).layout
    # beh then teh: seen from the left, teh's final form, then beh's initial form
    glyphs, width = layout("\u0628\u062a")
    assert [g.text for g in glyphs] == letters(["TEH FINAL FORM", "BEH INITIAL FORM"])
    assert glyphs[0].x < glyphs[1].x < width
    # a word of the caption, "الأم": alef, then lam and alef-hamza as one ligature, then
    # meem, alone since alefs never join the letter after them; seen right to left
    glyphs, _ = layout("\u0627\u0644\u0623\u0645")
    ligature = unicodedata.lookup("ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE ISOLATED FORM")
    assert [g.text for g in glyphs] == [*letters(["MEEM"]), ligature, *letters(["ALEF"])]


def test_a_right_to_left_caption_puts_its_first_word_on_the_right():
    layout = CaptionFonts(40).layout
    glyphs, width = layout(f"{ARABIC} {CHINESE}")
    chinese = [g for g in glyphs if g.font == 1]
    arabic = [g for g in glyphs if g.font == 0 and not g.text.isspace()]
    assert "".join(g.text for g in chinese) == CHINESE  # a left-to-right run inside
    assert max(g.x for g in chinese) < min(g.x for g in arabic)
    assert max(g.x for g in arabic) < width


SCRIPTS = st.sampled_from(
    sorted(set(POLISH + TURKISH + ARABIC + CHINESE + "0123456789\u0661\u0662 ") - {"'"})
)


@settings(max_examples=60, deadline=None)
@given(st.text(SCRIPTS, min_size=1, max_size=30))
def test_every_character_is_drawn_once(text):
    glyphs, width = CaptionFonts(24).layout(text)
    drawn = Counter(unicodedata.normalize("NFKC", "".join(g.text for g in glyphs)))
    typed = Counter(text)
    drawn.pop(" ", None)
    typed.pop(" ", None)
    assert drawn == typed
    assert all(-1 <= g.x <= width for g in glyphs)


@settings(max_examples=40, deadline=None)
@given(st.text(st.sampled_from(sorted(set(POLISH + TURKISH + CHINESE))), max_size=30))
def test_left_to_right_text_is_drawn_in_the_order_typed(text):
    glyphs, _ = CaptionFonts(24).layout(text)
    assert "".join(g.text for g in glyphs) == text
    assert [g.x for g in glyphs] == sorted(g.x for g in glyphs)


def test_a_caption_without_spaces_wraps_within_the_width():
    measure = CaptionFonts(30).width
    lines = wrap(CHINESE * 6, measure, 200)
    assert "".join(lines) == CHINESE * 6
    assert len(lines) > 1
    assert all(measure(line) <= 200 for line in lines)


def test_a_burned_caption_draws_chinese_and_arabic_in_the_clip(clips, tmp_path):
    table = probe(clips["cfr25"]).frame_table

    def burned(text: str, name: str) -> np.ndarray:
        out = export_clip(
            clips["cfr25"], table, 10, 11, tmp_path / name, caption=text, burn_caption=True
        )
        image = decode(out).images[0].astype(int)
        return image[-image.shape[0] // 4 :]

    for n, text in enumerate((CHINESE, ARABIC)):
        boxes = " ".join(NOTDEF * len(word) for word in text.split())
        drawn, stand_in = burned(text, f"t{n}.mp4"), burned(boxes, f"b{n}.mp4")
        differs = np.abs(drawn - stand_in).max(axis=2) > 40
        assert differs.mean() > 0.005, text


def test_a_caption_looks_the_same_where_pillow_cannot_shape(monkeypatch):
    """Pillow's wheels shape text only where the system has FriBiDi (rarely on Windows
    or macOS); a caption must not depend on it."""
    from PIL import ImageFont

    text = f"{ARABIC} {CHINESE} {TURKISH}"
    here = band(text)
    monkeypatch.setattr(ImageFont.core, "HAVE_RAQM", False)
    assert np.array_equal(band(text), here)
