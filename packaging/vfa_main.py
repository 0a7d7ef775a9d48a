"""The installer's entry point: the same as the ``vfa`` command (no arguments: the window)."""

import sys

from vfa.cli import main

if __name__ == "__main__":
    sys.exit(main())
