"""The trainer: determinism, pause/step/reset, learning-rate changes, early stopping, divergence."""

import math

import numpy as np
import pytest
import torch

from playground.core.optim import learning_rate_at
from playground.core.presets import PresetError, load_preset, parse_preset
from playground.core.training.factory import make_trainer
from playground.core.training.loop import DIVERGED, EARLY_STOPPED, FINISHED, PAUSED, STOPPED


def preset_with(name="xor", **training):
    doc = load_preset(name).to_json()
    doc["training"].update(training)
    return parse_preset(doc)


def losses(trainer):
    return [r.batch_loss for r in trainer.history.records]


def test_same_seed_gives_bitwise_identical_losses():
    a, b = make_trainer(preset_with(steps=120)), make_trainer(preset_with(steps=120))
    a.run()
    b.run()
    assert losses(a) == losses(b) and len(losses(a)) == 120


def test_other_seed_gives_other_losses():
    doc = preset_with(steps=50).to_json()
    doc["seed"] = 99
    a, b = make_trainer(preset_with(steps=50)), make_trainer(parse_preset(doc))
    a.run()
    b.run()
    assert losses(a) != losses(b)


def test_reset_returns_to_the_same_start():
    trainer = make_trainer(preset_with(steps=80))
    first = trainer.task.model.state_dict()["linear1.weight"].clone()
    trainer.run()
    before = losses(trainer)
    trainer.reset()
    assert trainer.step_count == 0 and not trainer.history.records
    assert torch.equal(trainer.task.model.state_dict()["linear1.weight"], first)
    trainer.run()
    assert losses(trainer) == before


def test_pause_single_steps_and_resume_match_an_uninterrupted_run():
    straight = make_trainer(preset_with(steps=100))
    straight.run()
    trainer = make_trainer(preset_with(steps=100))

    def pause_at_30(record):
        if record.step == 30:
            trainer.pause()

    assert trainer.run(on_record=pause_at_30) == PAUSED and trainer.step_count == 30
    for _ in range(5):
        trainer.step()
    assert trainer.run(10) == PAUSED and trainer.step_count == 45
    assert trainer.run() == FINISHED and trainer.step_count == 100
    assert losses(trainer) == losses(straight)


def test_stop_ends_the_run():
    trainer = make_trainer(preset_with(steps=100))
    trainer.run(on_record=lambda r: trainer.stop() if r.step == 10 else None)
    assert trainer.status == STOPPED and trainer.step_count == 10 and trainer.done
    with pytest.raises(RuntimeError):
        trainer.step()


def test_learning_rate_can_change_mid_run():
    trainer = make_trainer(preset_with(steps=40, learning_rate=0.01))
    trainer.run(20)
    trainer.update_training({**trainer.training, "learning_rate": 0.002})
    trainer.run()
    rates = [r.learning_rate for r in trainer.history.records]
    assert rates[:20] == [0.01] * 20 and rates[20:] == [0.002] * 20
    assert trainer.optimizers["main"].param_groups[0]["lr"] == 0.002
    with pytest.raises(ValueError):
        trainer.update_training({**trainer.training, "learning_rate": float("nan")})


@pytest.mark.parametrize("scheduler, step, expected", [
    ({"type": "none"}, 500, 0.1),
    ({"type": "step", "step_size": 100, "gamma": 0.5}, 250, 0.025),
    ({"type": "exponential", "gamma": 0.99}, 10, 0.1 * 0.99 ** 10),
    ({"type": "cosine", "min_lr": 0.0}, 0, 0.1),
    ({"type": "cosine", "min_lr": 0.0}, 50, 0.05),
    ({"type": "cosine", "min_lr": 0.01}, 100, 0.01),
])
def test_schedules(scheduler, step, expected):
    assert learning_rate_at(scheduler, 0.1, step, 101) == pytest.approx(expected)


def test_scheduler_drives_the_records():
    trainer = make_trainer(preset_with(steps=30, scheduler={"type": "step", "step_size": 10, "gamma": 0.1},
                                  learning_rate=0.01))
    trainer.run()
    assert [r.learning_rate for r in trainer.history.records][::10] == pytest.approx([0.01, 0.001, 0.0001])


