"""Checked access to the values of a BORIS project: text, seconds, times and offsets.

Each refusal is a ``FormatError`` naming the file, the place and what the value is; the
problems a reading passes over are collected in :attr:`Fields.problems`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from vfa.domain.limits import MAX_MS
from vfa.io.document import FileReading

MAX_SECONDS = Decimal(MAX_MS) / 1000


def kind_of(value: Any) -> str:
    """What a JSON value is, in words for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def ms(seconds: Decimal) -> int:
    """Seconds as integer milliseconds, rounded half up."""
    return int((seconds * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Fields(FileReading):
    """One file's checked access: the file name for errors and the problems found on the way."""

    def obj(self, value: Any, place: str, what: str) -> dict[str, Any]:
        """The value as a JSON object, refused otherwise."""
        if not isinstance(value, dict):
            raise self.fail(place, f"{what} is {kind_of(value)}, not an object")
        return value

    def text(self, value: Any, place: str, what: str) -> str:
        """The value as text (a number as written, null as empty), refused otherwise."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return str(value)
        raise self.fail(place, f"{what} is {kind_of(value)}, not text")

    def seconds(self, value: Any, place: str, what: str) -> Decimal | None:
        """A number of seconds as BORIS writes it (number or text); None for "NA"."""
        if isinstance(value, str):
            if value.strip().upper() in ("NA", ""):
                return None
            try:
                value = Decimal(value.strip())
            except InvalidOperation:
                raise self.fail(place, f"{what} {value!r} is not a number of seconds") from None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.fail(place, f"{what} is {kind_of(value)}, not a number of seconds")
        number = Decimal(value)
        if not number.is_finite():
            raise self.fail(place, f"{what} {value} is not a finite number")
        return number

    def time_ms(self, value: Any, place: str, what: str = "the time") -> int | None:
        """A time in ms: refused when negative or beyond 24 hours; None for "NA"."""
        number = self.seconds(value, place, what)
        if number is None:
            return None
        if number < 0:
            raise self.fail(place, f"{what} {number} s is negative")
        if number > MAX_SECONDS:
            raise self.fail(place, f"{what} {number} s is beyond 24 hours")
        return ms(number)

    def offset_ms(self, value: Any, place: str, what: str) -> int:
        """An offset in ms (may be negative, at most 24 hours either way)."""
        number = self.seconds(value, place, what)
        if number is None:
            return 0
        if abs(number) > MAX_SECONDS:
            raise self.fail(place, f"{what} {number} s is beyond 24 hours")
        return ms(number)
