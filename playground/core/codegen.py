"""Readable PyTorch code for a preset's network, and a standalone training bundle around it.

:func:`model_source` writes a network as a plain ``nn.Module``: one line per layer, attribute names
equal to the app's module names (``linear1``, ``residual1.body.conv1``), so weights the app saved
load unchanged. :func:`train_script` (in :mod:`codegen_train`) writes a train.py that repeats the
app's run with plain PyTorch, and :func:`write_training_bundle` puts both next to the data and
weights they need. The generated files never import ``playground``.
"""

from __future__ import annotations

import inspect
import math
import re
import textwrap
from pathlib import Path

from playground.core.atomic_files import atomic_path, write_text_atomic
from playground.core.codegen_train import literal, train_script
from playground.core.layers import LAYERS, Shape
from playground.core.modules import Residual, Sine
from playground.core.shape_inference import projection_stride, summarize
from playground.core.spec import LayerSpec, Preset

__all__ = ["model_source", "train_script", "write_training_bundle"]

_CUSTOM = {
    "Sine": "\n" + inspect.getsource(Sine),
    "Reshape": '''
class Reshape(nn.Module):
    """Gives each sample a new shape; the batch dimension stays."""

    def __init__(self, *shape: int) -> None:
        super().__init__()
        self.shape = shape

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], *self.shape)
''',
    "Residual": "\n" + inspect.getsource(Residual),  # the app's own class, word for word
}

_SIMPLE = ("ReLU", "GELU", "SiLU", "Tanh", "Sigmoid", "Identity", "Flatten")


def model_source(preset: Preset, network: str, input_shape: tuple[int, ...], class_name: str = "Network",
                 latent: dict | None = None) -> str:
    """A standalone Python module defining ``preset``'s network ``network`` as plain, readable PyTorch,
    with ``load(weights_path)`` for weights the app saved and a ``__main__`` block that tries it.

    ``latent`` (a GAN generator's noise, see :mod:`playground.core.tasks.gan.export_noise`) adds
    ``noise(n, generator=None)``, drawing codes exactly as the app does, and ``sample(net, n, generator=None)``.
    Raises ValueError when the network cannot take ``input_shape``."""
    layers = preset.networks[network].layers
    input_shape = tuple(input_shape)
    summary = summarize(layers, input_shape, network)
    if not summary.ok:
        raise ValueError("; ".join(summary.error_messages()))
    used: set[str] = set()
    modules, out_shape = _modules(layers, input_shape, used)
    init = [f"        self.{name} = {_indent(code, 8)}" for name, code, _ in modules]
    forward = [f"        x = self.{name}(x)  # {_batch_shape(shape)}" for name, _, shape in modules]
    classes = "".join(_CUSTOM[name] + "\n" for name in ("Sine", "Reshape", "Residual") if name in used)
    example = ", ".join(str(s) for s in (4, *input_shape))
    about = _wrap(f"The network '{network}' of the Neural Playground preset '{_clean(preset.name)}', as plain "
                  "PyTorch.", "")
    imports = "from collections import OrderedDict\n" if "Residual" in used else ""
    noise_code, noise_doc = "", ""
    main = f"""    x = torch.randn({example})  # a batch of 4 random inputs
    with torch.no_grad():
        print(net(x))"""
    if latent is not None:
        from playground.core.tasks.gan.export_noise import SAMPLE_SOURCE, describe, python_source

        code, _ = python_source(latent)
        comment = "# The noise the generator was trained on; noise() draws it exactly as the app does."
        noise_code = f"\n\n{comment}\n{code}{SAMPLE_SOURCE}"
        noise_doc = "\n" + _wrap(f"noise(n, generator=None) draws n latent codes from the {describe(latent)} the app "
                                 "trained the generator on, with the same torch calls (so one torch.Generator state "
                                 "gives the app's very codes); sample(net, n, generator=None) returns net's n "
                                 "generated samples."
                                 + (" Feeding it standard-normal codes instead gives samples it was never trained "
                                    "to make." if latent["distribution"] != "normal" else ""), "") + "\n"
        main = "    print(sample(net, 4, generator=0))  # 4 generated samples from the trained noise"
    text = f'''"""{about}

Input: {_describe_input(input_shape)}.
Output: {_batch_shape(out_shape)}: {_describe_output(preset.task, out_shape)}.

load(path) builds the network and loads weights the app saved (keys "{network}.<layer>.<tensor>").
{noise_doc}Run this file to try it{" on a random input" if latent is None else ""}.
"""

{imports}from pathlib import Path

import torch
from safetensors.torch import load_file
from torch import nn

PREFIX = "{network}."  # the app saves every tensor as "{network}.<layer>.<tensor>"

{classes}
class {class_name}(nn.Module):
    """{_wrap(_first_line(preset), "    ")}"""

    def __init__(self) -> None:
        super().__init__()
{chr(10).join(init)}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
{chr(10).join(forward) if forward else "        # no layers: the output is the input"}
        return x


def load(weights_path: str | Path) -> {class_name}:
    """The network with the weights in ``weights_path``, in evaluation mode (dropout off, BatchNorm
    using its running statistics); call .train() on it to train further."""
    tensors = load_file(str(weights_path))
    state = {{key.removeprefix(PREFIX): value for key, value in tensors.items() if key.startswith(PREFIX)}}
    net = {class_name}()
    net.load_state_dict(state)
    return net.eval()
{noise_code}

if __name__ == "__main__":
    net = load(Path(__file__).with_name("{network}.safetensors"))
{main}
'''
    return re.sub(r"\n{4,}", "\n\n\n", text)


