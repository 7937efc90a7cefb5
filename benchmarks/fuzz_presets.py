"""Throw thousands of generated presets at the loader and count what happens.

Each case is a valid preset with one part replaced by random JSON (wrong types, huge and negative
numbers, NaN, deep nesting, unicode), or a wholly random document. Every case must either load or
raise PresetError naming where the problem is; anything else is a bug and is printed.

Then the same for imported files: random CSV text, random bytes as an .npz and as pictures in an
image folder; each must load or raise DatasetError naming the file.

    python benchmarks/fuzz_presets.py [--examples 10000] [--files 10000]
"""

from __future__ import annotations

import argparse
import collections
import copy
import traceback

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.presets import PresetError, load_preset, parse_preset

BASE = load_preset("spiral-deep").to_json()
EXAMPLES = {"files": 1000}
PATHS = [(), ("seed",), ("task",), ("dataset",), ("dataset", "name"), ("dataset", "noise"), ("dataset", "features"),
         ("training",), ("training", "optimizer"), ("training", "scheduler"), ("training", "batch_size"),
         ("training", "learning_rate"), ("networks",), ("networks", "main"), ("networks", "main", "layers"),
         ("networks", "main", "layers", 0), ("networks", "main", "layers", 0, "width"),
         ("networks", "main", "layers", 1, "type"), ("networks", "main", "layers", 0, "init"), ("format",),
         ("description",), ("target",)]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=30,
)


def mutate(path: tuple, value):
    if not path:
        return value
    doc = copy.deepcopy(BASE)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=10_000, help="generated files of each kind")
    args = parser.parse_args()
    fuzz_presets(args.examples)
    fuzz_files(args.files)


def fuzz_presets(examples: int) -> None:
    outcomes: collections.Counter = collections.Counter()
    crashes: list[str] = []

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(PATHS), JSON)
    def case(path, value):
        try:
            parse_preset(mutate(path, value))
            outcomes["loaded"] += 1
        except PresetError as exc:
            named = all(p.message for p in exc.problems)
            outcomes["refused with a path-named message" if named else "refused without a message"] += 1
        except Exception:  # noqa: BLE001 - this is what the benchmark hunts for
            outcomes["uncaught exception"] += 1
            crashes.append(traceback.format_exc())

    case()
    total = sum(outcomes.values())
    print(f"{total} generated presets")
    for outcome, count in outcomes.most_common():
        print(f"  {outcome}: {count}")
    for crash in crashes[:3]:
        print(crash)


def fuzz_files(examples: int) -> None:
    import tempfile
    from pathlib import Path

    from playground.core.data import check_dataset

    EXAMPLES["files"] = examples
    folder = Path(tempfile.mkdtemp())
    for label in ("a", "b"):
        (folder / "pics" / label).mkdir(parents=True)
    cases = {
        "csv": (st.text(max_size=300), lambda data: (folder / "p.csv").write_text(data),
                {"name": "csv", "path": "p.csv"}, "classification"),
        "npz": (st.binary(max_size=3000), lambda data: (folder / "x.npz").write_bytes(data),
                {"name": "npz", "path": "x.npz"}, "image"),
        "image": (st.binary(max_size=3000), lambda data: [(folder / "pics" / k / "i.png").write_bytes(data)
                                                          for k in ("a", "b")],
                  {"name": "image-folder", "path": "pics", "size": 8}, "image"),
    }
    for kind, (strategy, write, spec, task) in cases.items():
        values, _ = check_dataset(spec)
        outcomes = _fuzz_one(strategy, write, values, task, folder)
        print(f"{sum(outcomes.values())} generated {kind} files")
        for outcome, count in outcomes.most_common():
            print(f"  {outcome}: {count}")


def _fuzz_one(strategy, write, values: dict, task: str, folder) -> collections.Counter:
    from playground.core.data import DatasetError, make_dataset

    outcomes: collections.Counter = collections.Counter()

    @settings(max_examples=EXAMPLES["files"], deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def case(data):
        write(data)
        try:
            make_dataset(values, seed=0, kind=task, base_dir=folder)
            outcomes["loaded"] += 1
        except DatasetError:
            outcomes["refused with a message naming the file"] += 1
        except Exception:  # noqa: BLE001 - what the benchmark hunts for
            outcomes["uncaught exception"] += 1
            print(traceback.format_exc())

    case()
    return outcomes


if __name__ == "__main__":
    main()
