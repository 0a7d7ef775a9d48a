"""Scheme files: the shipped ones, bad files with file, place and line, folders, workspace."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from vfa.domain.hotkeys import hotkey_conflict
from vfa.errors import NotFoundError, SchemeError
from vfa.services import schemes as svc
from vfa.storage.models import AuditEntry, Case, Clip, Coder, CodingRun, Role, Session
from vfa.storage.models import Scheme as SchemeRow

SHIPPED = Path(__file__).resolve().parents[2] / "coding_schemes"
SHIPPED_IDS = ["care_index_infant", "kips", "vfa_interaction", "vig", "vipp_sd"]

MINIMAL = """\
id: mini
name: Minimal
version: "1"
description: ""
source: test
ethogram:
  subjects: [parent, infant]
  codes:
    - id: smile
      name: Smile
      hotkey: "A"
      kind: point
      verified: true
    - id: touch
      name: Touch
      hotkey: "B"
      kind: point
      verified: true
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(path: Path) -> SchemeError:
    with pytest.raises(SchemeError) as caught:
        svc.load_scheme_file(path)
    assert caught.value.file == str(path)
    return caught.value


# -- the shipped schemes --------------------------------------------------------------------


def test_the_shipped_folder_is_found_first():
    assert svc.scheme_dirs()[0] == SHIPPED


@pytest.mark.parametrize("name", sorted(p.name for p in SHIPPED.glob("*.yaml")))
def test_every_shipped_scheme_validates(name):
    scheme = svc.load_scheme_file(SHIPPED / name)
    assert scheme.source_file == str(SHIPPED / name)
    assert scheme.source.strip()


def test_the_shipped_schemes_are_available_without_problems():
    scan = svc.scan_schemes()
    assert [s.id for s in scan.schemes] == SHIPPED_IDS
    assert scan.problems == []


