"""VFA: Video Feedback Annotator."""

__version__ = "0.1.0"
