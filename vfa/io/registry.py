"""The formats VFA reads and writes, picked by content (and only then by suffix)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from vfa.errors import FormatError
from vfa.io.document import Document

# One module a format; each defines FORMAT = FormatSpec(...).
FORMAT_MODULES: tuple[str, ...] = (
    "vfa.io.boris",
    "vfa.io.datavyu",
    "vfa.io.eaf",
    "vfa.io.otx",
    "vfa.io.sdis",
    "vfa.io.srt_lane",
    "vfa.io.vfa_csv",
    "vfa.io.vfa_json",
)

SNIFF_BYTES = 4096


@dataclass(frozen=True)
class FormatSpec:
    """A format: how to recognise it, read it and write it."""

    id: str
    name: str
    suffixes: tuple[str, ...]  # lower case, with the dot: (".eaf",), (".boris", ".boris.gz")
    # does this start of a file (up to SNIFF_BYTES, decompressed where the format is) look
    # like the format? The file name is a hint only.
    sniff: Callable[[bytes, str], bool]
    read: Callable[[str], Document] | None = None
    # write(document, stream, target): target is where the file will end up (for paths
    # written relative to it); the stream is the file being written
    write: Callable[[Document, BinaryIO, Path], None] | None = None


def formats() -> tuple[FormatSpec, ...]:
    """Every format VFA knows."""
    return tuple(importlib.import_module(name).FORMAT for name in FORMAT_MODULES)


def by_id(format_id: str) -> FormatSpec:
    """The format with this id, or a FormatError listing those there are."""
    for spec in formats():
        if spec.id == format_id:
            return spec
    known = ", ".join(s.id for s in formats())
    raise FormatError(format_id, "", f"not a format VFA knows ({known})")


def detect(path: str | os.PathLike[str]) -> FormatSpec:
    """The format of a file by its content; the suffix breaks a tie."""
    from vfa.io.safety import read_head

    name = os.fspath(path)
    head = read_head(name, SNIFF_BYTES)
    readable = [s for s in formats() if s.read is not None and s.sniff(head, name)]
    if not readable:
        raise FormatError(
            name,
            "",
            "not a file VFA can import (ELAN, BORIS, Datavyu, "
            "Observer XT, or VFA's own CSV or JSON)",
        )
    lower = name.lower()
    for spec in readable:
        if lower.endswith(spec.suffixes):
            return spec
    return readable[0]


def read(path: str | os.PathLike[str]) -> Document:
    """Read a file in whatever format it is."""
    spec = detect(path)
    assert spec.read is not None
    return spec.read(os.fspath(path))
