"""The progress chart drawn from a bare Progress, its PNG and SVG, and the dialog."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog

from vfa.cli import main
from vfa.errors import InvalidInputError
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.services.progress import Progress, ProgressPoint, ProgressSession
from vfa.services.schemes import SchemeLibrary, get_scheme
from vfa.ui.progress_chart import CODER_COLOURS, ProgressChart, ProgressDialog, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def session(n: int, date: dt.date | None = None) -> ProgressSession:
    return ProgressSession(n, f"Visit {n}", date, n)


def point(s: ProgressSession, coder: str, total: float | None, submitted=True) -> ProgressPoint:
    return ProgressPoint(s.id, s.label, s.date, s.cycle, coder, 1, 1, total, None, submitted)


@pytest.fixture
def progress() -> Progress:
    kips = get_scheme("kips")
    s1, s2, s3, s4 = (session(n, dt.date(2024, 3 * n, 1)) for n in range(1, 5))
    return Progress(
        case_code="FAM-7",
        scheme_id="kips",
        scheme_name=kips.name,
        measure="KIPS mean",
        bands=kips.ratings.bands,
        scale_min=1.0,
        scale_max=5.0,
        sessions=(s1, s2, s3, s4),
        points=(
            point(s1, "Ann", 2.5),
            point(s2, "Ann", None),  # opened, nothing rated: a gap
            point(s2, "Ben", 3.0, submitted=False),
            point(s3, "Ann", 4.25),
            point(s3, "Ben", 4.5),
        ),  # nobody coded visit 4: a session on the axis without points
    )


@pytest.fixture
def chart(qtbot, progress):
    widget = ProgressChart()
    qtbot.addWidget(widget)
    widget.resize(800, 450)
    widget.set_progress(progress)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_one_dot_per_total_and_a_line_per_coder(chart):
    chart.grab()  # paint now
    dots = chart.drawn_dots()
    assert len(dots) == 4  # five runs, one without a total
    assert chart.coders() == ["Ann", "Ben"]
    assert chart.title() == "FAM-7 · Keys to Interactive Parenting Scale (KIPS) — KIPS mean"
    by_total = sorted(dots, key=lambda d: d[1].total)
    ys = [centre.y() for centre, _ in by_total]
    assert ys == sorted(ys, reverse=True)  # a higher total is drawn higher up
    xs = {p.session_label: centre.x() for centre, p in dots}
    assert xs["Visit 1"] < xs["Visit 2"] < xs["Visit 3"]


def test_png_export_is_twice_the_size_and_shows_the_coders(chart, tmp_path):
    written = chart.export(tmp_path / "fam7.png")
    assert written.is_file()
    image = QImage(str(written))
    assert (image.width(), image.height()) == (1600, 900)
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(900, image.bytesPerLine())
    pixels = pixels[:, : 1600 * 3].reshape(900, 1600, 3).astype(int)
    for colour in CODER_COLOURS[:2]:  # each coder's line is on the picture
        c = QColor(colour)
        near = np.abs(pixels - [c.red(), c.green(), c.blue()]).sum(axis=2) < 30
        assert near.sum() > 200


def test_svg_export_is_xml_with_the_case_and_lines(chart, tmp_path):
    written = chart.export(tmp_path / "fam7.svg")
    root = ET.parse(written).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 800 450"
    text = written.read_text(encoding="utf-8")
    assert "FAM-7" in text
    assert root.findtext(f"{SVG}title") == chart.title()
    assert "Visit 2 (2024-06-01): Ann no total; Ben 3\n" in (root.findtext(f"{SVG}desc") or "")
    drawn = [*root.iter(f"{SVG}path"), *root.iter(f"{SVG}polyline")]
    assert drawn  # the coders' lines, the dots and the bands are drawn as shapes


def test_other_formats_are_refused(chart, tmp_path):
    with pytest.raises(InvalidInputError, match=r"\.png or \.svg"):
        chart.export(tmp_path / "fam7.pdf")
    with pytest.raises(InvalidInputError, match="does not exist"):
        chart.export(tmp_path / "missing" / "fam7.png")


def test_an_empty_chart_still_paints(qtbot, progress, tmp_path):
    widget = ProgressChart()
    qtbot.addWidget(widget)
    widget.grab()  # nothing chosen
    empty = dataclasses.replace(progress, points=())
    widget.set_progress(empty)
    widget.grab()
    assert widget.drawn_dots() == []
    assert QImage(str(widget.export(tmp_path / "empty.png"))).width() == 1800  # 900 × 2


def test_nice_ticks():
    assert nice_ticks(1, 5) == [1, 2, 3, 4, 5]
    assert nice_ticks(0, 14) == [0, 2, 4, 6, 8, 10, 12, 14]
    assert nice_ticks(0, 60) == [0, 10, 20, 30, 40, 50, 60]


@pytest.fixture
def coded_case(workspace, clips):
    kips, vig = get_scheme("kips"), get_scheme("vig")
    for n in (1, 2):
        clip_id = clip_service.add_clip(
            workspace, clips["noaudio"], "FAM-3", f"Visit {n}", date=dt.date(2024, n, 1)
        ).clip_id
        run = coding.open_run(workspace, clip_id, kips, "Ann")
        coding.set_rating(workspace, run.id, kips, kips.ratings.items[0].id, 2 + n)
        if n == 1:
            coding.submit_run(workspace, run.id)
            coding.open_run(workspace, clip_id, vig, "Ann")  # coded, but no score to plot
    return workspace


def test_dialog_offers_the_coded_schemes_and_exports(qtbot, coded_case, tmp_path, monkeypatch):
    dialog = ProgressDialog(coded_case, "FAM-3", SchemeLibrary())
    qtbot.addWidget(dialog)
    dialog.resize(900, 600)
    dialog.show()
    assert [dialog.chooser.itemData(i) for i in range(dialog.chooser.count())] == ["kips"]
    dialog.chart.grab()
    assert [p.total for _, p in dialog.chart.drawn_dots()] == [3.0, 4.0]
    dialog.submitted_only.setChecked(True)
    dialog.chart.grab()
    assert [p.total for _, p in dialog.chart.drawn_dots()] == [3.0]

    target = tmp_path / "chart"  # the suffix is added when the name has none
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    written = dialog.export_as(".svg")
    assert written == tmp_path / "chart.svg" and written.is_file()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert dialog.export_as(".png") is None  # cancelled


def test_dialog_for_an_unknown_case_says_so(qtbot, workspace):
    dialog = ProgressDialog(workspace, "FAM-404", SchemeLibrary())
    qtbot.addWidget(dialog)
    assert dialog.chooser.count() == 0
    assert "FAM-404" in dialog.message.text()
    assert not dialog.export_png.isEnabled()


# -- vfa progress --------------------------------------------------------------------------


def test_cli_prints_the_points_as_json(coded_case, capsys):
    argv = ["progress", "--workspace", str(coded_case.path), "--case", "FAM-3", "--scheme", "kips"]
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert json.loads(out) == [
        # one item rated each time: the mean is that rating
        {"session": "Visit 1", "date": "2024-01-01", "cycle": None, "coder": "Ann"}
        | {"total": 3.0, "band": "moderate"},
        {"session": "Visit 2", "date": "2024-02-01", "cycle": None, "coder": "Ann"}
        | {"total": 4.0, "band": "high"},
    ]


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_cli_draws_the_chart(coded_case, capsys, tmp_path, suffix):
    target = tmp_path / f"fam3{suffix}"
    argv = ["progress", "--workspace", str(coded_case.path), "--case", "FAM-3", "--scheme", "kips"]
    code = main([*argv, "--submitted-only", "-o", str(target)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.splitlines() == [
        "FAM-3 · Keys to Interactive Parenting Scale (KIPS) — KIPS mean",
        "Visit 1 (2024-01-01) / Ann: 3.00 (moderate)",
        f"chart -> {target}",
    ]
    if suffix == ".png":
        assert QImage(str(target)).size().toTuple() == (1800, 1040)  # 900 × 520, twice
    else:
        assert "FAM-3" in ET.parse(target).getroot().findtext(f"{SVG}title")


def test_cli_errors_exit_2(coded_case, capsys, tmp_path):
    argv = ["progress", "--workspace", str(coded_case.path), "--scheme", "kips"]
    assert main([*argv, "--case", "FAM-404"]) == 2
    assert "FAM-404" in capsys.readouterr().err
    assert main([*argv, "--case", "FAM-3", "-o", str(tmp_path / "chart.pdf")]) == 2
    assert ".png or .svg" in capsys.readouterr().err