@pytest.mark.parametrize("optimizer", [
    {"type": "sgd", "momentum": 0.9, "nesterov": True}, {"type": "adam"}, {"type": "adamw"},
    {"type": "rmsprop"}, {"type": "adagrad"},
])
def test_every_optimiser_learns(optimizer):
    lr = 0.1 if optimizer["type"] in ("sgd", "adagrad") else 0.01
    trainer = make_trainer(preset_with("gauss", steps=200, optimizer=optimizer, learning_rate=lr))
    start = trainer.evaluate()["test_loss"]
    trainer.run()
    assert trainer.evaluate()["test_loss"] < 0.5 * start


def test_l1_and_l2_shrink_weights():
    def weight_size(**penalty):
        trainer = make_trainer(preset_with("xor", steps=300, **penalty))
        trainer.run()
        return sum(p.abs().sum().item() for n, p in trainer.task.model.named_parameters() if n.endswith("weight"))

    plain = weight_size()
    assert weight_size(l1=0.01) < 0.7 * plain
    assert weight_size(l2=0.01) < 0.8 * plain


def test_gradient_clipping_limits_each_update():
    trainer = make_trainer(preset_with("xor", steps=1, grad_clip=1e-4, optimizer={"type": "sgd"}, learning_rate=1.0))
    before = [p.detach().clone() for p in trainer.task.model.parameters()]
    trainer.step()
    moved = torch.sqrt(sum(((p - b) ** 2).sum() for p, b in zip(trainer.task.model.parameters(), before, strict=True)))
    assert moved.item() <= 1e-4 * 1.01


def test_epochs_set_the_run_length():
    trainer = make_trainer(preset_with("xor", steps=None, epochs=3, batch_size=32))
    assert trainer.total_steps == 3 * math.ceil(trainer.data.n_train / 32)
    trainer.run()
    assert trainer.epoch == 3.0


def test_test_metrics_on_a_cadence_and_at_the_end():
    trainer = make_trainer(preset_with("xor", steps=55, eval_every=20))
    trainer.run()
    assert [r.step for r in trainer.history.evaluations] == [20, 40, 55]
    last = trainer.history.records[-1]
    assert last.test_accuracy is not None and 0 <= last.test_accuracy <= 1 and last.samples_per_s > 0
    assert trainer.history.records[0].test_loss is None


def test_detailed_evaluation_matches_scikit_learn():
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    trainer = make_trainer(preset_with("multiclass-spiral", steps=150))
    trainer.run()
    result = trainer.evaluate(detailed=True)
    with torch.no_grad():
        trainer.task.model.eval()
        pred = trainer.task.model(trainer.task.x_test).argmax(1).numpy()
    true = trainer.data.y_test
    assert result["confusion_matrix"] == confusion_matrix(true, pred, labels=[0, 1, 2]).tolist()
    p, r, f, _ = precision_recall_fscore_support(true, pred, labels=[0, 1, 2], zero_division=0)
    assert np.allclose(result["precision"], p) and np.allclose(result["recall"], r) and np.allclose(result["f1"], f)
    assert result["class_names"] == ["0", "1", "2"]


def test_early_stopping_keeps_the_best_weights():
    doc = load_preset("moons").to_json()
    doc["dataset"].update(noise=50, samples=80)
    doc["training"].update(steps=4000, eval_every=10, early_stopping={"patience": 5})
    trainer = make_trainer(parse_preset(doc))
    assert trainer.run() == EARLY_STOPPED and trainer.step_count < 4000
    best = min(r.test_loss for r in trainer.history.evaluations)
    assert trainer.evaluate()["test_loss"] == pytest.approx(best, rel=1e-6)
    assert "test loss has not improved for 5 evaluations" in trainer.message


def test_divergence_stops_and_restores_the_last_finite_weights():
    trainer = make_trainer(preset_with("moons", steps=200, learning_rate=1e6, optimizer={"type": "sgd"}))
    snapshots = {}
    original_step = trainer.step

    def remember_then_step():
        snapshots[trainer.step_count] = {k: v.clone() for k, v in trainer.task.model.state_dict().items()}
        return original_step()

    trainer.step = remember_then_step
    records = []
    assert trainer.run(on_record=records.append) == DIVERGED
    bad = records[-1]
    assert bad.batch_loss > 1e4 * records[0].batch_loss, "a huge but finite loss counts as diverged"
    # the weights that produced the last finite loss (step bad.step - 1) were in force before that step
    assert trainer.step_count == bad.step - 2 == len(trainer.history.records)
    assert f"Training stopped at step {bad.step}: the loss exploded to" in trainer.message
    assert "learning rate (1e+06) is probably too high" in trainer.message
    state = trainer.task.model.state_dict()
    assert all(torch.equal(state[k], snapshots[trainer.step_count][k]) for k in state)
    assert all(torch.isfinite(v).all() for v in state.values())
    # the cure the message offers: training goes on from there
    trainer.update_training({**trainer.training, "learning_rate": 0.01})
    assert trainer.run(20) == PAUSED
    assert all(math.isfinite(r.batch_loss) for r in trainer.history.records[-20:])


