"""Playback behind one protocol: a libVLC backend and a QtMultimedia backend."""