def _objects(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


@pytest.mark.parametrize("name", sorted(p.name for p in SHIPPED.glob("*.yaml")))
def test_no_licensed_text_is_shipped(name):
    data = yaml.safe_load((SHIPPED / name).read_text(encoding="utf-8"))
    for obj in _objects(data):
        if obj.get("requires_license"):
            assert obj.get("description") == "", obj.get("id")


def test_kips_has_the_published_items_order_scale_and_bands():
    kips = svc.get_scheme("kips")
    assert kips.ratings is not None
    assert [i.name for i in kips.ratings.items] == [
        "Sensitivity of Responses",
        "Supports Emotions",
        "Physical Interaction",
        "Involvement in Child's Activities",
        "Open to Child's Agenda",
        "Engagement in Language Experiences",
        "Reasonable Expectations",
        "Adapts Strategies to Child",
        "Limits & Consequences",
        "Supportive Directions",
        "Encouragement",
        "Promotes Exploration & Curiosity",
    ]
    assert all((i.scale_min, i.scale_max) == (1, 5) for i in kips.ratings.items)
    assert all([s.code for s in i.special] == ["NOB"] for i in kips.ratings.items)
    assert all(i.special[0].counts_as == "excluded" for i in kips.ratings.items)
    assert all(i.requires_license and i.description == "" for i in kips.ratings.items)
    assert kips.ratings.aggregate == "mean"
    assert [(b.label, b.min, b.max) for b in kips.ratings.bands] == [
        ("low", 1.0, 2.9),
        ("moderate", 3.0, 3.9),
        ("high", 4.0, 5.0),
    ]
    groups = [i.group for i in kips.ratings.items]
    assert (
        groups
        == ["building_relationships"] * 5
        + ["promoting_learning"] * 4
        + ["supporting_confidence"] * 3
    )
    assert [t for _, t in kips.ratings.groups] == [
        "Building Relationships",
        "Promoting Learning",
        "Supporting Confidence",
    ]
    # the group names are published, which item belongs to which is not
    raw_items = kips.raw["ratings"]["items"]
    assert all(item["unverified"] == ["group"] for item in raw_items)


def test_care_index_grid_adds_up_to_fourteen_per_member():
    care = svc.get_scheme("care_index_infant")
    (grid,) = care.grids
    assert len(grid.rows) == 7 and grid.points_per_row == 2
    assert 7 * 2 == care.raw["grids"][0]["total_per_member"] == 14
    assert [[s.name for s in m.scales] for m in grid.members] == [
        ["Sensitivity", "Control", "Unresponsiveness"],
        ["Cooperativeness", "Compulsivity", "Difficultness", "Passivity"],
    ]
    assert grid.band_scale == "sensitivity"
    assert sorted((b.min, b.max, b.label) for b in grid.bands) == [
        (0, 4, "at risk"),
        (5, 6, "inept"),
        (7, 10, "adequate"),
        (11, 14, "sensitive"),
    ]
    # instruments.md: the aspects, the points rule and the bands are unverified
    assert not any(b.verified for b in grid.bands)
    assert care.raw["grids"][0]["verified"] is False


def test_vfas_own_event_scheme_codes_gaze_touch_and_voice_of_parent_and_infant():
    scheme = svc.get_scheme("vfa_interaction")
    assert scheme.ethogram is not None and not scheme.ratings and not scheme.grids
    codes = scheme.ethogram.codes
    assert scheme.ethogram.subjects == ("parent", "infant")
    groups: dict[str | None, list] = {}
    for code in codes:
        groups.setdefault(code.group, []).append(code)
    for who in ("parent", "infant"):  # where each looks: one of three, one at a time
        gaze = groups[f"{who}_gaze"]
        assert len(gaze) == 3
        assert {(c.kind, c.subjects) for c in gaze} == {("state", (who,))}
    touch = groups["parent_touch"]
    assert len(touch) > 1 and {c.kind for c in touch} == {"state"}
    assert len(groups["parent_voice"]) > 1
    infant_sounds = [c for c in codes if c.subjects == ("infant",) and c.kind == "point"]
    assert infant_sounds and not scheme.moments
    assert any(c.modifiers for c in codes)
    keys = [c.hotkey for c in codes]
    assert all(keys) and len({k.casefold() for k in keys}) == len(keys)
    assert [k for k in keys if hotkey_conflict(k) is not None] == []
    raw = yaml.safe_load((SHIPPED / "vfa_interaction.yaml").read_text(encoding="utf-8"))
    assert not any(obj.get("requires_license") for obj in _objects(raw))


def test_vig_principles_and_sub_behaviours_are_moment_tags():
    vig = svc.get_scheme("vig")
    assert vig.ethogram is not None and vig.moments is not None
    principles = [c for c in vig.ethogram.codes if c.parent is None]
    assert [c.name for c in principles] == [
        "Being attentive",
        "Encouraging initiatives",
        "Receiving initiatives",
        "Developing attuned interactions",
        "Guiding",
        "Deepening discussion",
    ]
    counts = [sum(1 for c in vig.ethogram.codes if c.parent == p.id) for p in principles]
    assert counts == [5, 5, 5, 5, 5, 6]
    assert all(c.moment and c.kind == "point" and c.hotkey for c in vig.ethogram.codes)
    assert (vig.moments.max_clips, vig.moments.max_clip_ms) == (3, 10_000)
    assert vig.code_for_hotkey("1").id == "being_attentive"


def test_vipp_sd_has_its_moment_tags():
    vipp = svc.get_scheme("vipp_sd")
    ids = {c.id for c in vipp.ethogram.codes}
    assert {
        "positive_moment",
        "speaking_for_the_child",
        "sensitive_chain",
        "sharing_emotions",
        "discipline_strategies",
    } <= ids
    assert all(c.moment for c in vipp.ethogram.codes)


def test_hotkeys_are_unique_across_the_shipped_schemes_own_codes():
    for scheme in svc.available_schemes():
        keys = [c.hotkey for c in (scheme.ethogram.codes if scheme.ethogram else ()) if c.hotkey]
        assert len(keys) == len(set(keys)), scheme.id


# -- bad files --------------------------------------------------------------------------------


def test_a_yaml_syntax_error_names_file_line_and_reason(tmp_path):
    path = write(tmp_path, "bad.yaml", 'id: x\nname: "unclosed\nversion: "1"\n')
    error = load_error(path)
    # the quote opened on line 2 closes at the first '"' of line 3 ('version: "' is 10
    # characters), so the stray '1"' at line 3, column 11 is where parsing fails
    assert (error.place, error.line) == ("", 3)
    assert error.reason.startswith("YAML syntax error at column 11: ")
    assert "started on line 1" in error.reason
    assert str(error).startswith(f"{path}: line 3: YAML syntax error")


def test_a_tab_indent_is_a_yaml_error_on_its_line(tmp_path):
    path = write(tmp_path, "tab.yaml", "id: x\nname: y\n\tversion: '1'\n")
    error = load_error(path)
    assert error.line == 3 and "YAML syntax error" in error.reason


def test_a_missing_field_is_named_with_its_place_and_line(tmp_path):
    path = write(tmp_path, "m.yaml", MINIMAL.replace("      name: Touch\n", ""))
    error = load_error(path)
    assert error.place == "ethogram.codes[1]"
    assert error.reason == "missing field 'name'"
    assert error.line == 14  # "- id: touch" is line 14 of MINIMAL


def test_a_missing_top_level_field(tmp_path):
    path = write(tmp_path, "m.yaml", MINIMAL.replace("source: test\n", ""))
    error = load_error(path)
    assert (error.place, error.reason) == ("", "missing field 'source'")


def test_an_unknown_field_and_a_wrong_type(tmp_path):
    error = load_error(write(tmp_path, "u.yaml", MINIMAL.replace("kind: point", "kinds: point", 1)))
    assert error.place == "ethogram.codes[0]"
    assert "unknown field 'kinds'" in error.reason
    error = load_error(write(tmp_path, "t.yaml", MINIMAL.replace('"A"', "1")))
    assert (error.place, error.line) == ("ethogram.codes[0].hotkey", 11)  # line 11: hotkey
    assert "quote it" in error.reason
    error = load_error(write(tmp_path, "e.yaml", MINIMAL.replace("kind: point", "kind: event", 1)))
    assert error.place == "ethogram.codes[0].kind" and "point, state" in error.reason


def test_a_key_given_twice_is_refused(tmp_path):
    path = write(tmp_path, "d.yaml", MINIMAL.replace("source: test\n", "source: a\nsource: b\n"))
    error = load_error(path)
    assert (error.place, error.line) == ("source", 6)


def test_a_duplicate_hotkey_gives_the_line_of_the_second(tmp_path):
    path = write(tmp_path, "h.yaml", MINIMAL.replace('hotkey: "B"', 'hotkey: "a"'))
    error = load_error(path)
    assert (error.place, error.line) == ("ethogram.codes[1].hotkey", 16)  # touch's hotkey
    assert "'A' is already the key of code 'smile'" in error.reason


def test_a_player_key_is_refused(tmp_path):
    path = write(tmp_path, "p.yaml", MINIMAL.replace('hotkey: "B"', 'hotkey: "Space"'))
    error = load_error(path)
    assert error.place == "ethogram.codes[1].hotkey" and "play / pause" in error.reason


def test_an_unknown_subject_is_refused(tmp_path):
    text = MINIMAL.replace("      kind: point\n", "      kind: point\n      subjects: [dog]\n", 1)
    error = load_error(write(tmp_path, "s.yaml", text))
    assert error.place == "ethogram.codes[0].subjects[0]"
    assert "unknown subject 'dog'" in error.reason


def test_a_point_event_in_an_exclusive_group_is_refused(tmp_path):
    text = MINIMAL.replace("      kind: point\n", "      kind: point\n      group: face\n", 1)
    error = load_error(write(tmp_path, "g.yaml", text))
    assert error.place == "ethogram.codes[0].group" and "exclusive group 'face'" in error.reason


def _kips_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (SHIPPED / "kips.yaml").read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path, "kips_variant.yaml", text.replace(old, new))


