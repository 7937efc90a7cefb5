"""A standalone train.py that repeats a preset's run with plain PyTorch and NumPy.

The script is specialised to the preset (its optimiser, schedule, loss and penalties are written
out, not looked up), reads the bundle :func:`codegen.write_training_bundle` writes next to it, and
follows the training loop (:mod:`playground.core.training.loop`) operation for operation so that, single process on
the CPU, its losses equal the app's bit for bit. Under ``torchrun`` it trains data-parallel.
"""

from __future__ import annotations

import re
import textwrap
from string import Template

from playground.core.shape_inference import summarize
from playground.core.spec import Preset
from playground.core.tasks.catalog import TASKS

_SCRIPT = Template('''"""Train "$name" with plain PyTorch, step for step as Neural Playground does.

Next to this file: data.npz (x_train, y_train, x_test, y_test, exactly as the app trained on them),
$model_module.py (the network) and initial.safetensors (the app's initial weights, so both runs start
from the same point). The trained weights go to trained.safetensors, with the app's keys.

    python train.py                        # $length, as in the app
    python train.py --steps 100 --losses losses.json
    torchrun --nproc_per_node=2 train.py   # data parallel, on the CPU

$exact
Exactness needs the same PyTorch version, the same kind of CPU (its vector instructions pick the
kernels) and the same number of torch threads (a sum split over more threads adds up in another
order), so the script sets the count the app trained with, THREADS; --threads changes it.

$augmentation
Under torchrun every process takes its own slice of each batch (all draw the same batch order) and
DistributedDataParallel averages their gradients, which gives the same update up to rounding;
dropout masks and BatchNorm statistics are per process, so such a run drifts from the app's a little.

Not reproduced: changes made in the app while it trained, early stopping, and the app's roll-back
after a step whose loss is not finite (this script stops there).
"""

import argparse
import json
import math
import os
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from $model_module import $class_name, load

HERE = Path(__file__).resolve().parent
SEED = $seed
THREADS = $threads  # torch CPU threads the app trained with (per process under torchrun)
$length_constant
BATCH_SIZE = $batch_size
LEARNING_RATE = $learning_rate
EVAL_EVERY = $eval_every$constants


def learning_rate(step: int, total_steps: int) -> float:
$schedule


def as_targets(y: np.ndarray) -> torch.Tensor:
$as_targets


def loss_fn(outputs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
$loss
$predict$augment

def evaluate(net: nn.Module, x: torch.Tensor, y: np.ndarray) -> str:
    """$evaluate_doc"""
    net.eval()
    with torch.no_grad():
        outputs = torch.cat([net(x[i:i + 2048]) for i in range(0, len(x), 2048)])
    net.train()
$evaluate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=None, help="run length in steps (default: $length)")
    parser.add_argument("--losses", type=Path, help="also write every step's loss to this JSON file")
    parser.add_argument("--threads", type=int, default=THREADS, help="torch CPU threads (default: THREADS, the "
                        "app's count; another count rounds differently)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    distributed = "RANK" in os.environ and "WORLD_SIZE" in os.environ  # started by torchrun
    if distributed:
        dist.init_process_group("gloo")
    rank = dist.get_rank() if distributed else 0
    world_size = dist.get_world_size() if distributed else 1

    data = np.load(HERE / "data.npz")
    x_train = torch.as_tensor(data["x_train"], dtype=torch.float32)
    x_test = torch.as_tensor(data["x_test"], dtype=torch.float32)
    y_train = as_targets(data["y_train"])$layout
    n_train = len(x_train)
    batch_size = min(BATCH_SIZE, n_train)
$steps

    net: $class_name = load(HERE / "initial.safetensors")
    net.train()
    model = DistributedDataParallel(net) if distributed else net
    optimizer = $optimizer
$penalised
    torch.manual_seed(SEED + rank)  # dropout draws from torch's global generator (own masks per process)
    generator = torch.Generator().manual_seed(SEED)  # the batch order$and_augmentation, the same in every process
    order, position = torch.empty(0, dtype=torch.int64), 0
    losses = []
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, steps)
        if position >= len(order):  # a new epoch: a new random order
            order, position = torch.randperm(n_train, generator=generator), 0
        index = order[position:position + batch_size]
        position += batch_size
        inputs, batch_targets = x_train[index], y_train[index]$augment_call
        if distributed:
            # this process's rows of the batch, weighted by their share of it: DDP's average of the
            # processes' gradients is then the gradient of the whole batch
            inputs = inputs.tensor_split(world_size)[rank]
            batch_targets = batch_targets.tensor_split(world_size)[rank]
            share = len(inputs) * world_size / len(index)
            if len(inputs) == 0:  # fewer rows than processes: take part with one row, weighted 0
                inputs, batch_targets = x_train[index[:1]], y_train[index[:1]]
        loss = loss_fn(model(inputs), batch_targets)
        if distributed:
            loss = loss * share$penalties
        value = loss.detach().clone()
        if distributed:  # the whole batch's loss: the mean over the processes
            dist.all_reduce(value)
            value /= world_size
        value = value.item()
        if not math.isfinite(value):
            raise SystemExit(f"step {step + 1}: the loss became {value}; try a lower learning rate")
        optimizer.zero_grad(set_to_none=True)
        loss.backward()$clip
        optimizer.step()
        losses.append(value)
        if rank == 0 and ((step + 1) % EVAL_EVERY == 0 or step + 1 == steps):
            print(f"step {step + 1:>6}  batch loss {value:.4f}  test {evaluate(net, x_test, data['y_test'])}")

    if rank == 0:
        print(f"train {evaluate(net, x_train, data['y_train'])}")
        print(f"test  {evaluate(net, x_test, data['y_test'])}")
        tensors = {f"main.{key}": tensor.detach().contiguous() for key, tensor in net.state_dict().items()}
        save_file(tensors, HERE / "trained.safetensors", metadata={"format": "neural-playground weights"})
        if args.losses:
            args.losses.write_text(json.dumps(losses) + "\\n")
    if distributed:
        dist.barrier()  # every process waits for rank 0 to finish before the group goes
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
''')


