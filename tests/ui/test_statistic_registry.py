"""The registry of ratings statistics: a statistic registered in one place appears in the
JSON, the CLI text, the window's table, the PDF and the CSV, and nowhere once removed."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from vfa.cli import main
from vfa.domain.rating_statistics import (
    Ratings,
    Statistic,
    pair_statistics,
    register,
    statistics,
    unregister,
)
from vfa.reports import reliability as rel
from vfa.services.reliability import ratings_report
from vfa.services.reliability_runs import WorkspaceAgreement
from vfa.ui.reliability import ReliabilityWindow
from vfa.ui.session import CodingSession

KEY = "toy_mean_difference"
TITLE = "Toy mean difference"
METHODS = "Toy mean difference: the mean absolute difference of the first two coders."
RATINGS = "unit,coder,item,value\n" + "".join(
    f"u{u},{c},i1,{v}\n"
    for u, (a, b) in enumerate([(1, 1), (2, 4), (4, 4), (5, 4), (3, 3)])
    for c, v in (("A", a), ("B", b))
)
EXPECTED = (0 + 2 + 0 + 1 + 0) / 5  # written from the rows above, not read from VFA


def mean_difference(ratings: Ratings) -> tuple[float | None, None]:
    x = ratings.matrix
    both = ~np.isnan(x[:, :2]).any(axis=1)
    if not both.any():
        return None, None
    return float(np.abs(x[both, 0] - x[both, 1]).mean()), None


@pytest.fixture
def toy():
    register(Statistic(KEY, TITLE, "toy Δ", METHODS, mean_difference, has_ci=False, width=26.0))
    try:
        yield
    finally:
        unregister(KEY)


@pytest.fixture
def ratings(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(RATINGS)
    return path


def cli(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def window_cells(qtbot, workspace, agreement) -> dict:
    """The reliability window's ratings table showing ``agreement``: its first row's
    cells by column title."""
    window = ReliabilityWindow(CodingSession.bare(workspace, coder="Sue"), None)
    qtbot.addWidget(window)
    window.ratings.show_result(WorkspaceAgreement("kips", agreement, (1, 2)))
    table = window.ratings.table
    titles = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return {title: table.item(0, c) for c, title in enumerate(titles)}


def pdf_text(path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_a_registered_statistic_is_in_the_json_cli_window_pdf_and_csv(
    toy, ratings, capsys, qtbot, workspace, tmp_path
):
    for argv in (("--json", "reliability", ratings), ("reliability", ratings, "--json")):
        code, out, _ = cli(capsys, *argv)
        data = json.loads(out)
        assert code == 0 and data["items"]["i1"][KEY] == pytest.approx(EXPECTED)
        assert f"{KEY}_ci" not in data["items"]["i1"]  # it has no CI
        assert KEY not in data["items"]["i1"]["landis_koch"]
    code, out, _ = cli(capsys, "reliability", ratings)
    header, row = out.splitlines()[1:3]
    assert code == 0 and "toy Δ" in header and row.split()[-1] == f"{EXPECTED:.2f}"

    agreement = ratings_report(ratings)
    cells = window_cells(qtbot, workspace, agreement)
    assert "toy Δ" in cells
    assert cells["toy Δ"].text() == f"{EXPECTED:.2f}"

    text = pdf_text(rel.write_reliability_pdf(tmp_path / "r.pdf", agreement, None, "Toy"))
    assert TITLE in text and METHODS in text and f"{EXPECTED:.2f}" in text
    rows = rel.report_rows(agreement)
    found = next(r for r in rows if r["item"] == "i1" and r["statistic"] == KEY)
    assert found["value"] == pytest.approx(EXPECTED) and found["ci_low"] is None


def test_an_unregistered_statistic_is_gone_from_every_view(ratings, capsys, tmp_path):
    register(Statistic(KEY, TITLE, "toy Δ", METHODS, mean_difference, has_ci=False))
    unregister(KEY)
    assert KEY not in {s.key for s in statistics()}
    _, out, _ = cli(capsys, "reliability", ratings, "--json")
    assert KEY not in json.loads(out)["items"]["i1"]
    _, out, _ = cli(capsys, "reliability", ratings)
    assert "toy" not in out
    agreement = ratings_report(ratings)
    text = pdf_text(rel.write_reliability_pdf(tmp_path / "r.pdf", agreement, None, "Toy"))
    assert TITLE not in text and METHODS not in text


@pytest.mark.parametrize("key", ["exact_agreement", "n_units", "pearson_r", "landis_koch"])
def test_a_key_already_taken_is_refused(key):
    before = statistics()
    with pytest.raises(ValueError, match="already registered"):
        register(Statistic(key, "x", "x", "x", mean_difference))
    assert statistics() == before


def test_every_view_lists_the_registry():
    from vfa.reports.statistic_text import rating_methods
    from vfa.ui.reliability import columns

    shown = statistics()
    assert [key for _title, key in columns()][1:] == [s.key for s in statistics("window")]
    assert set(statistics("window")) <= set(shown) and set(statistics("cli")) <= set(shown)
    methods = rating_methods()
    for statistic in statistics("report"):
        assert statistic.methods in methods
    assert len(methods) == len(set(methods))  # a sentence shared by statistics is written once


@pytest.mark.parametrize("scheme_id", ["kips", "care_index_infant"])
def test_every_view_lists_the_same_rows(scheme_id, tmp_path, capsys, qtbot, workspace):
    # the window used to show a "(total)" row of n/a for a scheme without a total
    from vfa.services.schemes import get_scheme

    scheme = get_scheme(scheme_id)
    if scheme.ratings is not None:
        items = [i.id for i in scheme.ratings.items[:2]]
        values = {"A": (3, 4), "B": (3, 5)}
    else:
        items = [s.id for s in scheme.grids[0].members[0].scales[:2]]
        values = {"A": (2, 5), "B": (3, 5)}
    path = tmp_path / "r.csv"
    path.write_text(
        "unit,coder,item,value\n"
        + "".join(
            f"u{u},{c},{item},{(v + u) % 5 + 1}\n"
            for u in range(4)
            for c, pair in values.items()
            for item, v in zip(items, pair, strict=True)
        )
    )
    agreement = ratings_report(path, scheme_id)
    expected = [*items, *(["(total)"] if scheme.ratings is not None else []), "(pooled)"]
    code, out, _ = cli(capsys, "reliability", path, "--scheme", scheme_id)
    assert code == 0 and [line.split()[0] for line in out.splitlines()[2:]] == expected
    window = ReliabilityWindow(CodingSession.bare(workspace, coder="Sue"), None)
    qtbot.addWidget(window)
    window.scheme.setCurrentIndex(window.scheme.findData(scheme_id))
    window.ratings.show_result(WorkspaceAgreement(scheme_id, agreement, (1, 2)))
    table = window.ratings.table
    names = {**{i: i for i in items}, "(total)": "(total)", "(pooled)": "(pooled)"}
    from vfa.ui.reliability import item_names

    names.update(item_names(window.schemes, scheme_id))
    shown = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert shown == [names[i] for i in expected]
    assert list(dict.fromkeys(r["item"] for r in rel.report_rows(agreement))) == expected


# -- certification criteria ---------------------------------------------------------------

# the statistics a criterion could always name: stored criteria keep working
CRITERIA_BEFORE = {
    "kappa_quadratic", "kappa_linear", "cohen_kappa", "icc_2_1", "icc_3_1", "pearson_r",
    "exact_agreement", "within_one_agreement", "alpha_ordinal",
}  # fmt: skip


def test_a_criterion_names_any_statistic_of_the_registry_for_two_coders():
    keys = [s.key for s in pair_statistics()]
    assert set(keys) >= CRITERIA_BEFORE
    assert keys == [*(s.key for s in statistics() if s.applies(2)), "pearson_r"]
    assert "fleiss_kappa" not in keys  # more than two coders only


def test_a_registered_statistic_is_a_criterion_in_the_service_cli_and_window(
    toy, workspace, clips, capsys, qtbot
):
    from tests.services.test_certification import coded_clips
    from vfa.services import certification as cert
    from vfa.services.schemes import get_scheme

    # Tess gives 4 where Rita gives 3 on the first n of the 12 KIPS items of each clip
    coded_clips(workspace, clips["cfr25"], get_scheme("kips"), [2, 1, 0, 1])
    cert.set_criterion(workspace, "kips", KEY, 0.05, 3)
    result = cert.track(workspace, "kips", "Tess", "Rita")
    assert [p.value for p in result.points] == pytest.approx([2 / 12, 1 / 12, 0, 1 / 12])
    assert [p.rolling for p in result.points][2:] == pytest.approx([3 / 36, 2 / 36])

    where = ("--workspace", workspace.path)
    for argv in (
        ("--json", "criterion", "set", "--scheme", "kips", "--statistic", KEY, *where),
        ("criterion", "set", *where, "--scheme", "kips", "--statistic", KEY, "--json"),
    ):
        code, out, err = cli(capsys, *argv, "--threshold", 0.1)
        assert (code, err) == (0, "") and json.loads(out)["statistic"] == KEY
    code, out, err = cli(
        capsys, "criterion", "set", "--scheme", "kips", "--statistic", "toy", "--threshold",
        0.1, *where,
    )  # fmt: skip
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith("vfa: criterion: unknown statistic 'toy' (one of ") and KEY in err

    window = ReliabilityWindow(CodingSession.bare(workspace, coder="Sue"), None)
    qtbot.addWidget(window)
    window.scheme.setCurrentIndex(window.scheme.findData("kips"))
    tab = window.coders
    offered = [tab.statistic.itemData(i) for i in range(tab.statistic.count())]
    assert offered == [s.key for s in pair_statistics()] and KEY in offered
    chosen = tab.statistic.currentIndex()
    assert (tab.statistic.itemText(chosen), tab.statistic.currentData()) == (TITLE, KEY)
    assert tab.statistic.itemData(chosen, Qt.ItemDataRole.ToolTipRole) == METHODS
    tab.show_track(cert.track(workspace, "kips", "Tess", "Rita"))
    assert "(toy Δ 0.06 over the last 3 clips; criterion 0.10)" in tab.status.text()
    window.close()


def test_a_kappa_criterion_shows_its_landis_koch_label(workspace, clips, qtbot):
    from tests.services.test_certification import coded_clips
    from vfa.services import certification as cert
    from vfa.services.schemes import get_scheme

    coded_clips(workspace, clips["cfr25"], get_scheme("kips"), [0, 0, 0])
    cert.set_criterion(workspace, "kips", "exact_agreement", 0.8, 3)
    window = ReliabilityWindow(CodingSession.bare(workspace, coder="Sue"), None)
    qtbot.addWidget(window)
    window.scheme.setCurrentIndex(window.scheme.findData("kips"))
    track = cert.track(workspace, "kips", "Tess", "Rita")
    window.coders.show_track(track)
    assert "(Exact 1.00 over the last 3 clips" in window.coders.status.text()  # no label
    window.close()


def test_a_stored_criterion_whose_statistic_is_gone_is_refused_naming_the_scheme(workspace, clips):
    from tests.services.test_certification import coded_clips
    from vfa.errors import InvalidInputError
    from vfa.services import certification as cert
    from vfa.services.schemes import get_scheme

    coded_clips(workspace, clips["cfr25"], get_scheme("kips"), [1])
    register(Statistic(KEY, TITLE, "toy Δ", METHODS, mean_difference, has_ci=False))
    try:
        cert.set_criterion(workspace, "kips", KEY, 0.1, 1)
    finally:
        unregister(KEY)
    with pytest.raises(InvalidInputError, match=f"^scheme kips: the criterion: unknown .*'{KEY}'"):
        cert.track(workspace, "kips", "Tess", "Rita")
