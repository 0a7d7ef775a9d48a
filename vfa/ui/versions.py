"""The versions a window holds (``services/versions.py``): the version each view read of
what it shows, which the window's edits say they were made on, and what the window's own
edits wrote, chained, so that an undo says the version its command left and is refused
when anyone else wrote since."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

from vfa.services.versions import ABSENT, Key, Written


class HeldVersions:
    """What the window read and wrote. Each run of the window's own writes to one key,
    each taking up the version the last one left, is a chain; an edit made on a version
    the window did not write (it read someone else's change) starts a new chain, and the
    undo of a command of an older chain then says a version that is no longer stored."""

    def __init__(self) -> None:
        self._seen: dict[Key, int] = {}
        self._when: dict[Key, float] = {}  # when each was last read or written (monotonic)
        self._own: dict[Key, tuple[int, int]] = {}  # key -> (version written, chain)
        self._chains: dict[int, int] = {}  # chain -> the version it last wrote
        self._next = 0

    def seen(self, key: Key) -> int:
        """The version the views hold (0: not stored, or never read)."""
        return self._seen.get(key, ABSENT)

    def newer(self, keys: Iterable[Key], than: float) -> bool:
        """Whether any of the keys was read or written after ``than`` (time.monotonic):
        what the window holds of it is at least as new as a look begun then."""
        return any(self._when.get(key, 0.0) > than for key in keys)

    def under(self, prefix: Key) -> dict[Key, int]:
        """The versions held of one kind (a run's ratings: ``("rating", run)``)."""
        return {k: v for k, v in self._seen.items() if k[: len(prefix)] == prefix}

    def load(self, versions: Mapping[Key, int]) -> None:
        """Versions a view read."""
        self._seen.update(versions)
        now = time.monotonic()
        self._when.update(dict.fromkeys(versions, now))

    def load_under(self, prefix: Key, versions: Mapping[Key, int]) -> None:
        """All the versions of one kind a view read (a run's ratings): the keys under
        ``prefix`` it did not find are no longer stored."""
        size = len(prefix)
        gone = {key: ABSENT for key in self._seen if key[:size] == prefix and key not in versions}
        self.load(gone | dict(versions))

    def wrote(self, written: Iterable[Written]) -> dict[Key, int]:
        """The window's own writes: each key's chain."""
        chains: dict[Key, int] = {}
        for w in written:
            own = self._own.get(w.key)
            if own is not None and own[0] == w.before:
                chain = own[1]
            else:
                self._next += 1
                chain = self._next
            self._own[w.key] = (w.after, chain)
            self._chains[chain] = w.after
            self._seen[w.key] = w.after
            self._when[w.key] = time.monotonic()
            chains[w.key] = chain
        return chains

    def expected(self, chain: int) -> int:
        """The version the chain's last write left."""
        return self._chains[chain]

    def clear(self) -> None:
        """Another workspace: nothing held."""
        self._seen.clear()
        self._when.clear()
        self._own.clear()
        self._chains.clear()
