"""The VAE trainer: steps, metrics, the latent API, views, divergence, validation and bitwise resume."""

import copy
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from playground.core.presets import PresetError, load_preset, parse_preset
from playground.core.tasks.vae.task import VaeTask
from playground.core.training.factory import make_trainer
from playground.core.training.loop import DIVERGED, EARLY_STOPPED, FINISHED
from playground.core.training.sessions import load_session, save_session

PRESETS = Path(__file__).resolve().parents[2] / "playground" / "presets"


def preset(name="vae-digits-2d", **training):
    document = json.loads((PRESETS / f"{name}.json").read_text())
    document["training"].update(training)
    return parse_preset(document, str(PRESETS / f"{name}.json"))


pytestmark = pytest.mark.usefixtures("one_thread")


def test_make_trainer_builds_a_vae_with_heads_in_the_encoder():
    trainer = make_trainer(preset())
    assert isinstance(trainer.task, VaeTask)
    assert set(trainer.networks) == {"encoder", "decoder"} and set(trainer.optimizers) == {"encoder", "decoder"}
    keys = trainer.networks["encoder"].state_dict()
    assert keys["mean.weight"].shape == (2, 64) and keys["log_var.weight"].shape == (2, 64)
    out = trainer.networks["encoder"](trainer.task.x_test[:5])
    assert out.shape == (5, 4)  # means then log-variances


def test_training_lowers_the_negative_elbo_and_reports_its_terms():
    trainer = make_trainer(preset(steps=300, eval_every=100))
    before = trainer.evaluate()
    assert trainer.run() == FINISHED
    after = trainer.evaluate()
    assert after["test_loss"] < before["test_loss"] - 5
    assert after["test_total"] == pytest.approx(after["test_reconstruction"] + after["test_kl"])
    assert after["test_kl"] == pytest.approx(after["test_kl_dim0"] + after["test_kl_dim1"])
    record = trainer.history.records[-1]
    assert record.evaluated and record.metrics["test_reconstruction"] == after["test_reconstruction"]
    assert {"reconstruction", "kl", "beta"} <= set(trainer.history.records[0].metrics)
    first = trainer.history.records[0]
    assert first.batch_loss == pytest.approx(first.metrics["reconstruction"] + first.metrics["kl"])
    assert "reconstruction" in trainer.history.to_csv().splitlines()[0]


def test_evaluation_is_deterministic_and_leaves_training_streams_alone():
    a = make_trainer(preset(steps=50))
    b = make_trainer(preset(steps=50))
    a.run(20)
    a.evaluate()
    a.task.live_view(True, True)["live"]
    a.run()
    b.run()
    assert a.evaluate() == b.evaluate()
    for name in a.networks:
        for key, value in a.networks[name].state_dict().items():
            assert torch.equal(value, b.networks[name].state_dict()[key]), key


def test_beta_warmup_reaches_beta():
    trainer = make_trainer(preset(steps=10, vae={"latent_size": 2, "reconstruction": "bernoulli", "beta": 2.0,
                                                  "beta_warmup": 5}))
    trainer.run()
    betas = [r.metrics["beta"] for r in trainer.history.records]
    assert betas[:6] == pytest.approx([0.4, 0.8, 1.2, 1.6, 2.0, 2.0])


def test_latent_api_shapes_and_determinism():
    trainer = make_trainer(preset("vae-digits", steps=30))
    trainer.run()
    latent = trainer.task.latent
    images = trainer.data.x_test[:6]
    means = latent.encode(images)
    assert means.shape == (6, 8)
    np.testing.assert_array_equal(means, latent.encode(images))
    decoded = latent.decode(means)
    assert decoded.shape == (6, 1, 8, 8) and decoded.min() >= 0 and decoded.max() <= 1
    np.testing.assert_array_equal(decoded, latent.decode(means))
    row = latent.traverse(3, [-3, 0, 3])
    assert row.shape == (3, 1, 8, 8)
    assert not np.array_equal(row[0], row[2])
    strip, codes = latent.interpolate(images[0], images[1], 5)
    assert strip.shape == (5, 1, 8, 8) and codes.shape == (5, 8)
    np.testing.assert_allclose(codes[0], means[0], atol=1e-6)
    np.testing.assert_allclose(codes[-1], means[1], atol=1e-6)
    samples = latent.sample_prior(4)
    assert samples.shape == (4, 1, 8, 8)
    np.testing.assert_array_equal(samples, latent.sample_prior(4))
    with pytest.raises(ValueError, match="latent dimension 8"):
        latent.traverse(8)
    with pytest.raises(ValueError, match="8 values"):
        latent.decode(np.zeros(3))


