"""Every ``vfa`` subcommand, run as a coder with an open blind run (and as a supervisor):
nothing of another coder's blind coding reaches the output, and the output does not
depend on it. The subcommands are read from the parser, so a new one fails
``test_every_subcommand_is_walked`` until it is added here."""

from __future__ import annotations

import argparse
import io
import re
import shutil
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tests.services.blind_world import BEN_OWN, SECRET, TESS_ON_X, World, build_world
from vfa.cli import build_parser, main
from vfa.services import moments
from vfa.storage.workspace import open_workspace

SHIPPED = Path(__file__).resolve().parents[1] / "coding_schemes"

# each subcommand with the arguments the walk gives it ({name} filled in from the world)
COMMANDS: dict[tuple[str, ...], list[str]] = {
    ("probe",): ["{clip_file}"],
    ("still",): ["{clip_file}", "--frame", "3", "-o", "{out}/still-{viewer}.png"],
    ("clip", "add"): ["{clip_file}", "--case", "FAM-1", "--session", "Visit 1"],
    ("clip", "list"): [],
    ("clip", "check"): [],
    ("clip", "relink"): ["{clip_dir}"],
    ("schemes", "list"): [],
    ("schemes", "show"): ["kips"],
    ("schemes", "validate"): [str(SHIPPED / "kips.yaml")],
    ("score",): ["{out}/ratings.csv", "--scheme", "kips"],
    ("progress",): ["--case", "FAM-1", "--scheme", "kips", "-o", "{out}/chart-{viewer}.svg"],
    ("moment", "list"): ["--session", "{s1}"],
    ("moment", "add"): [
        "--clip",
        "{x}",
        "--start-ms",
        "3000",
        "--end-ms",
        "4000",
        "--tag",
        "vig:waiting",
        "--caption",
        "{viewer} by the command line",
    ],
    ("consent", "set"): ["--clip", "{z}", "--purposes", "feedback,supervision"],
    ("consent", "show"): ["--clip", "{x}"],
    ("consent", "due"): [],
    ("reel", "show"): ["--session", "{s1}"],
    ("reel", "order"): ["--session", "{s1}", "{reversed_reel}"],
    ("reel", "theme"): ["--session", "{s1}", "Sensitive discipline"],
    ("reel", "export"): ["--session", "{s1}", "--purpose", "feedback", "-o", "{out}/reel-{viewer}"],
    ("reel", "script"): ["--session", "{s1}", "-o", "{out}/script-{viewer}.pdf"],
    ("reliability",): ["{out}/ratings.csv"],
    ("agreement",): ["{out}/events.csv"],
    ("assign",): ["--scheme", "kips", "--coders", "Ann,Ben", "--clips", "{x}"],
    ("assignments",): [],
    # the whole trail shows that acts on hidden runs happened (who, when, what kind: see
    # tests/services/test_audit_trail.py); here what Tess did, which hides her moment on
    # X from Ben
    ("audit",): ["--person", "Tess"],
    ("reliability-report",): ["--scheme", "kips", "-o", "{out}/report-{viewer}.csv"],
    ("certification",): ["--scheme", "kips", "--coder", "Ben", "--reference", "Ann"],
    ("criterion", "set"): ["--scheme", "kips", "--statistic", "icc_2_1", "--threshold", "0.7"],
    ("criterion", "show"): ["--scheme", "kips"],
    ("workspace", "info"): [],
    ("workspace", "new"): ["{out}/new-{viewer}-{format}.vfa"],
    # a workspace file has no logins: refused alike (the server's rules: test_team_rls.py)
    ("team", "init"): [],
    ("team", "add"): ["Eve", "--role", "coder"],
    ("team", "list"): [],
    ("check",): [],
    ("backup",): ["--list"],
    ("export",): ["--format", "csv", "--all", "-o", "{out}/events-{viewer}-{format}.csv"],
    ("import",): ["{out}/events-{viewer}-{format}.csv", "--clip", "{z}", "--dry-run"],
    ("people", "list"): [],
    ("people", "add"): ["Zed", "--role", "coder"],
    ("people", "role"): ["Zed", "therapist"],
    ("case", "share"): ["FAM-1", "Zed"],
    ("case", "members"): ["FAM-1"],
    ("case", "unshare"): ["FAM-1", "Zed"],
    ("checkout",): ["--coder", "Ben", "-o", "{out}/laptop-{viewer}-{format}.vfa"],
    # the copy the backup walk made: everything is already here
    ("merge",): ["{out}/backup-{viewer}-{format}.vfa", "--dry-run"],
}
# run on their own in tests below, or not at all, and why
NOT_RUN = {
    ("gui",): "opens the window; --as is refused for it (the window's coder is the Coder in "
    "File → Settings…) and its reads are the services walked in "
    "tests/services/test_blind_everywhere.py",
    ("demo",): "makes the demo cases, their generated clips and their coding; prints none",
    ("restore",): "puts a backup in the workspace's place; shows no coding",
    ("workspace", "encrypt"): "rewrites the whole file encrypted, as restore does; shows no coding",
    ("workspace", "decrypt"): "rewrites the whole file plain, as restore does; shows no coding",
}
ALSO = {
    ("moment", "list"): [["--clip", "{x}"]],
    ("progress",): [["--case", "FAM-1", "--scheme", "kips", "--submitted-only"]],
    ("assignments",): [["--coder", "Ann"]],
    ("audit",): [["--case", "FAM-1", "--kind", "consent"]],
    ("reel", "show"): [["--session", "{s2}"]],
    # a copy of the whole workspace file, as the person already holds it: no view of it
    ("backup",): [["-o", "{out}/backup-{viewer}-{format}.vfa"]],
    ("export",): [
        [
            "--format",
            "csv",
            "--what",
            "ratings",
            "--all",
            "-o",
            "{out}/ratings-{viewer}-{format}.csv",
        ],
        ["--format", "json", "--all", "-o", "{out}/all-{viewer}-{format}.json"],
        ["--format", "eaf", "--clip", "{x}", "-o", "{out}/x-{viewer}-{format}.eaf"],
        ["--format", "boris", "--clip", "{x}", "-o", "{out}/x-{viewer}-{format}.boris"],
        ["--format", "sdis", "--clip", "{x}", "-o", "{out}/x-{viewer}-{format}.sds"],
    ],
}


def leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from leaves(sub, (*path, name))
    if path and parser.get_default("func") is not None:
        yield path, parser


def test_every_subcommand_is_walked():
    found = {path for path, _ in leaves(build_parser())}
    missing = found - set(COMMANDS) - set(NOT_RUN)
    assert not missing, f"add these subcommands to the blind walk: {sorted(missing)}"
    assert not (set(COMMANDS) | set(NOT_RUN)) - found


def walk(world: World, place: Path, clips: dict[str, Path]) -> dict[str, str]:
    """Every subcommand as Ben (--as before the subcommand) and Sue (after it), in text
    and JSON: exit status, output and the files written."""
    out = place / "out"
    out.mkdir()
    (out / "ratings.csv").write_text("unit,coder,item,value\nu1,a,sensitivity_of_responses,3\n")
    (out / "events.csv").write_text(
        "unit,coder,code,start_ms,end_ms,duration_ms\nu1,a,x,0,1000,6000\n"
    )
    has_json = {path: "--json" in p._option_string_actions for path, p in leaves(build_parser())}
    seen: dict[str, str] = {}
    for path in sorted(COMMANDS):
        for args in [COMMANDS[path], *ALSO.get(path, [])]:
            for viewer in ("Ben", "Sue"):
                for form in ("text", "json") if has_json[path] else ("text",):
                    reel = [m.id for m in moments.reel(world.ws, world.s1, viewer)][::-1]
                    values = {
                        "clip_file": clips["cfr25"], "clip_dir": clips["cfr25"].parent,
                        "out": out, "viewer": viewer, "format": form, "x": world.x,
                        "z": world.z, "s1": world.s1, "s2": world.s2,
                        "reversed_reel": ",".join(map(str, reel)),
                    }  # fmt: skip
                    filled = [a.format(**values) for a in args]
                    tail = [*filled, "--workspace", str(world.ws.path)]
                    tail += ["--json"] if form == "json" else []
                    argv = (
                        ["--as", viewer, *path, *tail]
                        if viewer == "Ben"
                        else [*path, *tail, "--as", viewer]
                    )
                    printed, errors = io.StringIO(), io.StringIO()
                    with redirect_stdout(printed), redirect_stderr(errors):
                        code = main(argv)
                    shown = [a.format(**{**values, "out": "OUT"}) for a in args]
                    key = f"{' '.join(path)} {' '.join(shown)} [{viewer}, {form}]"
                    seen[key] = f"exit {code}\n{printed.getvalue()}\n{errors.getvalue()}"
    for file in sorted(out.rglob("*")):
        if file.suffix in {".csv", ".srt", ".svg", ".txt", ".json", ".eaf", ".boris", ".sds"}:
            seen[f"file {file.relative_to(out)}"] = file.read_text(errors="replace")
        elif file.is_file():
            seen[f"file {file.relative_to(out)}"] = "present"
    return {k: WHEN.sub("<time>", v) for k, v in seen.items()}


