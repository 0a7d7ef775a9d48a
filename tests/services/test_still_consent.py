"""A still of a family's video leaves VFA like a reel: for a purpose their consent
covers, and recorded in the audit trail. Any other file is the user's own business."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from tests.test_cli_reel import add_clip, run
from vfa.errors import InvalidInputError
from vfa.services.consent import ConsentError, set_consent
from vfa.services.stills import still_from_file
from vfa.storage.models import AuditEntry
from vfa.storage.workspace import open_workspace


@pytest.fixture
def clip_ws(capsys, clips, tmp_path):
    ws = tmp_path / "ws.vfa"
    clip = tmp_path / "visit.mp4"
    shutil.copy(clips["cfr25"], clip)
    clip_id, _ = add_clip(capsys, ws, clip)
    return ws, clip, clip_id


def still(capsys, ws, file, out, *extra, before=False):
    where = ["--workspace", str(ws)]
    argv = ["still", str(file), "--frame", "5", "-o", str(out), *extra, "--json"]
    return run(capsys, *(where + argv if before else argv + where))


def exports(ws_path):
    ws = open_workspace(ws_path)
    try:
        with ws.sessions() as db:
            return [
                (e.entity, e.entity_id, e.detail)
                for e in db.scalars(select(AuditEntry).where(AuditEntry.action == "export"))
            ]
    finally:
        ws.close()


@pytest.mark.parametrize("before", [False, True])
def test_a_still_of_a_workspace_clip_needs_a_purpose(capsys, clip_ws, tmp_path, before):
    ws, clip, clip_id = clip_ws
    code, _, err = still(capsys, ws, clip, tmp_path / "s.png", before=before)
    assert code == 2 and err.startswith("vfa: ") and "Traceback" not in err
    assert f"clip {clip_id}" in err and "purpose" in err and "notes" in err
    assert not (tmp_path / "s.png").exists() and exports(ws) == []


@pytest.mark.parametrize("before", [False, True])
def test_a_purpose_the_consent_does_not_cover_is_refused_with_the_reason(
    capsys, clip_ws, tmp_path, before
):
    ws, clip, clip_id = clip_ws
    code, _, err = still(capsys, ws, clip, tmp_path / "s.png", "--purpose", "notes", before=before)
    assert code == 2 and "no consent is recorded" in err
    run(capsys, "consent", "set", "--clip", str(clip_id), "--purposes", "feedback",
        "--workspace", str(ws))  # fmt: skip
    code, _, err = still(capsys, ws, clip, tmp_path / "s.png", "--purpose", "notes", before=before)
    assert code == 2 and "covers feedback, not the practitioner's own notes" in err
    assert not (tmp_path / "s.png").exists() and exports(ws) == []


def test_a_covered_purpose_writes_the_still_and_audits_it(capsys, clip_ws, tmp_path):
    ws, clip, clip_id = clip_ws
    run(capsys, "consent", "set", "--clip", str(clip_id), "--purposes", "notes",
        "--workspace", str(ws))  # fmt: skip
    out = tmp_path / "s.png"
    code, data, err = still(capsys, ws, clip, out, "--purpose", "notes")
    assert code == 0, err
    assert data["clip_id"] == clip_id and data["purpose"] == "notes" and out.is_file()
    assert exports(ws) == [
        ("clip", clip_id, {"purpose": "notes", "kind": "still", "frame": 5, "file": str(out)})
    ]


def test_a_copy_of_a_clip_elsewhere_is_recognised_by_its_content(capsys, clip_ws, tmp_path):
    ws, clip, clip_id = clip_ws
    copy = tmp_path / "elsewhere" / "renamed.mp4"
    copy.parent.mkdir()
    shutil.copy(clip, copy)
    code, _, err = still(capsys, ws, copy, tmp_path / "s.png")
    assert code == 2 and f"clip {clip_id}" in err and "purpose" in err


def test_a_file_that_is_no_clip_of_the_workspace_needs_no_purpose(capsys, clip_ws, clips, tmp_path):
    ws, _clip, _ = clip_ws
    code, data, err = still(capsys, ws, clips["vfr"], tmp_path / "mine.png")
    assert code == 0, err
    assert data["clip_id"] is None and data["purpose"] is None
    assert exports(ws) == []


def test_without_a_workspace_a_file_is_the_users_own(capsys, clips, tmp_path):
    # no --workspace and no workspace of the user's own: nothing to check against
    code, data, err = run(
        capsys, "still", str(clips["vfr"]), "--frame", "1", "-o", str(tmp_path / "x.png"), "--json"
    )
    assert code == 0, err
    assert data["clip_id"] is None


def test_a_named_workspace_that_is_missing_is_refused(capsys, clips, tmp_path):
    code, _, err = run(
        capsys, "still", str(clips["vfr"]), "--frame", "1", "-o", str(tmp_path / "x.png"),
        "--workspace", str(tmp_path / "typo.vfa"),
    )  # fmt: skip
    assert code == 2 and "typo.vfa" in err and not (tmp_path / "x.png").exists()


def test_the_service_checks_before_decoding(workspace, clips, tmp_path):
    from vfa.services.clips import add_clip as add

    clip_id = add(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    with pytest.raises(InvalidInputError, match="name the purpose"):
        still_from_file(clips["cfr25"], tmp_path / "a.png", frame=0, ws=workspace)
    with pytest.raises(ConsentError, match="no consent is recorded"):
        still_from_file(clips["cfr25"], tmp_path / "a.png", frame=0, ws=workspace, purpose="notes")
    set_consent(workspace, clip_id, ["notes", "training"])
    made = still_from_file(
        clips["cfr25"], tmp_path / "a.png", frame=0, ws=workspace, purpose="training"
    )
    assert (made.clip_id, made.purpose, made.frame) == (clip_id, "training", 0)
