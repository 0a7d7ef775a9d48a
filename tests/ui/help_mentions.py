"""What a help page or guide page names, read as the user reads it, and the check that
each exists in VFA: its menu paths (**Menu → Item**, in bold), its keys (`Ctrl+E`, as
code), the ``vfa`` commands it quotes (as code, `vfa merge laptop.vfa`, or lines of a
code block: parsed by the real parser, tests/help_commands.py), the options its text
names (--as), the environment variables it names (`VFA_PASSPHRASE`, as code), the
controls it names (*Submit*, in italics) and its links and pictures.

The page is read through Qt's own Markdown reader (what Help → Quick start shows), so
what counts as bold, code or a link is what the user sees as such."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QFont, QKeySequence, QTextBlock, QTextDocument, QTextFormat
from PySide6.QtWidgets import QMenu, QMenuBar

from tests.help_commands import (
    command_problems,
    environment_problems,
    is_command,
    is_environment,
    option_problems,
    prose_options,
    shell_commands,
)
from vfa.ui.actions import SPECS
from vfa.ui.key_table import plain, presenting_section, scheme_sections

ARROW = "→"
PORTABLE = QKeySequence.SequenceFormat.PortableText
UI_SOURCES = Path(__file__).resolve().parents[2] / "vfa" / "ui"


@dataclass
class Mentions:
    """What one page names."""

    paths: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    stray_arrows: list[str] = field(default_factory=list)  # a → outside a bold menu path
    commands: list[str] = field(default_factory=list)  # `vfa …`, inline or in a code block
    environment: list[str] = field(default_factory=list)  # `VFA_…`
    options: list[str] = field(default_factory=list)  # --as, named in the text


def mentions(markdown: str) -> Mentions:
    """Read a Markdown page as Qt shows it and list what it names."""
    doc = QTextDocument()
    doc.setMarkdown(markdown)
    found = Mentions()
    block = doc.begin()
    shell: list[str] = []  # the lines of the code block being read
    while block.isValid():
        if _in_code_block(block):
            shell.append(block.text())
            block = block.next()
            continue
        found.commands += shell_commands("\n".join(shell))
        shell = []
        runs: list[tuple[str, str]] = []  # (kind, text), neighbours of one kind joined
        frag = block.begin()
        while not frag.atEnd():
            fragment = frag.fragment()
            fmt = fragment.charFormat()
            text = fragment.text()
            if fmt.isAnchor() and fmt.anchorHref():
                found.links.append(fmt.anchorHref())
            if fmt.isImageFormat():
                found.images.append(fmt.toImageFormat().name())
            elif fmt.fontFixedPitch():
                kind = "code"
            elif fmt.fontWeight() >= QFont.Weight.Bold:
                kind = "bold"
            elif fmt.fontItalic():
                kind = "italic"
            else:
                kind = "plain"
            if not fmt.isImageFormat():
                if runs and runs[-1][0] == kind and kind != "code":
                    runs[-1] = (kind, runs[-1][1] + text)
                else:
                    runs.append((kind, text))
            frag += 1
        heading = block.blockFormat().headingLevel() > 0
        for kind, text in runs:
            if kind != "code":
                found.options += prose_options(text)
            if kind == "code" and is_command(text):
                found.commands.append(text)
            elif kind == "code" and is_environment(text):
                found.environment.append(text)
            elif kind == "code":
                found.keys.append(text)
            elif kind == "bold" and ARROW in text and not heading:
                found.paths.append(text.strip())
            elif kind == "italic":
                found.controls.append(text.strip())
            elif ARROW in text:
                found.stray_arrows.append(text.strip())
        block = block.next()
    found.commands += shell_commands("\n".join(shell))
    return found


def _in_code_block(block: QTextBlock) -> bool:
    """Whether a block is a line of a fenced or indented code block."""
    fmt = block.blockFormat()  # (Qt marks both kinds with a code language, maybe empty)
    return fmt.hasProperty(QTextFormat.Property.BlockCodeLanguage)


def menu_paths(bar: QMenuBar) -> set[str]:
    """Every entry of the menu bar as 'Menu → Item' (mnemonics left out)."""
    paths = set()
    for entry in bar.actions():
        menu = entry.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            if not action.isSeparator():
                paths.add(f"{plain(entry.text())} {ARROW} {plain(action.text())}")
    return paths


def documented_keys(schemes: Iterable) -> set[str]:
    """The keys a page may name: every registry key that is the same on every platform
    (not a platform's standard key, such as Undo's), presentation mode's keys, and the
    keys of the shipped schemes' events and rating lists."""
    keys = {
        QKeySequence(spec.shortcut).toString(PORTABLE)
        for spec in SPECS
        if isinstance(spec.shortcut, str)
    }
    sections = [presenting_section()]
    for scheme in schemes:
        sections += scheme_sections(scheme, {})
    keys |= {key for section in sections for row in section.rows for key in row.keys}
    return keys


def ui_texts() -> set[str]:
    """The user-visible strings the window's code passes through tr()."""
    texts = set()
    for source in UI_SOURCES.glob("*.py"):
        for match in re.finditer(r"""\btr\(\s*(["'])(.+?)\1""", source.read_text("utf-8")):
            texts.add(plain(match.group(2)))
    return texts


def problems(page: Mentions, paths: set[str], keys: set[str], texts: set[str]) -> list[str]:
    """What the page names that VFA does not have, each said with its reason."""
    found = [f"no menu entry {p!r}" for p in page.paths if p not in paths]
    for key in page.keys:
        spelled = QKeySequence(key).toString(PORTABLE)
        if not spelled:
            found.append(f"{key!r} is not a key")
        elif spelled != key:
            found.append(f"key {key!r} is spelled {spelled!r} by VFA")
        elif key not in keys:
            found.append(f"key {key!r} is not a key of VFA's")
    found += [
        f"no control named {c!r} on screen" for c in page.controls
        if not any(c in text for text in texts)
    ]  # fmt: skip
    found += [f"menu path {a!r} is not in bold" for a in page.stray_arrows]
    found += [why for command in page.commands for why in command_problems(command)]
    found += [why for name in page.environment for why in environment_problems(name)]
    found += [why for option in page.options for why in option_problems(option)]
    return found
