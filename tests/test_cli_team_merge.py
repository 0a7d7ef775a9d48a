"""A laptop coming home to a team workspace, each person connected as themselves: the coder
merges her own checkout back (``vfa merge laptop.vfa``) within the server's rules; what her
role may not bring (consent, criteria, other people's audit entries) stays out with a note
for the person who may; moments she may not tag refuse the merge, naming them; an admin
carries other people's entries over, marked as carried by them; someone else's coding is
refused before anything is written. Every refusal exits 2 with ``vfa: …`` and changes
nothing stored on the server."""

from __future__ import annotations

import json

import psycopg
import pytest
from sqlalchemy import select

from tests.services.laptop_team import LaptopTeam, code_plainly, laptop_team, tag_moment
from tests.services.merge_world import counts, digest, only_clip, run_of
from tests.test_cli_surface import run
from vfa.services import consent
from vfa.storage.models import AuditEntry, Coder, CodingRun, WorkspaceInfo
from vfa.storage.workspace import open_workspace


@pytest.fixture
def team(pg_database, clips, isolated_user):
    with laptop_team(pg_database, clips) as made:
        yield made


def everything(team: LaptopTeam) -> tuple[dict[str, int], list[tuple], list[tuple]]:
    """What the server holds, as its owner reads it: rows per table, every audit entry,
    every workspace_info row (what a refused merge must leave as it was)."""
    ws = team.owner()
    try:
        with ws.sessions() as db:
            entries = [
                (e.id, e.actor, e.action, json.dumps(e.detail, sort_keys=True))
                for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))
            ]
            info = [(i.key, i.value) for i in db.scalars(select(WorkspaceInfo))]
        return counts(ws), entries, sorted(info)
    finally:
        ws.close()


def checked_out(capsys, team: LaptopTeam, tmp_path, person: str = "Ann"):
    """The person's checkout, taken connected as themselves."""
    laptop = tmp_path / f"{person.lower()}-laptop.vfa"
    code, _, err = run(capsys, "checkout", team.url_of(person), "--coder", person, "-o", laptop)
    assert code == 0, err
    return laptop


def digests_on_server(team: LaptopTeam, person: str) -> dict[str, str]:
    ws = team.owner()
    try:
        return {s: digest(ws, run_of(ws, team.world.x, s, person)) for s in ("kips", "vig")}
    finally:
        ws.close()


def digests_on_laptop(laptop, person: str) -> dict[str, str]:
    ws = open_workspace(laptop)
    try:
        x = only_clip(ws, "cfr25.mp4")
        return {s: digest(ws, run_of(ws, x, s, person)) for s in ("kips", "vig")}
    finally:
        ws.close()


def code_on_laptop(laptop, person: str, note: str, value: int = 4) -> None:
    ws = open_workspace(laptop)
    try:
        code_plainly(ws, only_clip(ws, "cfr25.mp4"), person, note, value)
    finally:
        ws.close()


def test_the_coder_merges_her_own_laptop_back_connected_as_herself(capsys, team, tmp_path):
    laptop = checked_out(capsys, team, tmp_path)
    code_on_laptop(laptop, "Ann", "on the train")
    ann = team.url_of("Ann")
    code, report, err = run(capsys, "merge", laptop, "--workspace", ann, "--json")
    assert code == 0, err
    assert report["written"] and report["counts"]["runs"]["updated"] == 1
    assert digests_on_server(team, "Ann") == digests_on_laptop(laptop, "Ann")
    # she codes on, and merges again (options before the command): the bases the first
    # merge recorded decide it, so her laptop's coding is taken, not a conflict
    code_on_laptop(laptop, "Ann", "on the way back", value=5)
    code, report, err = run(capsys, "--json", "--workspace", ann, "merge", laptop)
    assert code == 0, err
    assert report["counts"]["runs"]["updated"] == 1 and report["conflicts"] == []
    assert digests_on_server(team, "Ann") == digests_on_laptop(laptop, "Ann")
    _, entries, info = everything(team)
    assert any(key.startswith("merged:") for key, _ in info)
    merges = [e for e in entries if e[2] == "merge"]
    assert merges and all(actor == "Ann" for _, actor, _, _ in merges)
    carried = [json.loads(d) for _, actor, _, d in entries if "merged_from" in d]
    assert carried and all(c["merged_from"]["by"] == "Ann" for c in carried)


def refused_with(capsys, *argv) -> str:
    """The command exits 2 with a ``vfa: …`` message (lines may list runs), no traceback."""
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "", (code, out, err)
    assert err.startswith("vfa: ") and "Traceback" not in err, err
    return err