def test_a_nan_loss_stops_and_rolls_back(tmp_path):
    trainer = make_trainer(preset_with("xor", steps=100))
    kept = {}

    def poison_after_five(record):
        kept[record.step] = {k: v.clone() for k, v in trainer.task.model.state_dict().items()}
        if record.step == 5:
            trainer.task.x_train.fill_(float("nan"))

    assert trainer.run(on_record=poison_after_five) == DIVERGED
    assert "Training stopped at step 6: the loss became nan" in trainer.message
    # the weights of the last step whose loss was finite (step 5 computed its loss with those of step 4)
    state = trainer.task.model.state_dict()
    assert trainer.step_count == 4 and all(torch.equal(v, kept[4][k]) for k, v in state.items())


@pytest.mark.parametrize("name", ["spiral-deep", "regression-plane", "digits-cnn"])
def test_a_huge_learning_rate_pauses_every_task(name):
    doc = load_preset(name).to_json()
    doc["training"].update(learning_rate=1e6, steps=300)
    trainer = make_trainer(parse_preset(doc))
    assert trainer.run() == DIVERGED and trainer.step_count < 10
    assert "probably too high" in trainer.message


def test_the_network_must_match_the_classes_of_a_csv(tmp_path):
    (tmp_path / "points.csv").write_text("x1,x2,label\n" + "".join(f"{i},{i % 3},{'abc'[i % 3]}\n" for i in range(30)))
    doc = load_preset("xor").to_json()
    doc["dataset"] = {"name": "csv", "path": "points.csv"}
    (tmp_path / "p.json").write_text(__import__("json").dumps(doc))
    with pytest.raises(PresetError) as info:
        make_trainer(load_preset(tmp_path / "p.json"))
    assert "networks.main" in str(info.value) and "3 outputs" in str(info.value)


def test_device_choice():
    assert make_trainer(preset_with(steps=1)).device.type in ("cpu", "cuda", "mps")
    if not torch.cuda.is_available():
        doc = preset_with(steps=1).to_json()
        doc["device"] = "cuda"
        with pytest.raises(PresetError, match="no CUDA GPU"):
            make_trainer(parse_preset(doc))


def test_decision_surface_for_views():
    trainer = make_trainer(preset_with("xor", steps=10))
    grid = np.stack(np.meshgrid(np.linspace(-6, 6, 5), np.linspace(-6, 6, 5)), -1).reshape(-1, 2)
    probs = trainer.task.predict_points(grid)
    assert probs.shape == (25, 2) and np.allclose(probs.sum(1), 1)


def test_history_stays_bounded_on_long_runs(monkeypatch):
    from playground.core import records
    from playground.core.records import History, MetricRecord

    monkeypatch.setattr(records, "MAX_RECORDS", 1000)
    history = History()
    for step in range(1, 5001):
        history.append(MetricRecord(step, 0.0, 1.0, 0.1, 0.0, test_loss=0.5 if step % 50 == 0 else None))
    steps = [r.step for r in history.records]
    assert len(history) <= 1001 and steps[0] == 1 and steps == sorted(steps)
    assert steps[-250:] == list(range(4751, 5001)), "recent steps keep full detail"
    assert {r.step for r in history.evaluations} <= set(steps) and len(history.evaluations) == 100


def test_evaluations_stay_bounded_too(monkeypatch):
    from playground.core import records
    from playground.core.records import History, MetricRecord

    monkeypatch.setattr(records, "MAX_RECORDS", 1000)
    monkeypatch.setattr(records, "MAX_EVALUATIONS", 200)
    history = History()
    for step in range(1, 100_001):  # every 10th step evaluated: 10,000 evaluations
        history.append(MetricRecord(step, 0.0, 1.0, 0.1, 0.0, test_loss=0.5 if step % 10 == 0 else None))
    assert len(history.evaluations) <= 201 and len(history) <= 1001
    assert history.evaluations[0].step == 10 and history.evaluations[-1].step == 100_000
    evaluated = {id(r) for r in history.evaluations}
    assert all(id(r) in evaluated for r in history.records if r.evaluated), "records and evaluations agree"
    assert [r.step for r in history.records] == sorted(r.step for r in history.records)
