"""What a screen reader and a keyboard user meet in a window: every control with a name,
and every control reached by Tab.

``problems(window)`` walks the window's visible controls (buttons, fields, lists, tables,
trees, sliders, tabs, check boxes, and VFA's own video canvas and timeline) and names each
one that has no accessible name (its own, its text, or the label whose buddy it is, as Qt
gives it to assistive technology) or that Tab never reaches. Tab is really pressed: from
the window's first control, Tab after Tab, until the focus comes round again; a control
that keeps the Tab key (a keyboard trap) ends the walk and is named too."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QKeySequenceEdit,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from vfa.player.canvas import VideoCanvas
from vfa.ui.timeline import Timeline

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractSlider,
    QAbstractItemView,
    QTabBar,
    QKeySequenceEdit,
    VideoCanvas,
    Timeline,
)
# controls whose parts are not controls of their own (a spin box's field, a combo box's
# list, a scroll area's bars, a tab bar's scroll arrows, a field's clear button)
COMPOSITES = (
    QAbstractSpinBox,
    QComboBox,
    QKeySequenceEdit,
    QCalendarWidget,
    QTabBar,
    QLineEdit,
    QFileDialog,
    QMenu,
)


def _label(widget: QWidget) -> str:
    name = widget.objectName()
    return f"{type(widget).__name__}{f' {name!r}' if name else ''}"


def _is_part(widget: QWidget, top: QWidget) -> bool:
    """Whether the widget is a piece of another control, not a control of its own."""
    if isinstance(widget, QHeaderView | QScrollBar):
        return True
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, COMPOSITES):
            return True
        if isinstance(parent, QAbstractScrollArea) and not parent.viewport().isAncestorOf(widget):
            return True  # a scroll area's own bars and corner (its content is in the viewport)
        parent = parent.parentWidget()
    return False


def controls(top: QWidget) -> list[QWidget]:
    """The window's controls a user can see (in a window or dialog of its own)."""
    found = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(top):
            continue
        if widget.window() is not top or _is_part(widget, top):
            continue
        found.append(widget)
    return found


def accessible_name(widget: QWidget) -> str:
    """The name assistive technology reads for the widget: its own accessible name, the
    label whose buddy it is, or (a button, a tab) its own text. A combo box's or a field's
    current value is not a name, though Qt on Linux reports it as one."""
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    face = QAccessible.queryAccessibleInterface(widget)
    if face is None:
        return ""
    for label, _relation in face.relations(QAccessible.RelationFlag.Label):
        if label.text(QAccessible.Text.Name).strip():
            return label.text(QAccessible.Text.Name).strip()
    if isinstance(widget, QAbstractButton | QTabBar):
        return face.text(QAccessible.Text.Name).strip()
    return ""


def tab_walk(top: QWidget, patience: int = 100) -> tuple[list[QWidget], QWidget | None]:
    """The widgets Tab stops at, in order, from the window's first; and the widget that
    kept the Tab key (None when the focus came round again). A control may take a few
    Tabs itself (a date's day, month and year; a page's links) before it lets go; one
    that keeps ``patience`` Tabs in a row is a trap."""
    chain = []
    widget = top.nextInFocusChain()
    while widget is not top:
        if _takes_tab(widget, top):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    if not chain:
        return [], None
    chain[0].setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    kept = 0
    while True:
        here = top.focusWidget()
        if here is None:
            return seen, None
        if seen and here is seen[-1]:
            kept += 1
            if len(chain) == 1:
                return seen, None  # the one stop there is: Tab comes back to it
            if kept >= patience:
                return seen, here
        elif here in seen:
            return seen, None  # round again
        else:
            kept = 0
            seen.append(here)
        QTest.keyClick(here, Qt.Key.Key_Tab)


def _takes_tab(widget: QWidget, top: QWidget) -> bool:
    return (
        widget.window() is top
        and widget.isVisibleTo(top)
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.focusProxy() is None
    )


def _reached(widget: QWidget, stops: list[QWidget]) -> bool:
    target = widget
    while target.focusProxy() is not None:
        target = target.focusProxy()
    return any(stop is target or target.isAncestorOf(stop) for stop in stops)


def problems(top: QWidget, where: str = "") -> list[str]:
    """Each control of the window without an accessible name, or not reached by Tab."""
    where = where or top.windowTitle() or type(top).__name__
    found = []
    stops, trap = tab_walk(top)
    if trap is not None:
        found.append(f"{where}: {_label(trap)} keeps the Tab key (focus cannot leave it)")
    for widget in controls(top):
        name = accessible_name(widget)
        if not name:
            found.append(f"{where}: {_label(widget)} has no accessible name")
        elif not any(ch.isalnum() for ch in name):
            found.append(f"{where}: {_label(widget)} is named only by the sign {name!r}")
        if widget.isEnabled() and trap is None and not _reached(widget, stops):
            found.append(f"{where}: {_label(widget)} is not reached by Tab")
    return found
