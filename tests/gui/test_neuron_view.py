"""The neuron view (units as heatmaps, weights as links) and the forward-pass inspector, alone and in the window."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from playground.core.inspect_network import forward_trace, unit_heatmaps
from playground.core.presets import load_preset, parse_preset
from playground.gui.classify.forward_inspector import ForwardInspector
from playground.gui.classify.neuron_view import NeuronView


def network(sizes=(2, 3, 1), n=6, seed=0):
    rng = np.random.default_rng(seed)
    maps = [rng.normal(size=(k, n, n)).astype(np.float32) for k in sizes]
    weights = [rng.normal(size=(b, a)).astype(np.float32) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    return maps, weights


def is_orange(color: QColor) -> bool:
    return color.red() > color.blue() + 100


def test_nodes_and_links_match_the_layers(qtbot):
    view = NeuronView()
    qtbot.addWidget(view)
    maps, weights = network((2, 3, 4, 1))
    weights[0][:] = 0.1
    weights[0][0, 0], weights[0][1, 0] = -0.5, -2.0
    view.set_network(maps, weights, (-6, 6, -6, 6))
    assert not view.showing_note()
    assert sum(len(layer) for layer in view.node_items()) == 2 + 3 + 4 + 1
    assert [len(links) for links in view.link_items()] == [3 * 2, 4 * 3, 1 * 4]
    weak, strong, positive = view.link_items()[0][0], view.link_items()[0][2], view.link_items()[0][1]
    assert is_orange(strong.pen().color()) and is_orange(weak.pen().color())
    assert not is_orange(positive.pen().color())
    assert strong.pen().widthF() > weak.pen().widthF()
    assert np.array_equal(view.node_items()[1][2].image, maps[1][2])


def test_a_new_frame_updates_the_same_items(qtbot):
    view = NeuronView()
    qtbot.addWidget(view)
    maps, weights = network()
    view.set_network(maps, weights)
    nodes = [node for layer in view.node_items() for node in layer]
    links = [link for layer in view.link_items() for link in layer]
    new_maps, new_weights = network(seed=1)
    new_weights[0][0, 0] = -3.0
    view.set_network(new_maps, new_weights)
    assert [node for layer in view.node_items() for node in layer] == nodes
    assert [link for layer in view.link_items() for link in layer] == links
    assert np.array_equal(view.node_items()[1][0].image, new_maps[1][0])
    assert is_orange(view.link_items()[0][0].pen().color())


def test_clear_network_shows_the_note_and_hover_signals(qtbot):
    view = NeuronView()
    qtbot.addWidget(view)
    view.set_network(*network())
    with qtbot.waitSignal(view.unit_hovered) as hovered:
        view._on_node_hovered(1, 2)
    assert hovered.args == [1, 2] and view.hovered() == (1, 2)
    with qtbot.waitSignal(view.unit_left):
        view.clear_network("not this network")
    assert view.showing_note() and view.note_text() == "not this network"
    assert view.unit_map(0, 0) is None and view.hovered() is None


def test_inspector_asks_with_the_typed_inputs_and_formats_the_trace(qtbot):
    from playground.core.inspect_network import LayerTrace

    inspector = ForwardInspector()
    qtbot.addWidget(inspector)
    inspector.set_inputs(["in1", "in2"], clickable=False)
    inspector.set_values([1.5, -2])
    with qtbot.waitSignal(inspector.trace_requested) as asked:
        qtbot.mouseClick(inspector.findChild(type(inspector._run), "forwardRunButton"), Qt.MouseButton.LeftButton)
    assert asked.args[0].tolist() == [1.5, -2.0]
    inspector.show_trace((asked.args[0], [LayerTrace("fc", np.array([1 / 3, -7.0]), np.array([1 / 3, 0.0]))]))
    assert inspector.values("z") == {"fc": ["0.3333", "-7"]}
    assert inspector.values("a") == {"fc": ["0.3333", "0"]}
    with qtbot.assertNotEmitted(inspector.trace_requested):
        inspector.point_clicked(1.0, 2.0)  # these inputs are not the plane's x1, x2


# ---- in the window -----------------------------------------------------------------------------
def short(name, **training):
    doc = load_preset(name).to_json()
    doc["training"].update(**training)
    return parse_preset(doc)


@pytest.fixture
def make_window(qtbot, open_window):
    def make(preset, surface=True):
        window = open_window(preset)
        if surface:
            qtbot.waitUntil(lambda: window.boundary_plot.surface_image() is not None, timeout=10000)
        else:
            qtbot.waitUntil(lambda: window.controller.status is not None, timeout=30000)
        return window

    return make


def trainer(window):
    return window.controller._worker.trainer  # read only while the worker is idle (paused)


def test_xor_neurons_follow_training_and_hover_shows_a_unit_big(qtbot, make_window):
    w = make_window(short("xor", steps=100000))
    qtbot.waitUntil(lambda: w.neuron_view.unit_map(0, 0) is not None, timeout=10000)
    assert w.findChild(NeuronView, "neuronView") is w.neuron_view
    assert w.neurons_dock.objectName() == "neuronsDock" and w.forward_dock.objectName() == "forwardDock"
    assert [len(layer) for layer in w.neuron_view.node_items()] == [2, 8, 8, 1]
    before = w.neuron_view.node_items()[1][0].image.copy()
    for _ in range(5):
        with qtbot.waitSignal(w.controller.snapshot, timeout=5000):
            w.actions.step.trigger()
    assert w.controller.step == 5
    expected = unit_heatmaps(trainer(w).task)
    for layer, maps in enumerate(expected):
        for unit, values in enumerate(maps):
            assert np.allclose(w.neuron_view.unit_map(layer, unit), values, atol=1e-6)
    assert not np.array_equal(w.neuron_view.node_items()[1][0].image, before)

    surface = w.boundary_plot.surface_image().copy()
    w.neuron_view._on_node_hovered(2, 3)
    assert w.boundary_plot.unit_map_shown()
    overlay = w.boundary_plot._unit_image.image
    assert np.allclose(overlay, expected[2][3], atol=1e-6)
    w.neuron_view._on_node_left()
    assert not w.boundary_plot.unit_map_shown()
    assert np.array_equal(w.boundary_plot.surface_image(), surface)
    assert w.boundary_plot.image_item().isVisible()


def test_digits_cnn_shows_the_note(qtbot, make_window):
    w = make_window(short("digits-cnn"), surface=False)
    assert w.neuron_view.showing_note()
    assert "dense networks on 2-D data" in w.neuron_view.note_text()
    assert not w.forward_inspector._run.isEnabled()


def test_forward_pass_of_seed_forward_pass_by_hand(qtbot, make_window):
    w = make_window(load_preset("seed-forward-pass"), surface=False)
    inspector = w.findChild(ForwardInspector, "forwardInspector")
    assert len(inspector._spins) == 3
    inspector.set_values([1, 2, 3])
    with qtbot.waitSignal(w.controller.trace_ready, timeout=5000):
        inspector._run.click()
    assert inspector.values("z") == {"linear1": ["7", "7"], "linear2": ["15"]}
    assert inspector.values("a")["linear1"] == ["7", "7"]


def test_click_on_the_plane_fills_the_inputs_and_runs(qtbot, make_window):
    w = make_window(short("xor", steps=100000))
    plot = w.boundary_plot
    viewbox = plot.plot_item().getViewBox()
    graphics = plot._view
    pos = graphics.mapFromScene(viewbox.mapViewToScene(QPointF(1.0, -2.0)))
    with qtbot.waitSignal(w.controller.trace_ready, timeout=5000) as traced:
        qtbot.mouseClick(graphics.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    x = traced.args[0][0]
    assert np.allclose(x, [1.0, -2.0], atol=0.05), x
    assert np.allclose(w.forward_inspector.inputs(), x)
    expected = forward_trace(trainer(w).task.model, x)
    linear1 = trainer(w).task.model.linear1
    by_hand = linear1.weight.detach().numpy() @ np.asarray(x, dtype=np.float32) + linear1.bias.detach().numpy()
    assert np.allclose(expected[0].z, by_hand, atol=1e-5)
    assert w.forward_inspector.values("z")["linear1"] == [f"{v:.4g}" for v in expected[0].z]
