"""``python -m vfa``: the same as the ``vfa`` command."""

import sys

from vfa.cli.main import main

sys.exit(main())
