"""Ratings as a table (vfa.domain.ratings_table): names numbered as they first appear,
the items in report order, per item the units × coders matrix, the pairs rated; each
checked against a table written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from vfa.domain.ratings_table import RatingsTable, TableBuilder

NAN = float("nan")


def build(rows: list[tuple[str, str, str, float]], order: tuple[str, ...] = ()) -> RatingsTable:
    builder = TableBuilder()
    for unit, coder, item, value in rows:
        builder.add(*builder.name(unit, coder, item), value)
    return builder.table(order)


def same(a: np.ndarray, b: list[list[float]]) -> bool:
    return np.array_equal(a, np.array(b, dtype=float), equal_nan=True)


def test_names_are_numbered_from_zero_in_the_order_they_first_appear():
    builder = TableBuilder()
    assert builder.name("u1", "Ann", "a") == (0, 0, 0)
    assert builder.name("u2", "Ben", "a") == (1, 1, 0)
    assert builder.name("u1", "Ben", "b") == (0, 1, 1)  # each name keeps its number
    assert builder.name("u3", "Ann", "c") == (2, 0, 2)
    assert builder.units.names == ["u1", "u2", "u3"]
    assert builder.coders.names == ["Ann", "Ben"]
    assert builder.items.names == ["a", "b", "c"]


def test_a_name_without_a_rating_is_still_in_the_table():
    builder = TableBuilder()
    builder.name("u1", "Ann", "a")  # (an empty value in a file still names them)
    table = builder.table()
    assert (table.units, table.coders, table.items) == (["u1"], ["Ann"], ["a"])
    assert table.values == {} and table.rated_units() == 0
    assert table.matrices()["a"].shape == (0, 1)  # no unit rated it; one coder


def test_the_items_come_in_the_order_given_then_as_they_came():
    rows = [("u", "Ann", item, 1.0) for item in ("c", "a", "d", "b")]
    assert build(rows).items == ["c", "a", "d", "b"]
    assert build(rows, ("b", "a")).items == ["b", "a", "c", "d"]
    assert build(rows, ("x", "d")).items == ["d", "c", "a", "b"]  # (x: not rated)
    # the numbers stay those of first appearance, whatever the order shown
    assert build(rows, ("b", "a")).item_number == {"c": 0, "a": 1, "d": 2, "b": 3}


def test_values_are_item_unit_coder_with_none_for_a_special_code():
    table = build([("u1", "Ann", "a", 2.0), ("u1", "Ben", "a", NAN), ("u2", "Ann", "b", 3.0)])
    assert table.values == {"a": {"u1": {"Ann": 2.0, "Ben": None}}, "b": {"u2": {"Ann": 3.0}}}


def test_each_item_and_unit_rated_is_counted_once_however_many_coders_rated_it():
    rows = [
        ("u1", "Ann", "a", 1.0),
        ("u1", "Ben", "a", 1.0),  # the same pair again
        ("u3", "Ann", "a", 2.0),
        ("u2", "Ann", "b", 1.0),
        ("u3", "Ben", "b", NAN),  # a special code is a rating too
        ("u1", "Ann", "c", 0.0),
    ]
    assert build(rows).rated_units() == 5  # (a,u1) (a,u3) (b,u2) (b,u3) (c,u1)
    # pairs that a key without the units' count would run together: (a,u3) vs (b,u0)
    one_unit_apart = [("u0", "A", "a", 1.0), ("u1", "A", "a", 1.0), ("u2", "A", "a", 1.0)]
    assert build([*one_unit_apart, ("u0", "A", "b", 1.0)]).rated_units() == 4


def test_a_matrix_has_a_row_per_unit_that_rated_the_item_in_unit_order_nan_where_missing():
    rows = [
        ("u1", "Ann", "a", 1.0),
        ("u2", "Ben", "b", 4.0),
        ("u3", "Ben", "a", 3.0),
        ("u1", "Cat", "a", 2.0),
        ("u2", "Ann", "b", NAN),
        ("u3", "Ann", "a", 5.0),
    ]
    table = build(rows, ("b", "a"))
    matrices = table.matrices()
    assert list(matrices) == ["b", "a"]  # in report order
    assert same(matrices["a"], [[1.0, NAN, 2.0], [5.0, 3.0, NAN]])  # u1, u3 × Ann Ben Cat
    assert same(matrices["b"], [[NAN, 4.0, NAN]])  # u2 only
    assert all(m.shape[1] == len(table.coders) for m in matrices.values())


def test_matrices_of_items_whose_ratings_came_interleaved_follow_the_units_first_appearance():
    rows = [
        ("u2", "Ann", "a", 1.0),
        ("u1", "Ann", "b", 2.0),
        ("u0", "Ben", "a", 3.0),
        ("u2", "Ben", "b", 4.0),
        ("u1", "Ann", "a", 5.0),
    ]
    matrices = build(rows).matrices()  # units in the order u2, u1, u0
    assert same(matrices["a"], [[1.0, NAN], [5.0, NAN], [NAN, 3.0]])
    assert same(matrices["b"], [[NAN, 4.0], [2.0, NAN]])


def test_an_empty_table():
    table = RatingsTable([], [], [], {})
    assert table.values == {} and table.rated_units() == 0 and table.matrices() == {}


@pytest.mark.parametrize("units", [1, 2, 5])
def test_the_pairs_rated_of_one_coder_on_every_unit_and_item(units):
    rows = [(f"u{u}", "Ann", item, 1.0) for u in range(units) for item in ("a", "b", "c")]
    assert build(rows).rated_units() == 3 * units
