"""What an exported GAN generator carries about its noise, so it can be sampled outside the app.

A generator is only useful with the noise it was trained on: one trained on a mixture of small clusters
gives smeared samples when fed standard-normal noise. Every export of a generator therefore says how
to draw that noise, as one JSON object (:func:`settings`):

- ``{"distribution": "normal", "size": 2}``: ``size`` independent standard-normal values;
- ``{"distribution": "uniform", "size": 2, "low": -1.0, "high": 1.0}``: uniform on [low, high];
- ``{"distribution": "mixture", "size": 2, "components": 100, "spread": 0.005, "centres": [[...], ...]}``:
  pick one of the ``components`` centres with equal probability, add ``spread`` times standard-normal
  values.

Where it goes: ONNX ``metadata_props`` key ``latent``; TorchScript extra file ``latent.json``
(``torch.jit.load(path, _extra_files={"latent.json": ""})``); safetensors metadata key ``latent``; the
Python export writes the numbers into model.py (or, for many centres, ``latent_centres.safetensors``
beside it) with ``noise()`` and ``sample()`` functions that draw exactly as the app does. A plain
``.pt`` state dict holds tensors only and gets nothing.

The GAN task hands its noise to exports through :meth:`GanTask.export_latent`.
"""

from __future__ import annotations

import json
import textwrap

from playground.core.tasks.gan.latent import MIXTURE_SPREAD

KEY = "latent"  # ONNX metadata_props and safetensors metadata key
EXTRA_FILE = "latent.json"  # TorchScript extra file
CENTRES_FILE = "latent_centres.safetensors"  # beside model.py when the centres are too many to write out
INLINE_LIMIT = 4096  # centre values written into model.py as numbers; more go to CENTRES_FILE


def settings(noise) -> dict:
    """The JSON-ready description of a :class:`~playground.core.tasks.gan.latent.LatentNoise` (see the module
    docstring); the centres are float32 values written as the exact doubles they equal."""
    kind, size = noise.distribution, int(noise.size)
    result: dict = {"distribution": kind, "size": size}
    if kind == "uniform":
        result.update(low=-1.0, high=1.0)
    elif kind == "mixture":
        centres = noise.centres.detach().cpu().float()
        result.update(components=int(centres.shape[0]), spread=float(getattr(noise, "spread", MIXTURE_SPREAD)),
                      centres=centres.tolist())
    return result


def to_json(latent: dict) -> str:
    return json.dumps(latent, separators=(",", ":"))


def describe(latent: dict) -> str:
    """A short phrase for export summaries: "mixture noise (100 clusters of spread 0.005, 2-D)"."""
    kind, size = latent["distribution"], latent["size"]
    if kind == "mixture":
        return f"mixture noise ({latent['components']} clusters of spread {latent['spread']:g}, {size}-D)"
    if kind == "uniform":
        return f"uniform noise on [{latent['low']:g}, {latent['high']:g}] ({size}-D)"
    return f"standard-normal noise ({size}-D)"


_SIGNATURE = "\n\ndef noise(n: int, generator: torch.Generator | None = None) -> torch.Tensor:\n"
_BODIES = {
    "normal": '''    """``n`` latent codes (n, LATENT_SIZE), standard normal in every dimension, as the app drew
    them."""
    return torch.randn(n, LATENT_SIZE, generator=generator)
''',
    "uniform": '''    """``n`` latent codes (n, LATENT_SIZE), uniform on [LOW, HIGH] in every dimension, as the app drew
    them."""
    return torch.rand(n, LATENT_SIZE, generator=generator) * (HIGH - LOW) + LOW
''',
    "mixture": '''    """``n`` latent codes (n, LATENT_SIZE) as the app drew them: an equal-weight mixture of
    MIXTURE_COMPONENTS small clusters, each code a randomly picked centre plus MIXTURE_SPREAD times
    standard-normal values."""
    centres = CENTRES
    pick = torch.randint(len(centres), (n,), generator=generator)
    return centres[pick] + MIXTURE_SPREAD * torch.randn(n, LATENT_SIZE, generator=generator)
''',
}


def python_source(latent: dict) -> tuple[str, dict]:
    """Code for model.py: constants and ``noise(n, generator=None)`` drawing ``latent`` with the same torch
    calls, in the same order, as the app (so one generator state gives the very same codes), and the
    tensors that go to :data:`CENTRES_FILE` beside it ({} when the centres are written inline)."""
    kind, size = latent["distribution"], latent["size"]
    constants, tensors, body = f"LATENT_SIZE = {size}\n", {}, _BODIES[kind]
    if kind == "uniform":
        constants += f"LOW, HIGH = {latent['low']!r}, {latent['high']!r}\n"
    if kind == "mixture":
        constants += (f"MIXTURE_COMPONENTS = {latent['components']}\nMIXTURE_SPREAD = {latent['spread']!r}"
                      "  # standard deviation of each cluster around its centre\n")
        centres = latent["centres"]
        if len(centres) * size <= INLINE_LIMIT:
            rows = "\n".join(textwrap.fill(", ".join(repr(float(v)) for v in row), 116, initial_indent="    [",
                                            subsequent_indent="     ", break_long_words=False) + "],"
                             for row in centres)
            constants += (f"MIXTURE_CENTRES = torch.tensor([  # one cluster centre per row\n{rows}\n"
                          "], dtype=torch.float32)\n")
            body = body.replace("CENTRES", "MIXTURE_CENTRES", 1)
        else:
            import torch

            tensors = {"centres": torch.tensor(centres, dtype=torch.float32)}
            constants += f'CENTRES_FILE = Path(__file__).with_name("{CENTRES_FILE}")  # tensor "centres", one per row\n'
            body = body.replace("CENTRES", 'load_file(str(CENTRES_FILE))["centres"]', 1)
    return constants + _SIGNATURE + body, tensors


SAMPLE_SOURCE = '''

def sample(net: nn.Module, n: int, generator: torch.Generator | int | None = None) -> torch.Tensor:
    """``n`` generated samples: the network ``net`` (from load()) applied to noise(n), without gradients.
    ``generator`` is a torch.Generator, a seed, or None for torch's global random stream."""
    if isinstance(generator, int):
        generator = torch.Generator().manual_seed(generator)
    codes = noise(n, generator)
    parameter = next(net.parameters(), None)
    with torch.no_grad():
        return net(codes if parameter is None else codes.to(parameter.device))
'''
