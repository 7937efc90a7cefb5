"""Shape inference and the summary agree with what torch actually builds and computes."""

import math

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.build import build_network
from playground.core.layers import CATEGORIES, LAYERS
from playground.core.presets import bundled_presets, load_preset
from playground.core.shape_inference import summarize
from playground.core.spec import LayerSpec


def layer(kind, **params):
    values = LAYERS[kind].defaults()
    values.update(params)
    return LayerSpec(kind, values)


def test_every_layer_type_is_declared_with_help():
    assert {"Linear", "Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "Flatten", "Reshape", "Dropout",
            "BatchNorm1d", "BatchNorm2d", "LayerNorm", "Upsample", "ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "Tanh",
            "Sigmoid", "Softplus", "Sine", "Identity", "Residual"} <= set(LAYERS)
    for layer_type in LAYERS.values():
        assert layer_type.category in CATEGORIES
        assert len(layer_type.help) > 20, layer_type.name
        for p in layer_type.params:
            assert p.help.endswith("."), (layer_type.name, p.name)
            assert p.check(p.default, "x") == [], (layer_type.name, p.name)


def test_cnn_shapes_params_and_macs_by_hand():
    layers = [layer("Conv2d", channels=8, kernel_size=3, padding=1), layer("ReLU"), layer("MaxPool2d"),
              layer("Conv2d", channels=16, kernel_size=3, stride=2), layer("Flatten"), layer("Linear", width=10)]
    s = summarize(layers, (1, 8, 8))
    assert [r.output_shape for r in s.rows] == [(8, 8, 8), (8, 8, 8), (8, 4, 4), (16, 1, 1), (16,), (10,)]
    assert s.rows[0].params == 8 * 1 * 9 + 8
    assert s.rows[0].macs == 8 * 8 * 8 * 9
    assert s.total_params == 80 + (16 * 8 * 9 + 16) + (16 * 10 + 10)
    assert s.ok and s.output_shape == (10,)


def test_first_bad_layer_is_named_and_later_layers_unknown():
    layers = [layer("Linear", width=8), layer("ReLU"), layer("Conv2d"), layer("Flatten"), layer("Linear", width=2)]
    s = summarize(layers, (2,))
    assert not s.ok
    [bad] = s.errors
    assert bad.path == "networks.main.layers[2]" and bad.type == "Conv2d"
    assert bad.error.startswith("receives (8,), but needs an image input (channels, height, width)")
    assert [r.shape_text for r in s.rows] == ["(8,)", "(8,)", "error", "?", "?"]
    assert s.error_messages() == [f"networks.main.layers[2] (Conv2d): {bad.error}"]
    assert "error: networks.main.layers[2] (Conv2d)" in str(s)


@pytest.mark.parametrize("layers, shape, needle", [
    ([("Conv2d", {"kernel_size": 5})], (1, 3, 3), "a 5x5 kernel does not fit a 3x3 image with padding 0"),
    ([("MaxPool2d", {"kernel_size": 4})], (1, 2, 2), "a 4x4 window does not fit a 2x2 image"),
    ([("Reshape", {"shape": [3, -1]})], (8,), "its 8 values do not divide into [3, -1]"),
    ([("Reshape", {"shape": [2, 2]})], (8,), "it holds 8 values and [2, 2] holds 4"),
    ([("Linear", {})], (1, 4, 4), "needs a flat input (features,); add a Flatten before it"),
    ([("ConvTranspose2d", {"output_padding": 1})], (1, 4, 4), "output_padding 1 must be smaller than stride 1"),
])
def test_shape_errors_say_what_is_needed(layers, shape, needle):
    s = summarize([layer(k, **p) for k, p in layers], shape)
    assert needle in s.errors[0].error


