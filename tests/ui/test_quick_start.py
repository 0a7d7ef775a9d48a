"""Help → Quick start: a page a role, shipped with VFA, whose links lead from page to page
and which names only menu entries, keys and controls VFA has (so it cannot drift)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMainWindow

from tests.ui.help_mentions import documented_keys, mentions, menu_paths, problems, ui_texts
from vfa.services.schemes import SchemeLibrary
from vfa.ui.actions import build_actions
from vfa.ui.menus import build_menus
from vfa.ui.quick_start import ROLES, QuickStartWindow, help_folder, page_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def menus(qapp) -> set[str]:
    """The menu bar's entries, as the window builds them from the registry."""
    host = QMainWindow()
    build_menus(host.menuBar(), build_actions(host, {}))
    paths = menu_paths(host.menuBar())
    host.deleteLater()
    return paths


@pytest.fixture
def guide(qtbot) -> QuickStartWindow:
    window = QuickStartWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def heading(role: str) -> str:
    """The first line of a role's page, its title."""
    return page_file(role).read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()


@pytest.mark.parametrize("role", ROLES)
def test_a_roles_page_names_only_menu_entries_keys_and_controls_vfa_has(role, menus):
    page = mentions(page_file(role).read_text(encoding="utf-8"))
    keys = documented_keys(SchemeLibrary()())
    assert problems(page, menus, keys, ui_texts()) == []
    assert page.paths and page.keys  # (the page is read: it names some of each)


def test_the_check_finds_what_vfa_does_not_have(menus):
    page = mentions(
        "# A page\n\n1. **File → Open workspace…** then **File → Open the garden…**.\n"
        "2. Press `Ctrl+Shift+E`, `Ctrl+Q+X`, `ctrl+e` or `Ctrl+Alt+Y`, click *Submit* "
        "and *Launch*; Edit → Undo.\n"
    )
    keys = documented_keys(SchemeLibrary()())
    assert problems(page, menus, keys, ui_texts()) == [
        "no menu entry 'File → Open the garden…'",
        "'Ctrl+Q+X' is not a key",
        "key 'ctrl+e' is spelled 'Ctrl+E' by VFA",
        "key 'Ctrl+Alt+Y' is not a key of VFA's",
        "no control named 'Launch' on screen",
        "menu path '; Edit → Undo.' is not in bold",
    ]


def test_the_check_finds_commands_options_and_variables_vfa_does_not_have(menus):
    page = mentions(
        "# A page\n\nRun `vfa merge laptop.vfa --dry-run`, then `vfa audit --persn Ben`; "
        "add --as and your name, or --passphrase, or set `VFA_PASSPHRASE` or "
        "`VFA_PASSWORD`.\n\n"
        "```sh\nvfa people add Ada --role admin\nvfa checkout --coder Ben \\\n"
        "    -o laptop.vfa\nvfa people add Cal --role king\n```\n\n"
        "    vfa consent due --within 60\n"
    )
    assert page.commands == [
        "vfa merge laptop.vfa --dry-run",
        "vfa audit --persn Ben",
        "vfa people add Ada --role admin",
        "vfa checkout --coder Ben -o laptop.vfa",
        "vfa people add Cal --role king",
        "vfa consent due --within 60",
    ]
    assert page.keys == []  # (a command or a variable is not taken for a key)
    keys = documented_keys(SchemeLibrary()())
    assert problems(page, menus, keys, ui_texts()) == [
        "'vfa audit --persn Ben': vfa audit has no option --persn",
        "'vfa people add Cal --role king': 'king' is not a role "
        "(one of therapist, coder, supervisor, admin)",
        "VFA reads no environment variable VFA_PASSWORD",
        "no vfa command has the option --passphrase",
    ]


def test_every_role_in_the_list_shows_its_page(guide, qtbot):
    assert [guide.roles.item(n).data(Qt.ItemDataRole.UserRole) for n in range(3)] == list(ROLES)
    assert guide.role() == ROLES[0]
    for n, role in reversed(list(enumerate(ROLES))):
        rect = guide.roles.visualItemRect(guide.roles.item(n))
        qtbot.mouseClick(guide.roles.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert guide.role() == role
        assert guide.page.toPlainText().startswith(heading(role))


def links_of(guide: QuickStartWindow) -> list[tuple[str, QTextCursor]]:
    """Each link on the page shown: its target and a cursor inside its text."""
    found = []
    block = guide.page.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isAnchor():
                cursor = QTextCursor(guide.page.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                found.append((fragment.charFormat().anchorHref(), cursor))
            it += 1
        block = block.next()
    return found


@pytest.mark.parametrize("role", ROLES)
def test_a_click_on_a_link_shows_that_roles_page_and_selects_the_role(guide, qtbot, role):
    targets = [href for href, _cursor in (guide.show_role(role) or links_of(guide))]
    assert targets and {Path(t).stem for t in targets} <= set(ROLES) - {role}
    for n, target in enumerate(targets):
        guide.show_role(role)
        _href, cursor = links_of(guide)[n]
        spot = guide.page.cursorRect(cursor).center()
        viewport = guide.page.viewport()
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(spot))
        qtbot.waitUntil(lambda t=target: guide.role() == Path(t).stem, timeout=5_000)
        assert guide.page.toPlainText().startswith(heading(Path(target).stem))
        assert guide.roles.currentItem().data(Qt.ItemDataRole.UserRole) == Path(target).stem


def test_every_page_is_shipped_as_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["vfa"]
    package = ROOT / "vfa"
    pages = sorted(help_folder().glob("*.md"))
    assert [p.stem for p in pages] == sorted(ROLES)
    for page in pages:
        relative = page.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative
