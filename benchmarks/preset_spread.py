"""Train bundled presets over several seeds and torch thread counts and print how far each stays from its target.

    python benchmarks/preset_spread.py [--presets NAME ...] [--seeds 1 2 3 4 5] [--threads 1 2]
                                       [--capabilities native avx2] [--jobs 2] [--json out.json]
                                       [--load earlier.json ...]

Every run is its own ``nn-playground train PRESET --seed S --threads N --quiet`` subprocess, so the thread
count is clean, and so are the kernels with --capabilities: avx2 (or default) runs as a CPU with only
those vector instructions would, capping PyTorch's own kernels (ATEN_CPU_CAPABILITY), oneDNN's
(ONEDNN_MAX_CPU_ISA) and MKL's (MKL_ENABLE_INSTRUCTIONS); any other value sets ATEN_CPU_CAPABILITY. --jobs
runs that many at once (numerics do not depend on how busy the machine is, only the seconds do; idle
OpenMP threads sleep, OMP_WAIT_POLICY=PASSIVE, so a 2-thread run does not spin against the other job).

Per preset it prints the target, the min, mean and max of the target metric over all runs, the spread
(max - min), the margin of the worst run to the target (positive: the target holds) and a verdict:
OK when the worst run beats the target by more than the spread, so one more seed, thread count or CPU is
unlikely to miss it; TIGHT when every run meets the target but by no more than the spread; FAIL when
a run misses it (or does not finish). For the GAN mode presets a run counts only if it also covers every
mode. --json writes every run (a list of the CLI's JSON lines with seed, threads and capability added)
and --load reads such files back, so the table can combine several sessions; runs already loaded are not
trained again.

Presets are trained in this order: the quick ones first, then gan-moons, then the long GANs (about two
minutes per run each on one thread).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playground.core.presets import bundled_presets, load_preset  # noqa: E402

LONG_GANS = ("gan-ring8", "gan-grid25", "gan-digits")
NATIVE = "native"
# what a CPU with only these vector instructions would run: PyTorch's own kernels, oneDNN's and MKL's
EMULATED = {"avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"},
            "default": {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41",
                        "MKL_ENABLE_INSTRUCTIONS": "SSE4_2"}}


def ordered(names: list[str]) -> list[str]:
    """Quick presets first, then the GANs in rising cost (gan-moons, then the long ones)."""
    def cost(name: str) -> int:
        if name in LONG_GANS:
            return 2
        return 1 if load_preset(name).task == "gan" else 0
    return sorted(names, key=lambda name: (cost(name), names.index(name)))


def train(name: str, seed: int, threads: int, capability: str) -> dict:
    """One CLI run; its JSON line with seed, threads and capability added (status 'error' if it failed)."""
    env = dict(os.environ)
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle threads sleep: same results, no spinning on a busy machine
    if capability != NATIVE:
        env.update(EMULATED.get(capability, {"ATEN_CPU_CAPABILITY": capability}))
    command = [sys.executable, "-m", "playground", "train", name, "--seed", str(seed), "--threads", str(threads),
               "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    row = json.loads(lines[-1]) if lines else {"status": "error"}
    if done.returncode != 0:
        row["status"] = "error" if row.get("status") in (None, "finished") else row["status"]
        row["error"] = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
    row.update(preset=name, seed=seed, threads=threads, capability=capability,
               wall_seconds=round(time.perf_counter() - started, 1))
    return row


def key(row: dict) -> tuple:
    return row["preset"], row["seed"], row["threads"], row.get("capability", NATIVE)


def value_of(row: dict, metric: str) -> float | None:
    """The target metric of a finished run, or None when it did not finish (or missed a mode)."""
    if row.get("status") != "finished" or row.get(metric) is None:
        return None
    if "modes_covered" in row and row.get("modes_total") and row["modes_covered"] < row["modes_total"]:
        return None
    return float(row[metric])


def summary(name: str, rows: list[dict]) -> dict:
    target = load_preset(name).target
    metric = target["metric"]
    upward = target["at_least"] is not None
    bound = target["at_least"] if upward else target["at_most"]
    values = [value_of(row, metric) for row in rows]
    got = [v for v in values if v is not None]
    result = {"preset": name, "metric": metric, "target": f"{'>=' if upward else '<='} {bound:g}", "runs": len(rows),
              "failed_runs": len(values) - len(got),
              "seconds": round(statistics.mean(r.get("seconds") or 0 for r in rows), 1)}
    if "modes_covered" in rows[0]:
        result["modes"] = f"{min(r.get('modes_covered') or 0 for r in rows)}/{rows[0].get('modes_total')}"
    if not got:
        return {**result, "verdict": "FAIL"}
    worst = min(got) if upward else max(got)
    spread = max(got) - min(got)
    margin = worst - bound if upward else bound - worst
    verdict = "FAIL" if len(got) < len(values) or margin < 0 else ("OK" if margin > spread else "TIGHT")
    worst_row = rows[values.index(worst)]
    return {**result, "min": min(got), "mean": statistics.mean(got), "max": max(got), "spread": spread,
            "margin": margin, "verdict": verdict,
            "worst_run": f"seed {worst_row['seed']} threads {worst_row['threads']}"
                         + ("" if worst_row.get("capability", NATIVE) == NATIVE else f" {worst_row['capability']}")}


def print_table(summaries: list[dict]) -> None:
    def figure(value) -> str:
        return "-" if value is None else f"{value:.4g}"
    header = ("preset", "metric", "target", "runs", "min", "mean", "max", "spread", "margin", "verdict", "worst run",
              "s/run")
    rows = [(s["preset"], s["metric"], s["target"], str(s["runs"]) + (f" ({s['failed_runs']} failed)" if
             s["failed_runs"] else ""), figure(s.get("min")), figure(s.get("mean")), figure(s.get("max")),
             figure(s.get("spread")), figure(s.get("margin")),
             s["verdict"] + (f" (modes >= {s['modes']})" if "modes" in s else ""), s.get("worst_run", "-"),
             f"{s['seconds']:.1f}") for s in summaries]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+", default=None, help="bundled preset names (default: all)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--capabilities", nargs="+", default=[NATIVE],
                        help="kernels to run with: native (this CPU's own), avx2 or default (as a CPU with only those "
                        "instructions would)")
    parser.add_argument("--jobs", type=int, default=1, help="runs at once (default 1)")
    parser.add_argument("--json", metavar="OUT", help="write every run here (updated after each run)")
    parser.add_argument("--load", metavar="FILE", nargs="+", default=[], help="runs from earlier --json files")
    args = parser.parse_args()

    known = bundled_presets()
    names = args.presets or list(known)
    unknown = [name for name in names if name not in known]
    if unknown:
        parser.error(f"not bundled presets: {', '.join(unknown)}")
    names = ordered(names)
    runs: dict[tuple, dict] = {}
    for path in args.load:
        for row in json.loads(Path(path).read_text()):
            runs[key(row)] = row
    wanted = [(name, seed, threads, capability) for name in names for threads in args.threads
              for capability in args.capabilities for seed in args.seeds]
    todo = [run for run in wanted if run not in runs]
    print(f"{len(todo)} runs to train ({len(wanted) - len(todo)} loaded), {args.jobs} at a time", file=sys.stderr)

    def record(row: dict) -> None:
        runs[key(row)] = row
        print(json.dumps({k: row.get(k) for k in ("preset", "seed", "threads", "capability", "status",
                                                  load_preset(row["preset"]).target["metric"], "seconds")}),
              file=sys.stderr, flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps(list(runs.values()), indent=1) + "\n")

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for future in as_completed([pool.submit(train, *run) for run in todo]):
            record(future.result())
    summaries = []
    for name in names:
        rows = [runs[run] for run in wanted if run[0] == name]
        summaries.append(summary(name, rows))
    print(f"seeds {' '.join(map(str, args.seeds))} x threads {' '.join(map(str, args.threads))}"
          + ("" if args.capabilities == [NATIVE] else f" x capabilities {' '.join(args.capabilities)}"))
    print_table(summaries)
    return 0 if all(s["verdict"] == "OK" for s in summaries) else 1


if __name__ == "__main__":
    sys.exit(main())
