"""Launch -> first painted window, and launch -> Start works, in seconds (the app's own start-up path).

Starts a fresh interpreter that opens the window exactly as ``nn-playground`` does and notes, from
the moment the process was started:

- first paint: the window's first frame has been drawn (PyTorch must not be loaded when it starts:
  it loads on the training thread afterwards, and the child checks);
- Start works: the run is loaded (the window has its data and first picture), so a Start trains at
  once;
- first step: Start is pressed at the first paint, while PyTorch is still loading; the time the first
  trained step reaches the window (the pressed Start is remembered and carried out when the run is ready).

Repeats and prints the medians (after one launch that warms the file cache and writes the bytecode
cache, as a user's installed copy has it), plus the CPU seconds the process had used by its first
paint, which vary less on a busy machine than the wall time.

    python benchmarks/launch_time.py [--runs 5]

Uses the real display when DISPLAY is set (e.g. under Xvfb), else Qt's offscreen platform. Settings
and the autosave folder are a temporary folder's, so the user's own are untouched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from playground.gui.app import end_process, make_application, open_window
app = make_application()
window = open_window()
def report(what, torch=None):
    torch = "torch" in sys.modules if torch is None else torch
    print(f"{what} {time.time():.6f} {time.process_time():.3f} torch={torch}", flush=True)
def done():
    window.experiment.dirty = False
    window.close()
def painted(torch_when_painting):
    report("painted", torch_when_painting)  # the whole first frame has been drawn and flushed by now
    window.actions.start.trigger()  # pressed while PyTorch is still loading
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
            self.seen = True
            QTimer.singleShot(0, lambda torch="torch" in sys.modules: painted(torch))
        return False
probe = FirstPaint()
window.installEventFilter(probe)
window.controller.data_loaded.connect(lambda info: report("ready"))
def on_snapshot(snap):
    if snap.step > 0 and not getattr(on_snapshot, "seen", False):
        on_snapshot.seen = True
        report("trained")
        QTimer.singleShot(0, done)
window.controller.snapshot.connect(on_snapshot)
QTimer.singleShot(100000, done)
end_process(app.exec())
"""


def launch_once(home: str) -> dict[str, float]:
    env = dict(os.environ, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
               XDG_CACHE_HOME=f"{home}/cache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed copy has its bytecode cached
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    started = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=150)
    marks = {}
    for line in out.stdout.splitlines():
        what, when, cpu, torch = line.split()
        marks[what] = float(when) - started
        marks[f"{what}_cpu"] = float(cpu)
        if what == "painted":
            marks["torch_at_paint"] = torch == "torch=True"
    if not {"painted", "ready", "trained"} <= set(marks):
        raise RuntimeError(f"the launch did not get as far as training:\n{out.stdout}\n{out.stderr}")
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="launch-time-") as home:
        launch_once(home)  # warm the file and bytecode caches, as a user's second launch would be
        runs = [launch_once(home) for _ in range(args.runs)]
    where = "X display " + os.environ["DISPLAY"] if os.environ.get("DISPLAY") else "offscreen"
    if any(r["torch_at_paint"] for r in runs):
        print("WARNING: PyTorch was already loaded at the first paint in some runs")

    def line(key: str, what: str, goal: str) -> str:
        values = [r[key] for r in runs]
        return (f"{what}: median {statistics.median(values):.2f} s, min {min(values):.2f} s, "
                f"max {max(values):.2f} s{goal}")

    print(f"{args.runs} launches ({where}), load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("  " + line("painted", "launch -> first paint", " (goal <= 1.5 s)"))
    print("  " + line("ready", "launch -> Start works (the run is loaded)", " (goal <= 2.5 s)"))
    print("  " + line("trained", "launch -> first trained step (Start pressed at the first paint)", ""))
    print("  CPU seconds used by then (both threads; less affected by a busy machine): " + ", ".join(
        f"{what} {statistics.median(r[f'{what}_cpu'] for r in runs):.2f}" for what in ("painted", "ready", "trained")))


if __name__ == "__main__":
    main()
