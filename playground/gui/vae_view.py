"""The VAE task's central view (the main window finds it here through ``task_views``)."""

from playground.gui.vae.view import VaeView

__all__ = ["VaeView"]
