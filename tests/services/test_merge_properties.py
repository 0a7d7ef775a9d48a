"""Properties of merging a checkout back, over generated coding on the laptop and here:
what the laptop did arrives exactly, a second merge adds nothing, a run both sides touched
refuses the merge with nothing changed; and a checkout's record, however damaged, is read
or refused by name."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.services.merge_world import (
    counts,
    digest,
    dump,
    only_clip,
    run_of,
    team_and_checkout,
)
from vfa.services import clips as clip_service
from vfa.services import coding, events, moments
from vfa.services.merge import MergeConflictError, MergeError, merge
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.workspace import open_workspace

KIPS_ITEMS = 6  # the items the edits rate

# one edit: ("event", time), ("rate", item, value or NOB), ("moment", time, caption),
# ("delete", which of the run's events)
edit = st.one_of(
    st.tuples(st.just("event"), st.integers(0, 5_500)),
    st.tuples(
        st.just("rate"),
        st.integers(0, KIPS_ITEMS - 1),
        st.one_of(st.integers(1, 5), st.just("NOB")),
    ),
    st.tuples(st.just("moment"), st.integers(0, 4_000), st.text("abc éß 字", max_size=12)),
    st.tuples(st.just("delete"), st.integers(0, 10)),
)


def apply(ws, clip_id: int, coder: str, edits: list[tuple]) -> None:
    kips, vig = get_scheme("kips"), get_scheme("vig")
    table = clip_service.clip_info(ws, clip_id).frame_table
    kips_run, vig_run = run_of(ws, clip_id, "kips", coder), run_of(ws, clip_id, "vig", coder)
    with viewing_as(coder):
        for kind, *args in edits:
            if kind == "event":
                events.code_event(ws, vig_run, vig, "being_attentive", "child", args[0], table)
            elif kind == "rate":
                coding.set_rating(ws, kips_run, kips, kips.ratings.items[args[0]].id, args[1])
            elif kind == "moment":
                at, caption = args
                moments.add_moment(ws, clip_id, ["vig:waiting"], at, at + 500,
                                   caption=caption or None, feedback=True, coder=coder)  # fmt: skip
            else:
                found = events.run_events(ws, vig_run, coder)
                if found:
                    events.delete_event(ws, vig_run, found[args[0] % len(found)].id)


@pytest.fixture(scope="module")
def template(tmp_path_factory, clips) -> Path:
    """A team workspace file and Ann's checkout of it, copied for each example."""
    return team_and_checkout(tmp_path_factory.mktemp("template"), clips)


def fresh(template: Path, folder: Path) -> tuple[Path, Path]:
    """Copies of the team workspace and Ann's checkout, in a new folder."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for name in ("team.vfa", "laptop.vfa"):
        shutil.copyfile(template / name, folder / name)
    return folder / "team.vfa", folder / "laptop.vfa"


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(laptop_edits=st.lists(edit, min_size=1, max_size=8), team_edits=st.lists(edit, max_size=4))
def test_the_laptops_coding_arrives_exactly_or_a_conflict_changes_nothing(
    template, tmp_path, laptop_edits, team_edits
):
    team_path, laptop_path = fresh(template, tmp_path / "example")
    laptop = open_workspace(laptop_path)
    team = open_workspace(team_path)
    try:
        x, here_x = only_clip(laptop, "cfr25.mp4"), only_clip(team, "cfr25.mp4")
        apply(laptop, x, "Ann", laptop_edits)
        apply(team, here_x, "Ann", team_edits)
        ours = {s: digest(team, run_of(team, here_x, s, "Ann")) for s in ("kips", "vig")}
        team.close()
        before = dump(team_path)
        team = open_workspace(team_path)
        try:
            merge(team, laptop, viewer="Ann")
        except MergeConflictError as refused:
            team.close()
            assert dump(team_path) == before
            assert "Ann's coding with " in str(refused)
            assert team_edits  # a conflict needs a change on both sides
            team = open_workspace(team_path)
            return
        for scheme in ("kips", "vig"):
            theirs = digest(laptop, run_of(laptop, x, scheme, "Ann"))
            here = digest(team, run_of(team, here_x, scheme, "Ann"))
            # the laptop's, or (changed only here) this side's own
            assert here == theirs or (team_edits and here == ours[scheme])
        settled = counts(team)
        assert not merge(team, laptop, viewer="Ann").written
        assert counts(team) == settled
    finally:
        laptop.close()
        team.close()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    record=st.one_of(
        st.text(max_size=40),
        st.builds(
            lambda ident, runs: f'{{"id": {ident}, "runs": {runs}}}',
            st.sampled_from(['"ab12"', '"AB"', "12", "null", '"' + "f" * 70 + '"']),
            st.sampled_from(["{}", '{"1": "00ff"}', '{"1": 5}', "[]", '{"1": "zz"}']),
        ),
    )
)
def test_a_checkout_record_is_read_or_refused_by_name(template, tmp_path, record):
    folder = tmp_path / "record"
    team_path, laptop_path = fresh(template, folder)
    with closing(sqlite3.connect(laptop_path)) as raw:
        raw.execute("UPDATE workspace_info SET value = ? WHERE key = 'checkout'", (record,))
        raw.commit()
    team = open_workspace(team_path)
    try:
        report = merge(team, laptop_path, dry_run=True, viewer="Ann")
    except MergeError as refused:
        assert str(refused).startswith(f"{laptop_path}: workspace_info 'checkout': ")
        assert "nothing was changed" in str(refused)
    else:
        assert not report.written
    finally:
        team.close()