def train_script(preset: Preset, input_shape: tuple[int, ...], model_module: str = "model",
                 class_name: str = "Network", *, channels_last: bool = False, threads: int | None = None) -> str:
    """A standalone train.py repeating ``preset``'s run of its "main" network; it imports
    ``class_name`` and ``load`` from ``<model_module>.py`` (see :func:`codegen.model_source`).

    ``channels_last``: the app's image tensors are in that memory layout (which changes how
    convolutions round; the app's own image datasets are plain (N, C, H, W)). ``threads``: the torch
    thread count the app trained with, which the script sets (None: the calling thread's count)."""
    if threads is None:
        import torch

        threads = torch.get_num_threads()
    if preset.task not in ("classification", "regression", "image_classification"):
        raise ValueError(f"no training script for the task {preset.task!r} yet")
    t = preset.training
    out = summarize(preset.networks["main"].layers, tuple(input_shape)).output_shape
    if out is None or len(out) != 1:
        raise ValueError(f"the network's output {out} does not suit the task {preset.task!r}")
    shift, flip = int(preset.dataset.get("augment_shift") or 0), bool(preset.dataset.get("augment_flip"))
    constants, extras = "", []
    if t["epochs"] is not None:
        length, length_constant = f"{t['epochs']} epochs", f"EPOCHS = {t['epochs']}"
        steps = ("    steps = args.steps if args.steps is not None else EPOCHS * math.ceil(n_train / batch_size)")
    else:
        length, length_constant = f"{t['steps']} steps", f"STEPS = {t['steps']}"
        steps = "    steps = args.steps if args.steps is not None else STEPS"
    penalties = []
    for key, expression in (("l1", "p.abs().sum()"), ("l2", "p.pow(2).sum()")):
        if t[key]:
            constants += f"\n{key.upper()} = {literal(t[key])}"
            penalties.append(f"        loss = loss + {key.upper()} * sum({expression} for p in penalised)")
            extras.append(f"{key.upper()} penalty")
    clip = ""
    if t["grad_clip"] is not None:
        constants += f"\nGRAD_CLIP = {literal(t['grad_clip'])}"
        clip = "\n        torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)"
        extras.append("gradient clipping")
    same = ["initial weights", "batch order", "batch size", "optimiser", "learning-rate schedule", "loss", *extras]
    exact = textwrap.fill("In one process on the CPU this repeats the app's run exactly: the same "
                          + ", ".join(same[:-1]) + " and " + same[-1] + ", so the printed losses equal the app's.", 100)
    text = _SCRIPT.substitute(
        name=preset.name.replace('"', "'").replace("\\", "/"), model_module=model_module, class_name=class_name,
        length=length, length_constant=length_constant, steps=steps, exact=exact, seed=preset.seed, threads=threads,
        batch_size=t["batch_size"], learning_rate=literal(t["learning_rate"]), eval_every=t["eval_every"],
        constants=constants,
        schedule=_schedule(t["scheduler"]), optimizer=_optimizer(t["optimizer"]),
        penalised="    penalised = [p for p in model.parameters() if p.dim() > 1]  # weight matrices, not biases\n"
        if penalties else "", penalties="".join("\n" + line for line in penalties), clip=clip,
        augmentation=_augmentation_note(shift, flip), augment=_augment(shift, flip),
        augment_call="\n        inputs = augment(inputs, generator)" if shift or flip else "",
        and_augmentation=" and augmentation" if shift or flip else "", layout=_LAYOUT if channels_last else "",
        **_task_parts(preset, out[0]),
    )
    return re.sub(r"\n{4,}", "\n\n\n", text)


