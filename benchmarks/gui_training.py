"""Training with the window open: throughput against headless, and how late the GUI thread runs.

In one process: (1) the headless trainer's steps/s on the preset (one torch thread, as the app's
worker uses); (2) the main window training the same preset with live plots, its steps/s taken from
the snapshots, while a 100 Hz QTimer on the GUI thread records how late each tick fires. Prints
the ratio GUI/headless (target >= 0.90) and the lateness p50/p99 (target p99 <= 20 ms).

    python benchmarks/gui_training.py [--preset spiral-deep] [--seconds 10]

Uses the real display when DISPLAY is set (e.g. under Xvfb, so painting is real), else offscreen.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def headless_rate(preset, seconds: float) -> float:
    import torch

    from playground.core.trainer import Trainer

    torch.set_num_threads(1)
    trainer = Trainer(preset)
    trainer.run(200)  # warm-up
    start, first = time.perf_counter(), trainer.step_count
    while time.perf_counter() - start < seconds:
        trainer.run(200)
    return (trainer.step_count - first) / (time.perf_counter() - start)


def gui_rate(preset, seconds: float) -> tuple[float, np.ndarray]:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from playground.gui.app import make_application
    from playground.gui.main_window import MainWindow

    app = make_application()
    window = MainWindow(preset)
    window.show()
    result: dict = {"late": []}
    clock = QElapsedTimer()

    def on_loaded(_info) -> None:
        QTimer.singleShot(1500, begin)  # let the first surface and warm-up pass

    def begin() -> None:
        window.controller.start()
        QTimer.singleShot(1000, measure)

    def measure() -> None:
        result["step0"], result["t0"] = window.controller.step, time.perf_counter()
        clock.start()
        probe.start()
        QTimer.singleShot(int(seconds * 1000), finish)

    def tick() -> None:
        elapsed = clock.restart()
        result["late"].append(max(elapsed - 10, 0))

    def finish() -> None:
        probe.stop()
        result["rate"] = (window.controller.step - result["step0"]) / (time.perf_counter() - result["t0"])
        window.experiment.dirty = False
        window.close()
        app.quit()

    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(tick)
    window.controller.data_loaded.connect(on_loaded)
    app.exec()
    return result["rate"], np.array(result["late"][1:], dtype=float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="spiral-deep")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    from playground.core.presets import load_preset, parse_preset

    doc = load_preset(args.preset).to_json()
    doc["training"].update(steps=10**8, epochs=None)  # never finishes during the measurement
    preset = parse_preset(doc)
    headless = headless_rate(preset, args.seconds)
    gui, late = gui_rate(preset, args.seconds)
    where = "X display " + os.environ["DISPLAY"] if os.environ.get("DISPLAY") else "offscreen"
    print(f"preset {args.preset}, {args.seconds:g} s each, {where}")
    print(f"headless trainer: {headless:8.0f} steps/s")
    print(f"window with live plots: {gui:8.0f} steps/s")
    print(f"ratio window/headless: {gui / headless:.3f} (target >= 0.90)")
    print(f"GUI-thread lateness (100 Hz probe, {len(late)} ticks): p50 {np.percentile(late, 50):.1f} ms, "
          f"p99 {np.percentile(late, 99):.1f} ms (target p99 <= 20 ms)")


if __name__ == "__main__":
    main()
