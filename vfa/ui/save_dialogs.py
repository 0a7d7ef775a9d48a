"""Choosing where a file goes, and asking before one is replaced.

Every writer refuses an existing file unless told to replace it (``force``, see
:mod:`vfa.outputs`); the window asks here, once, and passes the answer on. Qt's own
save dialog is told not to ask as well, and a name given without its suffix gets it
before the question, so the question is about the file that will really be written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def with_suffix(path: str, suffixes: Sequence[str]) -> str:
    """``path``, with the first of ``suffixes`` added when it ends in none of them."""
    if suffixes and not path.lower().endswith(tuple(suffixes)):
        return path + suffixes[0]
    return path


def confirm_replace(parent: QWidget | None, path: str | os.PathLike[str]) -> bool | None:
    """Whether writing ``path`` may replace what is there: False when nothing is (no need
    to), True when the user agreed to replace the file, None when they declined. Anything
    but a regular file is left for the writer to refuse with its reason."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    if not stat.S_ISREG(mode):
        return False
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("SaveDialogs", "Replace the file?"),
        QCoreApplication.translate("SaveDialogs", "{0} already exists. Replace it?").format(
            os.fspath(path)
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return True if answer == QMessageBox.StandardButton.Yes else None


def confirm_replace_in(parent: QWidget | None, folder: str, names: Sequence[str]) -> bool | None:
    """Like :func:`confirm_replace` for files of an export folder: False when none of
    ``names`` is there, True when the user agreed to replace them, None when not."""
    there = [n for n in names if os.path.isfile(os.path.join(folder, n))]
    if not there or os.path.islink(folder):
        return False
    shown = ", ".join(there[:6]) + (" …" if len(there) > 6 else "")
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("SaveDialogs", "Replace the files?"),
        QCoreApplication.translate("SaveDialogs", "{0} already holds {1}. Replace them?").format(
            folder, shown
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return True if answer == QMessageBox.StandardButton.Yes else None


def ask_save_file(
    parent: QWidget | None, title: str, suggested: Path, filters: str, suffixes: Sequence[str]
) -> tuple[str, bool] | None:
    """Ask for a file to write: (path, replace it) or None when cancelled or declined."""
    path, _ = QFileDialog.getSaveFileName(
        parent, title, str(suggested), filters, options=QFileDialog.Option.DontConfirmOverwrite
    )
    if not path:
        return None
    path = with_suffix(path, suffixes)
    replace = confirm_replace(parent, path)
    if replace is None:
        return None
    return path, replace
