"""The practitioner's feedback script, printed to take into the feedback session.

Titled by the visit's approach (the schemes its moments were tagged with: VIG, VIPP-SD…);
the session's theme at the top, then each moment in the order given (the reel's): its
number and span in the session video (to a tenth of a second, and its frames), a small
still, the caption, the line spoken for the child and the comment the practitioner
prepared. A moment is never split across pages.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vfa.reports import Fonts, check_image, fit, save_pdf

if TYPE_CHECKING:
    from fpdf import FPDF

MARGIN = 18.0  # mm
STILL_W = 55.0  # mm, the still's box beside the text
STILL_H = 40.0
GAP = 5.0
LINE_H = 5.5
BODY_PT = 11


@dataclass(frozen=True)
class ScriptItem:
    """One moment of the script; times are ms in the session video, ``end_ms`` where its
    last frame ends; frames (first and last, both shown) when known."""

    still: str | os.PathLike[str] | None
    start_ms: int
    end_ms: int
    caption: str | None
    child_line: str | None = None
    comment: str | None = None
    first_frame: int | None = None
    last_frame: int | None = None


def clock(t_ms: int) -> str:
    """``m:ss.s`` (``h:mm:ss.s`` from an hour on), to the nearest tenth of a second."""
    tenths = (max(0, int(t_ms)) + 50) // 100
    seconds, tenth = divmod(tenths, 10)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}.{tenth}"
    return f"{minutes}:{seconds:02d}.{tenth}"


def span_text(item: ScriptItem) -> str:
    """``0:02.5–0:03.4 · frames 63–83``: where to find the moment again."""
    span = f"{clock(item.start_ms)}\u2013{clock(item.end_ms)}"
    if item.first_frame is not None and item.last_frame is not None:
        span += f" \u00b7 frames {item.first_frame}\u2013{item.last_frame}"
    return span


def script_title(approach: str | None) -> str:
    """The script's title: the visit's approach, when known."""
    if approach and approach.strip():
        return f"Feedback script \u00b7 {approach.strip()}"
    return "Feedback script"


def write_feedback_script(
    out: str | os.PathLike[str],
    *,
    case_code: str,
    session_label: str,
    theme: str | None,
    items: Sequence[ScriptItem],
    approach: str | None = None,
    force: bool = False,
) -> Path:
    """Write the feedback script PDF to ``out`` (atomically) and return its path.

    Any number of moments; pages are added as needed and numbered in the footer with
    the case code. A still that cannot be read raises ``InvalidInputError`` naming it.
    """
    stills = [check_image(item.still) if item.still is not None else None for item in items]

    from vfa.reports.document import Document

    class _Script(Document):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(fonts.family, "", 8)
            self.set_text_color(110)
            label = f"{case_code} \u00b7 {session_label} \u00b7 page {self.page_no()}/{{nb}}"
            self.cell(0, 5, fonts.text(label), align="C")

    pdf = _Script(orientation="P", unit="mm", format="A4")
    fonts = pdf.typeface
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(fonts.text(f"Feedback script {session_label}"))
    pdf.set_creator("VFA")
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    pdf.set_font(fonts.family, "B", 17)
    pdf.set_text_color(30)
    title = fonts.text(script_title(approach))
    pdf.multi_cell(width, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(fonts.family, "", BODY_PT)
    heading = f"Case {case_code} \u00b7 {session_label}"
    pdf.multi_cell(width, LINE_H, fonts.text(heading), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if theme and theme.strip():
        pdf.set_font(fonts.family, "B", 13)
        text = fonts.text(f"Theme: {theme.strip()}")
        pdf.multi_cell(width, 6.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(GAP)
    for number, (item, still) in enumerate(zip(items, stills, strict=True), start=1):
        _moment(pdf, fonts, number, item, still, width)
    if not items:
        pdf.set_font(fonts.family, "I", BODY_PT)
        pdf.multi_cell(width, LINE_H, fonts.text("No moments chosen yet."))
    return save_pdf(pdf, out, force=force)


def _moment(
    pdf: FPDF,
    fonts: Fonts,
    number: int,
    item: ScriptItem,
    still: tuple[Path, int, int] | None,
    width: float,
) -> None:
    """One moment: heading line, then the still on the left and its texts on the right."""
    text_x = MARGIN + (STILL_W + GAP if still else 0)
    text_w = width - (text_x - MARGIN)
    blocks: list[tuple[str, str, str]] = []  # (style, label, text)
    if item.caption and item.caption.strip():
        blocks.append(("B", "", item.caption.strip()))
    if item.child_line and item.child_line.strip():
        blocks.append(("I", "", f"\u201c{item.child_line.strip()}\u201d"))
    if item.comment and item.comment.strip():
        blocks.append(("", "Comment: ", item.comment.strip()))
    texts = [(style, fonts.text(label + text)) for style, label, text in blocks]
    text_h = 0.0
    for style, text in texts:
        pdf.set_font(fonts.family, style, BODY_PT)
        height = pdf.multi_cell(text_w, LINE_H, text, dry_run=True, output="HEIGHT")
        assert isinstance(height, float | int)
        text_h += float(height) + 1.5
    block_h = 8 + max(text_h, STILL_H if still else 0.0) + GAP
    if pdf.get_y() + min(block_h, 120) > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_draw_color(190)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + width, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_font(fonts.family, "B", 12)
    pdf.set_text_color(30)
    span = f"Moment {number} \u00b7 {span_text(item)}"
    pdf.cell(width, 6.5, fonts.text(span), new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 1
    bottom = top
    if still is not None:
        path, px_w, px_h = still
        w, h = fit(px_w, px_h, STILL_W, STILL_H)
        pdf.image(str(path), x=MARGIN, y=top, w=w, h=h)
        bottom = top + h
    pdf.set_xy(text_x, top)
    for style, text in texts:
        pdf.set_font(fonts.family, style, BODY_PT)
        pdf.set_x(text_x)
        pdf.multi_cell(text_w, LINE_H, text, new_x="LEFT", new_y="NEXT")
        pdf.ln(1.5)
    pdf.set_xy(MARGIN, max(bottom, pdf.get_y()) + GAP)
