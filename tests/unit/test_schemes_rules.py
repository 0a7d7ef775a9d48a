"""Scheme lookups and checks by their stated rules: unknown grids and members named with
the known ones, duplicate grid members and rows refused at their place, a scheme without
an ethogram has no hotkeys, the plain (JSON) form carries every top-level field, and each
refusal of a scheme file gives its place and its whole reason (bands, scale points,
special codes, ``unverified``); what a file may leave out (bands, a description, all but
an ethogram) and what it keeps (a band's verification, a one-score band)."""

from __future__ import annotations

import copy
import json

import pytest

from tests.unit.test_schemes import _set, base, failure
from vfa.domain.scheme_types import RatingItem, ScalePoint, SpecialCode
from vfa.domain.schemes import content_hash, parse_scheme, scheme_as_dict
from vfa.errors import NotFoundError


def test_an_unknown_grid_is_named_with_the_known_ones():
    scheme = parse_scheme(base(), "demo.yaml")
    with pytest.raises(NotFoundError) as refused:
        scheme.grid("care")
    assert str(refused.value) == "scheme demo: no grid 'care' (grids: grid)"
    data = base()
    data["grids"].append({**data["grids"][0], "id": "second"})
    two = parse_scheme(data, "demo.yaml")
    with pytest.raises(NotFoundError, match=r"\(grids: grid, second\)$"):
        two.grid("care")
    data = base()
    del data["grids"]
    with pytest.raises(NotFoundError, match=r"^scheme demo: no grid 'care' \(grids: none\)$"):
        parse_scheme(data, "demo.yaml").grid("care")


def test_an_unknown_member_is_named_with_the_known_ones():
    grid = parse_scheme(base(), "demo.yaml").grid("grid")
    assert grid.member("infant").name == "Infant"
    with pytest.raises(NotFoundError) as refused:
        grid.member("parent")
    assert str(refused.value) == "grid grid: no member 'parent' (members: adult, infant)"


def test_a_scheme_without_an_ethogram_has_no_hotkeys():
    data = base()
    del data["ethogram"], data["moments"]
    scheme = parse_scheme(data, "demo.yaml")
    assert scheme.ethogram is None
    assert scheme.code_for_hotkey("A") is None


@pytest.mark.parametrize(
    ("path", "value", "place", "reason"),
    [
        (
            ("grids", 0, "members", 1, "id"),
            "Adult",
            "grids[0].members[1].id",
            "duplicate id 'Adult' (also grids[0].members[0])",
        ),
        (
            ("grids", 0, "rows", 1, "id"),
            "face",
            "grids[0].rows[1].id",
            "duplicate id 'face' (also grids[0].rows[0])",
        ),
    ],
)
def test_a_grids_duplicate_members_and_rows_are_refused_at_the_second(path, value, place, reason):
    error = failure(_set(base(), path, value))
    assert (error.file, error.place, error.reason) == ("demo.yaml", place, reason)


def test_the_plain_form_has_every_top_level_field_of_the_scheme():
    data = base()
    plain = scheme_as_dict(parse_scheme(data, "demo.yaml"))
    assert json.loads(json.dumps(plain)) == plain
    assert list(plain) == [
        "id", "name", "version", "description", "source", "file", "content_hash",
        "ratings", "grids", "ethogram", "moments",
    ]  # fmt: skip
    assert (plain["id"], plain["name"], plain["version"]) == ("demo", "Demo scheme", "1")
    assert (plain["description"], plain["source"], plain["file"]) == ("", "none", "demo.yaml")
    assert plain["content_hash"] == content_hash(data)
    # the scheme's moments block, without its verification marks
    assert plain["moments"] == {
        "before_ms": 4000, "after_ms": 2000, "max_clips": 3, "max_clip_ms": 10000
    }  # fmt: skip


def test_the_plain_form_of_a_scheme_without_ratings_or_moments_has_none_for_them():
    data = base()
    del data["ratings"], data["moments"], data["ethogram"]
    plain = scheme_as_dict(parse_scheme(data, "demo.yaml"))
    assert plain["ratings"] is None and plain["moments"] is None and plain["ethogram"] is None
    assert [g["id"] for g in plain["grids"]] == ["grid"]


