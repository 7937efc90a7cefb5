"""Throw thousands of generated presets at the loader and count what happens.

Each case is a valid preset with one part replaced by random JSON (wrong types, huge and negative
numbers, NaN, deep nesting, unicode), or a wholly random document. Every case must either load or
raise PresetError naming where the problem is; anything else is a bug and is printed.

    python benchmarks/fuzz_presets.py [--examples 10000]
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
    args = parser.parse_args()
    outcomes: collections.Counter = collections.Counter()
    crashes: list[str] = []

    @settings(max_examples=args.examples, deadline=None, database=None,
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


if __name__ == "__main__":
    main()