# times of day, and the stamps in backup file names
WHEN = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?|\d{8}-\d{6}-\d+")


@pytest.fixture(scope="module")
def walked(tmp_path_factory, clips) -> dict[int, dict[str, str]]:
    """The walk's outputs with Ann's first and with her second variant of blind coding."""
    results: dict[int, dict[str, str]] = {}
    base = tmp_path_factory.mktemp("blind-walk")
    for variant in (1, 2):
        place = base / "w"  # the same place both times: paths in the output agree
        place.mkdir()
        ws = open_workspace(place / "test.vfa", create=True)
        try:
            world = build_world(ws, clips, variant)
            results[variant] = walk(world, place, clips)
        finally:
            ws.close()
        shutil.rmtree(place)
    return results


def test_no_subcommand_shows_anything_of_another_coders_open_blind_coding(walked):
    for key, text in walked[1].items():
        assert SECRET not in text, key
        assert "Traceback" not in text, key
        if "[Ben," in key:
            assert TESS_ON_X not in text, key
        if "[Sue," in key or "-Sue-" in key or "-Sue." in key:
            assert BEN_OWN not in text, key


def test_no_subcommand_output_depends_on_another_coders_open_blind_coding(walked):
    first, second = walked[1], walked[2]
    assert first.keys() == second.keys()
    differ = {k: (first[k], second[k]) for k in first if first[k] != second[k]}
    assert not differ, f"the output depends on Ann's blind coding: {differ}"


def test_the_walk_ran_the_commands_and_saw_what_may_be_seen(walked):
    seen = walked[1]
    assert seen["moment list --clip 1 [Ben, text]"].startswith("exit 0")
    assert BEN_OWN in seen["moment list --clip 1 [Ben, text]"]
    assert TESS_ON_X in seen["moment list --clip 1 [Sue, text]"]
    assert "Tess on Z" in seen["reel show --session 1 [Ben, text]"]
    progress = seen["progress --case FAM-1 --scheme kips -o OUT/chart-Ben.svg [Ben, text]"]
    assert "/ Ben: 2.00" in progress and "/ Tess: 4.00" in progress and "Ann" not in progress
    refused = seen["reel export --session 1 --purpose feedback -o OUT/reel-Ben [Ben, text]"]
    assert refused.startswith("exit 2") and "vfa: session 1: " in refused


# -- the report, as a user meets it ---------------------------------------------------


@pytest.fixture
def one_world(tmp_path, clips):
    ws = open_workspace(tmp_path / "test.vfa", create=True)
    world = build_world(ws, clips, 1)
    yield world, str(tmp_path / "test.vfa")
    ws.close()


@pytest.mark.parametrize("before", [True, False])
def test_progress_and_moment_list_hide_the_other_blind_coders_totals_and_captions(
    one_world, capsys, before
):
    world, path = one_world
    for command in (
        ["progress", "--case", "FAM-1", "--scheme", "kips", "--json"],
        ["moment", "list", "--clip", str(world.x), "--json"],
    ):
        argv = ["--as", "Ben", *command] if before else [*command, "--as", "Ben"]
        assert main([*argv, "--workspace", path]) == 0
        out = capsys.readouterr().out
        assert '"Ann"' not in out and SECRET not in out and "5.0" not in out
        assert '"Ben"' in out


def test_the_settings_coder_is_who_asks_without_as(one_world, capsys, monkeypatch):
    from vfa.ui.settings import Settings

    world, path = one_world
    Settings().set("coder/name", "Ben")
    assert main(["moment", "list", "--clip", str(world.x), "--workspace", path]) == 0
    out = capsys.readouterr().out
    assert BEN_OWN in out and TESS_ON_X not in out and SECRET not in out
    Settings().set("coder/name", "Ann")
    assert main(["moment", "list", "--clip", str(world.x), "--workspace", path]) == 0
    out = capsys.readouterr().out
    assert SECRET in out and BEN_OWN not in out


@pytest.mark.parametrize(
    "argv", [["gui", "--as", "Ben"], ["--as", "Ben"], ["demo", "--open", "--as", "Ben"]]
)
def test_as_is_refused_for_the_window(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("vfa: --as is for the batch commands") and "Traceback" not in err
