"""The sampled fingerprint and the full content hash of the 20-minute clip, with the file
first evicted from the page cache (where the system allows) and then cached.

Run: ``.venv/bin/python -m bench.bench_content_hash``.
"""

from __future__ import annotations

import os
import time

from bench.common import long_clip, median
from vfa.media.fingerprint import content_hash, fingerprint


def _evict(path: str) -> bool:
    """Drop the file's pages from the page cache; False where that is not possible."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    return True


def _timed(fn, path: str) -> float:
    started = time.perf_counter()
    fn(path)
    return time.perf_counter() - started


def main() -> None:
    path = str(long_clip())
    mib = os.path.getsize(path) / 2**20
    cold, warm = [], []
    for _ in range(5):
        if _evict(path):
            cold.append(_timed(content_hash, path))
        warm.append(_timed(content_hash, path))
    sampled = [_timed(fingerprint, path) for _ in range(5)]
    print(f"{os.path.basename(path)}: {mib:.1f} MiB")
    print(f"sampled fingerprint: median {median(sampled) * 1000:.1f} ms")
    if cold:
        print(
            f"content hash, not cached: median {median(cold):.2f} s "
            f"({mib / median(cold):.0f} MiB/s)"
        )
    print(f"content hash, cached: median {median(warm):.2f} s ({mib / median(warm):.0f} MiB/s)")


if __name__ == "__main__":
    main()
