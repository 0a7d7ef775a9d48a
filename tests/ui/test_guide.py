"""The user guide (docs/guide) cannot go stale: its pictures are taken from the app by
``guide_scenes.py`` under Xvfb and must still look like what the app shows, at the sizes
listed there; it shows no picture that is not taken, and names only menu entries, keys and
controls VFA has. ``VFA_UPDATE_GUIDE=1`` takes the pictures anew into docs/guide/images."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QMainWindow

from tests.ui.guide_scenes import SHOTS
from tests.ui.help_mentions import documented_keys, mentions, menu_paths, problems, ui_texts
from tests.xvfb import run_under_x, running_xvfb
from vfa.services.schemes import SchemeLibrary
from vfa.ui.actions import build_actions
from vfa.ui.menus import build_menus

HERE = Path(__file__).resolve().parent
GUIDE = HERE.parents[1] / "docs" / "guide"
IMAGES = GUIDE / "images"
PAGES = sorted(GUIDE.glob("*.md"))
UPDATE = os.environ.get("VFA_UPDATE_GUIDE") == "1"
# a picture is still the app's while at most this share of its 8 × 8 pixel blocks differ
# by more than this much grey, and its grey differs by at most this much on average
BLOCK = 8
BLOCK_GREY = 24
CHANGED_BLOCKS = 0.02
MEAN_GREY = 0.01


def shown_images(page: Path) -> list[str]:
    """The pictures a Markdown page shows (``![text](path)``), as written."""
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.read_text(encoding="utf-8"))


def grey_blocks(path: Path) -> np.ndarray:
    """The picture in grey, each 8 × 8 block of pixels as its mean."""
    image = Image.open(path).convert("L")
    small = image.resize((image.width // BLOCK, image.height // BLOCK), Image.Resampling.BOX)
    return np.asarray(small, dtype=float)


def unlike(taken: Path, kept: Path) -> str:
    """Why the kept picture no longer looks like the one just taken ('' when it does)."""
    if not kept.is_file():
        return f"{kept.name}: missing"
    with Image.open(taken) as a, Image.open(kept) as b:
        if a.size != b.size:
            return f"{kept.name}: {b.size[0]}×{b.size[1]}, taken at {a.size[0]}×{a.size[1]}"
    diff = np.abs(grey_blocks(taken) - grey_blocks(kept))
    changed, mean = float((diff > BLOCK_GREY).mean()), float(diff.mean() / 255)
    if changed > CHANGED_BLOCKS or mean > MEAN_GREY:
        return f"{kept.name}: {changed:.1%} of its blocks and {mean:.1%} of its grey differ"
    return ""


def test_the_guide_has_an_index_and_a_page_a_role():
    assert [p.name for p in PAGES] == [
        "coder.md",
        "index.md",
        "supervisor.md",
        "team.md",
        "therapist.md",
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_picture_a_page_shows_is_taken_by_the_scenes_at_its_size(page):
    for shown in shown_images(page):
        path = (page.parent / shown).resolve()
        assert path.parent == IMAGES, f"{page.name}: {shown} is not in docs/guide/images"
        assert path.name in SHOTS, f"{page.name}: {shown} is not a picture guide_scenes takes"
        assert path.is_file(), f"{page.name}: {shown} is missing (VFA_UPDATE_GUIDE=1 takes it)"
        with Image.open(path) as image:
            assert image.size == SHOTS[path.name], f"{shown}: taken at another size"


def test_every_picture_taken_is_shown_and_there_is_no_other():
    shown = {Path(s).name for page in PAGES for s in shown_images(page)}
    assert sorted(SHOTS) == sorted(shown)
    assert sorted(p.name for p in IMAGES.iterdir()) == sorted(SHOTS)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_guide_page_names_only_menu_entries_keys_and_controls_vfa_has(page, qapp):
    host = QMainWindow()
    build_menus(host.menuBar(), build_actions(host, {}))
    found = mentions(page.read_text(encoding="utf-8"))
    keys = documented_keys(SchemeLibrary()())
    assert problems(found, menu_paths(host.menuBar()), keys, ui_texts()) == []
    host.deleteLater()
    for link in found.links:
        if "://" not in link:
            assert (page.parent / link).is_file(), f"{page.name}: no page {link}"


def test_the_comparison_tells_another_view_or_size_apart(tmp_path):
    moments, reel = IMAGES / "moments.png", IMAGES / "reel.png"  # one tab for another
    assert unlike(moments, moments) == ""
    assert unlike(moments, reel).startswith("reel.png: ")
    smaller = tmp_path / "moments.png"
    with Image.open(moments) as image:
        image.crop((0, 0, image.width - 1, image.height)).save(smaller)
    width, height = SHOTS["moments.png"]
    assert unlike(moments, smaller) == (
        f"moments.png: {width - 1}×{height}, taken at {width}×{height}"
    )
    assert unlike(moments, tmp_path / "gone.png") == "gone.png: missing"


@pytest.mark.screenshots
def test_the_pictures_taken_from_the_app_look_like_the_guides(tmp_path):
    taken = tmp_path / "shots"
    taken.mkdir()
    with running_xvfb("1280x1024x24") as display:
        run = run_under_x(HERE / "guide_scenes.py", display, VFA_GUIDE_SHOTS=str(taken))
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert sorted(p.name for p in taken.iterdir()) == sorted(SHOTS)
    if UPDATE:
        IMAGES.mkdir(exist_ok=True)
        for stale in IMAGES.iterdir():
            if stale.name not in SHOTS:
                stale.unlink()
        for name in SHOTS:
            shutil.copyfile(taken / name, IMAGES / name)
    stale = [why for name in SHOTS if (why := unlike(taken / name, IMAGES / name))]
    assert stale == [], (
        "the guide's pictures no longer show the app; take them anew with "
        "VFA_UPDATE_GUIDE=1 (python -m pytest tests/ui/test_guide.py) and look at them"
    )
