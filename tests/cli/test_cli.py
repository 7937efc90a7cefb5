"""The headless command ``nn-playground`` / ``python -m playground``, run for real in a subprocess.

Exit codes under test: 0 success, 2 bad input, 3 diverged, 130 interrupted. Every training run is
tiny (a few dozen steps, one thread); CUDA is hidden so "auto" means the CPU on every machine.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUNDLED_DIR = REPO / "playground" / "presets"
TIMEOUT_S = 120
STEPS = 20
LOSS_KEYS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


# ---- helpers ------------------------------------------------------------------------------------
def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["CUDA_VISIBLE_DEVICES"] = ""  # "auto" and "cuda" behave as on a machine without a GPU
    env.pop("PYTHONWARNINGS", None)
    return env


def run_cli(*args: str | os.PathLike, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m playground ARGS`` with a timeout; stdout and stderr captured as text."""
    return subprocess.run([sys.executable, "-m", "playground", *map(str, args)], cwd=cwd, env=cli_env(),
                          capture_output=True, text=True, timeout=TIMEOUT_S)


def train(*args: str | os.PathLike, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run_cli("train", *args, "--threads", "1", cwd=cwd)


def bundled_json(name: str) -> dict:
    """A bundled preset's JSON, read directly from playground/presets/ (not through the loader under test)."""
    return json.loads((BUNDLED_DIR / f"{name}.json").read_text(encoding="utf-8"))


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout, result.stdout
    assert "Traceback" not in result.stderr, result.stderr


def assert_bad_input(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit 2, a short stderr naming the problem, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert_no_traceback(result)
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert len(result.stderr.splitlines()) <= 6, result.stderr


def last_json_line(stdout: str) -> dict:
    """The last stdout line as strict JSON (NaN and Infinity are not JSON and fail the test)."""
    lines = stdout.strip().splitlines()
    assert lines, "nothing on stdout"

    def reject(constant: str):
        raise AssertionError(f"the final JSON line contains {constant}, which is not valid JSON: {lines[-1]}")

    result = json.loads(lines[-1], parse_constant=reject)
    assert isinstance(result, dict)
    return result


def summary_rows(stdout: str) -> list[list[str]]:
    """The layer rows of a printed summary table (between the header rule and the closing rule)."""
    lines = stdout.splitlines()
    rules = [i for i, line in enumerate(lines) if line and set(line) == {"-"}]
    assert len(rules) >= 3, stdout
    body = lines[rules[1] + 1:rules[2]]
    assert body[0].startswith("input"), body
    return [re.split(r"\s{2,}", line.strip()) for line in body[1:]]


def total_params_line(stdout: str) -> int:
    match = re.search(r"^Total params: ([\d,]+)", stdout, re.MULTILINE)
    assert match, stdout
    return int(match.group(1).replace(",", ""))


def diverging_spiral() -> dict:
    """spiral-deep with SGD at learning rate 1e6 and ReLU instead of Tanh: the loss is NaN by step 3.
    (With Tanh the saturated layers keep the loss finite - large, but finite - for many steps.)"""
    data = bundled_json("spiral-deep")
    data["training"].update(learning_rate=1e6, optimizer={"type": "sgd"})
    for layer in data["networks"]["main"]["layers"]:
        if layer["type"] == "Tanh":
            layer["type"] = "ReLU"
    return data


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One short run of spiral-deep with --out, shared by the tests that inspect its results."""
    out = tmp_path_factory.mktemp("run") / "out"
    result = train("spiral-deep", "--steps", STEPS, "--seed", "3", "--out", out)
    return result, out


# ---- no command, presets, console script --------------------------------------------------------
def test_help_lists_the_commands_and_exits_0():
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    assert "usage: nn-playground" in result.stdout and "opens the desktop app" in result.stdout
    for command in ("train", "presets", "validate"):
        assert command in result.stdout
    assert_no_traceback(result)


def test_presets_lists_every_bundled_preset_with_its_description():
    result = run_cli("presets")
    assert result.returncode == 0, result.stderr
    expected = {p.stem: bundled_json(p.stem)["description"] for p in BUNDLED_DIR.glob("*.json")}
    assert expected, "no bundled presets found"
    listed = {}
    for line in result.stdout.strip().splitlines():
        name, description = line.split(maxsplit=1)
        listed[name] = description.strip()
    assert listed == expected
    assert list(listed) == sorted(listed)


def test_console_script_next_to_the_interpreter_works():
    script = Path(sys.executable).with_name("nn-playground")
    assert script.exists(), f"console script not installed at {script}"
    result = subprocess.run([str(script), "presets"], env=cli_env(), capture_output=True, text=True,
                            timeout=TIMEOUT_S)
    assert result.returncode == 0, result.stderr
    assert result.stdout == run_cli("presets").stdout
    assert "spiral-deep" in result.stdout


# ---- validate -----------------------------------------------------------------------------------
def test_validate_bundled_preset_prints_summary_with_consistent_total():
    from playground.core.io_shapes import network_input_shapes
    from playground.core.presets import load_preset
    from playground.core.shape_inference import summarize

    result = run_cli("validate", "spiral-deep")
    assert result.returncode == 0, result.stderr
    assert "Network 'main'" in result.stdout
    assert result.stdout.strip().endswith("spiral-deep: valid")
    rows = summary_rows(result.stdout)
    layers = bundled_json("spiral-deep")["networks"]["main"]["layers"]
    assert [row[0] for row in rows] == [f"{i} {layer['type']}" for i, layer in enumerate(layers)]
    row_sum = sum(int(row[2].replace(",", "")) for row in rows)
    preset = load_preset("spiral-deep")
    (shape,) = network_input_shapes(preset).values()
    expected = summarize(preset.networks["main"].layers, shape).total_params
    assert total_params_line(result.stdout) == row_sum == expected == 898
    assert result.stderr == ""


def test_validate_layer_that_does_not_fit(tmp_path):
    preset = write_json(tmp_path / "conv.json", {
        "name": "conv", "task": "classification", "dataset": {"name": "spiral", "samples": 100},
        "networks": {"main": {"layers": [{"type": "Linear", "width": 8},
                                         {"type": "Conv2d", "channels": 4, "kernel_size": 3},
                                         {"type": "Linear", "width": 2}]}},
        "training": {"steps": 10},
    })
    result = run_cli("validate", preset)
    assert_bad_input(result, "networks.main.layers[1]", "Conv2d", "(8,)")
    assert "valid" not in result.stdout.replace("invalid", "")
    rows = summary_rows(result.stdout)
    assert rows[0][:3] == ["0 Linear", "(8,)", "24"]
    assert rows[1][:2] == ["1 Conv2d", "error"]
    assert rows[2][:2] == ["2 Linear", "?"]  # nothing is known after the failing layer
    assert total_params_line(result.stdout) == 24


def test_validate_reports_every_problem_at_once_with_hints(tmp_path):
    preset = write_json(tmp_path / "multi.json", {
        "name": "multi", "task": "classification", "dataset": {"name": "spiral", "samplez": 100},
        "networks": {"main": {"layers": [{"type": "Linear", "widht": 8}, {"type": "Tanhh"},
                                         {"type": "Linear", "width": -2}]}},
        "training": {"stepz": 10, "learning_rate": -1, "optimizer": {"type": "adamm"}},
    })
    result = run_cli("validate", preset)
    assert result.returncode == 2
    assert_no_traceback(result)
    expected = {
        "dataset.samplez": "did you mean 'samples'?",
        "training.stepz": "did you mean 'steps'?",
        "training.learning_rate": "positive",
        "training.optimizer.type": "did you mean 'adam'?",
        "networks.main.layers[0].widht": "did you mean 'width'?",
        "networks.main.layers[1].type": "did you mean 'Tanh'?",
        "networks.main.layers[2].width": "-2",
    }
    lines = result.stderr.splitlines()
    for path, text in expected.items():
        matching = [line for line in lines if line.strip().startswith(f"{path}:")]
        assert len(matching) == 1, (path, result.stderr)
        assert text in matching[0], (text, matching[0])
    assert "7 problems" in result.stderr


# ---- train: a successful run and what it leaves behind ------------------------------------------
def test_train_prints_final_json_and_progress(trained):
    result, _ = trained
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    final = last_json_line(result.stdout)
    assert final["status"] == "finished"
    assert final["preset"] == "spiral-deep"
    assert final["steps"] == STEPS
    assert final["device"] == "cpu"
    for key in LOSS_KEYS:
        assert math.isfinite(final[key])
    assert 0 <= final["test_accuracy"] <= 1
    assert final["learning_rate"] == bundled_json("spiral-deep")["training"]["learning_rate"]
    assert f"step {STEPS}/{STEPS}" in result.stderr  # progress, with the final step shown
    assert "step 1/" in result.stderr


def test_train_out_metrics(trained):
    result, out = trained
    assert sorted(p.name for p in out.iterdir()) == [
        "confusion_matrix.csv", "confusion_matrix.png", "metrics.csv", "metrics.json", "per_class_metrics.csv",
        "preset.json", "session.json", "session.safetensors", "summary.txt", "weights.safetensors"]
    with open(out / "metrics.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == STEPS
    assert [int(r["step"]) for r in rows] == list(range(1, STEPS + 1))
    assert all(math.isfinite(float(r["batch_loss"])) for r in rows)
    assert rows[-1]["test_accuracy"] != ""  # the last step is evaluated
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics == last_json_line(result.stdout)


def test_train_out_preset_is_the_preset_as_run(trained):
    from playground.core.presets import load_preset

    _, out = trained
    preset = load_preset(out / "preset.json")
    assert preset.training["steps"] == STEPS  # the override, not the file's 3000
    assert preset.seed == 3
    original = load_preset("spiral-deep")
    assert preset.networks == original.networks
    assert preset.dataset == original.dataset


def test_train_out_summary_and_weights(trained):
    from safetensors.numpy import load_file

    from playground.core.shape_inference import summarize

    _, out = trained
    assert "Network 'main'" in (out / "summary.txt").read_text(encoding="utf-8")
    assert total_params_line((out / "summary.txt").read_text(encoding="utf-8")) == 898
    tensors = load_file(str(out / "weights.safetensors"))
    assert tensors and all(key.startswith("main.") for key in tensors)
    assert all(math.isfinite(float(v.sum())) for v in tensors.values())
    assert sum(v.size for v in tensors.values()) == 898

    from playground.core.presets import load_preset

    preset = load_preset(out / "preset.json")
    summary = summarize(preset.networks["main"].layers, (2,))
    expected = sorted(((r.output_shape[0], r.input_shape[0]), (r.output_shape[0],))
                      for r in summary.rows if r.type == "Linear")
    weights = sorted(v.shape for k, v in tensors.items() if k.endswith(".weight"))
    biases = sorted(v.shape for k, v in tensors.items() if k.endswith(".bias"))
    assert weights == sorted(w for w, _ in expected)
    assert biases == sorted(b for _, b in expected)


def test_same_seed_same_run_other_seed_other_run(trained, tmp_path):
    first, out = trained
    again = train("spiral-deep", "--steps", STEPS, "--seed", "3", "--quiet", "--out", tmp_path / "again")
    other = train("spiral-deep", "--steps", STEPS, "--seed", "4", "--quiet")
    assert again.returncode == other.returncode == 0
    assert again.stderr == ""  # --quiet: no progress
    a, b, c = (last_json_line(r.stdout) for r in (first, again, other))
    assert [a[k] for k in LOSS_KEYS] == [b[k] for k in LOSS_KEYS]
    assert (out / "weights.safetensors").read_bytes() == (tmp_path / "again" / "weights.safetensors").read_bytes()
    assert a["train_loss"] != c["train_loss"]
    assert a["test_loss"] != c["test_loss"]


def test_epochs_sets_the_number_of_steps():
    from playground.core.data import make_dataset
    from playground.core.presets import load_preset

    preset = load_preset("spiral-deep")
    data = make_dataset(preset.dataset, seed=preset.seed, kind="classification")
    batch = min(preset.training["batch_size"], data.n_train)
    result = train("spiral-deep", "--epochs", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    final = last_json_line(result.stdout)
    assert final["steps"] == 2 * math.ceil(data.n_train / batch) == 38
    assert final["epochs"] == 2


def test_ctrl_c_stops_with_130_and_keeps_the_run(tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "playground", "train", "spiral-deep", "--steps", "100000000",
               "--threads", "1", "--out", str(out)]
    with subprocess.Popen(command, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as process:
        try:
            first = process.stderr.readline()  # training has started once progress appears
            assert first.startswith("step 1/"), first
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=TIMEOUT_S)
        finally:
            process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    final = last_json_line(stdout)
    assert final["status"] == "stopped"
    assert 0 < final["steps"] < 100000000
    assert json.loads((out / "metrics.json").read_text(encoding="utf-8"))["steps"] == final["steps"]
    assert len((out / "metrics.csv").read_text(encoding="utf-8").splitlines()) == final["steps"] + 1


# ---- divergence ---------------------------------------------------------------------------------
def test_divergence_exits_3_with_advice(tmp_path):
    preset = write_json(tmp_path / "diverge.json", diverging_spiral())
    result = train(preset, "--steps", STEPS, "--out", tmp_path / "out")
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert_no_traceback(result)
    final = last_json_line(result.stdout)
    assert final["status"] == "diverged"
    assert final["steps"] < STEPS
    message = result.stderr.strip().splitlines()[-1]
    match = re.search(r"stopped at step (\d+): the loss (became (nan|inf|-inf)|exploded to [0-9.e+]+)", message)
    assert match, message
    assert final["steps"] < int(match.group(1)) <= STEPS
    assert f"step {final['steps']}" in message  # where the kept weights come from
    assert "learning rate" in message and "too high" in message
    assert "1e+06" in message
    assert final["message"] == message.removeprefix("nn-playground: ")
    assert json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))["status"] == "diverged"
    with open(tmp_path / "out" / "metrics.csv", newline="", encoding="utf-8") as handle:
        steps = [int(row["step"]) for row in csv.DictReader(handle)]
    assert steps == list(range(1, final["steps"] + 1))  # the csv matches the weights kept


def test_divergence_output_is_valid_json_even_when_the_final_loss_is_infinite(tmp_path):
    data = bundled_json("regression-plane")
    data["training"].update(learning_rate=1000, optimizer={"type": "sgd"})
    data["seed"] = 2
    result = train(write_json(tmp_path / "diverge.json", data), "--steps", "200", "--quiet")
    assert result.returncode == 3, result.stderr
    assert last_json_line(result.stdout)["status"] == "diverged"


# ---- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["train", "validate"])
def test_missing_file(tmp_path, command):
    result = run_cli(command, tmp_path / "nope.json")
    assert_bad_input(result, "nope.json", "no such file")


def test_directory_instead_of_file(tmp_path):
    assert_bad_input(run_cli("train", tmp_path), str(tmp_path), "is not a file")


def test_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"name": "x",\n  "task": }\n', encoding="utf-8")
    assert_bad_input(run_cli("train", path), "broken.json", "invalid JSON", "line 2", "column 11")


def test_binary_file(tmp_path):
    path = tmp_path / "weights.json"
    path.write_bytes(bytes(range(256)) * 4)
    assert_bad_input(run_cli("validate", path), "weights.json", "not a text file")


def test_nan_in_json(tmp_path):
    data = bundled_json("spiral-deep")
    text = json.dumps(data).replace(f'"learning_rate": {data["training"]["learning_rate"]}', '"learning_rate": NaN')
    assert "NaN" in text
    path = tmp_path / "nan.json"
    path.write_text(text, encoding="utf-8")
    assert_bad_input(run_cli("train", path), "NaN")


def test_unknown_bundled_name_suggests_the_near_one():
    assert_bad_input(run_cli("train", "spiral-dep"), "spiral-dep", "did you mean 'spiral-deep'?")


def test_negative_steps_names_training_steps():
    assert_bad_input(run_cli("train", "spiral-deep", "--steps", "-5"), "training.steps", "-5")


def test_zero_threads():
    assert_bad_input(run_cli("train", "spiral-deep", "--steps", "2", "--threads", "0"), "--threads")


def test_cuda_without_a_gpu():
    result = train("spiral-deep", "--steps", "2", "--device", "cuda")
    assert_bad_input(result, "device", "cuda")


def _csv_preset(tmp_path: Path, rows: str) -> Path:
    (tmp_path / "points.csv").write_text(rows, encoding="utf-8")
    data = bundled_json("spiral-deep")
    data["dataset"] = {"name": "csv", "path": "points.csv"}
    return write_json(tmp_path / "csvpreset.json", data)


def test_csv_with_malformed_row_names_file_and_line(tmp_path):
    preset = _csv_preset(tmp_path, "0,0,a\n1,1,b\n2,oops,a\n3,3,b\n")
    result = train(preset, "--steps", "2", cwd=REPO)  # the CSV path is relative to the preset, not cwd
    assert_bad_input(result, "points.csv", "line 3")
    assert result.stdout == ""


def test_csv_class_count_must_match_the_network(tmp_path):
    preset = _csv_preset(tmp_path, "".join(f"{i},{i},{'abc'[i % 3]}\n" for i in range(12)))
    result = train(preset, "--steps", "2")
    assert_bad_input(result, "networks.main", "3 outputs")


def test_validate_reads_the_csv_too(tmp_path):
    preset = _csv_preset(tmp_path, "".join(f"{i},{i},{'abc'[i % 3]}\n" for i in range(12)))
    assert_bad_input(run_cli("validate", preset), "networks.main", "3 outputs")
    preset = _csv_preset(tmp_path, "0,0,a\n1,1,b\n2,oops,a\n3,3,b\n")
    assert_bad_input(run_cli("validate", preset), "points.csv", "line 3")


def test_options_are_blamed_for_their_own_mistakes():
    result = train("spiral-deep", "--steps", "-5")
    assert_bad_input(result, "with the command-line options", "training.steps")


def test_csv_that_fits_trains(tmp_path):
    preset = _csv_preset(tmp_path, "".join(f"{i},{-i},{'ab'[i % 2]}\n" for i in range(12)))
    result = train(preset, "--steps", "3", "--quiet", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert last_json_line(result.stdout)["steps"] == 3


@pytest.mark.parametrize("args, message", [
    (["frobnicate"], "invalid choice"),
    (["train", "spiral-deep", "--bogus"], "unrecognized arguments: --bogus"),
    (["train", "spiral-deep", "--steps", "2", "--epochs", "2"], "not allowed with"),
    (["train", "spiral-deep", "--steps", "many"], "invalid int value"),
])
def test_bad_command_line_gives_usage(args, message):
    result = run_cli(*args)
    assert_bad_input(result, "usage: nn-playground", message)
    assert result.stdout == ""


def test_out_is_an_existing_file(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a folder", encoding="utf-8")
    result = train("spiral-deep", "--steps", "2", "--quiet", "--out", target)
    assert_bad_input(result, "taken")



# ---- image presets --------------------------------------------------------------------------------
def test_image_preset_trains_headless_with_a_class_report(tmp_path):
    out = tmp_path / "run"
    result = train("digits-cnn", "--steps", "40", "--quiet", "--out", out)
    assert result.returncode == 0, result.stderr
    final = last_json_line(result.stdout)
    assert final["steps"] == 40 and 0 <= final["test_accuracy"] <= 1
    rows = (out / "per_class_metrics.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "class,precision,recall,f1,roc_auc,support" and len(rows) == 11
    matrix = [line.split(",")[1:] for line in (out / "confusion_matrix.csv").read_text().splitlines()[1:]]
    assert len(matrix) == 10 and sum(int(c) for row in matrix for c in row) == sum(
        int(r.split(",")[-1]) for r in rows[1:])
    assert (out / "confusion_matrix.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_validate_an_npz_preset_shows_the_summary_once_the_file_is_read(tmp_path):
    import numpy as np

    np.savez(tmp_path / "imgs.npz", x=np.zeros((30, 8, 8), dtype=np.uint8), y=np.arange(30) % 3)
    data = bundled_json("digits-mlp")
    data["dataset"] = {"name": "npz", "path": "imgs.npz"}
    data["networks"]["main"]["layers"][-1]["width"] = 3
    result = run_cli("validate", write_json(tmp_path / "p.json", data))
    assert result.returncode == 0, result.stderr
    assert "(1, 8, 8)" not in result.stderr and "Total params: 4,355" in result.stdout


def test_a_broken_npz_is_bad_input(tmp_path):
    (tmp_path / "imgs.npz").write_bytes(b"PK\x03\x04 definitely not a zip")
    data = bundled_json("digits-mlp")
    data["dataset"] = {"name": "npz", "path": "imgs.npz"}
    assert_bad_input(train(write_json(tmp_path / "p.json", data), "--steps", "2"), "imgs.npz")


# ---- sessions and export --------------------------------------------------------------------------
def test_resume_continues_exactly_where_the_run_stopped(tmp_path):
    run = tmp_path / "run"
    first = train("xor", "--steps", "60", "--quiet", "--out", run)
    assert first.returncode == 0, first.stderr
    resumed = train("--resume", run, "--steps", "120", "--quiet")
    straight = train("xor", "--steps", "120", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    a, b = last_json_line(resumed.stdout), last_json_line(straight.stdout)
    assert a["steps"] == 120 and {k: a[k] for k in ("train_loss", "test_loss")} == {
        k: b[k] for k in ("train_loss", "test_loss")}
    assert len((run / "metrics.csv").read_text().splitlines()) == 121  # the resumed folder was updated


def test_resume_needs_a_session(tmp_path):
    assert_bad_input(train(), "give a PRESET to train, or --resume DIR")
    assert_bad_input(train("--resume", tmp_path), "not a saved session")
    assert_bad_input(train("xor", "--resume", tmp_path), "give a PRESET to train, or --resume DIR")


def test_export_onnx_from_a_run_reports_the_verification(tmp_path):
    run = tmp_path / "run"
    assert train("xor", "--steps", "20", "--quiet", "--out", run).returncode == 0
    result = run_cli("export", run, "--format", "onnx", "--out", tmp_path / "model.onnx")
    assert result.returncode == 0, result.stderr
    assert "verified: largest difference from PyTorch" in result.stdout and (tmp_path / "model.onnx").exists()


def test_export_of_a_preset_says_it_is_untrained(tmp_path):
    result = run_cli("export", "xor", "--format", "safetensors", "--out", tmp_path / "w.safetensors")
    assert result.returncode == 0 and "untrained" in result.stderr
