"""PySide6 widgets: thin shells over the services."""
