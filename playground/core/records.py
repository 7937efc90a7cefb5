"""Metric records: what the trainer reports after each step, and the run's history of them."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass, fields

import numpy as np


@dataclass(slots=True)
class MetricRecord:
    """One optimisation step. The evaluation fields are filled on evaluation steps only (every
    ``training.eval_every`` steps and at the end of a run); elsewhere they are None."""

    step: int  # steps done so far, counting this one
    epoch: float  # passes over the training set so far (fractional)
    batch_loss: float  # loss of this step's batch, penalties included
    learning_rate: float
    samples_per_s: float
    train_loss: float | None = None  # whole training set, evaluation mode
    test_loss: float | None = None
    train_accuracy: float | None = None  # classification only
    test_accuracy: float | None = None
    # task-specific figures by name: a GAN's d_loss, g_loss, d_real, d_fake, modes_covered...; a VAE's
    # reconstruction and kl terms. Per-step ones on every record, evaluation ones on evaluation records.
    metrics: dict[str, float] | None = None

    @property
    def evaluated(self) -> bool:
        return self.test_loss is not None

    def to_dict(self) -> dict:
        out = asdict(self)
        if out["metrics"] is None:
            del out["metrics"]
        return out


COLUMNS = tuple(f.name for f in fields(MetricRecord) if f.name != "metrics")
OPTIONAL = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


MAX_RECORDS = 100_000  # per-step records kept in memory (about 25 MB); a night-long run is thinned
MAX_EVALUATIONS = 20_000  # evaluation records kept


class History:
    """The records of a run, in order; evaluation records are also kept apart for quick plotting.

    Memory stays bounded: past MAX_RECORDS, every other per-step record older than the most recent
    quarter is dropped (the first record and the kept evaluation records stay), so a long run keeps
    full detail for recent steps and a thinner trace of old ones. Evaluations are thinned the same
    way past MAX_EVALUATIONS, so even a run of hundreds of millions of steps stays bounded.
    """

    def __init__(self) -> None:
        self.records: list[MetricRecord] = []
        self.evaluations: list[MetricRecord] = []

    def append(self, record: MetricRecord) -> None:
        self.records.append(record)
        if record.evaluated:
            self.evaluations.append(record)
            if len(self.evaluations) > MAX_EVALUATIONS:
                self.evaluations = _thinned(self.evaluations, MAX_EVALUATIONS // 4)
                self._thin()  # drop the evaluation records no longer kept
        if len(self.records) > MAX_RECORDS:
            self._thin()

    def _thin(self) -> None:
        kept = {id(r) for r in self.evaluations}
        self.records = _thinned(self.records, MAX_RECORDS // 4, kept)

    def clear(self) -> None:
        self.records.clear()
        self.evaluations.clear()

    def truncate(self, steps: int) -> None:
        """Forget records after ``steps`` (weights were rolled back to that step)."""
        self.records = [r for r in self.records if r.step <= steps]
        self.evaluations = [r for r in self.evaluations if r.step <= steps]

    def __len__(self) -> int:
        return len(self.records)

    def last_evaluation(self) -> MetricRecord | None:
        return self.evaluations[-1] if self.evaluations else None

    def to_columns(self) -> dict[str, np.ndarray]:
        """The records as flat arrays (sessions store them in safetensors: compact, and written in
        milliseconds even for 100,000 records). Optional values carry a presence mask."""
        records = self.records
        columns: dict[str, np.ndarray] = {"step": np.array([r.step for r in records], dtype=np.int64)}
        for name in COLUMNS[1:]:
            values = [getattr(r, name) for r in records]
            columns[name] = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
            if name in OPTIONAL:
                columns[f"has.{name}"] = np.array([v is not None for v in values], dtype=np.uint8)
        for key in sorted({k for r in records if r.metrics for k in r.metrics}):
            values = [(r.metrics or {}).get(key) for r in records]
            columns[f"metric.{key}"] = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
            columns[f"has.metric.{key}"] = np.array([v is not None for v in values], dtype=np.uint8)
        return columns

    def load_columns(self, columns: dict[str, np.ndarray]) -> None:
        """Replace the records by those of :meth:`to_columns` (ValueError if the columns disagree)."""
        n = len(columns.get("step", ()))
        if any(len(v) != n for v in columns.values()):
            raise ValueError("the saved history's columns differ in length")
        metric_names = [k[len("metric."):] for k in columns if k.startswith("metric.")]
        self.clear()
        lists = {k: v.tolist() for k, v in columns.items()}
        for i in range(n):
            values = {name: (lists[name][i] if name not in OPTIONAL or lists[f"has.{name}"][i] else None)
                      for name in COLUMNS[1:]}
            metrics = {k: lists[f"metric.{k}"][i] for k in metric_names if lists[f"has.metric.{k}"][i]}
            self.append(MetricRecord(int(lists["step"][i]), **values, metrics=metrics or None))

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        extra = sorted({k for r in self.records if r.metrics for k in r.metrics})
        writer.writerow(COLUMNS + tuple(extra))
        for record in self.records:
            values = [getattr(record, c) for c in COLUMNS] + [(record.metrics or {}).get(k) for k in extra]
            writer.writerow(["" if v is None else _fmt(v) for v in values])
        return out.getvalue()


def _thinned(items: list[MetricRecord], recent: int, keep: set[int] | None = None) -> list[MetricRecord]:
    """The first item, every other older one, and the ``recent`` last ones. With ``keep`` (the ids
    of the evaluation records still kept), older evaluation records stay exactly when kept."""
    if len(items) <= recent + 1:
        return items
    old = items[1:-recent]
    if keep is None:
        middle = old[::2]
    else:
        middle = [r for i, r in enumerate(old) if (id(r) in keep if r.evaluated else i % 2 == 0)]
    return items[:1] + middle + items[-recent:]


def _fmt(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    return repr(value) if math.isfinite(value) else str(value)
