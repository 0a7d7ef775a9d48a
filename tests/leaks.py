"""Where a private word (a path, a video's file name, a person's name) turns up in a file
VFA wrote: its bytes and, by kind, what a reader shows of it.

- every file: its bytes (as UTF-8, UTF-16 and Latin-1, any case) and its name;
- MP4: the container's and each stream's metadata tags (PyAV);
- PDF: the Info dictionary, the XMP packet, the text of each page and every stream
  decompressed (pypdf);
- PNG: text and EXIF chunks (``tEXt``, ``zTXt``, ``iTXt``, ``eXIf``), decompressed;
- JPEG: comment and application segments (``COM``, ``APP1``… EXIF and XMP).

:func:`metadata_chunks` lists the text and EXIF parts of a PNG or JPEG at all: a still of a
family's video carries none.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path


def _forms(word: str) -> list[bytes]:
    """The byte forms ``word`` may take in a file."""
    out = []
    for encoding in ("utf-8", "utf-16-be", "utf-16-le", "latin-1"):
        try:
            out.append(word.encode(encoding))
        except UnicodeEncodeError:
            continue
    return out


def _contains(blob: bytes, word: str) -> bool:
    low = blob.lower()
    return any(form.lower() in low for form in _forms(word))


def png_chunks(data: bytes) -> Iterator[tuple[str, bytes]]:
    """(type, data) of each chunk of a PNG file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    at = 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8].decode("latin-1")
        yield kind, data[at + 8 : at + 8 + length]
        at += 12 + length


def _png_text(kind: str, body: bytes) -> bytes:
    """A PNG text chunk's keyword and text, decompressed."""
    if kind == "zTXt":
        key, _, rest = body.partition(b"\0")
        return key + b" " + zlib.decompress(rest[1:])
    if kind == "iTXt":
        key, _, rest = body.partition(b"\0")
        compressed, rest = rest[0], rest[2:]
        language, _, rest = rest.partition(b"\0")
        translated, _, text = rest.partition(b"\0")
        return b" ".join((key, language, translated, zlib.decompress(text) if compressed else text))
    return body


def jpeg_segments(data: bytes) -> Iterator[tuple[str, bytes]]:
    """(marker name, data) of each segment of a JPEG file before its image data."""
    assert data[:2] == b"\xff\xd8", "not a JPEG file"
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the image data follows
            return
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker == 0xFE:
            name = "COM"
        elif 0xE0 <= marker <= 0xEF:
            name = f"APP{marker - 0xE0}"
        else:
            name = f"{marker:02X}"
        yield name, data[at + 4 : at + 2 + length]
        at += 2 + length


def metadata_chunks(path: Path) -> list[str]:
    """The text and EXIF parts of a PNG or JPEG image (JFIF's APP0 is none)."""
    data = path.read_bytes()
    if path.suffix.lower() == ".png":
        return [k for k, _ in png_chunks(data) if k in ("tEXt", "zTXt", "iTXt", "eXIf")]
    segments = [k for k, _ in jpeg_segments(data)]
    return [k for k in segments if k == "COM" or (k.startswith("APP") and k != "APP0")]


def _views(path: Path) -> Iterator[tuple[str, bytes]]:
    """(where, bytes) of each part of ``path`` a reader shows, by the file's kind."""
    data = path.read_bytes()
    yield "name", path.name.encode()
    yield "bytes", data
    suffix = path.suffix.lower()
    if suffix == ".png":
        for kind, body in png_chunks(data):
            if kind in ("tEXt", "zTXt", "iTXt", "eXIf"):
                yield f"{kind} chunk", _png_text(kind, body)
    elif suffix in (".jpg", ".jpeg"):
        for name, body in jpeg_segments(data):
            yield f"{name} segment", body
    elif suffix == ".mp4":
        import av

        with av.open(str(path)) as container:
            yield "container tags", repr(dict(container.metadata)).encode()
            for stream in container.streams:
                yield f"stream {stream.index} tags", repr(dict(stream.metadata)).encode()
    elif suffix == ".pdf":
        yield from _pdf_views(path)


def _pdf_views(path: Path) -> Iterator[tuple[str, bytes]]:
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    reader = PdfReader(path)
    yield "Info", repr(dict(reader.metadata or {})).encode()
    xmp = reader.xmp_metadata
    if xmp is not None:
        yield "XMP", xmp.stream.get_data()
    for n, page in enumerate(reader.pages, start=1):
        yield f"text of page {n}", page.extract_text().encode()
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            try:
                yield f"stream object {number}", obj.get_data()
            except Exception:  # an image filter pypdf cannot undo: its bytes are read above
                continue


def findings(paths: Iterable[Path], words: Iterable[str]) -> list[str]:
    """Each private word found in each file, as "FILE: WHERE: 'WORD'" (once a place)."""
    words = [w for w in words if w]
    out = []
    for path in paths:
        for where, blob in _views(path):
            for word in words:
                if _contains(blob, word):
                    out.append(f"{path.name}: {where}: {word!r}")
    return out
