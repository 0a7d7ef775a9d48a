"""Notes shown beside what they are about (a language hint, the reel's guidance, a
refused row of an import) take their level's colour from one helper, readable on the
window's background; no widget colours its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette

from tests.ui.test_exchange_dialogs import coding_file as coding_file  # fixtures
from tests.ui.test_exchange_dialogs import ws as ws
from vfa.ui.import_dialog import ImportDialog
from vfa.ui.messages import Level, inline_brush, inline_label

UI = Path(__file__).resolve().parents[2] / "vfa" / "ui"


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def shown_colour(label) -> QColor:
    """The darkest pixel of the label as drawn: the colour of its text."""
    image = label.grab().toImage()
    return min(
        (image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())),
        key=luminance,
    )


@pytest.mark.parametrize("level", list(Level))
def test_an_inline_note_wraps_and_is_drawn_readable_in_its_levels_colour(qtbot, level):
    label = inline_label(level, "note")
    qtbot.addWidget(label)
    label.setText("█" * 3)
    label.resize(200, 40)
    assert label.objectName() == "note" and label.wordWrap()
    drawn = shown_colour(label)
    assert drawn.name() == inline_brush(level).color().name()  # the same colour everywhere
    background = label.palette().color(QPalette.ColorRole.Window)
    assert contrast(drawn, background) >= 4.5  # WCAG AA for ordinary text


def test_the_levels_are_told_apart():
    names = {inline_brush(level).color().name() for level in Level}
    assert len(names) == len(Level)


def test_no_widget_colours_its_own_note():
    own = [
        f"{path.name}:{n}"
        for path in sorted(UI.glob("*.py"))
        if path.name != "messages.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"setStyleSheet\(.*\bcolou?r\s*:", line)
    ]
    assert own == []


def test_a_refused_import_row_is_in_the_error_colour(qtbot, ws, coding_file):
    dialog = ImportDialog(ws)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planned, timeout=20_000):
        dialog.set_file(str(coding_file))
    dialog.scheme.setCurrentIndex(dialog.scheme.findData("kips"))
    qtbot.waitUntil(
        lambda: dialog.plan is not None and dialog.plan.scheme.id == "kips", timeout=20_000
    )
    refused = dialog.problems.item(0)
    assert refused.text().startswith("Refused — ")
    assert refused.foreground().color() == inline_brush(Level.ERROR).color()
