"""The fonts VFA ships: every document prints Polish, Turkish, Arabic and Chinese as typed,
from the package's own files, on any machine."""

from __future__ import annotations

import fnmatch
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

import vfa
from vfa import fonts
from vfa.reports import reliability as rel
from vfa.reports.document import needs_shaping
from vfa.reports.handout import HandoutItem, write_handout
from vfa.reports.script import ScriptItem, write_feedback_script

ROOT = Path(vfa.__file__).resolve().parent.parent
POLISH = "Zażółć gęślą jaźń"
TURKISH = "Iğdır'da çiçekli şeyler"
ARABIC = "الأم تبتسم للطفل"
CHINESE = "妈妈对宝宝微笑"
LANGUAGES = (POLISH, TURKISH, ARABIC, CHINESE)
CASE = "Rodzina Żółć / Aile Iğdır / عائلة / 家庭"


# --- the files -----------------------------------------------------------------


def test_nothing_in_the_package_looks_for_fonts_on_the_system():
    sources = sorted((ROOT / "vfa").rglob("*.py"))
    assert sources
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for place in ("/usr/share/fonts", "/Library/Fonts", "C:\\\\Windows\\\\Fonts"):
            assert place not in text, f"{path} names {place}"


def test_the_fonts_live_in_the_package_with_their_licences():
    assert fonts.FONT_DIR.parent.parent == Path(vfa.__file__).resolve().parent
    faces = [fonts.sans(style) for style in fonts.SANS_FILES] + [fonts.cjk()]
    for face in faces:
        assert face.is_file() and face.read_bytes()[:4] == b"\x00\x01\x00\x00", face
    licences = {p.name: p.read_text(encoding="utf-8") for p in fonts.FONT_DIR.glob("LICENSE*")}
    assert "Bitstream" in licences["LICENSE-DejaVu.txt"]
    assert "Apache License" in licences["LICENSE-DroidSansFallback.txt"]


def test_a_wheel_carries_every_font_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["vfa"]
    shipped = sorted(p for p in fonts.FONT_DIR.iterdir() if p.is_file())
    assert {p.suffix for p in shipped} >= {".ttf", ".txt"}
    for path in shipped:
        relative = path.relative_to(fonts.FONT_DIR.parent.parent).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


@pytest.mark.parametrize("style", list(fonts.SANS_FILES))
def test_every_face_has_the_european_letters_and_a_fallback_has_the_rest(style):
    letters = {c for c in POLISH + TURKISH if c.isalpha()}
    assert {ord(c) for c in letters} <= fonts.coverage(fonts.sans(style))
    arabic = {ord(c) for c in ARABIC if c.isalpha()}
    assert arabic <= fonts.coverage(fonts.upright(style))
    assert {ord(c) for c in CHINESE} <= fonts.coverage(fonts.cjk())


@pytest.mark.parametrize(
    ("text", "shaped"),
    [(POLISH, False), (TURKISH, False), (CHINESE, False), (ARABIC, True), ("שלום", True)],
)
def test_only_text_that_needs_shaping_is_shaped(text, shaped):
    assert needs_shaping(text) is shaped


# --- what a PDF holds ----------------------------------------------------------


def _to_unicode(font) -> dict[int, str]:
    """A font's ToUnicode map: glyph code -> the characters it stands for."""
    data = font["/ToUnicode"].get_data().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, chars in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(code, 16)] = bytes.fromhex(chars).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, start in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            first = bytes.fromhex(start).decode("utf-16-be")
            for n in range(int(lo, 16), int(hi, 16) + 1):
                found[n] = first[:-1] + chr(ord(first[-1]) + n - int(lo, 16))
    return found


def shown(path: Path) -> tuple[set[str], list[str], list[int]]:
    """The embedded fonts' names, the characters each shown glyph stands for, and the
    glyph codes shown that stand for nothing (0 is .notdef)."""
    names: set[str] = set()
    chars: list[str] = []
    unmapped: list[int] = []
    reader = PdfReader(path)
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        maps = {}
        for key, ref in resources.items():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]).split("+")[-1])
            assert font["/Subtype"] == "/Type0", font["/BaseFont"]  # embedded, not a core font
            maps[key] = _to_unicode(font)
        current: dict[int, str] = {}
        saved: list[dict[int, str]] = []  # the font is graphics state: q saves it, Q restores
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                saved.append(current)
            elif operator == b"Q":
                current = saved.pop()
            elif operator == b"Tf":
                current = maps[operands[0]]
            elif operator in (b"Tj", b"TJ"):
                strings = operands[0] if operator == b"TJ" else [operands[0]]
                for string in strings:
                    if not isinstance(string, (bytes, str)):
                        continue  # a kerning number
                    raw = getattr(string, "original_bytes", string)
                    for i in range(0, len(raw), 2):
                        code = int.from_bytes(raw[i : i + 2], "big")
                        if code == 0 or code not in current:
                            unmapped.append(code)
                        else:
                            chars.append(current[code])
    return names, chars, unmapped


