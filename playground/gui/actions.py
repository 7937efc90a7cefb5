"""The window's actions, menus and toolbar, with stable objectNames that tests and tools rely on."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QProgressBar, QStyle, QToolBar


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class Actions:
    """Creates every QAction once; the window connects them to its handlers."""

    def __init__(self, window: QMainWindow) -> None:
        style = window.style()

        def make(name: str, text: str, shortcut=None, icon=None, tip: str = "") -> QAction:
            action = QAction(text, window)
            action.setObjectName(name)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                action.setIcon(style.standardIcon(icon))
            if tip:
                action.setToolTip(tip)
                action.setStatusTip(tip)
            window.addAction(action)  # shortcuts work even when the toolbar is hidden
            return action

        P = QStyle.StandardPixmap
        self.new = make("actionNew", _tr("&New"), QKeySequence.StandardKey.New, P.SP_FileIcon,
                        _tr("Start a new experiment from the default preset"))
        self.open = make("actionOpenPreset", _tr("&Open Preset…"), QKeySequence.StandardKey.Open,
                         P.SP_DialogOpenButton, _tr("Open a preset file"))
        # the preset gallery (gallery_launch.GalleryLauncher connects it); "Presets" on the toolbar
        self.open_gallery = make("actionOpenGallery", _tr("Open &Bundled Preset…"), "Ctrl+Shift+O",
                                 P.SP_FileDialogContentsView,
                                 _tr("Browse the bundled presets by family, with a picture of each (Ctrl+Shift+O)"))
        self.open_gallery.setIconText(_tr("Presets"))
        self.save = make("actionSavePreset", _tr("&Save Preset"), QKeySequence.StandardKey.Save,
                         P.SP_DialogSaveButton, _tr("Save the experiment as a preset file"))
        self.save_as = make("actionSavePresetAs", _tr("Save Preset &As…"), QKeySequence.StandardKey.SaveAs)
        self.export = make("actionExport", _tr("&Export…"), "Ctrl+E", None,
                           _tr("Export the trained network: ONNX, TorchScript, weights or readable PyTorch code"))
        self.save_session = make("actionSaveSession", _tr("Save Sess&ion…"), None, None,
                                 _tr("Save the run (weights, optimiser, random state, history) to continue it later"))
        self.open_session = make("actionOpenSession", _tr("Open Sessio&n…"), None, None,
                                 _tr("Continue a saved run exactly where it stopped"))
        self.quit = make("actionQuit", _tr("&Quit"), QKeySequence.StandardKey.Quit)
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.start = make("actionStart", _tr("&Start"), Qt.Key.Key_Space, P.SP_MediaPlay,
                          _tr("Start or resume training (Space)"))
        self.pause = make("actionPause", _tr("&Pause"), Qt.Key.Key_Space, P.SP_MediaPause,
                          _tr("Pause training (Space)"))
        self.pause.setVisible(False)
        self.step = make("actionStep", _tr("S&tep"), "Ctrl+Right", P.SP_MediaSkipForward,
                         _tr("Train exactly one step (Ctrl+Right)"))
        self.reset = make("actionReset", _tr("&Reset"), "Ctrl+R", P.SP_BrowserReload,
                          _tr("Back to step 0 with the same initial weights (Ctrl+R)"))
        self.undo = make("actionUndo", _tr("&Undo"), QKeySequence.StandardKey.Undo, None)
        self.redo = make("actionRedo", _tr("&Redo"), QKeySequence.StandardKey.Redo, None)
        self.redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z")])
        self.show_builder = make("actionShowBuilder", _tr("Network &Builder"), "Ctrl+B", None,
                                 _tr("Build the network from a palette of layers (Ctrl+B)"))
        self.show_training = make("actionShowTraining", _tr("&Training Views"), "Ctrl+T", None,
                                  _tr("The live plots of the run (Ctrl+T)"))
        self.concepts = make("actionConcepts", _tr("&Concepts"), QKeySequence.StandardKey.HelpContents, None,
                             _tr("What each dataset, layer, optimiser and setting does"))
        self.about = make("actionAbout", _tr("&About Neural Playground"))
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

    def follow_undo_stack(self, experiment) -> None:
        """Undo/Redo name the edit they act on ("Undo Add Conv2d") and are enabled only when possible.
        They go through the experiment so that undoing a structural edit asks before a reset."""
        stack = experiment.undo_stack

        def refresh() -> None:
            if not (shiboken6.isValid(stack) and shiboken6.isValid(self.undo) and shiboken6.isValid(self.redo)):
                return  # the window is being torn down
            self.undo.setEnabled(stack.canUndo())
            self.redo.setEnabled(stack.canRedo())
            self.undo.setText(_tr("&Undo {edit}").format(edit=stack.undoText()) if stack.canUndo() else _tr("&Undo"))
            self.redo.setText(_tr("&Redo {edit}").format(edit=stack.redoText()) if stack.canRedo() else _tr("&Redo"))

        stack.indexChanged.connect(lambda _i: refresh())
        stack.cleanChanged.connect(lambda _c: refresh())
        self.undo.triggered.connect(experiment.undo)
        self.redo.triggered.connect(experiment.redo)
        refresh()

    def set_running(self, running: bool) -> None:
        """Start and Pause share the Space key; only the one that applies is visible (and active)."""
        self.start.setVisible(not running)
        self.pause.setVisible(running)

    def show_run_state(self, runnable: bool, why: str, controller) -> None:
        """Start, Step and Reset as the run allows. Start stays enabled while the run loads (pressed
        then, it trains as soon as the run is ready) and reads Resume once a run is under way; a run
        that has ended (its last step, early stopping, divergence) needs a Reset or a change first."""
        loaded = controller.loaded
        if loaded and controller.step >= controller.total_steps:
            ended = _tr("The run has reached its last step: Reset (Ctrl+R) or add steps to train again")
        elif loaded and controller.status == "early_stopped":
            ended = _tr("The run stopped early: Reset (Ctrl+R) to train again")
        elif loaded and controller.status == "diverged":
            ended = _tr("Training diverged: lower the learning rate (or Reset) to go on")
        else:
            ended = ""
        resumable = loaded and not ended and 0 < controller.step
        self.start.setEnabled(runnable and not ended)
        self.start.setText(_tr("&Resume") if resumable else _tr("&Start"))
        self.step.setEnabled(runnable and loaded and not ended and not controller.running)
        self.reset.setEnabled(runnable and loaded)
        if not runnable:
            tip = _tr("Cannot train: {why}").format(why=why)
        elif ended:
            tip = ended
        elif resumable:
            tip = _tr("Resume training from step {step} (Space)").format(step=f"{controller.step:,}")
        else:
            tip = _tr("Start training (Space)")
        self.start.setToolTip(tip)
        self.start.setStatusTip(tip)


def build_menus(window: QMainWindow, actions: Actions) -> dict[str, QMenu]:
    bar = window.menuBar()
    menus = {}
    file_menu = bar.addMenu(_tr("&File"))
    file_menu.addAction(actions.new)
    file_menu.addAction(actions.open)
    file_menu.addAction(actions.open_gallery)
    menus["recent"] = file_menu.addMenu(_tr("Open &Recent"))
    menus["recent"].setObjectName("menuOpenRecent")
    file_menu.addSeparator()
    file_menu.addAction(actions.save)
    file_menu.addAction(actions.save_as)
    file_menu.addAction(actions.open_session)
    file_menu.addAction(actions.save_session)
    file_menu.addSeparator()
    file_menu.addAction(actions.export)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    edit_menu = bar.addMenu(_tr("&Edit"))
    edit_menu.setObjectName("menuEdit")
    edit_menu.addAction(actions.undo)
    edit_menu.addAction(actions.redo)
    menus["edit"] = edit_menu
    train = bar.addMenu(_tr("&Train"))
    for action in (actions.start, actions.pause, actions.step, actions.reset):
        train.addAction(action)
    train.addSeparator()
    menus["device"] = train.addMenu(_tr("&Device"))
    menus["device"].setObjectName("menuDevice")
    menus["view"] = bar.addMenu(_tr("&View"))
    menus["view"].addAction(actions.show_builder)
    menus["view"].addAction(actions.show_training)
    menus["view"].addSeparator()
    help_menu = bar.addMenu(_tr("&Help"))
    help_menu.addAction(actions.concepts)
    help_menu.addAction(actions.about)
    return menus


def build_toolbar(window: QMainWindow, actions: Actions) -> tuple[QToolBar, QProgressBar, QLabel]:
    toolbar = QToolBar(_tr("Training"), window)
    toolbar.setObjectName("trainingToolBar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)
    for action in (actions.open_gallery, actions.open, actions.save):
        toolbar.addAction(action)
    toolbar.addSeparator()
    for action in (actions.start, actions.pause, actions.step, actions.reset):
        toolbar.addAction(action)
    toolbar.addSeparator()
    progress = QProgressBar(toolbar)
    progress.setObjectName("runProgress")
    progress.setMaximumWidth(220)
    progress.setMinimumWidth(80)
    progress.setTextVisible(False)  # the count is in the label beside it, legible whatever the fill
    progress.setToolTip(_tr("Progress through the run's fixed number of steps"))
    toolbar.addWidget(progress)
    label = QLabel(toolbar)
    label.setObjectName("runProgressLabel")
    label.setContentsMargins(6, 0, 6, 0)
    label.setToolTip(progress.toolTip())
    toolbar.addWidget(label)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar, progress, label
