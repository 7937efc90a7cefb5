"""Metric records: what the trainer reports after each step, and the run's history of them."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass, fields


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


MAX_RECORDS = 200_000  # per-step records kept in memory; a night-long run is thinned, not unbounded


class History:
    """The records of a run, in order; evaluation records are also kept apart for quick plotting.

    Memory stays bounded: past MAX_RECORDS, every other per-step record older than the most recent
    quarter is dropped (the first record and every evaluation record are always kept), so a long
    run keeps full detail for recent steps and a thinner trace of old ones.
    """

    def __init__(self) -> None:
        self.records: list[MetricRecord] = []
        self.evaluations: list[MetricRecord] = []

    def append(self, record: MetricRecord) -> None:
        self.records.append(record)
        if record.evaluated:
            self.evaluations.append(record)
        if len(self.records) > MAX_RECORDS:
            self._thin()

    def _thin(self) -> None:
        recent = MAX_RECORDS // 4
        old = self.records[1:-recent]
        kept = [r for i, r in enumerate(old) if i % 2 == 0 or r.evaluated]
        self.records = self.records[:1] + kept + self.records[-recent:]

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

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        extra = sorted({k for r in self.records if r.metrics for k in r.metrics})
        writer.writerow(COLUMNS + tuple(extra))
        for record in self.records:
            values = [getattr(record, c) for c in COLUMNS] + [(record.metrics or {}).get(k) for k in extra]
            writer.writerow(["" if v is None else _fmt(v) for v in values])
        return out.getvalue()


def _fmt(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    return repr(value) if math.isfinite(value) else str(value)
