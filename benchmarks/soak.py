"""Soak: train with the window and live plots for a long time; watch memory and responsiveness.

Reports steps done, resident memory growth after a warm-up minute (target <= 50 MB; plot buffers
and the run history are bounded, so a night-long run stays smooth) and the GUI thread's lateness
p99 from a 100 Hz timer probe. The run restarts from step 0 whenever it finishes.

    python benchmarks/soak.py [--minutes 30] [--preset spiral-deep]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--preset", default="spiral-deep")
    args = parser.parse_args()
    from PySide6.QtCore import QElapsedTimer, QTimer

    from playground.core.presets import load_preset, parse_preset
    from playground.gui.app import make_application
    from playground.gui.main_window import MainWindow

    doc = load_preset(args.preset).to_json()
    doc["training"].update(steps=10**9, epochs=None)
    app = make_application()
    window = MainWindow(parse_preset(doc))
    window.show()
    late: list[float] = []
    memory: list[tuple[float, float]] = []
    clock = QElapsedTimer()
    started = time.monotonic()

    def tick() -> None:
        late.append(max(clock.restart() - 10, 0))

    def sample() -> None:
        memory.append((time.monotonic() - started, rss_mb()))
        if time.monotonic() - started >= args.minutes * 60:
            finish()

    def finish() -> None:
        probe.stop()
        sampler.stop()
        steps = window.controller.step
        window.experiment.dirty = False
        window.close()
        warm = [m for t, m in memory if t >= min(60.0, args.minutes * 60 / 3)]
        print(f"preset {args.preset}, {args.minutes:g} min with live plots")
        print(f"steps done: {steps:,}")
        print(f"RSS after warm-up {warm[0]:.0f} MB, at the end {warm[-1]:.0f} MB, growth {warm[-1] - warm[0]:+.1f} MB "
              f"(target <= 50 MB)")
        print(f"GUI-thread lateness p50 {np.percentile(late, 50):.1f} ms, p99 {np.percentile(late, 99):.1f} ms")
        app.quit()

    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(tick)
    sampler = QTimer()
    sampler.setInterval(5000)
    sampler.timeout.connect(sample)

    def begin(_info) -> None:
        window.controller.start()
        clock.start()
        probe.start()
        sampler.start()

    window.controller.data_loaded.connect(begin)
    app.exec()


if __name__ == "__main__":
    main()
    from playground.gui.app import end_process

    end_process(0)  # skip the interpreter's Qt teardown, as the app does
