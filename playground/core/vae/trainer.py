"""VaeTrainer: trains a variational autoencoder step by step, with the same lifecycle as the Trainer.

One step: encode a batch to means and log-variances, draw ``z = mean + exp(log_var / 2) * eps``
(reparameterisation; ``eps`` comes from the trainer's own seeded generator, saved in sessions),
decode, and minimise ``reconstruction + beta_t * KL`` where ``beta_t`` rises linearly over
``training.vae.beta_warmup`` steps. ``batch_loss`` is the batch's negative ELBO (reconstruction + KL,
whatever beta is), the same quantity as ``train_loss``/``test_loss``, so the loss plot compares like with
like; the per-step terms and the current beta are in ``MetricRecord.metrics``.

Threading is as for :class:`~playground.core.trainer.Trainer`: no threads here; the GUI thread only sets
flags (:class:`~playground.core.run_control.RunControl`). What the views draw is computed by
:mod:`playground.core.vae.views`; the latent API is :class:`~playground.core.vae.latent.LatentSpace`.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import torch

from playground.core.build import network_seed
from playground.core.data import make_dataset
from playground.core.data.images import augment_batch
from playground.core.optim import learning_rate_at, make_optimizer, pick_device
from playground.core.params import Problem
from playground.core.presets import PresetError
from playground.core.records import MetricRecord
from playground.core.run_control import DIVERGED, EARLY_STOPPED, FINISHED, PAUSED, RunControl, became
from playground.core.shapes import summarize
from playground.core.spec import Preset
from playground.core.vae import evaluation, views
from playground.core.vae.latent import LatentSpace
from playground.core.vae.losses import beta_at, kl_per_dimension, reconstruction_per_sample
from playground.core.vae.model import build_decoder, build_encoder, decoder_logits

DETAIL_EVERY_S = 1.0
LIVE_KEYS = ("learning_rate", "batch_size", "l1", "l2", "grad_clip", "steps", "epochs", "eval_every")


class VaeTrainer(RunControl):
    """Train the preset's encoder and decoder as a VAE; see the module docstring."""

    STEPPING_REQUESTS: tuple[str, ...] = ()

    def __init__(self, preset: Preset, *, device: str | None = None, data=None) -> None:
        self.preset = preset
        self.training = preset.training
        try:
            self.device = pick_device(device or preset.device)
        except ValueError as exc:
            raise PresetError([Problem("device", str(exc))], preset.source) from None
        base_dir = Path(preset.source).parent if preset.source else None
        self.data = data or make_dataset(preset.dataset, seed=preset.seed, kind="image", base_dir=base_dir)
        self.options = dict(self.training["vae"])
        self.latent_size = int(self.options["latent_size"])
        self.reconstruction = self.options["reconstruction"]
        features = self._check_networks()
        self.encoder = build_encoder(preset.networks["encoder"].layers, self.data.input_shape, features,
                                     self.latent_size, preset.seed).to(self.device)
        self.decoder = build_decoder(preset.networks["decoder"].layers, self.latent_size, preset.seed).to(self.device)
        as_tensor = lambda a: torch.as_tensor(a, dtype=torch.float32, device=self.device)  # noqa: E731
        self.x_train, self.x_test = as_tensor(self.data.x_train), as_tensor(self.data.x_test)
        self._check_values()
        self.batch_size = min(self.training["batch_size"], self.data.n_train)
        self.steps_per_epoch = math.ceil(self.data.n_train / self.batch_size)
        epochs = self.training["epochs"]
        self.total_steps = epochs * self.steps_per_epoch if epochs is not None else self.training["steps"]
        self.base_lr = self.training["learning_rate"]
        self._augment = bool(getattr(self.data, "augment_shift", 0) or getattr(self.data, "augment_flip", False))
        self._initial_state = {name: {k: v.detach().clone() for k, v in net.state_dict().items()}
                               for name, net in self.networks.items()}
        self.latent = LatentSpace(self)
        self._pca_cache: dict[int, float] = {}
        self._init_control()
        self._start()

    # ---- checks ---------------------------------------------------------------------------------
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

    # ---- lifecycle ------------------------------------------------------------------------------
    def _start(self) -> None:
        """(Re)start from the initial weights with fresh optimisers, batch order and noise."""
        torch.manual_seed(self.preset.seed)  # dropout draws from torch's global generator
        for name, net in self.networks.items():
            net.load_state_dict(self._initial_state[name])
            net.train()
        self._optimizers = self._new_optimizers(self.training)
        self._order_rng = torch.Generator(device="cpu").manual_seed(self.preset.seed)
        self._noise_rng = torch.Generator(device="cpu").manual_seed(network_seed(self.preset.seed, "vae.noise"))
        self._order = torch.empty(0, dtype=torch.int64)
        self._position = 0
        self._reset_control()
        self._tensors = [t for net in self.networks.values() for t in net.state_dict().values()
                         if t.is_floating_point()]
        self._backup = [t.detach().clone() for t in self._tensors]
        self._backup_step = 0
        self._penalised = [p for net in self.networks.values() for p in net.parameters() if p.dim() > 1]
        self._best = (math.inf, None)
        self._bad_evals = 0
        self.kl_order: list[int] = list(range(self.latent_size))  # latent dims by KL, largest first
        self.last_kl: list[float] | None = None
        self._last_detail = -math.inf

    def _new_optimizers(self, training: dict) -> dict[str, torch.optim.Optimizer]:
        """One optimiser per network, same settings (per-parameter methods: the same as one for both)."""
        return {name: make_optimizer(net.parameters(), training) for name, net in self.networks.items()}

    @property
    def networks(self) -> dict[str, torch.nn.Module]:
        """"encoder" (the preset's layers plus the mean and log-variance heads) and "decoder"."""
        return {"encoder": self.encoder, "decoder": self.decoder}

    @property
    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return self._optimizers

    @property
    def beta(self) -> float:
        """The KL weight the next step uses."""
        return beta_at(self.options["beta"], self.options["beta_warmup"], self.step_count)

    def reset(self) -> None:
        """Back to step 0 with exactly the same initial weights, batch order and noise."""
        self._start()

    def update_training(self, training: dict) -> list[str]:
        """Apply a new training section between steps (beta and its warm-up included); returns what changed.
        The latent size and the reconstruction loss shape the networks and the loss: they need a reset."""
        new_vae, old_vae = training.get("vae", self.options), self.options
        for key in ("latent_size", "reconstruction"):
            if new_vae.get(key) != old_vae.get(key):
                raise ValueError(f"training.vae.{key} cannot change mid-run; reset instead")
        changes = [f"{key.replace('_', ' ')} {self.training.get(key)} -> {training.get(key)}"
                   for key in LIVE_KEYS if training.get(key) != self.training.get(key)]
        changes += [f"{key.replace('_', ' ')} {training[key].get('type', 'changed')}"
                    for key in ("optimizer", "scheduler", "early_stopping")
                    if training.get(key) != self.training.get(key)]
        changes += [f"{key.replace('_', ' ')} {old_vae.get(key)} -> {new_vae.get(key)}"
                    for key in ("beta", "beta_warmup") if new_vae.get(key) != old_vae.get(key)]
        rebuild = training["optimizer"] != self.training["optimizer"]
        self.training = dict(training)
        self.options = dict(new_vae)
        self.base_lr = training["learning_rate"]
        self.batch_size = min(training["batch_size"], self.data.n_train)
        self.steps_per_epoch = math.ceil(self.data.n_train / self.batch_size)
        epochs = training["epochs"]
        self.total_steps = epochs * self.steps_per_epoch if epochs is not None else training["steps"]
        self._lr_now = math.nan
        if rebuild:
            self._optimizers = self._new_optimizers(training)
        if self.status == FINISHED and self.step_count < self.total_steps:
            self.status = PAUSED
        if self.status == DIVERGED:
            self.status, self.message = PAUSED, ""
        return changes

    # ---- the model's maths ----------------------------------------------------------------------
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

    # ---- stepping -------------------------------------------------------------------------------
    def step(self) -> MetricRecord:
        """One optimisation step of both networks; on a non-finite or exploding loss the weights of the
        last finite step come back and ``status`` becomes DIVERGED."""
        if self.done:
            raise RuntimeError(f"the run is over ({self.status}); reset to train again")
        self._take_pending_lr()
        lr = learning_rate_at(self.training["scheduler"], self.base_lr, self.step_count, self.total_steps)
        if lr != self._lr_now:
            for optimizer in self._optimizers.values():
                for group in optimizer.param_groups:
                    group["lr"] = lr
            self._lr_now = lr
        if self._position >= len(self._order):
            self._order = torch.randperm(self.data.n_train, generator=self._order_rng).to(self.device)
            self._position = 0
        index = self._order[self._position:self._position + self.batch_size]
        self._position += self.batch_size
        x = self.x_train[index]
        if self._augment:
            x = augment_batch(x, self.data.augment_shift, self.data.augment_flip, self._order_rng)
        beta = self.beta
        mean, log_var = self.encoder.encode(x)
        z = mean + (0.5 * log_var).exp() * self.noise_like(mean, self._noise_rng)
        rec = reconstruction_per_sample(self.decoder_output(z), x, self.reconstruction).mean()
        kl = kl_per_dimension(mean, log_var).sum(dim=1).mean()
        objective = self._add_penalties(rec + beta * kl)
        rec_value, kl_value = rec.item(), kl.item()
        value = rec_value + kl_value
        if not math.isfinite(value) or not math.isfinite(objective.item()) or value > self._explosion_limit(value):
            return self._diverged(value, lr)
        torch._foreach_copy_(self._backup, self._tensors)
        self._backup_step = self.step_count
        for optimizer in self._optimizers.values():
            optimizer.zero_grad(set_to_none=True)
        objective.backward()
        if self.training["grad_clip"] is not None:
            params = [p for net in self.networks.values() for p in net.parameters()]
            torch.nn.utils.clip_grad_norm_(params, self.training["grad_clip"])
        for optimizer in self._optimizers.values():
            optimizer.step()
        self.step_count += 1
        record = MetricRecord(self.step_count, self.epoch, value, lr, self._rate,
                              metrics={"reconstruction": rec_value, "kl": kl_value, "beta": beta})
        if self.step_count % self.training["eval_every"] == 0 or self.step_count == self.total_steps:
            self._evaluate_into(record)
        self.history.append(record)
        return record

    def _diverged(self, value: float, lr: float) -> MetricRecord:
        """Roll back to the last weights that gave a finite loss and explain what happened."""
        bad_step = self.step_count + 1
        torch._foreach_copy_(self._tensors, self._backup)
        self.step_count = self._backup_step
        self.history.truncate(self.step_count)
        self._optimizers = self._new_optimizers({**self.training, "learning_rate": lr})
        self.status = DIVERGED
        self.message = (
            f"Training stopped at step {bad_step}: the loss {became(value)}. The learning rate ({lr:g}) is "
            f"probably too high; try {lr / 10:g} or lower. The weights were rolled back to step "
            f"{self.step_count}, the last before the loss blew up."
        )
        return MetricRecord(bad_step, bad_step / self.steps_per_epoch, value, lr, self._rate)

    # ---- evaluation -----------------------------------------------------------------------------
    def _evaluate_into(self, record: MetricRecord) -> None:
        self._measure_rate(record)
        scores = self.evaluate()
        record.train_loss, record.test_loss = scores["train_loss"], scores["test_loss"]
        record.metrics.update({k: v for k, v in scores.items() if k not in ("train_loss", "test_loss")})
        self._early_stopping(record.test_loss)
        self._restart_clock()

    def evaluate(self, detailed: bool = False) -> dict:
        """Flat float figures on the whole train and test sets (see :func:`evaluation.evaluate`)."""
        result = evaluation.evaluate(self)
        kl = [result[f"test_kl_dim{i}"] for i in range(self.latent_size)]
        self.last_kl = kl
        self.kl_order = sorted(range(self.latent_size), key=lambda i: -kl[i])
        return result

    def _early_stopping(self, test_loss: float) -> None:
        rule = self.training["early_stopping"]
        if rule["patience"] is None or not math.isfinite(test_loss):
            return
        if test_loss < self._best[0] - rule["min_delta"]:
            state = {f"{name}.{k}": v.detach().clone() for name, net in self.networks.items()
                     for k, v in net.state_dict().items()}
            self._best = (test_loss, state)
            self._bad_evals = 0
            return
        self._bad_evals += 1
        if self._bad_evals >= rule["patience"]:
            for name, net in self.networks.items():
                prefix = f"{name}."
                net.load_state_dict({k[len(prefix):]: v for k, v in self._best[1].items() if k.startswith(prefix)})
            self.status = EARLY_STOPPED
            self.message = (f"Stopped early at step {self.step_count}: the test loss has not improved for "
                            f"{rule['patience']} evaluations; kept the weights with the best test loss "
                            f"({self._best[0]:.4g}).")

    # ---- sessions -------------------------------------------------------------------------------
    def capture_extra(self) -> tuple[dict[str, torch.Tensor], dict]:
        """The reparameterisation noise generator, so a resumed run draws the same noise."""
        return {"noise_rng": self._noise_rng.get_state()}, {"kl_order": list(self.kl_order)}

    def restore_extra(self, tensors: dict[str, torch.Tensor], meta: dict) -> None:
        if "noise_rng" in tensors:
            self._noise_rng.set_state(tensors["noise_rng"])
        order = meta.get("kl_order")
        if isinstance(order, list) and sorted(order) == list(range(self.latent_size)):
            self.kl_order = [int(i) for i in order]

    # ---- views (computed here, drawn by the GUI) ------------------------------------------------
    def live_data(self) -> dict:
        return views.live_data(self)

    def live_view(self, detail: bool = False) -> dict:
        """The view's payload; the detailed parts (map, KL, samples) at least once a second while the
        worker asks (its own once-a-second gate for them is shared with the classifier's image views,
        which a VAE has not, and so may never open while training runs)."""
        now = time.monotonic()
        if detail or now - self._last_detail >= DETAIL_EVERY_S:
            self._last_detail = now
            return views.live_view(self, True)
        return views.live_view(self, False)

    def view_request(self, name: str, args=None):
        return views.view_request(self, name, args)
