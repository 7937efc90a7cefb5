"""How much does the trainer cost over a bare PyTorch loop?

For each preset, trains it through the app's trainer (``make_trainer(preset)``, ``trainer.run(steps)``)
and through a minimal hand-written loop with the same model, initial weights, data, batch size,
optimiser, learning-rate schedule and number of steps, in one process on one torch thread. The loops
take turns, 100 steps each (a whole number of evaluation periods), each keeping its state, so that
machine noise hits them alike; every turn is timed by the wall clock and by the thread's CPU time (which
other processes on a shared machine disturb far less). Prints the median steps/s of each loop and the
trainer/bare ratios (the median over the turns, with the middle half of the turns' ratios in brackets,
which shows how noisy the machine was; target: >= 0.95), twice for the trainer: with the preset's
evaluations (every ``eval_every`` steps, as the app runs) and with one evaluation at the end only (the
bare loop never evaluates, so this isolates the cost of the training machinery itself).

The bare loops, one per kind of task:

- classifier (spiral-deep): shuffle, slice, forward, cross-entropy, backward, step (cross-entropy
  classifiers only).
- GAN (gan-ring8, gan-moons; normal or uniform noise, the non_saturating loss): d_steps discriminator
  updates (a real batch, a generated batch made without gradients, softplus(-D(real)) + softplus(D(fake)))
  then one generator update (softplus(-D(G(z)))), each network with its own optimiser, as
  playground/core/tasks/gan/task.py does; PacGAN packing reshapes the batches the same way.
- VAE (vae-digits; a decoder without a final Sigmoid): encode to mean and log-variance, draw
  z = mean + exp(log_var / 2) * eps, decode to logits, minimise the negative ELBO with beta warmed up
  (Bernoulli: binary cross-entropy; Gaussian: squared error), one optimiser over both networks (the
  trainer keeps one per network, the same maths; on vae-digits that alone costs it about 4 %).

    python benchmarks/trainer_overhead.py                          # spiral-deep, gan-ring8 and vae-digits
    python benchmarks/trainer_overhead.py --preset gan-moons [--steps 100] [--rounds 30] [--threads 1]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Iterator

import torch
import torch.nn.functional as F
from torch import nn

from playground.core.build import build_network, network_seed
from playground.core.optim import make_optimizer
from playground.core.presets import load_preset
from playground.core.training.factory import make_trainer

DEFAULT_PRESETS = ("spiral-deep", "gan-ring8", "vae-digits")
STEPS_PER_TURN = 100  # a whole number of every bundled preset's evaluation periods


def cosine_or_constant(training: dict, step: int, total: int) -> float:
    """The learning rate at ``step``: the preset's cosine schedule, or its constant rate."""
    lr, scheduler = training["learning_rate"], training["scheduler"]
    if scheduler["type"] == "none":
        return lr
    if scheduler["type"] != "cosine":
        raise SystemExit(f"the bare loops know the cosine schedule only, not {scheduler['type']!r}")
    low, span = min(scheduler["min_lr"], lr), max(total - 1, 1)
    return low + (lr - low) * 0.5 * (1 + math.cos(math.pi * min(step, span) / span))


def bare_classifier(preset, data, steps: int, chunk: int) -> Iterator[None]:
    """The loop a user would write by hand: shuffle, slice, forward, loss, backward, step."""
    model = build_network(preset.networks["main"].layers, (data.n_inputs,), seed=preset.seed)
    optimizer = make_optimizer(model.parameters(), preset.training)
    x = torch.as_tensor(data.x_train)
    y = torch.as_tensor(data.y_train, dtype=torch.int64)
    n, batch = len(x), preset.training["batch_size"]
    generator = torch.Generator().manual_seed(preset.seed)
    order, position = torch.empty(0, dtype=torch.int64), 0
    yield  # set up: the first call builds, the timed ones train
    for step in range(steps):
        lr = cosine_or_constant(preset.training, step, steps)
        for group in optimizer.param_groups:
            group["lr"] = lr
        if position >= len(order):
            order, position = torch.randperm(n, generator=generator), 0
        index = order[position:position + batch]
        position += batch
        loss = F.cross_entropy(model(x[index]), y[index])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if (step + 1) % chunk == 0:
            yield


