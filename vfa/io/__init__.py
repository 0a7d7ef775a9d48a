"""Other tools' files in and out: one module per format over a neutral document.

Pure Python: no Qt, no database (tests/unit/test_layers.py). Services map a
:class:`~vfa.io.document.Document` onto a workspace; the CLI and the window call them.
"""