def test_what_a_coder_may_not_bring_waits_for_an_admin_who_carries_it_over(capsys, team, tmp_path):
    laptop = checked_out(capsys, team, tmp_path)
    ws = open_workspace(laptop)
    try:
        x = only_clip(ws, "cfr25.mp4")
        code_plainly(ws, x, "Ann", "on the train")
        consent.set_consent(ws, x, ["feedback", "research"], by="Tess")  # Tess, at the visit
    finally:
        ws.close()
    ann, ada = team.url_of("Ann"), team.url_of("Ada")
    tess_before = [e for e in everything(team)[1] if e[1] == "Tess"]
    code, report, err = run(capsys, "--workspace", ann, "merge", laptop, "--json")
    assert code == 0, err
    assert report["counts"]["runs"]["updated"] == 1  # her coding came home
    assert report["counts"]["consent"]["added"] == 0
    notes = " ".join(report["notes"])
    assert "1 consent record(s)" in notes and "FAM-1 / Visit 1 / cfr25.mp4" in notes
    assert "1 audit entry" in notes and "(Tess)" in notes and "an admin merges" in notes
    counted, entries, _ = everything(team)
    assert counted["consent_record"] == 0
    assert [e for e in entries if e[1] == "Tess"] == tess_before
    # the admin merges the same file: the consent and Tess's entry arrive, carried by Ada
    code, report, err = run(capsys, "merge", laptop, "--workspace", ada, "--json")
    assert code == 0, err
    assert report["counts"]["consent"]["added"] == 1 and report["notes"] == []
    counted, entries, _ = everything(team)
    assert counted["consent_record"] == 1
    (tess,) = [json.loads(e[3]) for e in entries if e[1] == "Tess" and e not in tess_before]
    assert tess["merged_from"]["by"] == "Ada"
    # nothing is left: a third merge writes nothing
    before = everything(team)
    code, report, err = run(capsys, "merge", laptop, "--workspace", ada, "--json")
    assert code == 0 and not report["written"], err
    assert everything(team) == before


def test_moments_a_coder_may_not_tag_refuse_her_merge_naming_them(capsys, team, tmp_path):
    laptop = checked_out(capsys, team, tmp_path)
    ws = open_workspace(laptop)
    try:
        x = only_clip(ws, "cfr25.mp4")
        code_plainly(ws, x, "Ann", "on the train")
        tag_moment(ws, x, "Ann")
    finally:
        ws.close()
    before = everything(team)
    for argv in (["merge", laptop], ["merge", laptop, "--dry-run"]):
        err = refused_with(capsys, "--workspace", team.url_of("Ann"), *argv)
        assert "tags or removes moments" in err and "Ann is a coder" in err
        vig = "Video Interaction Guidance (VIG) principles"
        assert f"FAM-1 / Visit 1 / cfr25.mp4: Ann's coding with {vig} (version 1)" in err
        assert "remove the moments made in" in err and "nothing was changed" in err
    assert everything(team) == before


def test_an_admin_is_refused_someone_elses_coding_before_anything_is_written(
    capsys, team, tmp_path
):
    laptop = checked_out(capsys, team, tmp_path)
    code_on_laptop(laptop, "Ann", "on the train")
    before = everything(team)
    for who in ("Ada", "Sue"):
        err = refused_with(capsys, "merge", laptop, "--workspace", team.url_of(who))
        assert "other people's coding" in err and "Ann's coding with " in err
        assert "only a run's own coder changes it" in err
        assert "each coder merges their own laptop connected as themselves" in err
    assert everything(team) == before
    assert "on the train" not in json.dumps(before[1])


