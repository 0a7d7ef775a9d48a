"""Fixtures of the unit tests: the shipped KIPS and CARE-Index (infant) schemes."""

from __future__ import annotations

import pytest

from tests.unit.scheme_files import shipped


@pytest.fixture(scope="module")
def kips():
    return shipped("kips.yaml")


@pytest.fixture(scope="module")
def care():
    return shipped("care_index_infant.yaml")