def words_text(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def check_every_language_prints(path: Path) -> None:
    """Each language's text reads back; every character is drawn by a real glyph."""
    text = words_text(path)
    for phrase in (POLISH, TURKISH, CHINESE):
        assert phrase in text
    # right-to-left words read back in logical order; the order of the words is the
    # extractor's guess, so each word is looked for on its own
    for word in ARABIC.split():
        assert word in text
    assert "?" not in text and "\ufffd" not in text
    names, chars, unmapped = shown(path)
    assert unmapped == []
    drawn = set("".join(chars))
    for phrase in LANGUAGES:
        missing = {c for c in phrase if not c.isspace()} - drawn
        assert not missing, (phrase, missing)
    for family in ("DejaVuSans", "DroidSansFallback"):
        assert any(name.startswith(family) for name in names), (family, names)


def still(tmp_path: Path) -> Path:
    path = tmp_path / "still.png"
    Image.new("RGB", (640, 360), (40, 120, 200)).save(path)
    return path


def test_a_handout_prints_polish_turkish_arabic_and_chinese(tmp_path):
    picture = still(tmp_path)
    items = [HandoutItem(picture, phrase, phrase) for phrase in LANGUAGES]
    out = write_handout(
        tmp_path / "h.pdf", case_code=CASE, title=" · ".join(LANGUAGES), items=items
    )
    check_every_language_prints(out)
    # the case text is in the footer of both pages
    assert words_text(out).count("Rodzina Żółć / Aile Iğdır") == 2


def test_a_line_that_starts_in_a_fallback_font_leaves_the_next_its_font(tmp_path):
    """A heading that starts in Chinese (bold, from the CJK fallback) or a child's line
    that starts in Arabic (italic, from the upright fallback): what follows still prints."""
    latin = ["You waited for her", "She looked back at you"]
    items = [HandoutItem(still(tmp_path), caption, f"{ARABIC} ok") for caption in latin]
    out = write_handout(
        tmp_path / "h.pdf", case_code="K-1", title=f"{CHINESE} {CHINESE}", note=CHINESE, items=items
    )
    _, chars, unmapped = shown(out)
    assert unmapped == []
    assert set(ARABIC.replace(" ", "")) <= set("".join(chars))
    text = words_text(out)
    for phrase in [CHINESE, *latin, "K-1"]:
        assert phrase in text


def test_arabic_letters_are_joined_in_a_handout(tmp_path):
    """Shaped Arabic shows joined forms: the lam-alef-hamza ligature of "الأم" is one
    glyph standing for two letters, which unshaped text never draws."""
    items = [HandoutItem(still(tmp_path), ARABIC, ARABIC)]
    out = write_handout(tmp_path / "h.pdf", case_code="K-1", title="T", items=items)
    _, chars, _ = shown(out)
    assert "\u0644\u0623" in chars


def test_the_feedback_script_prints_every_language(tmp_path):
    moments = [
        ScriptItem(still(tmp_path), 1000 * i, 1000 * i + 900, phrase, phrase, phrase)
        for i, phrase in enumerate(LANGUAGES)
    ]
    out = write_feedback_script(
        tmp_path / "s.pdf", case_code=CASE, session_label="1", theme=CHINESE, items=moments
    )
    check_every_language_prints(out)


def test_the_reliability_report_prints_every_language(tmp_path):
    coders = ["Żółć", "Iğdır", "مريم", "王芳"]
    rows = ["unit,coder,item,value"]
    for unit in range(1, 7):
        for n, coder in enumerate(coders):
            rows.append(f"u{unit},{coder},i1,{(unit + n % 2) % 5 + 1}")
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("\n".join(rows) + "\n", encoding="utf-8")
    from vfa.services.reliability import ratings_report

    report = ratings_report(ratings)
    out = rel.write_reliability_pdf(tmp_path / "r.pdf", report, None, " · ".join(LANGUAGES))
    check_every_language_prints(out)
    drawn = set("".join(shown(out)[1]))
    for coder in coders:
        assert set(coder) <= drawn, coder


def test_without_the_shipped_fonts_a_document_still_prints_latin(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "FONT_DIR", tmp_path / "no-fonts")
    out = write_handout(
        tmp_path / "h.pdf",
        case_code="K-1",
        title="Plain",
        items=[HandoutItem(still(tmp_path), f"{POLISH} {CHINESE}")],
    )
    text = words_text(out)
    # Latin-1 keeps ó; what it cannot print becomes a question mark, nothing fails
    assert "Za?ó??" in unicodedata.normalize("NFC", text)
