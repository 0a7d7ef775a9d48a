"""The window's translations: Qt's .ts files made from the code, .qm files made from them,
and the translator the window starts with.

``python -m vfa.i18n update`` reads every ``tr()`` and ``QCoreApplication.translate``
text of the window's code (``pyside6-lupdate``) into ``vfa/data/i18n/vfa_template.ts``
(every text, none translated) and into each language's ``vfa_<lang>.ts`` (a text that
went keeps its translation, marked vanished), then writes each language's ``.qm``
(``pyside6-lrelease``). ``python -m vfa.i18n add nl`` starts a language. See
docs/translations.md.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt is imported only when the window starts
    from PySide6.QtCore import QCoreApplication, QTranslator

PACKAGE = Path(__file__).resolve().parent
I18N_DIR = PACKAGE / "data" / "i18n"
TEMPLATE = I18N_DIR / "vfa_template.ts"
# the code whose texts are translated: the window and its player's widgets (the services'
# messages are not, yet)
SOURCES = (PACKAGE / "ui", PACKAGE / "player")
SOURCE_LANGUAGE = "en"
LANG_ENV = "VFA_LANG"
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2}|_[0-9]{3})?")


def languages() -> list[str]:
    """The languages VFA has a translation file for (``de``, ``nl_BE``, …)."""
    return sorted(p.stem.removeprefix("vfa_") for p in I18N_DIR.glob("vfa_*.ts") if p != TEMPLATE)


def ts_file(language: str) -> Path:
    """A language's translation source (``vfa/data/i18n/vfa_<lang>.ts``)."""
    return I18N_DIR / f"vfa_{language}.ts"


def _qt_tool(name: str, *args: str) -> None:
    """Run one of PySide6's Linguist tools (lupdate, lrelease); a failure is an error."""
    import subprocess  # (the window imports this module as it starts: only what it needs)

    code = (
        "import sys\n"
        f"from PySide6.scripts.pyside_tool import {name} as tool\n"
        f"sys.argv[0] = {name!r}\n"
        "sys.exit(tool())\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed: {done.stderr.strip() or done.stdout.strip()}")


def _lupdate(target: Path, language: str | None) -> None:
    """Merge the code's texts into one .ts file (made when missing)."""
    args = ["-extensions", "py", "-locations", "none", "-sort-messages", "-silent"]
    args += ["-source-language", SOURCE_LANGUAGE]
    if language is None:
        args += ["-no-obsolete"]  # the template holds only what the code says now
    else:
        args += ["-target-language", language]
    _qt_tool("lupdate", *args, *(str(s) for s in SOURCES), "-ts", str(target))


def _lrelease(source: Path, target: Path) -> None:
    _qt_tool("lrelease", "-silent", "-nounfinished", str(source), "-qm", str(target))


def update() -> list[Path]:
    """The template and every language's .ts from the code, then each language's .qm."""
    _lupdate(TEMPLATE, None)
    written = [TEMPLATE]
    for language in languages():
        _lupdate(ts_file(language), language)
        _lrelease(ts_file(language), ts_file(language).with_suffix(".qm"))
        written += [ts_file(language), ts_file(language).with_suffix(".qm")]
    return written


def add(language: str) -> Path:
    """Start a language's .ts from the code (every text still to translate)."""
    if not LANGUAGE_CODE.fullmatch(language):
        raise ValueError(
            f"{language!r}: not a language as Qt names one (de, nl_BE, pt_BR, zh_Hant_TW)"
        )
    target = ts_file(language)
    if target.exists():
        raise FileExistsError(f"{target}: the language is already there")
    _lupdate(target, language)
    return target


def stale() -> list[str]:
    """The shipped files that differ from what ``update`` would write (none: current)."""
    import tempfile

    found = []
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / TEMPLATE.name
        _lupdate(fresh, None)
        if not TEMPLATE.exists() or fresh.read_bytes() != TEMPLATE.read_bytes():
            found.append(f"{TEMPLATE.name}: not the texts the code has now")
        for language in languages():
            source, qm = ts_file(language), ts_file(language).with_suffix(".qm")
            merged = Path(folder) / source.name
            merged.write_bytes(source.read_bytes())
            _lupdate(merged, language)
            if merged.read_bytes() != source.read_bytes():
                found.append(f"{source.name}: not merged with the code's texts")
            built = Path(folder) / qm.name
            _lrelease(source, built)
            if not qm.exists() or built.read_bytes() != qm.read_bytes():
                found.append(f"{qm.name}: not released from {source.name}")
    return found


def chosen_language(setting: str = "") -> str:
    """The language asked for: ``$VFA_LANG``, else the setting, else '' (the system's)."""
    return os.environ.get(LANG_ENV, "").strip() or setting.strip()


def install_translators(app: QCoreApplication, language: str = "") -> list[QTranslator]:
    """Install VFA's translation for the language (the system's when ''), and Qt's own for
    its standard buttons, when VFA has one; returns what was installed (each a child of
    ``app``)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    locale = QLocale(language) if language else QLocale.system()
    if locale.language() in (QLocale.Language.English, QLocale.Language.C):
        return []  # the code's own language (else a second preference would be loaded)
    own = QTranslator(app)
    if not own.load(locale, "vfa", "_", str(I18N_DIR)) or own.isEmpty():
        own.deleteLater()
        return []
    installed = [own]
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        installed.append(qt)
    else:
        qt.deleteLater()
    for translator in installed:
        app.installTranslator(translator)
    return installed


def _shown(path: Path) -> str:
    """A path as the tool prints it: from the repository's top when it is in it."""
    return str(path.relative_to(PACKAGE.parent) if path.is_relative_to(PACKAGE.parent) else path)


def main(argv: list[str] | None = None) -> int:
    """``update`` (every file from the code), ``add LANG``, ``check`` (exit 1 when stale)."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["update"]:
        for path in update():
            print(_shown(path))
        return 0
    if len(args) == 2 and args[0] == "add":
        try:
            added = add(args[1])
        except (FileExistsError, ValueError) as refused:
            print(f"vfa.i18n: {refused}", file=sys.stderr)
            return 2
        print(_shown(added))
        print("translate it (pyside6-linguist or any .ts editor), then: python -m vfa.i18n update")
        return 0
    if args == ["check"]:
        problems = stale()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    print("usage: python -m vfa.i18n update | add LANG | check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