def test_the_servers_merge_functions_hold_their_own_rules_in_plain_sql(capsys, team, tmp_path):
    laptop = checked_out(capsys, team, tmp_path)
    _, entries, _ = everything(team)
    (checkout_id,) = [json.loads(d)["id"] for _, _, action, d in entries if action == "checkout"]
    key = f"merged:{checkout_id}"
    entry = {
        "at": "2024-05-01T10:00:00+00:00", "actor": "Ben", "action": "code", "entity": "clip",
        "entity_id": None, "detail": {"merged_from": {"workspace": "x", "by": "Ben"}},
        "case_id": None, "clip_id": None, "run_id": None,
    }  # fmt: skip
    carry = "SELECT vfa_carry_audit(%s)"
    denied = psycopg.errors.InsufficientPrivilege
    with team.team.as_person("Ann") as conn, pytest.raises(denied, match="only an admin"):
        conn.execute(carry, [json.dumps([entry])])  # a coder: her own entries only
    with team.team.as_person("Ann") as conn:
        bare = {**entry, "actor": "Ann", "detail": {}}  # not carried from anywhere
        with pytest.raises(psycopg.errors.InvalidParameterValue, match="merged_from"):
            conn.execute(carry, [json.dumps([bare])])
    with team.team.as_person("Ann") as conn, pytest.raises(denied):  # the table still says no
        conn.execute("INSERT INTO workspace_info VALUES (%s, '{}')", [key])
    with team.team.as_person("Ben") as conn:  # not his checkout: nothing recorded
        assert (
            conn.execute("SELECT vfa_record_merge(%s, %s)", [key, '{"1": "ab"}']).fetchone()[0]
            is False
        )
        assert conn.execute(
            "SELECT count(*) FROM workspace_info WHERE key = %s", [key]
        ).fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not the record"):
            conn.execute("SELECT vfa_record_merge('written_by', '{}')")
        # nor once he writes a checkout entry of Ann's checkout in his own name: the
        # checkout is the one its first entry names
        conn.rollback()
        forged = json.dumps({"id": checkout_id, "coder": "Ben"})
        conn.execute(
            "INSERT INTO audit_entry (at, actor, action, entity, detail) "
            "VALUES (now(), 'Ben', 'checkout', 'workspace', %s)",
            [forged],
        )
        assert (
            conn.execute("SELECT vfa_record_merge(%s, %s)", [key, '{"1": "ab"}']).fetchone()[0]
            is False
        )
    with team.team.as_person("Ann") as conn:  # hers: recorded, and only ever added to
        assert conn.execute("SELECT vfa_record_merge(%s, %s)", [key, '{"1": "ab"}']).fetchone()[0]
        conn.execute("SELECT vfa_record_merge(%s, %s)", [key, '{"2": "cd"}'])
        (value,) = conn.execute("SELECT value FROM workspace_info WHERE key = %s", [key]).fetchone()
        assert json.loads(value) == {"1": "ab", "2": "cd"}
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            conn.execute("SELECT vfa_record_merge(%s, %s)", [key, '{"1": "not a digest"}'])
    with team.team.as_person("Ada") as conn:  # an admin carries Ben's over, marked as hers
        assert conn.execute(carry, [json.dumps([entry])]).fetchone() == (1,)
        row = conn.execute(
            "SELECT actor, detail -> 'merged_from' ->> 'by' FROM audit_entry "
            "WHERE detail -> 'merged_from' ->> 'workspace' = 'x'"
        ).fetchone()
        assert row == ("Ben", "Ada")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the trail stays as it is
            conn.execute("UPDATE audit_entry SET actor = 'Ada' WHERE actor = 'Ben'")
    assert laptop.exists()


def test_merging_from_the_team_workspace_is_done_as_its_login(capsys, team, tmp_path):
    laptop = checked_out(capsys, team, tmp_path)
    ann = team.url_of("Ann")
    code, plain, err = run(capsys, "--workspace", laptop, "merge", ann, "--dry-run", "--json")
    assert code == 0, err
    code, claimed, err = run(
        capsys, "--as", "Ann", "--workspace", laptop, "merge", ann, "--dry-run", "--json"
    )
    assert code == 0, err
    assert plain == claimed  # the login is Ann, whether she says so or not
    err = refused_with(capsys, "--workspace", laptop, "merge", ann, "--as", "Ben")
    assert "--as Ben" in err and team.team.logins["Ann"] in err


def test_blind_coding_the_server_hides_stays_out_of_a_merge_from_it(capsys, team, tmp_path):
    """Merging the team workspace into a file as a person: the server gives no content of
    the blind coding it hides from them, so those codings are left out, with a note,
    rather than written empty."""
    laptop = checked_out(capsys, team, tmp_path)
    code, out, err = run(capsys, "--workspace", laptop, "merge", team.url_of("Ann"), "--json")
    assert code == 0, err
    ws = open_workspace(laptop)
    try:
        with ws.sessions() as db:
            whose = db.scalars(
                select(Coder.name).join(CodingRun, CodingRun.coder_id == Coder.id)
            ).all()
    finally:
        ws.close()
    # her KIPS and VIG codings, Tess's moments on another clip; none of Ben's
    assert sorted(whose) == ["Ann", "Ann", "Tess"]
    (note,) = [n for n in out["notes"] if "hidden" in n]
    assert "2 blind coding(s)" in note and "left out" in note
