"""Reliability reports from CSV files: agreement on ratings, and on timed events.

Ratings: rows ``unit,coder,item,value`` as for ``vfa score`` (``vfa.services.scoring``): a
header naming the columns, rows numbered as in a spreadsheet (the header is row 1), an
empty value skipped. With a scheme, an item is one of its rating items (1–5, NOB, ...) or
one of its grid scales (0 up to points per row × rows); values are checked as the scorer
checks them, and the scheme's special codes are the only words allowed. Without a
scheme, a value is a finite number (digits, a sign, a decimal point; at most
MAX_RATING in size) or one of the special codes the user names (``special``, NOB by
default, any case); any other word, NaN and infinities are refused. Special codes are
missing values for every statistic.

The file is read once, row by row, into flat arrays (unit, coder, item, value): reading
and the statistics take time in proportion to the rows. What the statistics would hold
in memory is checked before they start: at most MAX_ITEMS items, and at most
MAX_CELLS cells of units × coders over the items.

Events: rows ``unit,coder,code,start_ms,end_ms,duration_ms``; ``end_ms`` empty for a point
event; ``duration_ms`` is the clip's length, the same on every row of a unit, at most 24
hours (``vfa.domain.limits.MAX_MS``), as is every time. A row with an empty code and empty
times says the coder coded the unit and found nothing. At most MAX_CODES different codes.

Bad rows raise InvalidInputError "FILE: row N: REASON".
"""

from __future__ import annotations

import math
import os
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from vfa.domain.event_agreement import Event, TooManyPairs, event_agreement, time_unit_agreement
from vfa.domain.event_results import EventsAgreement, Pairing, UnitTallies
from vfa.domain.limits import MAX_MS
from vfa.domain.ratings_agreement import RatingsAgreement, grid_scale_maxima, table_agreement
from vfa.domain.ratings_table import RatingsTable, TableBuilder
from vfa.domain.schemes import RatingItem, Scheme
from vfa.domain.scoring import RatingValue, check_item
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.schemes import get_scheme
from vfa.services.scoring import COLUMNS, read_rows, scheme_value

EVENT_COLUMNS = ("unit", "coder", "code", "start_ms", "end_ms", "duration_ms")
DEFAULT_SPECIAL = ("NOB",)
MAX_RATING = 1e9  # no rating scale reaches this; larger numbers are typing errors
MAX_ITEMS = 500  # items (and grid scales) in one ratings file
MAX_CELLS = 20_000_000  # units × coders cells over all items (about 160 MB of floats)
MAX_CODES = 1000  # different event codes in one events file
_MAX_DIGITS = 20  # longer numbers are refused before they are converted
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_SPECIAL = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_NOT_SPECIAL = {"nan", "inf", "infinity", "none", "null"}

IntArray = NDArray[np.int64]


# -- ratings -----------------------------------------------------------------------------


