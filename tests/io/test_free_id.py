"""One rule for a name another record already has: ``name``, else ``name (2)``, ``name (3)``…

The readers (Observer XT codes, subjects and modifier sets, its logs' added codes,
Datavyu's modifier sets, BORIS's sets) and the BORIS writer's observations all take an id
through :func:`vfa.io.document.free_id`.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vfa.io.document import free_id

names = st.text(max_size=8)


@given(names, st.sets(names, max_size=12))
def test_a_free_name_is_kept_and_taken(name, taken):
    before = set(taken)
    got = free_id(name, taken)
    assert got not in before
    assert taken == before | {got}
    if name not in before:
        assert got == name


@given(names, st.sets(st.integers(min_value=2, max_value=9), max_size=6))
def test_a_taken_name_gets_the_lowest_free_number(name, numbers):
    taken = {name, *(f"{name} ({n})" for n in numbers)}
    lowest = min(n for n in range(2, 12) if n not in numbers)
    assert free_id(name, taken) == f"{name} ({lowest})"


def test_numbered_names_count_on_from_the_name_given():
    taken = {"Cries", "Cries (2)"}
    assert free_id("Cries (2)", taken) == "Cries (2) (2)"
    assert free_id("Cries", taken) == "Cries (3)"
    assert taken == {"Cries", "Cries (2)", "Cries (2) (2)", "Cries (3)"}
