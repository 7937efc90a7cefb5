"""The VAE's central view: reconstructions, traversals, the latent map, sliders, samples and loss terms.

:class:`~playground.gui.vae.view.VaeView` is the widget the main window shows for a VAE run (re-exported by
``playground.gui.task_views``); the other modules are its parts. Everything drawn here was computed by
``playground.core.tasks.vae.views`` on the worker thread.
"""
