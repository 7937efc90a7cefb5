"""The Training tab: the run's main picture above the loss plot.

The main picture depends on the task: the decision-boundary plot for 2-D data, the image tabs for
image classification, or a task's own view (GAN, VAE; see :mod:`task_views`), built when first
needed and kept. The window forwards data and snapshots here; this widget decides who draws them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QStackedWidget, QWidget

from playground.core.training.snapshots import DataInfo, Snapshot
from playground.gui.classify.images import ImageTabs
from playground.gui.plots import BoundaryPlot, LossPlot
from playground.gui.task_views import task_view_class


class TrainingViews(QSplitter):
    view_request = Signal(str, object)  # a task view asks its trainer something (see task_views)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("plotSplitter")
        self.boundary_plot = BoundaryPlot(self)
        self.loss_plot = LossPlot(self)
        self.image_tabs = ImageTabs(self)  # instead of the boundary plot for image classification
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.boundary_plot)
        self.stack.addWidget(self.image_tabs)
        self.task_views: dict[str, QWidget] = {}
        self.addWidget(self.stack)
        self.addWidget(self.loss_plot)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setChildrenCollapsible(False)
        self.setSizes([560, 340])

    def task_view(self, task: str) -> QWidget | None:
        """The GAN or VAE view (built on first use), or None for tasks drawn by the boundary plot
        and the image tabs."""
        view_class = task_view_class(task)
        if view_class is None:
            return None
        if task not in self.task_views:
            view = view_class(self)
            view.request.connect(self.view_request)
            self.task_views[task] = view
            self.stack.addWidget(view)
        return self.task_views[task]

    def current_task_view(self) -> QWidget | None:
        view = self.stack.currentWidget()
        return view if view in self.task_views.values() else None

    def show_data(self, info: DataInfo) -> str:
        """Show a freshly loaded run; returns what draws it: "task", "images" or "points"."""
        self.loss_plot.set_run_length(info.total_steps)
        view = self.task_view(info.task)
        if view is not None:
            self.stack.setCurrentWidget(view)
            view.set_data(info)
            return "task"
        if info.task == "image_classification":
            self.stack.setCurrentWidget(self.image_tabs)
            self.image_tabs.set_data(info)
            return "images"
        self.stack.setCurrentWidget(self.boundary_plot)
        self.boundary_plot.set_data(info)
        return "points"

    def show_snapshot(self, snap: Snapshot) -> None:
        if len(snap.steps):
            self.loss_plot.append_steps(snap.steps, snap.batch_losses)
        if snap.evaluations:
            self.loss_plot.add_evaluations(snap.evaluations)
        for step, text in snap.events:
            self.loss_plot.add_marker(step, text)
        if snap.surface is not None:
            self.boundary_plot.set_surface(snap.surface, snap.extent)
        view = self.current_task_view()
        if view is not None:  # every snapshot: its per-step figures feed the view's curves
            view.show_snapshot(snap)
        else:
            self.image_tabs.show_snapshot(snap)

    def on_view_reply(self, name: str, result) -> None:
        view = self.current_task_view()
        if view is not None:
            view.on_reply(name, result)
