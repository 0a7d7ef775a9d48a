"""Where a scheme file's problem is: the place written as a path, and the line of the
nearest enclosing node the reader recorded."""

from __future__ import annotations

import pytest

from vfa.domain.scheme_places import Checker, place_text
from vfa.errors import SchemeError

LINES = {
    (): 1,
    ("ratings",): 4,
    ("ratings", "items"): 9,
    ("ratings", "items", 2): 17,
}


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("ratings", "items", 2), 17),  # its own line
        (("ratings", "items", 2, "id"), 17),  # the item's
        (("ratings", "items", 2, "scale", "min"), 17),  # two levels up
        (("ratings", "items", 3, "id"), 9),  # another item: the list's
        (("ratings", "bands", 0), 4),
        (("events",), 1),  # the file's top
    ],
)
def test_a_place_without_a_line_of_its_own_takes_the_nearest_enclosing_nodes(path, line):
    checker = Checker("s.yaml", LINES)
    assert checker.line(path) == line
    with pytest.raises(SchemeError) as raised:
        checker.fail(path, "bad")
    error = raised.value
    assert (error.file, error.place, error.reason, error.line) == (
        "s.yaml",
        place_text(path),
        "bad",
        line,
    )
    assert str(error) == f"s.yaml: {place_text(path)} (line {line}): bad"


def test_without_recorded_lines_a_place_has_none():
    checker = Checker("s.yaml", None)
    assert checker.line(("ratings", "items", 0)) is None
    with pytest.raises(SchemeError, match=r"^s\.yaml: ratings\.items\[0\]: bad$"):
        checker.fail(("ratings", "items", 0), "bad")
    assert Checker("s.yaml", {("x",): 3}).line(("y", 1)) is None  # no top line either


def test_a_place_is_written_as_a_path():
    assert place_text(("ratings", "items", 3, "id")) == "ratings.items[3].id"
    assert place_text((0, "a")) == "[0].a"
    assert place_text(()) == ""
