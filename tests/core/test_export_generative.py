"""A GAN's generator and discriminator and a VAE's encoder and decoder export like any network:
weights, TorchScript and ONNX match PyTorch, and the Python code rebuilds the same network."""

import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from playground.core.export import ExportError, export, exportable_networks
from playground.core.presets import load_preset
from playground.core.training.factory import make_trainer

PRESETS = Path(__file__).resolve().parents[2] / "playground" / "presets"


@pytest.fixture(scope="module", params=["gan-ring8:generator", "gan-digits:discriminator", "vae-digits:decoder",
                                        "vae-digits:encoder", "vae-digits:encoder+decoder"])
def case(request):
    name, network = request.param.split(":")
    preset = load_preset(PRESETS / f"{name}.json")
    preset.training["steps"] = 5
    trainer = make_trainer(preset, device="cpu")
    trainer.run()
    module, shape = exportable_networks(trainer)[network]
    return trainer, network, module, shape


def reference(module, x):
    module.eval()
    with torch.no_grad():
        out = module(x)
    return [o.numpy() for o in (out if isinstance(out, (tuple, list)) else (out,))]


def test_weights_round_trip(case, tmp_path):
    from safetensors.torch import load_file

    trainer, network, module, shape = case
    result = export(trainer, "safetensors", tmp_path / "w.safetensors", network=network)
    state = load_file(result.path)
    assert state.keys() == module.state_dict().keys()
    assert all(torch.equal(state[k], v.cpu()) for k, v in module.state_dict().items())
    pt = export(trainer, "state_dict", tmp_path / "w.pt", network=network)
    assert torch.load(pt.path, weights_only=True).keys() == state.keys()


def test_torchscript_and_onnx_match_pytorch(case, tmp_path):
    pytest.importorskip("onnxruntime")
    trainer, network, module, shape = case
    for fmt, path in (("torchscript", tmp_path / "m.pt"), ("onnx", tmp_path / "m.onnx")):
        result = export(trainer, fmt, path, network=network)
        assert result.verified and result.max_difference <= 1e-4, result.summary()
    import onnxruntime

    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    x = torch.randn(6, *shape)
    got = session.run(None, {"input": x.numpy()})
    for a, b in zip(got, reference(module, x), strict=True):
        assert np.abs(a - b).max() <= 1e-4


def test_python_code_rebuilds_the_network(case, tmp_path):
    trainer, network, module, shape = case
    if network.startswith("encoder"):  # the task's mean and log-variance heads are not preset layers
        with pytest.raises(ExportError):
            export(trainer, "python", tmp_path / "code", network=network)
        return
    result = export(trainer, "python", tmp_path / "code", network=network)
    assert (result.path / "model.py").is_file() and (result.path / f"{network}.safetensors").is_file()
    namespace = runpy.run_path(str(result.path / "model.py"))
    net = namespace["load"](result.path / f"{network}.safetensors")
    x = torch.randn(4, *shape)
    with torch.no_grad():
        assert np.allclose(net(x).numpy(), reference(module, x)[0], atol=1e-6)
    run = subprocess.run([sys.executable, "model.py"], cwd=result.path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_both_vae_networks_together_rebuild_the_images(case):
    trainer, network, module, shape = case
    if network != "encoder+decoder":
        return
    images = trainer.data.x_test[:5]
    out = reference(module, torch.as_tensor(images))[0]
    expected = trainer.task.latent.decode(trainer.task.latent.encode(images))  # the view's own API
    assert out.shape == (5, *shape) and expected.shape == out.shape
    assert np.allclose(out, expected, atol=1e-5)


def test_an_unknown_network_is_named(case, tmp_path):
    trainer, *_ = case
    with pytest.raises(ExportError, match="no network 'main'"):
        export(trainer, "onnx", tmp_path / "m.onnx", network="main")
