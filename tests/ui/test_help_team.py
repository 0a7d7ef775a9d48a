"""The help knows what makes VFA a team tool: the Quick start names the team's menu entries
and commands, and the user guide's team page quotes every team command with the options a
person needs (each one parsed by the real parser in test_quick_start.py and
test_guide.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from tests.help_commands import subcommand_of
from tests.ui.help_mentions import Mentions, mentions, menu_paths
from vfa.ui.actions import build_actions
from vfa.ui.menus import build_menus
from vfa.ui.quick_start import ROLES, page_file

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"

TEAM_MENUS = {
    "File → Who are you…",
    "File → People…",
    "File → Merge workspace…",
    "Tools → Audit trail…",
}
TEAM_COMMANDS = {
    ("people", "list"),
    ("people", "add"),
    ("people", "role"),
    ("case", "share"),
    ("case", "unshare"),
    ("case", "members"),
    ("team", "init"),
    ("team", "add"),
    ("team", "list"),
    ("audit",),
    ("consent", "set"),
    ("consent", "due"),
    ("workspace", "encrypt"),
    ("workspace", "decrypt"),
    ("merge",),
    ("checkout",),
}
# (command, option) a person needs to have read about
TEAM_OPTIONS = {
    (("consent", "set"), "--until"),
    (("consent", "due"), "--within"),
    (("workspace", "encrypt"), "--passphrase-file"),
    (("merge",), "--dry-run"),
    (("merge",), "--rename-case"),
    (("merge",), "--same-case"),
    (("checkout",), "--coder"),
    (("audit",), "--csv"),
    (("audit",), "--since"),
}


def read(pages: list[Path]) -> Mentions:
    """What the pages name, together."""
    found = Mentions()
    for page in pages:
        one = mentions(page.read_text(encoding="utf-8"))
        found.paths += one.paths
        found.commands += one.commands
        found.environment += one.environment
    return found


@pytest.fixture(scope="module")
def menus(qapp) -> set[str]:
    host = QMainWindow()
    build_menus(host.menuBar(), build_actions(host, {}))
    paths = menu_paths(host.menuBar())
    host.deleteLater()
    return paths


def test_the_quick_start_names_the_team_menu_entries(menus):
    assert TEAM_MENUS - menus == set()  # (they are the window's)
    named = set(read([page_file(role) for role in ROLES]).paths)
    assert TEAM_MENUS - named == set()


def test_the_quick_start_quotes_the_commands_the_window_does_not_have(qapp):
    quoted = {subcommand_of(c) for c in read([page_file(role) for role in ROLES]).commands}
    no_menu = {("case", "share"), ("consent", "due"), ("checkout",), ("team", "init")}
    assert no_menu - quoted == set()
    assert {("workspace", "encrypt"), ("people", "add"), ("merge",), ("audit",)} <= quoted


def test_the_guide_quotes_every_team_command_with_the_options_people_need(qapp):
    found = read(sorted(GUIDE.glob("*.md")))
    quoted = {subcommand_of(c) for c in found.commands}
    assert TEAM_COMMANDS - quoted == set()
    given = {
        (subcommand_of(c), word.split("=", 1)[0])
        for c in found.commands
        for word in c.split()
        if word.startswith("--")
    }
    assert TEAM_OPTIONS - given == set()
    assert "VFA_PASSPHRASE" in found.environment
    assert TEAM_MENUS - set(found.paths) == set()
