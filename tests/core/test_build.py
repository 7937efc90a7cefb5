"""Preset -> torch module: readable names, seeded weights, initialisations, the seed example."""

import torch

from playground.core.build import build_network
from playground.core.presets import load_preset, parse_preset
from playground.core.training.factory import make_trainer


def net(name):
    preset = load_preset(name)
    return preset, preset.networks["main"].layers


def test_same_seed_same_weights_other_seed_other_weights():
    preset, layers = net("spiral-deep")
    a = build_network(layers, (2,), seed=3).state_dict()
    b = build_network(layers, (2,), seed=3).state_dict()
    c = build_network(layers, (2,), seed=4).state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not all(torch.equal(a[k], c[k]) for k in a)


def test_building_does_not_disturb_the_global_random_stream():
    torch.manual_seed(7)
    expected = torch.rand(3)
    torch.manual_seed(7)
    build_network(net("xor")[1], (2,), seed=1)
    assert torch.equal(torch.rand(3), expected)


def test_module_names_are_readable():
    _, layers = net("spiral-deep")
    names = list(dict(build_network(layers, (2,), seed=0).named_children()))
    assert names[:4] == ["linear1", "tanh1", "linear2", "tanh2"] and names[-1] == "linear5"


def test_seed_forward_pass_matches_the_hand_computation():
    preset, layers = net("seed-forward-pass")
    model = build_network(layers, (3,), seed=preset.seed)
    x = torch.tensor([[1.0, 2.0, 3.0]])
    hidden = model.linear1(x)
    assert hidden.tolist() == [[7.0, 7.0]]
    assert model(x).tolist() == [[15.0]]
    trainer = make_trainer(preset)
    assert trainer.evaluate()["train_loss"] == (15.0 - 12.0) ** 2


def test_initialisations_are_applied():
    doc = load_preset("xor").to_json()
    layers = doc["networks"]["main"]["layers"]
    layers[0]["init"] = {"weight": {"kind": "normal", "mean": 0.0, "std": 0.5}, "bias": {"kind": "zeros"}}
    layers[2]["init"] = {"weight": {"kind": "uniform", "low": 0.2, "high": 0.3},
                         "bias": {"kind": "constant", "value": -2.0}}
    layers[4]["init"] = {"weight": {"kind": "xavier_uniform", "gain": 1.0}}
    preset = parse_preset(doc)
    model = build_network(preset.networks["main"].layers, (2,), seed=0)
    assert torch.all(model.linear1.bias == 0)
    assert 0.3 < model.linear1.weight.std().item() < 0.8
    assert torch.all((model.linear2.weight >= 0.2) & (model.linear2.weight <= 0.3))
    assert torch.all(model.linear2.bias == -2.0)
    bound = (6 / (8 + 1)) ** 0.5
    assert model.linear3.weight.abs().max().item() <= bound
