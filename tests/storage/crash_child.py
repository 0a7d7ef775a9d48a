"""A coder's burst of edits, run as a child process that the test kills with SIGKILL.

Before each edit it prints ``try KIND KEY VALUE``, after the service returned
``ack KIND KEY VALUE``: an acknowledged edit is one VFA told the coder it had stored.
Usage: crash_child.py WORKSPACE CLIP_ID KIPS_RUN VIG_RUN MOMENT_ID SEED
"""

from __future__ import annotations

import random
import sys


def main() -> None:
    from vfa.media.probe import probe
    from vfa.services import coding, events, moments
    from vfa.services.schemes import get_scheme
    from vfa.storage.models import Clip
    from vfa.storage.workspace import open_workspace

    path, clip_id, kips_run, vig_run, moment_id, seed = sys.argv[1:7]
    ws = open_workspace(path)
    with ws.sessions() as db:
        table = probe(db.get_one(Clip, int(clip_id)).path).frame_table
    kips, vig = get_scheme("kips"), get_scheme("vig")
    items = [i.id for i in kips.ratings.items] if kips.ratings else []
    codes = [c.id for c in vig.ethogram.codes] if vig.ethogram else []
    rng = random.Random(int(seed))
    out = sys.stdout
    n = 0
    while True:
        n += 1
        kind = rng.choice(("event", "rating", "caption"))
        if kind == "event":
            code = rng.choice(codes)
            at = rng.randrange(0, table.duration_ms)
            out.write(f"try event {code} {at}\n")
            out.flush()
            made = events.code_event(ws, int(vig_run), vig, code, None, at, table)
            out.write(f"ack event {made.event.id} {code}\n")
        elif kind == "rating":
            item = rng.choice(items)
            value = rng.randint(1, 5)
            out.write(f"try rating {item} {value}\n")
            out.flush()
            coding.set_rating(ws, int(kips_run), kips, item, value)
            out.write(f"ack rating {item} {value}\n")
        else:
            text = f"caption-{seed}-{n}"
            out.write(f"try caption {moment_id} {text}\n")
            out.flush()
            moments.edit_moment(ws, int(moment_id), caption=text)
            out.write(f"ack caption {moment_id} {text}\n")
        out.flush()


if __name__ == "__main__":
    main()
