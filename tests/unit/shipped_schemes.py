"""The shipped schemes as the domain reads them, for the unit tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from vfa.domain.schemes import parse_scheme

SHIPPED = Path(__file__).resolve().parents[2] / "coding_schemes"


def shipped(name: str):
    """The shipped scheme file ``name`` parsed by the domain."""
    path = SHIPPED / name
    return parse_scheme(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))
