"""Classification and regression on tabular (2-D) data: the loss, the targets and the scores.

Binary problems may use one output (a logit, scored with a sigmoid) or two (softmax), so a
TF-Playground-style single-output network and a textbook two-output one both work.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from playground.core.tasks.catalog import TASKS


class SupervisedTask:
    """Maps network outputs and targets to a loss and metrics for one task."""

    def __init__(self, task: str, loss: str, n_outputs: int, n_classes: int) -> None:
        self.name = task
        self.loss_name = TASKS[task].default_loss if loss == "auto" else loss
        self.n_outputs = n_outputs
        self.n_classes = n_classes
        self.classification = task in ("classification", "image_classification")
        self.single_logit = self.classification and n_outputs == 1

    def targets(self, y: np.ndarray, device: torch.device) -> torch.Tensor:
        """Targets in the form the loss wants, made once per run (not per step)."""
        if not self.classification:
            return torch.as_tensor(y, dtype=torch.float32, device=device).reshape(-1, 1)
        labels = torch.as_tensor(y, dtype=torch.int64, device=device)
        if self.single_logit:
            return labels.to(torch.float32).reshape(-1, 1)
        if self.loss_name == "mse":
            return F.one_hot(labels, self.n_classes).to(torch.float32)
        return labels

    def loss(self, out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if self.classification:
            if self.loss_name == "mse":
                probs = torch.sigmoid(out) if self.single_logit else torch.softmax(out, dim=1)
                return F.mse_loss(probs, target)
            if self.single_logit:
                return F.binary_cross_entropy_with_logits(out, target)
            return F.cross_entropy(out, target)
        if self.loss_name == "l1":
            return F.l1_loss(out, target)
        if self.loss_name == "huber":
            return F.huber_loss(out, target)
        return F.mse_loss(out, target)

    def predict(self, out: torch.Tensor) -> torch.Tensor:
        """Class indices (classification) or values (regression)."""
        if not self.classification:
            return out[:, 0]
        if self.single_logit:
            return (out[:, 0] > 0).to(torch.int64)
        return out.argmax(dim=1)

    def probabilities(self, out: torch.Tensor) -> torch.Tensor:
        """Per-class probabilities (N, k): what a decision-boundary view colours by."""
        if self.single_logit:
            p = torch.sigmoid(out)
            return torch.cat([1 - p, p], dim=1)
        return torch.softmax(out, dim=1)

    def class_labels(self, target: torch.Tensor) -> torch.Tensor:
        if self.single_logit:
            return target[:, 0].to(torch.int64)
        if target.dim() == 2:
            return target.argmax(dim=1)
        return target


def confusion_matrix(true: np.ndarray, pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts[i, j] = examples of class i predicted as class j."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (true.astype(np.int64), pred.astype(np.int64)), 1)
    return counts


def per_class_scores(matrix: np.ndarray) -> dict[str, list[float]]:
    """Precision, recall and F1 per class from a confusion matrix (0 where undefined)."""
    tp = np.diag(matrix).astype(np.float64)
    predicted = matrix.sum(axis=0)
    actual = matrix.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return {"precision": precision.tolist(), "recall": recall.tolist(), "f1": f1.tolist()}


def roc_auc_per_class(true: np.ndarray, probabilities: np.ndarray) -> list[float | None]:
    """One-vs-rest ROC-AUC per class (scikit-learn); None for a class absent from, or alone in, the set."""
    from sklearn.metrics import roc_auc_score

    scores: list[float | None] = []
    for k in range(probabilities.shape[1]):
        positive = true == k
        if positive.all() or not positive.any():
            scores.append(None)
        else:
            scores.append(float(roc_auc_score(positive, probabilities[:, k])))
    return scores
