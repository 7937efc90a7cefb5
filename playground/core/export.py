"""Exporting a trained network so it opens anywhere: state dict, safetensors, TorchScript, ONNX, code.

Every file is written to a temporary name and renamed into place, so a failed export leaves the
previous file intact and no partial file behind. TorchScript and ONNX exports are checked by
loading them back and comparing with PyTorch on random inputs; the result says by how much they
differ, and the user sees it. A GAN generator's files also say how to draw the noise it was trained
on (ONNX and safetensors metadata, a TorchScript extra file, model.py's ``sample()``; see
:mod:`playground.core.tasks.gan.export_noise`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from playground.core.atomic_files import atomic_path
from playground.core.export_formats import FORMATS, SUFFIXES, TOLERANCE  # noqa: F401 - re-exported


class ExportError(Exception):
    """The export failed; the message says why. The previous file, if any, is untouched."""


@dataclass
class ExportResult:
    path: Path
    format: str
    verified: bool | None = None  # None: nothing to verify (plain weights)
    max_difference: float | None = None
    note: str = ""

    def summary(self) -> str:
        text = f"Exported {FORMATS[self.format][0]} to {self.path}"
        if self.verified is not None:
            outcome = "verified" if self.verified else "VERIFICATION FAILED"
            text += f"; {outcome}: largest difference from PyTorch {self.max_difference:.2g}"
            text += f" (allowed {TOLERANCE:g})"
        return text + (f". {self.note}" if self.note else "")


def exportable_networks(trainer) -> dict[str, tuple[torch.nn.Module, tuple[int, ...]]]:
    """Each network a user may export, with the per-sample input shape it takes, as its task says:
    the one network of a supervised task; a GAN's generator and discriminator; a VAE's encoder, decoder
    and both together."""
    return trainer.task.export_networks()


@dataclass
class _Target:
    """What one export writes: the module, its input shape and its name."""

    name: str
    model: torch.nn.Module
    input_shape: tuple[int, ...]
    device: torch.device
    latent: dict | None = None  # a GAN generator's noise (playground.core.tasks.gan.export_noise), carried as metadata

    def latent_note(self, where: str = "metadata 'latent' (JSON)") -> str:
        if self.latent is None:
            return ""
        from playground.core.tasks.gan.export_noise import describe

        return f"The generator's {describe(self.latent)} is included: {where}"


def export(trainer, fmt: str, path: Path, network: str | None = None) -> ExportResult:
    """Write one of the trainer's networks (the first, e.g. "main" or a GAN's generator, unless
    ``network`` names another) in format ``fmt`` to ``path`` (a folder for "python")."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    networks = exportable_networks(trainer)
    name = network or next(iter(networks))
    if name not in networks:
        raise ExportError(f"this run has no network {name!r}; it has {', '.join(networks)}")
    path = Path(path)
    model, input_shape = networks[name]
    target = _Target(name, model, tuple(input_shape), trainer.device, _latent(trainer, name))
    was_training = model.training
    model.eval()
    try:
        if fmt == "python":
            path.mkdir(parents=True, exist_ok=True)
            if name == "main":
                from playground.core.codegen import write_training_bundle

                write_training_bundle(trainer, path)
                return ExportResult(path, fmt, note="Run: python train.py (or torchrun --nproc_per_node=2 train.py)")
            from playground.core.build import build_network
            from playground.core.codegen import write_network_module

            layers = trainer.preset.networks[name].layers if name in trainer.preset.networks else None
            plain = build_network(layers, target.input_shape, seed=0, network=name) if layers is not None else None
            if plain is None or set(plain.state_dict()) != set(model.state_dict()):
                raise ExportError(f"Python code covers the preset's own layers, but the {name} also holds parts the "
                                  f"task adds (a VAE encoder's mean and log-variance heads); export the {name} as "
                                  "ONNX or TorchScript instead")
            write_network_module(trainer.preset, name, target.input_shape, model, path, latent=target.latent)
            note = _join(f"model.py defines the {name}; {name}.safetensors holds its weights (a generated "
                         "train.py covers single-network tasks)",
                         target.latent_note("model.py's sample(net, n) draws it as the app does"))
            return ExportResult(path, fmt, note=note)
        example = _example_input(target, 2)
        if fmt == "state_dict":
            _atomic(path, lambda tmp: torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, tmp))
            if target.latent is None:
                return ExportResult(path, fmt)
            return ExportResult(path, fmt, note="A .pt state dict holds only tensors, so the generator's noise is "
                                "not in it; the safetensors, TorchScript, ONNX and Python exports carry it")
        if fmt == "safetensors":
            from safetensors.torch import save_file

            tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
            _atomic(path, lambda tmp: save_file(tensors, tmp, metadata=_metadata(target)))
            return ExportResult(path, fmt, note=target.latent_note())
        if fmt == "torchscript":
            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                scripted = torch.jit.trace(model, example)
            extra = {f"{key}.json": value for key, value in (_metadata(target) or {}).items()}
            _atomic(path, lambda tmp: torch.jit.save(scripted, tmp, _extra_files=extra))
            return _verify(path, fmt, lambda x: _numpy(torch.jit.load(str(path)).eval()(x)), target,
                           note=target.latent_note("extra file 'latent.json' (JSON)"))
        return _export_onnx(target, path, example)
    except ExportError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure becomes a clear message; nothing half-written
        raise ExportError(f"{FORMATS[fmt][0]} export failed: {type(exc).__name__}: {str(exc).splitlines()[0]}") \
            from exc
    finally:
        model.train(was_training)


