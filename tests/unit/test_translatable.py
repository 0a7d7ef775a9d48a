"""Every user-visible text in the window's code goes through tr() where lupdate reads it,
and the shipped translation files are what the code says now (see docs/translations.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.translatable import Finding, find, find_in_tree
from vfa.i18n import SOURCES

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = SOURCES  # the folders lupdate reads

# literals shown as they are, each with its reason: (module, text) -> why
SHOWN_AS_IS: dict[tuple[str, str], str] = {
    ("vfa/ui/dialogs.py", "English"): (
        "Settings lists each language in its own words (Deutsch, English), so whoever "
        "needs it can read it"
    ),
}

# translations of a text held in a variable, each with where its sources are marked for
# lupdate: (module, the text's expression) -> why
DYNAMIC: dict[tuple[str, str], str] = {
    ("vfa/ui/actions.py", "spec.text"): (
        "the actions' texts, each marked QT_TRANSLATE_NOOP('actions', …) in SPECS"
    ),
    ("vfa/ui/audit_names.py", "known"): (
        "the audit trail's records and acts, each marked QT_TRANSLATE_NOOP('AuditNames', …) "
        "in RECORDS and ACTIONS"
    ),
    ("vfa/ui/names.py", "name"): (
        "the lower layers' names, each marked in MARKED (tests/ui/test_translations.py holds "
        "the statistics registry to it)"
    ),
    ("vfa/ui/people_dialogs.py", "ROLES.get(role, role)"): (
        "the roles' names, each marked QT_TRANSLATE_NOOP('People', …) in ROLES"
    ),
    ("vfa/ui/people_dialogs.py", "ACTS[act]"): (
        "the acts' names (people.Act), each marked QT_TRANSLATE_NOOP('People', …) in ACTS"
    ),
    ("vfa/ui/person.py", "doing"): (
        "what a gated button does, each marked QT_TRANSLATE_NOOP('People', …) in GATED_BUTTONS"
    ),
    ("vfa/ui/timeline.py", "lane.title"): (
        "DEFAULT_LANES' titles are marked QT_TRANSLATE_NOOP('Timeline', …); a scheme's "
        "subjects are the scheme's own words"
    ),
}


def _allowed(finding: Finding) -> bool:
    return (finding.path, finding.text) in SHOWN_AS_IS or (finding.path, finding.text) in DYNAMIC


def test_every_visible_text_in_the_window_goes_through_tr():
    found = [str(f) for folder in FOLDERS for f in find_in_tree(folder, ROOT) if not _allowed(f)]
    assert not found, "texts that bypass translation:\n" + "\n".join(found)


def test_every_exception_has_a_reason_and_is_still_needed():
    found = {(f.path, f.text) for folder in FOLDERS for f in find_in_tree(folder, ROOT)}
    for table in (SHOWN_AS_IS, DYNAMIC):
        for key, why in table.items():
            assert why.strip(), f"{key}: an exception needs its reason"
            assert key in found, f"{key}: no longer in the code; remove the exception"


def _texts(source: str) -> list[tuple[str, str]]:
    """What the checker finds in a line written inside a widget's method."""
    planted = f"class Planted(QWidget):\n    def show(self):\n        {source}\n"
    return [(f.text, f.reason) for f in find(planted, "planted.py")]


@pytest.mark.parametrize(
    "source",
    [
        'label.setText("Hello")',
        'self.setWindowTitle("VFA")',
        'button = QPushButton("Save", self)',
        'box.setToolTip(f"{n} clips")',
        'QMessageBox.warning(self, "Careful", self.tr("text"))',
        'menu = bar.addMenu("&File")',
        'combo.addItem("Every coder", None)',
        'tree.setHeaderLabels([self.tr("Name"), "Size"])',
        'label.setText(self.tr("a") if x else "b")',
        'label.setText(self.tr("{0} of {1}").format(n, "items"))',
        'label.setText(name + " ms")',
        'self.messages.info("Saved.", "topic")',
        'self.note(f"{clip} opened")',
        'painter.drawText(rect, 0, "No clip")',
        'QAction("Open", self)',
        'item = QTreeWidgetItem(["made by hand", size])',
        'QFileDialog.getSaveFileName(self, self.tr("Save"), "", "PDF (*.pdf)")',
        'label.setAccessibleName("Timeline")',
    ],
)
def test_the_checker_finds_a_planted_literal(source):
    found = _texts(source)
    assert found, f"no finding in {source!r}"
    assert all("without tr()" in why for _text, why in found)


@pytest.mark.parametrize(
    "source",
    [
        'label.setText(self.tr("Hello"))',
        'label.setText(QCoreApplication.translate("Ctx", "Hello"))',
        'label.setText(self.tr("{0} of {1}").format(n, total))',
        'combo.addItem(self.tr("Every coder"), "all")',
        'combo.addItem(icon, self.tr("Every coder"), "all")',
        'label.setText("")',
        'label.setText(f"{a} · {b} — {c}×{d}")',
        'label.setText(", ".join(names))',
        'view.setHtml(f"<p><b>{place}</b>: {problem}</p>")',
        'label.setObjectName("clipName")',
        'log.debug("not shown")',
        "text.translate(TABLE)",
    ],
)
def test_the_checker_passes_translated_and_letterless_text(source):
    assert _texts(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "self.tr(title)",
        "QCoreApplication.translate('Ctx', text)",
        "QCoreApplication.translate(context, 'Hello')",
        'self.tr(f"{n} clips")',
        "QT_TRANSLATE_NOOP('Ctx', NAME)",
    ],
)
def test_the_checker_finds_a_text_lupdate_cannot_read(source):
    found = _texts(source)
    assert found and all("lupdate" in why or "f-string" in why for _text, why in found)


@pytest.mark.parametrize(
    "source",
    [
        'def ask(parent):\n    return parent.tr("Cancel")\n',
        'def ask(self):\n    return self.tr("Cancel")\n',
        'class Panel(QWidget):\n    def show(self, dialog):\n        dialog.tr("Done")\n',
    ],
)
def test_the_checker_finds_tr_under_a_context_lupdate_does_not_give_it(source):
    (finding,) = find(source, "planted.py")
    assert "QCoreApplication.translate(context" in finding.reason


def test_a_finding_names_the_module_the_line_and_the_reason():
    (finding,) = find('x = 1\nlabel.setText("Hello")\n', "vfa/ui/planted.py")
    assert str(finding) == (
        "vfa/ui/planted.py:2: 'Hello': a literal shown by setText() without tr()"
    )


def test_the_shipped_translation_files_are_current():
    """``python -m vfa.i18n update`` was run after the code's texts last changed."""
    from vfa.i18n import stale

    assert stale() == [], "run: python -m vfa.i18n update"