def test_kips_bands_outside_overlapping_or_with_a_gap_are_refused(tmp_path):
    error = load_error(_kips_variant(tmp_path, "min: 4.0, max: 5.0", "min: 4.0, max: 5.5"))
    assert error.place == "ratings.bands[2]" and "outside the items' scale (1–5)" in error.reason
    error = load_error(_kips_variant(tmp_path, "min: 3.0, max: 3.9", "min: 2.5, max: 3.9"))
    assert error.place == "ratings.bands[1]" and "overlaps band 'low'" in error.reason
    path = _kips_variant(tmp_path, "min: 3.0, max: 3.9", "min: 3.5, max: 3.9")
    error = load_error(path)
    assert "gap between band 'low' (up to 2.9) and band 'moderate' (from 3.5)" in error.reason
    lines = path.read_text(encoding="utf-8").splitlines()
    (moderate,) = [n for n, line in enumerate(lines, 1) if "label: moderate" in line]
    assert (error.place, error.line) == ("ratings.bands[1]", moderate)  # the band's own line


def test_unreachable_care_index_totals_are_refused(tmp_path):
    text = (SHIPPED / "care_index_infant.yaml").read_text(encoding="utf-8")
    path = write(
        tmp_path, "care.yaml", text.replace("total_per_member: 14", "total_per_member: 12")
    )
    error = load_error(path)
    assert error.place == "grids[0].total_per_member"
    assert "7 rows × 2 points per row give each member 14 points, not the stated 12" in error.reason


