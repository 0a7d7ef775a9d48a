"""Every Qt class of the window lists its Qt base first: a plain Python class before a
Qt base (``class W(Mixin, QMainWindow)``) is a known cause of crashes in PySide's
garbage collection, seen here as a segmentation fault mid-suite."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from PySide6.QtCore import QObject

import vfa.ui


def qt_classes() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(vfa.ui.__path__, "vfa.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, QObject):
                found.append(cls)
    return found


def test_every_qt_class_of_the_window_names_a_qt_base_first():
    classes = qt_classes()
    assert len(classes) > 20  # (the walk finds the window's classes)
    wrong = [
        f"{c.__module__}.{c.__qualname__}: {c.__bases__[0].__name__} before its Qt base"
        for c in classes
        if not issubclass(c.__bases__[0], QObject)
    ]
    assert wrong == []


def test_the_check_sees_a_plain_class_first():
    class Mixin:
        pass

    class Wrong(Mixin, QObject):
        pass

    assert not issubclass(Wrong.__bases__[0], QObject)
