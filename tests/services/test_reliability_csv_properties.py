"""Property tests of the ratings and events CSV readers: any mutated file is either read
or refused with InvalidInputError naming the file and a row; never another exception, and
never a NaN in what is read."""

from __future__ import annotations

import json
import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vfa.errors import InvalidInputError
from vfa.services.reliability import events_report, ratings_report, read_ratings

WORDS = ["NOB", "nob", "NA", "NaN", "nan", "inf", "-inf", "Infinity", "banana", "one", "x"]
NUMBERS = ["3", "-2", "4.5", ".5", "1e3", "1e400", "9" * 30, "9" * 5000, "0x10", "1_000"]
TIMES = ["0", "500", "1000", "86400000", "86400001", "1000000000000", "-5", "1.5", "9" * 5000]


def cell(extra: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(extra + WORDS + ["", " ", '"q,uoted"', "é", "a\nb"]),
        st.integers(-(10**30), 10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.text(max_size=6),
    )


def to_csv(rows: list[list[str]]) -> str:
    def quoted(value: str) -> str:
        if any(ch in value for ch in ',"\n\r'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(",".join(quoted(v) for v in row) + "\n" for row in rows)


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"])
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check_refusal(path, error: InvalidInputError) -> None:
    message = str(error)
    assert message.startswith(str(path)), message
    assert " row " in message or "special code" in message, message


@SETTINGS
@given(
    header=st.permutations(["unit", "coder", "item", "value", "note"]).map(list),
    drop=st.sampled_from([None, "unit", "coder", "item", "value"]),
    rows=st.lists(
        st.tuples(
            st.sampled_from(["u1", "u2", "u3", ""]),
            st.sampled_from(["A", "B", "C", ""]),
            st.sampled_from(["i1", "i2", "supports_emotions", ""]),
            cell(NUMBERS),
            st.just("n"),
        ).map(list),
        max_size=25,
    ),
    short=st.integers(0, 30),
    encoding=ENCODINGS,
    scheme=st.sampled_from([None, "kips"]),
)
def test_any_ratings_file_is_read_or_refused_naming_the_row(
    tmp_path_factory, header, drop, rows, short, encoding, scheme
):
    columns = ["unit", "coder", "item", "value", "note"]
    keep = [c for c in header if c != drop]
    table = [keep] + [[row[columns.index(c)] for c in keep] for row in rows]
    if short < len(table) and short > 0:
        table[short] = table[short][:2]
    path = tmp_path_factory.mktemp("r") / "ratings.csv"
    try:
        path.write_bytes(to_csv(table).encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(to_csv(table).encode("utf-8"))
    try:
        read = read_ratings(path)
        report = ratings_report(path, scheme=scheme).as_dict()
    except InvalidInputError as error:
        check_refusal(path, error)
        return
    assert all(math.isfinite(v) or math.isnan(v) for v in read.value.tolist())
    json.dumps(report, allow_nan=False)


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["c1", "c2", ""]),
            st.sampled_from(["A", "B", ""]),
            st.sampled_from(["look", "cry", ""]),
            st.one_of(st.sampled_from(TIMES), cell([])),
            st.one_of(st.sampled_from([*TIMES, ""]), cell([])),
            st.one_of(st.sampled_from(["5000", "86400000"]), st.sampled_from(TIMES)),
        ).map(list),
        max_size=20,
    ),
    drop=st.sampled_from([None, "code", "duration_ms"]),
    encoding=ENCODINGS,
    unit_ms=st.sampled_from([1, 7, 1000, 86_400_000]),
)
def test_any_events_file_is_read_or_refused_naming_the_row(
    tmp_path_factory, rows, drop, encoding, unit_ms
):
    columns = ["unit", "coder", "code", "start_ms", "end_ms", "duration_ms"]
    keep = [c for c in columns if c != drop]
    table = [keep] + [[row[columns.index(c)] for c in keep] for row in rows]
    path = tmp_path_factory.mktemp("e") / "events.csv"
    try:
        path.write_bytes(to_csv(table).encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(to_csv(table).encode("utf-8"))
    try:
        report = events_report(path, unit_ms=unit_ms)
    except InvalidInputError as error:
        message = str(error)
        assert message.startswith(str(path)), message
        assert " row " in message or ": unit " in message, message
        return
    data = json.loads(json.dumps(report.as_dict(), allow_nan=False))
    # the JSON is the typed result, and pooling keeps every unit and every tally
    assert data["time_unit"]["n_units"] == report.time_unit.n_units
    assert data["event"]["n_tallies"] == report.event.n_tallies
    assert report.time_unit.n_units == sum(u.time_unit.n_units for u in report.units)
    assert report.event.n_tallies == sum(u.event.n_tallies for u in report.units)
    assert all(p.n_units == report.time_unit.n_units for p in report.time_unit.per_code)
    assert list(data["units"]) == [u.unit for u in report.units]


def _care_scales() -> dict[str, int]:
    """CARE-Index grid scales and their largest total, from the scheme's grid itself."""
    from vfa.services.schemes import get_scheme

    care = get_scheme("care_index_infant")
    return {
        scale.id: grid.points_per_row * len(grid.rows)
        for grid in care.grids
        for member in grid.members
        for scale in member.scales
    }


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["u1", "u2", "u3"]),
            st.sampled_from(["A", "B"]),
            st.sampled_from(sorted(_care_scales())),
            st.one_of(st.integers(-3, 40).map(str), cell(NUMBERS)),
        ),
        min_size=1,
        max_size=20,
        unique_by=lambda r: (r[0], r[1], r[2]),
    )
)
def test_a_grid_scale_total_is_read_only_within_its_range(tmp_path_factory, rows):
    maxima = _care_scales()
    path = tmp_path_factory.mktemp("g") / "grid.csv"
    path.write_text(to_csv([["unit", "coder", "item", "value"], *map(list, rows)]))

    def total(text: str, maximum: int) -> bool:  # a whole number from 0 to the maximum
        whole = len(text) <= 20 and re.fullmatch(r"[+-]?\d+", text) is not None
        return whole and 0 <= int(text) <= maximum

    bad = [
        n
        for n, (_u, _c, scale, text) in enumerate(rows, start=2)
        if text.strip() and not total(text.strip(), maxima[scale])
    ]
    try:
        report = ratings_report(path, scheme="care_index_infant")
    except InvalidInputError as error:
        assert bad, str(error)
        assert str(error).startswith(f"{path}: row {bad[0]}, column value: grid scale ")
        return
    assert not bad
    read = read_ratings(path, scheme=None)
    assert sorted(report.as_dict()["items"]) == sorted(read.items)
    for item in report.items:
        assert item.n_units <= 3 and item.n_coders == len(report.coders)
