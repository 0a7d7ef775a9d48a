"""A missing outside part is a skip naming it locally and a failure naming it under CI.

Runs real tests of the suite in a child pytest with the shared folder pointed at an empty
one (VFA_TEST_SHARED), no PostgreSQL URL and no Xvfb on PATH: once as a developer would,
once with CI set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# a test of each outside part: the node id and the words its report must contain
NEEDS = {
    "tests/io/test_boris.py::test_the_shared_sample_gives_each_players_offset": (
        "the shared interop samples (../shared/interop)",
        "/interop/boris/test.boris not found",
    ),
    "tests/media/test_frame_server.py::test_random_frames_of_shared_clips_are_exact"
    "[ntsc2997.mp4]": (
        "the shared test media (../shared/media)",
        "/media/manifest.json not found",
    ),
    "tests/storage/test_workspace.py::test_the_same_models_and_migrations_run_on_postgresql": (
        "a PostgreSQL server",
        "VFA_TEST_PG_URL is not set",
    ),
    "tests/e2e/test_vlc_e2e.py::test_vlc_scenarios_under_xvfb": ("Xvfb", "no Xvfb on PATH"),
}


def _child(tmp_path: Path, ci: str | None) -> tuple[int, str]:
    empty = tmp_path / "no-shared"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "VFA_TEST_PG_URL")}
    env.update(VFA_TEST_SHARED=str(empty), PATH=str(empty), PYTHONPATH=str(ROOT))
    if ci is not None:
        env["CI"] = ci
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-q", *NEEDS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    return run.returncode, run.stdout + run.stderr


@pytest.mark.parametrize("ci", [None, ""])  # CI unset, or set but empty: a skip
def test_without_ci_a_missing_part_is_a_skip_naming_it(tmp_path, ci):
    code, out = _child(tmp_path, ci)
    assert code == 0, out
    assert f"{len(NEEDS)} skipped" in out and "failed" not in out and "passed" not in out, out
    for part, detail in NEEDS.values():
        assert f"{part} missing: " in out and detail in out, (part, out)


def test_under_ci_a_missing_part_is_a_failure_naming_it(tmp_path):
    code, out = _child(tmp_path, "1")
    assert code == 1, out  # pytest's "tests failed"
    # each need is met in a fixture or at the test's start: an error at setup is a failure too
    assert f"{len(NEEDS)} errors" in out and "skipped" not in out and "passed" not in out, out
    for node, (part, detail) in NEEDS.items():
        line = next(x for x in out.splitlines() if x.startswith(f"ERROR {node} - Failed: "))
        assert f"CI needs {part}: " in line and detail in line, line
    assert "Traceback" not in out


def test_as_user_runs_without_root_and_reports_what_the_call_raised():
    import pwd

    from tests.requirements import as_user, hand_over, user_folder

    with user_folder() as home:
        hand_over(home)
        uid, gid, groups, config = as_user(
            home, lambda: (os.geteuid(), os.getegid(), os.getgroups(), os.environ["VFA_CONFIG_DIR"])
        )
        assert uid != 0 and gid != 0 and 0 not in groups
        if os.geteuid() == 0:  # dropped to 'nobody' with no supplementary groups
            nobody = pwd.getpwnam("nobody")
            assert (uid, gid, groups) == (nobody.pw_uid, nobody.pw_gid, [])
        assert config == str(home / ".config")
        with pytest.raises(pytest.fail.Exception, match="ZeroDivisionError: integer division"):
            as_user(home, lambda: 1 // 0)
