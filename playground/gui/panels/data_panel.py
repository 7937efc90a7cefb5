"""The Data panel: which dataset, its settings (generated from DATASETS), and room for a preview plot."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from playground.core.data.registry import DATASETS
from playground.core.params import FLOAT, Param
from playground.core.tasks.catalog import TASKS
from playground.gui.editor_support import align_labels, declared, pretty_name
from playground.gui.experiment import Experiment
from playground.gui.panels.dataset_tiles import DatasetTiles
from playground.gui.param_editors import FeaturesEditor, ParamEditor, ParamForm

HIDDEN = ("inline",)  # only a preset file can hold inline points; shown only while one is open


class CsvPathEditor(ParamEditor):
    """The data file's (or folder's) path, read-only, and a Browse… button that asks for another."""

    browse_requested = Signal()

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.setReadOnly(True)
        self.button = QPushButton(self.tr("Browse…"))
        self.button.setObjectName("browseCsvButton")
        self.button.clicked.connect(self.browse_requested)
        self._finish(self.edit, self.button)
        self.row.setStretch(0, 1)

    def value(self) -> str:
        return self.edit.text()

    def _show(self, value: Any) -> None:
        self.edit.setText(str(value or ""))
        self.edit.setCursorPosition(0)


class SliderEditor(ParamEditor):
    """A bounded number as a slider with its value beside it (noise, train/test split)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(int(param.minimum or 0), int(param.maximum if param.maximum is not None else 100))
        self.slider.setPageStep(5)
        self.slider.setTracking(False)  # one edit on release, while the label follows the drag
        self.label = QLabel()
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("100 %") + 4)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.slider.sliderMoved.connect(self._show_label)
        self.slider.valueChanged.connect(self._show_label)
        self.slider.valueChanged.connect(self._changed)
        self._finish(self.slider, self.label)
        self.row.setStretch(0, 1)

    def value(self) -> int | float:
        return float(self.slider.value()) if self.param.kind == FLOAT else self.slider.value()

    def _show(self, value: Any) -> None:
        self.slider.setValue(round(value))
        self._show_label(self.slider.value())

    def _show_label(self, value: int) -> None:
        self.label.setText(f"{value} {self.param.unit}".strip())


class ShapesEditor(FeaturesEditor):
    """The shapes to draw: named toggles, three to a row so "triangle" is not cut to "t…e"."""

    COLUMNS = 3


