"""The family handout: the moments' stills with their captions, to take home.

One or two A4 pages, three stills a page, each with its caption and, where there is one,
what the child might be saying (in italics, in quotes). The family's copy carries no
coding data: nothing but the title, an optional note, the stills, their captions and the
case's pseudonymous code in small type at the foot of each page is printed, and the
PDF's metadata holds only the title.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vfa.errors import InvalidInputError
from vfa.reports import Fonts, check_image, fit, save_pdf

if TYPE_CHECKING:
    from fpdf import FPDF

PER_PAGE = 3
MAX_STILLS = 2 * PER_PAGE
MARGIN = 18.0  # mm
FOOTER_H = 12.0  # mm kept free at the foot of each page for the case code
GAP = 4.0  # mm between a still and its caption, and between slots
CAPTION_PT = 13
MIN_CAPTION_PT = 8  # a long caption is set down to this size, then shortened
MIN_IMAGE_H = 25.0  # mm: a still never shrinks below this to make room for text
TITLE_PT = 20


@dataclass(frozen=True)
class HandoutItem:
    """One moment for the family: its still (PNG), caption and optional child line."""

    image: str | os.PathLike[str]
    caption: str
    child_line: str | None = None


def write_handout(
    out: str | os.PathLike[str],
    *,
    case_code: str,
    title: str,
    items: Sequence[HandoutItem],
    note: str | None = None,
    force: bool = False,
) -> Path:
    """Write the handout PDF to ``out`` (atomically) and return its path.

    Up to three stills make one page, four to six two; more raise
    :class:`InvalidInputError`, as does a still that cannot be read (named in the
    message). Each page's stills share its height equally; a still shrinks to leave
    room for a long caption; a caption too long for its band is set smaller and then
    shortened with an ellipsis, so nothing runs off the page or into the next still.
    An existing ``out`` is replaced only with ``force`` (see :mod:`vfa.outputs`).
    """
    if not items:
        raise InvalidInputError("a handout needs at least one still")
    if len(items) > MAX_STILLS:
        raise InvalidInputError(
            f"a handout holds at most {MAX_STILLS} stills ({len(items)} were chosen)"
        )
    stills = [check_image(item.image) for item in items]

    from vfa.reports.document import Document

    class _Handout(Document):
        def footer(self) -> None:
            self.set_y(-FOOTER_H)
            self.set_font(fonts.family, "", 8)
            self.set_text_color(110)
            self.cell(0, 5, fonts.text(case_code), align="C")

    pdf = _Handout(orientation="P", unit="mm", format="A4")
    fonts = pdf.typeface
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.set_title(fonts.text(title))
    pdf.set_creator("VFA")
    width = pdf.w - 2 * MARGIN
    for page_start in range(0, len(items), PER_PAGE):
        pdf.add_page()
        if page_start == 0:
            _heading(pdf, fonts, title, note, width)
        top = pdf.get_y()
        slot_h = (pdf.h - FOOTER_H - MARGIN / 2 - top) / PER_PAGE
        for offset in range(PER_PAGE):
            n = page_start + offset
            if n >= len(items):
                break
            _slot(pdf, fonts, items[n], stills[n], top + offset * slot_h, slot_h, width)
    return save_pdf(pdf, out, force=force)


def _heading(pdf: FPDF, fonts: Fonts, title: str, note: str | None, width: float) -> None:
    pdf.set_font(fonts.family, "B", TITLE_PT)
    pdf.set_text_color(30)
    pdf.multi_cell(width, 9, fonts.text(title), align="C", new_x="LMARGIN", new_y="NEXT")
    if note and note.strip():
        pdf.ln(2)
        pdf.set_font(fonts.family, "", 11)
        pdf.multi_cell(width, 5.5, fonts.text(note.strip()), align="C")
    pdf.ln(GAP)


def _slot(
    pdf: FPDF,
    fonts: Fonts,
    item: HandoutItem,
    still: tuple[Path, int, int],
    top: float,
    height: float,
    width: float,
) -> float:
    """One still and its text in a band of the page; returns where the band's content
    ends. The still shrinks to leave room for the text; text too long for what is left
    is set smaller, then shortened with an ellipsis, so nothing runs past the band."""
    caption = fonts.text(" ".join(item.caption.split()))
    child = " ".join(item.child_line.split()) if item.child_line else ""
    child_text = fonts.text(f"\u201c{child}\u201d") if child else ""
    budget = height - MIN_IMAGE_H - 2 * GAP
    size, caption, child_text = _fit_texts(pdf, fonts, caption, child_text, width, budget)
    line_h = size * 0.5
    text_h = _height(pdf, fonts, "", size, width, caption)
    child_h = _height(pdf, fonts, "I", size, width, child_text)
    image_max_h = max(MIN_IMAGE_H, height - text_h - child_h - 2 * GAP)
    path, px_w, px_h = still
    w, h = fit(px_w, px_h, width, image_max_h)
    pdf.image(str(path), x=MARGIN + (width - w) / 2, y=top, w=w, h=h)
    pdf.set_text_color(30)
    pdf.set_xy(MARGIN, top + h + GAP / 2)
    if caption:
        pdf.set_font(fonts.family, "", size)
        pdf.multi_cell(width, line_h, caption, align="C", new_x="LMARGIN", new_y="NEXT")
    if child_text:
        pdf.set_font(fonts.family, "I", size)
        pdf.multi_cell(width, line_h, child_text, align="C", new_x="LMARGIN", new_y="NEXT")
    return pdf.get_y()


def _fit_texts(
    pdf: FPDF, fonts: Fonts, caption: str, child: str, width: float, budget: float
) -> tuple[float, str, str]:
    """The type size and texts that fit ``budget`` mm: the caption size if they fit,
    else smaller down to MIN_CAPTION_PT, else shortened (the child line to a third)."""

    def total(size: float, a: str, b: str) -> float:
        return _height(pdf, fonts, "", size, width, a) + _height(pdf, fonts, "I", size, width, b)

    size = float(CAPTION_PT)
    while size > MIN_CAPTION_PT and total(size, caption, child) > budget:
        size -= 1
    if total(size, caption, child) <= budget:
        return size, caption, child
    if child:
        child_max = budget / 3 if caption else budget
        if _height(pdf, fonts, "I", size, width, child) > child_max:
            child = _shorten(pdf, fonts, "I", size, width, child, child_max, closing="\u201d")
    caption_max = budget - _height(pdf, fonts, "I", size, width, child)
    caption = _shorten(pdf, fonts, "", size, width, caption, caption_max)
    return size, caption, child


def _shorten(
    pdf: FPDF,
    fonts: Fonts,
    style: str,
    size: float,
    width: float,
    text: str,
    max_h: float,
    closing: str = "",
) -> str:
    """The longest start of ``text`` (cut at a space where there is one) that fits
    ``max_h`` mm with an ellipsis (and ``closing``) after it."""
    if _height(pdf, fonts, style, size, width, text) <= max_h:
        return text
    ellipsis = fonts.text("\u2026" + closing)
    low, high = 0, len(text)
    while low < high:  # the longest prefix whose shortened form fits
        mid = (low + high + 1) // 2
        if _height(pdf, fonts, style, size, width, _cut(text, mid) + ellipsis) <= max_h:
            low = mid
        else:
            high = mid - 1
    return _cut(text, low) + ellipsis if low else ""


def _cut(text: str, length: int) -> str:
    head = text[:length]
    if length < len(text) and " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip()


def _height(pdf: FPDF, fonts: Fonts, style: str, size: float, width: float, text: str) -> float:
    """Height (mm) ``text`` takes at ``size`` pt in ``style``, wrapped to ``width``."""
    if not text:
        return 0.0
    pdf.set_font(fonts.family, style, size)
    height = pdf.multi_cell(width, size * 0.5, text, dry_run=True, output="HEIGHT")
    assert isinstance(height, float | int)
    return float(height)
