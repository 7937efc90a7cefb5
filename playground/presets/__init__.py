"""Bundled experiment presets (JSON), installed as the package ``playground.presets``."""
