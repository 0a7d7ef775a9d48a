"""Bounds on what a recording can be, shared by every reader and the command line."""

from __future__ import annotations

# SQLite and PostgreSQL store ids as signed 64-bit integers
MAX_ID = 2**63 - 1
# the longest recording any time or span may describe
MAX_MS = 24 * 60 * 60 * 1000
