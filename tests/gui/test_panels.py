"""The dock panels and the Concepts dialog: what a user sees and what their edits do to the experiment."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument, QValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QPushButton, QSlider, QSpinBox, QToolButton

from playground.core.data.registry import DATASETS
from playground.core.io_shapes import data_shape
from playground.core.layers import LAYERS
from playground.core.presets import load_preset
from playground.core.shape_inference import summarize
from playground.core.training_options import EARLY_STOPPING, OPTIMIZERS, SCHEDULERS, TRAINING
from playground.core.weight_init import INITS
from playground.gui.concepts_dialog import ConceptsDialog
from playground.gui.editor_support import grid_pos
from playground.gui.experiment import Experiment
from playground.gui.panels import DataPanel, HyperparametersPanel, NetworkPanel
from playground.gui.param_editors import ParamForm, make_editor

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # offscreen


@pytest.fixture
def experiment():
    return Experiment(load_preset("spiral-deep"))


@pytest.fixture
def panels(qtbot, experiment):
    made = DataPanel(experiment), NetworkPanel(experiment), HyperparametersPanel(experiment)
    for panel in made:
        qtbot.addWidget(panel)
        panel.show()
    return made


def choose(combo: QComboBox, data) -> None:
    """Pick the item whose data is ``data``, as a user would."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} not offered"
    combo.setCurrentIndex(index)


