"""The Qt desktop app (built on playground.core)."""
