"""``vfa people`` and ``vfa case``: listing, adding and changing people's roles, sharing a
case with a therapist; refusals exit 2 with ``vfa: …`` and change nothing, whether the
options come before or after the subcommand."""

from __future__ import annotations

import json

import pytest

from tests.services.people_world import row_counts
from vfa.cli import main
from vfa.services import clips as clip_service
from vfa.services.viewer import viewing_as
from vfa.storage.workspace import open_workspace


@pytest.fixture
def path(tmp_path, capsys) -> str:
    """A new workspace (made as a user does, with ``vfa workspace new``)."""
    target = str(tmp_path / "team.vfa")
    assert main(["workspace", "new", target]) == 0
    capsys.readouterr()
    return target


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def counts(path: str) -> dict[str, int]:
    ws = open_workspace(path)
    try:
        return row_counts(ws)
    finally:
        ws.close()


def managed(path: str, capsys) -> None:
    """Ada the admin, Tia the therapist, Cal the coder."""
    assert run(capsys, "people", "add", "Ada", "--role", "admin", "--workspace", path)[0] == 0
    for name, role in (("Tia", "therapist"), ("Cal", "coder")):
        status, _, err = run(capsys, "--as", "Ada", "--workspace", path, "people", "add", name,
                             "--role", role)  # fmt: skip
        assert status == 0, err


def test_a_personal_workspace_lists_its_people_and_says_roles_do_not_count_yet(path, capsys):
    status, out, _ = run(capsys, "people", "list", "--workspace", path)
    assert status == 0
    assert out.splitlines() == [
        "no people yet",
        "(a personal workspace: roles are not checked until an admin is added, with vfa "
        "people add NAME --role admin)",
    ]


@pytest.mark.parametrize("before", [True, False], ids=["options-first", "options-after"])
def test_people_added_and_listed_as_json_and_text(path, capsys, before):
    managed(path, capsys)
    opts = ["--workspace", path, "--as", "Ada"]
    argv = ["people", "add", "Sue", "--role", "Supervisor"]
    status, out, _ = run(capsys, *(opts + argv if before else argv + opts))
    assert (status, out) == (0, "Sue is a supervisor\n")
    argv = ["people", "list", "--json"]
    opts = ["--workspace", path]
    status, out, _ = run(capsys, *(opts + argv if before else argv + opts))
    assert status == 0
    assert json.loads(out) == [
        {"name": "Ada", "role": "admin", "login": None},
        {"name": "Cal", "role": "coder", "login": None},
        {"name": "Sue", "role": "supervisor", "login": None},
        {"name": "Tia", "role": "therapist", "login": None},
    ]
    status, out, _ = run(capsys, *(opts + argv[:2] if before else argv[:2] + opts))
    assert out.splitlines() == ["Ada\tadmin", "Cal\tcoder", "Sue\tsupervisor", "Tia\ttherapist"]