def plain(tooltip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return " ".join(doc.toPlainText().split())


def shown(parent, kind, name):
    """The visible widget called ``name`` (replaced widgets are hidden at once, deleted later)."""
    found = [w for w in parent.findChildren(kind, name) if w.isVisible()]
    return found[0] if found else None


def layers(experiment) -> list[dict]:
    return experiment.preset.to_json()["networks"]["main"]["layers"]


def param_total(experiment) -> int:
    input_shape, _ = data_shape(experiment.preset.dataset, experiment.preset.task)
    return summarize(experiment.preset.networks["main"].layers, input_shape).total_params


# ---- Data panel ------------------------------------------------------------------------------
def test_choosing_circle_changes_the_dataset(qtbot, experiment, panels):
    data, *_ = panels
    combo = data.findChild(QComboBox, "datasetCombo")
    assert combo.currentText() == "Two spirals"
    assert "inline" not in [combo.itemData(i) for i in range(combo.count())]
    with qtbot.waitSignal(experiment.changed) as signal:
        choose(combo, "circle")
    assert signal.args == ["dataset"]
    assert experiment.preset.dataset["name"] == "circle"
    assert experiment.preset.dataset["samples"] == 600  # common settings are kept


def test_noise_slider_sets_noise(experiment, panels):
    slider = panels[0].findChild(QSlider, "noiseSlider")
    assert (slider.minimum(), slider.maximum()) == (0, 50)
    slider.setValue(25)
    assert experiment.preset.dataset["noise"] == 25.0


def test_blobs_show_classes_and_the_output_layer_follows(experiment, panels):
    data, network, _ = panels
    assert data.findChild(QSpinBox, "classesSpin") is None
    choose(data.findChild(QComboBox, "datasetCombo"), "blobs")
    classes = shown(data, QSpinBox, "classesSpin")
    assert classes is not None
    assert layers(experiment)[-1]["width"] == 3
    assert "3 classes" in network.findChild(QLabel, "outputLabel").text()
    classes.setValue(5)
    assert experiment.preset.dataset["classes"] == 5
    assert layers(experiment)[-1]["width"] == 5
    assert "Output: 5 units" in network.findChild(QLabel, "outputLabel").text()


def test_features_buttons_set_the_inputs(experiment, panels):
    data, network, _ = panels
    data.findChild(QToolButton, "feature_x1^2").click()
    assert experiment.preset.dataset["features"] == ["x1", "x2", "x1^2"]
    assert "3 features" in network.findChild(QLabel, "inputLabel").text()
    data.findChild(QToolButton, "feature_x1").click()
    data.findChild(QToolButton, "feature_x2").click()
    last = data.findChild(QToolButton, "feature_x1^2")
    last.click()  # the last feature cannot be turned off
    assert last.isChecked() and experiment.preset.dataset["features"] == ["x1^2"]


def test_csv_asks_for_a_file_and_hides_noise(tmp_path, experiment, panels):
    data = panels[0]
    combo = data.findChild(QComboBox, "datasetCombo")
    data.choose_csv = lambda: ""  # cancelled: nothing changes
    choose(combo, "csv")
    assert experiment.preset.dataset["name"] == "spiral" and combo.currentData() == "spiral"
    path = tmp_path / "points.csv"
    path.write_text("x1,x2,label\n0,0,a\n1,1,b\n")
    data.choose_csv = lambda: str(path)
    choose(combo, "csv")
    assert experiment.preset.dataset == {**experiment.preset.dataset, "name": "csv", "path": str(path)}
    assert shown(data, QSlider, "noiseSlider") is None


# ---- Hyperparameters panel -------------------------------------------------------------------
def test_learning_rate_spin_and_log_slider(experiment, panels):
    hyper = panels[2]
    spin = hyper.findChild(QDoubleSpinBox, "learningRateSpin")
    slider = hyper.findChild(QSlider, "learningRateSlider")
    rate = experiment.preset.training["learning_rate"]  # the preset's own
    assert spin.text() == f"{rate:g}" and slider.value() == grid_pos(rate)
    spin.setValue(0.1)
    assert experiment.preset.training["learning_rate"] == 0.1
    assert slider.value() == grid_pos(0.1)
    spin.stepBy(1)  # arrows step along 1, 3, 10, ...
    assert experiment.preset.training["learning_rate"] == 0.3
    slider.setValue(grid_pos(0.001))
    assert experiment.preset.training["learning_rate"] == 0.001 and spin.value() == 0.001


def test_values_outside_the_declared_ranges_cannot_be_entered(experiment, panels):
    data, _, hyper = panels
    lr = hyper.findChild(QDoubleSpinBox, "learningRateSpin")
    assert lr.minimum() > 0 and lr.maximum() == TRAINING.param("learning_rate").maximum
    assert lr.validate("abc", 0)[0] == QValidator.State.Invalid
    assert lr.validate("-1", 0)[0] != QValidator.State.Acceptable
    assert lr.validate("1e-5", 0)[0] == QValidator.State.Acceptable
    batch = hyper.findChild(QSpinBox, "batchSizeSpin")
    assert (batch.minimum(), batch.maximum()) == (1, 65536)
    batch.setValue(0)
    assert batch.value() == 1
    samples = data.findChild(QSpinBox, "samplesSpin")
    assert (samples.minimum(), samples.maximum()) == (10, 100_000)
    assert experiment.preset.training["batch_size"] == 1 and experiment.preset.dataset["samples"] == 600


def test_optimizer_switch_rebuilds_its_settings(qtbot, experiment, panels):
    hyper = panels[2]
    assert "beta1" in hyper.optimizer_form.editors
    choose(hyper.findChild(QComboBox, "optimizerCombo"), "sgd")
    assert experiment.preset.training["optimizer"]["type"] == "sgd"
    editors = hyper.optimizer_form.editors
    assert "momentum" in editors and "beta1" not in editors
    editors["momentum"].spin.setValue(0.9)
    assert experiment.preset.training["optimizer"]["momentum"] == 0.9
    choose(hyper.findChild(QComboBox, "optimizerCombo"), "adam")
    assert "beta1" in hyper.optimizer_form.editors and "momentum" not in hyper.optimizer_form.editors


def test_a_rejected_edit_resyncs_the_widget(qtbot, experiment, panels):
    hyper = panels[2]
    choose(hyper.findChild(QComboBox, "optimizerCombo"), "sgd")
    nesterov = hyper.optimizer_form.editors["nesterov"].check
    with qtbot.waitSignal(experiment.rejected) as signal:
        nesterov.setChecked(True)  # needs momentum > 0
    assert "momentum" in signal.args[0]
    assert not nesterov.isChecked() and experiment.preset.training["optimizer"]["nesterov"] is False


def test_scheduler_switch_shows_its_settings(experiment, panels):
    hyper = panels[2]
    assert hyper.scheduler_form is None
    choose(hyper.findChild(QComboBox, "schedulerCombo"), "step")
    assert set(hyper.scheduler_form.editors) == {"step_size", "gamma"}
    hyper.scheduler_form.editors["step_size"].spin.setValue(200)
    assert experiment.preset.training["scheduler"] == {"type": "step", "step_size": 200, "gamma": 0.5}


def test_regularisation_kind_and_rate(experiment, panels):
    hyper = panels[2]
    combo = hyper.findChild(QComboBox, "regularizationCombo")
    rate = hyper.findChild(QDoubleSpinBox, "regularizationRateSpin")
    assert not rate.isEnabled()
    choose(combo, "l2")
    rate.setValue(0.03)
    assert (experiment.preset.training["l1"], experiment.preset.training["l2"]) == (0.0, 0.03)
    choose(combo, "l1")
    assert (experiment.preset.training["l1"], experiment.preset.training["l2"]) == (0.03, 0.0)
    choose(combo, "none")
    assert (experiment.preset.training["l1"], experiment.preset.training["l2"]) == (0.0, 0.0)
    assert not rate.isEnabled()


def test_run_length_clipping_and_early_stopping(experiment, panels):
    hyper = panels[2]
    choose(hyper.findChild(QComboBox, "runLengthCombo"), "epochs")
    assert (experiment.preset.training["steps"], experiment.preset.training["epochs"]) == (None, 20)
    hyper.grad_clip.check.setChecked(True)
    assert experiment.preset.training["grad_clip"] == 1.0
    hyper.grad_clip.check.setChecked(False)
    assert experiment.preset.training["grad_clip"] is None
    hyper.early.editors["patience"].check.setChecked(True)
    assert experiment.preset.training["early_stopping"]["patience"] == 10
    loss = hyper.loss.combo
    enabled = {loss.itemData(i): loss.model().item(i).isEnabled() for i in range(loss.count())}
    assert enabled["cross_entropy"] and not enabled["huber"]  # only losses that suit classification


# ---- Network panel ---------------------------------------------------------------------------
def test_add_and_remove_layers(qtbot, experiment, panels):
    network = panels[1]
    label = network.findChild(QLabel, "paramCountLabel")
    assert label.text() == f"Parameters: {param_total(experiment):,}"
    before, text = len(layers(experiment)), label.text()
    qtbot.mouseClick(network.findChild(QPushButton, "addLayerButton"), Qt.MouseButton.LeftButton)
    assert len(layers(experiment)) == before + 2
    assert layers(experiment)[-3:-1] == [{"type": "Linear", "width": 16, "bias": True}, {"type": "Tanh"}]
    assert label.text() != text and label.text() == f"Parameters: {param_total(experiment):,}"
    qtbot.mouseClick(network.findChild(QToolButton, "removeLayerButton0"), Qt.MouseButton.LeftButton)
    assert len(layers(experiment)) == before
    assert shown(network, QSpinBox, "widthSpin4") is None


def test_width_and_activation_edits(experiment, panels):
    network = panels[1]
    network.findChild(QSpinBox, "widthSpin0").setValue(8)
    assert layers(experiment)[0]["width"] == 8
    assert network.findChild(QLabel, "paramCountLabel").text() == f"Parameters: {param_total(experiment):,}"
    choose(network.findChild(QComboBox, "activationCombo1"), "ReLU")
    assert [layer["type"] for layer in layers(experiment)[2:4]] == ["Linear", "ReLU"]
    choose(network.findChild(QComboBox, "activationCombo1"), "")
    assert [layer["type"] for layer in layers(experiment)[2:4]] == ["Linear", "Linear"]


def test_declining_the_reset_keeps_the_preset_and_resyncs(experiment, panels):
    data, network, _ = panels
    experiment.confirm_reset = lambda: False
    before = experiment.preset.to_json()
    spin = network.findChild(QSpinBox, "widthSpin0")
    spin.setValue(3)
    assert spin.value() == 16
    combo = data.findChild(QComboBox, "datasetCombo")
    choose(combo, "circle")
    assert combo.currentData() == "spiral"
    slider = data.findChild(QSlider, "noiseSlider")
    slider.setValue(30)
    assert slider.value() == 0
    network.add_layer()
    assert shown(network, QSpinBox, "widthSpin4") is None
    assert experiment.preset.to_json() == before


def test_other_networks_point_to_the_builder_and_problems_show_in_red(experiment, panels):
    network = panels[1]

    def add_dropout(doc):
        doc["networks"]["main"]["layers"].insert(2, {"type": "Dropout", "p": 0.2})

    assert experiment.edit("networks", add_dropout)
    readonly = network.findChild(QLabel, "readOnlyLayers")
    assert readonly.isVisible() and "10 layers" in readonly.text() and "Network builder" in readonly.text()
    assert not network.findChild(QPushButton, "addLayerButton").isVisible()
    assert experiment.edit("networks", lambda doc: doc["networks"]["main"]["layers"][-1].update(width=5))
    problems = network.findChild(QLabel, "problemsLabel")
    assert experiment.problems and problems.isVisible() and "networks.main" in problems.text()


# ---- generated editors -----------------------------------------------------------------------
def _all_params():
    groups = [TRAINING.params, EARLY_STOPPING.params, *(g.params for g in OPTIMIZERS.values()),
              *(g.params for g in SCHEDULERS.values()), *(d.params for d in DATASETS.values()),
              *(t.params for t in LAYERS.values()), *(g.params for g in INITS.values())]
    return [p for params in groups for p in params]


def test_every_editor_tooltip_shows_its_help(qtbot):
    for param in _all_params():
        editor = make_editor(param)
        qtbot.addWidget(editor)
        assert param.help in plain(editor.toolTip()), param.name
        assert editor.value() == param.default, param.name


def test_panel_widgets_show_declared_help(panels):
    data, _, hyper = panels
    assert TRAINING.param("learning_rate").help in plain(hyper.findChild(QDoubleSpinBox, "learningRateSpin")
                                                         .toolTip())
    assert DATASETS["spiral"].param("noise").help in plain(data.findChild(QSlider, "noiseSlider").toolTip())


def test_param_form_values_and_signals(qtbot):
    form = ParamForm(LAYERS["Conv2d"].params)
    qtbot.addWidget(form)
    assert form.values() == LAYERS["Conv2d"].defaults()
    with qtbot.assertNotEmitted(form.edited):
        form.set_values({"channels": 16, "bias": False})
    assert form.values()["channels"] == 16
    with qtbot.waitSignal(form.edited) as signal:
        form.editor("kernel_size").spin.setValue(5)
    assert signal.args == ["kernel_size", 5]


def test_int_list_editor_is_validated(qtbot):
    editor = make_editor(LAYERS["Reshape"].params[0])
    qtbot.addWidget(editor)
    assert editor.edit.validator().validate("1, a", 0)[0] == QValidator.State.Invalid
    with qtbot.waitSignal(editor.value_changed) as signal:
        editor.edit.setText("1, 8, 8")
        editor.edit.editingFinished.emit()
    assert signal.args == [[1, 8, 8]]


# ---- Concepts --------------------------------------------------------------------------------
def test_concepts_list_everything_and_search_filters(qtbot):
    dialog = ConceptsDialog()
    qtbot.addWidget(dialog)
    titles = dialog.visible_topics()
    assert set(LAYERS) <= set(titles)
    assert {d.title for d in DATASETS.values()} <= set(titles)
    assert {"SGD", "Adam", "L1", "L2", "Dropout", "Weight decay", "Early stopping"} <= set(titles)
    dialog.search.setText("momentum")
    found = dialog.visible_topics()
    assert "SGD" in found and "Circle" not in found and "Linear" not in found
    assert "momentum" in dialog.page.toPlainText().lower()
    dialog.search.setText("")
    assert dialog.visible_topics() == titles


def test_panels_do_not_import_torch():
    code = ("import sys, playground.gui.panels, playground.gui.concepts_dialog; "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_output_layer_follows_classes_for_any_dataset_edit():
    """Editing the dataset object directly (no panel filling in defaults) still resizes the output."""
    from playground.core.presets import load_preset as _load
    from playground.gui.experiment import Experiment as _Experiment

    experiment = _Experiment(_load("spiral-deep"))
    assert experiment.edit("dataset", lambda d: d.update(dataset={"name": "blobs", "classes": 5}))
    assert experiment.preset.networks["main"].layers[-1].params["width"] == 5 and experiment.runnable


def test_gan_settings_grey_out_what_the_chosen_loss_and_noise_do_not_use(qtbot):
    experiment = Experiment(load_preset("gan-grid25"))
    panel = HyperparametersPanel(experiment)
    qtbot.addWidget(panel)
    form = panel.task_form
    assert form.editor("mixture_components").isEnabled() and not form.editor("gp_weight").isEnabled()
    choose(form.editor("latent_distribution").combo, "normal")
    assert experiment.preset.training["gan"]["latent_distribution"] == "normal"
    assert not form.editor("mixture_components").isEnabled()
    choose(form.editor("loss").combo, "wgan_gp")
    assert form.editor("gp_weight").isEnabled() and not form.editor("label_smoothing").isEnabled()
    experiment.undo()  # back to non_saturating: the form follows the experiment
    assert not form.editor("gp_weight").isEnabled() and form.editor("label_smoothing").isEnabled()
    assert panel.run_form.isRowVisible(panel.loss) is False  # the game's loss is chosen above, not here
    experiment.replace(load_preset("spiral-deep"), None)
    assert panel.run_form.isRowVisible(panel.loss) and panel.task_box.isHidden()
