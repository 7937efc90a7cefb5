"""The main window: plots in the middle, Data / Network / Hyperparameters docks, menus and toolbar.

It wires the Experiment (what the user edits) to the TrainingController (what trains) and the
views (what is shown). It owns no experiment state of its own.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QActionGroup, QCloseEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from playground.core.presets import TOP_LEVEL, load_preset
from playground.core.training.snapshots import DataInfo, Snapshot
from playground.gui.actions import Actions, build_menus, build_toolbar
from playground.gui.autosave import Autosave
from playground.gui.builder import NetworkBuilder
from playground.gui.classify.forward_inspector import ForwardInspector, network_inputs
from playground.gui.classify.images import PREVIEW_IMAGES, preview_gallery
from playground.gui.classify.neuron_view import NeuronView
from playground.gui.concepts_dialog import ConceptsDialog
from playground.gui.experiment import Experiment
from playground.gui.file_actions import FileActions
from playground.gui.first_paint import after_first_paint
from playground.gui.gallery_launch import GalleryLauncher
from playground.gui.panels import DataPanel, HyperparametersPanel, NetworkPanel
from playground.gui.plots import DataPreview
from playground.gui.run_actions import RunActions
from playground.gui.run_dialogs import confirm_restart, offer_lower_learning_rate, show_failure
from playground.gui.run_status import RunStatus
from playground.gui.training_controller import TrainingController
from playground.gui.training_views import TrainingViews
from playground.gui.worker import LOADING_TORCH

DEFAULT_PRESET = "spiral-deep"
UNNAMED = next(p.default for p in TOP_LEVEL if p.name == "name")  # what a preset without a name is called
NEURON_FRAME_S = 0.5
DEVICES = ("auto", "cpu", "cuda", "mps")


class MainWindow(QMainWindow):
    def __init__(self, preset=None, path: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.experiment = Experiment(preset or load_preset(DEFAULT_PRESET), path, self)
        self.experiment.confirm_reset = lambda: confirm_restart(self)  # pauses while it asks
        self.controller = TrainingController(self)
        self.files = FileActions(self, self.experiment)
        self.run_actions = RunActions(self)
        self.autosave = Autosave(self)
        self.actions = Actions(self)
        self.menus = build_menus(self, self.actions)
        self.toolbar, self.progress, self.progress_label = build_toolbar(self, self.actions)
        self.run_status = RunStatus(self)  # the load's progress in the status bar, the end-of-run banner
        self._build_views()
        self._build_docks()
        self._build_status_bar()
        self._connect()
        self.gallery = GalleryLauncher(self)  # File → Open Bundled Preset…, and the first-launch welcome
        self._restore_settings()
        self._update_title()
        self._update_runnable()
        self._loaded_once = False

    # ---- construction --------------------------------------------------------------------------
    def _build_views(self) -> None:
        self.training_views = views = TrainingViews(self)
        self.boundary_plot, self.loss_plot, self.image_tabs = views.boundary_plot, views.loss_plot, views.image_tabs
        self.central_views = views.stack
        self.builder = NetworkBuilder(self.experiment, self)
        self.central_tabs = QTabWidget(self)
        self.central_tabs.setObjectName("centralTabs")
        self.central_tabs.setDocumentMode(True)
        page = QWidget(self)  # the end-of-run banner (hidden until a run ends) above the plots
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.run_status.banner)
        column.addWidget(views, 1)
        self.central_tabs.addTab(page, self.tr("Training"))
        self.central_tabs.addTab(self.builder, self.tr("Network builder"))
        self.setCentralWidget(self.central_tabs)
        edit_menu = self.menus["edit"]
        edit_menu.addSeparator()
        for name in ("cut", "copy", "paste", "duplicate", "delete", "move_up", "move_down"):
            edit_menu.addAction(self.builder.edit_actions[name])
        # Space is Start/Pause: keep keyboard focus off widgets that would take the key themselves
        self.boundary_plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.boundary_plot.setFocus()

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        self.menus["view"].addAction(dock.toggleViewAction())
        return dock

    def _build_docks(self) -> None:
        self.data_panel = DataPanel(self.experiment, self)
        self.data_preview = DataPreview(self)
        self.data_panel.preview_area.addWidget(self.data_preview)
        self.preview_gallery = preview_gallery(self)  # image datasets: a few samples instead of the scatter
        self.preview_gallery.hide()
        self.data_panel.preview_area.addWidget(self.preview_gallery)
        self.network_panel = NetworkPanel(self.experiment, self)
        self.hyper_panel = HyperparametersPanel(self.experiment, self)
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        self.data_dock = self._dock("dataDock", self.tr("Data"), self.data_panel, left)
        self.network_dock = self._dock("networkDock", self.tr("Network"), self.network_panel, left)
        self.hyper_dock = self._dock("hyperparametersDock", self.tr("Hyperparameters"), self.hyper_panel,
                                     Qt.DockWidgetArea.RightDockWidgetArea)
        self.neuron_view = NeuronView(self)
        self.forward_inspector = ForwardInspector(self)
        self.neurons_dock = self._dock("neuronsDock", self.tr("Neurons"), self.neuron_view,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.forward_dock = self._dock("forwardDock", self.tr("Forward pass"), self.forward_inspector,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.neurons_dock, self.forward_dock)
        self.neurons_dock.raise_()
        self.resizeDocks([self.hyper_dock, self.neurons_dock], [330, 470], Qt.Orientation.Vertical)
        self.menus["view"].addSeparator()
        self.menus["view"].addAction(self.toolbar.toggleViewAction())
        self.resizeDocks([self.data_dock, self.hyper_dock], [330, 370], Qt.Orientation.Horizontal)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.step_label = QLabel(self)
        self.step_label.setObjectName("stepLabel")
        self.epoch_label = QLabel(self)
        self.epoch_label.setObjectName("epochLabel")
        self.rate_label = QLabel(self)
        self.rate_label.setObjectName("rateLabel")
        self.device_label = QLabel(self)
        self.device_label.setObjectName("deviceLabel")
        for label in (self.step_label, self.epoch_label, self.rate_label, self.device_label):
            label.setMinimumWidth(110)
            bar.addPermanentWidget(label)
        self._show_progress(0, self.experiment.preset.training.get("steps") or 0, 0.0, 0.0)
        self.device_label.setText(self.tr("Device: {device}").format(device=self.experiment.preset.device))

    def _connect(self) -> None:
        a = self.actions
        a.new.triggered.connect(self._on_new)
        a.open.triggered.connect(self.files.ask_open)
        a.save.triggered.connect(self.files.save)
        a.save_as.triggered.connect(self.files.save_as)
        a.export.triggered.connect(self.run_actions.ask_export)
        a.save_session.triggered.connect(self.run_actions.ask_save_session)
        a.open_session.triggered.connect(self.run_actions.ask_open_session)
        self.controller.session_loaded.connect(self._on_session_loaded)
        a.quit.triggered.connect(self.close)
        a.start.triggered.connect(self.controller.start)
        a.pause.triggered.connect(self.controller.pause)
        a.step.triggered.connect(self.controller.single_step)
        a.reset.triggered.connect(self._on_reset)
        a.concepts.triggered.connect(self._on_concepts)
        a.follow_undo_stack(self.experiment)
        a.show_builder.triggered.connect(lambda: self.central_tabs.setCurrentWidget(self.builder))
        a.show_training.triggered.connect(lambda: self.central_tabs.setCurrentIndex(0))
        a.about.triggered.connect(self._on_about)
        self.menus["recent"].aboutToShow.connect(self._fill_recent_menu)
        self.menus["device"].aboutToShow.connect(self._fill_device_menu)
        self.experiment.changed.connect(self._on_experiment_changed)
        self.experiment.file_changed.connect(self._update_title)
        self.controller.running_changed.connect(self._on_running_changed)
        self.controller.start_pending_changed.connect(self._on_running_changed)
        self.controller.data_loaded.connect(self._on_data_loaded)
        self.controller.snapshot.connect(self._on_snapshot)
        self.controller.failed.connect(self._on_failed)
        self.controller.feature_maps_ready.connect(self.image_tabs.show_feature_maps)
        self.image_tabs.feature_maps_requested.connect(self.controller.request_feature_maps)
        self.neuron_view.unit_hovered.connect(self._on_unit_hovered)
        self.neuron_view.unit_left.connect(self.boundary_plot.clear_unit_map)
        self.forward_inspector.trace_requested.connect(self.controller.request_trace)
        self.controller.trace_ready.connect(self.forward_inspector.show_trace)
        self.controller.view_reply.connect(self.training_views.on_view_reply)
        self.training_views.view_request.connect(self.controller.view_request)
        self.boundary_plot.point_clicked.connect(self.forward_inspector.point_clicked)
        self.preview_gallery.image_clicked.connect(lambda index: self.image_tabs.pick("train", index))

    # ---- experiment -> training ----------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._loaded_once:  # after the first paint: torch loads on the worker while the window shows
            self._loaded_once = True
            after_first_paint(self, lambda: (self._load_run(), QTimer.singleShot(30, self.autosave.start)))

    def _load_run(self) -> None:
        self.loss_plot.clear()
        self._update_runnable()
        if self.experiment.runnable:
            self.controller.load(self.experiment.preset)

    def _on_experiment_changed(self, section: str) -> None:
        if getattr(self, "_adopting_session", False):
            self._update_runnable()
            return
        if section == "training":
            self.controller.update_training(self.experiment.preset.training)
        elif section != "meta":
            self._load_run()
        self._update_runnable()

    def _on_reset(self) -> None:
        self.loss_plot.clear()
        self.controller.reset()

    # ---- training -> views ---------------------------------------------------------------------
    def _on_data_loaded(self, info: DataInfo) -> None:
        shown = self.training_views.show_data(info)
        self._show_inspection_docks(shown != "task")
        self.data_preview.setVisible(shown == "points")
        self.preview_gallery.setVisible(shown == "images")
        if shown == "images":
            self.preview_gallery.set_gallery(info.samples, limit=PREVIEW_IMAGES)
        elif shown == "points":
            self.data_preview.set_data(info)
            self.forward_inspector.set_inputs(*network_inputs(self.experiment.preset.dataset, info.input_shape,
                                                              info.extent is not None))
        self.neuron_view.clear_network(self.tr("The neuron view shows dense networks on 2-D data (up to 8 hidden "
                                               "layers of up to 16 units)."))
        self.device_label.setText(self.tr("Device: {device}").format(device=info.device))
        self.hyper_panel.set_training_samples(len(info.y_train))
        self._update_runnable()

    def _show_inspection_docks(self, wanted: bool) -> None:
        """GAN and VAE views take the room of the single-network Neurons/Forward-pass docks; only
        docks hidden here come back."""
        hidden = self.__dict__.setdefault("_auto_hidden", set())
        for dock in (self.neurons_dock, self.forward_dock):
            if not wanted and not dock.isHidden() and not dock.isFloating():
                dock.hide()
                hidden.add(dock)
            elif wanted and dock in hidden:
                dock.show()
                hidden.discard(dock)
        if wanted and not self.neurons_dock.isHidden():
            self.neurons_dock.raise_()

    def _on_snapshot(self, snap: Snapshot) -> None:
        self.training_views.show_snapshot(snap)
        if snap.neurons is not None and self._neurons_due(snap.running):
            self.neuron_view.set_network(snap.neurons, snap.weights, snap.extent)
            if self.neuron_view.hovered() is not None:  # keep the big map live while hovering
                self._on_unit_hovered(*self.neuron_view.hovered())
        self._show_progress(snap.step, snap.total_steps, snap.epoch, snap.steps_per_s)
        if snap.status == "diverged":
            offer_lower_learning_rate(self, snap.message)
        self._update_runnable()  # the end of a run: RunStatus shows its banner

    def _on_unit_hovered(self, layer: int, unit: int) -> None:
        values = self.neuron_view.unit_map(layer, unit)
        if values is not None:
            self.boundary_plot.show_unit_map(values, self.neuron_view.extent())

    def _neurons_due(self, running: bool) -> bool:
        """The neuron view redraws ~70 small images: at most twice a second while training (the last
        frame on pause or finish always), and never while its dock is hidden."""
        if not self.neuron_view.isVisible():
            return False
        now = time.monotonic()
        if running and now - getattr(self, "_neurons_drawn", 0.0) < NEURON_FRAME_S:
            return False
        self._neurons_drawn = now
        return True

    def _show_progress(self, step: int, total: int, epoch: float, rate: float) -> None:
        self.step_label.setText(self.tr("Step {step}").format(step=f"{step:,}"))
        self.epoch_label.setText(self.tr("Epoch {epoch}").format(epoch=f"{epoch:.2f}"))
        self.rate_label.setText(self.tr("{rate} steps/s").format(rate=f"{rate:,.0f}"))
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(step, max(total, 1)))
        self.progress_label.setText(self.tr("{step} / {total} steps").format(step=f"{step:,}", total=f"{total:,}"))

    def _on_running_changed(self, _state: bool = False) -> None:
        # a Start pressed while the run loads shows Pause at once (which cancels it)
        self.actions.set_running(self.controller.running or self.controller.start_pending)
        self._update_runnable()

    def _on_failed(self, message: str, details: str) -> None:
        show_failure(self, message, details)
        self._update_runnable()

    def _update_runnable(self) -> None:
        why = "\n".join(str(p) for p in self.experiment.problems)
        self.actions.show_run_state(self.experiment.runnable, why, self.controller)

    # ---- menus ---------------------------------------------------------------------------------
    def _on_new(self) -> None:
        if self.files.maybe_save():
            self.experiment.replace(load_preset(DEFAULT_PRESET), None)

    def _fill_recent_menu(self) -> None:
        menu = self.menus["recent"]
        menu.clear()
        recent = self.files.recent()
        for path in recent:
            action = menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.files.maybe_save() and self.files.open_path(p))
        if not recent:
            menu.addAction(self.tr("(no recent presets)")).setEnabled(False)

    def _fill_device_menu(self) -> None:
        menu = self.menus["device"]
        menu.clear()
        group = QActionGroup(menu)
        available = {"auto": True, "cpu": True, "cuda": False, "mps": False}
        if self.controller.stage not in ("", LOADING_TORCH):  # the worker has imported PyTorch: asking is free
            import torch

            available.update(cuda=torch.cuda.is_available(), mps=getattr(torch.backends, "mps", None) is not None
                             and torch.backends.mps.is_available())
        for device in DEVICES:
            action = menu.addAction(device)
            action.setCheckable(True)
            action.setChecked(self.experiment.preset.device == device)
            action.setEnabled(available[device])
            group.addAction(action)
            action.triggered.connect(lambda _=False, d=device: self.experiment.edit(
                "device", lambda doc: doc.update(device=d)))

    def open_session(self, folder: str) -> None:
        """Continue a saved run: the worker loads it, then ``_on_session_loaded`` adopts its preset."""
        self.controller.load_session(folder)

    def _on_session_loaded(self, preset, folder: str) -> None:
        self.loss_plot.clear()
        self._adopting_session = True
        try:
            self.experiment.replace(preset, None)  # the panels follow; the loaded run is kept
        finally:
            self._adopting_session = False
        self.statusBar().showMessage(self.tr("Continuing the session from {folder}").format(folder=folder), 8000)

    def _on_concepts(self) -> None:
        dialog = ConceptsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _on_about(self) -> None:
        from playground import __version__

        QMessageBox.about(self, self.tr("About Neural Playground"), self.tr(
            "<h3>Neural Playground {version}</h3><p>Build neural networks, train them live and see what they "
            "learn.</p><p>PyTorch, PySide6 and pyqtgraph.</p>").format(version=__version__))

    def _update_title(self) -> None:
        """The preset's name, whether it came bundled or from a file (a nameless file: its stem)."""
        name, path = self.experiment.preset.name, self.experiment.path
        if path is not None and name in ("", UNNAMED):
            name = path.stem
        self.setWindowTitle(f"{name}[*] — Neural Playground")
        self.setWindowModified(self.experiment.dirty)

    # ---- settings and shutdown -----------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 880)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.files.maybe_save():
            event.ignore()
            return
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        self.autosave.finish()  # saves once more (the session on the worker, before it stops)
        self.controller.shutdown()
        event.accept()
