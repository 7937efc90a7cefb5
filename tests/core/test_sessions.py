"""Sessions: a saved run continues bit for bit; bad or hostile files are refused with a message."""

import json
import pickle

import pytest
import torch

from playground.core.presets import PresetError, load_preset, parse_preset
from playground.core.training.factory import make_trainer
from playground.core.training.sessions import SessionError, check_weights_only, load_session, save_session


def preset(name, **training):
    doc = load_preset(name).to_json()
    doc["training"].update(steps=200, eval_every=30, **training)
    if name == "moons":
        doc["networks"]["main"]["layers"].insert(2, {"type": "Dropout", "p": 0.2})
    return parse_preset(doc)


@pytest.mark.parametrize("name, training", [
    ("spiral-deep", {}),
    ("moons", {"optimizer": {"type": "sgd", "momentum": 0.9}, "scheduler": {"type": "cosine"}, "l2": 0.001}),
    ("digits-cnn", {"batch_size": 16}),  # augmentation draws from the batch-order generator
])
def test_100_steps_save_load_100_steps_equals_200_straight(tmp_path, name, training):
    p = preset(name, **training)
    straight = make_trainer(p)
    straight.run()
    first = make_trainer(p)
    first.run(100)
    save_session(first, tmp_path / "s")
    resumed = load_session(tmp_path / "s")
    assert resumed.step_count == 100 and len(resumed.history) == 100
    resumed.run()
    assert [r.batch_loss for r in resumed.history.records] == [r.batch_loss for r in straight.history.records]
    assert all(torch.equal(a, b) for a, b in zip(resumed.task.model.state_dict().values(),
                                                 straight.task.model.state_dict().values(), strict=True))


def test_session_files_are_json_and_safetensors_only(tmp_path):
    trainer = make_trainer(preset("xor"))
    trainer.run(10)
    save_session(trainer, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.json", "session.safetensors"]
    doc = json.loads((tmp_path / "session.json").read_text())
    assert doc["kind"] == "neural-playground session" and doc["step"] == 10 and doc["preset"]["name"] == "xor"


def test_a_session_from_another_network_is_refused(tmp_path):
    trainer = make_trainer(preset("xor"))
    save_session(trainer, tmp_path)
    doc = json.loads((tmp_path / "session.json").read_text())
    doc["preset"]["networks"]["main"]["layers"][0]["width"] = 5
    (tmp_path / "session.json").write_text(json.dumps(doc))
    with pytest.raises(SessionError, match="do not fit this network"):
        load_session(tmp_path)


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "session.json").write_text("{oops"), "not valid JSON"),
    (lambda d: (d / "session.json").write_text('{"kind": "something else"}'), "not a Neural Playground session"),
    (lambda d: (d / "session.safetensors").write_bytes(b"\x00" * 10), "not a readable safetensors file"),
    (lambda d: (d / "session.safetensors").unlink(), "not a saved session"),
])
def test_damaged_sessions_say_what_is_wrong(tmp_path, damage, message):
    save_session(make_trainer(preset("xor")), tmp_path)
    damage(tmp_path)
    with pytest.raises(SessionError, match=message):
        load_session(tmp_path)


class Exploit:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_a_malicious_pickle_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "weights.pt"
    evil.write_bytes(pickle.dumps({"weight": Exploit(str(marker))}))
    with pytest.raises(PresetError, match="refused"):
        check_weights_only(evil)
    save_session(make_trainer(preset("xor")), tmp_path / "s")
    (tmp_path / "s" / "session.safetensors").write_bytes(pickle.dumps(Exploit(str(marker))))
    with pytest.raises(SessionError):
        load_session(tmp_path / "s")
    assert not marker.exists()


def test_plain_tensor_files_still_load(tmp_path):
    torch.save({"w": torch.ones(2)}, tmp_path / "ok.pt")
    assert torch.equal(check_weights_only(tmp_path / "ok.pt")["w"], torch.ones(2))