def test_a_scheme_without_ratings_or_an_ethogram_names_none_for_them():
    data = base()
    del data["ratings"], data["ethogram"], data["moments"]
    scheme = parse_scheme(data, "demo.yaml")
    with pytest.raises(NotFoundError) as refused:
        scheme.item("a")
    assert str(refused.value) == "scheme demo: no rating item 'a' (items: none)"
    with pytest.raises(NotFoundError) as refused:
        scheme.code("look")
    assert str(refused.value) == "scheme demo: no event code 'look' (codes: none)"


def test_a_cycle_above_a_code_is_refused_at_the_first_code_that_reaches_it():
    data = base()
    codes = data["ethogram"]["codes"]
    # look -> away -> praise -> away: look's ancestors go round without reaching look
    codes[0]["parent"], codes[1]["parent"], codes[2]["parent"] = "away", "praise", "away"
    error = failure(data)
    assert (error.place, error.reason) == (
        "ethogram.codes[0].parent",
        "code 'look' is its own ancestor through parent 'away'",
    )


def test_duplicate_modifiers_are_refused_at_the_second():
    data = base()
    modifiers = data["ethogram"]["codes"][2]["modifiers"]
    modifiers.append({**modifiers[0], "id": "Tone"})
    error = failure(data)
    assert (error.place, error.reason) == (
        "ethogram.codes[2].modifiers[1].id",
        "duplicate id 'Tone' (also ethogram.codes[2].modifiers[0])",
    )


def test_a_codes_modifiers_keep_their_id_name_and_options():
    praise = parse_scheme(base(), "demo.yaml").code("praise")
    assert [(m.id, m.name, m.options) for m in praise.modifiers] == [
        ("tone", "Tone", ("warm", "flat"))
    ]


def test_moment_codes_without_a_moments_block_are_refused_with_the_reason():
    data = base()
    del data["moments"]
    assert failure(data).reason == (
        "moment codes need a top-level moments block (the span around a key press)"
    )


@pytest.mark.parametrize(("after_ms", "refused"), [(5999, False), (6000, False), (6001, True)])
def test_the_default_span_may_be_as_long_as_max_clip_ms(after_ms, refused):
    data = base()  # before_ms 4000, max_clip_ms 10000
    data["moments"]["after_ms"] = after_ms
    if refused:
        assert failure(data).reason == (
            f"the default span (4000 + {after_ms} = {4000 + after_ms} ms) is longer than "
            "max_clip_ms (10000 ms)"
        )
    else:
        assert parse_scheme(data, "demo.yaml").moments.after_ms == after_ms


def test_the_plain_form_of_the_ratings_names_each_part():
    ratings = scheme_as_dict(parse_scheme(base(), "demo.yaml"))["ratings"]
    assert list(ratings) == ["aggregate", "groups", "bands", "items"]
    assert ratings["aggregate"] == "mean"
    assert [(b["label"], b["min"], b["max"]) for b in ratings["bands"]] == [
        ("low", 1.0, 2.9), ("moderate", 3.0, 3.9), ("high", 4.0, 5.0)
    ]  # fmt: skip


def own_scale_and_special(data):
    item = data["ratings"]["items"][1]
    item["scale"] = {
        "min": 0,
        "max": 3,
        "points": [
            {"value": 0, "label": "none", "verified": True},
            {"value": 3, "label": "all", "verified": True},
        ],
    }
    item["special"] = [
        {"code": "NA", "label": "Not applicable", "counts_as": "zero", "verified": True}
    ]
    item["description"] = "Watch the hands"
    item["requires_license"] = True
    return data


def test_an_item_may_have_its_own_scale_and_special_codes():
    items = parse_scheme(own_scale_and_special(base()), "demo.yaml").ratings.items
    assert items[1] == RatingItem(
        id="b",
        name="Item B",
        group=None,
        scale_min=0,
        scale_max=3,
        points=(ScalePoint(0, "none"), ScalePoint(3, "all")),
        special=(SpecialCode("NA", "Not applicable", "zero"),),
        description="Watch the hands",
        requires_license=True,
        verified=False,
    )
    # the other item keeps the section's scale and codes, and its own fields
    assert items[0] == RatingItem(
        id="a",
        name="Item A",
        group="g1",
        scale_min=1,
        scale_max=5,
        points=(ScalePoint(1, "low"), ScalePoint(5, "high")),
        special=(SpecialCode("NOB", "Not observed", "excluded"),),
        description="",
        requires_license=False,
        verified=True,
    )


