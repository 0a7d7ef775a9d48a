"""Every act against every role on a managed workspace: the act works for the roles the
permission table allows, and is refused for the others with a message naming the person,
their role and who may, with nothing stored changed. A name that is not one of the people
is refused every act."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.services.people_world import NAMES, World, build_world, row_counts
from vfa.services import assignments, coding, consent, exports, moments, people, stills
from vfa.services import clips as clip_service
from vfa.services.people import ALLOWED, Act, NotAllowedError
from vfa.services.reliability_runs import ratings_agreement
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import Role


def _code(w: World, name: str, out: Path) -> Any:
    kips = get_scheme("kips")
    run = coding.open_run(w.ws, w.clip, kips, name)
    return coding.set_rating(w.ws, run.id, kips, kips.ratings.items[0].id, 3)


# one service call per act, made as ``name`` (the person asking)
ACTS: dict[Act, Callable[[World, str, Path], Any]] = {
    Act.MANAGE_PEOPLE: lambda w, name, out: people.add_person(w.ws, "Newcomer", "coder"),
    Act.ADD_CLIPS: lambda w, name, out: clip_service.add_clip(w.ws, w.other_file, "FAM-2", "V1"),
    Act.CODE: _code,
    Act.ASSIGN: lambda w, name, out: assignments.assign(w.ws, [w.clip], "vig", ["Cal"], by=name),
    Act.SEE_AGREEMENT: lambda w, name, out: ratings_agreement(w.ws, "kips", name),
    Act.TAG_MOMENTS: lambda w, name, out: moments.add_moment(
        w.ws, w.clip, ["vig:waiting"], 0, 1_000, coder=name
    ),
    Act.MANAGE_CONSENT: lambda w, name, out: consent.set_consent(
        w.ws, w.clip, ["feedback", "supervision"], by=name
    ),
    Act.EXPORT_FEEDBACK: lambda w, name, out: stills.still_from_file(
        w.file, out / "still.png", frame=3, ws=w.ws, purpose="feedback"
    ),
    Act.EXPORT_DATA: lambda w, name, out: exports.export_file(
        w.ws, "csv", out / "ratings.csv", exports.Selection(viewer=name), what="ratings"
    ),
}
# (reading the audit trail is the audit trail reader's act: it is checked there)
CHECKED_HERE = set(Act) - {Act.READ_AUDIT}


def test_every_act_has_its_service_call_here():
    assert set(ACTS) == CHECKED_HERE


@pytest.fixture
def world(workspace, clips) -> World:
    return build_world(workspace, clips)


CASES = [(act, role) for act in ACTS for role in Role]


@pytest.mark.parametrize(("act", "role"), CASES, ids=[f"{a.name}-{r.value}" for a, r in CASES])
def test_each_role_may_do_what_the_table_allows_and_no_more(world, tmp_path, act, role):
    name, out = NAMES[role], tmp_path / "out"
    out.mkdir()
    before = row_counts(world.ws)
    with viewing_as(name):
        if role in ALLOWED[act]:
            ACTS[act](world, name, out)
            return
        with pytest.raises(NotAllowedError) as refused:
            ACTS[act](world, name, out)
    message = str(refused.value)
    assert message.startswith(f"{name} is a {role.value}: only a")
    assert f"may {act.value}" in message
    for allowed in ALLOWED[act]:
        assert allowed.value in message.split(":", 1)[1].split(" may ")[0]
    assert row_counts(world.ws) == before
    assert not list(out.iterdir())  # no file written either


@pytest.mark.parametrize("act", list(ACTS), ids=[a.name for a in ACTS])
def test_a_name_that_is_not_one_of_the_people_may_do_nothing(world, tmp_path, act):
    before = row_counts(world.ws)
    with viewing_as("Stranger"), pytest.raises(NotAllowedError) as refused:
        ACTS[act](world, "Stranger", tmp_path)
    assert str(refused.value).startswith("Stranger is not one of this workspace's people")
    assert "vfa people add" in str(refused.value)
    assert row_counts(world.ws) == before


@pytest.mark.parametrize("act", list(ACTS), ids=[a.name for a in ACTS])
def test_on_a_personal_workspace_anyone_does_everything(workspace, clips, tmp_path, act):
    """The same world without an admin: every act works for a name nobody added."""
    world = build_world(workspace, clips, managed=False)
    with viewing_as("Stranger"):
        ACTS[act](world, "Stranger", tmp_path)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_the_acts_allowed_for_menus_are_the_table(world, role):
    from vfa.services.permissions import allowed_acts

    expected = {act for act in Act if role in ALLOWED[act]}
    assert allowed_acts(world.ws, NAMES[role]) == expected
    assert allowed_acts(world.ws, "Stranger") == frozenset()


def test_on_a_personal_workspace_every_act_is_allowed_for_menus(workspace, clips):
    from vfa.services.permissions import allowed_acts

    world = build_world(workspace, clips, managed=False)
    assert allowed_acts(world.ws, "Stranger") == set(Act)


def test_people_added_and_roles_changed_are_audited_as_the_admin_who_did_it(world):
    """The trail names the admin acting (``who``), whoever the process runs as, and a role
    change names the person whose role it is."""
    from sqlalchemy import select

    from vfa.storage.models import AuditEntry

    with viewing_as("Cal"):  # the process's own viewer is a coder: not who acts here
        people.add_person(world.ws, "Dee", Role.CODER, who="Ada")
        people.set_role(world.ws, "Dee", Role.SUPERVISOR, who="Ada")
    with world.ws.sessions() as db:
        added, changed = db.scalars(
            select(AuditEntry).where(AuditEntry.entity == "coder").order_by(AuditEntry.id)
        ).all()[-2:]
    assert (added.actor, added.action, added.detail["name"]) == ("Ada", "create", "Dee")
    assert (changed.actor, changed.action) == ("Ada", "update")
    assert changed.detail == {
        "name": "Dee",
        "before": {"role": "coder"},
        "after": {"role": "supervisor"},
    }
