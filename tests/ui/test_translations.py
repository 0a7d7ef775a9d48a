"""The window in another language: the translation chosen at start (``VFA_LANG``, the
setting, the system's), the shipped German (partial: the menus and a few entries), the
names the lower layers give that the window translates, and the steps a service takes to
add its language (``python -m vfa.i18n``; docs/translations.md)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from vfa import i18n
from vfa.domain.rating_statistics import PEARSON_R, statistics
from vfa.domain.ratings_agreement import POOLED, TOTAL
from vfa.ui.key_table import menu_titles
from vfa.ui.names import AS_IS, MARKED

# the German of the shipped partial translation, as a translator wrote it
GERMAN_MENUS = [
    "Datei", "Bearbeiten", "Wiedergabe", "Feedback", "Reliabilität", "Extras", "Hilfe"
]  # fmt: skip
ENGLISH_MENUS = ["File", "Edit", "Playback", "Feedback", "Reliability", "Tools", "Help"]


@pytest.fixture
def translated(qapp) -> Iterator[None]:
    """Takes away every translator a test installed (the next test speaks English)."""
    yield
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()


def menus(window) -> list[str]:
    return list(menu_titles(window.menuBar()).values())


def started(qtbot):
    """Start the window as ``vfa`` does (the opening window, then the main window)."""
    from vfa.app import start_gui

    startup = start_gui()
    qtbot.addWidget(startup.opening)
    with qtbot.waitSignal(startup.ready, timeout=60_000) as ready:
        pass
    window = ready.args[0]
    qtbot.addWidget(window)
    return window


def test_starting_in_german_shows_the_german_menus(translated, monkeypatch, qtbot):
    monkeypatch.setenv("VFA_LANG", "de")
    monkeypatch.setenv("VFA_PLAYER", "qt")
    window = started(qtbot)
    assert menus(window) == GERMAN_MENUS
    shown = {a.objectName(): a.text() for a in window.actions_by_id.values()}
    assert shown["workspace.new"] == "&Neuer Arbeitsbereich…"
    assert shown["clip.add"] == "&Add clips…"  # not translated yet: shown in English
    window.close()


def test_the_language_chosen_in_settings_is_the_one_started_in(translated, monkeypatch, qtbot):
    from vfa.ui.settings import Settings

    monkeypatch.delenv("VFA_LANG")
    monkeypatch.setenv("VFA_PLAYER", "qt")
    Settings().set("app/language", "de")
    window = started(qtbot)
    assert menus(window) == GERMAN_MENUS
    window.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_starting_in_english_or_a_language_without_a_translation_shows_english(
    translated, monkeypatch, qtbot, language
):
    monkeypatch.setenv("VFA_LANG", language)
    monkeypatch.setenv("VFA_PLAYER", "qt")
    window = started(qtbot)
    assert menus(window) == ENGLISH_MENUS
    window.close()


def test_the_language_comes_from_vfa_lang_then_the_setting_then_the_system(monkeypatch):
    monkeypatch.setenv("VFA_LANG", "de")
    assert i18n.chosen_language("nl") == "de"
    monkeypatch.delenv("VFA_LANG")
    assert i18n.chosen_language("nl") == "nl"
    assert i18n.chosen_language("") == ""  # the system's


def test_german_installs_vfas_translation_and_qts_own(qapp, translated):
    installed = i18n.install_translators(qapp, "de_AT")  # found as de
    assert len(installed) == 2
    assert QCoreApplication.translate("MainWindow", "&Help") == "&Hilfe"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"


@pytest.mark.parametrize("language", ["en", "en_GB", "C", "fr", "xx"])
def test_no_translator_for_english_or_a_language_vfa_has_not(qapp, translated, language):
    assert i18n.install_translators(qapp, language) == []
    assert QCoreApplication.translate("MainWindow", "&Help") == "&Help"


def test_the_shipped_german_is_partial_and_says_so_by_its_unfinished_messages():
    tree = ET.parse(i18n.ts_file("de"))
    messages = list(tree.getroot().iter("message"))
    done = [m for m in messages if m.find("translation").get("type") != "unfinished"]
    assert 10 <= len(done) < len(messages)


def test_every_name_the_window_takes_from_the_lower_layers_is_marked():
    """The statistics registry's titles and column labels, Pearson r, and the ratings
    table's total and pooled rows: each is in vfa/ui/names.py (or reads the same in every
    language), so lupdate offers it to translators."""
    names = {TOTAL, POOLED, PEARSON_R.title, PEARSON_R.column}
    for statistic in statistics():
        names |= {statistic.title, statistic.column}
    assert sorted(names - set(MARKED) - AS_IS) == []


# -- a service adds its language -------------------------------------------------------------


@pytest.fixture
def own_folder(tmp_path, monkeypatch) -> Path:
    """The translation files in a folder of the test's own, made from the shipped ones."""
    folder = tmp_path / "i18n"
    folder.mkdir()
    for path in i18n.I18N_DIR.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(i18n, "I18N_DIR", folder)
    monkeypatch.setattr(i18n, "TEMPLATE", folder / i18n.TEMPLATE.name)
    i18n.update()  # as current as the code, whatever the shipped files are
    return folder


