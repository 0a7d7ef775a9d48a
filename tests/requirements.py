"""What some tests need from outside the checkout, and what happens when it is missing.

Locally a missing part is a skip whose reason names it (``-ra`` prints it in the summary);
with the environment variable CI set (``.ci/run``, ``CI=1 ./test``) it is a failure that
names it, so a CI run can never pass by quietly leaving tests out.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

# ../shared beside the checkout (this file is tests/requirements.py); VFA_TEST_SHARED
# points elsewhere (the tests of this module point it at an empty folder)
SHARED = Path(os.environ.get("VFA_TEST_SHARED") or Path(__file__).resolve().parents[2] / "shared")
SHARED_MEDIA = SHARED / "media"
INTEROP = SHARED / "interop"


def in_ci() -> bool:
    """True when the run is a CI run (the CI variable is set and not empty)."""
    return bool(os.environ.get("CI"))


def need(part: str, reason: str) -> NoReturn:
    """``part`` is missing for ``reason``: skip here, fail naming it under CI."""
    if in_ci():
        pytest.fail(f"CI needs {part}: {reason} (see scripts/setup.sh and .ci/run)", pytrace=False)
    pytest.skip(f"{part} missing: {reason}")


def need_file(part: str, path: Path) -> Path:
    """``path`` itself, or :func:`need` saying it is not there."""
    if not path.exists():
        need(part, f"{path} not found")
    return path


def need_interop(relative: str) -> Path:
    """A file of the shared interop samples (``../shared/interop/RELATIVE``)."""
    return need_file("the shared interop samples (../shared/interop)", INTEROP / relative)


def need_media(relative: str = "manifest.json") -> Path:
    """A file of the shared barcode clips (``../shared/media/RELATIVE``)."""
    return need_file("the shared test media (../shared/media)", SHARED_MEDIA / relative)


def need_pg_url() -> str:
    """The throwaway PostgreSQL server's URL (VFA_TEST_PG_URL, set by ./test)."""
    url = os.environ.get("VFA_TEST_PG_URL")
    if not url:
        need("a PostgreSQL server", "VFA_TEST_PG_URL is not set (./test starts one when "
             "VFA_WITH_POSTGRES=1 or CI is set)")  # fmt: skip
    return url
