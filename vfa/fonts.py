"""The fonts VFA ships in ``vfa/data/fonts``: the one place that says where they are.

PDFs and burned-in captions are set in DejaVu Sans; characters it lacks (Chinese,
Japanese, Korean) come from Droid Sans Fallback. Nothing is looked up on the system, so
a document prints the same on Linux, Windows and macOS. The oblique faces have no Arabic
letters, so italic Arabic falls back to the upright face. The files' origin and licences
are in ``vfa/data/fonts/README.md``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
# fpdf2's style names ("" regular, "B" bold, "I" italic, "BI" bold italic) to DejaVu Sans
SANS_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
CJK_FILE = "DroidSansFallbackFull.ttf"


def sans(style: str = "") -> Path:
    """The DejaVu Sans file for an fpdf2 style ("", "B", "I" or "BI")."""
    return FONT_DIR / SANS_FILES[style]


def upright(style: str = "") -> Path:
    """The upright DejaVu Sans file of the same weight as ``style`` (it has Arabic)."""
    return sans("B" if "B" in style else "")


def cjk() -> Path:
    """The fallback for Chinese, Japanese and Korean characters (one weight)."""
    return FONT_DIR / CJK_FILE


def caption_fonts() -> tuple[Path, ...]:
    """The fonts of a burned-in caption, in the order a character is looked up."""
    return (sans(), cjk())


@cache
def coverage(path: Path) -> frozenset[int]:
    """The code points ``path`` has a glyph for (its best Unicode cmap)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())
