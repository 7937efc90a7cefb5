"""An exported GAN generator carries the noise it was trained on, so it can be sampled without the app.

The Python export's model.py draws the noise exactly as the app does (noise(), sample()); ONNX, TorchScript
and safetensors files hold it as JSON metadata (key "latent"). Samples drawn through the exports score
the app's high-quality share on gan-grid25, and standard-normal noise, which is all a bare generator
file used to offer, scores far worse.
"""

import json
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from playground.core.export import export
from playground.core.presets import load_preset
from playground.core.tasks.gan.latent import MIXTURE_SPREAD
from playground.core.tasks.gan.mode_metrics import EVAL_SAMPLES, mode_coverage
from playground.core.training.factory import make_trainer

PRESETS = Path(__file__).resolve().parents[2] / "playground" / "presets"

pytestmark = pytest.mark.usefixtures("one_thread")


def grid25(steps: int = 10, **gan):
    preset = load_preset(PRESETS / "gan-grid25.json")
    preset.training["steps"] = steps
    preset.training["gan"].update(gan)
    return make_trainer(preset, device="cpu")


# ---- drawing noise from the metadata alone, as a user of the file would ----------------------------
def torch_draw(latent: dict, n: int, generator: torch.Generator) -> torch.Tensor:
    """The JSON's recipe with the torch calls the app makes (one generator state: the app's codes)."""
    size = latent["size"]
    if latent["distribution"] == "normal":
        return torch.randn(n, size, generator=generator)
    if latent["distribution"] == "uniform":
        return torch.rand(n, size, generator=generator) * (latent["high"] - latent["low"]) + latent["low"]
    centres = torch.tensor(latent["centres"], dtype=torch.float32)
    pick = torch.randint(len(centres), (n,), generator=generator)
    return centres[pick] + latent["spread"] * torch.randn(n, size, generator=generator)


def numpy_draw(latent: dict, n: int, seed: int) -> np.ndarray:
    """The JSON's recipe with NumPy: the same distribution, an unrelated random stream."""
    rng, size = np.random.default_rng(seed), latent["size"]
    if latent["distribution"] == "normal":
        return rng.standard_normal((n, size)).astype(np.float32)
    if latent["distribution"] == "uniform":
        return rng.uniform(latent["low"], latent["high"], (n, size)).astype(np.float32)
    centres = np.asarray(latent["centres"], dtype=np.float32)
    pick = rng.integers(len(centres), size=n)
    return (centres[pick] + latent["spread"] * rng.standard_normal((n, size))).astype(np.float32)


def onnx_latent(path: Path) -> dict:
    import onnx

    props = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    return json.loads(props["latent"])


