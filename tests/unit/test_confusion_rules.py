"""kappa_max (Umesh, Peterson & Sauber 1989) by hand: the largest kappa a table's margins
allow, undefined (None, quietly) when a coder used one category only or nothing was
tallied."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from vfa.domain.confusion import kappa, kappa_max


def table(rows):
    return np.array(rows, dtype=np.int64)


def test_equal_margins_allow_a_kappa_of_one():
    # margins (1/2, 1/2) both: p_e = 1/2, Σ min = 1: (1 - 1/2) / (1 - 1/2) = 1
    assert kappa_max(table([[2, 1], [1, 2]])) == pytest.approx(1.0)
    assert kappa(table([[2, 1], [1, 2]])) == pytest.approx(1 / 3)


def test_unequal_margins_cap_kappa():
    # rows (3/4, 1/4), columns (1/2, 1/2): p_e = 1/2, Σ min = 1/2 + 1/4: (3/4 - 1/2) / (1/2)
    assert kappa_max(table([[2, 1], [0, 1]])) == pytest.approx(0.5)
    # three categories, rows (1/2, 1/4, 1/4), columns (1/4, 1/4, 1/2):
    # p_e = 1/8 + 1/16 + 1/8 = 5/16, Σ min = 1/4 + 1/4 + 1/4 = 3/4: (3/4 - 5/16) / (11/16)
    counts = table([[1, 1, 0], [0, 0, 1], [0, 0, 1]])
    assert kappa_max(counts) == pytest.approx(7 / 11)


@pytest.mark.parametrize(
    "rows",
    [
        [[2, 1], [0, 0]],  # the first coder used one category only
        [[2, 0], [1, 0]],  # the second did
        [[3, 0], [0, 0]],
        [[0, 0], [0, 0]],  # nothing tallied
        [[1]],
    ],
)
def test_kappa_max_is_undefined_when_a_coder_used_one_category(rows):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kappa_max(table(rows)) is None