def bare_gan(preset, data, steps: int, chunk: int) -> Iterator[None]:
    """D updates then a G update with the non-saturating loss, two optimisers, the preset's schedule."""
    training, gan = preset.training, preset.training["gan"]
    if gan["loss"] != "non_saturating" or gan["latent_distribution"] not in ("normal", "uniform") \
            or gan["label_smoothing"] or (gan["d_learning_rate"] not in (None, training["learning_rate"])):
        raise SystemExit("the bare GAN loop covers the non_saturating loss with normal or uniform noise, no label "
                         "smoothing and one learning rate (gan-ring8, gan-moons)")
    size, pack, d_steps = gan["latent_size"], gan["pack"], gan["d_steps"]
    x = torch.as_tensor(data.x_train, dtype=torch.float32)
    shape = tuple(x.shape[1:])
    generator = build_network(preset.networks["generator"].layers, (size,), seed=preset.seed, network="generator")
    discriminator = build_network(preset.networks["discriminator"].layers, (shape[0] * pack, *shape[1:]),
                                  seed=preset.seed, network="discriminator")
    g_optimizer = make_optimizer(generator.parameters(), training)
    d_optimizer = make_optimizer(discriminator.parameters(), training)
    n = len(x)
    batch = max(pack, min(training["batch_size"], n) // pack * pack)
    rng = torch.Generator().manual_seed(preset.seed)

    def noise(count: int) -> torch.Tensor:
        if gan["latent_distribution"] == "uniform":
            return torch.rand(count, size, generator=rng) * 2.0 - 1.0
        return torch.randn(count, size, generator=rng)

    def judge(samples: torch.Tensor) -> torch.Tensor:
        return discriminator(samples.reshape(len(samples) // pack, shape[0] * pack, *shape[1:])).reshape(-1)

    order, position = torch.empty(0, dtype=torch.int64), 0
    yield
    for step in range(steps):
        lr = cosine_or_constant(training, step, steps)
        for optimizer in (g_optimizer, d_optimizer):
            for group in optimizer.param_groups:
                group["lr"] = lr
        for _ in range(d_steps):
            if position >= len(order):
                order, position = torch.randperm(n, generator=rng), 0
            real = x[order[position:position + batch]]
            position += batch
            with torch.no_grad():
                fake = generator(noise(len(real)))
            d_loss = F.softplus(-judge(real)).mean() + F.softplus(judge(fake)).mean()
            d_optimizer.zero_grad(set_to_none=True)
            d_loss.backward()
            d_optimizer.step()
        g_loss = F.softplus(-judge(generator(noise(batch)))).mean()
        g_optimizer.zero_grad(set_to_none=True)
        g_loss.backward()
        g_optimizer.step()
        if (step + 1) % chunk == 0:
            yield


class _Encoder(nn.Module):
    """The preset's encoder layers and the two heads a VAE adds: latent mean and log-variance."""

    def __init__(self, body: nn.Module, features: int, latent: int) -> None:
        super().__init__()
        self.body, self.mean, self.log_var = body, nn.Linear(features, latent), nn.Linear(features, latent)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(x)
        return self.mean(h), self.log_var(h)


def bare_vae(preset, data, steps: int, chunk: int) -> Iterator[None]:
    """Encode, reparameterise, decode, negative ELBO (beta warmed up), one optimiser over both networks."""
    training, vae = preset.training, preset.training["vae"]
    latent, kind = vae["latent_size"], vae["reconstruction"]
    x = torch.as_tensor(data.x_train, dtype=torch.float32)
    body = build_network(preset.networks["encoder"].layers, tuple(x.shape[1:]), seed=preset.seed, network="encoder")
    with torch.no_grad():
        features = body(x[:1]).shape[1]
    torch.manual_seed(network_seed(preset.seed, "encoder.heads"))  # the heads' initial weights, as the app's
    encoder = _Encoder(body, features, latent)
    decoder = build_network(preset.networks["decoder"].layers, (latent,), seed=preset.seed, network="decoder")
    if any(isinstance(m, nn.Sigmoid) for m in decoder.modules()):
        raise SystemExit("the bare VAE loop covers decoders without a Sigmoid (vae-digits)")
    optimizer = make_optimizer([*encoder.parameters(), *decoder.parameters()], training)
    n, batch = len(x), min(training["batch_size"], len(x))
    order_rng, noise_rng = torch.Generator().manual_seed(preset.seed), torch.Generator().manual_seed(
        network_seed(preset.seed, "vae.noise"))
    order, position = torch.empty(0, dtype=torch.int64), 0
    yield
    for step in range(steps):
        lr = cosine_or_constant(training, step, steps)
        for group in optimizer.param_groups:
            group["lr"] = lr
        if position >= len(order):
            order, position = torch.randperm(n, generator=order_rng), 0
        images = x[order[position:position + batch]]
        position += batch
        beta = vae["beta"] * (min(1.0, (step + 1) / vae["beta_warmup"]) if vae["beta_warmup"] > 0 else 1.0)
        mean, log_var = encoder(images)
        z = mean + (0.5 * log_var).exp() * torch.randn(mean.shape, generator=noise_rng)
        out = decoder(z)
        if kind == "bernoulli":
            per_pixel = F.binary_cross_entropy_with_logits(out, images, reduction="none")
        else:
            per_pixel = (out - images).pow(2)
        reconstruction = per_pixel.flatten(1).sum(1).mean()
        kl = (0.5 * (mean.pow(2) + log_var.exp() - 1.0 - log_var)).sum(1).mean()
        loss = reconstruction + beta * kl
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if (step + 1) % chunk == 0:
            yield


BARE = {"gan": bare_gan, "vae": bare_vae}


def with_steps(preset, steps: int, eval_every: int | None = None):
    run = preset.copy()
    run.training = {**run.training, "steps": steps, "epochs": None}
    if eval_every is not None:
        run.training["eval_every"] = eval_every
    return run


def trainer_loop(preset, data, steps: int, chunk: int) -> Iterator[None]:
    """The app's trainer, ``chunk`` steps per call of ``trainer.run``."""
    trainer = make_trainer(preset, device="cpu", data=data)
    yield
    for _ in range(steps // chunk):
        trainer.run(chunk)
        yield


def measure(name: str, chunk: int | None, rounds: int) -> None:
    preset = load_preset(name)
    bare = BARE.get(preset.task, bare_classifier)
    chunk = chunk or STEPS_PER_TURN
    steps = chunk * (rounds + 1)  # one more round to warm up (allocator, kernels, first-call costs)
    evaluating, at_end = with_steps(preset, steps), with_steps(preset, steps, eval_every=steps)
    data = make_trainer(evaluating, device="cpu").data  # the trainer's own data, shared by every loop
    loops = {"bare": bare(with_steps(preset, steps), data, steps, chunk),
             "trainer": trainer_loop(evaluating, data, steps, chunk),
             "at_end": trainer_loop(at_end, data, steps, chunk)}
    for loop in loops.values():
        next(loop)
    wall: dict[str, list[float]] = {key: [] for key in loops}
    cpu: dict[str, list[float]] = {key: [] for key in loops}
    for round_ in range(rounds + 1):
        for key, loop in loops.items():
            start_wall, start_cpu = time.perf_counter(), time.thread_time()
            next(loop)
            if round_:
                wall[key].append(time.perf_counter() - start_wall)
                cpu[key].append(time.thread_time() - start_cpu)
    print(f"{name} ({preset.task}): {rounds} rounds of {chunk} steps per loop, the loops taking turns; batch "
          f"{preset.training['batch_size']}, {torch.get_num_threads()} thread(s)")
    print(f"  bare PyTorch loop:                       {chunk / statistics.median(wall['bare']):8.0f} steps/s")
    for key, label in (("trainer", f"trainer, evaluating every {evaluating.training['eval_every']:>5} steps:"),
                       ("at_end", "trainer, one evaluation at the end:     ")):
        line = f"  {label} {chunk / statistics.median(wall[key]):8.0f} steps/s"
        for clock, times in (("wall", wall), ("CPU", cpu)):
            ratios = [b / t for t, b in zip(times[key], times["bare"], strict=True)]
            low, _, high = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (ratios[0],) * 3
            line += f"   ratio ({clock}) {statistics.median(ratios):.3f} [{low:.3f}-{high:.3f}]"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", nargs="+", default=list(DEFAULT_PRESETS),
                        help="bundled preset names or files (default: %(default)s)")
    parser.add_argument("--steps", type=int, default=None,
                        help="steps each loop trains per turn (default: 100, a whole number of evaluation periods)")
    parser.add_argument("--rounds", type=int, default=30, help="turns per loop (after one to warm up)")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.preset:
        measure(name, args.steps, args.rounds)


if __name__ == "__main__":
    main()