class _FitScroll(QScrollArea):
    """Asks for its content's height, so the dock is laid out as tall as the panel wants when it can be."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        height = self.widget().sizeHint().height() if self.widget() is not None else 0
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth())


class DataPanel(QWidget):
    """Edits the ``dataset`` section. ``preview_area`` is a QVBoxLayout the main window fills with a plot."""

    def __init__(self, experiment: Experiment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.experiment = experiment
        self.form: ParamForm | None = None
        self._form_name: str | None = None

        # Scrolls when the dock is short: image datasets (shapes) have many settings, and a panel that
        # cannot shrink would push the window past the bottom of a laptop screen.
        scroll = _FitScroll()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        scroll.setWidget(body)
        wrapper = QVBoxLayout(self)
        wrapper.setContentsMargins(0, 0, 0, 0)
        wrapper.addWidget(scroll)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        box = QGroupBox(self.tr("Dataset"))
        box.setObjectName("datasetGroup")
        self.box_layout = QVBoxLayout(box)
        self.box_layout.setSpacing(6)
        self.tiles = DatasetTiles()  # pictures of the generated datasets; a click chooses as the list does
        self.tiles.chosen.connect(self._on_tile_chosen)
        self.box_layout.addWidget(self.tiles)
        top = QFormLayout()
        top.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setObjectName("datasetCombo")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(10)
        self.combo.currentIndexChanged.connect(self._on_dataset_chosen)
        top.addRow(self.tr("Data"), self.combo)
        self.box_layout.addLayout(top)
        self.help_label = QLabel()
        self.help_label.setObjectName("datasetHelp")
        self.help_label.setWordWrap(True)
        self.help_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.help_label.setStyleSheet("color: palette(placeholder-text);")
        self.box_layout.addWidget(self.help_label)
        self.form_holder = QVBoxLayout()
        self.form_holder.setContentsMargins(0, 4, 0, 0)
        self.box_layout.addLayout(self.form_holder)
        outer.addWidget(box)

        self.preview_container = QWidget()
        self.preview_container.setObjectName("previewArea")
        self.preview_area = QVBoxLayout(self.preview_container)
        self.preview_area.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.preview_container, 1)

        experiment.changed.connect(self._on_changed)
        experiment.rejected.connect(lambda _msg: self.sync())
        self.sync()

    # ---- experiment -> widgets ---------------------------------------------------------------
    def _on_changed(self, section: str) -> None:
        if section in ("dataset", "task", "all"):
            self.sync()

    def sync(self) -> None:
        """Show the experiment's dataset: fill the list, rebuild the settings if the dataset changed."""
        dataset = self.experiment.preset.dataset
        name = dataset["name"]
        self._fill_combo(name)
        task = TASKS.get(self.experiment.preset.task)
        self.tiles.show_datasets(DatasetTiles.names_for(task.dataset_kinds) if task else [], name)
        if name != self._form_name:
            self._build_form(name)
        if self.form is not None:
            self.form.set_values(dataset)
        self.help_label.setText(declared(DATASETS[name].help))

    def _fill_combo(self, current: str) -> None:
        task = TASKS.get(self.experiment.preset.task)
        kinds = (*task.dataset_kinds, "any") if task else None
        wanted = [d for d in DATASETS.values()
                  if (d.name not in HIDDEN or d.name == current) and (kinds is None or d.kind in kinds
                                                                      or d.name == current)]
        self.combo.blockSignals(True)
        if [self.combo.itemData(i) for i in range(self.combo.count())] != [d.name for d in wanted]:
            self.combo.clear()
            for d in wanted:
                self.combo.addItem(declared(d.title), d.name)
                self.combo.setItemData(self.combo.count() - 1, tooltip_for_dataset(d.help),
                                       Qt.ItemDataRole.ToolTipRole)
        self.combo.setCurrentIndex(self.combo.findData(current))
        self.combo.blockSignals(False)

    def _build_form(self, name: str) -> None:
        if self.form is not None:
            self.form.hide()
            self.form.deleteLater()
        overrides = {"noise": SliderEditor, "train_percent": SliderEditor, "path": self._csv_editor,
                     "shapes": ShapesEditor}
        self.form = ParamForm(DATASETS[name].params, self, editors=overrides)
        self.form.setObjectName("datasetForm")
        self.form.edited.connect(self._on_edited)
        self.form_holder.addWidget(self.form)
        self.form.show()
        self._form_name = name
        align_labels(self)
        for key in ("noise", "train_percent"):
            if key in self.form.editors:
                slider = self.form.editors[key].slider  # type: ignore[attr-defined]
                slider.setObjectName("noiseSlider" if key == "noise" else "trainPercentSlider")
        names = {"samples": "samplesSpin", "classes": "classesSpin"}
        for key, object_name in names.items():
            if key in self.form.editors:
                self.form.editors[key].spin.setObjectName(object_name)  # type: ignore[attr-defined]
        if "standardize" in self.form.editors:
            self.form.editors["standardize"].check.setObjectName("standardizeCheck")  # type: ignore[attr-defined]

    def _csv_editor(self, param: Param) -> ParamEditor:
        editor = CsvPathEditor(param)
        editor.browse_requested.connect(self._browse_csv)
        return editor

    # ---- widgets -> experiment ---------------------------------------------------------------
    def _on_edited(self, key: str, value: Any) -> None:
        self.experiment.edit("dataset", lambda doc: doc["dataset"].__setitem__(key, value),
                             self.tr("Change {setting}").format(setting=declared(pretty_name(key)).lower()))

    def _on_tile_chosen(self, name: str) -> None:
        index = self.combo.findData(name)
        if index >= 0:
            self.combo.setCurrentIndex(index)  # -> _on_dataset_chosen: one path for both

    def _on_dataset_chosen(self, index: int) -> None:
        name = self.combo.itemData(index)
        current = self.experiment.preset.dataset
        if name == current["name"]:
            return
        extra: dict[str, Any] = {}
        if name in ("csv", "npz", "image-folder"):
            path = self.choose_path(name)
            if not path:
                self.sync()
                return
            extra["path"] = path
        allowed = {p.name for p in DATASETS[name].params}
        kept = {k: v for k, v in current.items() if k in allowed and k != "path"}

        def mutate(doc: dict) -> None:
            doc["dataset"] = {"name": name, **DATASETS[name].defaults(), **kept, **extra}

        if not self.experiment.edit("dataset", mutate, self.tr("Choose {dataset}").format(
                dataset=declared(DATASETS[name].title))):
            self.sync()

    def _browse_csv(self) -> None:
        path = self.choose_path(self.experiment.preset.dataset["name"])
        if path:
            self._on_edited("path", path)

    def choose_path(self, name: str) -> str:
        """Ask for the data file or folder of dataset ``name``; '' when cancelled."""
        if name == "csv":
            return self.choose_csv()
        if name == "npz":
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open an .npz file of images"), "",
                                                  self.tr("NumPy archives (*.npz);;All files (*)"))
            return path
        return QFileDialog.getExistingDirectory(self, self.tr("Choose a folder with one sub-folder per class"))

    def choose_csv(self) -> str:
        """Ask for a CSV file; '' when cancelled (tests replace this method)."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a CSV file of points"), "",
                                              self.tr("CSV files (*.csv);;All files (*)"))
        return path


def tooltip_for_dataset(help_text: str) -> str:
    return f"<p>{html.escape(declared(help_text), quote=False)}</p>"

