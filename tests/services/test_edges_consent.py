"""Consent at its edges, from its definition (services/consent.py, architecture
"Moments"): records are appended, never edited, and the latest recorded for a clip holds,
even when two are recorded the same day or in the same second, or the later one is dated
earlier; a withdrawal (no purposes) after a grant covers nothing; a refusal names what was
agreed, by whom and when, and the purpose missing."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest
from sqlalchemy import update

from tests.services.test_edges_blind import add_clip_row
from vfa.cli import main
from vfa.errors import InvalidInputError
from vfa.services import consent
from vfa.services.consent import ConsentError
from vfa.storage.models import ConsentRecord

DAY = dt.date(2024, 5, 1)


@pytest.fixture
def clip(workspace):
    return workspace, add_clip_row(workspace)[0]


def test_the_later_of_two_records_on_the_same_day_holds(clip):
    ws, c = clip
    consent.set_consent(ws, c, ["feedback", "supervision"], given_on=DAY, by="Tess")
    consent.set_consent(ws, c, ["feedback"], given_on=DAY, by="Tess")
    assert consent.require(ws, c, "feedback", "reel").purposes == ("feedback",)
    with pytest.raises(ConsentError, match="covers feedback, not supervision"):
        consent.require(ws, c, "supervision", "reel")


def test_the_later_of_two_records_in_the_same_second_holds(clip):
    ws, c = clip
    consent.set_consent(ws, c, ["training"], by="Tess")
    consent.set_consent(ws, c, ["research"], by="Tess")
    same = dt.datetime(2024, 5, 1, 10, 0, 0)
    with ws.writes.begin() as db:
        db.execute(update(ConsentRecord).values(recorded_at=same))
    held = consent.consent_for(ws, c)
    assert (held.purposes, held.recorded_at) == (("research",), same)
    with pytest.raises(ConsentError, match="covers research, not training"):
        consent.require(ws, c, "training", "still")


def test_a_later_record_dated_earlier_still_holds(clip):
    ws, c = clip
    consent.set_consent(ws, c, ["feedback", "training"], given_on=DAY, by="Tess")
    # the family's withdrawal of training, given a week before but recorded afterwards
    consent.set_consent(ws, c, ["feedback"], given_on=DAY - dt.timedelta(days=7), by="Sue")
    with pytest.raises(ConsentError, match=r"recorded on 2024-04-24 by Sue\) covers feedback"):
        consent.require(ws, c, "training", "reel")


def test_a_withdrawal_after_a_grant_covers_nothing_and_a_new_grant_covers_again(clip):
    ws, c = clip
    consent.set_consent(ws, c, ["feedback", "notes"], given_on=DAY, by="Tess")
    consent.set_consent(ws, c, [], given_on=DAY, by="Tess")
    for purpose in ("feedback", "notes"):
        with pytest.raises(ConsentError, match=r"covers nothing, not "):
            consent.require(ws, c, purpose, "still")
    consent.set_consent(ws, c, ["notes"], given_on=DAY, by="Tess")
    assert consent.require(ws, c, "notes", "still").purposes == ("notes",)
    with pytest.raises(ConsentError, match="covers notes, not feedback to the family"):
        consent.require(ws, c, "feedback", "still")


def test_a_purpose_not_covered_is_named_with_who_agreed_what_and_when(clip):
    ws, c = clip
    consent.set_consent(ws, c, ["feedback"], given_on=DAY, by="Tess")
    with pytest.raises(ConsentError) as refused:
        consent.require(ws, c, "supervision", "reel export")
    assert str(refused.value) == (
        f"reel export: the family's consent for clip {c} (recorded on 2024-05-01 by Tess) "
        "covers feedback, not supervision"
    )


def test_no_record_and_unknown_purposes_are_refused_by_name(clip):
    ws, c = clip
    with pytest.raises(ConsentError, match=f"no consent is recorded for clip {c}"):
        consent.require(ws, c, "feedback", "reel")
    with pytest.raises(InvalidInputError, match="unknown purpose marketing"):
        consent.set_consent(ws, c, ["feedback", "marketing"])
    assert consent.consent_for(ws, c) is None  # the refused record was not stored


def test_consent_is_per_clip_and_coverage_names_the_clip_that_lacks_it(workspace):
    a = add_clip_row(workspace, label="V1")[0]
    b = add_clip_row(workspace, label="V2")[0]
    consent.set_consent(workspace, a, ["feedback", "supervision"], given_on=DAY, by="Tess")
    consent.set_consent(workspace, b, ["feedback"], given_on=DAY, by="Tess")
    found = consent.coverage(workspace, [a, b], "reel")
    assert found["feedback"] is None
    assert found["supervision"] == (
        f"reel: the family's consent for clip {b} (recorded on 2024-05-01 by Tess) covers "
        "feedback, not supervision"
    )
    assert found["training"].startswith(f"reel: the family's consent for clip {a} ")


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_shows_the_latest_record_and_refuses_an_unknown_purpose(clip):
    ws, c = clip
    place = ["--workspace", str(ws.path)]
    assert cli(*place, "consent", "set", "--clip", str(c), "--purposes", "feedback,training",
               "--date", "2024-05-01")[0] == 0  # fmt: skip
    assert cli("consent", "set", "--clip", str(c), "--purposes", "", "--date", "2024-05-01",
               *place)[0] == 0  # fmt: skip
    code, out, _ = cli(*place, "consent", "show", "--clip", str(c), "--json")
    shown = json.loads(out)
    assert (code, shown["purposes"], shown["given_on"]) == (0, [], "2024-05-01")
    code, out, err = cli("consent", "set", "--clip", str(c), "--purposes", "feedback,ads", *place)
    assert (code, out) == (2, "")
    assert err.startswith("vfa: consent: unknown purpose ads") and "Traceback" not in err
    assert consent.consent_for(ws, c).purposes == ()
