"""The commands the README lists and the help pages quote are ``vfa``'s own: each is read
by the real parser (tests/help_commands.py), and the README's list names every command
``vfa`` has. The help pages' own check (menus, keys, controls, and these commands) runs
in tests/ui/test_quick_start.py and tests/ui/test_guide.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.help_commands import (
    command_problems,
    environment_problems,
    option_problems,
    prose_options,
    shell_commands,
    subcommand_of,
)
from tests.test_cli_surface import leaves
from vfa.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def readme_commands() -> list[str]:
    """The ``vfa`` commands of the README's shell blocks, continuation lines joined."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [command for block in blocks for command in shell_commands(block)]


def test_the_readme_lists_commands():
    assert len(readme_commands()) > 40  # (the block is found and read)


@pytest.mark.parametrize("command", readme_commands())
def test_every_command_the_readme_lists_is_one_vfa_takes(command):
    assert command_problems(command) == []


def test_the_readme_lists_every_command_vfa_has():
    listed = {subcommand_of(command) for command in readme_commands()}
    missing = sorted(" ".join(("vfa", *p)) for p in set(leaves(build_parser())) - listed)
    assert not missing, f"add these to the README's command list: {missing}"


def test_every_option_the_readme_names_for_users_is_one_of_vfas():
    using = README.read_text(encoding="utf-8").split("## Development")[0]  # (ruff's after)
    named = prose_options(using)
    assert "--passphrase-file" in named and "--force" in named  # (the text is read)
    assert [why for option in named for why in option_problems(option)] == []


def test_the_readme_names_the_team_commands_with_their_options():
    listed = " \n".join(readme_commands())
    for option in ("--until", "--within", "--passphrase-file", "--dry-run", "--coder", "--csv"):
        assert option in listed


@pytest.mark.parametrize(
    ("command", "why"),
    [
        ("vfa peple list", "'vfa' has no command 'peple'"),
        ("vfa people --json", "'vfa people' needs one of: list, add, role"),
        ("vfa audit --persn Ben", "vfa audit has no option --persn"),
        ("vfa audit --pers Ben", "vfa audit has no option --pers"),  # (argparse would take it)
        ("vfa merge laptop.vfa --coder Ben", "vfa merge has no option --coder"),
        ("vfa people add Ada --role king", "'king' is not a role"),
        ("vfa people role Ada boss", "'boss' is not a role"),
        ("vfa audit --since 2026-13-01", "--since '2026-13-01': not a date"),
        ("vfa consent set --clip 3 --purposes feedback,fun", "'fun' is not a purpose"),
        ("vfa checkout --coder Ben", "-o/--output"),  # a required option left out
        ("vfa consent due --within soon", "--within"),  # a value its type refuses
        ("vfa clip list extra", "unrecognized arguments: extra"),
        ("vaf clip list", "is not a vfa command"),
        ("vfa 'clip list", "No closing quotation"),
    ],
)
def test_the_check_finds_a_command_vfa_does_not_take(command, why):
    found = command_problems(command)
    assert len(found) == 1 and found[0].startswith(repr(command)), found
    assert why in found[0]


@pytest.mark.parametrize(
    "command",
    [
        "vfa",
        "vfa --as Ben",
        "vfa merge",  # a command's name, in a sentence
        "vfa team",
        "vfa --workspace team.vfa merge laptop.vfa --dry-run",  # options before and after
        "vfa merge --as=Ben laptop.vfa",
        "vfa people role Cal ROLE",  # a placeholder is not a value
        "vfa audit [--since 2026-13-01] --json",  # optional parts are checked for names only
        'vfa team add "Cal Jones" --role coder --workspace URL',
        "vfa checkout URL --coder Ben \\\n    -o laptop.vfa",
    ],
)
def test_the_check_takes_commands_as_written(command):
    assert command_problems(command) == []


def test_the_check_names_an_option_no_command_has_even_in_an_optional_part():
    assert command_problems("vfa audit [--persn Ben] --json") == [
        "'vfa audit [--persn Ben] --json': vfa audit has no option --persn"
    ]


def test_a_shell_block_is_read_as_its_commands():
    block = (
        "# a comment\n"
        "vfa merge laptop.vfa --dry-run   # first look\n"
        "vfa checkout --coder Ben \\\n"
        "    -o laptop.vfa\n"
        "vfa still clip.mp4 --at-ms 10 -o still.png\n"
        "    [--purpose notes]             # more of the line above\n"
        "chmod 600 passphrase.txt\n"
    )
    assert shell_commands(block) == [
        "vfa merge laptop.vfa --dry-run",
        "vfa checkout --coder Ben -o laptop.vfa",
        "vfa still clip.mp4 --at-ms 10 -o still.png [--purpose notes]",
    ]


def test_an_option_named_in_a_text_is_one_a_vfa_command_has():
    assert prose_options("add --as and your name, or --passphrase-file; not -o or a — dash") == [
        "--as",
        "--passphrase-file",
    ]
    assert option_problems("--rename-case") == []  # (one command's own)
    assert option_problems("--passphrase") == ["no vfa command has the option --passphrase"]


def test_an_environment_variable_named_is_one_vfa_reads():
    assert environment_problems("VFA_PASSPHRASE") == []
    assert environment_problems("$VFA_WORKSPACE") == []
    assert environment_problems("VFA_PASSWORD") == [
        "VFA reads no environment variable VFA_PASSWORD"
    ]
