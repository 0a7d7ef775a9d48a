"""The feedback session from the command line as a user types it: ``moment add/list``,
``consent set/show``, ``reel order``, ``reel theme`` and ``reel script``; exact output,
JSON forms, options before and after the subcommand, and refusals that exit 2 with a
``vfa:`` message and change nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.test_cli_surface import refused, run, workspace_with_clip

PLACES = ["after", "before", "group"]  # --workspace after the action, before it, or between


def typed(place: str, ws: Path, group: str, action: str, *rest) -> list:
    """``vfa GROUP ACTION REST`` with ``--workspace`` where ``place`` says."""
    where = ["--workspace", ws]
    if place == "before":
        return [*where, group, action, *rest]
    if place == "group":
        return [group, *where, action, *rest]
    return [group, action, *rest, *where]


@pytest.fixture
def visit(capsys, clips, tmp_path):
    """A workspace with a copy of the generated 25 fps clip (frame n starts at n * 40 ms)."""
    ws = tmp_path / "visit.vfa"
    clip_id, session_id, _ = workspace_with_clip(capsys, ws, clips["cfr25"], tmp_path)
    return ws, clip_id, session_id


def moment(capsys, ws, clip_id, start, end, caption, *extra) -> dict:
    code, data, err = run(
        capsys, "moment", "add", "--clip", clip_id, "--start-ms", start, "--end-ms", end,
        "--tag", "vig:waiting", "--caption", caption, *extra, "--workspace", ws, "--json",
    )  # fmt: skip
    assert code == 0, err
    return data


# -- moment add / list ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, first, last",
    [
        (1000, 2240, 25, 55),  # frame 25 starts at 1000; frame 56 at 2240, outside [.., 2240)
        (999, 2240, 24, 55),  # at 999 ms frame 24 is still shown
        (1001, 2241, 25, 56),  # frame 56 starts at 2240, before 2241
        (1000, 1001, 25, 25),  # a span of one ms is the one frame shown then
    ],
)
def test_moment_add_snaps_the_span_to_frames(capsys, visit, start, end, first, last):
    ws, clip_id, session_id = visit
    data = moment(capsys, ws, clip_id, start, end, "You waited", "--feedback")
    middle = (start + end) // 2  # the still: the frame shown in the middle of the span
    key = middle // 40
    assert data == {
        "moment_id": data["moment_id"],
        "session_id": session_id,
        "start_frame": first,
        "end_frame": last,
        "key_frame": key,
        "start_ms": first * 40,
        "end_ms": last * 40,
        "key_ms": key * 40,
        "feedback": True,
    }
    code, out, _ = run(
        capsys, "moment", "add", "--clip", clip_id, "--start-ms", start, "--end-ms", end,
        "--tag", "vig:waiting", "--key-ms", start, "--workspace", ws,
    )  # fmt: skip
    assert code == 0
    assert out == f"moment {data['moment_id'] + 1}: frames {first}–{last}, still at frame {first}\n"


@pytest.mark.parametrize(
    "argv, named",
    [
        (["--start-ms", "5000", "--end-ms", "6001"], "6000 ms"),  # the clip is 6 s long
        (["--start-ms", "3000", "--end-ms", "3000"], "3000–3000 ms"),
        (["--start-ms", "1000", "--end-ms", "2000", "--key-ms", "2000"], "2000 ms"),
    ],
)
def test_moment_add_refuses_a_span_that_cannot_be_and_stores_nothing(capsys, visit, argv, named):
    ws, clip_id, _ = visit
    why = refused(capsys, "moment", "add", "--clip", clip_id, *argv, "--tag", "vig:waiting",
                  "--workspace", ws)  # fmt: skip
    assert named in why and f"clip {clip_id}" in why
    assert run(capsys, "moment", "list", "--clip", clip_id, "--workspace", ws)[1] == "no moments\n"


def test_moment_add_names_an_unknown_tag_or_clip(capsys, visit):
    ws, clip_id, _ = visit
    why = refused(capsys, "moment", "add", "--clip", clip_id, "--start-ms", "0", "--end-ms",
                  "400", "--tag", "vig:hugging", "--workspace", ws)  # fmt: skip
    assert "hugging" in why
    why = refused(capsys, "moment", "add", "--clip", clip_id + 1, "--start-ms", "0",
                  "--end-ms", "400", "--tag", "vig:waiting", "--workspace", ws)  # fmt: skip
    assert f"clip {clip_id + 1}" in why


@pytest.mark.parametrize("place", PLACES)
def test_moment_list_by_clip_and_by_session(capsys, visit, place):
    ws, clip_id, session_id = visit
    a = moment(capsys, ws, clip_id, 1000, 2000, "You waited", "--feedback")
    b = moment(capsys, ws, clip_id, 3000, 3400, "She looked up", "--child-line", "I see you")
    code, out, _ = run(capsys, *typed(place, ws, "moment", "list", "--clip", clip_id))
    assert code == 0
    assert out.splitlines() == [
        f"{a['moment_id']:>5}  clip {clip_id}  frames 25–49  ★ vig:waiting  You waited",
        f"{b['moment_id']:>5}  clip {clip_id}  frames 75–84    vig:waiting  She looked up",
    ]
    code, rows, _ = run(capsys, *typed(place, ws, "moment", "list", "--session", session_id,
                                       "--json"))  # fmt: skip
    assert [
        (r["id"], r["caption"], r["child_line"], r["feedback"], r["span_ms"]) for r in rows
    ] == [
        (a["moment_id"], "You waited", None, True, 1000),
        (b["moment_id"], "She looked up", "I see you", False, 400),
    ]
    assert {(r["clip_id"], r["session_id"], tuple(r["tags"])) for r in rows} == {
        (clip_id, session_id, ("vig:waiting",))
    }
    assert "--clip ID or --session ID" in refused(capsys, "moment", "list", "--workspace", ws)


# -- consent set / show --------------------------------------------------------------------


@pytest.mark.parametrize("place", PLACES)
def test_consent_show_is_what_was_last_set(capsys, visit, place):
    ws, clip_id, _ = visit
    show = typed(place, ws, "consent", "show", "--clip", clip_id)
    code, out, err = run(capsys, *show)
    assert (code, out, err) == (0, f"clip {clip_id}: no consent recorded\n", "")
    code, data, _ = run(capsys, *show, "--json")
    assert code == 0 and data is None
    start = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    code, out, _ = run(
        capsys, *typed(place, ws, "consent", "set", "--clip", clip_id, "--purposes",
                       "supervision, FEEDBACK", "--date", "2024-03-01", "--by", "Ann"),
    )  # fmt: skip
    assert code == 0 and out == f"clip {clip_id}: consent for feedback, supervision\n"
    code, data, _ = run(capsys, *show, "--json")
    recorded = dt.datetime.fromisoformat(data.pop("recorded_at"))
    assert data == {
        "clip_id": clip_id,
        "purposes": ["feedback", "supervision"],  # in the canonical order, as PURPOSES
        "given_on": "2024-03-01",
        "valid_until": None,
        "ended": False,
        "recorded_by": "Ann",
    }
    assert start <= recorded.replace(tzinfo=None) <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    code, out, _ = run(capsys, *show)
    assert out == f"clip {clip_id}: feedback, supervision (recorded by Ann)\n"


def test_consent_withdrawn_and_recorded_by_who_asks(capsys, visit):
    ws, clip_id, _ = visit
    run(capsys, "consent", "set", "--clip", clip_id, "--purposes", "research", "--workspace", ws)
    code, data, _ = run(capsys, "--as", "Ben", "consent", "set", "--clip", clip_id,
                        "--purposes", "", "--workspace", ws, "--json")  # fmt: skip
    assert code == 0
    assert data == {
        "clip_id": clip_id,
        "purposes": [],
        "given_on": None,
        "valid_until": None,
        "recorded_by": "Ben",
    }
    code, out, _ = run(capsys, "consent", "show", "--clip", clip_id, "--workspace", ws)
    assert out == f"clip {clip_id}: nothing (recorded by Ben)\n"


def test_consent_refusals_name_the_clip_or_purpose_and_store_nothing(capsys, visit, tmp_path):
    ws, clip_id, _ = visit
    run(capsys, "consent", "set", "--clip", clip_id, "--purposes", "notes", "--workspace", ws)
    shown = run(capsys, "consent", "show", "--clip", clip_id, "--workspace", ws, "--json")[1]
    why = refused(capsys, "consent", "set", "--clip", clip_id, "--purposes",
                  "feedback,selfies", "--workspace", ws)  # fmt: skip
    assert "selfies" in why and "feedback" in why
    unknown = refused(capsys, "consent", "show", "--clip", clip_id + 1, "--workspace", ws)
    assert f"clip {clip_id + 1}" in unknown and ws.name in unknown
    assert f"clip {clip_id + 1}" in refused(
        capsys, "consent", "set", "--clip", clip_id + 1, "--purposes", "notes", "--workspace", ws
    )
    assert (
        run(capsys, "consent", "show", "--clip", clip_id, "--workspace", ws, "--json")[1] == shown
    )
    missing = tmp_path / "none.vfa"
    assert str(missing) in refused(capsys, "consent", "show", "--clip", 1, "--workspace", missing)
    assert not missing.exists()
    for bad in ("0", "x"):
        code, out, err = run(capsys, "consent", "show", "--clip", bad, "--workspace", ws)
        assert code == 2 and out == "" and "argument --clip" in err


# -- reel order ----------------------------------------------------------------------------


@pytest.fixture
def reel(capsys, visit):
    """Three moments for feedback, tagged in time order, their consent given for feedback."""
    ws, clip_id, session_id = visit
    run(capsys, "consent", "set", "--clip", clip_id, "--purposes", "feedback", "--workspace", ws)
    spans = [(1000, 2240, "First you waited"), (2520, 3360, "Then she looked up"),
             (4040, 5480, "And you smiled back")]  # fmt: skip
    ids = [moment(capsys, ws, clip_id, a, b, c, "--feedback")["moment_id"] for a, b, c in spans]
    return ws, session_id, ids, [c for _, _, c in spans]


def shown_reel(capsys, ws, session_id) -> dict:
    code, data, _ = run(capsys, "reel", "show", "--session", session_id, "--workspace", ws,
                        "--json")  # fmt: skip
    assert code == 0
    return data


@pytest.mark.parametrize("place", PLACES)
def test_reel_order_is_the_order_reel_show_gives(capsys, reel, place):
    ws, session_id, ids, _ = reel
    assert [m["id"] for m in shown_reel(capsys, ws, session_id)["moments"]] == ids
    new = [ids[2], ids[0], ids[1]]
    text = ",".join(map(str, new))
    code, data, _ = run(capsys, *typed(place, ws, "reel", "order", "--session", session_id,
                                       text, "--json"))  # fmt: skip
    assert code == 0 and data == {"session_id": session_id, "order": new}
    assert [m["id"] for m in shown_reel(capsys, ws, session_id)["moments"]] == new
    code, out, _ = run(capsys, "reel", "order", "--session", session_id, ",".join(map(str, ids)),
                       "--workspace", ws)  # fmt: skip
    assert out == "reel reordered\n"
    assert [m["id"] for m in shown_reel(capsys, ws, session_id)["moments"]] == ids


@pytest.mark.parametrize(
    "order, named",
    [
        ("{0},{1}", "once each"),  # one left out
        ("{0},{1},{2},{2}", "once each"),
        ("{0},{1},seven", "'{0},{1},seven' is not a list of moment ids"),
    ],
)
def test_reel_order_refuses_an_order_that_is_not_the_reel_and_keeps_it(capsys, reel, order, named):
    ws, session_id, ids, _ = reel
    why = refused(capsys, "reel", "order", "--session", session_id, order.format(*ids),
                  "--workspace", ws)  # fmt: skip
    assert named.format(*ids) in why
    assert [m["id"] for m in shown_reel(capsys, ws, session_id)["moments"]] == ids


# -- reel theme ----------------------------------------------------------------------------


@pytest.mark.parametrize("place", PLACES)
def test_reel_theme_is_stored_and_shown(capsys, reel, tmp_path, place):
    ws, session_id, _, _ = reel
    set_theme = typed(place, ws, "reel", "theme", "--session", session_id)
    code, out, err = run(capsys, *set_theme, "Sensitive discipline")
    assert (code, out, err) == (0, "theme set: Sensitive discipline\n", "")
    assert shown_reel(capsys, ws, session_id)["theme"] == "Sensitive discipline"
    # what is printed is what was stored: without the spaces around it
    code, data, _ = run(capsys, *set_theme, "  Exploring together ", "--json")
    assert code == 0
    assert data == {"session_id": session_id, "theme": "Exploring together",
                    "previous": "Sensitive discipline"}  # fmt: skip
    code, out, _ = run(capsys, "reel", "show", "--session", session_id, "--workspace", ws)
    assert out.splitlines()[0] == "theme: Exploring together"
    # the visit's script carries it
    script = tmp_path / "script.pdf"
    assert run(capsys, "reel", "script", "--session", session_id, "-o", script,
               "--workspace", ws)[0] == 0  # fmt: skip
    assert "Exploring together" in pdf_text(script)
    # an empty theme clears it
    code, data, _ = run(capsys, *set_theme, "", "--json")
    assert data == {"session_id": session_id, "theme": None, "previous": "Exploring together"}
    assert run(capsys, *set_theme, " ")[1] == "theme cleared\n"
    assert shown_reel(capsys, ws, session_id)["theme"] is None


@pytest.mark.parametrize(
    "theme, named",
    [("Calm\x1b[2J", "control character"), ("x" * 201, "at most 200"), ("a\nb", "control")],
)
def test_reel_theme_refuses_what_is_no_line_of_text_and_keeps_the_old(capsys, reel, theme, named):
    ws, session_id, _, _ = reel
    run(capsys, "reel", "theme", "--session", session_id, "Calm", "--workspace", ws)
    why = refused(capsys, "reel", "theme", "--session", session_id, theme, "--workspace", ws)
    assert f"session {session_id}: the theme" in why and named in why
    assert shown_reel(capsys, ws, session_id)["theme"] == "Calm"


def test_reel_theme_names_an_unknown_session(capsys, reel):
    ws, session_id, _, _ = reel
    why = refused(capsys, "reel", "theme", "--session", session_id + 1, "x", "--workspace", ws)
    assert f"session {session_id + 1}" in why and str(ws) in why


# -- reel script ---------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("place", PLACES)
def test_reel_script_writes_the_visits_pdf(capsys, reel, tmp_path, place):
    ws, session_id, _ids, captions = reel
    out = tmp_path / "visit 1.pdf"
    code, data, err = run(capsys, *typed(place, ws, "reel", "script", "--session", session_id,
                                         "-o", out, "--json"))  # fmt: skip
    assert code == 0 and err == "" and data == {"file": str(out)}
    assert out.read_bytes().startswith(b"%PDF-")
    text = pdf_text(out)
    assert "FAM-1" in text and "Visit 1" in text
    assert [text.index(c) for c in captions] == sorted(text.index(c) for c in captions)
    # the text form prints the file and nothing else
    again = tmp_path / "again.pdf"
    code, out_text, _ = run(capsys, "reel", "script", "--session", session_id, "-o", again,
                            "--purpose", "feedback", "--workspace", ws)  # fmt: skip
    assert code == 0 and out_text == f"{again}\n"


def test_reel_script_replaces_a_file_only_with_force(capsys, reel, tmp_path):
    ws, session_id, _ids, captions = reel
    out = tmp_path / "s.pdf"
    out.write_bytes(b"my own notes")
    why = refused(capsys, "reel", "script", "--session", session_id, "-o", out, "--workspace", ws)
    assert str(out) in why and "--force" in why and out.read_bytes() == b"my own notes"
    code, _, _ = run(capsys, "reel", "script", "--session", session_id, "-o", out, "--force",
                     "--workspace", ws)  # fmt: skip
    assert code == 0 and captions[0] in pdf_text(out)


@pytest.mark.parametrize(
    "extra, output, named",
    [
        (["--purpose", "research"], "s.pdf", "research"),  # the consent covers feedback only
        ([], "s.txt", ".pdf"),
        (["--session", "{other}"], "s.pdf", "session {other}"),
    ],
)
def test_reel_script_refusals_name_the_reason_and_write_nothing(
    capsys, reel, tmp_path, extra, output, named
):
    ws, session_id, _, _ = reel
    other = str(session_id + 1)
    extra = [e.format(other=other) for e in extra]
    session = [] if "--session" in extra else ["--session", session_id]
    before = set(tmp_path.iterdir())
    why = refused(capsys, "reel", "script", *session, *extra, "-o", tmp_path / output,
                  "--workspace", ws)  # fmt: skip
    assert named.format(other=other) in why
    assert set(tmp_path.iterdir()) == before


def test_reel_script_needs_consent_and_a_reel(capsys, visit, tmp_path):
    ws, clip_id, session_id = visit
    out = tmp_path / "s.pdf"
    moment(capsys, ws, clip_id, 1000, 2000, "You waited")  # not for feedback: no reel
    why = refused(capsys, "reel", "script", "--session", session_id, "-o", out, "--workspace", ws)
    assert f"session {session_id}" in why and not out.exists()
    moment(capsys, ws, clip_id, 3000, 4000, "She looked up", "--feedback")
    why = refused(capsys, "reel", "script", "--session", session_id, "-o", out, "--workspace", ws)
    assert f"clip {clip_id}" in why and "consent" in why and not out.exists()
