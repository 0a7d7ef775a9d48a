"""A burned-in caption drawn in the fonts VFA ships, in any script.

Pillow shapes text only through its optional Raqm layout, which needs FriBiDi, a library
Pillow's wheels load from the system and which Windows and macOS rarely have; without it
Arabic letters would stand apart and read left to right. So a line is laid out here, the
same way on every machine: the Unicode bidirectional algorithm (fpdf2's implementation)
puts it in visual order; it is split into runs by the first shipped font with a glyph for
each character (DejaVu Sans, then Droid Sans Fallback for Chinese, Japanese, Korean); each
run is shaped by HarfBuzz (uharfbuzz), so Arabic letters take their joined forms; and
Pillow's basic layout draws each glyph, by the character the font maps to it (joined
Arabic forms are encoded as presentation forms), where HarfBuzz placed it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from vfa import fonts as shipped

if TYPE_CHECKING:
    from PIL import Image, ImageDraw

# white type on a dark translucent band: the band's alpha (0 clear .. 255 opaque)
BAND_ALPHA = 160
# the band never covers more than this share of the picture's height
BAND_MAX_SHARE = 0.4
LINE_SPACING = 1.25


@dataclass(frozen=True)
class Glyph:
    """One glyph of a laid-out line: drawn as ``text`` in font ``font`` at ``x``, ``rise``."""

    text: str
    font: int
    x: float  # pixels from the line's left edge to the glyph's origin
    rise: float  # pixels above the baseline (marks over or under a letter)


@dataclass(frozen=True)
class _Face:
    """A font file as HarfBuzz shapes it, with each glyph's character where it has one."""

    font: object  # uharfbuzz.Font
    units_per_em: int
    covered: frozenset[int]
    char_of: dict[int, str]


@cache
def _face(path: Path) -> _Face:
    """The font at ``path`` loaded for shaping (once per process)."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as tt:
        cmap = tt.getBestCmap()
        units = tt["head"].unitsPerEm
        char_of: dict[int, str] = {}
        for code, name in sorted(cmap.items(), reverse=True):
            char_of[tt.getGlyphID(name)] = chr(code)
    face = hb.Face(path.read_bytes())
    return _Face(hb.Font(face), units, frozenset(cmap), char_of)


class CaptionFonts:
    """The shipped caption fonts at ``size`` pixels: measures, lays out and draws lines."""

    def __init__(self, size: int) -> None:
        from PIL import ImageFont

        paths = shipped.caption_fonts()
        self.size = size
        self._faces = [_face(path) for path in paths]
        self._pil = [
            ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
            for path in paths
        ]
        self.ascent = self._pil[0].getmetrics()[0]
        self._widths: dict[str, float] = {}

    def font_for(self, char: str) -> int:
        """The first caption font with a glyph for ``char`` (the first when none has)."""
        code = ord(char)
        for n, face in enumerate(self._faces):
            if code in face.covered:
                return n
        return 0

    def layout(self, line: str) -> tuple[list[Glyph], float]:
        """The glyphs of ``line`` left to right as seen, and the line's width in pixels."""
        glyphs: list[Glyph] = []
        x = 0.0
        for text, font, rtl in self._runs(line):
            placed, advance = self._shape(text, font, rtl)
            glyphs.extend(Glyph(g.text, font, x + g.x, g.rise) for g in placed)
            x += advance
        return glyphs, x

    def width(self, line: str) -> float:
        """How wide ``line`` is drawn, in pixels."""
        if line not in self._widths:
            self._widths[line] = self.layout(line)[1]
        return self._widths[line]

    def draw(
        self, draw: ImageDraw.ImageDraw, line: str, x: float, top: float, fill: tuple[int, ...]
    ) -> None:
        """Draw ``line`` with its left edge at ``x`` and its ascender line at ``top``."""
        baseline = top + self.ascent
        for glyph in self.layout(line)[0]:
            draw.text(
                (x + glyph.x, baseline - glyph.rise),
                glyph.text,
                font=self._pil[glyph.font],
                fill=fill,
                anchor="ls",
            )

    def _runs(self, line: str) -> list[tuple[str, int, bool]]:
        """``line`` as runs (logical text, font, right to left) in visual order."""
        from fpdf.bidi import BidiParagraph

        runs: list[tuple[list[str], int, bool, int]] = []
        for char in BidiParagraph(line).get_reordered_characters():
            font = self.font_for(char.character)
            rtl = char.embedding_level % 2 == 1
            index = char.character_index
            if runs:
                chars, last_font, last_rtl, last_index = runs[-1]
                step = -1 if rtl else 1
                if (font, rtl) == (last_font, last_rtl) and index == last_index + step:
                    chars.append(char.character)
                    runs[-1] = (chars, font, rtl, index)
                    continue
            runs.append(([char.character], font, rtl, index))
        # a right-to-left run is seen reversed: HarfBuzz takes it in logical order
        return [("".join(reversed(c) if rtl else c), font, rtl) for c, font, rtl, _ in runs]

    def _shape(self, text: str, font: int, rtl: bool) -> tuple[list[Glyph], float]:
        """The glyphs of one run, left to right as seen, and its advance in pixels."""
        import uharfbuzz as hb

        face = self._faces[font]
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        hb.shape(face.font, buf, {})
        scale = self.size / face.units_per_em
        glyphs: list[Glyph] = []
        x = 0.0
        seen_clusters: set[int] = set()
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            char = face.char_of.get(info.codepoint) if info.codepoint else None
            if char is None and info.cluster not in seen_clusters:
                # no character shows this glyph (or the font has none): draw the text itself
                char = _cluster_text(text, info.cluster, buf)
            seen_clusters.add(info.cluster)
            if char:
                glyphs.append(Glyph(char, font, x + pos.x_offset * scale, pos.y_offset * scale))
            x += pos.x_advance * scale
        return glyphs, x


