"""The worker thread and its controller: commands, coalesced snapshots, failures, clean shutdown."""

import json
import time

import pytest

from playground.core.presets import load_preset, parse_preset
from playground.gui.training_controller import TrainingController
from playground.gui.worker import MAX_SNAPSHOTS_PER_S


@pytest.fixture
def controller(qtbot):
    ctrl = TrainingController()
    snaps = []
    ctrl.snapshot.connect(snaps.append)
    ctrl.snaps = snaps
    yield ctrl
    assert ctrl.shutdown(5000), "the training thread did not stop"
    assert ctrl._thread.isFinished()


def preset(steps=400, **training):
    doc = load_preset("xor").to_json()
    doc["training"].update(steps=steps, **training)
    return parse_preset(doc)


def load(qtbot, ctrl, p):
    with qtbot.waitSignal(ctrl.data_loaded, timeout=20000) as info:
        ctrl.load(p)
    qtbot.waitUntil(lambda: bool(ctrl.snaps) and ctrl.snaps[-1].run_id == ctrl.run_id, timeout=10000)
    return info.args[0]


def test_load_sends_the_points_and_a_first_surface(qtbot, controller):
    info = load(qtbot, controller, preset())
    assert info.points_train.shape[1] == 2 and len(info.y_train) == len(info.points_train)
    first = controller.snaps[-1]
    assert first.step == 0 and first.surface.shape == (100, 100, 4) and first.surface.dtype.name == "uint8"


def test_start_runs_to_the_end_in_coalesced_chunks(qtbot, controller):
    load(qtbot, controller, preset(steps=1500))
    started = time.perf_counter()
    with qtbot.waitSignal(controller.running_changed, timeout=60000, check_params_cb=lambda r: r is False):
        controller.start()
    elapsed = time.perf_counter() - started
    steps = [int(s) for snap in controller.snaps for s in snap.steps]
    assert steps == list(range(1, 1501)), "every step arrives exactly once, in order"
    assert controller.snaps[-1].status == "finished" and controller.step == 1500
    assert len(controller.snaps) <= 2 + elapsed * (MAX_SNAPSHOTS_PER_S + 5), "snapshots must be coalesced"
    assert sum(s.surface is not None for s in controller.snaps) >= 2


def test_pause_stops_and_step_does_exactly_one(qtbot, controller):
    load(qtbot, controller, preset(steps=100000))
    controller.start()
    qtbot.waitUntil(lambda: controller.step > 50, timeout=20000)
    controller.pause()
    qtbot.waitUntil(lambda: not controller.snaps[-1].running, timeout=5000)
    paused_at = controller.snaps[-1].step
    count = len(controller.snaps)
    with qtbot.waitSignal(controller.snapshot, timeout=5000):
        controller.single_step()
    assert controller.snaps[-1].step == paused_at + 1 and list(controller.snaps[-1].steps) == [paused_at + 1]
    assert len(controller.snaps) == count + 1


def test_reset_returns_to_step_zero_with_the_same_first_loss(qtbot, controller):
    load(qtbot, controller, preset(steps=30))
    with qtbot.waitSignal(controller.running_changed, timeout=30000, check_params_cb=lambda r: r is False):
        controller.start()
    first_loss = next(s for s in controller.snaps if len(s.steps)).batch_losses[0]
    controller.snaps.clear()
    with qtbot.waitSignal(controller.snapshot, timeout=5000):
        controller.reset()
    assert controller.snaps[-1].step == 0
    with qtbot.waitSignal(controller.snapshot, timeout=5000):
        controller.single_step()
    assert controller.snaps[-1].batch_losses[0] == first_loss


def test_learning_rate_change_applies_live_with_a_marker_event(qtbot, controller):
    p = preset(steps=100000, learning_rate=0.01)
    load(qtbot, controller, p)
    controller.start()
    qtbot.waitUntil(lambda: controller.step > 20, timeout=20000)
    training = dict(p.training, learning_rate=0.002)
    controller.update_training(training)
    qtbot.waitUntil(lambda: any(s.events for s in controller.snaps), timeout=5000)
    qtbot.waitUntil(lambda: controller.snaps[-1].learning_rate == 0.002, timeout=5000)
    controller.pause()
    [(step, text)] = [e for s in controller.snaps for e in s.events]
    assert step > 20 and text == "learning rate 0.01 -> 0.002"


def test_a_failure_in_the_worker_is_reported_and_the_worker_survives(qtbot, controller, tmp_path):
    doc = load_preset("xor").to_json()
    doc["dataset"] = {"name": "csv", "path": "missing.csv"}
    (tmp_path / "p.json").write_text(json.dumps(doc))
    with qtbot.waitSignal(controller.failed, timeout=20000) as failure:
        controller.load(load_preset(tmp_path / "p.json"))
    message, details = failure.args
    assert "missing.csv" in message and "Traceback" in details
    load(qtbot, controller, preset())  # still alive and usable
    assert controller.loaded


def test_divergence_pauses_with_the_reason(qtbot, controller):
    doc = load_preset("moons").to_json()
    doc["training"].update(learning_rate=1e6, optimizer={"type": "sgd"})
    load(qtbot, controller, parse_preset(doc))
    with qtbot.waitSignal(controller.running_changed, timeout=20000, check_params_cb=lambda r: r is False):
        controller.start()
    last = controller.snaps[-1]
    assert last.status == "diverged" and "learning rate" in last.message
    assert all(abs(v) < float("inf") for s in controller.snaps for v in s.batch_losses)


def test_shutdown_while_training_joins_the_thread(qtbot):
    ctrl = TrainingController()
    with qtbot.waitSignal(ctrl.data_loaded, timeout=20000):
        ctrl.load(preset(steps=10**7))
    ctrl.start()
    qtbot.waitUntil(lambda: ctrl.step > 10, timeout=20000)
    started = time.perf_counter()
    assert ctrl.shutdown(5000)
    assert time.perf_counter() - started < 1.0 and ctrl._thread.isFinished()
