"""The installer's entry point: the same as the ``vfa`` command (no arguments: the window).

A frozen VFA has no ``python``, so ``sys.executable`` is this program: a module VFA runs in
a process of its own as ``sys.executable -m MODULE ARGS…`` (the demo's scenes) is run
here as Python would run it."""

import runpy
import sys


def main() -> int:
    if len(sys.argv) >= 3 and sys.argv[1] == "-m":
        module = sys.argv[2]
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    from vfa.cli import main as vfa_main

    return vfa_main()


if __name__ == "__main__":
    sys.exit(main())
