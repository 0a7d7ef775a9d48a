"""Scheme parsing and its semantic checks (pure: data in, Scheme or SchemeError out)."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

from vfa.domain.hotkeys import PLAYER_KEYS, hotkey_conflict, normalize_hotkey
from vfa.domain.schemes import content_hash, parse_scheme, place_text, scheme_as_dict
from vfa.errors import NotFoundError, SchemeError


def base() -> dict[str, Any]:
    """A small scheme using every section; each test breaks one thing in a copy."""
    return copy.deepcopy(
        {
            "id": "demo",
            "name": "Demo scheme",
            "version": "1",
            "description": "",
            "source": "none",
            "ratings": {
                "verified": True,
                "aggregate": "mean",
                "scale": {
                    "min": 1,
                    "max": 5,
                    "points": [
                        {"value": 1, "label": "low", "verified": True},
                        {"value": 5, "label": "high", "verified": True},
                    ],
                },
                "special": [
                    {
                        "code": "NOB",
                        "label": "Not observed",
                        "counts_as": "excluded",
                        "verified": True,
                    }
                ],
                "groups": [{"id": "g1", "title": "Group one", "verified": True}],
                "bands": [
                    {"label": "low", "min": 1.0, "max": 2.9, "verified": True},
                    {"label": "moderate", "min": 3.0, "max": 3.9, "verified": True},
                    {"label": "high", "min": 4.0, "max": 5.0, "verified": True},
                ],
                "items": [
                    {"id": "a", "name": "Item A", "group": "g1", "verified": True},
                    {"id": "b", "name": "Item B", "verified": False},
                ],
            },
            "grids": [
                {
                    "id": "grid",
                    "name": "Grid",
                    "verified": False,
                    "points_per_row": 2,
                    "total_per_member": 4,
                    "members": [
                        {
                            "id": "adult",
                            "name": "Adult",
                            "verified": True,
                            "scales": [
                                {"id": "sens", "name": "Sensitivity", "verified": True},
                                {"id": "ctrl", "name": "Control", "verified": True},
                            ],
                        },
                        {
                            "id": "infant",
                            "name": "Infant",
                            "verified": True,
                            "scales": [
                                {"id": "coop", "name": "Cooperative", "verified": True},
                                {"id": "pass", "name": "Passive", "verified": True},
                            ],
                        },
                    ],
                    "rows": [
                        {"id": "face", "name": "Face", "verified": False},
                        {"id": "voice", "name": "Voice", "verified": False},
                    ],
                    "band_scale": "sens",
                    "bands": [
                        {"label": "low", "min": 0, "max": 1, "verified": False},
                        {"label": "high", "min": 2, "max": 4, "verified": False},
                    ],
                }
            ],
            "ethogram": {
                "subjects": ["parent", "infant"],
                "codes": [
                    {
                        "id": "look",
                        "name": "Looks at parent",
                        "hotkey": "A",
                        "kind": "state",
                        "group": "gaze",
                        "subjects": ["infant"],
                        "verified": True,
                    },
                    {
                        "id": "away",
                        "name": "Looks away",
                        "hotkey": "s",
                        "kind": "state",
                        "group": "gaze",
                        "subjects": ["infant"],
                        "verified": True,
                    },
                    {
                        "id": "praise",
                        "name": "Praise",
                        "hotkey": "Shift+P",
                        "kind": "point",
                        "moment": True,
                        "modifiers": [
                            {
                                "id": "tone",
                                "name": "Tone",
                                "options": ["warm", "flat"],
                                "verified": False,
                            }
                        ],
                        "verified": True,
                    },
                    {
                        "id": "praise_words",
                        "name": "Praise in words",
                        "hotkey": "1",
                        "kind": "point",
                        "moment": True,
                        "parent": "praise",
                        "verified": True,
                    },
                ],
            },
            "moments": {
                "before_ms": 4000,
                "after_ms": 2000,
                "max_clips": 3,
                "max_clip_ms": 10000,
                "verified": True,
                "unverified": ["before_ms"],
            },
        }
    )


def failure(data: dict[str, Any]) -> SchemeError:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(data, "demo.yaml")
    return caught.value


def test_a_coherent_scheme_parses_into_typed_parts():
    scheme = parse_scheme(base(), "demo.yaml")
    assert scheme.id == "demo" and scheme.source_file == "demo.yaml"
    assert scheme.source == "none"
    a = scheme.item("a")
    assert (a.scale_min, a.scale_max, a.group) == (1, 5, "g1")
    assert [p.value for p in a.points] == [1, 5]
    assert [s.code for s in a.special] == ["NOB"]
    assert scheme.ratings is not None and scheme.ratings.groups == (("g1", "Group one"),)
    grid = scheme.grids[0]
    assert [m.id for m in grid.members] == ["adult", "infant"]
    assert grid.band_scale == "sens"
    look = scheme.code("look")
    assert look.subjects == ("infant",) and look.group == "gaze" and look.kind == "state"
    # a code without subjects may be coded for every subject of the ethogram
    assert scheme.code("praise").subjects == ("parent", "infant")
    assert scheme.code("praise").modifiers[0].options == ("warm", "flat")
    assert scheme.code("praise_words").parent == "praise"
    assert scheme.moments is not None and scheme.moments.before_ms == 4000
    assert scheme.raw == base()


def test_hotkeys_are_stored_canonically_and_found_in_any_spelling():
    scheme = parse_scheme(base(), "demo.yaml")
    assert scheme.code("away").hotkey == "S"
    assert scheme.code_for_hotkey("s").id == "away"
    assert scheme.code_for_hotkey("shift+p").id == "praise"
    assert scheme.code_for_hotkey("P") is None  # Shift+P is not P
    assert scheme.code_for_hotkey("not a key") is None


def test_unknown_item_or_code_names_the_known_ones():
    scheme = parse_scheme(base(), "demo.yaml")
    with pytest.raises(NotFoundError, match=r"'zz'.*items: a, b"):
        scheme.item("zz")
    with pytest.raises(NotFoundError, match=r"codes: look, away, praise, praise_words"):
        scheme.code("zz")


def test_content_hash_is_sha256_of_canonical_json():
    data = {"b": [1, 2], "a": "é"}
    # keys sorted, no whitespace, UTF-8 (not \u escapes), written out by hand:
    expected = hashlib.sha256('{"a":"é","b":[1,2]}'.encode()).hexdigest()
    assert content_hash(data) == expected
    assert content_hash({"a": "é", "b": [1, 2]}) == expected  # key order does not matter
    assert parse_scheme(base(), "x").content_hash == content_hash(base())


def test_the_plain_form_is_json_and_names_every_item_and_code():
    plain = scheme_as_dict(parse_scheme(base(), "demo.yaml"))
    text = json.dumps(plain)
    assert json.loads(text) == plain
    assert [i["id"] for i in plain["ratings"]["items"]] == ["a", "b"]
    assert plain["ratings"]["groups"] == [{"id": "g1", "title": "Group one"}]
    assert [c["id"] for c in plain["ethogram"]["codes"]] == [
        "look",
        "away",
        "praise",
        "praise_words",
    ]
    assert plain["grids"][0]["members"][1]["scales"][0] == {"id": "coop", "name": "Cooperative"}


def test_place_text_reads_like_the_yaml_path():
    assert place_text(("ratings", "items", 3, "bands", 1)) == "ratings.items[3].bands[1]"
    assert place_text(()) == ""


# -- each kind of incoherence, with its place ---------------------------------------------


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


BAD = {
    "duplicate item id": (
        ("ratings", "items", 1, "id"),
        "a",
        "ratings.items[1].id",
        "duplicate id 'a'",
    ),
    "duplicate code id, other case": (
        ("ethogram", "codes", 1, "id"),
        "LOOK",
        "ethogram.codes[1].id",
        "duplicate id 'LOOK'",
    ),
    "duplicate hotkey, other case": (
        ("ethogram", "codes", 1, "hotkey"),
        "a",
        "ethogram.codes[1].hotkey",
        "'A' is already the key of code 'look'",
    ),
    "hotkey the player uses": (
        ("ethogram", "codes", 0, "hotkey"),
        "k",
        "ethogram.codes[0].hotkey",
        "player's key for shuttle stop",
    ),
    "hotkey with Ctrl": (
        ("ethogram", "codes", 0, "hotkey"),
        "Ctrl+A",
        "ethogram.codes[0].hotkey",
        "Ctrl",
    ),
    "player's Shift+Left": (
        ("ethogram", "codes", 0, "hotkey"),
        "shift+left",
        "ethogram.codes[0].hotkey",
        "back one second",
    ),
    "not a key": (
        ("ethogram", "codes", 0, "hotkey"),
        "Hyper+A",
        "ethogram.codes[0].hotkey",
        "'Hyper' is not a modifier",
    ),
    "band outside the scale": (
        ("ratings", "bands", 2, "max"),
        6.0,
        "ratings.bands[2]",
        "band 'high' (4.0–6.0) is outside the items' scale (1–5)",
    ),
    "overlapping bands": (
        ("ratings", "bands", 1, "min"),
        2.5,
        "ratings.bands[1]",
        "band 'moderate' (2.5–3.9) overlaps band 'low' (1.0–2.9)",
    ),
    "gap between bands": (
        ("ratings", "bands", 1, "min"),
        3.2,
        "ratings.bands[1]",
        "gap between band 'low' (up to 2.9) and band 'moderate' (from 3.2)",
    ),
    "band upside down": (
        ("ratings", "bands", 0, "max"),
        0.5,
        "ratings.bands[0].max",
        "max 0.5 is below its min 1.0",
    ),
    "labelled point outside the scale": (
        ("ratings", "scale", "points", 1, "value"),
        7,
        "ratings.scale.points[1].value",
        "labelled point 7 is outside the scale 1–5",
    ),
    "unknown group": (
        ("ratings", "items", 1, "group"),
        "nope",
        "ratings.items[1].group",
        "unknown group 'nope'",
    ),
    "special code that reads as a number": (
        ("ratings", "special", 0, "code"),
        "9",
        "ratings.special[0].code",
        "would read as a scale point",
    ),
    "unreachable grid totals": (
        ("grids", 0, "total_per_member"),
        5,
        "grids[0].total_per_member",
        "2 rows × 2 points per row give each member 4 points, not the stated 5",
    ),
    "band on a scale the grid lacks": (
        ("grids", 0, "band_scale"),
        "warmth",
        "grids[0].band_scale",
        "no scale 'warmth' in this grid",
    ),
    "grid band above the total": (
        ("grids", 0, "bands", 1, "max"),
        5,
        "grids[0].bands[1]",
        "is outside the sens scale's range (0–4)",
    ),
    "scale id used by two members": (
        ("grids", 0, "members", 1, "scales", 0, "id"),
        "sens",
        "grids[0].members[1].scales[0].id",
        "also a scale of member 'adult'",
    ),
    "point event in an exclusive group": (
        ("ethogram", "codes", 2, "group"),
        "gaze",
        "ethogram.codes[2].group",
        "point event in exclusive group 'gaze'",
    ),
    "unknown subject": (
        ("ethogram", "codes", 0, "subjects"),
        ["infant", "sibling"],
        "ethogram.codes[0].subjects[1]",
        "unknown subject 'sibling' (subjects: parent, infant)",
    ),
    "unknown parent": (
        ("ethogram", "codes", 3, "parent"),
        "nothing",
        "ethogram.codes[3].parent",
        "unknown parent code 'nothing'",
    ),
    "duplicate modifier option": (
        ("ethogram", "codes", 2, "modifiers", 0, "options"),
        ["warm", "Warm"],
        "ethogram.codes[2].modifiers[0].options[1]",
        "duplicate option 'Warm'",
    ),
    "default span longer than a clip": (
        (
            "moments",
            "after_ms",
        ),
        7000,
        "moments.before_ms",
        "4000 + 7000 = 11000 ms) is longer than max_clip_ms",
    ),
    "unverified names no field": (
        ("moments", "unverified"),
        ["span"],
        "moments.unverified[0]",
        "'span' is not a field of this object",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_each_incoherence_is_refused_with_its_place_and_reason(case):
    path, value, place, reason = BAD[case]
    error = failure(_set(base(), path, value))
    assert error.file == "demo.yaml"
    assert error.place == place
    assert reason in error.reason
    assert str(error).startswith(f"demo.yaml: {place}: ")


def test_a_parent_cycle_is_refused():
    data = base()
    data["ethogram"]["codes"][2]["parent"] = "praise_words"  # praise <-> praise_words
    error = failure(data)
    assert error.place == "ethogram.codes[2].parent"
    assert "its own ancestor" in error.reason


def test_moment_codes_and_the_moments_block_go_together():
    data = base()
    del data["moments"]
    error = failure(data)
    assert error.place == "ethogram.codes[2].moment"
    data = base()
    for code in data["ethogram"]["codes"]:
        code.pop("moment", None)
    error = failure(data)
    assert (error.place, error.reason) == ("moments", "no ethogram code has moment: true")


def test_a_scheme_with_nothing_to_code_is_refused():
    data = base()
    for key in ("ratings", "grids", "ethogram", "moments"):
        del data[key]
    assert "nothing to code" in failure(data).reason


def test_bands_may_touch_and_sum_bands_span_the_possible_sums():
    data = base()
    # touching edges (max = next min) are fine: the shared edge belongs to the upper band
    data["ratings"]["bands"] = [
        {"label": "low", "min": 1, "max": 3, "verified": True},
        {"label": "high", "min": 3, "max": 5, "verified": True},
    ]
    parse_scheme(data, "x")
    data["ratings"]["aggregate"] = "sum"
    # two items 1–5 with a special code each: sums run from 0 (both excluded) to 5 + 5 = 10
    data["ratings"]["bands"] = [
        {"label": "low", "min": 0, "max": 4, "verified": True},
        {"label": "high", "min": 5, "max": 10, "verified": True},
    ]
    parse_scheme(data, "x")
    data["ratings"]["bands"][1]["max"] = 11
    assert "outside the possible sums (0–10)" in failure(data).reason


def test_the_yaml_line_is_given_when_known():
    lines = {(): 1, ("ethogram",): 40, ("ethogram", "codes", 1): 50}
    data = _set(base(), ("ethogram", "codes", 1, "hotkey"), "A")
    with pytest.raises(SchemeError) as caught:
        parse_scheme(data, "demo.yaml", lines)
    # the hotkey has no line of its own here: its nearest known parent's line is used
    assert caught.value.line == 50
    assert str(caught.value).startswith("demo.yaml: ethogram.codes[1].hotkey (line 50): ")


# -- hotkeys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("q", "Q"),
        (" shift+q ", "Shift+Q"),
        ("SHIFT+Q", "Shift+Q"),
        ("7", "7"),
        ("f5", "F5"),
        ("escape", "Esc"),
        ("Shift++", "Shift++"),
        ("alt+shift+x", "Alt+Shift+X"),
        ("shift+alt+x", "Alt+Shift+X"),
    ],
)
def test_hotkeys_have_one_spelling(typed, canonical):
    assert normalize_hotkey(typed) == canonical


@pytest.mark.parametrize("bad", ["", "Shift+", "QQ", "Shift+Shift+Q", "Super+Q"])
def test_text_that_is_not_one_key_is_refused(bad):
    with pytest.raises(ValueError):
        normalize_hotkey(bad)


def test_the_player_and_window_keys_are_refused_and_others_allowed():
    for key in ["Space", "J", "K", "L", "I", "O", "[", "]", "Home", "End", "Left", "Right"]:
        assert hotkey_conflict(key), key
    for key in ["Ctrl+Q", "Meta+Q", "Alt+F", "Esc", "Del", "F5"]:
        assert hotkey_conflict(key), key
    for key in ["A", "1", "Shift+J", "Shift+Q", "Z", "F6"]:
        assert hotkey_conflict(key) is None, key


def test_every_playback_shortcut_of_the_window_is_reserved():
    """A new player key in vfa/ui/actions.py must be added to vfa/domain/hotkeys.py."""
    from vfa.ui import actions  # a broken import is a failure, not a skip

    checked = set()
    for spec in actions.SPECS:
        if spec.menu != "playback":
            continue
        key = actions.default_shortcut(spec.id)
        if key:
            assert hotkey_conflict(normalize_hotkey(key)), (spec.id, key)
            checked.add(normalize_hotkey(key))
    # the loop saw the playback keys the window is known for (not an empty menu)
    assert checked >= {"Space", "J", "K", "L", "I", "O", "[", "]"}
    assert set(PLAYER_KEYS) >= {"Space", "J", "K", "L", "I", "O", "[", "]"}
