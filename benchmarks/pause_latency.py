"""How fast do Pause and Stop act while a CNN trains with a large batch?

Trains digits-cnn (batch 512) on the worker thread through the same controller the window uses;
repeatedly lets it run, presses Pause and measures the time until the worker's paused snapshot
arrives on the GUI thread; then measures Stop (closing: the thread joined). Target: <= 100 ms.

    python benchmarks/pause_latency.py [--repeats 10] [--batch 512]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--batch", type=int, default=512)
    args = parser.parse_args()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from playground.core.presets import load_preset, parse_preset
    from playground.gui.training_controller import TrainingController

    doc = load_preset("digits-cnn").to_json()
    doc["training"].update(batch_size=args.batch, steps=10**8)
    app = QApplication.instance() or QApplication([])
    controller = TrainingController()
    pauses: list[float] = []
    state: dict = {}

    def on_snapshot(snap) -> None:
        if "paused_at" in state and not snap.running:
            pauses.append(time.perf_counter() - state.pop("paused_at"))
            if len(pauses) < args.repeats:
                QTimer.singleShot(100, run_then_pause)
            else:
                QTimer.singleShot(300, stop)

    def run_then_pause() -> None:
        controller.start()
        QTimer.singleShot(700, press_pause)

    def press_pause() -> None:
        state["paused_at"] = time.perf_counter()
        controller.pause()

    def stop() -> None:
        controller.start()
        QTimer.singleShot(700, timed_stop)

    def timed_stop() -> None:
        started = time.perf_counter()
        controller.shutdown(5000)
        state["stop"] = time.perf_counter() - started
        app.quit()

    controller.snapshot.connect(on_snapshot)
    controller.data_loaded.connect(lambda _info: QTimer.singleShot(300, run_then_pause))
    controller.load(parse_preset(doc))
    app.exec()
    ms = [p * 1000 for p in pauses]
    print(f"digits-cnn, batch {args.batch}, {len(ms)} pauses")
    print(f"Pause -> paused snapshot: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms (target <= 100 ms)")
    print(f"Stop -> thread joined: {state['stop'] * 1000:.0f} ms (target <= 100 ms)")


if __name__ == "__main__":
    main()
    from playground.gui.app import end_process

    end_process(0)
