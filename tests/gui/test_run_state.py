"""The worker owns the run and the window shows what it reports: no late report undoes a newer command.

Before commands were numbered, a load's last report (not running) could reach the window after a
Start pressed the instant it was enabled: the worker trained while the window showed Start, and a
later Step advanced dozens of steps.
"""

from __future__ import annotations

import random

import pytest

from playground.core.presets import load_preset, parse_preset
from playground.gui.training_controller import TrainingController


@pytest.fixture
def controller(qtbot):
    ctrl = TrainingController()
    yield ctrl
    assert ctrl.shutdown(5000), "the training thread did not stop"


def long_xor():
    doc = load_preset("xor").to_json()
    doc["training"].update(steps=10**7)
    return parse_preset(doc)


def worker_step(ctrl) -> int:
    return ctrl._worker.trainer.step_count


def settle(qtbot, ctrl) -> None:
    """Wait until the worker has answered every command that decides the run's state."""
    qtbot.waitUntil(lambda: ctrl.settled, timeout=10000)


def test_start_the_instant_it_is_enabled_then_pause_and_step(qtbot, controller):
    controller.data_loaded.connect(lambda info: controller.start())  # as soon as Start can work
    with qtbot.waitSignal(controller.data_loaded, timeout=20000):
        controller.load(long_xor())
    assert controller.running
    settle(qtbot, controller)  # the load's own report (not running) has arrived by now...
    qtbot.waitUntil(lambda: worker_step(controller) > 20, timeout=10000)
    assert controller.running, "...and did not undo the Start sent after it"
    controller.pause()
    assert not controller.running
    qtbot.waitUntil(lambda: not controller._worker.running, timeout=100)  # the worker stops within 100 ms
    stopped_at = worker_step(controller)
    settle(qtbot, controller)
    assert worker_step(controller) == stopped_at == controller.step and not controller.running
    with qtbot.waitSignal(controller.snapshot, timeout=5000, check_params_cb=lambda s: s.answers == controller._seq):
        controller.single_step()
    assert worker_step(controller) == stopped_at + 1 == controller.step


def test_bursts_of_random_commands_leave_worker_and_window_agreeing(qtbot, controller):
    with qtbot.waitSignal(controller.data_loaded, timeout=20000):
        controller.load(long_xor())
    settle(qtbot, controller)
    rng = random.Random(7)
    actions = (controller.start, controller.pause, controller.single_step, controller.reset, controller.toggle)
    for _burst in range(5):
        for _ in range(40):
            rng.choice(actions)()
            if rng.random() < 0.3:
                qtbot.wait(0)  # let some reports in between commands, as a user's clicks would
        settle(qtbot, controller)
        qtbot.waitUntil(lambda: controller.running == controller._worker.running, timeout=5000)
        assert controller.running == controller._worker.running
        controller.pause()
        settle(qtbot, controller)
        assert not controller._worker.running and not controller.running
        assert controller.step == worker_step(controller)
