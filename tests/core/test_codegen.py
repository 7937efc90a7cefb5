"""Readable PyTorch export: model.py gives the app's outputs, train.py repeats the app's losses exactly."""

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from playground.core.build import build_network
from playground.core.codegen import model_source, train_script, write_training_bundle
from playground.core.presets import load_preset, parse_preset
from playground.core.run_output import save_weights
from playground.core.training.factory import make_trainer

CONV_BLOCK = [{"type": "Conv2d", "channels": 8, "kernel_size": 3, "stride": 2, "padding": 1}, {"type": "ReLU"}]
FLAT_BLOCK = [{"type": "Linear", "width": 16}, {"type": "SiLU"},
              {"type": "Residual", "layers": [{"type": "Linear", "width": 16}, {"type": "Tanh"}]}]
EVERYTHING = [  # every layer type, a residual with and without projection, flat and image, one nested
    {"type": "Conv2d", "channels": 4, "kernel_size": 3, "padding": 1},
    {"type": "BatchNorm2d"},
    {"type": "Residual", "layers": CONV_BLOCK},
    {"type": "Residual", "layers": [{"type": "Conv2d", "channels": 8, "kernel_size": 3, "padding": 1},
                                    {"type": "Sine", "frequency": 2.0}]},
    {"type": "Upsample", "scale_factor": 2, "mode": "bilinear"},
    {"type": "ConvTranspose2d", "channels": 4, "kernel_size": 2, "stride": 2},
    {"type": "AvgPool2d", "kernel_size": 2},
    {"type": "MaxPool2d", "kernel_size": 3, "stride": 1, "padding": 1},
    {"type": "LayerNorm"},
    {"type": "LeakyReLU", "negative_slope": 0.1},
    {"type": "Flatten"},
    {"type": "Linear", "width": 32},
    {"type": "BatchNorm1d", "momentum": 0.2},
    {"type": "ELU"},
    {"type": "Dropout", "p": 0.25},
    {"type": "Residual", "layers": FLAT_BLOCK},
    {"type": "Residual", "layers": [{"type": "Linear", "width": 16, "bias": False}, {"type": "Softplus", "beta": 2.0},
                                    {"type": "LayerNorm", "affine": False}]},
    {"type": "Reshape", "shape": [1, 4, -1]},
    {"type": "Conv2d", "channels": 2, "kernel_size": 3, "padding": 2, "dilation": 2},
    {"type": "GELU"},
    {"type": "Sigmoid"},
    {"type": "Flatten"},
    {"type": "Linear", "width": 10},
    {"type": "Identity"},
]


def hand_made(**training):
    return parse_preset({
        "name": "everything", "description": "Every layer type once.", "task": "image_classification",
        "dataset": {"name": "digits", "augment_shift": 1, "augment_flip": True},
        "networks": {"main": {"layers": EVERYTHING}},
        "training": {"optimizer": {"type": "adamw", "weight_decay": 0.01}, "scheduler": {"type": "cosine",
                     "min_lr": 1e-4}, "learning_rate": 0.003, "batch_size": 32, "steps": 30, **training},
        "seed": 3,
    })


def preset_with(name, **training):
    doc = load_preset(name).to_json()
    doc["training"].update(training)
    return parse_preset(doc)


def run(args, cwd, timeout=120, **extra_env):
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env.update(extra_env)
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


MODEL_CASES = {"spiral-deep": (2,), "digits-cnn": (1, 8, 8), "seed-forward-pass": (3,), "everything": (1, 8, 8)}
CHECK = """
import runpy
import torch
from safetensors.torch import load_file, save_file
from model import load
net = load("main.safetensors")
assert not net.training
with torch.no_grad():
    save_file({"y": net(load_file("inputs.safetensors")["x"]).contiguous()}, "outputs.safetensors")
runpy.run_path("model.py", run_name="__main__")  # the file's own demo runs too
"""


