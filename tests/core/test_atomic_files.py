"""Atomic writes: files get the user's normal permissions; a failed write keeps the old file and leaves no
temporary file; every file the app writes (presets, sessions, run folders, exports) goes through them."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest

from playground.core.atomic_files import atomic_path, write_bytes_atomic, write_text_atomic

pytestmark = pytest.mark.usefixtures("one_thread")
posix_only = pytest.mark.skipif(os.name != "posix", reason="permission bits and the umask are POSIX")


@contextmanager
def umask_of(value: int):
    """Run a block under this umask; the previous one comes back afterwards."""
    before = os.umask(value)
    try:
        yield value
    finally:
        os.umask(before)


@pytest.fixture(params=[0o022, 0o077, 0o002], ids=lambda u: f"umask {u:03o}")
def umask(request):
    with umask_of(request.param):
        yield request.param


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def every_file(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@posix_only
def test_each_form_gives_the_umasks_permissions_not_0600(tmp_path, umask):
    expected = 0o666 & ~umask
    write_text_atomic(tmp_path / "a.txt", "text\n")
    write_bytes_atomic(tmp_path / "b.bin", b"\x00\x01")
    with atomic_path(tmp_path / "c.png", suffix=".png") as tmp:
        tmp.write_bytes(b"png")
    with atomic_path(tmp_path / "d.safetensors") as tmp:  # a writer that makes its own file, 0600 (safetensors)
        tmp.unlink()
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT, 0o600))
    assert {p.name: oct(mode(p)) for p in every_file(tmp_path)} == \
        dict.fromkeys(("a.txt", "b.bin", "c.png", "d.safetensors"), oct(expected))


@posix_only
def test_replacing_a_file_gives_it_the_umasks_permissions(tmp_path, umask):
    path = tmp_path / "old.txt"
    path.write_text("old")
    path.chmod(0o600)
    write_text_atomic(path, "new")
    assert path.read_text() == "new" and mode(path) == 0o666 & ~umask


def test_the_result_is_what_was_written_in_a_new_folder(tmp_path):
    assert write_text_atomic(tmp_path / "new" / "deeper" / "a.json", "ä\n") == tmp_path / "new" / "deeper" / "a.json"
    assert (tmp_path / "new" / "deeper" / "a.json").read_bytes() == "ä\n".encode()
    write_bytes_atomic(tmp_path / "b", b"\xff" * 3)
    assert (tmp_path / "b").read_bytes() == b"\xff" * 3


def test_the_temporary_file_is_hidden_next_to_the_target(tmp_path):
    with atomic_path(tmp_path / "weights.safetensors") as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".weights.safetensors.") and tmp.is_file()
        assert not (tmp_path / "weights.safetensors").exists()  # nothing appears before the rename
        tmp.write_bytes(b"w")
    assert [p.name for p in tmp_path.iterdir()] == ["weights.safetensors"]


def test_a_failure_in_the_writer_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "preset.json"
    write_text_atomic(path, "previous\n")
    with pytest.raises(RuntimeError, match="disk on fire"), atomic_path(path) as tmp:
        tmp.write_text("half a fi")
        raise RuntimeError("disk on fire")
    assert path.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["preset.json"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failure_while_flushing_or_renaming_keeps_the_previous_file(tmp_path, monkeypatch, failing):
    path = tmp_path / "metrics.csv"
    write_bytes_atomic(path, b"previous")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError, match="No space left"):
        write_bytes_atomic(path, b"new contents")
    monkeypatch.undo()
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.csv"]


def test_keyboard_interrupt_while_writing_leaves_no_temporary(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_path(tmp_path / "x.npz") as tmp:
        tmp.write_bytes(b"part")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def trained(name: str, steps: int = 3):
    from playground.core.presets import load_preset, parse_preset
    from playground.core.training.factory import make_trainer

    document = load_preset(name).to_json()
    document["training"].update(steps=steps, epochs=None)
    trainer = make_trainer(parse_preset(document), device="cpu")
    trainer.run()
    return trainer


@posix_only
@pytest.mark.parametrize("name", ["xor", "digits-cnn", "vae-digits-2d", "gan-digits"])
def test_presets_sessions_run_folders_and_exports_get_the_umasks_permissions(tmp_path, name):
    """Under umask 002 (group-writable files, as on shared machines): 0o664, neither mkstemp's 0o600 nor
    the usual umask's 0o644, for every file of each kind the app writes."""
    from playground.core.export import export
    from playground.core.presets import save_preset
    from playground.core.run_output import final_metrics, write_run
    from playground.core.training.sessions import save_session

    trainer = trained(name)
    with umask_of(0o002):
        save_preset(trainer.preset, tmp_path / "preset" / "mine.json")
        save_session(trainer, tmp_path / "session")
        write_run(tmp_path / "run", trainer, final_metrics(trainer, "done"))
        export(trainer, "safetensors", tmp_path / "export" / "net.safetensors")
        export(trainer, "state_dict", tmp_path / "export" / "net.pt")
        if name == "xor":
            export(trainer, "python", tmp_path / "export" / "code")  # model.py, train.py, data.npz, weights
    modes = {p.relative_to(tmp_path).as_posix(): oct(mode(p)) for p in every_file(tmp_path)}
    assert {"preset/mine.json", "session/session.json", "session/session.safetensors", "run/metrics.json",
            "run/session.safetensors", "export/net.safetensors", "export/net.pt"} <= set(modes)
    assert [n for n in modes if n.startswith("run/") and n.endswith(".png")], "the run folder has a picture"
    if name == "xor":
        assert "export/code/data.npz" in modes
    assert not [n for n in modes if Path(n).name.startswith(".")], "a temporary file was left behind"
    assert modes == dict.fromkeys(modes, oct(0o664))
