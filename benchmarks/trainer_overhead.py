"""How much does the trainer cost over a bare PyTorch loop?

Trains the spiral-deep preset through :class:`playground.core.trainer.Trainer` and through a
minimal hand-written loop with the same model, data, optimiser, batch size and thread count, in
one process, alternating the two in rounds so that machine noise hits both alike. Prints the
median steps/s of each and their ratio (target: trainer >= 0.95 x bare loop).

    python benchmarks/trainer_overhead.py [--preset spiral-deep] [--steps 1500] [--rounds 7] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F
from playground.core.trainer import Trainer

from playground.core.build import build_network
from playground.core.data import make_dataset
from playground.core.optim import make_optimizer
from playground.core.presets import load_preset


def bare_loop(preset, data, steps: int) -> float:
    """The loop a user would write by hand: shuffle, slice, forward, loss, backward, step."""
    model = build_network(preset.networks["main"].layers, (data.n_inputs,), seed=preset.seed)
    optimizer = make_optimizer(model.parameters(), preset.training)
    x = torch.as_tensor(data.x_train)
    y = torch.as_tensor(data.y_train, dtype=torch.int64)
    n, batch = len(x), preset.training["batch_size"]
    generator = torch.Generator().manual_seed(preset.seed)
    order, position = torch.empty(0, dtype=torch.int64), 0
    start = time.perf_counter()
    for _ in range(steps):
        if position >= len(order):
            order, position = torch.randperm(n, generator=generator), 0
        index = order[position:position + batch]
        position += batch
        loss = F.cross_entropy(model(x[index]), y[index])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return steps / (time.perf_counter() - start)


def trainer_loop(preset, data, steps: int) -> float:
    trainer = Trainer(preset, data=data)
    start = time.perf_counter()
    trainer.run(steps)
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="spiral-deep")
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    preset = load_preset(args.preset)
    preset.training["steps"], preset.training["epochs"] = args.steps, None
    data = make_dataset(preset.dataset, seed=preset.seed, kind="classification")
    bare_loop(preset, data, 200)  # warm-up: allocator, kernels, first-call costs
    trainer_loop(preset, data, 200)
    bare, ours = [], []
    for _ in range(args.rounds):
        bare.append(bare_loop(preset, data, args.steps))
        ours.append(trainer_loop(preset, data, args.steps))
    b, t = statistics.median(bare), statistics.median(ours)
    print(f"preset {args.preset}, {args.steps} steps x {args.rounds} rounds, batch {preset.training['batch_size']}, "
          f"{torch.get_num_threads()} thread(s)")
    print(f"bare PyTorch loop: {b:8.0f} steps/s")
    print(f"trainer:           {t:8.0f} steps/s")
    print(f"ratio trainer/bare: {t / b:.3f} (target >= 0.95)")


if __name__ == "__main__":
    main()
