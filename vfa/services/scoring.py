"""Scores from a ratings file: CSV rows ``unit,coder,item,value``, one score per unit and coder.

A header row naming the four columns (in any order; other columns are ignored) is
required. ``value`` is a scale point or one of the item's special codes (any case); an
empty value means "not rated" and the row is skipped. Rows are numbered as in a
spreadsheet: the header is row 1.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from vfa import files
from vfa.domain.schemes import RatingItem, Scheme
from vfa.domain.scoring import RatingValue, ScoreResult, check_item, score
from vfa.errors import InvalidInputError, NotFoundError

COLUMNS = ("unit", "coder", "item", "value")
_INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class UnitScore:
    unit: str
    coder: str
    result: ScoreResult


def scheme_value(item: RatingItem, text: str) -> RatingValue:
    """A rating as the scorer reads it: an integer, or a special code in any case (a number
    of more than 20 digits stays text, for check_item to refuse before it is converted)."""
    if len(text) <= 20 and _INTEGER.match(text):
        return int(text)
    for special in item.special:
        if special.code.casefold() == text.casefold():
            return special.code
    return text  # check_item refuses it, naming the allowed values


def _decoded(handle: BinaryIO, where: list[int]) -> Iterator[str]:
    """The lines of a binary file as UTF-8 text (a leading byte order mark dropped);
    ``where[0]`` is the line being decoded, for the message when one is not UTF-8."""
    for number, raw in enumerate(handle, start=1):
        where[0] = number
        yield raw.decode("utf-8-sig" if number == 1 else "utf-8")


def read_rows(
    path: str | os.PathLike[str], columns: Sequence[str]
) -> Iterator[tuple[int, list[str]]]:
    """(row number, the stripped cells of ``columns`` in that order) of every non-blank
    row, read as it goes (the file is never held whole); the header is checked first. A
    file that is not UTF-8 CSV is refused naming the row."""
    file = Path(path)
    opened = contextlib.ExitStack()
    try:  # a pipe or a device is refused before it can block
        handle = opened.enter_context(files.open_regular(file))
    except files.NotReadable as exc:
        raise InvalidInputError(f"{file}: {exc.reason}") from None
    line = [0]
    number = 1
    with opened:
        rows = csv.reader(_decoded(handle, line))
        try:
            first = next(rows, [])
            header = [h.strip().casefold() for h in first]
            if not set(columns) <= set(header):
                found = ", ".join(h for h in header if h) or "nothing"
                raise InvalidInputError(
                    f"{file}: row 1: the header must name the columns {', '.join(columns)} "
                    f"(found: {found})"
                )
            where = [header.index(name) for name in columns]
            last = max(where)
            in_order = where == list(range(len(columns)))
            strip = str.strip
            for number, row in enumerate(rows, start=2):
                if len(row) <= last:
                    if not any(map(strip, row)):
                        continue
                    raise InvalidInputError(
                        f"{file}: row {number}: {len(row)} values, expected {len(header)}"
                    )
                cells = list(map(strip, row[: last + 1] if in_order else (row[i] for i in where)))
                if not any(cells) and not any(map(strip, row)):
                    continue
                yield number, cells
        except UnicodeDecodeError as exc:
            at = number + 1 if line[0] > 1 else 1
            raise InvalidInputError(
                f"{file}: row {at}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} in "
                f"line {line[0]}; save the file as CSV UTF-8)"
            ) from None
        except csv.Error as exc:
            at = number + 1 if line[0] > 1 else 1
            raise InvalidInputError(f"{file}: row {at}: not CSV ({exc})") from None
        except OSError as exc:
            raise InvalidInputError(f"{file}: cannot be read ({exc.strerror or exc})") from None


def rating_rows(path: str | os.PathLike[str]) -> Iterator[tuple[int, str, str, str, str]]:
    """(row number, unit, coder, item, value text) of each row of a ratings CSV; a missing
    column, an empty unit, coder or item, and an item rated twice for a unit by one coder
    are refused, naming the row."""
    file = Path(path)
    first_row: dict[tuple[str, str, str], int] = {}
    for number, (unit, coder, item_id, text) in read_rows(file, COLUMNS):
        for name, cell in (("unit", unit), ("coder", coder), ("item", item_id)):
            if not cell:
                raise InvalidInputError(f"{file}: row {number}: the {name} is empty")
        if text:
            key = (unit, coder, item_id)
            if key in first_row:
                raise InvalidInputError(
                    f"{file}: row {number}: item {item_id} is rated again for unit {unit} by "
                    f"coder {coder} (first in row {first_row[key]})"
                )
            first_row[key] = number
        yield number, unit, coder, item_id, text


def read_ratings_csv(
    path: str | os.PathLike[str], scheme: Scheme
) -> dict[tuple[str, str], dict[str, RatingValue]]:
    """(unit, coder) -> item -> value, every value checked; InvalidInputError names the row."""
    file = Path(path)
    if scheme.ratings is None:
        raise InvalidInputError(
            f"scheme {scheme.id} has no rating items; a ratings file scores item ratings"
        )
    ratings: dict[tuple[str, str], dict[str, RatingValue]] = {}
    for number, unit, coder, item_id, text in rating_rows(file):
        try:
            item = scheme.item(item_id)
        except NotFoundError as exc:
            raise InvalidInputError(f"{file}: row {number}: unknown item: {exc}") from None
        values = ratings.setdefault((unit, coder), {})
        if not text:
            continue
        try:
            checked = check_item(item, scheme_value(item, text))
        except InvalidInputError as exc:
            raise InvalidInputError(f"{file}: row {number}: {exc}") from None
        values[item_id] = checked.value
    return ratings


def score_ratings_csv(path: str | os.PathLike[str], scheme: Scheme) -> list[UnitScore]:
    """The score of every unit and coder in a ratings file, in the order they first appear."""
    return [
        UnitScore(unit, coder, score(scheme, values))
        for (unit, coder), values in read_ratings_csv(path, scheme).items()
    ]