def translate(path: Path, wanted: dict[tuple[str, str], str]) -> None:
    """What a translator does in Linguist: fill in translations and mark them finished."""
    tree = ET.parse(path)
    for context in tree.getroot().iter("context"):
        for message in context.iter("message"):
            key = (context.findtext("name"), message.findtext("source"))
            if key in wanted:
                translation = message.find("translation")
                translation.text = wanted[key]
                translation.attrib.pop("type", None)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def test_a_service_adds_its_language_with_add_translate_and_update(
    own_folder, qapp, translated, capsys
):
    assert i18n.main(["add", "nl"]) == 0
    source = own_folder / "vfa_nl.ts"
    assert ET.parse(source).getroot().get("language") == "nl"
    assert i18n.languages() == ["de", "nl"]
    # nothing translated yet: Dutch users see English (and not Qt's Dutch buttons alone)
    assert i18n.main(["update"]) == 0
    assert i18n.install_translators(qapp, "nl") == []
    translate(source, {("MainWindow", "&File"): "&Bestand"})
    assert i18n.main(["check"]) == 1  # the .qm is not made from the new translation yet
    assert "vfa_nl.qm: not released from vfa_nl.ts" in capsys.readouterr().out
    assert i18n.main(["update"]) == 0
    assert i18n.main(["check"]) == 0
    assert len(i18n.install_translators(qapp, "nl_BE")) == 2
    assert QCoreApplication.translate("MainWindow", "&File") == "&Bestand"


def test_adding_a_language_already_there_is_refused_and_nothing_changes(own_folder, capsys):
    before = {p.name: p.read_bytes() for p in own_folder.iterdir()}
    assert i18n.main(["add", "de"]) == 2
    assert capsys.readouterr().err == (
        f"vfa.i18n: {own_folder / 'vfa_de.ts'}: the language is already there\n"
    )
    assert {p.name: p.read_bytes() for p in own_folder.iterdir()} == before


@pytest.mark.parametrize("name", ["../../etc/x", "German", "de-DE", "", "de_de"])
def test_adding_a_name_that_is_no_language_is_refused_and_writes_nothing(own_folder, capsys, name):
    before = sorted(p.name for p in own_folder.iterdir())
    assert i18n.main(["add", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"vfa.i18n: {name!r}: not a language as Qt names one")
    assert sorted(p.name for p in own_folder.iterdir()) == before


@pytest.mark.parametrize("name", ["nl", "nl_BE", "pt_BR", "zh_Hant_TW", "es_419", "fil"])
def test_a_language_as_qt_names_it_is_taken(name):
    assert i18n.LANGUAGE_CODE.fullmatch(name)


def test_a_stale_template_is_found(own_folder):
    template = own_folder / i18n.TEMPLATE.name
    template.write_text(template.read_text("utf-8").replace("&amp;File", "&amp;Files"), "utf-8")
    assert i18n.stale() == ["vfa_template.ts: not the texts the code has now"]


def test_the_tool_says_how_it_is_used(capsys):
    assert i18n.main(["translate"]) == 2
    assert "usage: python -m vfa.i18n update | add LANG | check" in capsys.readouterr().err