@pytest.mark.parametrize("name", MODEL_CASES)
def test_model_source_gives_the_app_outputs(name, tmp_path):
    preset = hand_made() if name == "everything" else load_preset(name)
    shape = MODEL_CASES[name]
    source = model_source(preset, "main", shape)
    compile(source, "model.py", "exec")
    assert "playground" not in source
    model = build_network(preset.networks["main"].layers, shape, seed=preset.seed)
    with torch.no_grad():  # move BatchNorm's running statistics away from their start
        for _ in range(3):
            model(torch.randn(8, *shape))
    model.eval()
    x = torch.randn(5, *shape, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        expected = model(x)
    save_weights({"main": model}, tmp_path / "main.safetensors")
    save_file({"x": x}, tmp_path / "inputs.safetensors")
    (tmp_path / "model.py").write_text(source)
    (tmp_path / "check.py").write_text(CHECK)
    printed = run([sys.executable, "check.py"], tmp_path)
    assert "tensor(" in printed
    got = load_file(tmp_path / "outputs.safetensors")["y"]
    assert got.shape == expected.shape
    assert (got - expected).abs().max().item() <= 1e-6


def test_one_readable_line_per_layer():
    spiral = model_source(load_preset("spiral-deep"), "main", (2,))
    assert "        self.linear1 = nn.Linear(2, 16)\n" in spiral
    assert "self.tanh4 = nn.Tanh()" in spiral and "x = self.linear5(x)  # (N, 2)" in spiral
    assert "class Sine" not in spiral and "class Residual" not in spiral and "OrderedDict" not in spiral
    cnn = model_source(load_preset("digits-cnn"), "main", (1, 8, 8))
    assert "self.conv2d1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)" in cnn
    assert "self.maxpool2d1 = nn.MaxPool2d(kernel_size=2)" in cnn
    everything = model_source(hand_made(), "main", (1, 8, 8), class_name="Everything")
    for text in ("class Sine(nn.Module)", "class Reshape(nn.Module)", "class Residual(nn.Module)",
                 "class Everything(nn.Module)", "self.reshape1 = Reshape(1, 4, 4)",
                 "projection=nn.Conv2d(4, 8, kernel_size=1, stride=2)", "projection=nn.Linear(32, 16)",
                 '("sine1", Sine(frequency=2.0))', "nn.BatchNorm1d(32, momentum=0.2)",
                 "nn.LayerNorm([4, 8, 8])", "nn.LayerNorm(16, elementwise_affine=False)",
                 'nn.Upsample(scale_factor=2, mode="bilinear")', "nn.Linear(16, 16, bias=False)"):
        assert text in everything, text


def _bundle(trainer, folder):
    paths = write_training_bundle(trainer, folder)
    assert [p.name for p in paths] == ["model.py", "train.py", "data.npz", "initial.safetensors",
                                       "main.safetensors"]
    assert all(p.is_file() for p in paths) and not list(folder.glob(".*"))  # no temporary files left
    assert "playground" not in paths[0].read_text()
    assert "from playground" not in paths[1].read_text() and "import playground" not in paths[1].read_text()
    return paths


TRAIN_CASES = {
    "spiral-deep": lambda: preset_with("spiral-deep", steps=30),
    "sgd-momentum-l2-step": lambda: preset_with(
        "regression-gauss", steps=30, l1=1e-4, l2=1e-3, grad_clip=0.5,
        optimizer={"type": "sgd", "momentum": 0.9, "nesterov": True}, scheduler={"type": "step", "step_size": 7,
                                                                                 "gamma": 0.5}),
    "epochs-mse-single-logit": lambda: preset_with(
        "xor", steps=None, epochs=1, loss="mse", optimizer={"type": "rmsprop", "momentum": 0.5},
        scheduler={"type": "exponential", "gamma": 0.95}),
    "everything": hand_made,
}


@pytest.mark.parametrize("name", TRAIN_CASES)
def test_train_script_repeats_the_app_losses_exactly(name, tmp_path):
    trainer = make_trainer(TRAIN_CASES[name](), device="cpu")
    trainer.run()
    expected = [record.batch_loss for record in trainer.history.records]
    _bundle(trainer, tmp_path)
    args = [] if trainer.training["epochs"] else ["--steps", str(trainer.total_steps)]
    printed = run([sys.executable, "train.py", *args, "--losses", "losses.json"], tmp_path)
    assert json.loads((tmp_path / "losses.json").read_text()) == expected
    assert "test loss" in printed
    trained, app = load_file(tmp_path / "trained.safetensors"), load_file(tmp_path / "main.safetensors")
    assert trained.keys() == app.keys() and all(torch.equal(trained[k], app[k]) for k in app)


def test_train_script_trains_with_the_app_thread_count(tmp_path, one_thread):
    """A sum split over more threads adds up in another order: the script sets the app's count (here 1)
    whatever the machine's default (here 2), so the losses still agree to the last bit."""
    trainer = make_trainer(hand_made(steps=10), device="cpu")
    trainer.run()
    _bundle(trainer, tmp_path)
    assert "\nTHREADS = 1  #" in (tmp_path / "train.py").read_text()
    run([sys.executable, "train.py", "--steps", "10", "--losses", "losses.json"], tmp_path, OMP_NUM_THREADS="2")
    assert json.loads((tmp_path / "losses.json").read_text()) == [r.batch_loss for r in trainer.history.records]


def test_torchrun_trains_data_parallel(tmp_path):
    trainer = make_trainer(preset_with("spiral-deep", steps=20, batch_size=15), device="cpu")  # 15 rows: 8 + 7
    trainer.run()
    _bundle(trainer, tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port", str(port),
         "train.py", "--steps", "20", "--losses", "losses.json"], tmp_path, timeout=180)
    assert (tmp_path / "trained.safetensors").is_file()
    losses = json.loads((tmp_path / "losses.json").read_text())
    expected = [record.batch_loss for record in trainer.history.records]
    assert losses == pytest.approx(expected, rel=1e-4)  # the same updates, up to rounding


def test_generated_files_are_ruff_clean(tmp_path):
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed")
    for name, make in TRAIN_CASES.items():
        preset = make()
        shape = {"everything": (1, 8, 8)}.get(name, (2,))
        folder = tmp_path / name
        folder.mkdir()
        (folder / "model.py").write_text(model_source(preset, "main", shape))
        (folder / "train.py").write_text(train_script(preset, shape))
    done = subprocess.run([ruff, "check", "--isolated", "--no-cache", "--select", "E,F,W", "--line-length", "120",
                           str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
