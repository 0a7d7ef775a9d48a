"""The family handout and the feedback script (PDF)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

import vfa.fonts
from vfa.errors import InvalidInputError
from vfa.reports.handout import HandoutItem, write_handout
from vfa.reports.script import ScriptItem, write_feedback_script

CASE = "K-4821"
TITLE = "Our moments together"
UNICODE_CAPTION = (
    "You waited, and she turned to you \u2014 \u2018I like it when you wait for me\u2019"
)
# words of coding data that must never reach a family's handout
CODING_WORDS = ["VIPP", "CARE", "Sensitivity", "score", "SENS", "scheme", "rating"]


def stills(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        size = (360, 640) if i % 2 else (640, 360)  # portrait and landscape
        path = folder / f"still{i}.png"
        Image.new("RGB", size, (30 * i % 255, 120, 200)).save(path)
        paths.append(path)
    return paths


def items(folder: Path, count: int) -> list[HandoutItem]:
    return [
        HandoutItem(
            path,
            UNICODE_CAPTION if i == 0 else f"Moment {i + 1}: you smiled back",
            "Look at me, I\u2019m here" if i % 2 == 0 else None,
        )
        for i, path in enumerate(stills(folder, count))
    ]


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.mark.parametrize(("count", "pages"), [(1, [1]), (3, [3]), (4, [3, 1]), (5, [3, 2])])
def test_three_stills_a_page(tmp_path, count, pages):
    out = write_handout(
        tmp_path / "h.pdf", case_code=CASE, title=TITLE, items=items(tmp_path, count)
    )
    reader = PdfReader(out)
    assert [len(page.images) for page in reader.pages] == pages


def test_the_case_code_is_on_every_page_and_the_captions_survive(tmp_path):
    chosen = items(tmp_path, 5)
    out = write_handout(
        tmp_path / "h.pdf", case_code=CASE, title=TITLE, items=chosen, note="For you to keep."
    )
    texts = page_texts(out)
    assert len(texts) == 2
    assert all(CASE in text for text in texts)
    everything = "\n".join(texts)
    assert TITLE in texts[0] and TITLE not in texts[1]
    assert UNICODE_CAPTION in everything
    assert "\u201cLook at me, I\u2019m here\u201d" in everything  # the child's line, in quotes
    for item in chosen:
        assert item.caption in everything


def test_the_handout_carries_nothing_but_what_was_given(tmp_path):
    chosen = items(tmp_path, 3)
    note = "Three moments from our video."
    out = write_handout(tmp_path / "h.pdf", case_code=CASE, title=TITLE, items=chosen, note=note)
    rest = " ".join(page_texts(out))
    for given in [TITLE, note, CASE, *(i.caption for i in chosen)]:
        rest = rest.replace(given, " ")
    for item in chosen:
        if item.child_line:
            rest = rest.replace(f"\u201c{item.child_line}\u201d", " ")
    assert rest.split() == []
    metadata = " ".join(str(v) for v in (PdfReader(out).metadata or {}).values())
    for word in CODING_WORDS:
        assert word.lower() not in rest.lower()
        assert word.lower() not in metadata.lower()


def test_more_than_six_stills_are_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="at most 6 stills"):
        write_handout(tmp_path / "h.pdf", case_code=CASE, title=TITLE, items=items(tmp_path, 7))
    assert not (tmp_path / "h.pdf").exists()


def test_a_missing_still_is_named(tmp_path):
    chosen = [HandoutItem(tmp_path / "gone.png", "A caption", None)]
    with pytest.raises(InvalidInputError, match=r"gone\.png"):
        write_handout(tmp_path / "h.pdf", case_code=CASE, title=TITLE, items=chosen)


def test_the_pdf_is_written_whole_or_not_at_all(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    write_handout(folder / "h.pdf", case_code=CASE, title=TITLE, items=items(tmp_path, 2))
    assert [p.name for p in folder.iterdir()] == ["h.pdf"]
    assert (folder / "h.pdf").read_bytes().startswith(b"%PDF")


def test_without_dejavu_the_core_font_prints_plain_quotes(tmp_path, monkeypatch):
    monkeypatch.setattr(vfa.fonts, "FONT_DIR", tmp_path / "no-fonts")
    out = write_handout(tmp_path / "h.pdf", case_code=CASE, title=TITLE, items=items(tmp_path, 1))
    text = page_texts(out)[0]
    assert "You waited, and she turned to you - 'I like it when you wait for me'" in text


def test_the_feedback_script_lists_every_moment_in_order(tmp_path):
    paths = stills(tmp_path, 12)
    moments = [
        ScriptItem(
            paths[i] if i != 3 else None,
            start_ms=3_600_000 + i * 61_000,
            end_ms=3_600_000 + i * 61_000 + 9_500,
            caption=f"Caption {i + 1} \u2014 you waited",
            child_line="I like it" if i % 2 == 0 else None,
            comment=f"Comment {i + 1}: notice how she looks back at you. " * 4,
        )
        for i in range(12)
    ]
    out = write_feedback_script(
        tmp_path / "script.pdf",
        case_code=CASE,
        session_label="Session 3",
        theme="Exploration and attachment",
        items=moments,
    )
    reader = PdfReader(out)
    assert len(reader.pages) > 1
    assert sum(len(page.images) for page in reader.pages) == 11
    texts = [page.extract_text() for page in reader.pages]
    assert all(CASE in text for text in texts)
    everything = "\n".join(texts)
    assert everything.index("Exploration and attachment") < everything.index("Moment 1 ")
    numbers = [int(n) for n in re.findall(r"Moment (\d+) ", everything)]
    assert numbers == list(range(1, 13))
    # moment 4 (i = 3) runs 1:03:03.0 to 1:03:12.5
    assert "1:03:03.0\u20131:03:12.5" in everything
    assert "Caption 12 \u2014 you waited" in everything
    assert "\u201cI like it\u201d" in everything
    assert "Comment 12" in everything


def test_a_script_without_moments_still_prints(tmp_path):
    out = write_feedback_script(
        tmp_path / "s.pdf", case_code=CASE, session_label="Session 1", theme=None, items=[]
    )
    assert len(PdfReader(out).pages) == 1