# ---- what each format carries ----------------------------------------------------------------------
@pytest.mark.parametrize("distribution", ["normal", "uniform", "mixture"])
def test_every_generator_export_says_how_to_draw_its_noise(distribution, tmp_path):
    from safetensors import safe_open

    trainer = grid25(latent_distribution=distribution, latent_size=3, mixture_components=7)
    expected = {"distribution": distribution, "size": 3}
    if distribution == "uniform":
        expected.update(low=-1.0, high=1.0)
    if distribution == "mixture":
        expected.update(components=7, spread=MIXTURE_SPREAD, centres=trainer.task.noise.centres.tolist())

    result = export(trainer, "safetensors", tmp_path / "g.safetensors")
    with safe_open(str(result.path), "pt") as handle:
        assert json.loads(handle.metadata()["latent"]) == expected
    assert "noise" in result.summary() and "included" in result.summary()

    result = export(trainer, "torchscript", tmp_path / "g.pt")
    assert result.verified, result.summary()
    extra = {"latent.json": ""}
    torch.jit.load(str(result.path), _extra_files=extra)
    assert json.loads(extra["latent.json"]) == expected and "latent.json" in result.summary()

    if distribution == "mixture":  # the float32 centres come back exactly from the JSON numbers
        assert torch.equal(torch.tensor(expected["centres"], dtype=torch.float32), trainer.task.noise.centres)
    if _has("onnx"):
        result = export(trainer, "onnx", tmp_path / "g.onnx")
        assert onnx_latent(result.path) == expected and "noise" in result.summary()

    result = export(trainer, "state_dict", tmp_path / "g_state.pt")
    assert "not in it" in result.note  # the summary says where to find it instead

    code = export(trainer, "python", tmp_path / "code").path
    model = runpy.run_path(str(code / "model.py"))
    for seed in (0, 5):  # the same generator state: the very codes the app draws
        assert torch.equal(model["noise"](64, torch.Generator().manual_seed(seed)),
                           trainer.task.noise.sample(64, torch.Generator().manual_seed(seed)))
        assert torch.equal(torch_draw(expected, 64, torch.Generator().manual_seed(seed)),
                           trainer.task.noise.sample(64, torch.Generator().manual_seed(seed)))
    net = model["load"](code / "generator.safetensors")
    codes = trainer.task.noise.sample(9, torch.Generator().manual_seed(2))
    with torch.no_grad():
        expected_samples = trainer.networks["generator"].eval()(codes)
    assert torch.equal(model["sample"](net, 9, generator=2), expected_samples)


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def test_the_discriminator_carries_no_noise(tmp_path):
    from safetensors import safe_open

    trainer = grid25(pack=1)  # unpacked: the export gives a packed discriminator the unpacked input shape
    result = export(trainer, "safetensors", tmp_path / "d.safetensors", network="discriminator")
    with safe_open(str(result.path), "pt") as handle:
        assert "latent" not in (handle.metadata() or {})
    assert "noise" not in result.summary()
    extra = {"latent.json": ""}
    torch.jit.load(str(export(trainer, "torchscript", tmp_path / "d.pt", network="discriminator").path),
                   _extra_files=extra)
    assert not extra["latent.json"]  # no such file in it
    code = export(trainer, "python", tmp_path / "code", network="discriminator").path
    assert "def sample" not in (code / "model.py").read_text()


def test_many_centres_go_to_a_file_beside_model_py_which_runs_and_is_ruff_clean(tmp_path):
    trainer = grid25(latent_size=64, mixture_components=100)  # 6,400 numbers: too many to write out
    code = export(trainer, "python", tmp_path / "code").path
    assert (code / "latent_centres.safetensors").is_file()
    assert len((code / "model.py").read_text()) < 20_000
    model = runpy.run_path(str(code / "model.py"))
    assert torch.equal(model["noise"](32, torch.Generator().manual_seed(1)),
                       trainer.task.noise.sample(32, torch.Generator().manual_seed(1)))
    small = export(grid25(), "python", tmp_path / "small").path  # 100 2-D centres, written out
    assert not (small / "latent_centres.safetensors").exists() and "MIXTURE_CENTRES = torch.tensor" in \
        (small / "model.py").read_text()
    for folder in (code, small):
        run = subprocess.run([sys.executable, "model.py"], cwd=folder, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is not None:
        done = subprocess.run([ruff, "check", "--isolated", "--no-cache", "--select", "E,F,W", "--line-length", "120",
                               str(code / "model.py"), str(small / "model.py")], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


# ---- the exported generator scores as the app's ------------------------------------------------------
def high_quality(trainer, samples) -> float:
    return mode_coverage(np.asarray(samples), trainer.data.modes, trainer.data.sigma)["high_quality"]


def shares(trainer, folder: Path) -> dict[str, float]:
    """gan-grid25's high-quality share of 2,500 samples: the app's own evaluation, the Python export's
    sample() and ONNX fed noise drawn from its metadata (each on the app's random stream and on another),
    and the generator fed standard-normal noise."""
    import onnxruntime

    n = EVAL_SAMPLES
    code = export(trainer, "python", folder / "code").path
    model = runpy.run_path(str(code / "model.py"))
    net = model["load"](code / "generator.safetensors")
    onnx_path = export(trainer, "onnx", folder / "generator.onnx").path
    latent = onnx_latent(onnx_path)
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])

    def run_onnx(codes) -> np.ndarray:
        return session.run(None, {"input": np.asarray(codes, dtype=np.float32)})[0]

    stream = lambda: torch.Generator().manual_seed(2024)  # noqa: E731
    generator = trainer.networks["generator"]
    was_training = generator.training
    generator.eval()
    try:
        with torch.no_grad():
            app_stream = generator(trainer.task.noise.sample(n, stream())).numpy()
    finally:
        generator.train(was_training)
    python_stream = model["sample"](net, n, stream()).numpy()
    assert np.array_equal(python_stream, app_stream)  # the same codes, the same network: the same samples
    return {
        "app": trainer.evaluate()["high_quality"],
        "app_stream": high_quality(trainer, app_stream),
        "python_stream": high_quality(trainer, python_stream),
        "python_other": high_quality(trainer, model["sample"](net, n, 77)),
        "onnx_stream": high_quality(trainer, run_onnx(torch_draw(latent, n, stream()))),
        "onnx_other": high_quality(trainer, run_onnx(numpy_draw(latent, n, seed=77))),
        "standard_normal": high_quality(trainer, run_onnx(np.random.default_rng(5).standard_normal((n, 2)))),
    }