def special_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Special codes as the user names them (``NOB,NA``), checked: a letter, then letters,
    digits or ``_``; never NaN or an infinity, which are not codes."""
    out: list[str] = []
    for code in (c.strip() for c in codes):
        if not _SPECIAL.match(code) or code.casefold() in _NOT_SPECIAL:
            raise InvalidInputError(
                f"special code {code!r}: a special code is a word such as NOB or NA "
                "(a letter, then letters, digits or _), and NaN or infinities are not codes"
            )
        if code.casefold() not in {c.casefold() for c in out}:
            out.append(code)
    if not out:
        raise InvalidInputError("special codes: name at least one, e.g. NOB")
    return tuple(out)


def _number(text: str, special: dict[str, str]) -> float:
    """A rating without a scheme: a finite number, or NaN for one of the special codes."""
    if len(text) <= _MAX_DIGITS and _NUMBER.match(text):
        value = float(text)
        if abs(value) <= MAX_RATING:
            return value
        raise InvalidInputError(f"{text!r} is larger than any rating (at most {MAX_RATING:g})")
    if text.casefold() in special:
        return math.nan
    known = ", ".join(special.values())
    raise InvalidInputError(
        f"{text!r} is neither a number nor one of the special codes ({known}); name "
        "further special codes, or give the scheme, to allow other words"
    )


def read_ratings(
    path: str | os.PathLike[str],
    scheme: Scheme | None = None,
    special: Sequence[str] | None = None,
) -> RatingsTable:
    """Every rating of a ratings CSV, checked against the scheme when one is given, else
    numbers and the ``special`` codes (NOB by default). One pass over the rows, each
    distinct value text checked once."""
    file = Path(path)
    if scheme is not None and special is not None:
        raise InvalidInputError(
            f"scheme {scheme.id} names its own special codes; give special codes only "
            "without a scheme"
        )
    allowed = {c.casefold(): c for c in special_codes(special or DEFAULT_SPECIAL)}
    grids = grid_scale_maxima(scheme) if scheme is not None else {}
    build = TableBuilder()
    units, coders, items = build.units.index, build.coders.index, build.items.index
    scheme_items: dict[str, RatingItem] = {}
    checked: dict[tuple[str, str], tuple[float, RatingValue | None]] = {}
    rows = array("q")
    for number, (unit, coder, item_id, text) in read_rows(file, COLUMNS):
        if not (unit and coder and item_id):
            empty = "unit" if not unit else "coder" if not coder else "item"
            raise InvalidInputError(f"{file}: row {number}: the {empty} is empty")
        u = units.get(unit)
        if u is None:
            u = units[unit] = len(units)
        c = coders.get(coder)
        if c is None:
            c = coders[coder] = len(coders)
        i = items.get(item_id)
        if i is None:
            i = _new_item(file, number, item_id, items, scheme, grids, scheme_items)
        if not text:
            continue
        found = checked.get((item_id, text))
        if found is None:
            try:
                found = _check(text, item_id, scheme, grids, scheme_items, allowed)
            except InvalidInputError as exc:
                raise InvalidInputError(f"{file}: row {number}, column value: {exc}") from None
            if len(checked) < 100_000:
                checked[(item_id, text)] = found
        value, raw = found
        if raw is not None:
            build.raw.setdefault((unit, coder), {})[item_id] = raw
        build.add(u, c, i, value)
        rows.append(number)
    table = build.table(
        ([i.id for i in scheme.ratings.items] if scheme and scheme.ratings else []) + list(grids)
    )
    _refuse_repeats(file, table, np.frombuffer(rows, dtype=np.int64))
    return table


def _new_item(
    file: Path,
    number: int,
    item_id: str,
    items: dict[str, int],
    scheme: Scheme | None,
    grids: dict[str, int],
    scheme_items: dict[str, RatingItem],
) -> int:
    """Number an item met for the first time, checked against the scheme and the limit."""
    if len(items) >= MAX_ITEMS:
        raise InvalidInputError(
            f"{file}: row {number}: item {item_id} is one more than the {MAX_ITEMS} "
            "items a ratings file may hold"
        )
    if scheme is not None and item_id not in grids:
        try:
            scheme_items[item_id] = scheme.item(item_id)
        except NotFoundError as exc:
            raise InvalidInputError(f"{file}: row {number}: unknown item: {exc}") from None
    items[item_id] = len(items)
    return items[item_id]


def _check(
    text: str,
    item_id: str,
    scheme: Scheme | None,
    grids: dict[str, int],
    scheme_items: dict[str, RatingItem],
    allowed: dict[str, str],
) -> tuple[float, RatingValue | None]:
    """A rating's value (NaN: a special code) and, for a scheme item, the value the
    scorer takes."""
    if scheme is None:
        return _number(text, allowed), None
    if item_id in grids:
        return _grid_total(item_id, grids[item_id], text), None
    item = scheme_items[item_id]
    raw = scheme_value(item, text)
    checked = check_item(item, raw)
    return (float(checked.value) if isinstance(checked.value, int) else math.nan), raw


def _refuse_repeats(file: Path, table: RatingsTable, rows: IntArray) -> None:
    """Refuse an item rated twice for a unit by one coder, naming the first such row."""
    key = (table.item_of * max(len(table.units), 1) + table.unit_of) * max(
        len(table.coders), 1
    ) + table.coder_of
    order = np.lexsort((rows, key))
    repeated = np.flatnonzero(key[order][1:] == key[order][:-1]) + 1
    if len(repeated) == 0:
        return
    at = repeated[np.argmin(rows[order][repeated])]
    first = at
    while first > 0 and key[order][first - 1] == key[order][at]:
        first -= 1
    n = order[at]
    item = {v: k for k, v in table.item_number.items()}[int(table.item_of[n])]
    raise InvalidInputError(
        f"{file}: row {rows[n]}: item {item} is rated again for unit "
        f"{table.units[table.unit_of[n]]} by coder {table.coders[table.coder_of[n]]} "
        f"(first in row {rows[order[first]]})"
    )


def _grid_total(scale: str, maximum: int, text: str) -> float:
    if len(text) <= _MAX_DIGITS and _INTEGER.match(text) and 0 <= int(text) <= maximum:
        return float(int(text))
    raise InvalidInputError(f"grid scale {scale}: {text!r} is not a total; allowed: 0–{maximum}")


def check_size(table: RatingsTable, source: str) -> None:
    """Refuse a table whose statistics would not fit in memory, before building them."""
    cells = table.rated_units() * len(table.coders)
    if cells > MAX_CELLS:
        raise InvalidInputError(
            f"{source}: {table.rated_units():,} rated units × {len(table.coders):,} coders "
            f"is more than VFA compares at once ({MAX_CELLS:,} cells); split the file, "
            "e.g. by item or by pair of coders"
        )


def ratings_report(
    path: str | os.PathLike[str],
    scheme: str | Scheme | None = None,
    reference: str | None = None,
    special: Sequence[str] | None = None,
) -> RatingsAgreement:
    """Agreement on a ratings CSV, per item, on the scheme's total and pooled
    (``vfa.domain.ratings_agreement.table_agreement``; ``as_dict`` is ``vfa reliability
    --json``). ``reference`` names the coder for Pearson r; ``special`` the special codes
    allowed without a scheme (NOB by default)."""
    chosen = _scheme(scheme)
    table = read_ratings(path, chosen, special)
    check_size(table, str(path))
    return table_agreement(table, chosen, reference, str(path))


def _scheme(scheme: str | Scheme | None) -> Scheme | None:
    if scheme is None or isinstance(scheme, Scheme):
        return scheme
    try:
        return get_scheme(scheme)
    except NotFoundError as exc:
        raise InvalidInputError(str(exc)) from None


# -- events ------------------------------------------------------------------------------


@dataclass
class _UnitEvents:
    duration_ms: int
    duration_row: int
    coders: dict[str, list[Event]]


def _whole(file: Path, number: int, name: str, text: str) -> int:
    """A time in ms: a whole number from 0 to 24 hours, refused before it is converted."""
    if len(text) > _MAX_DIGITS or not _INTEGER.match(text) or int(text) < 0:
        raise InvalidInputError(
            f"{file}: row {number}, column {name}: {text!r} is not a whole number of ms (0 or more)"
        )
    value = int(text)
    if value > MAX_MS:
        raise InvalidInputError(
            f"{file}: row {number}, column {name}: {value} ms is more than 24 hours "
            f"({MAX_MS} ms), longer than any recording"
        )
    return value


def read_events(path: str | os.PathLike[str]) -> dict[str, _UnitEvents]:
    """unit -> its duration and each coder's events, every row checked."""
    file = Path(path)
    units: dict[str, _UnitEvents] = {}
    codes: set[str] = set()
    for number, cells in read_rows(file, EVENT_COLUMNS):
        row = dict(zip(EVENT_COLUMNS, cells, strict=True))
        unit, coder, code = row["unit"], row["coder"], row["code"]
        for name, cell in (("unit", unit), ("coder", coder)):
            if not cell:
                raise InvalidInputError(f"{file}: row {number}: the {name} is empty")
        duration = _whole(file, number, "duration_ms", row["duration_ms"])
        if duration == 0:
            raise InvalidInputError(f"{file}: row {number}: duration_ms must be above 0")
        entry = units.setdefault(unit, _UnitEvents(duration, number, {}))
        if duration != entry.duration_ms:
            raise InvalidInputError(
                f"{file}: row {number}: unit {unit} has duration_ms {duration}, but "
                f"{entry.duration_ms} in row {entry.duration_row}"
            )
        events = entry.coders.setdefault(coder, [])
        if not code:
            if row["start_ms"] or row["end_ms"]:
                raise InvalidInputError(f"{file}: row {number}: the code is empty")
            continue
        start = _whole(file, number, "start_ms", row["start_ms"])
        end = _whole(file, number, "end_ms", row["end_ms"]) if row["end_ms"] else None
        if end is not None and end <= start:
            raise InvalidInputError(
                f"{file}: row {number}: end_ms {end} is not after start_ms {start} "
                "(leave end_ms empty for a point event)"
            )
        if max(start, end or start) > duration:
            raise InvalidInputError(
                f"{file}: row {number}: the event ends after the clip (duration_ms {duration})"
            )
        if code not in codes:
            if len(codes) >= MAX_CODES:
                raise InvalidInputError(
                    f"{file}: row {number}, column code: {code!r} is one more than the "
                    f"{MAX_CODES} different codes an events file may hold"
                )
            codes.add(code)
        events.append(Event(code, start, end))
    for unit, entry in units.items():
        if len(entry.coders) != 2:
            names = ", ".join(entry.coders)
            raise InvalidInputError(
                f"{file}: unit {unit}: {len(entry.coders)} coder(s) ({names}); "
                "event agreement needs exactly two coders per unit"
            )
    return units


