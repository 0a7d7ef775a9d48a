"""Schemes for the unit tests: the shipped ones as the domain reads them, and a small
summed scheme of three items."""

from __future__ import annotations

from pathlib import Path

import yaml

from vfa.domain.schemes import parse_scheme

SHIPPED = Path(__file__).resolve().parents[2] / "coding_schemes"


def shipped(name: str):
    """The shipped scheme file ``name`` parsed by the domain."""
    path = SHIPPED / name
    return parse_scheme(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


def summed(aggregate: str = "sum"):
    """Three items x, y, z rated 0–3 and summed (bands low 0–4, high 5–9); NA counts as
    zero, NOB is left out."""
    return parse_scheme(
        {
            "id": "s",
            "name": "Summed",
            "version": "1",
            "description": "",
            "source": "test",
            "ratings": {
                "verified": False,
                "aggregate": aggregate,
                "scale": {"min": 0, "max": 3},
                "special": [
                    {
                        "code": "NA",
                        "label": "Not applicable",
                        "counts_as": "zero",
                        "verified": False,
                    },
                    {
                        "code": "NOB",
                        "label": "Not observed",
                        "counts_as": "excluded",
                        "verified": False,
                    },
                ],
                # sums run from 0 to 3 + 3 + 3 = 9; a mean's bands would lie within 0–3
                "bands": [
                    {"label": "low", "min": 0, "max": 4, "verified": False},
                    {"label": "high", "min": 5, "max": 9, "verified": False},
                ]
                if aggregate == "sum"
                else [],
                "items": [
                    {"id": "x", "name": "X", "verified": False},
                    {"id": "y", "name": "Y", "verified": False},
                    {"id": "z", "name": "Z", "verified": False},
                ],
            },
        },
        "summed.yaml",
    )
