"""Argument types of the ``vfa`` command: each refuses a value that cannot be right.

argparse names the option in its message ("argument --clip: …") and exits with status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re

from vfa.domain.limits import MAX_ID, MAX_MS
from vfa.errors import InvalidInputError

__all__ = ["MAX_ID", "MAX_MS"]


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number ({what})") from None


def _counted(text: str, what: str, where: str = "") -> int:
    """A whole number from 1 to 2^63 - 1 (``what`` it is, ``where`` to find it)."""
    value = _int(text, what)
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what} (1 to {MAX_ID}{where})")
    return value


def record_id(text: str) -> int:
    """A record id: a whole number from 1 to 2^63 - 1."""
    return _counted(text, "an id")


def record_version(text: str) -> int:
    """A version of a record (its edits counted from 1)."""
    return _counted(text, "a version", ": vfa reel show --json gives it")


def milliseconds(text: str) -> int:
    """A time in a recording, in ms: 0 to 24 hours."""
    value = _int(text, "milliseconds")
    if not 0 <= value <= MAX_MS:
        raise argparse.ArgumentTypeError(f"{text!r} ms is outside 0 to {MAX_MS} (24 hours)")
    return value


def positive_ms(text: str) -> int:
    """A duration in ms: 1 ms to 24 hours."""
    value = _int(text, "milliseconds")
    if not 1 <= value <= MAX_MS:
        raise argparse.ArgumentTypeError(f"{text!r} ms is outside 1 to {MAX_MS} (24 hours)")
    return value


def frame_index(text: str) -> int:
    """A 0-based frame index."""
    value = _int(text, "a frame index")
    if not 0 <= value <= MAX_MS:  # more frames than 24 h at 1000 fps is no recording
        raise argparse.ArgumentTypeError(f"{text!r} is not a frame index (0 to {MAX_MS})")
    return value


def cycle(text: str) -> int:
    """An intervention cycle: 1 to 999."""
    value = _int(text, "a cycle number")
    if not 1 <= value <= 999:
        raise argparse.ArgumentTypeError(f"{text!r} is not a cycle number (1 to 999)")
    return value


def count(text: str) -> int:
    """A positive count, such as every N-th clip or a window of N clips: 1 to 1,000,000."""
    value = _int(text, "a count")
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count (1 to 1000000)")
    return value


def seed(text: str) -> int:
    """A random seed: 0 to 2^63 - 1."""
    value = _int(text, "a seed")
    if not 0 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed (0 to {MAX_ID})")
    return value


def fraction(text: str) -> float:
    """A share strictly above 0 and at most 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and 0 < value <= 1):
        raise argparse.ArgumentTypeError(f"{text!r} is not a share above 0 and at most 1")
    return value


def finite(text: str) -> float:
    """Any finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def iso_date(text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD")
    try:
        value = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD ({exc})") from None
    if not dt.date(1900, 1, 1) <= value <= dt.date.today():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date that has been (1900-01-01 to today)"
        )
    return value


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9999, 12, 31)


def day(text: str, option: str) -> dt.date:
    """A calendar date written YYYY-MM-DD (1900-01-01 to 9999-12-31), past or future,
    checked by the command itself: a wrong one is refused as ``vfa: OPTION …`` naming the
    option and what was given (InvalidInputError)."""
    shown = repr(text if len(text) <= 40 else text[:40] + "…")
    if not _DAY.fullmatch(text):
        raise InvalidInputError(f"{option} {shown}: not a date written YYYY-MM-DD")
    try:
        value = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInputError(f"{option} {shown}: not a date ({exc})") from None
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InvalidInputError(f"{option} {shown}: not a date from 1900 to 9999")
    return value


def days(text: str) -> int:
    """A number of days ahead: 0 to 36,500 (a hundred years)."""
    value = _int(text, "a number of days")
    if not 0 <= value <= 36_500:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days (0 to 36500)")
    return value