def _cluster_text(text: str, cluster: int, buf: object) -> str:
    """The characters of ``text`` that HarfBuzz's ``cluster`` stands for."""
    starts = sorted({info.cluster for info in buf.glyph_infos})  # type: ignore[attr-defined]
    later = [start for start in starts if start > cluster]
    return text[cluster : later[0] if later else len(text)]


def wrap(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Greedy word wrap to ``width`` px; the caption's own line breaks are kept."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        words = paragraph.split()
        if not words:
            continue
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if measure(candidate) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
            while measure(line) > width and len(line) > 1:
                cut = _longest_fit(line, measure, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines or [text.strip()]


def _longest_fit(line: str, measure: Callable[[str], float], width: float) -> int:
    """How many of ``line``'s first characters fit in ``width`` px (at least one)."""
    low, high = 1, len(line) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if measure(line[:mid]) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def caption_band(text: str, width: int, height: int) -> Image.Image:
    """``text`` as white type on a dark translucent band (Pillow "LA") ``width`` px wide.

    The type is large (a fourteenth of the picture's smaller side) and shrinks until the
    band fits in BAND_MAX_SHARE of ``height``; the band's height is even.
    """
    from PIL import Image, ImageDraw

    size = max(14, round(min(width, height) / 14))
    margin = max(8, width // 40)
    while True:
        fonts = CaptionFonts(size)
        lines = wrap(text, fonts.width, width - 2 * margin)
        line_h = round(size * LINE_SPACING)
        band_h = line_h * len(lines) + 2 * max(6, size // 2)
        if band_h <= height * BAND_MAX_SHARE or size <= 10:
            break
        size = max(10, int(size * 0.85))
    # an even height keeps the band's top on a chroma row
    band_h = min(band_h + band_h % 2, height - height % 2)
    band = Image.new("LA", (width, band_h), (0, BAND_ALPHA))
    draw = ImageDraw.Draw(band)
    y = (band_h - line_h * len(lines)) / 2
    for line in lines:
        fonts.draw(draw, line, (width - fonts.width(line)) / 2, y, fill=(255, 255))
        y += line_h
    return band