@pytest.mark.parametrize(
    ("text", "reason"), [("", "the file is empty"), ("- a\n- b\n", "a mapping")]
)
def test_empty_and_non_mapping_files(tmp_path, text, reason):
    assert reason in load_error(write(tmp_path, "x.yaml", text)).reason


def test_keys_must_be_words(tmp_path):
    error = load_error(write(tmp_path, "k.yaml", MINIMAL + "7: seven\n"))
    assert (error.place, error.line) == ("", 19)  # MINIMAL has 18 lines
    assert "keys must be words" in error.reason


def test_a_missing_file(tmp_path):
    assert load_error(tmp_path / "nope.yaml").reason == "file not found"


def test_dates_stay_text(tmp_path):
    scheme = svc.load_scheme_file(
        write(tmp_path, "d.yaml", MINIMAL.replace("source: test", "source: 2024-05-01"))
    )
    assert scheme.raw["source"] == "2024-05-01"


# -- folders ----------------------------------------------------------------------------


def test_own_folders_add_and_replace_schemes_and_bad_files_are_reported(
    tmp_path, monkeypatch, isolated_user
):
    extra = tmp_path / "service"
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(extra))
    write(extra, "mini.yaml", MINIMAL)
    broken = write(extra, "broken.yaml", MINIMAL.replace('hotkey: "B"', 'hotkey: "K"'))
    # a licensed copy of KIPS in the user's config folder replaces the shipped one
    user = isolated_user / "config" / "schemes"
    user.mkdir(parents=True)
    shutil.copy(SHIPPED / "kips.yaml", user / "kips.yaml")
    text = (user / "kips.yaml").read_text(encoding="utf-8")
    (user / "kips.yaml").write_text(
        text.replace('description: ""', 'description: "local anchors"', 1), encoding="utf-8"
    )
    assert svc.scheme_dirs() == [SHIPPED, extra, user]
    scan = svc.scan_schemes()
    assert [s.id for s in scan.schemes] == [
        "care_index_infant",
        "kips",
        "mini",
        "vfa_interaction",
        "vig",
        "vipp_sd",
    ]
    kips = svc.get_scheme("kips")
    assert kips.source_file == str(user / "kips.yaml")
    assert kips.ratings.items[0].description == "local anchors"
    assert [p.file for p in scan.problems] == [str(broken)]
    assert svc.scheme_problems()[0].place == "ethogram.codes[1].hotkey"
    assert [s.id for s in svc.available_schemes()] == [s.id for s in scan.schemes]