def test_views_payloads():
    trainer = make_trainer(preset(steps=20))
    trainer.run()
    info = trainer.task.data_view()["live"]
    assert info["latent_size"] == 2 and len(info["test_labels"]) == info["n_test"]
    assert trainer.task.live_view(False, False) == {}  # nothing due, nothing computed
    quick = trainer.task.live_view(True, False)["live"]
    assert "map" not in quick
    assert quick["traversal"]["images"].shape == (2, 7, 8, 8)
    assert quick["pairs"]["inputs"].shape == quick["pairs"]["outputs"].shape == (10, 8, 8)
    view = trainer.task.live_view(True, True)["live"]
    assert view["map"]["points"].shape == (info["n_test"], 2)
    assert view["kl"].shape == (2,) and view["samples"].shape[1:] == (8, 8)
    assert list(view["traversal"]["dims"]) == sorted(range(2), key=lambda d: -view["kl"][d])
    decoded = trainer.task.view_request("decode", [0.5, -1.0])
    assert decoded["image"].shape == (8, 8)
    clicked = trainer.task.view_request("encode_index", 3)
    assert clicked["index"] == 3 and clicked["mean"].shape == (2,) and clicked["decoded"].shape == (8, 8)
    np.testing.assert_allclose(trainer.task.view_request("decode", clicked["mean"])["image"], clicked["decoded"])
    strip = trainer.task.view_request("interpolate", (0, 5, 6))
    assert strip["images"].shape == (6, 8, 8)
    with pytest.raises(ValueError, match="test image"):
        trainer.task.view_request("encode_index", 10**6)
    with pytest.raises(ValueError, match="unknown VAE view request"):
        trainer.task.view_request("nonsense")


def test_sigmoid_decoder_is_scored_on_its_logits():
    """A decoder ending in Sigmoid and the same decoder without it give the same Bernoulli loss."""
    document = json.loads((PRESETS / "vae-digits-2d.json").read_text())
    with_sigmoid = copy.deepcopy(document)
    layers = with_sigmoid["networks"]["decoder"]["layers"]
    layers.insert(len(layers) - 1, {"type": "Sigmoid"})
    plain, squashed = make_trainer(parse_preset(document)), make_trainer(parse_preset(with_sigmoid))
    a, b = plain.evaluate(), squashed.evaluate()
    assert a["test_reconstruction"] == pytest.approx(b["test_reconstruction"], rel=1e-5)
    zero = np.zeros(2)
    np.testing.assert_allclose(plain.task.latent.decode(zero), squashed.task.latent.decode(zero), atol=1e-6)


def test_gaussian_reconstruction_trains():
    trainer = make_trainer(preset(steps=200, vae={"latent_size": 2, "reconstruction": "gaussian", "beta": 1.0,
                                                   "beta_warmup": 0}))
    before = trainer.evaluate()["test_squared_error"]
    trainer.run()
    assert trainer.evaluate()["test_squared_error"] < 0.8 * before


def test_bernoulli_needs_images_in_unit_range():
    document = json.loads((PRESETS / "vae-digits-2d.json").read_text())
    document["dataset"]["normalize"] = "standard"
    with pytest.raises(PresetError, match=r"training\.vae\.reconstruction: bernoulli needs pixel values in \[0, 1\]"):
        make_trainer(parse_preset(document))