def _modules(layers: list[LayerSpec], shape: Shape, used: set[str]) -> tuple[list[tuple[str, str, Shape]], Shape]:
    """(attribute name, constructor code, output shape) per layer, named as the app names them."""
    counts: dict[str, int] = {}
    modules = []
    for spec in layers:
        key = spec.type.lower()
        counts[key] = counts.get(key, 0) + 1
        if LAYERS[spec.type].container:
            body, out = _modules(spec.layers, shape, used)
            used.add("Residual")
            code = _residual(body, shape, out)
        else:
            out = LAYERS[spec.type].infer(shape, spec.params)
            code = _constructor(spec, shape, out)
            if spec.type in ("Sine", "Reshape"):
                used.add(spec.type)
        modules.append((f"{key}{counts[key]}", code, out))
        shape = out
    return modules, shape


def _residual(body: list[tuple[str, str, Shape]], shape: Shape, out: Shape) -> str:
    lines = ["Residual("]
    if body:
        lines.append("    nn.Sequential(OrderedDict([")
        lines += [f'        ("{name}", {_indent(code, 8)}),' for name, code, _ in body]
        lines.append("    ])),")
    else:
        lines.append("    nn.Sequential(),")
    if out != shape:  # the body changes the shape: a learned projection makes the skip match it
        if len(shape) == 1:
            projection = _call("nn.Linear", shape[0], out[0])
        else:
            projection = _call("nn.Conv2d", shape[0], out[0], kernel_size=1,
                               stride=projection_stride(shape, out), defaults={"stride": 1})
        lines.append(f"    projection={projection},")
    lines.append(")")
    return "\n".join(lines)


def _constructor(spec: LayerSpec, shape: Shape, out: Shape) -> str:
    """The constructor call for one layer, with the same arguments as :func:`modules.make_module`
    (settings at torch's default are left out)."""
    v, t = spec.params, spec.type
    if t == "Linear":
        return _call("nn.Linear", shape[0], v["width"], bias=v["bias"], defaults={"bias": True})
    if t in ("Conv2d", "ConvTranspose2d"):
        extra = {"output_padding": v["output_padding"]} if t == "ConvTranspose2d" else {}
        return _call(f"nn.{t}", shape[0], v["channels"], kernel_size=v["kernel_size"], stride=v["stride"],
                     padding=v["padding"], **extra, dilation=v["dilation"], bias=v["bias"],
                     defaults={"stride": 1, "padding": 0, "output_padding": 0, "dilation": 1, "bias": True})
    if t in ("MaxPool2d", "AvgPool2d"):
        k = v["kernel_size"]
        return _call(f"nn.{t}", kernel_size=k, stride=v["stride"] or k, padding=v["padding"],
                     defaults={"stride": k, "padding": 0})
    if t in ("BatchNorm1d", "BatchNorm2d"):
        return _call(f"nn.{t}", shape[0], eps=v["eps"], momentum=v["momentum"], affine=v["affine"],
                     defaults={"eps": 1e-5, "momentum": 0.1, "affine": True})
    if t == "LayerNorm":  # normalises over each sample's whole shape
        size = shape[0] if len(shape) == 1 else list(shape)
        return _call("nn.LayerNorm", size, eps=v["eps"], elementwise_affine=v["affine"],
                     defaults={"eps": 1e-5, "elementwise_affine": True})
    if t == "Dropout":
        return _call("nn.Dropout", p=v["p"])
    if t == "Reshape":
        return _call("Reshape", *out)
    if t == "Upsample":
        return _call("nn.Upsample", scale_factor=v["scale_factor"], mode=v["mode"])
    if t == "LeakyReLU":
        return _call("nn.LeakyReLU", negative_slope=v["negative_slope"])
    if t == "ELU":
        return _call("nn.ELU", alpha=v["alpha"])
    if t == "Softplus":
        return _call("nn.Softplus", beta=v["beta"])
    if t == "Sine":
        return _call("Sine", frequency=v["frequency"])
    if t in _SIMPLE:
        return f"nn.{t}()"
    raise KeyError(f"no code for layer type {t!r}")  # registry and this table out of step: a bug


def _call(func: str, *args, defaults: dict | None = None, **kwargs) -> str:
    defaults = defaults or {}
    parts = [literal(a) for a in args]
    parts += [f"{k}={literal(val)}" for k, val in kwargs.items() if k not in defaults or val != defaults[k]]
    return f"{func}({', '.join(parts)})"


