"""Classification, image classification and regression: one network, a loss on its outputs, scores.

The task's own part of a run (the loop does the rest): the data (2-D points or images), the network
checked against it, one step (forward, loss with penalties, the loop's update), evaluation (loss and
accuracy on the whole train and test sets, and on request the confusion matrix and per-class
scores), the pictures its views draw (decision surface, unit maps, confusion matrix, misclassified
images, filters, feature maps, forward traces) and its run outputs (the class report).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from playground.core.build import build_network
from playground.core.params import Problem
from playground.core.presets import PresetError
from playground.core.shape_inference import summarize
from playground.core.tasks.catalog import describe_outputs, required_outputs
from playground.core.tasks.classify.metrics import (
    SupervisedTask,
    confusion_matrix,
    per_class_scores,
    roc_auc_per_class,
)
from playground.core.training.task import StepResult, Task

DATA_KINDS = {"regression": "regression", "image_classification": "image"}
SURFACE_GRID = 100  # the decision surface is evaluated on a 100 x 100 grid of the plane


class ClassifyTask(Task):
    """One network scored by cross-entropy (classes) or a regression loss (values)."""

    name = "classification"
    fixed_settings = ("loss",)

    # ---- building --------------------------------------------------------------------------------
    def load_data(self, base_dir: Path | None):
        from playground.core.data import make_dataset

        kind = DATA_KINDS.get(self.preset.task, "classification")
        return make_dataset(self.preset.dataset, seed=self.preset.seed, kind=kind, base_dir=base_dir)

    def build(self) -> None:
        n_out = self._check_outputs()  # before building: the data may have decided the input shape
        self.model = build_network(self.preset.networks["main"].layers, self.data.input_shape,
                                   seed=self.preset.seed).to(self.device)
        self.scoring = SupervisedTask(self.preset.task, self.training["loss"], n_out, self.data.n_classes)
        as_tensor = lambda a: torch.as_tensor(a, dtype=torch.float32, device=self.device)  # noqa: E731
        self.x_train, self.x_test = as_tensor(self.data.x_train), as_tensor(self.data.x_test)
        self.y_train = self.scoring.targets(self.data.y_train, self.device)
        self.y_test = self.scoring.targets(self.data.y_test, self.device)

    @property
    def networks(self) -> dict[str, torch.nn.Module]:
        return {"main": self.model}

    @property
    def classification(self) -> bool:
        return self.scoring.classification

    def _check_outputs(self) -> int:
        """The data decide the number of classes (a CSV file, say); the network must match it."""
        summary = summarize(self.preset.networks["main"].layers, self.data.input_shape)
        if not summary.ok:  # the data file decided the input shape, and a layer cannot take it
            raise PresetError([Problem(r.path, f"{r.type} {r.error}") for r in summary.errors], self.preset.source)
        out = summary.output_shape
        allowed = required_outputs(self.preset.task, self.data.n_classes or None)
        if allowed is not None and (len(out) != 1 or out[0] not in allowed):
            needs = describe_outputs(self.preset.task, self.data.n_classes)
            raise PresetError([Problem("networks.main", f"the network outputs {list(out)} per sample, "
                                       f"but this data needs {needs}")], self.preset.source)
        return out[0]

    # ---- stepping --------------------------------------------------------------------------------
    def training_step(self, learning_rate: float, **request) -> StepResult:
        loop = self.loop
        index = loop.next_indices()
        loss = self.scoring.loss(self.model(loop.augment(self.x_train[index])), self.y_train[index])
        loss = loop.add_penalties(loss)
        value = loss.item()
        loop.check(value)
        loop.optimize(loss)
        return StepResult(value)

    # ---- evaluation ------------------------------------------------------------------------------
    def evaluate(self, detailed: bool = False) -> dict:
        """Loss (and accuracy) on the whole train and test sets in evaluation mode. With
        ``detailed``, also the test confusion matrix and per-class precision, recall, F1 and ROC-AUC."""
        result: dict = {}
        scoring = self.scoring
        with _evaluation_mode(self.model), torch.no_grad():
            for split, x, y in (("train", self.x_train, self.y_train), ("test", self.x_test, self.y_test)):
                out = self.outputs(x)
                result[f"{split}_loss"] = scoring.loss(out, y).item()
                if scoring.classification:
                    pred, true = scoring.predict(out), scoring.class_labels(y)
                    result[f"{split}_accuracy"] = (pred == true).to(torch.float32).mean().item()
                    if detailed and split == "test":
                        matrix = confusion_matrix(true.cpu().numpy(), pred.cpu().numpy(), self.data.n_classes)
                        result["confusion_matrix"] = matrix.tolist()
                        result.update(per_class_scores(matrix))
                        result["class_names"] = list(self.data.class_names)
                        probs = scoring.probabilities(out).cpu().numpy()
                        result["roc_auc"] = roc_auc_per_class(true.cpu().numpy(), probs)
        return result

    def outputs(self, x: torch.Tensor, chunk: int = 2048) -> torch.Tensor:
        """The network's outputs for many inputs, in chunks so large image sets fit in memory."""
        if len(x) <= chunk:
            return self.model(x)
        return torch.cat([self.model(x[i:i + chunk]) for i in range(0, len(x), chunk)])

    def predict_points(self, points: np.ndarray) -> np.ndarray:
        """Network output for raw 2-D points: class probabilities (N, k) or values (N,). Views use it
        for decision boundaries over a grid."""
        x = torch.as_tensor(self.data.transform(np.asarray(points, dtype=np.float32)), device=self.device)
        with _evaluation_mode(self.model), torch.no_grad():
            out = self.model(x)
            result = self.scoring.probabilities(out) if self.scoring.classification else out[:, 0]
        return result.cpu().numpy()

    # ---- views -----------------------------------------------------------------------------------
    @property
    def images(self) -> bool:
        return hasattr(self.data, "for_display")

    def data_view(self) -> dict:
        if not self.images:
            return {}
        from playground.core.image_probes import sample_grid

        return {"samples": sample_grid(self.data)}

    def live_view(self, pictures: bool, detail: bool) -> dict:
        """Image classifiers: the test confusion matrix, misclassified images and first-layer filters
        (``detail``: a full test-set pass). 2-D data: the decision surface and, for small dense networks,
        every unit's map and the link weights (``pictures``)."""
        view: dict = {}
        if self.images:
            if detail:
                from playground.core.image_probes import first_conv_filters, misclassified

                view.update(confusion=self.evaluate(detailed=True)["confusion_matrix"],
                            mistakes=misclassified(self), filters=first_conv_filters(self.model))
            return view
        if pictures:
            from playground.core.colors import surface_image
            from playground.core.inspect_network import link_weights, unit_heatmaps
            from playground.core.tasks.classify.views import decision_grid

            view["neurons"] = unit_heatmaps(self)
            if view["neurons"] is not None:
                view["weights"] = link_weights(self.model)
            grid = decision_grid(self, SURFACE_GRID)
            if grid is not None:
                view["surface"] = surface_image(grid.values) if grid.classification else grid.values.copy()
                view["extent"] = grid.extent
        return view

    def view_request(self, name: str, args=None):
        """"trace": every layer's z and a for one input (the forward-pass inspector); "feature_maps":
        every convolution's output for one image, ``args`` = (split, index)."""
        if name == "trace":
            from playground.core.inspect_network import forward_trace

            return forward_trace(self.model, args)
        if name == "feature_maps":
            from playground.core.image_probes import feature_maps

            split, index = args
            images = self.data.x_train if split == "train" else self.data.x_test
            if not self.images or not 0 <= index < len(images):
                return None
            return (split, index, feature_maps(self, images[index]))
        return super().view_request(name, args)

    # ---- run folders and exports -----------------------------------------------------------------
    def summaries(self) -> list[str]:
        return [str(summarize(self.preset.networks["main"].layers, self.data.input_shape, "main"))]

    def write_outputs(self, folder: Path, final: dict) -> None:
        if self.classification:
            from playground.core.tasks.classify.outputs import write_class_report

            write_class_report(folder, self.evaluate(detailed=True))

    def export_networks(self) -> dict[str, tuple[torch.nn.Module, tuple[int, ...]]]:
        return {"main": (self.model, tuple(self.data.input_shape))}


class _evaluation_mode:  # noqa: N801 - used like contextlib's context managers
    """A network in eval mode (dropout off, batch-norm statistics) for the duration, then as before."""

    def __init__(self, model: torch.nn.Module) -> None:
        self.model = model

    def __enter__(self) -> None:
        self.was_training = self.model.training
        self.model.eval()

    def __exit__(self, *exc) -> None:
        self.model.train(self.was_training)
