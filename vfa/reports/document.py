"""The FPDF every VFA document is made with, set in the fonts VFA ships (:mod:`vfa.fonts`).

DejaVu Sans in four styles sets the text. A character the current face lacks comes from
a fallback: the upright DejaVu Sans of the same weight (the oblique faces have no Arabic
letters), then Droid Sans Fallback (Chinese, Japanese, Korean). Text in a script that
needs shaping (Arabic, Hebrew, or letters with combining marks) is shaped by HarfBuzz
(uharfbuzz): Arabic letters join and right-to-left runs read right to left. The
fallbacks and the shaping are switched on the first time a text needs them, so a
document in a European language costs no more than before.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from fpdf import FPDF

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
        """``text`` as fpdf2 takes it; shaping is switched on once a text needs it."""
        text = super().normalize_text(text)
        if self.is_ttf_font and not self.text_shaping and needs_shaping(text):
            self.set_text_shaping(True)
        return text

    def get_fallback_font(self, char: str, style: str = "") -> str | None:
        """The fallback font with a glyph for ``char``, loading the fallbacks on first use."""
        if not self._fallbacks_loaded:
            self._fallbacks_loaded = True
            self._load_fallbacks()
        return super().get_fallback_font(char, style)

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