@pytest.mark.parametrize(
    ("part", "value", "place", "reason"),
    [
        ("scale", {"min": 3, "max": 3, "points": []}, "ratings.items[1].scale.max",
         "the scale's max (3) must be above its min (3)"),
        ("special", [{"code": "7", "label": "Seven", "counts_as": "zero", "verified": True}],
         "ratings.items[1].special[0].code", "'7' would read as a scale point; use letters"),
    ],
)  # fmt: skip
def test_an_items_own_scale_and_codes_are_checked_at_their_place(part, value, place, reason):
    data = base()
    data["ratings"]["items"][1][part] = value
    error = failure(data)
    assert (error.place, error.reason) == (place, reason)


def test_an_item_without_any_scale_is_refused():
    data = base()
    del data["ratings"]["scale"]
    error = failure(data)
    assert (error.place, error.reason) == (
        "ratings.items[0]",
        "item 'a' has no scale: give ratings.scale or its own scale",
    )


def test_groups_are_unique_and_an_items_group_must_be_one_of_them():
    data = base()
    data["ratings"]["groups"].append({"id": "G1", "title": "Again", "verified": True})
    error = failure(data)
    assert (error.place, error.reason) == (
        "ratings.groups[1].id",
        "duplicate id 'G1' (also ratings.groups[0])",
    )
    data = base()
    data["ratings"]["groups"].append({"id": "g0", "title": "Zero", "verified": True})
    data["ratings"]["items"][1]["group"] = "g9"
    error = failure(data)
    assert (error.place, error.reason) == (
        "ratings.items[1].group",
        "unknown group 'g9' (groups: g0, g1)",
    )
    data = base()
    del data["ratings"]["groups"]
    error = failure(data)
    assert (error.place, error.reason) == (
        "ratings.items[0].group",
        "unknown group 'g1' (groups: no groups are defined)",
    )


