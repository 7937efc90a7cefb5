"""The one training loop: every task satisfies the Trainer contract, and callbacks attach to any task."""

from __future__ import annotations

import pytest
import torch

from playground.core.presets import load_preset, parse_preset
from playground.core.records import MetricRecord
from playground.core.training.callbacks import Callback
from playground.core.training.contract import Trainer
from playground.core.training.factory import make_trainer
from playground.core.training.task import Task

PRESETS = ("spiral-deep", "digits-cnn", "regression-plane", "gan-moons", "vae-digits-2d")


def short(name: str, steps: int = 6, eval_every: int = 3):
    doc = load_preset(name).to_json()
    doc["training"].update(steps=steps, epochs=None, eval_every=eval_every)
    return parse_preset(doc)


class Recorder(Callback):
    """What a gradient-statistics or histogram feature would attach: it reads gradients after backward."""

    def __init__(self) -> None:
        self.started = 0
        self.steps: list[int] = []
        self.evaluations: list[int] = []
        self.backward: list[tuple[str, ...]] = []
        self.norms: dict[str, list[float]] = {}

    def on_start(self, trainer) -> None:
        self.started += 1

    def on_after_backward(self, trainer, networks) -> None:
        self.backward.append(networks)
        for name in networks:
            grads = [p.grad for p in trainer.networks[name].parameters() if p.grad is not None]
            self.norms.setdefault(name, []).append(float(torch.linalg.vector_norm(torch.stack(
                [torch.linalg.vector_norm(g) for g in grads]))))

    def on_step_end(self, trainer, record: MetricRecord) -> None:
        self.steps.append(record.step)

    def on_evaluation(self, trainer, record: MetricRecord) -> None:
        self.evaluations.append(record.step)


@pytest.mark.parametrize("name", PRESETS)
def test_every_task_is_a_trainer_with_its_own_task(name):
    trainer = make_trainer(short(name))
    assert isinstance(trainer, Trainer) and isinstance(trainer.task, Task)
    assert set(trainer.networks) == set(trainer.preset.networks) and set(trainer.optimizers) == set(trainer.networks)


@pytest.mark.parametrize("name", PRESETS)
def test_callbacks_see_every_step_evaluation_and_gradient_of_every_task(name):
    trainer = make_trainer(short(name))
    recorder = trainer.callbacks.add(Recorder())
    assert trainer.run() == "finished"
    assert recorder.steps == [1, 2, 3, 4, 5, 6] and recorder.evaluations == [3, 6]
    updated = {n for names in recorder.backward for n in names}
    assert updated == set(trainer.networks), "every network's gradients pass the callbacks"
    assert all(v > 0 for values in recorder.norms.values() for v in values)
    if trainer.preset.task == "gan":  # the discriminator and the generator update in turns
        assert recorder.backward[:2] == [("discriminator",), ("generator",)]
    trainer.reset()
    assert recorder.started == 1  # added after the first start; the reset is seen
    trainer.callbacks.remove(recorder)
    trainer.run(2)
    assert recorder.steps[-1] == 6


def test_a_callback_sees_the_rollback_message():
    doc = load_preset("moons").to_json()
    doc["training"].update(learning_rate=1e6, optimizer={"type": "sgd"})
    trainer = make_trainer(parse_preset(doc))
    seen = []

    class Watch(Callback):
        def on_diverged(self, trainer, message):
            seen.append((trainer.step_count, message))

    trainer.callbacks.add(Watch())
    assert trainer.run() == "diverged"
    assert seen and seen[0][1] == trainer.message and "learning rate" in seen[0][1]


def test_settings_that_shape_the_model_need_a_reset():
    trainer = make_trainer(short("spiral-deep"))
    with pytest.raises(ValueError, match=r"training\.loss"):
        trainer.update_training({**trainer.training, "loss": "mse"})
    with pytest.raises(ValueError, match="learning rate must be a positive number"):
        trainer.update_training({**trainer.training, "learning_rate": 0})
