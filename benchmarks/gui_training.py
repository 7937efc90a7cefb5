"""Training with the window open: throughput against headless, and how late the GUI thread runs.

In one process, alternating rounds: the main window training the preset with live plots (steps/s
from the controller, while a 100 Hz QTimer on the GUI thread records how late each tick fires),
then the bare trainer on the same preset and thread count with the window paused. Prints the
median ratio window/headless (target >= 0.90) and the lateness p50/p99 (target p99 <= 20 ms).

    python benchmarks/gui_training.py [--preset spiral-deep] [--seconds 4] [--rounds 3]

Uses the real display when DISPLAY is set (e.g. under Xvfb, so painting is real), else offscreen.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def headless_steps(trainer, seconds: float) -> float:
    """Steps/s of the bare trainer on this thread (the GUI is paused meanwhile)."""
    start, first = time.perf_counter(), trainer.step_count
    while time.perf_counter() - start < seconds:
        trainer.run(100)
    return (trainer.step_count - first) / (time.perf_counter() - start)


def measure(preset, seconds: float, rounds: int) -> tuple[list[float], list[float], np.ndarray]:
    """Alternate rounds of window training and headless training, so drift hits both alike."""
    import torch
    from PySide6.QtCore import QElapsedTimer, QTimer

    from playground.core.training.factory import make_trainer
    from playground.gui.app import make_application
    from playground.gui.main_window import MainWindow

    torch.set_num_threads(1)  # as the app's worker does
    headless_trainer = make_trainer(preset)
    headless_trainer.run(200)
    app = make_application()
    window = MainWindow(preset)
    window.show()
    gui, bare, late = [], [], []
    clock = QElapsedTimer()
    state: dict = {}

    def on_loaded(_info) -> None:
        window.controller.start()
        QTimer.singleShot(1500, begin_round)  # warm-up: first surfaces, allocator, caches

    def begin_round() -> None:
        state["step0"], state["t0"] = window.controller.step, time.perf_counter()
        clock.start()
        probe.start()
        QTimer.singleShot(int(seconds * 1000), end_round)

    def end_round() -> None:
        probe.stop()
        gui.append((window.controller.step - state["step0"]) / (time.perf_counter() - state["t0"]))
        window.controller.pause()
        QTimer.singleShot(300, headless_round)

    def headless_round() -> None:
        bare.append(headless_steps(headless_trainer, seconds))
        if len(gui) < rounds:
            window.controller.start()
            QTimer.singleShot(500, begin_round)
        else:
            window.experiment.dirty = False
            window.close()
            app.quit()

    def tick() -> None:
        late.append(max(clock.restart() - 10, 0))

    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(tick)
    window.controller.data_loaded.connect(on_loaded)
    app.exec()
    return gui, bare, np.array(late, dtype=float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="spiral-deep")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from playground.core.presets import load_preset, parse_preset

    doc = load_preset(args.preset).to_json()
    doc["training"].update(steps=10**8, epochs=None)  # never finishes during the measurement
    preset = parse_preset(doc)
    gui, bare, late = measure(preset, args.seconds, args.rounds)
    import statistics

    where = "X display " + os.environ["DISPLAY"] if os.environ.get("DISPLAY") else "offscreen"
    g, b = statistics.median(gui), statistics.median(bare)
    print(f"preset {args.preset}, {args.rounds} alternating rounds of {args.seconds:g} s, {where}")
    print(f"headless trainer:       {b:8.0f} steps/s")
    print(f"window with live plots: {g:8.0f} steps/s")
    print(f"ratio window/headless: {g / b:.3f} (target >= 0.90)")
    print(f"GUI-thread lateness (100 Hz probe, {len(late)} ticks): p50 {np.percentile(late, 50):.1f} ms, "
          f"p99 {np.percentile(late, 99):.1f} ms (target p99 <= 20 ms)")


if __name__ == "__main__":
    main()
    from playground.gui.app import end_process

    end_process(0)  # skip the interpreter's Qt teardown, as the app does
