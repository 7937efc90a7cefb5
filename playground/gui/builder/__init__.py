"""The visual network builder (palette, canvas, properties, summary); see :mod:`builder_view`."""

from playground.gui.builder.builder_view import NetworkBuilder

__all__ = ["NetworkBuilder"]