_LAYOUT = '''
    if not distributed:
        # the app holds these images in PyTorch's "channels last" memory layout: the same values, but
        # convolutions add up in another order, so this keeps the losses equal to the app's to the last bit
        x_train = x_train.clone(memory_format=torch.channels_last)
        x_test = x_test.clone(memory_format=torch.channels_last)'''


def _schedule(scheduler: dict) -> str:
    kind = scheduler["type"]
    if kind == "step":
        return (f'    """Step schedule: the rate is multiplied by {scheduler["gamma"]} every {scheduler["step_size"]} '
                f'steps."""\n    return LEARNING_RATE * {literal(scheduler["gamma"])} ** '
                f'(step // {scheduler["step_size"]})')
    if kind == "exponential":
        return (f'    """Exponential schedule: the rate is multiplied by {scheduler["gamma"]} after every step."""\n'
                f'    return LEARNING_RATE * {literal(scheduler["gamma"])} ** step')
    if kind == "cosine":
        return ('    """Cosine schedule: the rate falls along a half cosine to MIN_LR at the last step."""\n'
                f'    low = min({literal(scheduler["min_lr"])}, LEARNING_RATE)\n'
                '    span = max(total_steps - 1, 1)\n    t = min(step, span) / span\n'
                '    return low + (LEARNING_RATE - low) * 0.5 * (1 + math.cos(math.pi * t))').replace(
                    "MIN_LR", literal(scheduler["min_lr"]))
    return '    """No schedule: the rate stays the same."""\n    return LEARNING_RATE'


def _optimizer(opt: dict) -> str:
    kind, wd = opt["type"], literal(opt["weight_decay"])
    if kind == "sgd":
        return (f"torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum={literal(opt['momentum'])}, "
                f"nesterov={opt['nesterov']}, weight_decay={wd})")
    if kind in ("adam", "adamw"):
        name = "Adam" if kind == "adam" else "AdamW"
        return (f"torch.optim.{name}(model.parameters(), lr=LEARNING_RATE, betas=({literal(opt['beta1'])}, "
                f"{literal(opt['beta2'])}), weight_decay={wd})")
    if kind == "rmsprop":
        return (f"torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE, alpha={literal(opt['alpha'])}, "
                f"momentum={literal(opt['momentum'])}, weight_decay={wd})")
    if kind == "adagrad":
        return f"torch.optim.Adagrad(model.parameters(), lr=LEARNING_RATE, weight_decay={wd})"
    raise KeyError(kind)