def check_event_settings(unit_ms: int, overlap: float, tolerance_ms: int | None) -> None:
    """Refuse a time unit, overlap or onset tolerance that cannot be right."""
    if not 1 <= unit_ms <= MAX_MS:
        raise InvalidInputError(f"the time unit must be 1 ms to 24 hours, not {unit_ms} ms")
    if not 0 < overlap <= 1:
        raise InvalidInputError(f"the overlap must be above 0 and at most 1, not {overlap}")
    if tolerance_ms is not None and not 0 <= tolerance_ms <= MAX_MS:
        raise InvalidInputError(
            f"the onset tolerance must be 0 ms to 24 hours, not {tolerance_ms} ms"
        )


def events_report(
    path: str | os.PathLike[str],
    unit_ms: int = 1000,
    overlap: float = 0.6,
    tolerance_ms: int | None = None,
) -> EventsAgreement:
    """Agreement on the timed events of a CSV file: every unit (clip) pooled, and each
    unit's own (``vfa.domain.event_results.EventsAgreement``; ``as_dict`` is ``vfa
    agreement --json``).

    The first and second coder of a unit are the ones in the order its rows name them.
    Pairing is by ``overlap`` unless ``tolerance_ms`` is given (see
    ``vfa.domain.event_agreement``).
    """
    check_event_settings(unit_ms, overlap, tolerance_ms)
    units = read_events(path)
    tallies: list[UnitTallies] = []
    for unit, entry in units.items():
        (name_a, a), (name_b, b) = entry.coders.items()
        time_unit = time_unit_agreement(a, b, entry.duration_ms, unit_ms)
        try:
            event = event_agreement(a, b, overlap, tolerance_ms)
        except TooManyPairs as exc:
            raise InvalidInputError(f"{path}: unit {unit}: {exc}") from None
        tallies.append((unit, (name_a, name_b), time_unit, event))
    return EventsAgreement.pooled(tallies, unit_ms, Pairing.of(overlap, tolerance_ms))
