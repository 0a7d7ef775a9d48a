"""Printable documents (PDF, fpdf2): the family handout, the feedback script, the
reliability report.

Pure Python, no Qt. Text is set in the fonts VFA ships (:mod:`vfa.reports.document`), so
typographic quotes, dashes and a family's names in any language print as typed; should
the shipped regular face be missing (a broken install), the PDF core font Helvetica is
used and the text is reduced to Latin-1 (curly quotes become straight ones, dashes
hyphens, anything else a question mark) rather than failing.
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
