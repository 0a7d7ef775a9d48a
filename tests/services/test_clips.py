"""Adding, listing, checking and relinking clips through the services."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil

import pytest
from sqlalchemy import func, select

from tests.conftest import source_indices
from vfa.errors import InvalidInputError, MediaError
from vfa.media.probe import probe
from vfa.services import clips as svc
from vfa.storage.models import AuditEntry, Case, Clip, Session


def _counts(ws):
    with ws.sessions() as db:
        return tuple(
            db.scalar(select(func.count()).select_from(m))
            for m in (Case, Session, Clip, AuditEntry)
        )


def test_adding_a_clip_creates_its_case_and_session_and_stores_the_frame_table(workspace, clips):
    added = svc.add_clip(workspace, clips["vfr"], "FAM-017", "Visit 1", context="play", cycle=1)
    info = svc.clip_info(workspace, added.clip_id)
    assert (info.case_code, info.session_label) == ("FAM-017", "Visit 1")
    assert info.vfr is True
    kept = source_indices("vfr")  # the frames the generated VFR clip keeps of its source
    assert info.frame_table.frame_count == len(info.frame_table.pts_ms) == len(kept)
    assert info.path == str(clips["vfr"].resolve())
    second = svc.add_clip(workspace, clips["cfr25"], "FAM-017", "Visit 1")
    assert (second.case_id, second.session_id) == (added.case_id, added.session_id)
    assert second.clip_id != added.clip_id
    tree = svc.catalog(workspace)
    assert [c.code for c in tree] == ["FAM-017"]
    assert [k.id for k in tree[0].sessions[0].clips] == [added.clip_id, second.clip_id]
    with workspace.sessions() as db:
        actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["create", "create", "add", "add"]


def test_adding_the_same_file_twice_to_a_session_keeps_one_clip(workspace, clips):
    first = svc.add_clip(workspace, clips["ntsc"], "FAM-1", "Visit 1")
    again = svc.add_clip(workspace, clips["ntsc"], "FAM-1", "Visit 1")
    assert again.clip_id == first.clip_id and again.already_present


@pytest.mark.parametrize("code", ["", "Jane Smith", "a/b", "x" * 65, "-lead"])
def test_case_codes_must_be_pseudonymous_codes(workspace, clips, code):
    before = _counts(workspace)
    with pytest.raises(InvalidInputError, match="case code"):
        svc.add_clip(workspace, clips["ntsc"], code, "Visit 1")
    assert _counts(workspace) == before


def test_a_bad_file_changes_nothing(workspace, tmp_path):
    svc_before = _counts(workspace)
    bogus = tmp_path / "bogus.mp4"
    bogus.write_bytes(b"\x00" * 5000)
    with pytest.raises(MediaError) as err:
        svc.add_clip(workspace, bogus, "FAM-1", "Visit 1")
    assert str(bogus) in str(err.value)
    with pytest.raises(MediaError, match="not found"):
        svc.add_clip(workspace, tmp_path / "missing.mp4", "FAM-1", "Visit 1")
    assert _counts(workspace) == svc_before


def test_a_missing_file_is_reported_and_found_again_in_a_folder(workspace, clips, tmp_path):
    original = tmp_path / "shoot" / "clip.mp4"
    original.parent.mkdir()
    shutil.copy(clips["cfr25"], original)
    added = svc.add_clip(workspace, original, "FAM-2", "Visit 1")
    assert svc.check_clip(workspace, added.clip_id).state is svc.ClipState.OK

    moved = tmp_path / "archive" / "2026" / "renamed.mp4"
    moved.parent.mkdir(parents=True)
    (tmp_path / "archive" / "other.mp4").write_bytes(b"x" * original.stat().st_size)
    shutil.move(original, moved)
    check = svc.check_clip(workspace, added.clip_id)
    assert check.state is svc.ClipState.MISSING
    assert str(original) in check.message

    found = svc.relink(workspace, tmp_path / "archive")
    assert [(f.clip_id, f.path) for f in found] == [(added.clip_id, str(moved))]
    assert svc.check_clip(workspace, added.clip_id).state is svc.ClipState.OK
    assert svc.clip_info(workspace, added.clip_id).path == str(moved)


def test_a_changed_file_is_detected(workspace, clips, tmp_path):
    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    added = svc.add_clip(workspace, path, "FAM-3", "Visit 1")
    shutil.copy(clips["ntsc"], path)  # re-exported over the same name
    check = svc.check_clip(workspace, added.clip_id)
    assert check.state is svc.ClipState.CHANGED
    assert str(path) in check.message


def test_a_touched_but_unchanged_file_is_fine(workspace, clips, tmp_path):
    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    added = svc.add_clip(workspace, path, "FAM-4", "Visit 1")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert svc.check_clip(workspace, added.clip_id).state is svc.ClipState.OK


def test_relink_needs_a_folder(workspace, tmp_path):
    with pytest.raises(MediaError, match="not a folder"):
        svc.relink(workspace, tmp_path / "nowhere")


def test_the_demo_workspace_has_playable_generated_clips(tmp_path):
    from vfa.services import consent, moments
    from vfa.services.workspaces import open_demo

    ws = open_demo(tmp_path / "demo.vfa")
    try:
        tree = svc.catalog(ws)
        assert [c.code for c in tree] == ["DEMO-001", "DEMO-002"]
        clips = [k for c in tree for s in c.sessions for k in s.clips]
        for clip in clips:
            info = svc.clip_info(ws, clip.id)
            assert info.has_audio and info.frame_table.frame_count > 100
            assert svc.check_clip(ws, clip.id).state is svc.ClipState.OK
            assert consent.consent_for(ws, clip.id).covers("feedback")
        # moments to look at on the first visit, some of them in its reel
        first = tree[0].sessions[0]
        tagged = moments.moments(ws, clip_id=first.clips[0].id)
        reel = moments.reel(ws, first.id)
        assert len(tagged) > len(reel) > 0 and all(m.caption for m in tagged)
    finally:
        ws.close()
    again = open_demo(tmp_path / "demo.vfa")  # a second run reuses it
    assert svc.catalog(again) == tree
    assert moments.moments(again, clip_id=first.clips[0].id) == tagged
    again.close()


# -- the full content hash -------------------------------------------------------------


@pytest.fixture
def small_samples(monkeypatch):
    """4 KiB samples, so a small test clip has bytes no sample covers, as a 7 MB file has
    with the real 1 MiB samples."""
    from vfa.media import fingerprint as fingerprint_module

    monkeypatch.setattr(fingerprint_module, "CHUNK", 4096)


def _blake2b(path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=32).hexdigest()


def _change_between_samples(path) -> None:
    """Flip 64 bytes a quarter into the file (no sample there), keeping its size."""
    size = path.stat().st_size
    offset = size // 4
    assert offset > 4096 and offset + 64 < size // 2 - 2048, "the clip is too small"
    with path.open("r+b") as fh:
        fh.seek(offset)
        old = fh.read(64)
        fh.seek(offset)
        fh.write(bytes(b ^ 0xFF for b in old))
    st = path.stat()  # a later mtime whatever the file system's clock granularity
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def _stored_hash(ws, clip_id):
    with ws.sessions() as db:
        return db.get_one(Clip, clip_id).content_hash


def _actions(ws):
    with ws.sessions() as db:
        return db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


def test_a_change_between_the_samples_is_found_by_verification(
    workspace, clips, tmp_path, small_samples
):
    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    added = svc.add_clip(workspace, path, "FAM-5", "Visit 1")
    svc.verify_clip(workspace, added.clip_id)
    recorded = _stored_hash(workspace, added.clip_id)
    assert recorded == _blake2b(path)

    _change_between_samples(path)
    # the quick check (opening a clip) cannot see it, and says only what it knows
    quick = svc.check_clip(workspace, added.clip_id)
    assert quick.state is svc.ClipState.OK and "sampled" in quick.message
    with pytest.raises(MediaError) as err:
        svc.verify_clip(workspace, added.clip_id)
    assert str(path) in str(err.value) and "changed" in str(err.value)
    [full] = svc.check_all(workspace)
    assert full.state is svc.ClipState.CHANGED and str(path) in full.message
    assert [c.state for c in svc.check_all(workspace, quick=True)] == [svc.ClipState.OK]
    assert _stored_hash(workspace, added.clip_id) == recorded  # never re-hashed


def test_a_clip_without_a_hash_gets_it_at_its_first_verification(workspace, clips, tmp_path):
    path = tmp_path / "clip.mp4"
    shutil.copy(clips["noaudio"], path)
    added = svc.add_clip(workspace, path, "FAM-6", "Visit 1")
    assert _stored_hash(workspace, added.clip_id) is None  # adding stays quick
    seen: list[float] = []
    check = svc.verify_clip(workspace, added.clip_id, progress=seen.append)
    assert check.state is svc.ClipState.OK
    assert _stored_hash(workspace, added.clip_id) == _blake2b(path)
    assert seen and seen == sorted(seen) and seen[-1] == 1.0
    assert _actions(workspace)[-1] == "hash"
    before = _counts(workspace)
    svc.verify_clip(workspace, added.clip_id)  # compared now, nothing more written
    assert _counts(workspace) == before


def test_an_unhashed_clip_that_changed_is_reported_and_not_hashed(workspace, clips, tmp_path):
    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    added = svc.add_clip(workspace, path, "FAM-7", "Visit 1")
    with path.open("r+b") as fh:  # the first bytes: a sampled region, same size
        head = fh.read(16)
        fh.seek(0)
        fh.write(bytes(b ^ 0xFF for b in head))
    with pytest.raises(MediaError, match="changed"):
        svc.verify_clip(workspace, added.clip_id)
    assert _stored_hash(workspace, added.clip_id) is None
    shutil.copy(clips["ntsc"], path)  # another size altogether
    with pytest.raises(MediaError, match="size differs"):
        svc.verify_clip(workspace, added.clip_id)


def test_verification_can_be_cancelled_and_stores_nothing(workspace, clips, tmp_path):
    from vfa.media.cache import Cancelled

    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    added = svc.add_clip(workspace, path, "FAM-8", "Visit 1")
    with pytest.raises(Cancelled):
        svc.verify_clip(workspace, added.clip_id, cancelled=lambda: True)
    assert _stored_hash(workspace, added.clip_id) is None


def test_a_read_only_workspace_verifies_without_writing(clips, tmp_path):
    from vfa.storage.workspace import open_workspace

    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    ws = open_workspace(tmp_path / "w.vfa", create=True)
    clip_id = svc.add_clip(ws, path, "FAM-9", "Visit 1").clip_id
    ws.close()
    ro = open_workspace(tmp_path / "w.vfa", read_only=True)
    try:
        check = svc.verify_clip(ro, clip_id)
        assert check.state is svc.ClipState.OK and "read-only" in check.message
        assert _stored_hash(ro, clip_id) is None
    finally:
        ro.close()


def test_a_missing_or_replaced_file_fails_verification_naming_it(workspace, clips, tmp_path):
    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    added = svc.add_clip(workspace, path, "FAM-10", "Visit 1")
    path.unlink()
    with pytest.raises(MediaError, match="missing") as err:
        svc.verify_clip(workspace, added.clip_id)
    assert str(path) in str(err.value)
    os.mkfifo(path)  # a pipe where the video was: refused, never waited on
    check = svc.check_clip(workspace, added.clip_id)
    assert check.state is svc.ClipState.MISSING and "pipe" in check.message
    with pytest.raises(MediaError, match="pipe"):
        svc.verify_clip(workspace, added.clip_id)


def test_every_export_verifies_the_clip_first(workspace, clips, tmp_path, small_samples):
    from vfa.services import consent, moments
    from vfa.services.reel_export import export_reel, export_script

    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    added = svc.add_clip(workspace, path, "FAM-11", "Visit 1")
    moments.add_moment(workspace, added.clip_id, ["vig:waiting"], 0, 1_000, feedback=True)
    consent.set_consent(workspace, added.clip_id, ["feedback"], by="Tess")
    svc.verify_clip(workspace, added.clip_id)
    _change_between_samples(path)
    out = tmp_path / "reel"
    with pytest.raises(MediaError) as err:
        export_reel(workspace, added.session_id, "feedback", out)
    assert str(path) in str(err.value) and "changed" in str(err.value)
    assert not out.exists()
    with pytest.raises(MediaError, match="changed"):
        export_script(workspace, added.session_id, tmp_path / "script.pdf")
    assert not (tmp_path / "script.pdf").exists()


def test_relink_with_a_content_hash_skips_a_file_with_the_same_samples(
    workspace, clips, tmp_path, small_samples
):
    original = tmp_path / "shoot" / "clip.mp4"
    original.parent.mkdir()
    shutil.copy(clips["cfr25"], original)
    added = svc.add_clip(workspace, original, "FAM-12", "Visit 1")
    svc.verify_clip(workspace, added.clip_id)
    archive = tmp_path / "archive"
    archive.mkdir()
    decoy = archive / "a-edited.mp4"  # walked first
    shutil.copy(original, decoy)
    _change_between_samples(decoy)
    os.mkfifo(archive / "a-pipe.mp4")  # never opened for long, never a match
    real = archive / "b.mp4"
    shutil.move(original, real)
    found = svc.relink(workspace, archive)
    assert [(f.clip_id, f.path) for f in found] == [(added.clip_id, str(real))]
    svc.verify_clip(workspace, added.clip_id)


def test_the_sampled_fingerprint_is_as_documented(clips):
    """Stored fingerprints of existing workspaces keep matching: size, then BLAKE2b-128 of
    the 1 MiB at the start, the middle and the end."""
    from vfa.media.fingerprint import fingerprint

    for path in clips.values():
        data = path.read_bytes()
        size, chunk = len(data), 1 << 20
        digest = hashlib.blake2b(digest_size=16)
        digest.update(size.to_bytes(8, "little"))
        for offset in sorted({0, max(0, size // 2 - chunk // 2), max(0, size - chunk)}):
            digest.update(data[offset : offset + chunk])
        assert fingerprint(path) == f"{size:x}-{digest.hexdigest()}"


# -- what enters: files, cases, sessions --------------------------------------------------


@pytest.mark.parametrize("kind", ["loop", "fifo", "device"])
def test_what_is_not_a_regular_file_is_refused_before_reading(workspace, tmp_path, kind):
    if kind == "loop":
        target = tmp_path / "a.mp4"
        os.symlink(tmp_path / "b.mp4", target)
        os.symlink(target, tmp_path / "b.mp4")
        reason = "loop of symbolic links"
    elif kind == "fifo":
        target = tmp_path / "p.mp4"
        os.mkfifo(target)
        reason = "a pipe (FIFO)"
    else:
        target = tmp_path / "d.mp4"
        os.symlink(os.devnull, target)
        reason = "a device"
    before = _counts(workspace)
    with pytest.raises(MediaError) as err:
        svc.add_clip(workspace, target, "FAM-1", "Visit 1")
    assert str(target) in str(err.value) and reason in str(err.value)
    with pytest.raises(MediaError, match=re.escape(reason)):
        probe(target)
    assert _counts(workspace) == before


def test_case_codes_match_whatever_their_capitals(workspace, clips):
    first = svc.add_clip(workspace, clips["ntsc"], "FAM-001", "Visit 1")
    again = svc.add_clip(workspace, clips["cfr25"], " fam-001 ", "VISIT  1")
    assert (again.case_id, again.session_id) == (first.case_id, first.session_id)
    assert (again.case_code, again.session) == ("FAM-001", "Visit 1")  # stored spellings
    assert [c.code for c in svc.catalog(workspace)] == ["FAM-001"]
    from vfa.services.progress import coded_schemes

    assert coded_schemes(workspace, "Fam-001") == []  # found, nothing coded yet


def test_a_workspace_holding_two_spellings_takes_the_exact_one_or_refuses(workspace, clips):
    with workspace.writes.begin() as db:  # as an older VFA could have stored them
        db.add_all([Case(code="FAM-001"), Case(code="fam-001")])
    with workspace.sessions() as db:
        ids = {code: id_ for code, id_ in db.execute(select(Case.code, Case.id))}
    lower = svc.add_clip(workspace, clips["ntsc"], "fam-001", "Visit 1")
    assert lower.case_id == ids["fam-001"]
    before = _counts(workspace)
    with pytest.raises(InvalidInputError) as err:
        svc.add_clip(workspace, clips["ntsc"], "Fam-001", "Visit 1")
    assert "'FAM-001' and 'fam-001'" in str(err.value) and "case code 'Fam-001'" in str(err.value)
    assert _counts(workspace) == before


LONG = "x" * 129


@pytest.mark.parametrize(
    ("field", "kwargs", "reason"),
    [
        ("session label", {"session_label": LONG}, "129 characters"),
        ("session label", {"session_label": "Visit\n1"}, "U+000A"),
        ("session label", {"session_label": "Visit\x001"}, "U+0000"),
        ("session label", {"session_label": "Visit \x1b[31m1"}, "U+001B"),
        ("session label", {"session_label": "Visit \u202e1"}, "U+202E"),
        ("session label", {"session_label": "Visit \udcff"}, "U+DCFF"),
        ("session label", {"session_label": "   "}, "empty"),
        ("session context", {"context": "c" * 65}, "65 characters"),
        ("session context", {"context": "play\tmeal"}, "U+0009"),
        ("session cycle", {"cycle": -1}, "1 to 999"),
        ("session cycle", {"cycle": 0}, "1 to 999"),
        ("session cycle", {"cycle": 1000}, "1 to 999"),
        ("session cycle", {"cycle": True}, "1 to 999"),
        ("session date", {"date": dt.date(2999, 1, 1)}, "filmed"),
        ("session date", {"date": dt.datetime(2025, 1, 1)}, "expected a date"),
    ],
)
def test_session_fields_are_checked_as_they_enter(workspace, clips, field, kwargs, reason):
    args = {"session_label": "Visit 1"} | kwargs
    label = args.pop("session_label")
    before = _counts(workspace)
    with pytest.raises(InvalidInputError) as err:
        svc.add_clip(workspace, clips["ntsc"], "FAM-1", label, **args)
    assert str(err.value).startswith(field) and reason in str(err.value)
    assert len(str(err.value)) < 300  # a long paste is not echoed whole
    assert _counts(workspace) == before


def test_session_fields_at_their_limits_are_kept_stripped(workspace, clips):
    label = "  " + "é" * 128 + " "
    added = svc.add_clip(
        workspace, clips["ntsc"], "FAM-1", label, context=" c" * 32, cycle=999, date=None
    )
    node = svc.catalog(workspace)[0].sessions[0]
    assert node.id == added.session_id
    assert node.label == "é" * 128 and node.context == ("c " * 32).strip()
