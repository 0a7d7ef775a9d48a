"""Labels and statuses at their edges, from their definitions: Landis & Koch (1977) as
the instruments note writes them (<= 0 poor, .01–.20 slight, .21–.40 fair, .41–.60
moderate, .61–.80 substantial, .81–1 almost perfect), read from the value as shown to
two decimals (the table's bounds are two-decimal); certification (services/
certification.py): "reliable" when the latest rolling value meets the threshold (>=),
"drifted" when it does not but an earlier one did, "not yet" otherwise; a criterion's
threshold is -1 to 1 and its window 1 clip or more."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vfa.domain.agreement import landis_koch
from vfa.errors import InvalidInputError
from vfa.reports.statistic_text import statistic_text
from vfa.services import certification


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (-0.01, "poor"),
        (0.0, "poor"),
        (0.01, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.41, "moderate"),
        (0.6, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (None, None),
    ],
)
def test_landis_koch_labels_at_each_written_edge(value, label):
    assert landis_koch(value) == label


@pytest.mark.parametrize(
    ("value", "shown", "label"),
    [
        (0.6049, "0.60", "moderate"),  # above .60, but shown as 0.60: the table's .41-.60
        (0.605, "0.60", "moderate"),  # 0.60499… in binary
        (0.6051, "0.61", "substantial"),
        (0.2049, "0.20", "slight"),
        (0.8049, "0.80", "substantial"),
        (0.8051, "0.81", "almost perfect"),
        (0.4049, "0.40", "fair"),
        (0.0049, "0.00", "poor"),  # <= 0 as shown
        (0.0051, "0.01", "slight"),
        (-0.004, "-0.00", "poor"),
    ],
)
def test_a_label_is_that_of_the_value_as_shown(value, shown, label):
    assert statistic_text(value) == shown
    assert landis_koch(value) == label


# the table as the instruments note writes it: (lowest, highest) shown value of each label
TABLE = {
    "poor": (-1.0, 0.0),
    "slight": (0.01, 0.2),
    "fair": (0.21, 0.4),
    "moderate": (0.41, 0.6),
    "substantial": (0.61, 0.8),
    "almost perfect": (0.81, 1.0),
}


@given(st.floats(min_value=-1.0, max_value=1.0))
def test_the_label_always_agrees_with_the_number_shown_beside_it(value):
    shown = float(statistic_text(value))
    label = landis_koch(value)
    assert label == landis_koch(shown)
    low, high = TABLE[label]
    assert low <= shown <= high


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_value_that_is_no_number_has_no_label(value):
    assert landis_koch(value) is None


@pytest.mark.parametrize(
    ("rolling", "status"),
    [
        ([0.7], "reliable"),  # exactly the threshold meets it
        ([0.6999], "not yet"),
        ([0.7, 0.6999], "drifted"),  # met once, no longer
        ([0.6999, 0.7], "reliable"),
        ([0.7, None], "drifted"),  # a value that cannot be computed does not meet it
        ([], "not yet"),  # too few clips for a first window
        ([None], "not yet"),
    ],
)
def test_certification_status_at_the_threshold(rolling, status):
    assert certification.status_of(rolling, 0.7) == status


@pytest.mark.parametrize(
    ("threshold", "window", "message"),
    [
        (-1.0, 1, None),
        (1.0, 1, None),
        (-1.0001, 5, "the threshold must be from -1 to 1, not -1.0001"),
        (1.0001, 5, "the threshold must be from -1 to 1, not 1.0001"),
        (float("nan"), 5, "the threshold must be from -1 to 1, not nan"),
        (0.7, 0, "the window must be 1 clip or more, not 0"),
    ],
)
def test_a_criterion_at_the_ends_of_its_range(workspace, threshold, window, message):
    before = certification.criterion(workspace, "kips")
    if message is None:
        stored = certification.set_criterion(workspace, "kips", "icc_2_1", threshold, window)
        assert (stored.threshold, stored.window) == (threshold, window)
        assert certification.criterion(workspace, "kips") == stored
    else:
        with pytest.raises(InvalidInputError, match=f"criterion: {message}"):
            certification.set_criterion(workspace, "kips", "icc_2_1", threshold, window)
        assert certification.criterion(workspace, "kips") == before
