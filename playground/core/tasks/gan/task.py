"""The GAN task: a generator and a discriminator, each with its own optimiser, trained in turns.

One step is one generator update preceded by ``training.gan.d_steps`` discriminator updates. Both
optimisers have the type and settings of ``training.optimizer``; the generator uses
``training.learning_rate`` and the discriminator ``training.gan.d_learning_rate`` (the same when
empty); a schedule and a rate changed mid-run scale both alike.

Randomness: real batches come in the loop's seeded random order, and the noise fed to the generator
(and WGAN-GP's mixing weights) is drawn from the same seeded stream (``loop.random``), which a
session saves, so a resumed run continues bit for bit and two runs in one process never share a
stream. Views and evaluations draw from their own fixed noise batches and never touch it.

Per-step figures (``MetricRecord.metrics``): d_loss and g_loss (what each network minimised in this
step), d_real and d_fake (D's mean output on the real and generated batch of the last D update: a
probability for non_saturating, the raw score otherwise). ``batch_loss`` is d_loss + g_loss, one
number whose swings show the game going out of balance. Evaluations add the figures of
:meth:`GanTask.evaluate`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from playground.core.build import build_network
from playground.core.params import Problem
from playground.core.presets import PresetError
from playground.core.shape_inference import summarize
from playground.core.tasks.catalog import network_output_problem
from playground.core.tasks.gan import image_metrics, losses, mode_metrics, views
from playground.core.tasks.gan.latent import LatentNoise
from playground.core.training.task import Diverged, StepResult, Task, became

VIEW_POINTS = 500  # generated points drawn live
VIEW_SEED, EVAL_SEED = 7_919, 104_729  # offsets of the fixed noise batches from the preset's seed
CLASS_SAMPLES = 1000  # image GANs: samples judged for the classes they resemble


class GanTask(Task):
    """A GAN's own part of the run; see the module docstring."""

    name = "gan"
    section = "gan"
    fixed_settings = ("latent_size", "latent_distribution", "mixture_components", "pack")
    stepping_requests = ("step_d", "step_g", "step_both")

    # ---- building --------------------------------------------------------------------------------
    def load_data(self, base_dir: Path | None):
        from playground.core.tasks.gan.data import make_gan_data

        return make_gan_data(self.preset.dataset, seed=self.preset.seed, base_dir=base_dir)

    def configure(self, training: dict) -> None:
        self.options = training["gan"]
        d_lr = self.options["d_learning_rate"]
        self._d_ratio = 1.0 if d_lr is None else d_lr / training["learning_rate"]

    def build(self) -> None:
        preset, options = self.preset, self.options
        self.images = self.data.kind == "image"
        self.latent_size = options["latent_size"]
        self.pack = options["pack"]
        self.noise = LatentNoise(options["latent_distribution"], self.latent_size,
                                 components=options["mixture_components"], seed=preset.seed)
        self._check_networks()
        shape = tuple(self.data.input_shape)
        self.generator = build_network(preset.networks["generator"].layers, (self.latent_size,), seed=preset.seed,
                                       network="generator").to(self.device)
        packed = (shape[0] * self.pack, *shape[1:])
        self.discriminator = build_network(preset.networks["discriminator"].layers, packed, seed=preset.seed,
                                           network="discriminator").to(self.device)
        as_tensor = lambda a: torch.as_tensor(a, dtype=torch.float32, device=self.device)  # noqa: E731
        self.x_train, self.x_test = as_tensor(self.data.x_train), as_tensor(self.data.x_test)
        fixed = torch.Generator(device="cpu")
        fixed.manual_seed(preset.seed + VIEW_SEED)
        view_count = views.GRID_SAMPLES if self.images else VIEW_POINTS
        self._view_noise = self.noise.sample(view_count, fixed).to(self.device)
        fixed.manual_seed(preset.seed + EVAL_SEED)
        eval_count = CLASS_SAMPLES if self.images else mode_metrics.EVAL_SAMPLES
        self._eval_noise = self.noise.sample(eval_count, fixed).to(self.device)
        self._real_eval = self.data.x_test[: mode_metrics.PR_SAMPLES]
        self._real_radii = None if self.images else mode_metrics.radii(self._real_eval)
        self.grids = views.GridHistory()

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

    @property
    def networks(self) -> dict[str, torch.nn.Module]:
        return {"generator": self.generator, "discriminator": self.discriminator}

    @property
    def g_optimizer(self) -> torch.optim.Optimizer:
        return self.loop.optimizers["generator"]

    @property
    def d_optimizer(self) -> torch.optim.Optimizer:
        return self.loop.optimizers["discriminator"]

    def batch_geometry(self, training: dict) -> tuple[int, int]:
        """A batch is a whole number of packs; an epoch counts the real samples the discriminator sees."""
        pack = training["gan"]["pack"]
        batch = max(pack, min(training["batch_size"], self.data.n_train) // pack * pack)
        return batch, max(1, math.ceil(self.data.n_train / (batch * training["gan"]["d_steps"])))

    def rate_scales(self) -> dict[str, float]:
        return {"generator": 1.0, "discriminator": self._d_ratio}

    def make_optimizers(self, training: dict, learning_rate: float) -> dict[str, torch.optim.Optimizer]:
        from playground.core.optim import make_optimizer

        rates = {"generator": learning_rate, "discriminator": learning_rate * self._d_ratio}
        return {name: make_optimizer(net.parameters(), {**training, "learning_rate": rates[name]})
                for name, net in self.networks.items()}

    def penalised_parameters(self) -> list[torch.Tensor]:
        return []  # the two losses are the game itself; L1/L2 penalties do not apply to GANs

    def start(self) -> None:
        self.d_updates = 0
        self.grids.clear()
        if self.images:
            self.grids.add(0, self._sample_grid())

    # ---- stepping --------------------------------------------------------------------------------
    def _noise(self, n: int) -> torch.Tensor:
        return self.noise.sample(n, self.loop.random).to(self.device)

    def judge(self, samples: torch.Tensor) -> torch.Tensor:
        """D's raw score per pack of ``training.gan.pack`` consecutive samples (per sample when 1); a
        count that does not divide is trimmed."""
        n = len(samples) // self.pack * self.pack
        shape = samples.shape
        return self.discriminator(samples[:n].reshape(n // self.pack, shape[1] * self.pack, *shape[2:])).reshape(-1)

    def _train_d(self) -> tuple[float, float, float]:
        """One discriminator update; returns (loss, mean shown D(real), mean shown D(fake))."""
        loop = self.loop
        real = self.x_train[loop.next_indices()]
        with torch.no_grad():
            fake = self.generator(self._noise(len(real)))
        s_real, s_fake = self.judge(real), self.judge(fake)
        loss = losses.d_loss(self.options["loss"], s_real, s_fake, self.options["label_smoothing"])
        if self.options["loss"] == "wgan_gp" and self.options["gp_weight"]:
            mix = torch.rand(len(real), generator=loop.random).to(self.device)
            loss = loss + self.options["gp_weight"] * losses.gradient_penalty(self.judge, real, fake, mix)
        value = loss.item()
        loop.check(value, "discriminator")
        loop.optimize(loss, ("discriminator",))
        self.d_updates += 1
        shown = losses.as_shown(self.options["loss"], torch.stack([s_real.mean(), s_fake.mean()]))
        real_mean, fake_mean = shown.tolist()
        return value, real_mean, fake_mean

    def _train_g(self) -> float:
        scores = self.judge(self.generator(self._noise(self.loop.batch_size)))
        loss = losses.g_loss(self.options["loss"], scores)
        value = loss.item()
        self.loop.check(value, "generator")
        self.loop.optimize(loss, ("generator",))
        return value

    def training_step(self, learning_rate: float, *, d_updates: int | None = None,
                      g_update: bool = True) -> StepResult:
        """``d_updates`` and ``g_update`` let the views train one network alone (a D-only update does
        not count as a step)."""
        d_value = real_mean = fake_mean = math.nan
        for _ in range(self.options["d_steps"] if d_updates is None else d_updates):
            d_value, real_mean, fake_mean = self._train_d()
        g_value = self._train_g() if g_update else math.nan
        return StepResult(d_value + g_value, {"d_loss": d_value, "g_loss": g_value, "d_real": real_mean,
                                              "d_fake": fake_mean}, counted=g_update)

    def explosion_scale(self, first, value: float) -> float:
        """The run's first losses (at least 1): both players' losses may be negative (hinge, WGAN)."""
        metrics = first.metrics if first is not None and first.metrics else {}
        return max([abs(v) for v in (metrics.get("d_loss"), metrics.get("g_loss"))
                    if v is not None and math.isfinite(v)] + [1.0])

    def divergence_message(self, diverged: Diverged, learning_rate: float, bad_step: int) -> str:
        lr, network = learning_rate, diverged.network or "generator"
        return (f"Training stopped at step {bad_step}: the {network}'s loss {became(diverged.value)}. The learning "
                f"rate ({lr:g}, discriminator {lr * self._d_ratio:g}) is probably too high; try {lr / 10:g} or "
                f"lower. Both networks were rolled back to step {self.step_count}, the last before the loss "
                "blew up.")

    def after_rollback(self) -> None:
        self.grids.truncate(self.step_count)

    # ---- evaluation ------------------------------------------------------------------------------
    def samples(self, count: int | None = None) -> np.ndarray:
        """Generated samples from the fixed evaluation noise (2,500 points or 1,000 images) as NumPy."""
        noise = self._eval_noise if count is None else self._eval_noise[:count]
        with views.evaluating(*self.networks.values()), torch.no_grad():
            return self.generator(noise).cpu().numpy()

    def evaluate(self, detailed: bool = False) -> dict:
        """train_loss/test_loss: d_loss + g_loss (no gradient penalty) of the evaluation samples against up to
        2,500 training/test samples; d_real/d_fake on the test samples; for mixtures of Gaussians
        modes_covered, modes_total and high_quality; for every 2-D set precision and recall (1,000 samples); for images
        classes_covered, classes_total and class_confidence (see image_metrics)."""
        kind, result = self.options["loss"], {}
        with views.evaluating(*self.networks.values()), torch.no_grad():
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

    def after_evaluation(self, record) -> None:
        if self.images:
            self.grids.add(self.step_count, self._sample_grid())

    # ---- views -----------------------------------------------------------------------------------
    def _sample_grid(self) -> np.ndarray:
        with views.evaluating(*self.networks.values()), torch.no_grad():
            out = self.generator(self._view_noise).cpu().numpy()
        return views.to_uint8(self.data.to_pixels(out))

    def data_view(self) -> dict:
        """What the view needs once per run: the kind of picture, the real points or image size, the modes."""
        if self.images:
            live = {"kind": "images", "image_shape": tuple(self.data.input_shape), "loss": self.options["loss"]}
        else:
            live = {"kind": "points", "real": self.data.points_train[:2000].copy(), "extent": tuple(self.data.extent),
                    "modes": None if self.data.modes is None else self.data.modes.copy(), "sigma": self.data.sigma,
                    "latent_size": self.latent_size, "loss": self.options["loss"],
                    "probability": self.options["loss"] in losses.PROBABILITY_LOSSES}
        return {"live": live}

    def live_view(self, pictures: bool = True, detail: bool = False) -> dict:
        """The current picture (see :mod:`.views`) with the latest evaluation's figures."""
        if not pictures:
            return {}
        last = self.history.last_evaluation()
        view = {"step": self.step_count, "d_updates": self.d_updates,
                "metrics": dict(last.metrics) if last is not None and last.metrics else {},
                "metrics_step": last.step if last is not None else 0}
        if self.images:
            view.update(kind="images", grid=self._sample_grid(), saved_steps=list(self.grids.steps))
            return {"live": view}
        with views.evaluating(*self.networks.values()):
            with torch.no_grad():
                fake = self.generator(self._view_noise)
            arrows = views.push_directions(self.judge, fake, self.options["loss"], self.pack)
            heat = views.heatmap(self.judge, self.data.extent, self.options["loss"], self.device, self.pack)
            view.update(kind="points", fake=fake.cpu().numpy().astype(np.float32), arrows=arrows, heatmap=heat,
                        levels=views.heatmap_levels(self.options["loss"], heat),
                        manifold=views.manifold(self.generator, self.noise.grid(views.MANIFOLD_LINES),
                                                    self.device)
                        if self.latent_size == 2 else None)
        return {"live": view}

    def view_request(self, name: str, args=None):
        """The view's buttons: "step_d" (one discriminator update, the step count stays), "step_g" (one
        generator update alone, counted as a step), "step_both" (one full step); "sample_grid" returns the
        saved grid at index ``args`` as (step, grid)."""
        if name == "sample_grid":
            return self.grids.at(int(args))
        if name not in self.stepping_requests:
            return super().view_request(name, args)
        loop = self.loop
        if loop.complete:
            return {"trained": False, "message": loop.message or "the run is complete; reset to train again"}
        record = loop.step(d_updates=1 if name == "step_d" else 0 if name == "step_g" else None,
                           g_update=name != "step_d")
        return {"trained": loop.status != "diverged", "network": name, "metrics": dict(record.metrics or {}),
                "step": self.step_count, "message": loop.message}

    # ---- sessions, run folders, exports ----------------------------------------------------------
    def capture_extra(self) -> tuple[dict[str, torch.Tensor], dict]:
        tensors = {"grids": torch.as_tensor(np.stack(self.grids.grids))} if self.grids.grids else {}
        return tensors, {"d_updates": self.d_updates, "grid_steps": list(self.grids.steps)}

    def restore_extra(self, tensors: dict[str, torch.Tensor], meta: dict) -> None:
        self.d_updates = int(meta.get("d_updates", 0))
        self.grids.clear()
        if "grids" in tensors:
            for step, grid in zip(meta.get("grid_steps", []), tensors["grids"].numpy(), strict=False):
                self.grids.add(step, grid)

    def summaries(self) -> list[str]:
        inputs = {"generator": (self.latent_size,), "discriminator": tuple(self.data.input_shape)}
        return [str(summarize(self.preset.networks[n].layers, shape, n)) for n, shape in inputs.items()]

    def write_outputs(self, folder: Path, final: dict) -> None:
        from playground.core.tasks.gan.outputs import write_samples

        write_samples(folder, self)

    def export_latent(self, network: str) -> dict | None:
        from playground.core.tasks.gan.export_noise import settings

        return settings(self.noise) if network == "generator" else None

    def export_networks(self) -> dict[str, tuple[torch.nn.Module, tuple[int, ...]]]:
        packed = (self.data.input_shape[0] * self.pack, *self.data.input_shape[1:])
        return {"generator": (self.generator, (self.latent_size,)), "discriminator": (self.discriminator, packed)}
