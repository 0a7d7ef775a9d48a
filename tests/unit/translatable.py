"""Finds user-visible text in the window's code that bypasses translation (read by the AST).

Three mistakes are found. A *bypass*: a string literal or f-string with letters in it
that reaches a Qt text setter or constructor (``setText``, ``QLabel(...)``, ``addMenu``, a
message box's texts, …) without going through ``tr()`` or ``QCoreApplication.translate``.
A *hidden* text: a translation call whose text (or context) is not a literal, which
``pyside6-lupdate`` cannot extract, so no translator ever sees it. A *misfiled* text:
``tr()`` called on another object than ``self``, or outside a class, which lupdate files
under another context than the one Qt looks it up in at run time.

Texts that reach the screen through a variable are not followed (``label.setText(name)``
with ``name = "…"`` elsewhere): the check reads each call on its own.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

# method name -> the positional arguments that hold text (None: every argument)
SETTERS: dict[str, tuple[int, ...] | None] = {
    name: None
    for name in (
        "setText",
        "setWindowTitle",
        "setToolTip",
        "setStatusTip",
        "setWhatsThis",
        "setPlaceholderText",
        "setAccessibleName",
        "setAccessibleDescription",
        "setTitle",
        "setLabelText",
        "setInformativeText",
        "setDetailedText",
        "setHeaderLabel",
        "setHeaderLabels",
        "setHorizontalHeaderLabels",
        "setVerticalHeaderLabels",
        "setTabText",
        "setTabToolTip",
        "setItemText",
        "setButtonText",
        "setCancelButtonText",
        "setOkButtonText",
        "setSuffix",
        "setPrefix",
        "setSpecialValueText",
        "setFormat",
        "setNameFilter",
        "setNameFilters",
        "setHtml",
        "setMarkdown",
        "setPlainText",
        "showMessage",
        "addItems",
        "addMenu",
        "addAction",
        "addRow",
        "insertRow",
        "addTab",
        "insertTab",
        "addButton",
        "drawText",
    )
}
# VFA's own messages (vfa/ui/messages.py): the text first, then a topic
SETTERS.update(
    {
        name: (0,)
        for name in ("error", "warning", "info", "show_message", "show_error", "show_warning")
    }
)
SETTERS["show_info"] = (0,)
SETTERS["note"] = (0, 1)  # note(status_bar, text) and a window's own note(text)
# VFA's own helpers that show a text: work behind a progress label, a save dialog
SETTERS["run"] = (0,)  # a window's run(label, work, done)
SETTERS["_run"] = (0,)
# the text of an item, not the data that rides with it
SETTERS["addItem"] = (0, 1)
SETTERS["insertItem"] = (1, 2)
DATA_AFTER_TEXT = {"addItem", "insertItem"}

# class -> the positional arguments that hold text (None: every argument)
CONSTRUCTORS: dict[str, tuple[int, ...] | None] = {
    name: None
    for name in (
        "QLabel",
        "QPushButton",
        "QCheckBox",
        "QRadioButton",
        "QGroupBox",
        "QAction",
        "QMenu",
        "QMessageBox",
        "QListWidgetItem",
        "QTreeWidgetItem",
        "QTableWidgetItem",
        "QStandardItem",
        "QProgressDialog",
        "QDockWidget",
        "QCommandLinkButton",
        "QLineEdit",
        "MessageText",
    )
}

# static dialogs: Class.method -> the positional arguments that hold text
STATIC: dict[tuple[str, str], tuple[int, ...]] = {
    **{("QMessageBox", m): (1, 2) for m in ("warning", "information", "question", "critical")},
    ("QMessageBox", "about"): (1, 2),
    ("QFileDialog", "getOpenFileName"): (1, 3),
    ("QFileDialog", "getOpenFileNames"): (1, 3),
    ("QFileDialog", "getSaveFileName"): (1, 3),
    ("QFileDialog", "getExistingDirectory"): (1,),
    ("QInputDialog", "getText"): (1, 2),
    ("QInputDialog", "getItem"): (1, 2, 3),
    ("QInputDialog", "getInt"): (1, 2),
    ("QInputDialog", "getDouble"): (1, 2),
    ("QToolTip", "showText"): (1,),
}
# module functions of VFA's that show a text: name -> the positional arguments that hold it
FUNCTIONS: dict[str, tuple[int, ...]] = {"run_task": (1,), "ask_save_file": (1, 3)}
TEXT_KEYWORDS = {
    "text",
    "title",
    "label",
    "caption",
    "filter",
    "toolTip",
    "tooltip",
    "placeholder",
    "message",
}
# calls whose text argument lupdate reads: name -> (context position or None, text position)
TRANSLATORS: dict[str, tuple[int | None, int]] = {
    "tr": (None, 0),
    "translate": (0, 1),
    "QT_TR_NOOP": (None, 0),
    "QT_TRANSLATE_NOOP": (0, 1),
}
APPLICATIONS = {"QCoreApplication", "QGuiApplication", "QApplication"}
# string methods whose receiver and arguments end up in the text
STRING_METHODS = {"format", "join", "replace", "strip", "rstrip", "lstrip", "upper", "lower"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}: {self.reason}"


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _is_translator(call: ast.Call) -> bool:
    """A call lupdate reads: tr, Qt's translate (not a painter's) or a NOOP marker."""
    name = _name(call.func)
    if name != "translate":
        return name in TRANSLATORS
    func = call.func
    return isinstance(func, ast.Name) or (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in APPLICATIONS
    )


def _is_translation(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _is_translator(node)


def _has_letters(text: str) -> bool:
    """Whether a text has words to translate (HTML tags and entities are not words)."""
    return any(ch.isalpha() for ch in re.sub(r"<[^>]*>|&\w+;", "", text))


def _visible_literals(node: ast.expr) -> list[tuple[int, str, str]]:
    """(line, text, kind) of each literal with letters that reaches the screen as is."""
    if _is_translation(node):
        return []
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str) and _has_letters(node.value):
            return [(node.lineno, node.value, "literal")]
        return []
    if isinstance(node, ast.JoinedStr):
        parts = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        found = [(node.lineno, parts, "f-string")] if _has_letters(parts) else []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                found += _visible_literals(value.value)
        return found
    children: list[ast.expr] = []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        children = [node.left, node.right]  # (not a path: folder / "schemes")
    elif isinstance(node, ast.IfExp):
        children = [node.body, node.orelse]
    elif isinstance(node, ast.BoolOp):
        children = list(node.values)
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        children = list(node.elts)
    elif isinstance(node, ast.Starred):
        children = [node.value]
    elif isinstance(node, ast.ListComp | ast.GeneratorExp):
        children = [node.elt]
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in STRING_METHODS
    ):
        children = [node.func.value, *node.args, *(k.value for k in node.keywords)]
    found = []
    for child in children:
        found += _visible_literals(child)
    return found


def _text_arguments(call: ast.Call) -> list[ast.expr]:
    """The arguments of a Qt call that become text on screen ([] for other calls)."""
    func = call.func
    name = _name(func)
    positions: tuple[int, ...] | None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        static = STATIC.get((func.value.id, name))
        if static is not None:
            return [call.args[i] for i in static if i < len(call.args)]
    if isinstance(func, ast.Name) and name in FUNCTIONS:
        return [call.args[i] for i in FUNCTIONS[name] if i < len(call.args)]
    if isinstance(func, ast.Name) and name in CONSTRUCTORS:
        positions = CONSTRUCTORS[name]
    elif isinstance(func, ast.Attribute) and name in SETTERS:
        positions = SETTERS[name]
    else:
        return []
    args = list(call.args)
    if name in DATA_AFTER_TEXT:
        # addItem(text, data) / addItem(icon, text, data): the first text-like one is text
        assert positions is not None
        chosen = [args[i] for i in positions if i < len(args)]
        args = chosen[:1] if chosen and not _is_icon(chosen[0]) else chosen[1:2]
    elif positions is not None:
        args = [args[i] for i in positions if i < len(args)]
    return args + [k.value for k in call.keywords if k.arg in TEXT_KEYWORDS]


def _is_icon(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and "Icon" in _name(node.func)) or (
        isinstance(node, ast.Name | ast.Attribute) and "icon" in _name(node).lower()
    )


def _hidden(call: ast.Call) -> list[tuple[int, str, str]]:
    """A translation call lupdate cannot read: its context or text is not a literal."""
    context_at, text_at = TRANSLATORS[_name(call.func)]
    found = []
    for at, what in ((context_at, "context"), (text_at, "text")):
        if at is None:
            continue
        if at >= len(call.args):
            found.append((call.lineno, "", f"a translation call without its {what}"))
            continue
        arg = call.args[at]
        if isinstance(arg, ast.JoinedStr):
            found.append((call.lineno, ast.unparse(arg), f"an f-string as the {what}"))
        elif not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            found.append(
                (call.lineno, ast.unparse(arg), f"the {what} is not a literal lupdate can read")
            )
    return found


def _calls(tree: ast.AST) -> list[tuple[ast.Call, bool]]:
    """Every call, with whether it is written inside a class (where lupdate files a
    ``self.tr`` text under the class's name)."""
    found: list[tuple[ast.Call, bool]] = []

    def visit(node: ast.AST, in_class: bool) -> None:
        if isinstance(node, ast.Call):
            found.append((node, in_class))
        inside = in_class or isinstance(node, ast.ClassDef)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return found


def _wrong_context(call: ast.Call, in_class: bool) -> str:
    """Why lupdate files a tr() text under another context than the one Qt looks up."""
    if _name(call.func) != "tr":
        return ""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if not (isinstance(receiver, ast.Name) and receiver.id == "self"):
        return "tr() on another object than self: use QCoreApplication.translate(context, …)"
    if not in_class:
        return "self.tr() outside a class: use QCoreApplication.translate(context, …)"
    return ""


def find(source: str, path: str) -> list[Finding]:
    """Every bypass and every hidden text in one module's source, in line order."""
    tree = ast.parse(source, filename=path)
    found: list[Finding] = []
    for node, in_class in _calls(tree):
        if _is_translator(node):
            found += [Finding(path, line, text, why) for line, text, why in _hidden(node)]
            wrong = _wrong_context(node, in_class)
            if wrong:
                first = node.args[0] if node.args else node
                text = first.value if isinstance(first, ast.Constant) else ast.unparse(first)
                found.append(Finding(path, node.lineno, str(text), wrong))
            continue
        for arg in _text_arguments(node):
            for line, text, kind in _visible_literals(arg):
                why = f"a {kind} shown by {_name(node.func)}() without tr()"
                found.append(Finding(path, line, text, why))
    return sorted(found, key=lambda f: f.line)


def find_in_tree(folder: Path, root: Path) -> list[Finding]:
    """Every finding in the modules of a folder, paths relative to root."""
    found = []
    for module in sorted(folder.glob("*.py")):
        rel = module.relative_to(root).as_posix()
        found += find(module.read_text("utf-8"), rel)
    return found
