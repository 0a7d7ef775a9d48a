"""Reading the shared ELAN sample, ``../shared/interop/eaf/sample_2.7.eaf`` (8,778
annotations, 6 tiers): the issue's figure is that the file is previewed and imported in
<= 1 s altogether, so the read alone should be well under that. Writing it back as EAF 3.0
is timed too. Run: ``.venv/bin/python -m bench.bench_eaf``.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from bench.common import median
from vfa.io.eaf import read_eaf
from vfa.io.eaf_write import write_eaf

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "interop" / "eaf" / "sample_2.7.eaf"
RUNS = 7


def main() -> None:
    if not SAMPLE.exists():
        sys.exit(f"the shared sample is not at {SAMPLE}")
    reads, cpu, writes = [], [], []
    for _ in range(RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        doc = read_eaf(SAMPLE)
        reads.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        started = time.perf_counter()
        write_eaf(doc, io.BytesIO(), Path("bench.eaf"))
        writes.append(time.perf_counter() - started)
    events = len(doc.observations[0].events)
    modifiers = sum(len(e.modifiers) for e in doc.observations[0].events)
    print(
        f"read sample_2.7.eaf ({events:,} events + {modifiers:,} modifiers = "
        f"{events + modifiers:,} annotations): median {median(reads):.3f} s "
        f"(CPU {median(cpu):.3f} s), worst {max(reads):.3f} s over {RUNS} runs "
        "(preview + import target <= 1 s)"
    )
    print(f"write it as EAF 3.0: median {median(writes):.3f} s over {RUNS} runs")


if __name__ == "__main__":
    main()