# each refusal: a change to the coherent scheme, the place named and the whole reason
REFUSED = {
    "duplicate subject": (
        lambda d: d["ethogram"]["subjects"].append("infant"),
        "ethogram.subjects[2]",
        "duplicate subject 'infant'",
    ),
    "unknown subject": (
        lambda d: d["ethogram"]["codes"][0]["subjects"].append("sibling"),
        "ethogram.codes[0].subjects[1]",
        "unknown subject 'sibling' (subjects: parent, infant)",
    ),
    "point in an exclusive group": (
        lambda d: d["ethogram"]["codes"][3].update(group="gaze"),
        "ethogram.codes[3].group",
        "code 'praise_words' is a point event in exclusive group 'gaze'; only states can stop "
        "each other (make it kind: state or drop the group)",
    ),
    "hotkey taken, named with its place": (
        lambda d: d["ethogram"]["codes"][3].update(hotkey="S"),
        "ethogram.codes[3].hotkey",
        "'S' is already the key of code 'away' (ethogram.codes[1])",
    ),
    "duplicate grid": (
        lambda d: d["grids"].append({**copy.deepcopy(d["grids"][0]), "id": "Grid"}),
        "grids[1].id",
        "duplicate id 'Grid' (also grids[0])",
    ),
    "duplicate scale of a member": (
        lambda d: d["grids"][0]["members"][1]["scales"][1].update(id="COOP"),
        "grids[0].members[1].scales[1].id",
        "duplicate id 'COOP' (also grids[0].members[1].scales[0])",
    ),
    "unknown band scale": (
        lambda d: d["grids"][0].update(band_scale="warmth"),
        "grids[0].band_scale",
        "no scale 'warmth' in this grid (scales: sens, ctrl, coop, pass)",
    ),
    "bands without a band scale": (
        lambda d: d["grids"][0].pop("band_scale"),
        "grids[0].bands",
        "bands need a band_scale: the scale whose total they band",
    ),
    "band outside the band scale's range": (
        lambda d: d["grids"][0]["bands"][1].update(max=5),
        "grids[0].bands[1]",
        "band 'high' (2–5) is outside the sens scale's range (0–4)",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_each_refusal_names_its_place_and_whole_reason(case):
    change, place, reason = REFUSED[case]
    data = base()
    change(data)
    error = failure(data)
    assert (error.place, error.reason) == (place, reason)


def test_a_grid_without_bands_has_none():
    data = base()
    del data["grids"][0]["bands"], data["grids"][0]["band_scale"]
    grid = parse_scheme(data, "demo.yaml").grid("grid")
    assert (grid.name, grid.band_scale, grid.bands) == ("Grid", None, ())


def test_a_code_keeps_its_parts_and_one_without_a_hotkey_has_none():
    data = base()
    data["ethogram"]["codes"][1].pop("hotkey")
    data["ethogram"]["codes"][1]["description"] = "Gaze leaves the parent"
    scheme = parse_scheme(data, "demo.yaml")
    assert scheme.ethogram.subjects == ("parent", "infant")
    away = scheme.code("away")
    assert (away.name, away.hotkey, away.kind, away.group, away.subjects) == (
        "Looks away",
        "",
        "state",
        "gaze",
        ("infant",),
    )
    assert (away.description, away.moment, away.verified, away.parent) == (
        "Gaze leaves the parent",
        False,
        True,
        None,
    )
    words = scheme.code("praise_words")
    assert (words.description, words.moment, words.subjects, words.parent) == (
        "",
        True,
        ("parent", "infant"),
        "praise",
    )


# -- each refusal's whole reason (place and words), more of them --------------------------

NOB_AGAIN = {"code": "nob", "label": "Again", "counts_as": "excluded", "verified": True}

WHOLE = {
    "nothing to code": (
        lambda d: [d.pop(key) for key in ("ratings", "grids", "ethogram", "moments")],
        "",
        "nothing to code: give ratings, grids or an ethogram",
    ),
    "duplicate band label": (
        lambda d: d["ratings"]["bands"][1].update(label="LOW"),
        "ratings.bands[1].label",
        "duplicate label 'LOW' (also ratings.bands[0])",
    ),
    "band bound not a number": (
        lambda d: d["ratings"]["bands"][0].update(min=float("nan")),
        "ratings.bands[0].min",
        "band 'low': min must be a finite number",
    ),
    "band bound infinite": (
        lambda d: d["ratings"]["bands"][2].update(max=float("inf")),
        "ratings.bands[2].max",
        "band 'high': max must be a finite number",
    ),
    "band bound minus infinity": (
        lambda d: d["grids"][0]["bands"][0].update(min=float("-inf")),
        "grids[0].bands[0].min",
        "band 'low': min must be a finite number",
    ),
    "gap between bands": (
        lambda d: d["ratings"]["bands"][1].update(min=3.2),
        "ratings.bands[1]",
        "gap between band 'low' (up to 2.9) and band 'moderate' (from 3.2): scores in "
        "between would have no band",
    ),
    "point labelled twice": (
        lambda d: d["ratings"]["scale"]["points"][1].update(value=1),
        "ratings.scale.points[1].value",
        "point 1 is labelled twice",
    ),
    "duplicate special code": (
        lambda d: d["ratings"]["special"].append(NOB_AGAIN),
        "ratings.special[1].code",
        "duplicate code 'nob' (also ratings.special[0])",
    ),
    "unverified names no field": (
        lambda d: d["moments"].update(unverified=["span"]),
        "moments.unverified[0]",
        "'span' is not a field of this object (fields: before_ms, after_ms, max_clips, "
        "max_clip_ms, verified, unverified)",
    ),
    "unverified names no field of an item": (
        lambda d: d["ratings"]["items"][1].update(unverified=["colour"]),
        "ratings.items[1].unverified[0]",
        "'colour' is not a field of this object (fields: id, name, verified, unverified)",
    ),
}


@pytest.mark.parametrize("case", list(WHOLE), ids=list(WHOLE))
def test_each_refusal_names_its_place_and_gives_its_whole_reason(case):
    change, place, reason = WHOLE[case]
    data = base()
    change(data)
    error = failure(data)
    assert (error.file, error.place, error.reason) == ("demo.yaml", place, reason)


@pytest.mark.parametrize("code", ["+3", "-1", " 7 "])
def test_a_special_code_with_a_sign_or_spaces_around_digits_reads_as_a_point(code):
    data = base()
    data["ratings"]["special"][0]["code"] = code
    error = failure(data)
    assert (error.place, error.reason) == (
        "ratings.special[0].code",
        f"{code!r} would read as a scale point; use letters",
    )


@pytest.mark.parametrize("code", ["X9", "N/A", "3+"])
def test_a_special_code_that_does_not_read_as_a_number_is_kept(code):
    data = base()
    data["ratings"]["special"][0]["code"] = code
    assert parse_scheme(data, "demo.yaml").item("a").special[0].code == code


# -- bands ---------------------------------------------------------------------------------


def test_a_band_may_be_a_single_score():
    data = base()  # 1.0–2.9, then 3.0–3.0 and 3.1–5.0: each a step of 0.1 from the next
    data["ratings"]["bands"][1]["max"] = 3.0
    data["ratings"]["bands"][2]["min"] = 3.1
    bands = parse_scheme(data, "demo.yaml").ratings.bands
    assert [(b.label, b.min, b.max) for b in bands] == [
        ("low", 1.0, 2.9), ("moderate", 3.0, 3.0), ("high", 3.1, 5.0)
    ]  # fmt: skip


def test_a_band_keeps_whether_it_was_verified():
    data = base()
    data["ratings"]["bands"][1]["verified"] = False
    scheme = parse_scheme(data, "demo.yaml")
    assert [b.verified for b in scheme.ratings.bands] == [True, False, True]
    assert [b.verified for b in scheme.grid("grid").bands] == [False, False]


def test_ratings_without_bands_have_none():
    data = base()
    del data["ratings"]["bands"]
    assert parse_scheme(data, "demo.yaml").ratings.bands == ()


def test_summed_items_without_special_codes_start_at_the_sum_of_their_minima():
    data = base()
    data["ratings"]["aggregate"] = "sum"
    del data["ratings"]["special"]
    # two items 1–5, no code to leave one out: sums run from 1 + 1 = 2 to 5 + 5 = 10
    data["ratings"]["bands"] = [
        {"label": "low", "min": 2, "max": 5, "verified": True},
        {"label": "high", "min": 6, "max": 10, "verified": True},
    ]
    assert [b.min for b in parse_scheme(data, "demo.yaml").ratings.bands] == [2.0, 6.0]
    data["ratings"]["bands"][0]["min"] = 1
    error = failure(data)
    assert (error.place, error.reason) == (
        "ratings.bands[0]",
        "band 'low' (1–5) is outside the possible sums (2–10)",
    )


# -- the rest of a scheme --------------------------------------------------------------------


def test_an_ethogram_alone_is_something_to_code():
    data = base()
    del data["ratings"], data["grids"]
    scheme = parse_scheme(data, "demo.yaml")
    assert scheme.ratings is None and scheme.grids == ()
    assert [c.id for c in scheme.ethogram.codes] == ["look", "away", "praise", "praise_words"]


def test_a_scheme_keeps_its_description_and_has_an_empty_one_without():
    data = base()
    data["description"] = "Strengths in play"
    assert parse_scheme(data, "demo.yaml").description == "Strengths in play"
    del data["description"]
    assert parse_scheme(data, "demo.yaml").description == ""


def test_unverified_may_name_the_order_of_an_object_without_an_order_field():
    data = base()
    data["ratings"]["items"][0]["unverified"] = ["order", "name"]
    assert parse_scheme(data, "demo.yaml").item("a").name == "Item A"


@pytest.mark.parametrize(
    ("low_max", "high_min", "gap"),
    [
        # one step of the written precision between bands is allowed, two are a gap: at
        # every precision, nine places and more included
        (2.9, 3.0, False),
        (2.9, 3.1, True),
        (1.000000001, 1.000000002, False),
        (1.000000001, 1.000000003, True),
        (0.0, 0.000000001, False),
        (0.0, 0.000000002, True),
        (2.0, 2.0000000000001, False),
        (2.0, 2.0000000000002, True),
    ],
)
def test_a_gap_between_bands_is_more_than_one_step_of_their_written_precision(
    low_max, high_min, gap
):
    data = base()
    bands = data["grids"][0]["bands"]
    bands[0].update(min=0, max=low_max)
    bands[1].update(min=high_min, max=4)
    if gap:
        error = failure(data)
        assert error.place == "grids[0].bands[1]"
        assert error.reason.startswith(f"gap between band 'low' (up to {low_max}) and band")
    else:
        parse_scheme(data, "demo.yaml")