@pytest.mark.parametrize("before", [True, False], ids=["options-first", "options-after"])
def test_an_admin_changes_a_role(path, capsys, before):
    managed(path, capsys)
    argv = ["people", "role", "Cal", "supervisor"]
    opts = ["--workspace", path, "--as", "Ada"]
    status, out, _ = run(capsys, *(opts + argv if before else argv + opts))
    assert (status, out) == (0, "Cal is a supervisor now\n")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["people", "add", "Zed", "--role", "coder", "--as", "Cal"],
            "Cal is a coder: only an admin may manage people",
        ),
        (
            ["people", "add", "Zed", "--role", "coder", "--as", "Nobody"],
            "Nobody is not one of this workspace's people, so may not manage people",
        ),
        (
            ["people", "add", "Zed", "--role", "boss", "--as", "Ada"],
            "role boss: not a role (one of therapist, coder, supervisor, admin)",
        ),
        (["people", "add", "", "--role", "coder", "--as", "Ada"], "person: give a name"),
        (["people", "role", "Zed", "coder", "--as", "Ada"], "person Zed: no such person in "),
        (
            ["people", "role", "Ada", "coder", "--as", "Ada"],
            "Ada is the workspace's only admin: make someone else admin first",
        ),
        (
            ["people", "role", "Tia", "admin", "--as", "Tia"],
            "Tia is a therapist: only an admin may manage people",
        ),
        (["case", "share", "FAM-9", "Tia", "--as", "Ada"], "case FAM-9: no such case in "),
        (
            ["case", "share", "FAM-1", "Cal", "--as", "Ada"],
            "case FAM-1: Cal is a coder; a case is shared with therapists",
        ),
        (
            ["case", "share", "FAM-1", "Ada", "--as", "Ada"],
            "case FAM-1: Ada is an admin; a case is shared with therapists",
        ),
        (
            ["case", "share", "FAM-1", "Tia", "--as", "Cal"],
            "Cal is a coder: only a therapist, supervisor or admin may add and change clips",
        ),
        (
            ["case", "unshare", "FAM-1", "Tia", "--as", "Ada"],
            "case FAM-1: it is not shared with Tia (members: none)",
        ),
        (  # the role is said first, not what is wrong with the order
            ["reel", "order", "--session", "1", "--if-version", "1", "7", "--as", "Cal"],
            "Cal is a coder: only a therapist, supervisor or admin may tag moments and build reels",
        ),
    ],
    ids=lambda v: v[1] if isinstance(v, list) else None,
)
def test_refusals_exit_2_with_the_reason_and_change_nothing(path, capsys, clips, argv, said):
    managed(path, capsys)
    ws = open_workspace(path)
    with viewing_as("Ada"):
        clip_service.add_clip(ws, clips["noaudio"], "FAM-1", "Visit 1")
    ws.close()
    before = counts(path)
    command, who = argv[: argv.index("--as")], argv[argv.index("--as") :]
    for order in ([*command, *who, "--workspace", path], ["--workspace", path, *who, *command]):
        status, out, err = run(capsys, *order)
        assert status == 2
        assert out == ""
        assert err.startswith(f"vfa: {said}"), err
        assert "Traceback" not in err
    assert counts(path) == before


def test_a_case_is_shared_and_unshared(path, capsys, clips):
    managed(path, capsys)
    assert run(capsys, "--as", "Ada", "--workspace", path, "people", "add", "Tom", "--role",
               "therapist")[0] == 0  # fmt: skip
    ws = open_workspace(path)
    with viewing_as("Tia"):  # her new case: hers alone
        clip_service.add_clip(ws, clips["noaudio"], "FAM-1", "Visit 1")
    ws.close()
    status, out, _ = run(capsys, "case", "members", "fam-1", "--workspace", path, "--as", "Ada")
    assert (status, out) == (0, "case FAM-1 is shared with Tia\n")
    status, out, _ = run(capsys, "--as", "Tia", "case", "share", "FAM-1", "Tom", "--workspace",
                         path, "--json")  # fmt: skip
    assert status == 0 and json.loads(out) == {"case": "FAM-1", "members": ["Tia", "Tom"]}
    status, out, _ = run(capsys, "case", "unshare", "FAM-1", "Tom", "--workspace", path, "--as",
                         "Tia")  # fmt: skip
    assert (status, out) == (0, "case FAM-1 is shared with Tia\n")
    status, out, _ = run(capsys, "case", "unshare", "FAM-1", "Tia", "--workspace", path, "--as",
                         "Ada")  # fmt: skip
    assert (status, out) == (0, "case FAM-1 is shared with nobody: open to every therapist\n")


def test_a_therapist_lists_only_the_cases_shared_with_them(path, capsys, clips):
    managed(path, capsys)
    assert run(capsys, "--as", "Ada", "--workspace", path, "people", "add", "Tom", "--role",
               "therapist")[0] == 0  # fmt: skip
    ws = open_workspace(path)
    with viewing_as("Tia"):
        clip_service.add_clip(ws, clips["noaudio"], "FAM-1", "Visit 1")
    with viewing_as("Tom"):
        clip_service.add_clip(ws, clips["cfr25"], "FAM-2", "Visit 1")
    ws.close()
    listed = {}
    for name in ("Tia", "Tom", "Ada"):
        status, out, _ = run(capsys, "clip", "list", "--json", "--workspace", path, "--as", name)
        assert status == 0
        listed[name] = sorted({row["case"] for row in json.loads(out)})
    assert listed == {"Tia": ["FAM-1"], "Tom": ["FAM-2"], "Ada": ["FAM-1", "FAM-2"]}
