"""Opening other tools' files without trusting them: gzip without bombs, JSON without
NaN, Infinity or runaway nesting, and text in the encoding it was most likely written in."""

from __future__ import annotations

import json
import zlib
from decimal import Decimal
from typing import Any

from vfa.errors import FormatError
from vfa.io.document import Problem
from vfa.io.safety import MAX_MEMBER_BYTES, MAX_RATIO

# below this a gzip file is not judged by its ratio (small files compress oddly)
RATIO_FLOOR = 8 * 1024 * 1024


def gunzip(data: bytes, file: str) -> bytes:
    """A gzip file's content, refused when it expands past the safety limits (a bomb)."""
    out = bytearray()
    pending = data
    while pending:  # a gzip file may hold several members, one after the other
        stream = zlib.decompressobj(wbits=31)
        chunk = pending
        while not stream.eof:
            try:
                piece = stream.decompress(chunk, 1 << 20)
            except zlib.error as exc:
                raise FormatError(file, "", f"not a readable gzip file ({exc})") from exc
            out += piece
            if len(out) > MAX_MEMBER_BYTES or (
                len(out) > RATIO_FLOOR and len(out) > MAX_RATIO * len(data)
            ):
                raise FormatError(
                    file, "", "expands too far when decompressed; refused as a gzip bomb"
                )
            chunk = stream.unconsumed_tail
            if not chunk and not piece:
                raise FormatError(file, "", "the gzip data is cut short")
        pending = stream.unused_data.lstrip(b"\0")
    return bytes(out)


def parse_json(text: str, file: str) -> Any:
    """JSON with exact decimals; NaN, Infinity, huge integers and deep nesting refused."""

    def refuse_constant(name: str) -> Any:
        raise FormatError(file, "", f"holds {name}, which is not a number; refused")

    try:
        return json.loads(text, parse_float=Decimal, parse_constant=refuse_constant)
    except RecursionError:
        raise FormatError(file, "", "is nested too deeply to be read; refused") from None
    except json.JSONDecodeError as exc:
        raise FormatError(
            file, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})"
        ) from None
    except ValueError as exc:  # an integer of thousands of digits
        raise FormatError(file, "", f"not readable JSON ({exc})") from None


def decode_lenient(data: bytes, file: str, place: str) -> tuple[str, Problem | None]:
    """UTF-8 text (a BOM skipped); else Windows-1252, with a problem saying so."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        where = f"{place} byte {exc.start}".strip()
    try:
        return data.decode("cp1252"), Problem(where, "not UTF-8 text; read as Windows-1252")
    except UnicodeDecodeError as exc:
        raise FormatError(
            file, f"{place} byte {exc.start}".strip(), "neither UTF-8 nor Windows-1252 text"
        ) from None