def test_residual_identity_projection_and_impossible():
    flat = LayerSpec("Residual", {}, layers=[layer("Linear", width=4), layer("ReLU")])
    s = summarize([flat], (4,))
    assert s.ok and s.rows[0].params == 0 and s.total_params == 20
    s = summarize([flat], (3,))
    assert s.ok and s.rows[0].params == 3 * 4 + 4 and "projection" in s.rows[0].detail
    image = LayerSpec("Residual", {}, layers=[layer("Conv2d", channels=6, stride=2, padding=1)])
    s = summarize([image], (3, 8, 8))
    assert s.ok and s.output_shape == (6, 4, 4) and s.rows[0].params == 3 * 6 + 6
    odd = LayerSpec("Residual", {}, layers=[layer("Flatten")])
    s = summarize([odd], (3, 8, 8))
    assert "skip connection" in s.errors[0].error
    assert s.rows[0].position == "0" and s.rows[1].position == "0.0"


def test_summary_of_invalid_input_never_raises():
    s = summarize([LayerSpec("Nope", {}), layer("ReLU")], (2,))
    assert not s.ok and s.rows[1].output_shape is None


# ---- agreement with torch on random networks ----------------------------------------------------------
IMAGE_LAYERS = ["Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "BatchNorm2d", "Upsample", "LayerNorm",
                "Dropout", "ReLU", "GELU", "Sine", "Residual"]
FLAT_LAYERS = ["Linear", "BatchNorm1d", "LayerNorm", "Dropout", "Tanh", "LeakyReLU", "Softplus", "Residual"]


@st.composite
def random_layer(draw, image: bool, depth: int = 0):
    kind = draw(st.sampled_from(IMAGE_LAYERS if image else FLAT_LAYERS))
    if kind == "Residual" and depth > 0:
        kind = "ReLU"
    params = LAYERS[kind].defaults()
    if kind in ("Conv2d", "ConvTranspose2d"):
        params.update(channels=draw(st.integers(1, 6)), kernel_size=draw(st.integers(1, 4)),
                      stride=draw(st.integers(1, 3)), padding=draw(st.integers(0, 2)), dilation=draw(st.integers(1, 2)),
                      bias=draw(st.booleans()))
    elif kind in ("MaxPool2d", "AvgPool2d"):
        k = draw(st.integers(1, 3))
        params.update(kernel_size=k, stride=draw(st.none() | st.integers(1, 3)), padding=draw(st.integers(0, k // 2)))
    elif kind == "Linear":
        params.update(width=draw(st.integers(1, 9)), bias=draw(st.booleans()))
    elif kind in ("BatchNorm1d", "BatchNorm2d", "LayerNorm"):
        params.update(affine=draw(st.booleans()))
    spec = LayerSpec(kind, params)
    if kind == "Residual":
        spec.layers = draw(st.lists(random_layer(image, depth + 1), max_size=3))
    return spec


@st.composite
def random_network(draw):
    image = draw(st.booleans())
    layers = draw(st.lists(random_layer(image), min_size=1, max_size=5))
    shape = (draw(st.integers(1, 3)), draw(st.integers(3, 10)), draw(st.integers(3, 10))) if image else \
        (draw(st.integers(1, 6)),)
    return layers, shape


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_network())
def test_inferred_shapes_and_counts_match_torch(network):
    layers, shape = network
    s = summarize(layers, shape)
    if not s.ok:
        return
    model = build_network(layers, shape, seed=0).eval()
    with torch.no_grad():
        out = model(torch.randn(2, *shape))
    assert tuple(out.shape[1:]) == s.output_shape
    assert s.total_params == sum(p.numel() for p in model.parameters())
    assert s.trainable_params == sum(p.numel() for p in model.parameters() if p.requires_grad)


@pytest.mark.parametrize("name", sorted(bundled_presets()))
def test_bundled_summary_total_equals_built_module(name):
    from playground.core.io_shapes import network_input_shapes

    preset = load_preset(name)
    for net, shape in network_input_shapes(preset).items():
        s = summarize(preset.networks[net].layers, shape, net)
        model = build_network(preset.networks[net].layers, shape, seed=preset.seed, network=net)
        assert s.total_params == sum(p.numel() for p in model.parameters()) > 0
        assert s.total_macs >= s.total_params - sum(math.prod(p.shape) for n, p in model.named_parameters()
                                                     if n.endswith("bias"))
