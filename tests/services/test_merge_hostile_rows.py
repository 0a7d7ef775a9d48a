"""The merge's reader of the other workspace, over damaged rows: a laptop file whose rows
someone changed with another tool (any cell of the tables a merge reads set to any
value) is merged, or refused with a VFA message that names it; never a traceback, and a
refusal leaves this workspace as it was."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.services.merge_world import code_on, dump, only_clip, team_and_checkout
from vfa.errors import VfaError
from vfa.services.merge import merge
from vfa.storage.workspace import open_workspace

# the tables a merge reads from the other workspace
TABLES = [
    "case",
    "session",
    "clip",
    "coder",
    "scheme",
    "coding_run",
    "annotation",
    "moment",
    "rating",
    "consent_record",
    "reliability_criterion",
    "audit_entry",
]

hostile = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["{}", "[]", '{"a": 1}', "null", "2026-13-45 99:99:99", "", "NOB"]),
    st.binary(max_size=20),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory, clips) -> Path:
    """A team workspace and Ann's checkout of it, with Ann's coding on the laptop."""
    folder = team_and_checkout(tmp_path_factory.mktemp("hostile-template"), clips)
    laptop = open_workspace(folder / "laptop.vfa")
    code_on(laptop, only_clip(laptop, "cfr25.mp4"), "Ann", "on the train")
    laptop.close()
    return folder


# values of a column's own kind (so the merge goes on past the file's check)
OF_KIND = {
    "INTEGER": st.integers(-(2**63), 2**63 - 1),
    "BIGINT": st.integers(-(2**63), 2**63 - 1),
    "BLOB": st.binary(max_size=40),
    "DOUBLE": st.floats(allow_nan=False),
    "BOOLEAN": st.integers(0, 1),
    "FLOAT": st.floats(allow_nan=False),
    "DATETIME": st.sampled_from(["1900-01-01 00:00:00.000000", "2999-12-31 23:59:59.999999"]),
    "DATE": st.sampled_from(["1900-01-01", "2999-12-31"]),
    "JSON": st.sampled_from(["{}", '{"": null}', '{"x": [1, {"y": "z"}]}']),
}


def _columns(path: Path) -> dict[str, list[tuple[str, str]]]:
    """The tables with rows: each column's name and declared type."""
    with closing(sqlite3.connect(path)) as raw:
        return {
            t: [(r[1], r[2].upper()) for r in raw.execute(f'PRAGMA table_info("{t}")')]
            for t in TABLES
            if raw.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_damaged_row_of_the_other_workspace_is_merged_or_refused_by_name(
    template, tmp_path, data
):
    folder = tmp_path / "example"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    team_path, laptop_path = folder / "team.vfa", folder / "laptop.vfa"
    shutil.copyfile(template / "team.vfa", team_path)
    shutil.copyfile(template / "laptop.vfa", laptop_path)
    columns = _columns(laptop_path)
    table = data.draw(st.sampled_from(sorted(columns)), label="table")
    column, declared = data.draw(st.sampled_from(columns[table]), label="column")
    own = OF_KIND.get(declared.split("(")[0], st.text(max_size=30))
    value = data.draw(st.one_of(own, hostile), label="value")
    with closing(sqlite3.connect(laptop_path)) as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        rowids = [r[0] for r in raw.execute(f'SELECT rowid FROM "{table}"')]
        rowid = data.draw(st.sampled_from(rowids), label="row")
        try:
            raw.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (value, rowid))
            raw.commit()
        except sqlite3.IntegrityError:  # the file's own constraints refuse it: not a case
            return
    before = dump(team_path)
    team = open_workspace(team_path)
    try:
        merge(team, laptop_path, viewer="Ann")
    except VfaError as refused:
        team.close()
        assert str(laptop_path) in str(refused), str(refused)
        assert dump(team_path) == before
    else:
        team.close()
