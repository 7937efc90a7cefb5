"""Looking inside: the forward-pass trace and the neuron heatmaps agree with hand computations."""

import numpy as np
import torch

from playground.core.inspect_network import dense_layout, forward_trace, link_weights, unit_heatmaps
from playground.core.presets import load_preset
from playground.core.tasks.classify.views import grid_points
from playground.core.training.factory import make_trainer


def test_seed_example_shows_z_7_7_and_output_15():
    trainer = make_trainer(load_preset("seed-forward-pass"))
    traces = forward_trace(trainer.task.model, np.array([1.0, 2.0, 3.0]))
    assert [t.name for t in traces] == ["linear1", "linear2"]
    assert traces[0].z.tolist() == [7.0, 7.0] and traces[0].a.tolist() == [7.0, 7.0]
    assert traces[1].z.tolist() == [15.0]


def test_trace_separates_pre_activation_from_activation():
    trainer = make_trainer(load_preset("xor"))
    x = np.array([0.5, -1.0], dtype=np.float32)
    traces = forward_trace(trainer.task.model, x)
    with torch.no_grad():
        z1 = trainer.task.model.linear1(torch.as_tensor(x)[None])[0].numpy()
    assert np.allclose(traces[0].z, z1) and np.allclose(traces[0].a, np.tanh(z1), atol=1e-6)


def test_neuron_heatmaps_are_the_hidden_outputs_over_the_plane():
    trainer = make_trainer(load_preset("xor"))
    maps = unit_heatmaps(trainer.task, n=10)
    assert dense_layout(trainer.task.model) == [2, 8, 8, 1] and [m.shape for m in maps] == [
        (2, 10, 10), (8, 10, 10), (8, 10, 10), (1, 10, 10)]
    x = torch.as_tensor(trainer.data.transform(grid_points(trainer.data.extent, 10)))
    with torch.no_grad():
        hidden = torch.tanh(trainer.task.model.linear1(x)).numpy()
    assert np.allclose(maps[1], hidden.T.reshape(8, 10, 10), atol=1e-6)
    assert [w.shape for w in link_weights(trainer.task.model)] == [(8, 2), (8, 8), (1, 8)]


def test_no_neuron_view_for_cnns_or_wide_layers():
    assert unit_heatmaps(make_trainer(load_preset("digits-cnn")).task) is None
    doc = load_preset("xor").to_json()
    doc["networks"]["main"]["layers"][0]["width"] = 64
    from playground.core.presets import parse_preset

    assert unit_heatmaps(make_trainer(parse_preset(doc)).task) is None
