"""``vfa audit`` and consent with an end date (``vfa consent set --until``, ``vfa consent
due``) as a user types them: options before and after the subcommand, JSON and text, a
CSV file, and refusals that exit 2 with a ``vfa:`` message naming the option and
changing nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_cli_surface import refused, run, workspace_with_clip
from vfa.cli.types import FIRST_DAY, LAST_DAY, day
from vfa.errors import InvalidInputError

DAY = dt.timedelta(days=1)


@pytest.fixture
def two_cases(capsys, clips, tmp_path):
    """A workspace with FAM-1's and FAM-2's clips; Ann records consent on the first."""
    ws = tmp_path / "team.vfa"
    first, _, _ = workspace_with_clip(capsys, ws, clips["cfr25"], tmp_path, "FAM-1", "Visit 1")
    second, _, _ = workspace_with_clip(capsys, ws, clips["noaudio"], tmp_path, "FAM-2", "Visit 1")
    code, _, err = run(
        capsys, "--as", "Ann", "consent", "set", "--clip", first, "--purposes", "feedback",
        "--workspace", ws,
    )  # fmt: skip
    assert code == 0, err
    return ws, first, second


def where(ws: Path, before: bool, *command) -> list:
    return ["--workspace", ws, *command] if before else [*command, "--workspace", ws]


@pytest.mark.parametrize("before", [False, True])
def test_audit_lists_the_trail_newest_first_and_filters_it(capsys, two_cases, before):
    ws, first, second = two_cases
    code, rows, err = run(capsys, *where(ws, before, "audit", "--json"))
    assert code == 0 and err == ""
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
    newest = rows[0]
    assert (newest["who"], newest["action"], newest["entity"], newest["entity_id"]) == (
        "Ann",
        "consent",
        "clip",
        first,
    )
    assert (newest["case"], newest["clip_id"], newest["before"]) == ("FAM-1", first, None)
    assert newest["after"]["purposes"] == ["feedback"]
    assert dt.datetime.fromisoformat(newest["when"]).date() <= dt.date.today() + DAY
    code, fam2, _ = run(capsys, *where(ws, before, "audit", "--case", "fam-2", "--json"))
    assert code == 0 and fam2 and {r["case"] for r in fam2} == {"FAM-2"}
    assert second in {r["clip_id"] for r in fam2}
    code, ann, _ = run(capsys, *where(ws, before, "audit", "--person", "ANN", "--json"))
    assert [r["action"] for r in ann] == ["consent"]
    code, kind, _ = run(capsys, *where(ws, before, "audit", "--kind", "clip", "--json"))
    assert {r["entity"] for r in kind} == {"clip"}
    # each clip added (and hashed), and the consent recorded
    assert sorted(r["action"] for r in kind if r["action"] != "hash") == ["add", "add", "consent"]
    today = dt.date.today().isoformat()
    code, days, _ = run(
        capsys, *where(ws, before, "audit", "--since", today, "--until", today, "--json")
    )
    assert days == rows
    code, newest_two, _ = run(capsys, *where(ws, before, "audit", "--limit", "2", "--json"))
    assert newest_two == rows[:2]
    # a kind in the window's words ("person", "Record  consent") is the stored one
    assert run(capsys, *where(ws, before, "people", "add", "Dee", "--role", "coder"))[0] == 0
    code, stored, _ = run(capsys, *where(ws, before, "audit", "--kind", "coder", "--json"))
    code, worded, _ = run(capsys, *where(ws, before, "audit", "--kind", "Person", "--json"))
    assert stored and worded == stored and {r["entity"] for r in worded} == {"coder"}
    code, said, _ = run(capsys, *where(ws, before, "audit", "--kind", "Record  consent", "--json"))
    assert [r["id"] for r in said] == [r["id"] for r in rows if r["action"] == "consent"] != []


def test_audit_prints_a_line_an_entry(capsys, two_cases):
    ws, first, _ = two_cases
    code, rows, _ = run(capsys, "audit", "--workspace", ws, "--json")
    code, out, err = run(capsys, "audit", "--workspace", ws)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == len(rows)
    when = dt.datetime.fromisoformat(rows[0]["when"]).astimezone()
    assert lines[0].startswith(f"{when:%Y-%m-%d %H:%M:%S}  Ann  consent clip {first}  ")
    assert f"[case FAM-1, clip {first}]" in lines[0]
    assert lines[0].endswith('null → {"given_on":null,"purposes":["feedback"],"valid_until":null}')
    code, out, _ = run(capsys, "audit", "--workspace", ws, "--person", "nobody")
    assert (code, out) == (0, "no audit entries\n")


@pytest.mark.parametrize("before", [False, True])
def test_a_kind_is_taken_in_the_windows_words_and_one_that_names_none_is_refused(
    capsys, two_cases, before
):
    ws, _, _ = two_cases
    code, rows, err = run(capsys, *where(ws, before, "audit", "--json"))
    assert code == 0, err
    code, said, _ = run(
        capsys, *where(ws, before, "audit", "--kind", "Read the video's  content", "--json")
    )
    assert [r["id"] for r in said] == [r["id"] for r in rows if r["action"] == "hash"] != []
    message = refused(capsys, *where(ws, before, "audit", "--kind", "evnt"))
    assert message.startswith("audit: --kind 'evnt' is not a kind VFA knows")
    assert "event (annotation)" in message and "stop sharing (unshare)" in message
    pasted = refused(capsys, *where(ws, before, "audit", "--kind", "x" * 100_000))
    assert pasted.startswith(f"audit: --kind {'x' * 40!r}… (100000 characters) is not a kind")
    # a kind VFA does not name but the trail holds (written by another version) is found
    with closing(sqlite3.connect(ws)) as raw, raw:
        raw.execute(
            "INSERT INTO audit_entry (at, actor, action, entity, entity_id, detail) "
            "VALUES ('2026-01-01 00:00:00', 'Ann', 'frobnicate', 'clip', 1, '{}')"
        )
    code, found, err = run(capsys, *where(ws, before, "audit", "--kind", "Frobnicate", "--json"))
    assert code == 0, err
    assert [(r["action"], r["who"]) for r in found] == [("frobnicate", "Ann")]


@pytest.mark.parametrize("before", [False, True])
def test_audit_writes_the_trail_as_csv_and_replaces_a_file_only_with_force(
    capsys, two_cases, tmp_path, before
):
    ws, _, _ = two_cases
    target = tmp_path / "trail.csv"
    code, done, _ = run(capsys, *where(ws, before, "audit", "--csv", target, "--json"))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert done == {"file": str(target), "entries": len(rows)}
    assert rows[0]["who"] == "Ann" and rows[0]["action"] == "consent"
    written = target.read_bytes()
    message = refused(capsys, *where(ws, before, "audit", "--case", "FAM-2", "--csv", target))
    assert message.startswith(f"{target}: ") and "--force" in message
    assert target.read_bytes() == written
    code, out, _ = run(
        capsys, *where(ws, before, "audit", "--case", "FAM-2", "--csv", target, "--force")
    )
    fam2 = sum(1 for r in rows if r["case"] == "FAM-2")
    assert code == 0 and out == f"written to {target} (audit entries: {fam2})\n"
    assert len(list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))) == fam2


@pytest.mark.parametrize("before", [False, True])
@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [
        ("--since", "2026-13-01", "not a date (month must be in 1..12)"),
        ("--until", "2026-02-30", "not a date (day is out of range for month)"),
        ("--since", "yesterday", "not a date written YYYY-MM-DD"),
        ("--until", "1899-12-31", "not a date from 1900 to 9999"),
    ],
)
def test_a_wrong_date_names_its_option(capsys, two_cases, before, option, value, reason):
    ws, _, _ = two_cases
    message = refused(capsys, *where(ws, before, "audit", option, value))
    assert message == f"{option} {value!r}: {reason}"


def test_crossed_dates_an_unknown_case_and_a_link_for_the_csv_are_refused(
    capsys, two_cases, tmp_path
):
    ws, _, _ = two_cases
    crossed = ["--since", "2026-03-02", "--until", "2026-03-01"]
    message = refused(capsys, "audit", *crossed, "--workspace", ws)
    assert message == "audit: --until 2026-03-01 is before --since 2026-03-02"
    assert refused(capsys, "audit", "--case", "FAM-9", "--workspace", ws).startswith(
        "case FAM-9: no such case in "
    )
    aim = tmp_path / "elsewhere.csv"
    aim.write_text("mine")
    link = tmp_path / "link.csv"
    link.symlink_to(aim)
    assert refused(capsys, "audit", "--csv", link, "--force", "--workspace", ws).startswith(
        f"{link}: "
    )
    assert aim.read_text() == "mine"
    code, _, err = run(capsys, "audit", "--limit", "0", "--workspace", ws)
    assert code == 2 and "argument --limit" in err


@pytest.mark.parametrize("before", [False, True])
def test_on_a_managed_workspace_a_coder_may_not_read_the_trail(capsys, two_cases, before):
    from vfa.services import people
    from vfa.storage.workspace import open_workspace

    ws, _, _ = two_cases
    opened = open_workspace(ws)
    try:
        people.add_person(opened, "Ada", "admin", who="Ada")
        people.add_person(opened, "Ann", "coder", who="Ada")
        people.add_person(opened, "Sue", "supervisor", who="Ada")
    finally:
        opened.close()
    as_ann = ["--as", "Ann"] if before else []
    after_ann = [] if before else ["--as", "Ann"]
    message = refused(capsys, *as_ann, *where(ws, before, "audit", "--json"), *after_ann)
    assert message == (
        "Ann is a coder: only a supervisor or admin may read the audit trail; an admin can "
        "change a role (vfa people role NAME ROLE)"
    )
    code, rows, _ = run(capsys, "--as", "Sue", *where(ws, before, "audit", "--json"))
    assert code == 0 and rows


# -- consent with an end date -----------------------------------------------------------------


@pytest.mark.parametrize("before", [False, True])
def test_consent_set_until_then_consent_due_lists_it(capsys, two_cases, before):
    ws, _first, second = two_cases
    soon = dt.date.today() + 12 * DAY
    code, data, _ = run(
        capsys, *where(ws, before, "consent", "set", "--clip", second, "--purposes", "feedback",
                       "--until", soon.isoformat(), "--by", "Sue", "--json"),
    )  # fmt: skip
    assert code == 0 and data["valid_until"] == soon.isoformat()
    code, out, _ = run(capsys, *where(ws, before, "consent", "show", "--clip", second))
    assert out == f"clip {second}: feedback (recorded by Sue, until {soon.isoformat()})\n"
    code, due, _ = run(capsys, *where(ws, before, "consent", "due", "--json"))
    assert code == 0
    assert due == [
        {
            "case": "FAM-2",
            "session": "Visit 1",
            "session_id": due[0]["session_id"],
            "clip_id": second,
            "clip": due[0]["clip"],
            "purposes": ["feedback"],
            "valid_until": soon.isoformat(),
            "days_left": 12,
        }
    ]
    assert due[0]["clip"].startswith("FAM-2-Visit_1")
    code, out, _ = run(capsys, *where(ws, before, "consent", "due", "--within", "11"))
    assert (code, out) == (0, "no consent has ended or ends within 11 days\n")
    code, out, _ = run(capsys, *where(ws, before, "consent", "due"))
    assert out == (
        f"FAM-2 · Visit 1 · clip {second} ({due[0]['clip']}): ends {soon.isoformat()} "
        "(12 days left)\n"
    )


def test_consent_that_ended_is_shown_as_ended_and_stops_a_still(capsys, two_cases, tmp_path):
    ws, first, _ = two_cases
    ended = dt.date.today() - DAY
    code, _, err = run(
        capsys, "consent", "set", "--clip", first, "--purposes", "feedback,notes", "--until",
        ended.isoformat(), "--date", (ended - 30 * DAY).isoformat(), "--workspace", ws,
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "consent", "show", "--clip", first, "--workspace", ws)
    assert out.endswith(f", ended on {ended.isoformat()})\n")
    code, shown, _ = run(capsys, "consent", "show", "--clip", first, "--workspace", ws, "--json")
    assert (shown["valid_until"], shown["ended"]) == (ended.isoformat(), True)
    code, out, _ = run(capsys, "consent", "due", "--workspace", ws)
    assert out.endswith(f"clip {first} (FAM-1-Visit_1.mp4): ended on {ended.isoformat()}\n")
    clip_file = Path(tmp_path / "FAM-1-Visit_1.mp4")
    still = tmp_path / "still.png"
    message = refused(capsys, "still", clip_file, "--frame", "3", "-o", still,
                      "--purpose", "notes", "--workspace", ws)  # fmt: skip
    assert f"consent for clip {first} ended on {ended.isoformat()}" in message
    assert not still.exists()


@pytest.mark.parametrize("before", [False, True])
def test_a_wrong_end_date_is_refused_and_nothing_is_recorded(capsys, two_cases, before):
    ws, first, _ = two_cases
    code, shown, _ = run(capsys, "consent", "show", "--clip", first, "--workspace", ws, "--json")
    wrong = ["--purposes", "research", "--until", "2027-02-29"]
    message = refused(capsys, *where(ws, before, "consent", "set", "--clip", first, *wrong))
    assert message == "--until '2027-02-29': not a date (day is out of range for month)"
    message = refused(
        capsys, *where(ws, before, "consent", "set", "--clip", first, "--purposes", "research",
                       "--date", "2024-05-02", "--until", "2024-05-01"),
    )  # fmt: skip
    assert message == (
        f"consent for clip {first}: it cannot hold until 2024-05-01, before it was given "
        "(2024-05-02)"
    )
    code, again, _ = run(capsys, "consent", "show", "--clip", first, "--workspace", ws, "--json")
    assert again == shown
    code, _, err = run(capsys, *where(ws, before, "consent", "due", "--within", "-1"))
    assert code == 2 and "argument --within" in err


# -- the date option, for any text ---------------------------------------------------------------


@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_every_date_written_yyyy_mm_dd_is_read_as_itself(value):
    assert day(value.isoformat(), "--since") == value


@given(st.text(max_size=60))
def test_any_other_text_is_refused_on_one_line_naming_the_option(text):
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        value = None
    if value is not None and value.isoformat() == text and FIRST_DAY <= value <= LAST_DAY:
        assert day(text, "--until") == value
        return
    with pytest.raises(InvalidInputError) as refused_text:
        day(text, "--until")
    message = str(refused_text.value)
    assert message.startswith("--until '") or message.startswith('--until "')
    assert "\n" not in message and "\r" not in message and len(message) < 200


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(1899, 12, 31)))
def test_a_date_before_1900_is_refused(value):
    with pytest.raises(InvalidInputError, match="not a date from 1900 to 9999"):
        day(value.isoformat(), "--since")
