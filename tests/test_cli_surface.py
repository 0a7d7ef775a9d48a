"""Every ``vfa`` subcommand has a scenario where the user meets it: the command run as typed
on a real workspace, its exact output or the files it wrote checked. ``SCENARIOS`` maps
each leaf subcommand of the parser (and bare ``vfa``) to the test that runs it, so a new
subcommand without one fails ``test_every_subcommand_has_a_scenario`` with its name."""

from __future__ import annotations

import argparse
import ast
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vfa.cli import build_parser, main

TESTS = Path(__file__).resolve().parent

# leaf subcommand -> "file::test" that runs it as a user types it
SCENARIOS: dict[tuple[str, ...], str] = {
    (): "test_cli_surface_window.py::test_bare_vfa_opens_the_window_on_the_welcome_view",
    ("gui",): "test_cli_surface_window.py::test_gui_opens_the_named_workspace",
    ("demo",): "test_cli_surface.py::test_demo_makes_a_workspace_with_its_clips_and_moments",
    ("probe",): "test_cli_surface_still.py::test_probe_reports_the_clips_facts",
    ("still",): "test_cli_surface_still.py::test_still_is_the_named_frame_at_full_size",
    ("clip", "add"): "test_cli.py::test_clip_add_creates_case_and_session_and_prints_ids",
    ("clip", "list"): "test_cli_surface.py::test_clip_list_names_every_clip_by_case_and_session",
    ("clip", "check"): "test_cli.py::test_clip_check_reports_a_missing_file_with_exit_1",
    ("clip", "relink"): "test_cli.py::test_clip_check_reports_a_missing_file_with_exit_1",
    ("schemes", "list"): "test_cli_schemes.py::test_schemes_list_json",
    ("schemes", "show"): "test_cli_schemes.py::test_schemes_show_json_names_every_item_and_code",
    ("schemes", "validate"): (
        "test_cli_schemes.py::test_schemes_validate_exits_2_with_file_place_reason_per_bad_file"
    ),
    ("score",): "test_cli_schemes.py::test_score_prints_total_band_and_missing_per_unit_and_coder",
    ("progress",): "test_cli_surface.py::test_progress_gives_each_sessions_total_and_band",
    ("moment", "add"): "test_cli_surface_feedback.py::test_moment_add_snaps_the_span_to_frames",
    ("moment", "list"): "test_cli_surface_feedback.py::test_moment_list_by_clip_and_by_session",
    ("consent", "set"): "test_cli_surface_feedback.py::test_consent_show_is_what_was_last_set",
    ("consent", "show"): "test_cli_surface_feedback.py::test_consent_show_is_what_was_last_set",
    ("consent", "due"): "test_cli_audit.py::test_consent_set_until_then_consent_due_lists_it",
    ("audit",): "test_cli_audit.py::test_audit_lists_the_trail_newest_first_and_filters_it",
    ("reel", "show"): "test_cli_reel.py::test_reel_show_lists_the_reel_in_order_with_guidance",
    ("reel", "order"): "test_cli_surface_feedback.py::test_reel_order_is_the_order_reel_show_gives",
    ("reel", "theme"): "test_cli_surface_feedback.py::test_reel_theme_is_stored_and_shown",
    ("reel", "export"): "test_cli_reel.py::test_reel_export_is_frame_exact_on_shared_clips",
    ("reel", "script"): "test_cli_surface_feedback.py::test_reel_script_writes_the_visits_pdf",
    ("reliability",): (
        "test_cli_surface_workspace.py::test_reliability_of_two_coders_one_point_apart_on_one_unit"
    ),
    ("agreement",): (
        "test_cli_surface_workspace.py::"
        "test_agreement_pairs_events_and_counts_time_units_by_their_midpoint"
    ),
    ("assign",): "test_cli_reliability.py::test_assign_every_nth_and_list_assignments",
    ("assignments",): "test_cli_reliability.py::test_assign_every_nth_and_list_assignments",
    ("reliability-report",): "test_cli_reliability.py::test_reliability_report_from_the_workspace",
    ("certification",): "test_cli_reliability.py::test_criterion_and_certification",
    ("criterion", "set"): "test_cli_reliability.py::test_criterion_and_certification",
    ("criterion", "show"): "test_cli_reliability.py::test_criterion_and_certification",
    ("backup",): "test_cli_data.py::test_backup_writes_a_sound_copy_and_lists_it",
    ("restore",): "test_cli_data.py::test_restore_puts_the_backup_back_and_keeps_the_state_before",
    ("check",): "test_cli_data.py::test_check_reports_a_missing_clip_with_what_to_do_and_exits_1",
    ("import",): "test_cli_exchange.py::test_import_prints_what_it_did_as_json",
    ("export",): "test_cli_exchange.py::test_export_csv_and_ratings_options_before_and_after",
    ("checkout",): "test_cli_merge.py::test_vfa_checkout_then_vfa_merge_brings_the_laptop_home",
    ("merge",): "test_cli_merge.py::test_vfa_checkout_then_vfa_merge_brings_the_laptop_home",
    ("workspace", "info"): (
        "test_cli_surface_workspace.py::test_workspace_new_and_info_name_and_count_what_is_in_it"
    ),
    ("workspace", "new"): (
        "test_cli_surface_workspace.py::test_workspace_new_and_info_name_and_count_what_is_in_it"
    ),
    ("workspace", "encrypt"): (
        "test_cli_encryption.py::test_encrypt_with_the_passphrase_file_before_the_subcommand"
    ),
    ("workspace", "decrypt"): (
        "test_cli_encryption.py::test_decrypt_gives_back_a_plain_workspace_with_every_row"
    ),
    ("people", "list"): "test_cli_people.py::test_people_added_and_listed_as_json_and_text",
    ("people", "add"): "test_cli_people.py::test_people_added_and_listed_as_json_and_text",
    ("people", "role"): "test_cli_people.py::test_an_admin_changes_a_role",
    ("case", "share"): "test_cli_people.py::test_a_case_is_shared_and_unshared",
    ("case", "unshare"): "test_cli_people.py::test_a_case_is_shared_and_unshared",
    ("case", "members"): "test_cli_people.py::test_a_case_is_shared_and_unshared",
    ("team", "init"): "test_cli_team.py::test_team_init_sets_up_a_database_and_can_run_again",
    (
        "team",
        "add",
    ): "test_cli_team.py::test_team_add_makes_a_login_that_connects_and_the_person_with_it",
    (
        "team",
        "list",
    ): "test_cli_team.py::test_team_add_makes_a_login_that_connects_and_the_person_with_it",
}


def leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator:
    """Each runnable subcommand of ``parser`` as its words (as tests/test_cli_blind.py walks)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from leaves(sub, (*path, name))
    if path and parser.get_default("func") is not None:
        yield path


def test_every_subcommand_has_a_scenario():
    found = {(), *leaves(build_parser())}
    missing = sorted(" ".join(("vfa", *p)) for p in found - set(SCENARIOS))
    assert not missing, f"give these subcommands a user-level scenario: {missing}"
    gone = sorted(" ".join(("vfa", *p)) for p in set(SCENARIOS) - found)
    assert not gone, f"these are no subcommands any more: {gone}"


def _test_functions(file: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


@pytest.mark.parametrize("command", sorted(SCENARIOS), ids=lambda c: " ".join(c) or "bare")
def test_each_scenario_is_a_test_that_types_the_command(command):
    file, name = SCENARIOS[command].split("::")
    tests = _test_functions(TESTS / file)
    assert name in tests, f"{SCENARIOS[command]}: no such test"
    words = _strings(tests[name])
    assert set(command) <= words, f"{SCENARIOS[command]} never types 'vfa {' '.join(command)}'"


# -- helpers the scenario files share ------------------------------------------------------


def run(capsys, *argv: Any) -> tuple[int, Any, str]:
    """``vfa ARGV`` as typed: exit status, stdout (parsed when --json and it succeeded), stderr."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse refuses an option before any command runs
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if code in (0, 1) and "--json" in argv:
        return code, json.loads(out), err
    return code, out, err


def refused(capsys, *argv: Any) -> str:
    """``vfa ARGV`` must exit 2 with a ``vfa:`` message and print nothing; returns it."""
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "", (code, out, err)
    assert err.startswith("vfa: ") and err.count("\n") == 1, err
    return err[len("vfa: ") :].strip()


