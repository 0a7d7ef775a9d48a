"""``vfa workspace new/info``, ``vfa reliability`` and ``vfa agreement`` as a user types
them, their values worked out by hand from what the scenario put in."""

from __future__ import annotations

import pytest

from tests.test_cli_surface import refused, run, workspace_with_clip

PLACES = ["after", "before"]


def where(place: str, ws, *argv) -> list:
    return ["--workspace", ws, *argv] if place == "before" else [*argv, "--workspace", ws]


@pytest.mark.parametrize("place", PLACES)
def test_workspace_new_and_info_name_and_count_what_is_in_it(capsys, tmp_path, clips, place):
    ws = tmp_path / "team a.vfa"
    code, made, err = run(capsys, "workspace", "new", ws, "--name", "Team A", "--json")
    assert code == 0 and err == ""
    assert made == {"name": "Team A", "location": str(ws)}
    code, info, _ = run(capsys, *where(place, ws, "workspace", "info", "--json"))
    assert code == 0
    assert (info["name"], info["location"], info["read_only"]) == ("Team A", str(ws), None)
    assert (info["cases"], info["sessions"], info["clips"]) == (0, 0, 0)
    workspace_with_clip(capsys, ws, clips["noaudio"], tmp_path, "FAM-1", "Visit 1")
    workspace_with_clip(capsys, ws, clips["noaudio"], tmp_path, "FAM-1", "Visit 2")
    workspace_with_clip(capsys, ws, clips["cfr25"], tmp_path, "FAM-2", "Visit 1")
    code, text, _ = run(capsys, *where(place, ws, "workspace", "info"))
    lines = dict(line.split(": ", 1) for line in text.splitlines())
    assert (lines["name"], lines["location"]) == ("Team A", str(ws))
    assert (lines["cases"], lines["sessions"], lines["clips"]) == ("2", "3", "3")


def test_workspace_new_without_a_target_makes_the_named_or_the_users_own(
    capsys, tmp_path, isolated_user
):
    named = tmp_path / "lab.vfa"
    code, out, _ = run(capsys, "--workspace", named, "workspace", "new")
    assert code == 0 and out == f"new workspace lab: {named}\n" and named.is_file()
    own = isolated_user / "data" / "workspace.vfa"
    code, out, _ = run(capsys, "workspace", "new")
    assert code == 0 and out == f"new workspace workspace: {own}\n" and own.is_file()
    why = refused(capsys, "workspace", "new")
    assert str(own) in why


def test_workspace_info_names_a_missing_workspace_and_creates_none(capsys, tmp_path):
    missing = tmp_path / "gone.vfa"
    assert str(missing) in refused(capsys, "workspace", "info", "--workspace", missing)
    assert not missing.exists()


# -- agreement from CSV files, worked out by hand ------------------------------------------


def test_reliability_of_two_coders_one_point_apart_on_one_unit(capsys, tmp_path):
    path = tmp_path / "ratings.csv"
    a, b = [1, 2, 3, 4], [1, 2, 3, 5]
    path.write_text(
        "unit,coder,item,value\n"
        + "".join(
            f"u{n},A,i1,{x}\nu{n},B,i1,{y}\n" for n, (x, y) in enumerate(zip(a, b, strict=True))
        )
    )
    code, report, err = run(capsys, "--json", "reliability", path)
    assert code == 0 and err == ""
    assert report["coders"] == ["A", "B"]
    stats = report["items"]["i1"]
    # three of four units the same; all four within one point
    assert (stats["n_units"], stats["exact_agreement"], stats["within_one_agreement"]) == (
        4,
        0.75,
        1.0,
    )
    code, text, _ = run(capsys, "reliability", path)
    lines = text.splitlines()
    assert lines[0] == "coders: A, B"
    assert lines[2].split()[:4] == ["i1", "4", "0.75", "1.00"]


def test_agreement_pairs_events_and_counts_time_units_by_their_midpoint(capsys, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "unit,coder,code,start_ms,end_ms,duration_ms\n"
        "c1,A,smile,0,2000,5000\n"
        "c1,B,smile,0,2000,5000\n"
        "c1,A,cry,3000,5000,5000\n"
        "c1,B,fuss,3000,5000,5000\n"
    )
    code, report, err = run(capsys, "agreement", path, "--json")
    assert code == 0 and err == ""
    units, events = report["time_unit"], report["event"]
    # 1 s units over 5 s: midpoints 0.5 and 1.5 s smile/smile, 2.5 s nothing/nothing,
    # 3.5 and 4.5 s cry/fuss: 3 of 5 agree
    assert (units["unit_ms"], units["n_units"], units["percent_agreement"]) == (1000, 5, 0.6)
    # smile pairs with smile, cry with fuss (they overlap entirely): 1 of 2 pairs agree
    assert (events["matched"], events["percent_agreement"]) == (2, 0.5)
    code, text, _ = run(capsys, "agreement", path, "--unit-ms", "500")
    assert text.splitlines()[0].startswith("time units (500 ms): 10 units, agreement 0.60")
    why = refused(capsys, "agreement", tmp_path / "none.csv")
    assert "none.csv" in why