def _task_parts(preset: Preset, n_out: int) -> dict[str, str]:
    """Targets, loss, prediction and evaluation for the task (as :mod:`tasks.classify` does them)."""
    loss = preset.training["loss"]
    loss = TASKS[preset.task].default_loss if loss == "auto" else loss
    if preset.task == "regression":
        fn = {"l1": "l1_loss", "huber": "huber_loss"}.get(loss, "mse_loss")
        return {
            "as_targets": '    """Targets as the loss wants them: a column of values."""\n'
                       "    return torch.as_tensor(y, dtype=torch.float32).reshape(-1, 1)",
            "loss": f'    """{ {"l1": "Mean absolute error", "huber": "Huber loss"}.get(loss, "Mean squared error")}'
                    f'."""\n    return F.{fn}(outputs, target)',
            "predict": "", "evaluate_doc": "Loss on a whole data set, in evaluation mode.",
            "evaluate": '    return f"loss {loss_fn(outputs, as_targets(y)).item():.4f}"',
        }
    single = n_out == 1
    if single:
        as_targets = ('    """Targets as the loss wants them: a column of 0.0 and 1.0 (class 1 or not)."""\n'
                   "    return torch.as_tensor(y, dtype=torch.int64).to(torch.float32).reshape(-1, 1)")
    elif loss == "mse":
        as_targets = ('    """Targets as the loss wants them: one-hot rows."""\n'
                   f"    return F.one_hot(torch.as_tensor(y, dtype=torch.int64), {n_out}).to(torch.float32)")
    else:
        as_targets = ('    """Targets as the loss wants them: class indices."""\n'
                      "    return torch.as_tensor(y, dtype=torch.int64)")
    if loss == "mse":
        squash = "torch.sigmoid(outputs)" if single else "torch.softmax(outputs, dim=1)"
        body = (f'    """Mean squared error between the class probabilities and the targets."""\n'
                f"    return F.mse_loss({squash}, target)")
    elif single:
        body = ('    """Binary cross-entropy of the single logit."""\n'
                "    return F.binary_cross_entropy_with_logits(outputs, target)")
    else:
        body = '    """Cross-entropy of the class scores (logits)."""\n    return F.cross_entropy(outputs, target)'
    predicted = "(outputs[:, 0] > 0).to(torch.int64)" if single else "outputs.argmax(dim=1)"
    return {
        "as_targets": as_targets, "loss": body,
        "predict": f'\n\ndef predict(outputs: torch.Tensor) -> torch.Tensor:\n    """The predicted class of each '
                   f'sample."""\n    return {predicted}\n',
        "evaluate_doc": "Loss and accuracy on a whole data set, in evaluation mode (no dropout, BatchNorm's "
                        "running statistics).",
        "evaluate": ("    accuracy = (predict(outputs) == torch.as_tensor(y, dtype=torch.int64)).to(torch.float32)"
                     ".mean().item()\n"
                     '    return f"loss {loss_fn(outputs, as_targets(y)).item():.4f}  accuracy {accuracy:.3f}"'),
    }


def _augmentation_note(shift: int, flip: bool) -> str:
    if not (shift or flip):
        return ""
    pixels = f"{shift} pixel{'s' * (shift > 1)}"
    what = " and ".join(w for w, on in ((f"shifts of up to {pixels}", shift), ("left-right flips", flip)) if on)
    return textwrap.fill(f"Augmentation is reproduced too: random {what} of the training images, drawn from "
                         "the batch-order generator as the app draws them.", 100) + "\n"


def _augment(shift: int, flip: bool) -> str:
    if not (shift or flip):
        return ""
    lines = ["", "", "def augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:",
             '    """Random changes to a batch of training images (as the app makes them)."""']
    if flip:
        lines += ["    flip = torch.rand(x.shape[0], generator=generator) < 0.5  # mirror about half of them",
                  "    x = torch.where(flip[:, None, None, None], x.flip(-1), x)"]
    if shift:
        lines += [f"    # move each image by -{shift}..{shift} pixels in y and x; the uncovered border is zeros",
                  "    n, _, h, w = x.shape",
                  f"    padded = F.pad(x, ({shift}, {shift}, {shift}, {shift}))",
                  f"    offsets = torch.randint(0, {2 * shift + 1}, (n, 2), generator=generator)",
                  "    out = torch.empty_like(x)",
                  "    for i, (dy, dx) in enumerate(offsets.tolist()):",
                  "        out[i] = padded[i, :, dy:dy + h, dx:dx + w]",
                  "    return out", ""]
    else:
        lines += ["    return x", ""]
    return "\n".join(lines)


def literal(value) -> str:
    """Python source for a setting: True, 0.01, "nearest", [1, 8, 8]."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return repr(value)
