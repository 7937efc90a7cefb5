"""The Hyperparameters panel: optimiser, learning rate, regularisation, schedule and run length.

Everything is generated from TRAINING, OPTIMIZERS, SCHEDULERS and EARLY_STOPPING; the panel only
arranges the editors the way TensorFlow Playground does (a None/L1/L2 choice plus one rate, say).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from playground.core.run_notes import batch_size_note
from playground.core.tasks.catalog import TASKS
from playground.core.tasks.task_options import TASK_OPTIONS
from playground.core.training_options import EARLY_STOPPING, OPTIMIZERS, SCHEDULERS, TRAINING
from playground.gui.editor_support import align_labels, declared, label_for, pretty_name, set_tooltip, tooltip_for
from playground.gui.experiment import Experiment
from playground.gui.param_editors import ParamForm, make_editor

OPTIMIZER_TITLES = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adagrad": "Adagrad"}
REG_KINDS = ("none", "l1", "l2", "l1_l2")


def _group(title: str, name: str) -> tuple[QGroupBox, QVBoxLayout, QFormLayout]:
    box = QGroupBox(title)
    box.setObjectName(name)
    outer = QVBoxLayout(box)
    outer.setSpacing(6)
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    outer.addLayout(form)
    return box, outer, form


def _select(combo: QComboBox, data: Any) -> None:
    """Show ``data`` in a combo without it counting as a user's choice."""
    combo.blockSignals(True)
    combo.setCurrentIndex(combo.findData(data))
    combo.blockSignals(False)


