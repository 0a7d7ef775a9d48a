"""Writing an export file whole or not at all, through the one safe writer
(``vfa.outputs``): a private staging file beside the target, moved into place; a link,
a folder, a device or an existing file is refused (the last unless ``force``)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from vfa import outputs
from vfa.services.export_selection import ExportError


def check_target(path: str | os.PathLike[str], force: bool) -> Path:
    """Where an export may be written, or an OutputError saying why not."""
    return outputs.check_target(path, force=force)


@contextlib.contextmanager
def staged_file(path: str | os.PathLike[str], force: bool) -> Iterator[BinaryIO]:
    """A binary stream to write the export into; it becomes ``path`` when the block
    succeeds, and nothing is left behind when it fails."""
    with outputs.staged(path, force=force) as staging:
        try:
            with open(staging, "wb") as fh:  # flushed to disk when it is moved into place
                yield fh
        except OSError as exc:
            raise ExportError(f"{path}: could not be written ({exc.strerror or exc})") from None
