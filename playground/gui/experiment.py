"""The experiment being edited: one preset, its file and whether it has unsaved changes.

Widgets never own experiment state. Panels ask this object for changes (``edit``), which are
validated by the core exactly like a preset file; views listen to ``changed``. A change that would
throw away training (data, network, task, seed) goes through ``confirm_reset`` first, and
cancelling leaves everything as it was.

Every accepted edit is a command on a QUndoStack holding the whole preset before and after, so undo
and redo restore exact states; undoing or redoing a structural edit asks ``confirm_reset`` too.
Consecutive edits of the same setting (a slider being dragged) merge into one command.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from playground.core.data import check_dataset
from playground.core.data.registry import count_classes
from playground.core.io_shapes import data_shape
from playground.core.params import Problem
from playground.core.presets import PresetError, parse_preset
from playground.core.spec import Preset
from playground.core.tasks.catalog import required_outputs

STRUCTURAL = ("dataset", "networks", "task", "seed")  # sections whose change restarts training
LIVE = ("training",)  # applied to a running trainer between steps
MERGE_WINDOW_S = 1.5  # edits of one setting closer than this become one undo step
SECTION_NAMES = {"dataset": "Edit data", "networks": "Edit network", "training": "Edit training settings",
                 "task": "Change task", "seed": "Change seed", "device": "Change device", "meta": "Edit details"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Experiment", text)


class PresetChange(QUndoCommand):
    """One accepted edit: the preset before and after (immutable copies)."""

    def __init__(self, experiment: Experiment, before: Preset, after: Preset, section: str, name: str) -> None:
        super().__init__(name)
        self.experiment, self.before, self.after, self.section = experiment, before, after, section
        self.stamp = time.monotonic()

    def redo(self) -> None:
        self.experiment._adopt(self.after, self.section)

    def undo(self) -> None:
        self.experiment._adopt(self.before, self.section)

    def id(self) -> int:  # noqa: A003 - Qt API: commands with the same id may merge
        return 1 if self.section not in STRUCTURAL else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, PresetChange) or other.text() != self.text() or other.section != self.section:
            return False
        if other.stamp - self.stamp > MERGE_WINDOW_S:
            return False
        self.after, self.stamp = other.after, other.stamp
        return True


class Experiment(QObject):
    """Holds the current valid preset. ``changed(section)`` names what changed: one of "dataset",
    "networks", "training", "task", "seed", "device", "meta", or "all" after open/new."""

    changed = Signal(str)
    file_changed = Signal()  # path or dirty flag
    rejected = Signal(str)  # an edit was refused: the message says why (widgets resync from ``preset``)

    def __init__(self, preset: Preset, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._preset = preset
        self.path = path
        self.dirty = False
        self.problems: list[Problem] = []
        self.confirm_reset: Callable[[], bool] = lambda: True
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._check_fit()

    @property
    def preset(self) -> Preset:
        """A copy-safe view: callers must not mutate it; use :meth:`edit`."""
        return self._preset

    @property
    def runnable(self) -> bool:
        return not self.problems

    def replace(self, preset: Preset, path: Path | None) -> None:
        """Open or New: a whole new experiment."""
        self._preset = preset
        self.path = path
        self.dirty = False
        self.undo_stack.clear()
        self._check_fit()
        self.changed.emit("all")
        self.file_changed.emit()

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self.dirty = False
        self.undo_stack.setClean()
        self.file_changed.emit()

    def undo(self) -> bool:
        """Undo the last edit; a structural one asks before resetting training. False if declined."""
        return self._step_history(self.undo_stack.index() - 1, self.undo_stack.undo)

    def redo(self) -> bool:
        return self._step_history(self.undo_stack.index(), self.undo_stack.redo)

    def _step_history(self, index: int, action: Callable[[], None]) -> bool:
        command = self.undo_stack.command(index) if 0 <= index < self.undo_stack.count() else None
        if command is None:
            return False
        if command.section in STRUCTURAL and not self.confirm_reset():
            return False
        action()
        return True

    def _adopt(self, preset: Preset, section: str) -> None:
        """Make ``preset`` current (an edit, an undo or a redo) and tell the views."""
        self._preset = preset
        self.dirty = not self.undo_stack.isClean() if self.undo_stack.count() else True
        self._check_fit()
        self.changed.emit(section)
        self.file_changed.emit()

    def _on_clean_changed(self, clean: bool) -> None:
        self.dirty = not clean
        self.file_changed.emit()

    def edit(self, section: str, mutate: Callable[[dict], None], name: str | None = None) -> bool:
        """Apply ``mutate`` to a copy of the preset's JSON, validate, and adopt it if valid.

        Returns False (and emits ``rejected``) when the result is invalid or the user declined to
        reset training. Structural sections keep the network's output layer matched to the data.
        """
        doc = copy.deepcopy(self._preset.to_json())
        mutate(doc)
        if section == "dataset":
            _fit_output_layer(doc, Path(self._preset.source).parent if self._preset.source else None)
        try:
            new = parse_preset(doc, self._preset.source, check_fit=False)
        except PresetError as exc:
            self.rejected.emit("\n".join(str(p) for p in exc.problems))
            return False
        if new.to_json() == self._preset.to_json():
            return True
        task = new.task
        if section == "training" and new.training.get(task, {}).get("latent_size") != \
                self._preset.training.get(task, {}).get("latent_size"):
            section = "networks"  # the latent size shapes the generator's or decoder's input: a new network
        if section in STRUCTURAL and not self.confirm_reset():
            self.rejected.emit("")
            return False
        name = name or _tr(SECTION_NAMES.get(section, "Edit"))
        self.undo_stack.push(PresetChange(self, self._preset, new, section, name))
        self.dirty = True
        self.file_changed.emit()
        return True

    def _check_fit(self) -> None:
        """Problems that make the experiment not runnable (a layer that does not fit, say)."""
        try:
            parse_preset(self._preset.to_json(), self._preset.source)
            self.problems = []
        except PresetError as exc:
            self.problems = exc.problems


def _fit_output_layer(doc: dict, base_dir: Path | None = None) -> None:
    """When the data's number of classes changes, resize a final Linear layer to match it (what a
    user expects from a playground; a network without a final Linear is left for them to fix)."""
    values, problems = check_dataset(doc.get("dataset"))
    if problems:
        return  # the validator will report them
    _, n_classes = data_shape(values, doc.get("task", "classification"))
    if n_classes is None and doc.get("task") != "regression" and values["name"] in ("csv", "npz", "image-folder"):
        n_classes = count_classes(values, base_dir)  # a file decides: read just its labels
    allowed = required_outputs(doc.get("task", "classification"), n_classes)
    layers = doc.get("networks", {}).get("main", {}).get("layers", [])
    if allowed and layers and isinstance(layers[-1], dict) and layers[-1].get("type") == "Linear":
        if layers[-1].get("width") not in allowed:
            layers[-1]["width"] = allowed[0]
