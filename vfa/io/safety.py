"""Reading other tools' files without trusting them: size caps, regular files only,
XML without entities or DTDs, zips without bombs."""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from vfa.errors import FormatError
from vfa.files import NotReadable, kind_of, read_regular

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

# No coding file a person made is near this; a larger one is refused before it is read.
MAX_FILE_BYTES = 256 * 1024 * 1024
# A zip member may not expand past this, nor the whole archive, nor by more than this ratio.
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The whole file, refused unless it is a regular file no larger than ``limit``."""
    name = os.fspath(path)
    try:
        return read_regular(name, limit)
    except NotReadable as exc:
        raise FormatError(name, "", exc.reason) from None


def parse_xml(data: bytes, file: str) -> Element:
    """Parse XML with entity declarations, DTDs and external references refused."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        what = {
            "DTDForbidden": "a document type declaration (DTD)",
            "EntitiesForbidden": "an entity declaration",
            "ExternalReferenceForbidden": "a reference to an external file or address",
        }.get(type(exc).__name__, "a construct that can expand without bound")
        raise FormatError(
            file, "", f"holds {what}; such files are refused (they can exhaust memory or reach out)"
        ) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise FormatError(
            file, f"line {line}, column {column}", f"not well-formed XML ({exc.msg})"
        ) from exc
    except (LookupError, ValueError) as exc:  # an encoding expat does not know or cannot read
        raise FormatError(file, "XML declaration", f"encoding cannot be read ({exc})") from exc


def read_zip_members(
    path: str | os.PathLike[str], wanted: set[str] | None = None
) -> dict[str, bytes]:
    """The members of a zip (or only ``wanted``), refusing bombs, links and odd names."""
    name = os.fspath(path)
    data = read_bytes(name)
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
        raise FormatError(name, "", f"not a readable zip archive ({exc})") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise FormatError(name, "", f"holds {len(infos):,} members; refused")
        out: dict[str, bytes] = {}
        total = 0
        for info in infos:
            if wanted is not None and info.filename not in wanted:
                continue
            if info.file_size > MAX_MEMBER_BYTES or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO
            ):
                raise FormatError(
                    name, f"member {info.filename!r}", "expands too far; refused as a zip bomb"
                )
            try:
                with archive.open(info) as member:
                    blob = member.read(MAX_MEMBER_BYTES + 1)
            except (
                zipfile.BadZipFile,
                zlib.error,
                NotImplementedError,  # a compression method zipfile lacks
                RuntimeError,  # an encrypted member
                OSError,
                EOFError,
                ValueError,
            ) as exc:
                raise FormatError(
                    name, f"member {info.filename!r}", f"cannot be read ({exc})"
                ) from exc
            if len(blob) > MAX_MEMBER_BYTES:
                raise FormatError(name, f"member {info.filename!r}", "expands too far; refused")
            total += len(blob)
            if total > MAX_MEMBER_BYTES:
                raise FormatError(name, "", "expands too far altogether; refused as a zip bomb")
            out[info.filename] = blob
        return out


def decode_text(data: bytes, file: str, encodings: tuple[str, ...] = ("utf-8",)) -> str:
    """Text in the first encoding that fits (a BOM decides first); else a FormatError."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            last = exc
    raise FormatError(
        file, f"byte {last.start}", f"not valid {' or '.join(encodings)} text ({last.reason})"
    )


def suffix(path: str | os.PathLike[str]) -> str:
    """The lower-case suffixes of a path, e.g. '.boris.gz'."""
    return "".join(Path(path).suffixes[-2:]).lower()


def read_head(path: str | os.PathLike[str], size: int) -> bytes:
    """The first ``size`` bytes of a regular file (gzip content decompressed), for sniffing."""
    import gzip

    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise FormatError(name, "", f"cannot be read ({exc.strerror or exc})") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FormatError(name, "", f"is {kind_of(info.st_mode)}, not a regular file")
        head = os.read(fd, size)
    except OSError as exc:
        raise FormatError(name, "", f"cannot be read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    if head.startswith(b"\x1f\x8b"):
        import io
        import zlib

        try:
            with gzip.GzipFile(fileobj=io.BytesIO(head)) as gz:
                return gz.read(size)
        except (OSError, EOFError, zlib.error):
            return head
    return head
