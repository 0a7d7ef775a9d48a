"""A visit's feedback theme (VIPP-SD: one theme a visit) through the services: one line of
at most 200 characters, cleared by an empty value, audited, refused without a change; and
the person tagging moments recorded as a therapist."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.services.test_edges_blind import add_clip_row
from vfa.domain.schemes import parse_scheme
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import moments
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry, Coder, Role


@pytest.fixture
def visit(workspace, clips):
    added = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1")
    return workspace, added.session_id


def theme_audit(ws):
    with ws.sessions() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.action == "theme")).all()
        return [(e.entity, e.entity_id, e.detail) for e in rows]


def test_a_theme_is_set_replaced_and_cleared_returning_the_one_before(visit):
    ws, session_id = visit
    assert moments.session_theme(ws, session_id) is None
    assert moments.set_theme(ws, session_id, "  Speaking for the child ") is None
    assert moments.session_theme(ws, session_id) == "Speaking for the child"
    assert moments.set_theme(ws, session_id, "Sharing emotions") == "Speaking for the child"
    assert moments.set_theme(ws, session_id, "   ") == "Sharing emotions"
    assert moments.session_theme(ws, session_id) is None
    assert moments.set_theme(ws, session_id, None) is None
    assert theme_audit(ws) == [
        ("session", session_id, {"before": None, "after": "Speaking for the child"}),
        ("session", session_id, {"before": "Speaking for the child", "after": "Sharing emotions"}),
        ("session", session_id, {"before": "Sharing emotions", "after": None}),
        ("session", session_id, {"before": None, "after": None}),
    ]


def test_a_theme_of_200_characters_is_kept_and_201_refused_without_a_change(visit):
    ws, session_id = visit
    moments.set_theme(ws, session_id, "t" * 200)
    with pytest.raises(InvalidInputError) as refused:
        moments.set_theme(ws, session_id, "u" * 201)
    message = str(refused.value)
    assert message.startswith(f"session {session_id}: the theme ")
    assert message.endswith("is 201 characters long; at most 200 are allowed")
    assert moments.session_theme(ws, session_id) == "t" * 200


def test_a_theme_on_two_lines_is_refused(visit):
    ws, session_id = visit
    with pytest.raises(InvalidInputError, match=rf"session {session_id}: the theme .*control"):
        moments.set_theme(ws, session_id, "one\ntwo")
    assert moments.session_theme(ws, session_id) is None and theme_audit(ws) == []


def test_a_missing_session_has_no_theme(workspace):
    with pytest.raises(NotFoundError, match=r"^session 99: no such session in "):
        moments.set_theme(workspace, 99, "Sharing emotions")
    with pytest.raises(NotFoundError, match=r"^session 99: no such session in "):
        moments.session_theme(workspace, 99)
    assert theme_audit(workspace) == []


def test_the_person_tagging_moments_is_recorded_once_as_a_therapist(workspace):
    first = moments.ensure_therapist(workspace, " Sue ")
    assert moments.ensure_therapist(workspace, "Sue") == first
    with workspace.sessions() as db:
        assert [(c.id, c.name, c.role) for c in db.scalars(select(Coder))] == [
            (first, "Sue", Role.THERAPIST)
        ]


def test_restoring_a_moment_returns_it_as_it_was_and_is_audited(workspace):
    clip_id, _ = add_clip_row(workspace)
    first = moments.add_moment(workspace, clip_id, ["vig:waiting"], 1_000, 3_000, caption="A")
    moments.edit_moment(workspace, first.id, caption="B")
    edited = moments.get_moment(workspace, first.id)
    with viewing_as("Tess"):
        assert moments.restore_moment(workspace, first) == edited  # for the redo
    assert moments.get_moment(workspace, first.id) == first
    with workspace.sessions() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.action == "restore")).all()
        assert [(e.actor, e.entity, e.entity_id, e.detail) for e in rows] == [
            ("Tess", "moment", first.id, {})
        ]


def guided_vipp():
    """VIPP-SD as a library might hold it: with VIG's reel guidance of up to 3 clips."""
    raw = get_scheme("vipp_sd").raw
    return parse_scheme({**raw, "moments": {**raw["moments"], "max_clips": 3}}, "vipp_sd.yaml")


@pytest.mark.parametrize("vig", ["not installed", "no guidance"])
def test_a_scheme_without_guidance_leaves_the_next_schemes_guidance(workspace, vig):
    clip_id, session_id = add_clip_row(workspace)
    tags = ["vig:waiting"] + ["vipp_sd:positive_moment"] * 4
    for n, tag in enumerate(tags):
        moments.add_moment(workspace, clip_id, [tag], n * 1_000, n * 1_000 + 500, feedback=True)

    def library(scheme_id):
        if scheme_id == "vipp_sd":
            return guided_vipp()
        if vig == "not installed":
            raise NotFoundError(f"no scheme {scheme_id}")
        return replace(get_scheme("vig"), moments=None)

    assert moments.reel_guidance(workspace, session_id, find=library) == [
        "vipp_sd: 4 clips in the reel; the guidance is up to 3"
    ]


def test_reel_guidance_is_for_the_viewer_named(workspace):
    clip_id, session_id = add_clip_row(workspace)
    asg.assign(workspace, [clip_id], get_scheme("vig"), ["Ann", "Ben"])
    for n in range(4):
        moments.add_moment(
            workspace, clip_id, ["vig:waiting"], n * 1_000, n * 1_000 + 500, feedback=True,
            coder="Ann",
        )  # fmt: skip
    with viewing_as("Sue"):  # Ann's blind moments are hidden from Sue, not from Ann
        assert moments.reel_guidance(workspace, session_id) == []
        assert moments.reel_guidance(workspace, session_id, viewer="Ann") == [
            "vig: 4 clips in the reel; the guidance is up to 3"
        ]
