"""MotCua: one-stop administrative procedure platform."""

__version__ = "0.1.0"