def _latent(trainer, network: str) -> dict | None:
    """The noise settings an export of ``network`` carries (a GAN generator's), as its task says."""
    return trainer.task.export_latent(network)


def _metadata(target: _Target) -> dict[str, str] | None:
    """String metadata for the formats that hold some: {"latent": JSON} for a GAN generator, else None."""
    if target.latent is None:
        return None
    from playground.core.tasks.gan import export_noise

    return {export_noise.KEY: export_noise.to_json(target.latent)}


def _join(*sentences: str) -> str:
    return ". ".join(s for s in sentences if s)


def _numpy(out) -> list[np.ndarray]:
    """A network's output(s) as a list of arrays (a VAE encoder returns mean and log-variance)."""
    items = out if isinstance(out, (tuple, list)) else (out,)
    return [item.detach().cpu().numpy() for item in items]


def _export_onnx(target: _Target, path: Path, example: torch.Tensor) -> ExportResult:
    try:
        import onnx
    except ImportError:
        raise ExportError("ONNX export needs the onnx package: pip install 'neural-playground[onnx]'") from None

    with torch.no_grad():
        n_outputs = len(_numpy(target.model(example)))
    outputs = ["output"] if n_outputs == 1 else [f"output{i}" for i in range(n_outputs)]

    def write(tmp: str) -> None:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(target.model, (example,), tmp, input_names=["input"], output_names=outputs,
                              dynamic_axes={"input": {0: "batch"}, **{o: {0: "batch"} for o in outputs}},
                              opset_version=17, dynamo=False)
        graph = onnx.load(tmp)
        if target.latent is not None:  # how to draw the generator's input, for whoever runs it
            for key, value in _metadata(target).items():
                entry = graph.metadata_props.add()
                entry.key, entry.value = key, value
            onnx.save(graph, tmp)
        onnx.checker.check_model(graph)

    _atomic(path, write)
    try:
        import onnxruntime
    except ImportError:
        return ExportResult(path, "onnx", note=_join("Checked with onnx.checker; install onnxruntime to compare "
                                                      "outputs", target.latent_note()))
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return _verify(path, "onnx", lambda x: session.run(None, {"input": x.cpu().numpy()}), target,
                   note=_join("Checked with onnx.checker and onnxruntime", target.latent_note()))


def _verify(path: Path, fmt: str, run: Callable[[torch.Tensor], list], target: _Target, note: str = "") -> ExportResult:
    """Largest absolute difference from PyTorch over random batches of two sizes (dynamic batch)."""
    worst = 0.0
    for batch in (1, 7):
        x = _example_input(target, batch, seed=batch)
        with torch.no_grad():
            expected = _numpy(target.model(x))
        got = [np.asarray(a) for a in run(x)]
        if [g.shape for g in got] != [e.shape for e in expected]:
            return ExportResult(path, fmt, False, float("inf"),
                                f"output shapes {[g.shape for g in got]} != {[e.shape for e in expected]}")
        worst = max([worst] + [float(np.abs(g - e).max()) for g, e in zip(got, expected, strict=True)])
    return ExportResult(path, fmt, worst <= TOLERANCE, worst, note)


def _example_input(target: _Target, batch: int, seed: int = 0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, *target.input_shape, generator=generator).to(target.device)


def _atomic(path: Path, write: Callable[[str], None]) -> None:
    """Run ``write(temporary_path)`` next to ``path``, then rename it into place."""
    with atomic_path(path) as tmp:
        write(str(tmp))
