"""10,000 damaged files through the whole import (read, plan, write): each must be imported
whole or refused with a message naming the file, never a traceback, and a refused import
must leave the workspace exactly as it was (targets: 0 tracebacks, 0 partial imports).
Samples: the shared BORIS, Datavyu and Observer XT files and a small ELAN file (when
../shared/interop is there) and VFA's own CSV. Damage: truncation, flipped bytes, inserted
garbage, absurd or swapped numbers, another encoding.
Run: ``.venv/bin/python -m bench.bench_fuzz [FILES]``.
"""

from __future__ import annotations

import hashlib
import random
import re
import sqlite3
import sys
import tempfile
import time
import traceback
from contextlib import closing, suppress
from pathlib import Path

from vfa.errors import VfaError

ROOT = Path(__file__).resolve().parents[1]
INTEROP = ROOT.parent / "shared" / "interop"
ABSURD = [b"-1", b"NaN", b"1e309", b"99999999999999999999", b"", b"x", b"86400001", b"=1"]
NUMBER = re.compile(rb"\d+(?:\.\d+)?")


def samples() -> dict[str, bytes]:
    """Small good files of each format the import reads."""
    from tests.services.test_imports import FUZZ_SAMPLE

    found = {"vfa.csv": FUZZ_SAMPLE}
    for name in ("boris/test.boris", "datavyu/simple2.opf", "otx/otx_parser_test.otx"):
        if (INTEROP / name).is_file():
            found[Path(name).name] = (INTEROP / name).read_bytes()
    eaf = ROOT / "tests" / "io" / "eaf_files.py"
    if eaf.is_file():
        from tests.io import eaf_files

        text = getattr(eaf_files, "EAF_30", None) or getattr(eaf_files, "EAF_28", None)
        if isinstance(text, str):
            found["small.eaf"] = text.encode("utf-8")
    return found


def damage(data: bytes, rng: random.Random) -> bytes:
    """One to three kinds of damage, as the world does it."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["cut", "flip", "garbage", "number", "swap", "encoding"])
        if kind == "cut" and data:
            data = data[: rng.randrange(len(data))]
        elif kind == "flip" and data:
            at = rng.randrange(len(data))
            data = data[:at] + bytes([data[at] ^ rng.randint(1, 255)]) + data[at + 1 :]
        elif kind == "garbage":
            at = rng.randint(0, len(data))
            data = (
                data[:at]
                + rng.choice([b"\x00", b"<", b"&", b"]]>", b"\xff\xfe", b"\n"])
                + data[at:]
            )
        elif kind in ("number", "swap"):
            numbers = list(NUMBER.finditer(data))
            if numbers:
                m = rng.choice(numbers)
                new = rng.choice(ABSURD) if kind == "number" else rng.choice(numbers).group()
                data = data[: m.start()] + new + data[m.end() :]
        elif kind == "encoding":
            with suppress(UnicodeDecodeError):
                data = data.decode("utf-8").encode(
                    rng.choice(["latin-1", "utf-16", "cp1252"]), "replace"
                )
    return data


def state(path: Path) -> str:
    """Every row of every table, as a digest."""
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as raw:
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in sorted(tables):
            for row in raw.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def main() -> int:
    from vfa.media.synth import make_clip
    from vfa.services.clips import add_clip
    from vfa.services.import_writes import run_import, undo_import
    from vfa.services.imports import ImportOptions, plan_import
    from vfa.storage.workspace import open_workspace

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(10)
    good = samples()
    names = sorted(good)
    tracebacks: list[str] = []
    partial: list[str] = []
    imported = refused = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clip = make_clip(folder / "cfr25.mp4", seconds=6, rate=25, gop=50)
        ws = open_workspace(folder / "fuzz.vfa", create=True)
        clip_id = add_clip(ws, clip, "FAM-1", "Visit 1").clip_id
        t0 = time.perf_counter()
        for n in range(count):
            name = names[n % len(names)]
            path = folder / f"{n % 7}-{name}"
            path.write_bytes(damage(good[name], rng))
            before = state(ws.path)
            try:
                plan = plan_import(ws, path, ImportOptions(clip_id=clip_id, coder=f"F{n}"))
                result = run_import(ws, plan)
            except VfaError as exc:
                refused += 1
                if not str(exc).startswith(str(path)) and str(path) not in str(exc):
                    tracebacks.append(f"{name} #{n}: message without the file: {exc}")
                if state(ws.path) != before:
                    partial.append(f"{name} #{n}: {exc}")
            except Exception:
                tracebacks.append(f"{name} #{n}: {traceback.format_exc(limit=3)}")
            else:
                imported += 1
                undo_import(ws, result.batch)
            if (n + 1) % 1000 == 0:
                print(f"  {n + 1} files, {time.perf_counter() - t0:.0f} s", flush=True)
        ws.close()
    print(
        f"{count} damaged files ({', '.join(names)}): {imported} imported whole, {refused} "
        f"refused; {len(tracebacks)} tracebacks (target 0), {len(partial)} partial imports "
        "(target 0)"
    )
    for line in (tracebacks + partial)[:20]:
        print(line)
    return 1 if tracebacks or partial else 0


if __name__ == "__main__":
    sys.exit(main())