def workspace_with_clip(
    capsys, ws: Path, source: Path, folder: Path, case: str = "FAM-1", session: str = "Visit 1"
) -> tuple[int, int, Path]:
    """A new workspace (``vfa workspace new``) with a copy of ``source`` added as a clip."""
    if not ws.exists():
        code, _, err = run(capsys, "workspace", "new", ws)
        assert code == 0, err
    clip = folder / f"{case}-{session.replace(' ', '_')}{source.suffix}"
    shutil.copy(source, clip)
    code, data, err = run(
        capsys, "clip", "add", clip, "--case", case, "--session", session,
        "--workspace", ws, "--json",
    )  # fmt: skip
    assert code == 0, err
    return data["clip_id"], data["session_id"], clip


# -- demo, clip list, progress -------------------------------------------------------------


@pytest.mark.parametrize("before", [False, True])
def test_demo_makes_a_workspace_with_its_clips_and_moments(capsys, tmp_path, before):
    from vfa.media.probe import probe

    target = tmp_path / "try.vfa"
    where = ["--workspace", target]
    argv = [*where, "demo", "--json"] if before else ["demo", *where, "--json"]
    code, made, err = run(capsys, *argv)
    assert code == 0 and err == ""
    assert made["workspace"] == str(target)
    code, clips, _ = run(capsys, "clip", "list", "--workspace", target, "--json")
    assert [(c["case"], c["session"]) for c in clips] == [
        ("DEMO-001", "Visit 1"),
        ("DEMO-001", "Visit 2"),
        ("DEMO-002", "Visit 1"),
    ]
    assert clips[0]["clip_id"] == made["clip_id"]
    files = {f.name: f for f in (tmp_path / "try-media").iterdir()}
    assert sorted(files) == sorted(c["name"] for c in clips)
    assert [probe(files[c["name"]]).duration_ms for c in clips] == [c["duration_ms"] for c in clips]
    # its first visit's reel is ready to show: every moment on it is of that visit's clip
    code, reel, _ = run(
        capsys, "reel", "show", "--session", clips[0]["session_id"], "--workspace", target, "--json"
    )
    assert code == 0 and reel["moments"]
    assert {m["clip_id"] for m in reel["moments"]} == {made["clip_id"]}
    # asked again, it opens what is there; the text form names the workspace
    code, out, _ = run(capsys, "demo", "--workspace", target)
    assert code == 0 and out == f"demo workspace ready: {target}\n"
    code, again, _ = run(capsys, "clip", "list", "--workspace", target, "--json")
    assert again == clips


def test_clip_list_names_every_clip_by_case_and_session(capsys, tmp_path, clips):
    from vfa.media.probe import probe

    ws = tmp_path / "list.vfa"
    code, out, _ = run(capsys, "workspace", "new", ws)
    code, out, _ = run(capsys, "clip", "list", "--workspace", ws)
    assert code == 0 and out == "no clips\n"
    a, s1, file_a = workspace_with_clip(capsys, ws, clips["cfr25"], tmp_path, "FAM-2", "Visit 1")
    b, s2, file_b = workspace_with_clip(capsys, ws, clips["ntsc"], tmp_path, "FAM-1", "Visit 2")
    code, rows, _ = run(capsys, "--json", "clip", "list", "--workspace", ws)
    assert code == 0
    assert rows == [
        {
            "case": "FAM-1",
            "session": "Visit 2",
            "session_id": s2,
            "clip_id": b,
            "name": file_b.name,
            "duration_ms": probe(file_b).duration_ms,
        },
        {
            "case": "FAM-2",
            "session": "Visit 1",
            "session_id": s1,
            "clip_id": a,
            "name": file_a.name,
            "duration_ms": probe(file_a).duration_ms,
        },
    ]
    code, out, _ = run(capsys, "clip", "--workspace", ws, "list")
    assert out.splitlines() == [
        f"{b:>5}  FAM-1 / Visit 2 / {file_b.name}",
        f"{a:>5}  FAM-2 / Visit 1 / {file_a.name}",
    ]


