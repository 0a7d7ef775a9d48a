"""Datavyu projects in: the shared sample, projects the tests write, hostile files, fuzzing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.requirements import INTEROP, need_interop
from vfa.errors import FormatError
from vfa.io import datavyu
from vfa.io.document import CodeKind, Document

SAMPLE = INTEROP / "datavyu" / "simple2.opf"

PROJECT = """!project
dbFile: visit.csv
name: home visit
origpath: /home/coder/visits
version: 5
viewerSettings:
- !vs
  classifier: datavyu.video
  feed: /home/coder/visits/front.mp4
  offset: 1500
  plugin: 0bcf1b36-5f0e-4c3d-9d6a-4b5b7d5e0a77
  settingsId: '1'
  trackSettings: !ts
    bookmark: -1
    bookmarks:
    - 2000
    locked: false
  version: 2
- !vs
  feed: 'C:\\videos\\side camera.mp4'
  offset: -250
"""

DB4 = r"""#4
Look (MATRIX,true,where the infant looks)-target|NOMINAL,hand|NOMINAL
00:00:01:000,00:00:02:500,(toy,left)
00:00:03:000,00:00:03:000,(<target>,right)
00:00:04:000,00:00:05:000,(face\, mother's,)
Phase (NOMINAL,true,)
00:00:00:000,00:00:10:000,play
00:00:10:000,00:00:20:000,feed\,ing
Notes (TEXT,false,)
00:00:02:000,00:00:02:000,she laughs\, then looks (away)
00:00:06:000,00:00:07:000,line one\
line two
Beeps (NOMINAL,true,)
00:00:01:000,00:00:01:000,
00:00:02:000,00:00:02:000,b
"""


def opf(path: Path, db: str, project: str | None = PROJECT) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if project is not None:
            archive.writestr("project", project)
        archive.writestr("db", db)
    return path


def events(document: Document) -> list[tuple[object, ...]]:
    return [
        (e.code, e.start_ms, e.end_ms, e.modifiers, e.caption)
        for e in document.observations[0].events
    ]


# -- the shared sample -------------------------------------------------------------------------


def test_the_shared_sample_gives_its_text_column(tmp_path):
    need_interop("datavyu/simple2.opf")
    doc = datavyu.read(SAMPLE)
    assert doc.format == "datavyu" and doc.name == "simple2" and doc.problems == ()
    assert [(c.id, c.kind, c.modifier_sets) for c in doc.codes] == [
        ("TestColumn", CodeKind.STATE, ())
    ]
    # 00:01:00:000 to 00:02:00:000
    assert events(doc) == [("TestColumn", 60_000, 120_000, (), "This is a test cell.")]
    assert doc.observations[0].media == ()


# -- files written here --------------------------------------------------------------------------


def test_matrix_nominal_and_text_columns(tmp_path):
    doc = datavyu.read(opf(tmp_path / "v.opf", DB4))
    assert doc.name == "home visit"
    codes = {c.id: c for c in doc.codes}
    assert list(codes) == ["Look", "Phase", "Notes", "Beeps"]
    assert codes["Look"].modifier_sets == ("Look.target", "Look.hand")
    assert codes["Look"].description == "where the infant looks"
    assert codes["Phase"].modifier_sets == ("Phase",) and codes["Notes"].modifier_sets == ()
    assert codes["Beeps"].kind is CodeKind.POINT and codes["Look"].kind is CodeKind.STATE
    assert [(s.id, s.name, s.values) for s in doc.modifier_sets] == [
        ("Look.target", "target", ()),
        ("Look.hand", "hand", ()),
        ("Phase", "Phase", ()),
        ("Beeps", "Beeps", ()),
    ]
    by_code: dict[str, list[tuple[object, ...]]] = {}
    for row in events(doc):
        by_code.setdefault(str(row[0]), []).append(row[1:])
    assert by_code["Look"] == [
        (1000, 2500, (("Look.target", "toy"), ("Look.hand", "left")), None),
        (3000, 3000, (("Look.hand", "right"),), None),
        (4000, 5000, (("Look.target", "face, mother's"),), None),
    ]
    assert by_code["Phase"] == [
        (0, 10_000, (("Phase", "play"),), None),
        (10_000, 20_000, (("Phase", "feed,ing"),), None),
    ]
    assert by_code["Notes"] == [
        (2000, 2000, (), "she laughs, then looks (away)"),
        (6000, 7000, (), "line one\nline two"),
    ]
    assert by_code["Beeps"] == [(1000, 1000, (), None), (2000, 2000, (("Beeps", "b"),), None)]
    assert doc.problems == ()


def test_the_viewer_offsets_and_media_paths(tmp_path):
    doc = datavyu.read(opf(tmp_path / "v.opf", DB4))
    # Datavyu plays a track at timeline time - offset
    assert [(m.path, m.offset_ms) for m in doc.observations[0].media] == [
        ("/home/coder/visits/front.mp4", -1500),
        ("C:\\videos\\side camera.mp4", 250),
    ]


@pytest.mark.parametrize(
    "db",
    [
        "#2\nLook (MATRIX)-target|NOMINAL\n00:00:01:000,00:00:02:000,(toy)\n"
        "Notes (TEXT)\n00:00:03:000,00:00:03:000,hi\\, there\n",
        "#3\nLook (MATRIX,true)-target|NOMINAL\n00:00:01:000,00:00:02:000,(toy)\n"
        "Notes (TEXT,false)\n00:00:03:000,00:00:03:000,hi\\, there\n",
        "#4\r\nLook (MATRIX,true,)-target|NOMINAL\r\n00:00:01:000,00:00:02:000,(toy)\r\n"
        "Notes (TEXT,true,)\r\n00:00:03:000,00:00:03:000,hi\\, there\r\n",
        "Look (MATRIX)-<target>|NOMINAL\n00:00:01:000,00:00:02:000,(toy)\n\n"
        "Notes (TEXT)\n00:00:03:000,00:00:03:000,hi\\, there\n",
    ],
    ids=["#2", "#3", "#4 with CRLF", "unnumbered"],
)
def test_every_db_version_reads_alike(tmp_path, db):
    doc = datavyu.read(opf(tmp_path / "v.opf", db, project=None))
    assert events(doc) == [
        ("Look", 1000, 2000, (("Look.target", "toy"),), None),
        ("Notes", 3000, 3000, (), "hi, there"),
    ]
    assert doc.name == "v" and [p.place for p in doc.problems] == ["project"]


def test_odd_cells_are_reported(tmp_path):
    db = (
        "#4\n00:00:09:000,00:00:09:000,orphan\n"
        "Look (MATRIX,true,)-a|NOMINAL,b|NOMINAL\n"
        "00:00:05:000,00:00:00:000,(x,y)\n"
        "00:00:06:000,00:00:07:000,(x,y,z)\n"
        "00:00:08:000,00:00:09:000,x\n"
        "Query (PREDICATE,true,)\n00:00:01:000,00:00:02:000,p(x)\n"
        "Notes (TEXT,true,)\n00:00:01:000,00:00:02:000,kept\n"
    )
    doc = datavyu.read(opf(tmp_path / "v.opf", db))
    places = [p.place for p in doc.problems]
    assert places == ["db line 2", "db line 4", "db line 5", "db line 6", "db line 6", "db line 7"]
    reasons = [p.reason for p in doc.problems]
    assert "before any column" in reasons[0] and "taken as a point" in reasons[1]
    assert "3 values for 2 arguments" in reasons[2] and "parentheses" in reasons[3]
    assert "1 values for 2 arguments" in reasons[4] and "'PREDICATE'" in reasons[5]
    assert ("Look", 5000, 5000, (("Look.a", "x"), ("Look.b", "y")), None) in events(doc)
    assert ("Notes", 1000, 2000, (), "kept") in events(doc)
    assert "Query" not in {c.id for c in doc.codes}


def test_a_second_column_of_the_same_name(tmp_path):
    db = "#4\nA (NOMINAL,true,)\n00:00:01:000,00:00:01:000,x\nA (NOMINAL,true,)\n"
    doc = datavyu.read(opf(tmp_path / "v.opf", db))
    assert [c.id for c in doc.codes] == ["A", "A (2)"]
    assert [s.id for s in doc.modifier_sets] == ["A", "A (2)"]


def test_sniff_knows_a_datavyu_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project", "!project\n")
    assert datavyu.sniff(buffer.getvalue()[:4096], "x.zip")
    assert datavyu.sniff(b"PK\x03\x04" + b"\0" * 40, "x.opf")
    assert not datavyu.sniff(b"PK\x03\x04" + b"\0" * 40, "x.zip")
    assert not datavyu.sniff(b"#4\nA (TEXT,true,)\n", "x.opf")


# -- hostile files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("25:00:00:000,25:00:01:000,x", "beyond 24 hours"),
        ("00:61:00:000,00:62:00:000,x", "not a time"),
        ("00:00:01:000;00:00:02:000,x", "not a cell"),
        ("00:00:01:000", "not a cell"),
        ("1" * 5000 + ":00:00:000,00:00:00:000,x", "not a cell"),
    ],
)
def test_bad_times_are_refused_naming_the_line(tmp_path, line, reason):
    path = opf(tmp_path / "v.opf", f"#4\nA (TEXT,true,)\n00:00:00:000,00:00:01:000,ok\n{line}\n")
    with pytest.raises(FormatError, match=reason) as caught:
        datavyu.read(path)
    assert caught.value.place == "db line 4" and caught.value.file == str(path)


@pytest.mark.parametrize(
    "header",
    ["No parenthesis here", "A (MATRIX,true,)", "(TEXT,true,)", "A (TEXT"],
)
def test_bad_headers_are_refused(tmp_path, header):
    with pytest.raises(FormatError) as caught:
        datavyu.read(opf(tmp_path / "v.opf", f"#4\n{header}\n"))
    assert caught.value.place == "db line 2"


@pytest.mark.parametrize(
    "project",
    [
        "!project\nname: &a x\nother: *a\n",
        "!project\nviewerSettings:\n- &v !vs\n  feed: a.mp4\n- *v\n",
        "!project\nbase: &b {feed: a}\nx: [*b, *b, *b]\n",
    ],
)
def test_yaml_anchors_and_aliases_are_refused(tmp_path, project):
    with pytest.raises(FormatError, match="anchors and aliases") as caught:
        datavyu.read(opf(tmp_path / "v.opf", DB4, project))
    assert caught.value.place.startswith("project line")


@pytest.mark.parametrize(
    ("offset", "reason"), [("soon", "not a whole number"), ("86400001", "beyond 24 hours")]
)
def test_bad_viewer_offsets_are_refused(tmp_path, offset, reason):
    project = f"!project\nviewerSettings:\n- !vs\n  feed: a.mp4\n  offset: {offset}\n"
    with pytest.raises(FormatError, match=reason) as caught:
        datavyu.read(opf(tmp_path / "v.opf", DB4, project))
    assert caught.value.place == "project viewer 1 offset"


def test_a_huge_project_file_is_refused(tmp_path):
    with pytest.raises(FormatError, match="refused"):
        datavyu.read(opf(tmp_path / "v.opf", DB4, "!project\n" + "#" * 2_000_000))


def test_a_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.opf"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project", PROJECT)
        archive.writestr("db", b"0" * 20_000_000)
    with pytest.raises(FormatError, match="zip bomb"):
        datavyu.read(path)


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_files_that_are_no_zip_are_refused(tmp_path, content):
    path = tmp_path / "x.opf"
    path.write_bytes(content)
    with pytest.raises(FormatError, match="zip"):
        datavyu.read(path)


def test_a_zip_without_cells_is_refused(tmp_path):
    path = tmp_path / "x.opf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project", PROJECT)
    with pytest.raises(FormatError, match="no 'db'"):
        datavyu.read(path)


def test_cells_in_windows_1252_are_read_and_reported(tmp_path):
    path = tmp_path / "v.opf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "db", "#4\nA (TEXT,true,)\n00:00:01:000,00:00:01:000,café\n".encode("cp1252")
        )
    doc = datavyu.read(path)
    assert events(doc)[0][4] == "café" and "Windows-1252" in doc.problems[-1].reason


# -- fuzzing -------------------------------------------------------------------------------------

ABSURD = ["99:99:99:999", "-1", "", "\\", "(", ")", ",", "\n", "&a", "*a", "\u2028", "\x00"]


def _text_mutations(text: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0, len(text)).map(lambda n: text[:n]),
        st.tuples(st.integers(0, len(text)), st.sampled_from(ABSURD)).map(
            lambda t: text[: t[0]] + t[1] + text[t[0] :]
        ),
        st.tuples(st.integers(0, len(text)), st.integers(0, 20)).map(
            lambda t: text[: t[0]] + text[t[0] + t[1] :]
        ),
        st.tuples(st.integers(0, len(text)), st.text(max_size=8)).map(
            lambda t: text[: t[0]] + t[1] + text[t[0] :]
        ),
    )


def _check(path: Path) -> None:
    try:
        doc = datavyu.read(path)
    except FormatError as exc:
        assert str(path) in str(exc)
    else:
        assert isinstance(doc, Document)
        assert all(0 <= e.start_ms <= e.end_ms <= 86_400_000 for e in doc.observations[0].events)


FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(db=_text_mutations(DB4), project=_text_mutations(PROJECT))
def test_fuzzed_cells_and_projects_read_or_are_refused(tmp_path, db, project):
    path = tmp_path / "fuzz.opf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project", project.encode("utf-8", "surrogatepass"))
        archive.writestr("db", db.encode("utf-8", "surrogatepass"))
    _check(path)


SHARED = SAMPLE.read_bytes() if SAMPLE.exists() else b""


@pytest.fixture(scope="module")
def shared_opf() -> Path:
    return need_interop("datavyu/simple2.opf")


@FUZZ
@given(
    blob=st.one_of(
        st.integers(0, max(len(SHARED) - 1, 0)).map(lambda n: SHARED[:n]),
        st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 255)), min_size=1).map(
            lambda changes: bytes(
                b ^ next((m for p, m in changes if p % max(len(SHARED), 1) == i), 0)
                for i, b in enumerate(SHARED)
            )
        ),
    )
)
def test_fuzzed_shared_opf_reads_or_is_refused(shared_opf, tmp_path, blob):
    path = tmp_path / "fuzz.opf"
    path.write_bytes(blob)
    _check(path)


def _damaged(tmp_path: Path, damage: str) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("db", DB4 * 20)
    data = bytearray(buffer.getvalue())
    central = data.rfind(b"PK\x01\x02")
    if damage == "data":
        data[40:60] = b"\xff" * 20  # inside the deflated cells
    elif damage == "version":  # made by a zip version zipfile does not know
        data[central + 6 : central + 8] = (119).to_bytes(2, "little")
    elif damage == "method":  # a compression method zipfile does not have
        data[8:10] = data[central + 10 : central + 12] = (97).to_bytes(2, "little")
    else:  # encrypted, and no password
        data[6] |= 1
        data[central + 8] |= 1
    path = tmp_path / f"{damage}.opf"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("damage", ["data", "version", "method", "encrypted"])
def test_a_damaged_zip_member_is_refused(tmp_path, damage):
    path = _damaged(tmp_path, damage)
    with pytest.raises(FormatError) as caught:
        datavyu.read(path)
    assert caught.value.file == str(path) and caught.value.reason


def test_the_registry_tells_datavyu_from_boris_by_content(tmp_path, monkeypatch):
    import gzip as gz

    from vfa.io import registry

    monkeypatch.setattr(registry, "FORMAT_MODULES", ("vfa.io.boris", "vfa.io.datavyu"))
    cells = opf(tmp_path / "cells.zip", DB4)
    project = tmp_path / "project.json.gz"
    project.write_bytes(gz.compress(b'{"time_format": "hh:mm:ss", "behaviors_conf": {}}'))
    assert registry.detect(cells).id == "datavyu"
    assert registry.detect(project).id == "boris"
    assert registry.read(cells).codes[0].id == "Look"
