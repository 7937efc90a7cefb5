"""The GAN trainer: what each button trains, resumed sessions, divergence and the preset checks."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from playground.core.presets import PresetError, load_preset, parse_preset
from playground.core.training.factory import make_trainer
from playground.core.training.loop import DIVERGED, FINISHED
from playground.core.training.sessions import load_session, save_session

pytestmark = pytest.mark.usefixtures("one_thread")


PRESETS = Path(__file__).resolve().parents[2] / "playground" / "presets"  # this checkout's, also before it is installed


def preset(name="gan-ring8", **training):
    data = load_preset(PRESETS / f"{name}.json").to_json()
    data["training"].update(training)
    return parse_preset(data, f"{name}.json")


def weights(net):
    return [p.detach().clone() for p in net.parameters()]


def same(a, b):
    return all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


def test_step_records_both_players_figures():
    trainer = make_trainer(preset(eval_every=2))
    first, second = trainer.step(), trainer.step()
    assert set(first.metrics) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert first.batch_loss == pytest.approx(first.metrics["d_loss"] + first.metrics["g_loss"])
    assert 0.0 < first.metrics["d_real"] < 1.0 and 0.0 < first.metrics["d_fake"] < 1.0  # probabilities
    assert second.evaluated and {"modes_covered", "high_quality", "precision", "recall"} <= set(second.metrics)
    assert second.metrics["modes_total"] == 8.0


@pytest.mark.parametrize("request_name, g_moves, d_moves, counted", [
    ("step_d", False, True, 0), ("step_g", True, False, 1), ("step_both", True, True, 1)])
def test_view_buttons_train_only_their_network(request_name, g_moves, d_moves, counted):
    trainer = make_trainer(preset())
    g, d = weights(trainer.task.generator), weights(trainer.task.discriminator)
    reply = trainer.task.view_request(request_name)
    assert reply["trained"]
    assert (not same(g, weights(trainer.task.generator))) == g_moves
    assert (not same(d, weights(trainer.task.discriminator))) == d_moves
    assert trainer.step_count == counted
    assert request_name in trainer.task.stepping_requests


def test_d_steps_and_the_discriminators_own_rate():
    trainer = make_trainer(preset(gan={"latent_size": 2, "d_steps": 3, "d_learning_rate": 0.004}))
    trainer.step()
    assert trainer.task.d_updates == 3
    assert trainer.task.d_optimizer.param_groups[0]["lr"] == pytest.approx(0.004)
    assert trainer.task.g_optimizer.param_groups[0]["lr"] == pytest.approx(trainer.training["learning_rate"])
    assert type(trainer.task.d_optimizer) is type(trainer.task.g_optimizer) is torch.optim.Adam


@pytest.mark.parametrize("loss", ["non_saturating", "least_squares", "hinge", "wgan_gp"])
def test_every_loss_trains(loss):
    trainer = make_trainer(preset(steps=5, eval_every=5, gan={"latent_size": 2, "loss": loss, "label_smoothing": 0.1}))
    assert trainer.run() == FINISHED
    record = trainer.history.records[-1]
    assert all(np.isfinite(v) for v in record.metrics.values())


def test_a_short_run_improves_coverage():
    trainer = make_trainer(preset(steps=2500, eval_every=2500))
    before = trainer.evaluate()
    trainer.run()
    after = trainer.evaluate()
    assert after["modes_covered"] >= before["modes_covered"] + 4, (before, after)
    assert after["high_quality"] > before["high_quality"] + 0.05


@pytest.mark.parametrize("distribution", ["normal", "mixture"])
def test_session_resumes_bitwise(tmp_path, distribution):
    def short():
        data = preset(steps=200, eval_every=50).to_json()
        data["training"]["gan"]["latent_distribution"] = distribution
        return parse_preset(data, "gan-ring8.json")

    straight = make_trainer(short())
    straight.run()
    first = make_trainer(short())
    first.run(100)
    save_session(first, tmp_path / "s")
    resumed = load_session(tmp_path / "s")
    resumed.run()
    for name in ("generator", "discriminator"):
        for a, b in zip(straight.networks[name].state_dict().values(),
                        resumed.networks[name].state_dict().values(), strict=True):
            assert torch.equal(a, b), name
    assert [r.batch_loss for r in straight.history.records] == [r.batch_loss for r in resumed.history.records]
    assert straight.evaluate() == resumed.evaluate()


def test_image_gan_session_keeps_its_saved_grids(tmp_path):
    trainer = make_trainer(preset("gan-digits", steps=4, eval_every=2))
    trainer.run()
    save_session(trainer, tmp_path / "s")
    resumed = load_session(tmp_path / "s")
    assert resumed.task.grids.steps == trainer.task.grids.steps == [0, 2, 4]
    assert np.array_equal(resumed.task.grids.grids[-1], trainer.task.grids.grids[-1])


def test_drawing_views_does_not_change_the_run():
    quiet, watched = make_trainer(preset(steps=30, eval_every=10)), make_trainer(preset(steps=30, eval_every=10))
    quiet.run()
    for _ in range(30):
        watched.step()
        view = watched.task.live_view(True, True)["live"]
    assert same(weights(quiet.task.generator), weights(watched.task.generator))
    assert view["heatmap"].shape == (128, 128) and view["fake"].shape == (500, 2)
    assert view["manifold"].shape == (15, 15, 2) and view["arrows"].shape == (500, 2)


def test_image_views_keep_a_bounded_history_of_grids():
    trainer = make_trainer(preset("gan-digits", steps=300, eval_every=2))
    trainer.run()
    view = trainer.task.live_view()["live"]
    assert view["grid"].shape == (64, 8, 8) and view["grid"].dtype == np.uint8
    steps = trainer.task.grids.steps
    assert len(steps) <= 64 and steps[0] == 0 and steps[-1] == 300
    step, grid = trainer.task.view_request("sample_grid", 0)
    assert step == 0 and grid.shape == (64, 8, 8)


def test_a_huge_learning_rate_diverges_and_rolls_back():
    trainer = make_trainer(preset(learning_rate=1e6, optimizer={"type": "sgd"}))
    status = trainer.run(50)
    assert status == DIVERGED
    assert "learning rate" in trainer.message and "rolled back" in trainer.message
    assert all(torch.isfinite(p).all() for p in trainer.task.generator.parameters())


def gan_document(generator_out=2, discriminator_out=1):
    return {"name": "t", "task": "gan", "dataset": {"name": "gaussian-ring"},
            "networks": {"generator": {"layers": [{"type": "Linear", "width": 8}, {"type": "ReLU"},
                                                  {"type": "Linear", "width": generator_out}]},
                         "discriminator": {"layers": [{"type": "Linear", "width": 8}, {"type": "ReLU"},
                                                      {"type": "Linear", "width": discriminator_out}]}},
            "training": {"gan": {"latent_size": 2}}}


def test_validator_names_a_generator_that_does_not_make_data_shaped_samples():
    with pytest.raises(PresetError) as info:
        parse_preset(gan_document(generator_out=3))
    text = str(info.value)
    assert "networks.generator" in text and "outputs [3]" in text and "[2]" in text


def test_validator_names_a_discriminator_without_one_score():
    with pytest.raises(PresetError) as info:
        parse_preset(gan_document(discriminator_out=2))
    assert "networks.discriminator" in str(info.value) and "1 score" in str(info.value)


def test_image_gan_generator_must_make_8x8_images():
    data = load_preset(PRESETS / "gan-digits.json").to_json()
    data["networks"]["generator"]["layers"][-2]["channels"] = 3
    with pytest.raises(PresetError) as info:
        parse_preset(json.loads(json.dumps(data)))
    assert "networks.generator" in str(info.value) and "[3, 8, 8]" in str(info.value)


def test_training_edits_apply_between_steps():
    trainer = make_trainer(preset())
    trainer.step()
    edited = json.loads(json.dumps(trainer.training))
    edited["gan"].update(d_steps=2, d_learning_rate=0.0005, loss="hinge")
    changes = trainer.update_training(edited)
    assert any("d steps 1 -> 2" in c for c in changes) and any("loss" in c for c in changes)
    before = trainer.task.d_updates
    trainer.step()
    assert trainer.task.d_updates == before + 2
    assert trainer.task.d_optimizer.param_groups[0]["lr"] == pytest.approx(0.0005)
    edited["gan"]["latent_size"] = 3
    with pytest.raises(ValueError, match="latent size"):
        trainer.update_training(edited)


def test_packing_makes_the_discriminator_judge_pairs():
    from playground.core.io_shapes import network_input_shapes

    packed = preset(batch_size=129, gan={"latent_size": 2, "pack": 2})
    assert network_input_shapes(packed) == {"generator": (2,), "discriminator": (4,)}
    trainer = make_trainer(packed)
    assert trainer.task.discriminator[0].in_features == 4 and trainer.batch_size == 128
    record = trainer.step()
    assert np.isfinite(record.batch_loss)
    assert trainer.task.live_view()["live"]["arrows"].shape == (500, 2)
