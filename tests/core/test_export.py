"""Exports open elsewhere and match PyTorch; a failed export keeps the previous file."""

import numpy as np
import pytest
import torch

from playground.core.build import build_network
from playground.core.export import ExportError, export
from playground.core.presets import load_preset, parse_preset
from playground.core.training.factory import make_trainer


@pytest.fixture(scope="module", params=["spiral-deep", "digits-cnn"])
def trained(request):
    doc = load_preset(request.param).to_json()
    doc["training"]["steps"] = 20
    trainer = make_trainer(parse_preset(doc))
    trainer.run()
    return trainer


def reference(trainer, x):
    trainer.task.model.eval()
    with torch.no_grad():
        out = trainer.task.model(x).numpy()
    trainer.task.model.train()
    return out


def test_state_dict_and_safetensors_load_into_plain_pytorch(trained, tmp_path):
    from safetensors.torch import load_file

    x = torch.randn(5, *trained.data.input_shape)
    for fmt, loader in (("state_dict", lambda p: torch.load(p, weights_only=True)), ("safetensors", load_file)):
        result = export(trained, fmt, tmp_path / f"m.{fmt}")
        fresh = build_network(trained.preset.networks["main"].layers, trained.data.input_shape, seed=99).eval()
        fresh.load_state_dict(loader(result.path))
        with torch.no_grad():
            assert np.array_equal(fresh(x).numpy(), reference(trained, x))


def test_torchscript_is_verified_and_loads(trained, tmp_path):
    result = export(trained, "torchscript", tmp_path / "m.pt")
    assert result.verified and result.max_difference <= 1e-4 and "verified" in result.summary()
    x = torch.randn(3, *trained.data.input_shape)
    assert np.allclose(torch.jit.load(str(result.path))(x).detach().numpy(), reference(trained, x), atol=1e-5)


def test_onnx_is_checked_and_matches_with_any_batch_size(trained, tmp_path):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    result = export(trained, "onnx", tmp_path / "m.onnx")
    assert result.verified and result.max_difference <= 1e-4
    model = onnx.load(result.path)
    assert model.opset_import[0].version >= 17
    session = ort.InferenceSession(str(result.path), providers=["CPUExecutionProvider"])
    for batch in (1, 11):
        x = torch.randn(batch, *trained.data.input_shape)
        got = session.run(None, {"input": x.numpy()})[0]
        assert np.abs(got - reference(trained, x)).max() <= 1e-4


def test_a_failed_export_keeps_the_previous_file(trained, tmp_path, monkeypatch):
    target = tmp_path / "m.onnx"
    target.write_bytes(b"the previous export")

    def broken(*args, **kwargs):
        with open(args[2], "wb") as handle:
            handle.write(b"half a file")
        raise RuntimeError("disk full")

    monkeypatch.setattr(torch.onnx, "export", broken)
    with pytest.raises(ExportError, match="disk full"):
        export(trained, "onnx", target)
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["m.onnx"]


def test_unknown_format_is_named(trained, tmp_path):
    with pytest.raises(ExportError, match="unknown format 'keras'"):
        export(trained, "keras", tmp_path / "m")