def fit_generator_to_the_grid(trainer, steps: int = 3000) -> None:
    """A generator that sends every noise cluster to one of the 25 modes, fitted directly (seconds, where
    the GAN game takes minutes): the clusters sorted by x make five columns of 20, each sorted by y makes
    five modes of 4; the generator regresses each centre onto its mode."""
    centres = trainer.task.noise.centres
    modes = sorted({float(v) for v in trainer.data.modes[:, 0]})
    target = torch.empty_like(centres)
    by_x = sorted(range(len(centres)), key=lambda i: float(centres[i, 0]))
    per_column = len(centres) // 5
    for column in range(5):
        by_y = sorted(by_x[column * per_column:(column + 1) * per_column], key=lambda i: float(centres[i, 1]))
        for i, index in enumerate(by_y):
            target[index] = torch.tensor([modes[column], modes[i * 5 // len(by_y)]])
    generator = trainer.networks["generator"]
    optimizer = torch.optim.Adam(generator.parameters(), lr=1e-2)
    for _ in range(steps):
        loss = (generator(centres) - target).pow(2).sum(1).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()


def test_exported_generator_samples_score_the_apps_high_quality_share(tmp_path):
    pytest.importorskip("onnxruntime")
    trainer = grid25()
    fit_generator_to_the_grid(trainer)
    got = shares(trainer, tmp_path)
    assert got["app"] >= 0.8, got  # measured 0.93
    for key in ("python_stream", "onnx_stream"):  # the app's stream through each export: within 1 point
        assert abs(got[key] - got["app_stream"]) <= 0.01, got
    for key in ("python_other", "onnx_other"):  # other 2,500 draws: within sampling error (sd ~0.7 points)
        assert abs(got[key] - got["app"]) <= 0.03, got
    assert got["standard_normal"] <= got["app"] - 0.5, got  # measured 0.14: the metadata matters


@pytest.mark.slow
def test_the_trained_grid25_generator_exports_with_its_quality(tmp_path):
    """The preset's full default run (shared with the target tests): every way of sampling the export
    lands within 1 percentage point of the app's share; standard-normal noise is far off it."""
    pytest.importorskip("onnxruntime")
    from tests.core.preset_runs import trained

    got = shares(trained("gan-grid25"), tmp_path)
    assert got["app"] >= 0.95, got
    for key in ("app_stream", "python_stream", "python_other", "onnx_stream", "onnx_other"):
        assert abs(got[key] - got["app"]) <= 0.01, got
    assert got["standard_normal"] <= got["app"] - 0.3, got
