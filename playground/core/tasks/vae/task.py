"""The VAE task: an encoder with mean and log-variance heads, reparameterisation, a decoder, the ELBO.

One step: encode a batch to means and log-variances, draw ``z = mean + exp(log_var / 2) * eps``
(reparameterisation; ``eps`` comes from the task's own seeded generator, saved in sessions),
decode, and minimise ``reconstruction + beta_t * KL`` where ``beta_t`` rises linearly over
``training.vae.beta_warmup`` steps. ``batch_loss`` is the batch's negative ELBO (reconstruction + KL,
whatever beta is), the same quantity as ``train_loss``/``test_loss``, so the loss plot compares like with
like; the per-step terms and the current beta are in ``MetricRecord.metrics``.

What the views draw is computed by :mod:`playground.core.tasks.vae.views`; the latent API is
:class:`~playground.core.tasks.vae.latent.LatentSpace`.
"""

from __future__ import annotations

import math
from pathlib import Path

import torch

from playground.core.build import network_seed
from playground.core.params import Problem
from playground.core.presets import PresetError
from playground.core.shape_inference import summarize
from playground.core.tasks.vae import metrics, views
from playground.core.tasks.vae.latent import LatentSpace
from playground.core.tasks.vae.losses import beta_at, kl_per_dimension, reconstruction_per_sample
from playground.core.tasks.vae.model import build_decoder, build_encoder, decoder_logits
from playground.core.training.task import Diverged, StepResult, Task


