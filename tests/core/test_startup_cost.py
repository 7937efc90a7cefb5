"""What a run costs to start: the export formats without PyTorch, optimisers without TorchDynamo.

Importing TorchDynamo (which PyTorch 2's optimisers do on their first use and in every ``step``)
costs about as much CPU as importing torch itself; the training loop's eager step avoids it and must
give exactly the numbers ``optimizer.step()`` gives. Import checks run in a fresh interpreter, since
this one has loaded everything already.
"""

import subprocess
import sys

import pytest
import torch

from playground.core.optim import make_optimizer, optimizer_step

OPTIMIZERS = {
    "sgd": {"type": "sgd", "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
    "adam": {"type": "adam", "beta1": 0.9, "beta2": 0.999, "weight_decay": 0.0},
    "adamw": {"type": "adamw", "beta1": 0.8, "beta2": 0.99, "weight_decay": 0.05},
    "rmsprop": {"type": "rmsprop", "alpha": 0.9, "momentum": 0.5, "weight_decay": 0.0},
    "adagrad": {"type": "adagrad", "weight_decay": 0.001},
}


def run_in_fresh_python(script: str) -> str:
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("kind", sorted(OPTIMIZERS))
def test_the_eager_step_gives_exactly_what_optimizer_step_gives(kind):
    def trained(step) -> tuple[list[torch.Tensor], dict]:
        torch.manual_seed(3)
        model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2))
        optimizer = make_optimizer(model.parameters(), {"optimizer": OPTIMIZERS[kind], "learning_rate": 0.05})
        data = torch.randn(16, 3, generator=torch.Generator().manual_seed(1))
        for _ in range(7):
            optimizer.zero_grad(set_to_none=True)
            model(data).square().mean().backward()
            step(optimizer)
        return [p.detach().clone() for p in model.parameters()], optimizer.state_dict()

    expected, expected_state = trained(lambda opt: opt.step())
    got, got_state = trained(optimizer_step)
    assert all(torch.equal(a, b) for a, b in zip(expected, got, strict=True))
    for index, state in expected_state["state"].items():
        for key, value in state.items():
            other = got_state["state"][index][key]
            assert torch.equal(value, other) if isinstance(value, torch.Tensor) else value == other
    assert torch.is_grad_enabled(), "grad mode is restored after the step"


def test_training_saving_and_resuming_never_import_torchdynamo(tmp_path):
    script = f"""
import sys
from playground.core.presets import load_preset, parse_preset
from playground.core.training.factory import make_trainer
from playground.core.training.sessions import load_session, save_session
for kind, settings in {OPTIMIZERS!r}.items():
    doc = load_preset("xor").to_json()
    doc["training"].update(steps=20, eval_every=5, optimizer=settings)
    trainer = make_trainer(parse_preset(doc))
    for _ in range(6):
        trainer.step()
    save_session(trainer, {str(tmp_path)!r} + "/" + kind)
    load_session({str(tmp_path)!r} + "/" + kind).step()
for name in ("gan-moons", "vae-digits-2d"):
    trainer = make_trainer(load_preset(name))
    trainer.step()
    trainer.evaluate()
print("torch._dynamo" in sys.modules, "sympy" in sys.modules)
"""
    assert run_in_fresh_python(script) == "False False"


def test_the_export_formats_are_declared_without_torch():
    script = """
import sys
from playground.core.export_formats import FORMATS, SUFFIXES
assert set(FORMATS) == set(SUFFIXES)
print("torch" in sys.modules)
"""
    assert run_in_fresh_python(script) == "False"
