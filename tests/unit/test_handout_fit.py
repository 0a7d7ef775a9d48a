"""Long captions stay on their own part of the handout: set smaller, then shortened with
an ellipsis, never running into the next still or off the page."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from vfa.reports.handout import FOOTER_H, HandoutItem, write_handout

MM = 72 / 25.4  # PDF points per mm
SENTENCE = "You waited for her to look up and then you smiled back at her gently"
WORDS = SENTENCE.split(" ")


def long_text(chars: int) -> str:
    words = (WORDS * (chars // 20 + 1))[: chars // 5]
    return " ".join(words)[:chars]


def stills(tmp_path, count: int, size=(1280, 720)):
    paths = []
    for n in range(count):
        path = tmp_path / f"{n}.png"
        Image.fromarray(np.full((size[1], size[0], 3), 40 * n, np.uint8)).save(path)
        paths.append(path)
    return paths


def layout(pdf_path):
    """Per page: the images' vertical spans and every text run's baseline (PDF points)."""
    pages = []
    for page in PdfReader(pdf_path).pages:
        images: list[tuple[float, float]] = []
        texts: list[tuple[float, str]] = []

        def before(op, args, cm, tm, images=images):
            if op == b"Do":
                images.append((cm[5], cm[5] + cm[3]))

        def text(t, cm, tm, font, size, texts=texts):
            if t.strip():
                texts.append((tm[5] * cm[3] + cm[5], t))

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        pages.append((float(page.mediabox.height), images, texts))
    return pages


def check_nothing_overflows(pdf_path, case_code: str) -> list[str]:
    words = []
    for height, images, texts in layout(pdf_path):
        assert images
        for y, t in texts:
            words.append(t)
            assert 0 < y < height, t
            if t.strip() == case_code:
                continue
            assert y > FOOTER_H * MM, f"{t!r} runs into the foot of the page"
            for bottom, top in images:
                assert not bottom < y < top, f"{t!r} runs over a still"
    return words


@pytest.mark.parametrize("count", [1, 3, 6])
def test_the_longest_captions_allowed_stay_in_their_place(tmp_path, count):
    items = [HandoutItem(path, long_text(500), long_text(500)) for path in stills(tmp_path, count)]
    out = write_handout(tmp_path / "h.pdf", case_code="FAM-7", title="Moments", items=items)
    text = " ".join(check_nothing_overflows(out, "FAM-7"))
    assert "You waited" in text


def test_text_longer_than_a_band_is_shortened_with_an_ellipsis(tmp_path):
    (path,) = stills(tmp_path, 1, size=(400, 1200))  # a tall still leaves little room
    items = [HandoutItem(path, long_text(6000), long_text(3000))] * 3
    out = write_handout(tmp_path / "h.pdf", case_code="FAM-7", title="Moments", items=items)
    words = check_nothing_overflows(out, "FAM-7")
    assert "\u2026" in "".join(words)


def test_a_caption_without_spaces_is_wrapped_not_run_off(tmp_path):
    items = [HandoutItem(p, "x" * 500, "y" * 500) for p in stills(tmp_path, 3)]
    out = write_handout(tmp_path / "h.pdf", case_code="FAM-7", title="Moments", items=items)
    check_nothing_overflows(out, "FAM-7")
