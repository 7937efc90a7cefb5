"""The GAN trainer: a generator and a discriminator, each with its own optimiser, trained in turns.

One :meth:`GanTrainer.step` is one generator update preceded by ``training.gan.d_steps``
discriminator updates. Both optimisers have the type and settings of ``training.optimizer``; the
generator uses ``training.learning_rate`` and the discriminator ``training.gan.d_learning_rate``
(the same when empty); a schedule and a rate changed mid-run scale both alike.

Randomness: real batches come in a seeded random order and the noise fed to the generator (and
WGAN-GP's mixing weights) is drawn from the same seeded generator (``_order_rng``), which a session
saves, so a resumed run continues bit for bit and two runs in one process never share a stream.
Views and evaluations draw from their own fixed noise batches and never touch that generator.

Per-step figures (``MetricRecord.metrics``): d_loss and g_loss (what each network minimised in this
step), d_real and d_fake (D's mean output on the real and generated batch of the last D update: a
probability for non_saturating, the raw score otherwise). ``batch_loss`` is d_loss + g_loss, one
number whose swings show the game going out of balance. Evaluations add the metrics of
:meth:`evaluate`.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import torch

from playground.core.build import build_network
from playground.core.gan import image_metrics, live_views, losses, mode_metrics
from playground.core.gan.data import make_gan_data
from playground.core.gan.latent import LatentNoise
from playground.core.optim import learning_rate_at, make_optimizer, pick_device
from playground.core.params import Problem
from playground.core.presets import PresetError
from playground.core.records import MetricRecord
from playground.core.run_control import DIVERGED, FINISHED, PAUSED, RunControl, became
from playground.core.shapes import summarize
from playground.core.spec import Preset
from playground.core.tasks.catalog import network_output_problem

EXPLOSION = 1e4
VIEW_POINTS = 500  # generated points drawn live
VIEW_SEED, EVAL_SEED = 7_919, 104_729  # offsets of the fixed noise batches from the preset's seed
CLASS_SAMPLES = 1000  # image GANs: samples judged for the classes they resemble


class GanTrainer(RunControl):
    """Train a GAN step by step; see the module docstring. Threading as for every RunControl."""

    STEPPING_REQUESTS = ("step_d", "step_g", "step_both")

    def __init__(self, preset: Preset, *, device: str | None = None, data=None) -> None:
        self.preset = preset
        self.training = preset.training
        self.options = preset.training["gan"]
        try:
            self.device = pick_device(device or preset.device)
        except ValueError as exc:
            raise PresetError([Problem("device", str(exc))], preset.source) from None
        base_dir = Path(preset.source).parent if preset.source else None
        self.data = data or make_gan_data(preset.dataset, seed=preset.seed, base_dir=base_dir)
        self.images = self.data.kind == "image"
        self.latent_size = self.options["latent_size"]
        self.noise = LatentNoise(self.options["latent_distribution"], self.latent_size,
                                 components=self.options["mixture_components"], seed=preset.seed)
        self._check_networks()
        shape = tuple(self.data.input_shape)
        self.generator = build_network(preset.networks["generator"].layers, (self.latent_size,), seed=preset.seed,
                                       network="generator").to(self.device)
        self.pack = self.options["pack"]
        packed = (shape[0] * self.pack, *shape[1:])
        self.discriminator = build_network(preset.networks["discriminator"].layers, packed, seed=preset.seed,
                                           network="discriminator").to(self.device)
        as_tensor = lambda a: torch.as_tensor(a, dtype=torch.float32, device=self.device)  # noqa: E731
        self.x_train, self.x_test = as_tensor(self.data.x_train), as_tensor(self.data.x_test)
        self._configure(self.training)
        self._initial = [{k: v.detach().clone() for k, v in n.state_dict().items()} for n in self._nets()]
        fixed = torch.Generator(device="cpu")
        fixed.manual_seed(preset.seed + VIEW_SEED)
        view_count = live_views.GRID_SAMPLES if self.images else VIEW_POINTS
        self._view_noise = self.noise.sample(view_count, fixed).to(self.device)
        fixed.manual_seed(preset.seed + EVAL_SEED)
        eval_count = CLASS_SAMPLES if self.images else mode_metrics.EVAL_SAMPLES
        self._eval_noise = self.noise.sample(eval_count, fixed).to(self.device)
        self._real_eval = self.data.x_test[: mode_metrics.PR_SAMPLES]
        self._real_radii = None if self.images else mode_metrics.radii(self._real_eval)
        self.grids = live_views.GridHistory()
        self._init_control()
        self._start()

    # ---- set-up ---------------------------------------------------------------------------------
    def _nets(self) -> tuple[torch.nn.Module, torch.nn.Module]:
        return self.generator, self.discriminator

    @property
    def networks(self) -> dict[str, torch.nn.Module]:
        return {"generator": self.generator, "discriminator": self.discriminator}

    @property
    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return {"generator": self.g_optimizer, "discriminator": self.d_optimizer}

    def _configure(self, training: dict) -> None:
        """Read the run-length and rate settings of a (new) training section."""
        self.training, self.options = training, training["gan"]
        pack = training["gan"]["pack"]
        self.batch_size = max(pack, min(training["batch_size"], self.data.n_train) // pack * pack)
        self.steps_per_epoch = max(1, math.ceil(self.data.n_train / (self.batch_size * self.options["d_steps"])))
        epochs = training["epochs"]
        self.total_steps = epochs * self.steps_per_epoch if epochs is not None else training["steps"]
        self.base_lr = training["learning_rate"]
        d_lr = self.options["d_learning_rate"]
        self._d_ratio = 1.0 if d_lr is None else d_lr / training["learning_rate"]

    def _make_optimizers(self, g_lr: float, d_lr: float) -> None:
        self.g_optimizer = make_optimizer(self.generator.parameters(), {**self.training, "learning_rate": g_lr})
        self.d_optimizer = make_optimizer(self.discriminator.parameters(), {**self.training, "learning_rate": d_lr})

    def _start(self) -> None:
        """(Re)start from the initial weights with fresh optimisers, batch order and noise."""
        torch.manual_seed(self.preset.seed)
        for net, state in zip(self._nets(), self._initial, strict=True):
            net.load_state_dict(state)
            net.train()
        self._make_optimizers(self.base_lr, self.base_lr * self._d_ratio)
        self._order_rng = torch.Generator(device="cpu").manual_seed(self.preset.seed)
        self._order = torch.empty(0, dtype=torch.int64)
        self._position = 0
        self._reset_control()
        self._d_lr_now = math.nan
        self._tensors = [t for n in self._nets() for t in n.state_dict().values() if t.is_floating_point()]
        self._backup = [t.detach().clone() for t in self._tensors]
        self._backup_step = 0
        self._best = (math.inf, None)
        self._bad_evals = 0
        self.d_updates = 0
        self.grids.clear()
        if self.images:
            self.grids.add(0, self._sample_grid())

    def reset(self) -> None:
        self._start()

    def update_training(self, training: dict) -> list[str]:
        """Apply an edited training section between steps; returns what changed (for markers)."""
        old, new = self.options, training["gan"]
        for key in ("latent_size", "latent_distribution", "mixture_components", "pack"):
            if new[key] != old[key]:
                raise ValueError(f"the {key.replace('_', ' ')} cannot change mid-run; reset instead")
        changes = [f"{k.replace('_', ' ')} {self.training.get(k)} -> {training.get(k)}"
                   for k in ("learning_rate", "batch_size", "steps", "epochs", "eval_every")
                   if training.get(k) != self.training.get(k)]
        changes += [f"{k.replace('_', ' ')} {old[k]} -> {new[k]}" for k in new if new[k] != old[k]]
        changes += [f"{k} {training[k].get('type', 'changed')}" for k in ("optimizer", "scheduler")
                    if training[k] != self.training[k]]
        rebuild = training["optimizer"] != self.training["optimizer"]
        self._configure(copy.deepcopy(training))  # the caller may edit its dict later
        self._lr_now = self._d_lr_now = math.nan  # rates are written at the next step
        if rebuild:
            self._make_optimizers(self.base_lr, self.base_lr * self._d_ratio)
        if self.status == FINISHED and self.step_count < self.total_steps:
            self.status = PAUSED
        if self.status == DIVERGED:
            self.status, self.message = PAUSED, ""
        return changes

    # ---- stepping -------------------------------------------------------------------------------
    def _noise(self, n: int) -> torch.Tensor:
        return self.noise.sample(n, self._order_rng).to(self.device)

    def judge(self, samples: torch.Tensor) -> torch.Tensor:
        """D's raw score per pack of ``training.gan.pack`` consecutive samples (per sample when 1); a
        count that does not divide is trimmed."""
        n = len(samples) // self.pack * self.pack
        shape = samples.shape
        return self.discriminator(samples[:n].reshape(n // self.pack, shape[1] * self.pack, *shape[2:])).reshape(-1)

    def _real_batch(self) -> torch.Tensor:
        if self._position >= len(self._order):
            self._order = torch.randperm(self.data.n_train, generator=self._order_rng).to(self.device)
            self._position = 0
        index = self._order[self._position:self._position + self.batch_size]
        self._position += self.batch_size
        return self.x_train[index]

    def _set_rates(self) -> float:
        lr = learning_rate_at(self.training["scheduler"], self.base_lr, self.step_count, self.total_steps)
        if lr != self._lr_now:
            for group in self.g_optimizer.param_groups:
                group["lr"] = lr
            self._lr_now = lr
        if lr * self._d_ratio != self._d_lr_now:
            self._d_lr_now = lr * self._d_ratio
            for group in self.d_optimizer.param_groups:
                group["lr"] = self._d_lr_now
        return lr

    def _train_d(self) -> tuple[float, float, float]:
        """One discriminator update; returns (loss, mean shown D(real), mean shown D(fake)); NaN loss: no update."""
        real = self._real_batch()
        with torch.no_grad():
            fake = self.generator(self._noise(len(real)))
        s_real, s_fake = self.judge(real), self.judge(fake)
        loss = losses.d_loss(self.options["loss"], s_real, s_fake, self.options["label_smoothing"])
        if self.options["loss"] == "wgan_gp" and self.options["gp_weight"]:
            mix = torch.rand(len(real), generator=self._order_rng).to(self.device)
            loss = loss + self.options["gp_weight"] * losses.gradient_penalty(self.judge, real, fake, mix)
        value = loss.item()
        if math.isfinite(value) and abs(value) <= self._explosion_limit():
            self.d_optimizer.zero_grad(set_to_none=True)
            loss.backward()
            self.d_optimizer.step()
            self.d_updates += 1
        shown = losses.as_shown(self.options["loss"], torch.stack([s_real.mean(), s_fake.mean()]))
        real_mean, fake_mean = shown.tolist()
        return value, real_mean, fake_mean

    def _train_g(self) -> float:
        """One generator update; returns its loss (non-finite: no update)."""
        scores = self.judge(self.generator(self._noise(self.batch_size)))
        loss = losses.g_loss(self.options["loss"], scores)
        value = loss.item()
        if math.isfinite(value) and abs(value) <= self._explosion_limit():
            self.g_optimizer.zero_grad(set_to_none=True)
            loss.backward()
            self.g_optimizer.step()
        return value

    def _explosion_limit(self) -> float:
        """A loss 10,000 times the run's first ones (at least 10,000) has diverged even while finite."""
        first = self.history.records[0].metrics if self.history.records else {}
        scale = max([abs(v) for v in (first.get("d_loss"), first.get("g_loss")) if v is not None and math.isfinite(v)]
                    + [1.0])
        return EXPLOSION * scale

    def step(self, *, d_updates: int | None = None, g_update: bool = True) -> MetricRecord:
        """One generator update after ``training.gan.d_steps`` discriminator updates (``d_updates`` and
        ``g_update`` let the views train one network alone). A non-finite or exploding loss rolls both
        networks back to the last good step and sets status DIVERGED with a message."""
        if self.done:
            raise RuntimeError(f"the run is over ({self.status}); reset to train again")
        self._take_pending_lr()
        lr = self._set_rates()
        torch._foreach_copy_(self._backup, self._tensors)
        self._backup_step = self.step_count
        d_value = real_mean = fake_mean = math.nan
        for _ in range(self.options["d_steps"] if d_updates is None else d_updates):
            d_value, real_mean, fake_mean = self._train_d()
            if not (math.isfinite(d_value) and abs(d_value) <= self._explosion_limit()):
                return self._diverged("discriminator", d_value, lr)
        g_value = math.nan
        if g_update:
            g_value = self._train_g()
            if not (math.isfinite(g_value) and abs(g_value) <= self._explosion_limit()):
                return self._diverged("generator", g_value, lr)
            self.step_count += 1
        record = MetricRecord(self.step_count, self.epoch, d_value + g_value, lr, self._rate,
                              metrics={"d_loss": d_value, "g_loss": g_value, "d_real": real_mean, "d_fake": fake_mean})
        if g_update and (self.step_count % self.training["eval_every"] == 0 or self.step_count == self.total_steps):
            self._evaluate_into(record)
        if g_update:
            self.history.append(record)
        return record

    def _diverged(self, network: str, value: float, lr: float) -> MetricRecord:
        bad_step = self.step_count + 1
        torch._foreach_copy_(self._tensors, self._backup)
        self.step_count = self._backup_step
        self.history.truncate(self.step_count)
        self.grids.truncate(self.step_count)
        self._make_optimizers(lr, lr * self._d_ratio)
        self.status = DIVERGED
        shown = became(value)
        self.message = (f"Training stopped at step {bad_step}: the {network}'s loss {shown}. The learning rate "
                        f"({lr:g}, discriminator {lr * self._d_ratio:g}) is probably too high; try {lr / 10:g} or "
                        f"lower. Both networks were rolled back to step {self.step_count}, the last before the loss "
                        "blew up.")
        return MetricRecord(bad_step, bad_step / self.steps_per_epoch, value, lr, self._rate)

    # ---- evaluation -----------------------------------------------------------------------------
    def _evaluate_into(self, record: MetricRecord) -> None:
        self._measure_rate(record)
        scores = self.evaluate()
        record.train_loss, record.test_loss = scores.pop("train_loss"), scores.pop("test_loss")
        record.metrics.update(scores)
        if self.images:
            self.grids.add(self.step_count, self._sample_grid())
        self._restart_clock()

    def samples(self, count: int | None = None) -> np.ndarray:
        """Generated samples from the fixed evaluation noise (2,500 points or 1,000 images) as NumPy."""
        noise = self._eval_noise if count is None else self._eval_noise[:count]
        with live_views.evaluating(*self._nets()), torch.no_grad():
            return self.generator(noise).cpu().numpy()

    def evaluate(self, detailed: bool = False) -> dict:
        """train_loss/test_loss: d_loss + g_loss (no gradient penalty) of the evaluation samples against up to
        2,500 training/test samples; d_real/d_fake on the test samples; for mixtures of Gaussians
        modes_covered, modes_total and high_quality; for every 2-D set precision and recall (1,000 samples); for images
        classes_covered, classes_total and class_confidence (see image_metrics)."""
        kind, result = self.options["loss"], {}
        with live_views.evaluating(*self._nets()), torch.no_grad():
            fake = self.generator(self._eval_noise)
            s_fake = self.judge(fake)
            g_value = losses.g_loss(kind, s_fake).item()
            for split, x in (("train", self.x_train), ("test", self.x_test)):
                s_real = self.judge(x[: mode_metrics.EVAL_SAMPLES])
                result[f"{split}_loss"] = losses.d_loss(kind, s_real, s_fake).item() + g_value
            result["d_real"] = losses.as_shown(kind, s_real).mean().item()
            result["d_fake"] = losses.as_shown(kind, s_fake).mean().item()
        samples = fake.cpu().numpy()
        if self.images:
            result.update(image_metrics.class_coverage(samples, self.data.x_train, self.data.y_train,
                                                       self.data.n_classes))
        else:
            if self.data.modes is not None:
                result.update(mode_metrics.mode_coverage(samples, self.data.modes, self.data.sigma))
            result.update(mode_metrics.precision_recall(samples[: mode_metrics.PR_SAMPLES], self._real_eval,
                                                        real_radii=self._real_radii))
        return result

    # ---- views ----------------------------------------------------------------------------------
    def _sample_grid(self) -> np.ndarray:
        with live_views.evaluating(*self._nets()), torch.no_grad():
            out = self.generator(self._view_noise).cpu().numpy()
        return live_views.to_uint8(self.data.to_pixels(out))

    def live_data(self) -> dict:
        """What the view needs once per run: the kind of picture, the real points or image size, the modes."""
        if self.images:
            return {"kind": "images", "image_shape": tuple(self.data.input_shape), "loss": self.options["loss"]}
        return {"kind": "points", "real": self.data.points_train[:2000].copy(), "extent": tuple(self.data.extent),
                "modes": None if self.data.modes is None else self.data.modes.copy(), "sigma": self.data.sigma,
                "latent_size": self.latent_size, "loss": self.options["loss"],
                "probability": self.options["loss"] in losses.PROBABILITY_LOSSES}

    def live_view(self, detail: bool = False) -> dict:
        """The current picture (see live_views); the latest evaluation's figures ride along."""
        last = self.history.last_evaluation()
        view = {"step": self.step_count, "d_updates": self.d_updates,
                "metrics": dict(last.metrics) if last is not None and last.metrics else {},
                "metrics_step": last.step if last is not None else 0}
        if self.images:
            view.update(kind="images", grid=self._sample_grid(), saved_steps=list(self.grids.steps))
            return view
        with live_views.evaluating(*self._nets()):
            with torch.no_grad():
                fake = self.generator(self._view_noise)
            arrows = live_views.push_directions(self.judge, fake, self.options["loss"], self.pack)
            heat = live_views.heatmap(self.judge, self.data.extent, self.options["loss"], self.device, self.pack)
            view.update(kind="points", fake=fake.cpu().numpy().astype(np.float32), arrows=arrows, heatmap=heat,
                        levels=live_views.heatmap_levels(self.options["loss"], heat),
                        manifold=live_views.manifold(self.generator, self.noise.grid(live_views.MANIFOLD_LINES),
                                                    self.device)
                        if self.latent_size == 2 else None)
        return view

    def view_request(self, name: str, args=None):
        """The view's buttons: "step_d" (one discriminator update, the step count stays), "step_g" (one
        generator update alone, counted as a step), "step_both" (one full step); "sample_grid" returns the
        saved grid at index ``args`` as (step, grid)."""
        if name == "sample_grid":
            return self.grids.at(int(args))
        if name not in self.STEPPING_REQUESTS:
            raise KeyError(f"unknown view request {name!r}")
        if self.done or self.step_count >= self.total_steps:
            return {"trained": False, "message": self.message or "the run is complete; reset to train again"}
        record = self.step(d_updates=1 if name == "step_d" else 0 if name == "step_g" else None,
                           g_update=name != "step_d")
        return {"trained": self.status != DIVERGED, "network": name, "metrics": dict(record.metrics or {}),
                "step": self.step_count, "message": self.message}

    # ---- sessions -------------------------------------------------------------------------------
    def capture_extra(self) -> tuple[dict[str, torch.Tensor], dict]:
        tensors = {"grids": torch.as_tensor(np.stack(self.grids.grids))} if self.grids.grids else {}
        return tensors, {"d_updates": self.d_updates, "grid_steps": list(self.grids.steps)}

    def restore_extra(self, tensors: dict[str, torch.Tensor], meta: dict) -> None:
        self.d_updates = int(meta.get("d_updates", 0))
        self.grids.clear()
        if "grids" in tensors:
            for step, grid in zip(meta.get("grid_steps", []), tensors["grids"].numpy(), strict=False):
                self.grids.add(step, grid)

    # ---- checks ---------------------------------------------------------------------------------
    def _check_networks(self) -> None:
        """The data decide the sample shape (an .npz file, say); both networks must fit it."""
        shape = tuple(self.data.input_shape)
        problems = []
        for name, input_shape in (("generator", (self.latent_size,)), ("discriminator", shape)):
            summary = summarize(self.preset.networks[name].layers, input_shape, name)
            problems += [Problem(r.path, f"{r.type} {r.error}") for r in summary.errors]
            if summary.ok:
                problem = network_output_problem("gan", name, summary.output_shape, shape, None)
                if problem:
                    problems.append(Problem(f"networks.{name}", problem))
        if problems:
            raise PresetError(problems, self.preset.source)

