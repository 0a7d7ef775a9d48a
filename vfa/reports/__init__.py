"""Printable documents (PDF, fpdf2): the family handout and the feedback script.

Pure Python, no Qt. Text is set in DejaVu Sans so that typographic quotes, dashes and
names in any European language print as typed; where the font is missing, the PDF core
font Helvetica is used and the text is reduced to Latin-1 (curly quotes become straight
ones, dashes hyphens, anything else a question mark) rather than failing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vfa.errors import InvalidInputError, VfaError
from vfa.outputs import check_target, write_bytes

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
FAMILY = "DejaVu"
CORE_FAMILY = "Helvetica"

_LATIN1 = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


class ReportError(VfaError):
    """A document could not be written."""


@dataclass(frozen=True)
class Fonts:
    """The family a document is set in and whether it can print any Unicode text."""

    family: str
    unicode: bool

    def text(self, value: str) -> str:
        """``value`` as this font can print it (Latin-1 only for the core font)."""
        if self.unicode:
            return value
        return value.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def install_fonts(pdf: FPDF) -> Fonts:
    """Register DejaVu Sans (regular, bold, italic, bold italic) with ``pdf``.

    A missing style falls back to the regular face; without the regular face the core
    font is used.
    """
    regular = FONT_DIR / FONT_FILES[""]
    if not regular.is_file():
        return Fonts(CORE_FAMILY, unicode=False)
    for style, name in FONT_FILES.items():
        path = FONT_DIR / name
        pdf.add_font(FAMILY, style, str(path if path.is_file() else regular))
    return Fonts(FAMILY, unicode=True)


def check_image(path: str | os.PathLike[str]) -> tuple[Path, int, int]:
    """An image file's path and pixel size; InvalidInputError naming it when unreadable."""
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    if not p.is_file():
        raise InvalidInputError(f"{p}: still not found")
    try:
        with Image.open(p) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError) as exc:
        raise InvalidInputError(f"{p}: not an image VFA can read ({exc})") from exc
    return p, width, height


def fit(width: int, height: int, max_w: float, max_h: float) -> tuple[float, float]:
    """The largest size of ``width`` x ``height``'s aspect within ``max_w`` x ``max_h``."""
    scale = min(max_w / width, max_h / height)
    return width * scale, height * scale


def save_pdf(pdf: FPDF, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write ``pdf`` to ``out`` (a ``.pdf`` name) through :mod:`vfa.outputs`: whole or not
    at all, never over a link or a device, over an existing file only with ``force``."""
    check_target(out, force=force, suffixes=(".pdf",))
    try:
        data = bytes(pdf.output())
    except (OSError, ValueError, RuntimeError) as exc:
        raise ReportError(f"{out}: the PDF could not be made ({exc})") from exc
    return write_bytes(out, data, force=force, suffixes=(".pdf",))