def test_two_files_with_one_id_in_a_folder_keep_the_first(tmp_path, monkeypatch):
    extra = tmp_path / "service"
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(extra))
    write(extra, "a.yaml", MINIMAL)
    second = write(extra, "b.yaml", MINIMAL.replace("name: Minimal", "name: Other"))
    scan = svc.scan_schemes()
    assert svc.get_scheme("mini").name == "Minimal"
    assert [(p.file, p.place) for p in scan.problems] == [(str(second), "id")]


def test_an_unknown_scheme_lists_the_known_ids():
    with pytest.raises(NotFoundError) as caught:
        svc.get_scheme("nope")
    assert "care_index_infant, kips, vfa_interaction, vig, vipp_sd" in str(caught.value)


# -- the workspace ------------------------------------------------------------------------


def _rows(ws):
    with ws.sessions() as db:
        return db.scalar(select(func.count()).select_from(SchemeRow))


def _coding_run(ws, scheme_row: int) -> int:
    with ws.sessions.begin() as db:
        case = Case(code="FAM-1")
        session = Session(case=case, label="V1")
        clip = Clip(
            session=session,
            path="/v.mp4",
            fingerprint="f",
            file_size=1,
            file_mtime_ns=1,
            duration_ms=1000,
            frame_count=25,
            fps=25.0,
            vfr=False,
            width=2,
            height=2,
            has_audio=False,
            codec="h264",
            frame_table=b"",
        )
        coder = Coder(name="Ann", role=Role.CODER)
        db.add_all([case, session, clip, coder])
        db.flush()
        run = CodingRun(clip_id=clip.id, scheme_id=scheme_row, coder_id=coder.id)
        db.add(run)
        db.flush()
        return run.id


def test_registering_the_same_content_again_returns_the_same_row(workspace):
    kips = svc.get_scheme("kips")
    first = svc.register_scheme(workspace, kips)
    assert svc.register_scheme(workspace, kips) == first
    assert _rows(workspace) == 1
    with workspace.sessions() as db:
        row = db.get_one(SchemeRow, first)
        assert (row.scheme_key, row.version, row.content_hash) == ("kips", "1", kips.content_hash)
        assert row.content == kips.raw
        assert (
            db.scalar(select(AuditEntry.action).where(AuditEntry.entity == "scheme")) == "register"
        )
    assert svc.scheme_changes(workspace, kips) is None


def test_changed_content_under_the_same_version_is_stored_apart_and_warned_about(
    workspace, tmp_path
):
    kips = svc.get_scheme("kips")
    old_row = svc.register_scheme(workspace, kips)
    run = _coding_run(workspace, old_row)
    changed = svc.load_scheme_file(
        _kips_variant(tmp_path, "name: Encouragement", "name: Encouraging words")
    )
    assert (changed.id, changed.version) == (kips.id, kips.version)
    assert changed.content_hash != kips.content_hash
    warning = svc.scheme_changes(workspace, changed)
    assert warning is not None
    assert "scheme kips version 1" in warning and "content changed" in warning
    assert "1 coding run(s)" in warning
    new_row = svc.register_scheme(workspace, changed)
    assert new_row != old_row and _rows(workspace) == 2
    # the coding made before still points at the content it was made with
    with workspace.sessions() as db:
        stored = db.get_one(SchemeRow, db.get_one(CodingRun, run).scheme_id)
        assert stored.id == old_row
        assert stored.content["ratings"]["items"][10]["name"] == "Encouragement"
    # the warning stays while both contents are stored, seen from either side
    seen_from_old = svc.scheme_changes(workspace, kips)
    assert seen_from_old is not None
    assert "scheme kips version 1" in seen_from_old and "content changed" in seen_from_old
    # a new version is a scheme of its own: no warning
    bumped = svc.load_scheme_file(_kips_variant(tmp_path, 'version: "1"', 'version: "2"'))
    assert svc.scheme_changes(workspace, bumped) is None
