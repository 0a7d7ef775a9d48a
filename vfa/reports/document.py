"""The FPDF every VFA document is made with, set in the fonts VFA ships (:mod:`vfa.fonts`).

DejaVu Sans in four styles sets the text. A character the current face lacks comes from
a fallback: the upright DejaVu Sans of the same weight (the oblique faces have no Arabic
letters), then Droid Sans Fallback (Chinese, Japanese, Korean). Text in a script that
needs shaping (Arabic, Hebrew, or letters with combining marks) is shaped by HarfBuzz
(uharfbuzz): Arabic letters join and right-to-left runs read right to left. The
fallbacks are loaded and the shaping switched on the first time a text needs them (fpdf2
looks for a fallback only once one is set), so a document in a European language costs
no more than before.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from fpdf import FPDF
from fpdf.fonts import TTFFont

from vfa import fonts as shipped
from vfa.reports import Fonts

FAMILY = "DejaVu"
UPRIGHT_FAMILY = "DejaVu Upright"
CJK_FAMILY = "Droid Sans Fallback"
CORE_FAMILY = "Helvetica"
# bidirectional classes of right-to-left letters and of Arabic digits
_RTL_CLASSES = frozenset(("R", "AL", "AN", "RLE", "RLO", "RLI"))
# general categories of combining marks (Arabic vowels, Indic vowel signs …)
_MARK_CATEGORIES = frozenset(("Mn", "Mc", "Me"))


def needs_shaping(text: str) -> bool:
    """Whether ``text`` prints right only when shaped (right-to-left or combining marks)."""
    return any(
        unicodedata.bidirectional(c) in _RTL_CLASSES or unicodedata.category(c) in _MARK_CATEGORIES
        for c in text
        if ord(c) > 0x2FF
    )


class Document(FPDF):
    """An FPDF with the shipped fonts registered; ``typeface`` says how to set text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fallbacks_loaded = False
        self.typeface = self._install()

    def _install(self) -> Fonts:
        """Register DejaVu Sans; without its regular face, the core font (Latin-1 only)."""
        regular = shipped.sans()
        if not regular.is_file():
            self._fallbacks_loaded = True
            return Fonts(CORE_FAMILY, unicode=False)
        for style in shipped.SANS_FILES:
            path = shipped.sans(style)
            self.add_font(FAMILY, style, str(path if path.is_file() else regular))
        return Fonts(FAMILY, unicode=True)

    def normalize_text(self, text: str) -> str:
        """``text`` as fpdf2 takes it; fallbacks and shaping are switched on once needed."""
        text = super().normalize_text(text)
        font = self.current_font
        if not isinstance(font, TTFFont):
            return text
        if any(ord(c) not in font.cmap for c in text if c not in "\r\n"):
            if not self._fallbacks_loaded:
                self._fallbacks_loaded = True
                self._load_fallbacks()
            if self.page and not self.current_font_is_set_on_page:
                # fpdf2 2.8 sets the font of a line that starts in a fallback font inside
                # the line's own q..Q and then takes it as set for the page, so the next
                # line shows text with no font: set it for the page first
                # (tests/unit/test_fonts_shipped.py checks it after an upgrade)
                self._out(self._set_font_for_page(font, self.font_size_pt))
        if not self.text_shaping and needs_shaping(text):
            self.set_text_shaping(True)
        return text

    def _load_fallbacks(self) -> None:
        """Register the upright DejaVu faces (in every style) and the CJK font."""
        families = []
        if all(shipped.upright(style).is_file() for style in shipped.SANS_FILES):
            for style in shipped.SANS_FILES:
                self.add_font(UPRIGHT_FAMILY, style, str(shipped.upright(style)))
            families.append(UPRIGHT_FAMILY)
        if shipped.cjk().is_file():
            self.add_font(CJK_FAMILY, "", str(shipped.cjk()))
            families.append(CJK_FAMILY)
        if families:
            self.set_fallback_fonts(families, exact_match=False)
