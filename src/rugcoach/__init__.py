"""rugcoach — a day-by-day back rehabilitation coach for the terminal."""

__version__ = "0.1.0"
