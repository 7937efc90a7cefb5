"""Dock panels: each edits one section of the experiment through :meth:`Experiment.edit`."""

from playground.gui.panels.data_panel import DataPanel
from playground.gui.panels.hyperparameters_panel import HyperparametersPanel
from playground.gui.panels.network_panel import NetworkPanel

__all__ = ["DataPanel", "HyperparametersPanel", "NetworkPanel"]