def _indent(code: str, spaces: int) -> str:
    return code.replace("\n", "\n" + " " * spaces)


def _batch_shape(shape: Shape) -> str:
    return "(" + ", ".join(["N", *(str(s) for s in shape)]) + ")"


def _describe_input(shape: Shape) -> str:
    if len(shape) == 1:
        return f"{_batch_shape(shape)}, N samples of {shape[0]} feature{'s' * (shape[0] != 1)}"
    if len(shape) == 3:
        c, h, w = shape
        return f"{_batch_shape(shape)}, N images of {c} channel{'s' * (c != 1)}, {h}x{w} pixels"
    return f"{_batch_shape(shape)}, N samples"


def _describe_output(task: str, shape: Shape) -> str:
    if task in ("classification", "image_classification") and len(shape) == 1:
        if shape[0] == 1:
            return "one score (logit) per sample; sigmoid gives the probability of class 1"
        return "one score (logit) per class; softmax gives the class probabilities"
    if task == "regression":
        return "the predicted value"
    return f"{math.prod(shape)} values per sample"


def _first_line(preset: Preset) -> str:
    text = _clean(preset.description or preset.name)
    return text if text.endswith(".") else text + "."


def _clean(text: str) -> str:
    """Text safe inside a generated docstring: one line, no backslashes or double quotes."""
    return " ".join(text.replace("\\", "/").replace('"', "'").split())


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, 100, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def write_training_bundle(trainer, folder: Path, *, threads: int | None = None) -> list[Path]:
    """Write model.py, train.py, data.npz (the trainer's arrays as trained on), initial.safetensors (the
    preset's initial weights) and main.safetensors (the current weights) into ``folder``; each file
    is written atomically. Returns the paths written, in that order.

    train.py uses the trainer's current training settings (changes made mid-run apply from step 0) and
    ``threads`` torch threads, the count the trainer ran with (None: the calling thread's count, which
    is that count when the thread that trained also exports, as the window's worker and the tests do)."""
    import numpy as np
    import torch

    from playground.core.build import build_network
    from playground.core.run_output import save_weights

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    preset = trainer.preset.copy()
    preset.training = {**trainer.training, "learning_rate": trainer.base_lr}
    input_shape = tuple(trainer.data.input_shape)
    paths = [folder / name for name in ("model.py", "train.py", "data.npz", "initial.safetensors",
                                        "main.safetensors")]
    write_text_atomic(paths[0], model_source(preset, "main", input_shape))
    task = trainer.task  # a supervised task: one network and its tensors
    x = task.x_train
    channels_last = x.dim() == 4 and x.stride() != x.new_empty(x.shape).stride() \
        and x.stride() == torch.empty(x.shape, memory_format=torch.channels_last).stride()
    write_text_atomic(paths[1], train_script(preset, input_shape, channels_last=channels_last, threads=threads))
    if task.classification:
        y_train, y_test = (np.asarray(y, dtype=np.int64) for y in (trainer.data.y_train, trainer.data.y_test))
    else:
        y_train, y_test = (y[:, 0].cpu().numpy() for y in (task.y_train, task.y_test))
    arrays = {"x_train": task.x_train.cpu().numpy(), "y_train": y_train,
              "x_test": task.x_test.cpu().numpy(), "y_test": y_test}
    _atomic_npz(paths[2], arrays)
    initial = build_network(preset.networks["main"].layers, input_shape, seed=preset.seed)
    save_weights({"main": initial}, paths[3])
    save_weights({"main": task.model}, paths[4])
    return paths


def write_network_module(preset: Preset, network: str, input_shape: tuple[int, ...], module,
                         folder: Path, latent: dict | None = None) -> list[Path]:
    """model.py defining one of a multi-network task's networks (a GAN's generator, say) and its
    trained weights as ``NETWORK.safetensors``, which model.py's ``load()`` reads. ``latent``: a GAN
    generator's noise, which model.py's ``noise()`` and ``sample()`` draw (its centres go to a file
    beside model.py when there are too many to write out)."""
    from playground.core.run_output import save_weights

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "model.py", folder / f"{network}.safetensors"]
    write_text_atomic(paths[0], model_source(preset, network, tuple(input_shape), latent=latent))
    save_weights({network: module}, paths[1])
    if latent is not None:
        from playground.core.tasks.gan.export_noise import CENTRES_FILE, python_source

        _, tensors = python_source(latent)
        if tensors:
            from safetensors.torch import save_file

            with atomic_path(folder / CENTRES_FILE) as tmp:
                save_file(tensors, tmp, metadata={"format": "neural-playground latent centres"})
            paths.append(folder / CENTRES_FILE)
    return paths


def _atomic_npz(path: Path, arrays: dict) -> None:
    import numpy as np

    with atomic_path(path) as tmp, open(tmp, "wb") as handle:  # a file object: savez would append .npz to a name
        np.savez(handle, **arrays)