def test_validator_names_a_decoder_that_does_not_rebuild_the_image():
    document = json.loads((PRESETS / "vae-digits-2d.json").read_text())
    document["networks"]["decoder"]["layers"][-2]["width"] = 49
    document["networks"]["decoder"]["layers"][-1]["shape"] = [1, 7, 7]
    with pytest.raises(PresetError) as caught:
        parse_preset(document, "mine.json")
    assert "networks.decoder: the decoder outputs [1, 7, 7] per sample, but it must produce samples shaped like " \
           "the data, [1, 8, 8]" in str(caught.value)


def test_validator_names_an_encoder_without_a_flat_output():
    document = json.loads((PRESETS / "vae-digits-2d.json").read_text())
    document["networks"]["encoder"]["layers"] = [{"type": "Conv2d", "channels": 4, "kernel_size": 3}]
    with pytest.raises(PresetError, match=r"networks\.encoder: the encoder outputs \[4, 6, 6\] per sample"):
        parse_preset(document)


def test_divergence_rolls_back_and_explains():
    trainer = make_trainer(preset(steps=50))
    trainer.run(5)
    with torch.no_grad():
        trainer.networks["decoder"][-2].weight.fill_(float("nan"))  # the last Linear layer
    trainer.step()
    assert trainer.status == DIVERGED and "learning rate" in trainer.message
    assert trainer.step_count == 4 and len(trainer.history) == 4  # the weights before step 5's update
    assert torch.isfinite(trainer.networks["decoder"][-2].weight).all()
    trainer.update_training({**trainer.training, "learning_rate": 1e-4})
    assert trainer.run() == FINISHED


def test_live_beta_change_applies_between_steps():
    trainer = make_trainer(preset(steps=20))
    trainer.run(5)
    training = copy.deepcopy(trainer.training)
    training["vae"]["beta"] = 3.0
    assert trainer.update_training(training) == ["beta 1.0 -> 3.0"]
    trainer.run()
    assert trainer.history.records[-1].metrics["beta"] == 3.0
    training = copy.deepcopy(trainer.training)
    training["vae"]["latent_size"] = 5
    with pytest.raises(ValueError, match=r"training\.vae\.latent_size\) cannot change mid-run"):
        trainer.update_training(training)


def test_early_stopping_keeps_the_best_weights_of_both_networks(tmp_path):
    trainer = make_trainer(preset(steps=400, eval_every=20, early_stopping={"patience": 2, "min_delta": 1000.0}))
    status = trainer.run()
    assert status == EARLY_STOPPED and trainer.step_count == 60
    best = trainer._best[1]
    assert {f"{name}.{k}" for name, state in best.items() for k in state} == {
        f"{name}.{k}" for name, net in trainer.networks.items() for k in net.state_dict()}
    assert trainer.evaluate()["test_loss"] == pytest.approx(trainer._best[0])
    save_session(trainer, tmp_path / "stopped")
    assert load_session(tmp_path / "stopped")._best[0] == trainer._best[0]


def test_session_resume_is_bitwise(tmp_path):
    straight = make_trainer(preset(steps=200, eval_every=50))
    straight.run()
    first = make_trainer(preset(steps=200, eval_every=50))
    first.run(100)
    save_session(first, tmp_path / "run")
    resumed = load_session(tmp_path / "run")
    assert isinstance(resumed.task, VaeTask) and resumed.step_count == 100
    resumed.run()
    for name in straight.networks:
        for key, value in straight.networks[name].state_dict().items():
            assert torch.equal(value, resumed.networks[name].state_dict()[key]), f"{name}.{key}"
    assert [r.batch_loss for r in resumed.history.records] == [r.batch_loss for r in straight.history.records]
    assert resumed.evaluate() == straight.evaluate()


def test_bundled_vae_presets_are_valid():
    for name in ("vae-digits-2d", "vae-digits", "vae-shapes"):
        loaded = load_preset(PRESETS / f"{name}.json")
        assert loaded.task == "vae" and loaded.target is not None
