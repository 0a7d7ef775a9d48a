"""Alembic migrations of the workspace schema (run on open by vfa.storage.workspace)."""