@pytest.fixture
def visits(capsys, tmp_path, clips):
    """FAM-1 on KIPS by Ann: Visit 1 (2024-01-10, cycle 1) every item 2, submitted;
    Visit 2 (2024-02-20, cycle 2) every item 4, still open."""
    from vfa.services import coding
    from vfa.services.schemes import get_scheme
    from vfa.storage.workspace import open_workspace

    ws_path = tmp_path / "progress.vfa"
    run(capsys, "workspace", "new", ws_path)
    kips = get_scheme("kips")
    given = {("Visit 1", "2024-01-10", "1"): 2, ("Visit 2", "2024-02-20", "2"): 4}
    for (session, date, cycle), value in given.items():
        clip = tmp_path / f"{session}.mp4"
        shutil.copy(clips["noaudio"], clip)
        code, added, err = run(
            capsys, "clip", "add", clip, "--case", "FAM-1", "--session", session,
            "--date", date, "--cycle", cycle, "--workspace", ws_path, "--json",
        )  # fmt: skip
        assert code == 0, err
        ws = open_workspace(ws_path)
        try:
            run_id = coding.open_run(ws, added["clip_id"], kips, "Ann").id
            for item in kips.ratings.items:
                coding.set_rating(ws, run_id, kips, item.id, value)
            if value == 2:
                coding.submit_run(ws, run_id)
        finally:
            ws.close()
    return ws_path, kips


def _band(scheme, total: float) -> str:
    return next(b.label for b in scheme.ratings.bands if b.min <= total <= b.max)


@pytest.mark.parametrize("before", [False, True])
def test_progress_gives_each_sessions_total_and_band(capsys, visits, tmp_path, before):
    ws, kips = visits
    options = ["--case", "FAM-1", "--scheme", "kips", "--json", "--workspace", ws]
    argv = [*options[4:], "progress", *options[:4]] if before else ["progress", *options]
    code, points, err = run(capsys, *argv)
    assert code == 0 and err == ""
    # every item rated v: the KIPS mean is v
    assert points == [
        {"session": "Visit 1", "date": "2024-01-10", "cycle": 1, "coder": "Ann", "total": 2.0,
         "band": _band(kips, 2.0)},
        {"session": "Visit 2", "date": "2024-02-20", "cycle": 2, "coder": "Ann", "total": 4.0,
         "band": _band(kips, 4.0)},
    ]  # fmt: skip
    code, submitted, _ = run(capsys, *argv, "--submitted-only")
    assert submitted == points[:1]


def test_progress_draws_the_chart_into_svg_and_png(capsys, visits, tmp_path):
    from xml.etree import ElementTree

    from PIL import Image

    ws, kips = visits
    svg, png = tmp_path / "chart.svg", tmp_path / "chart.png"
    code, out, err = run(
        capsys, "progress", "--case", "FAM-1", "--scheme", "kips", "-o", svg, "--workspace", ws
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"FAM-1 · {kips.name} — ")
    assert lines[1:] == [
        f"Visit 1 (2024-01-10) / Ann: 2.00 ({_band(kips, 2.0)})",
        f"Visit 2 (2024-02-20) / Ann: 4.00 ({_band(kips, 4.0)})",
        f"chart -> {svg}",
    ]
    assert ElementTree.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert "Visit 1" in svg.read_text() and "Visit 2" in svg.read_text()
    code, _, err = run(capsys, "progress", "--case", "FAM-1", "--scheme", "kips", "-o", png,
                       "--workspace", ws)  # fmt: skip
    assert code == 0, err
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > 0 and image.height > 0
    # an existing chart is replaced only with --force; before any work is done
    before = svg.read_bytes()
    why = refused(capsys, "progress", "--case", "FAM-1", "--scheme", "kips", "-o", svg,
                  "--workspace", ws)  # fmt: skip
    assert str(svg) in why and "--force" in why and svg.read_bytes() == before
    why = refused(capsys, "progress", "--case", "FAM-1", "--scheme", "kips", "-o",
                  tmp_path / "chart.pdf", "--workspace", ws)  # fmt: skip
    assert "chart.pdf" in why and ".png" in why and ".svg" in why


@pytest.mark.parametrize(
    "options, named",
    [
        (["--case", "FAM-404", "--scheme", "kips"], "FAM-404"),
        (["--case", "FAM-1", "--scheme", "nope"], "nope"),
    ],
)
def test_progress_names_an_unknown_case_or_scheme(capsys, visits, options, named):
    ws, _ = visits
    assert named in refused(capsys, "progress", *options, "--workspace", ws)