class HyperparametersPanel(QWidget):
    """Edits the ``training`` section (applied live to a running trainer)."""

    def __init__(self, experiment: Experiment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.experiment = experiment
        self.optimizer_form: ParamForm | None = None
        self.scheduler_form: ParamForm | None = None
        self._built = {"optimizer": "", "scheduler": ""}
        self._last_rate = 0.001
        self._n_train = 0  # the loaded run's training samples (0: not known yet)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(8, 8, 8, 8)
        self.body.setSpacing(8)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._build_optimizer()
        self._build_task_options()
        self._build_regularisation()
        self._build_schedule()
        self._build_run()
        self.body.addStretch(1)
        bar = scroll.verticalScrollBar().sizeHint().width()
        scroll.setMinimumWidth(body.minimumSizeHint().width() + bar)
        experiment.changed.connect(self._on_changed)
        experiment.rejected.connect(lambda _msg: self.sync())
        self.sync()

    # ---- construction ------------------------------------------------------------------------
    def _editor(self, name: str, form: QFormLayout, **changes: Any):
        param = TRAINING.param(name)
        editor = make_editor(replace(param, **changes) if changes else param)
        editor.value_changed.connect(lambda v, n=name: self._set(n, v))
        form.addRow(label_for(param), editor)
        return editor

    def _build_optimizer(self) -> None:
        box, self.optimizer_box, form = _group(self.tr("Optimiser"), "optimizerGroup")
        self.optimizer_combo = QComboBox()
        self.optimizer_combo.setObjectName("optimizerCombo")
        for name, group in OPTIMIZERS.items():
            self.optimizer_combo.addItem(declared(OPTIMIZER_TITLES.get(name, name)), name)
            self.optimizer_combo.setItemData(self.optimizer_combo.count() - 1, declared(group.help),
                                             Qt.ItemDataRole.ToolTipRole)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_chosen)
        form.addRow(self.tr("Optimiser"), self.optimizer_combo)
        self.learning_rate = self._editor("learning_rate", form)
        self.learning_rate.spin.setObjectName("learningRateSpin")  # type: ignore[attr-defined]
        self.learning_rate.slider.setObjectName("learningRateSlider")  # type: ignore[attr-defined]
        self.batch_size = self._editor("batch_size", form)
        self.batch_size.spin.setObjectName("batchSizeSpin")  # type: ignore[attr-defined]
        self.batch_note = QLabel()  # a batch larger than the training set: what a step really uses
        self.batch_note.setObjectName("batchSizeNote")
        self.batch_note.setWordWrap(True)
        self.batch_note.setStyleSheet("color: #8a5a00;")
        form.addRow(self.batch_note)
        form.setRowVisible(self.batch_note, False)
        self._batch_form = form
        self.body.addWidget(box)

    def _build_task_options(self) -> None:
        """A GAN's or a VAE's own settings (training.gan / training.vae), shown for those tasks only."""
        self.task_box, self.task_box_layout, _form = _group("", "taskOptionsGroup")
        self.task_form: ParamForm | None = None
        self._built["task"] = ""
        self.body.addWidget(self.task_box)

    def _rebuild_task_options(self, task: str) -> None:
        if self.task_form is not None:
            self.task_form.hide()
            self.task_form.deleteLater()
            self.task_form = None
        group = TASK_OPTIONS.get(task)
        self.task_box.setVisible(group is not None)
        if group is not None:
            self.task_box.setTitle(self.tr("{task} settings").format(task=declared(TASKS[task].title)))
            self.task_box.setToolTip(declared(group.help))
            self.task_form = ParamForm(group.params)
            self.task_form.setObjectName(f"{group.name}Settings")
            self.task_form.edited.connect(lambda n, v, g=group.name: self._set_nested(g, n, v))
            self.task_box_layout.addWidget(self.task_form)
            self.task_form.show()
        self._built["task"] = task
        align_labels(self)

    def _build_regularisation(self) -> None:
        box, _outer, form = _group(self.tr("Regularisation"), "regularizationGroup")
        self.reg_combo = QComboBox()
        self.reg_combo.setObjectName("regularizationCombo")
        for kind, text in zip(REG_KINDS, (self.tr("None"), "L1", "L2", self.tr("L1 + L2")), strict=True):
            self.reg_combo.addItem(text, kind)
        self.reg_combo.setToolTip(self.tr("Adds a penalty on large weights to the loss, which discourages "
                                          "overfitting. L1 pushes weights to zero; L2 keeps them small."))
        self.reg_combo.currentIndexChanged.connect(lambda _i: self._set_regularisation())
        form.addRow(self.tr("Penalty"), self.reg_combo)
        rate = replace(TRAINING.param("l2"), default=0.01, log_scale=True, exclusive_minimum=True)
        self.reg_rate = make_editor(rate)
        self.reg_rate.spin.setObjectName("regularizationRateSpin")  # type: ignore[attr-defined]
        self.reg_rate.value_changed.connect(lambda _v: self._set_regularisation())
        form.addRow(self.tr("Rate"), self.reg_rate)
        self.body.addWidget(box)

    def _build_schedule(self) -> None:
        box, self.scheduler_box, form = _group(self.tr("Learning-rate schedule"), "schedulerGroup")
        self.scheduler_combo = QComboBox()
        self.scheduler_combo.setObjectName("schedulerCombo")
        titles = {"none": self.tr("Constant"), "step": self.tr("Step decay"), "cosine": self.tr("Cosine"),
                  "exponential": self.tr("Exponential")}
        for name, group in SCHEDULERS.items():
            self.scheduler_combo.addItem(titles.get(name, declared(name)), name)
            self.scheduler_combo.setItemData(self.scheduler_combo.count() - 1, declared(group.help),
                                             Qt.ItemDataRole.ToolTipRole)
        self.scheduler_combo.currentIndexChanged.connect(self._on_scheduler_chosen)
        form.addRow(self.tr("Schedule"), self.scheduler_combo)
        self.body.addWidget(box)

    def _build_run(self) -> None:
        box, outer, form = _group(self.tr("Run"), "runGroup")
        self.run_form = form
        self.length_combo = QComboBox()
        self.length_combo.setObjectName("runLengthCombo")
        self.length_combo.addItem(self.tr("Steps"), "steps")
        self.length_combo.addItem(self.tr("Epochs"), "epochs")
        self.length_combo.currentIndexChanged.connect(self._on_length_mode)
        self.length_stack = QStackedWidget()
        self.length_editors = {}
        for key, start in (("steps", 1000), ("epochs", 20)):
            editor = make_editor(replace(TRAINING.param(key), optional=False, default=start, minimum=1))
            editor.spin.setObjectName(f"{key}Spin")  # type: ignore[attr-defined]
            editor.value_changed.connect(lambda v, k=key: self._set(k, v))
            self.length_stack.addWidget(editor)
            self.length_editors[key] = editor
        form.addRow(self.length_combo, self.length_stack)
        self.eval_every = self._editor("eval_every", form)
        self.loss = self._editor("loss", form)
        self.grad_clip = self._editor("grad_clip", form)
        self.early = ParamForm(EARLY_STOPPING.params)
        self.early.setObjectName("earlyStoppingForm")
        self.early.edited.connect(lambda n, v: self._set_nested("early_stopping", n, v))
        outer.addWidget(self.early)
        self.early.layout_.labelForField(self.early.editor("patience")).setText(self.tr("Early stopping"))
        self.body.addWidget(box)

    def _rebuild(self, section: str, kind: str) -> None:
        """The optimiser's or the scheduler's own settings, for the chosen type."""
        old = getattr(self, f"{section}_form")
        if old is not None:
            old.hide()
            old.deleteLater()
        table = OPTIMIZERS if section == "optimizer" else SCHEDULERS
        form = ParamForm(table[kind].params) if table[kind].params else None
        if form is not None:
            form.setObjectName(f"{section}Settings")
            form.edited.connect(lambda n, v: self._set_nested(section, n, v))
            getattr(self, f"{section}_box").addWidget(form)
            form.show()
        setattr(self, f"{section}_form", form)
        self._built[section] = kind
        align_labels(self)

    def set_training_samples(self, n_train: int) -> None:
        """The loaded run's training-set size, for the note on a batch size larger than it."""
        self._n_train = n_train
        self._show_batch_note()

    def _show_batch_note(self) -> None:
        note = batch_size_note(self.experiment.preset.training["batch_size"], self._n_train,
                               lambda text: QCoreApplication.translate("RunNotes", text))
        self.batch_note.setText(note)
        self._batch_form.setRowVisible(self.batch_note, bool(note))

    # ---- experiment -> widgets ---------------------------------------------------------------
    def _on_changed(self, section: str) -> None:
        if section in ("training", "task", "all"):
            self.sync()

    def sync(self) -> None:
        t = self.experiment.preset.training
        for section, combo in (("optimizer", self.optimizer_combo), ("scheduler", self.scheduler_combo)):
            kind = t[section]["type"]
            _select(combo, kind)
            if self._built[section] != kind:
                self._rebuild(section, kind)
            form = getattr(self, f"{section}_form")
            if form is not None:
                form.set_values(t[section])
        task = self.experiment.preset.task
        if self._built["task"] != task:
            self._rebuild_task_options(task)
        if self.task_form is not None:
            self.task_form.set_values(t.get(task, {}))
        self.learning_rate.set_value(t["learning_rate"])
        self.batch_size.set_value(t["batch_size"])
        self._show_batch_note()
        self.eval_every.set_value(t["eval_every"])
        self.loss.set_value(t["loss"])
        self.grad_clip.set_value(t["grad_clip"])
        self.early.set_values(t["early_stopping"])
        mode = "epochs" if t.get("epochs") is not None else "steps"
        _select(self.length_combo, mode)
        self.length_stack.setCurrentWidget(self.length_editors[mode])
        self.length_editors[mode].set_value(t[mode])
        self._sync_regularisation(t["l1"], t["l2"])
        self._sync_losses()

    def _sync_regularisation(self, l1: float, l2: float) -> None:
        kind = "l1_l2" if l1 and l2 else "l1" if l1 else "l2" if l2 else "none"
        _select(self.reg_combo, kind)
        if l1 or l2:
            self._last_rate = l2 or l1
        self.reg_rate.set_value(self._last_rate)
        self.reg_rate.setEnabled(kind != "none")
        shown = TRAINING.param("l1" if kind == "l1" else "l2")
        set_tooltip(self.reg_rate, tooltip_for(shown))

    def _sync_losses(self) -> None:
        task = TASKS.get(self.experiment.preset.task)
        allowed = ("auto", *task.losses) if task else None
        # a GAN's or a VAE's loss is set in its own settings: no choice to offer here
        self.run_form.setRowVisible(self.loss, task is None or bool(task.losses))
        combo = self.loss.combo  # type: ignore[attr-defined]
        model = combo.model()
        if isinstance(model, QStandardItemModel):
            for i in range(combo.count()):
                model.item(i).setEnabled(allowed is None or combo.itemData(i) in allowed)

    # ---- widgets -> experiment ---------------------------------------------------------------
    def _edit(self, change: Callable[[dict], None], what: str = "") -> None:
        name = self.tr("Change {setting}").format(setting=what) if what else None
        self.experiment.edit("training", lambda doc: change(doc["training"]), name)

    def _set(self, key: str, value: Any) -> None:
        self._edit(lambda t: t.__setitem__(key, value), label_for(TRAINING.param(key)).lower())

    def _set_nested(self, section: str, key: str, value: Any) -> None:
        self._edit(lambda t: t.setdefault(section, {}).__setitem__(key, value), declared(pretty_name(key)).lower())

    def _switch_type(self, section: str, kind: str) -> None:
        table = OPTIMIZERS if section == "optimizer" else SCHEDULERS
        old = self.experiment.preset.training[section]
        kept = {k: v for k, v in old.items() if k in table[kind].names()}
        self._edit(lambda t: t.__setitem__(section, {"type": kind, **kept}))

    def _on_optimizer_chosen(self, index: int) -> None:
        self._switch_type("optimizer", self.optimizer_combo.itemData(index))

    def _on_scheduler_chosen(self, index: int) -> None:
        self._switch_type("scheduler", self.scheduler_combo.itemData(index))

    def _on_length_mode(self, index: int) -> None:
        mode = self.length_combo.itemData(index)
        other = "steps" if mode == "epochs" else "epochs"
        value = self.length_editors[mode].value()
        self._edit(lambda t: t.update({mode: value, other: None}))

    def _set_regularisation(self) -> None:
        kind = self.reg_combo.currentData()
        rate = self.reg_rate.value()
        self._last_rate = rate
        l1 = rate if kind in ("l1", "l1_l2") else 0.0
        l2 = rate if kind in ("l2", "l1_l2") else 0.0
        self._edit(lambda t: t.update(l1=l1, l2=l2))
        self._sync_regularisation(self.experiment.preset.training["l1"], self.experiment.preset.training["l2"])