class VaeTask(Task):
    """Train the preset's encoder and decoder as a VAE; see the module docstring."""

    name = "vae"
    section = "vae"
    fixed_settings = ("latent_size", "reconstruction")

    # ---- building --------------------------------------------------------------------------------
    def load_data(self, base_dir: Path | None):
        from playground.core.data import make_dataset

        return make_dataset(self.preset.dataset, seed=self.preset.seed, kind="image", base_dir=base_dir)

    def configure(self, training: dict) -> None:
        self.options = dict(training["vae"])

    def build(self) -> None:
        self.latent_size = int(self.options["latent_size"])
        self.reconstruction = self.options["reconstruction"]
        features = self._check_networks()
        seed = self.preset.seed
        self.encoder = build_encoder(self.preset.networks["encoder"].layers, self.data.input_shape, features,
                                     self.latent_size, seed).to(self.device)
        self.decoder = build_decoder(self.preset.networks["decoder"].layers, self.latent_size, seed).to(self.device)
        as_tensor = lambda a: torch.as_tensor(a, dtype=torch.float32, device=self.device)  # noqa: E731
        self.x_train, self.x_test = as_tensor(self.data.x_train), as_tensor(self.data.x_test)
        self._check_values()
        self.latent = LatentSpace(self)
        self._pca_cache: dict[int, float] = {}

    def _check_networks(self) -> int:
        """The data (a file, say) may decide the image shape: check both networks against it; returns
        the length of the encoder's flat output, from which the heads start."""
        shape = self.data.input_shape
        problems = []
        encoder = summarize(self.preset.networks["encoder"].layers, shape, "encoder")
        decoder = summarize(self.preset.networks["decoder"].layers, (self.latent_size,), "decoder")
        for summary in (encoder, decoder):
            problems += [Problem(r.path, f"{r.type} {r.error}") for r in summary.errors]
        if encoder.ok and len(encoder.output_shape) != 1:
            problems.append(Problem("networks.encoder", f"the encoder outputs {list(encoder.output_shape)} per "
                                    "sample; end it with a flat vector (add Flatten), from which the task computes "
                                    "the latent mean and log-variance"))
        if decoder.ok and tuple(decoder.output_shape) != tuple(shape):
            problems.append(Problem("networks.decoder", f"the decoder outputs {list(decoder.output_shape)} per "
                                    f"sample, but it must produce images shaped like the data, {list(shape)}"))
        if problems:
            raise PresetError(problems, self.preset.source)
        return int(encoder.output_shape[0])

    def _check_values(self) -> None:
        if self.reconstruction != "bernoulli":
            return
        low, high = float(self.x_train.min()), float(self.x_train.max())
        if low < 0.0 or high > 1.0:
            raise PresetError([Problem("training.vae.reconstruction", f"bernoulli needs pixel values in [0, 1], but "
                                       f"these images range over [{low:.3g}, {high:.3g}]; use dataset.normalize "
                                       "'unit', or the gaussian reconstruction")], self.preset.source)

    @property
    def networks(self) -> dict[str, torch.nn.Module]:
        """"encoder" (the preset's layers plus the mean and log-variance heads) and "decoder"."""
        return {"encoder": self.encoder, "decoder": self.decoder}

    @property
    def beta(self) -> float:
        """The KL weight the next step uses."""
        return beta_at(self.options["beta"], self.options["beta_warmup"], self.step_count)

    def start(self) -> None:
        self._noise_rng = torch.Generator(device="cpu").manual_seed(network_seed(self.preset.seed, "vae.noise"))
        self.kl_order: list[int] = list(range(self.latent_size))  # latent dims by KL, largest first
        self.last_kl: list[float] | None = None

    # ---- the model's maths -----------------------------------------------------------------------
    def decoder_output(self, z: torch.Tensor) -> torch.Tensor:
        """What the reconstruction loss scores: logits (bernoulli) or pixel means (gaussian)."""
        return decoder_logits(self.decoder, z) if self.reconstruction == "bernoulli" else self.decoder(z)

    def decoded_means(self, z: torch.Tensor) -> torch.Tensor:
        """The expected image for codes ``z``, in the data's stored values (sigmoid of the logits for
        bernoulli)."""
        out = self.decoder_output(z)
        return torch.sigmoid(out) if self.reconstruction == "bernoulli" else out

    def noise_like(self, mean: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        return torch.randn(mean.shape, generator=generator).to(mean.device)

    # ---- stepping --------------------------------------------------------------------------------
    def training_step(self, learning_rate: float, **request) -> StepResult:
        loop = self.loop
        x = loop.augment(self.x_train[loop.next_indices()])
        beta = self.beta
        mean, log_var = self.encoder.encode(x)
        z = mean + (0.5 * log_var).exp() * self.noise_like(mean, self._noise_rng)
        rec = reconstruction_per_sample(self.decoder_output(z), x, self.reconstruction).mean()
        kl = kl_per_dimension(mean, log_var).sum(dim=1).mean()
        objective = loop.add_penalties(rec + beta * kl)
        rec_value, kl_value = rec.item(), kl.item()
        value = rec_value + kl_value
        if not math.isfinite(objective.item()):
            raise Diverged(value)
        loop.check(value)
        loop.optimize(objective)
        return StepResult(value, {"reconstruction": rec_value, "kl": kl_value, "beta": beta})

    # ---- evaluation ------------------------------------------------------------------------------
    def evaluate(self, detailed: bool = False) -> dict:
        """Flat float figures on the whole train and test sets (see :func:`metrics.evaluate`)."""
        result = metrics.evaluate(self)
        kl = [result[f"test_kl_dim{i}"] for i in range(self.latent_size)]
        self.last_kl = kl
        self.kl_order = sorted(range(self.latent_size), key=lambda i: -kl[i])
        return result

    # ---- views -----------------------------------------------------------------------------------
    def data_view(self) -> dict:
        from playground.core.image_probes import sample_grid

        return {"samples": sample_grid(self.data), "live": views.live_data(self)}

    def live_view(self, pictures: bool = True, detail: bool = False) -> dict:
        """Reconstructions and traversals (``pictures``); the latent map, KL and prior samples too (``detail``)."""
        return {"live": views.live_view(self, detail)} if pictures else {}

    def view_request(self, name: str, args=None):
        return views.view_request(self, name, args)

    # ---- sessions, run folders, exports ----------------------------------------------------------
    def capture_extra(self) -> tuple[dict[str, torch.Tensor], dict]:
        """The reparameterisation noise generator, so a resumed run draws the same noise."""
        return {"noise_rng": self._noise_rng.get_state()}, {"kl_order": list(self.kl_order)}

    def restore_extra(self, tensors: dict[str, torch.Tensor], meta: dict) -> None:
        if "noise_rng" in tensors:
            self._noise_rng.set_state(tensors["noise_rng"])
        order = meta.get("kl_order")
        if isinstance(order, list) and sorted(order) == list(range(self.latent_size)):
            self.kl_order = [int(i) for i in order]

    def summaries(self) -> list[str]:
        from playground.core.tasks.vae.outputs import summaries

        return summaries(self)

    def write_outputs(self, folder: Path, final: dict) -> None:
        from playground.core.tasks.vae.outputs import write_vae_files

        write_vae_files(folder, self)

    def export_networks(self) -> dict[str, tuple[torch.nn.Module, tuple[int, ...]]]:
        from playground.core.tasks.vae.model import Reconstruction

        shape = tuple(self.data.input_shape)
        return {"encoder": (self.encoder, shape), "decoder": (self.decoder, (self.latent_size,)),
                "encoder+decoder": (Reconstruction(self), shape)}
