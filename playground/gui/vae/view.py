"""VaeView: everything a VAE run shows in the central area, drawn from the core's payloads.

Left, tabs: input vs reconstruction pairs, the traversal grid (one row per latent dimension, most KL
first, columns -3 to 3), the 2-D latent map of the test set (click a point: its image and decoding;
the last two clicks are the ends of the interpolation strip, also settable by number), prior samples
and the loss terms. Right: one slider per latent dimension and the image the sliders' code decodes to.

Requests to the trainer go through ``request`` (the worker answers in :meth:`on_reply`). Slider
drags are coalesced: at most one "decode" is in flight; while it is, only the newest code waits, so
dragging never floods the worker. The slider image, the picked image and the strip are asked for
again when the weights change, so they stay live while training.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from playground.gui.vae.image_grid import LabelledGrid
from playground.gui.vae.latent_map import LatentMap
from playground.gui.vae.loss_terms import LossTerms
from playground.gui.vae.sliders import LatentSliders

STALE_REQUEST_S = 2.0  # a request unanswered this long (the worker was busy failing) no longer blocks new ones
STRIP_STEPS = 9


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def _page(parent: QWidget, text: str, *widgets: QWidget) -> QWidget:
    page = QWidget(parent)
    box = QVBoxLayout(page)
    box.setContentsMargins(8, 6, 8, 4)
    box.addWidget(_hint(text, page))
    for widget in widgets:
        box.addWidget(widget, 1 if not isinstance(widget, QLabel) else 0)
    return page


class VaeView(QWidget):
    """The VAE task's view; see the module docstring."""

    request = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vaeView")
        self._info: dict = {}
        self._in_flight: dict[str, float] = {}  # request name -> when it was sent
        self._waiting: dict[str, object] = {}  # request name -> newest arguments not sent yet
        self._picked: list[int] = []
        self._step = -1
        self._active: int | None = None
        self._build()
        self._clear_views()

    # ---- construction --------------------------------------------------------------------------
    def _build(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setObjectName("vaeTabs")
        self.pairs = LabelledGrid(self)
        self.traversal = LabelledGrid(self)
        self.samples = LabelledGrid(self)
        self.loss_terms = LossTerms(self)
        self.tabs.addTab(_page(self, self.tr("Fixed test images (top) and how the VAE rebuilds them from their "
                                             "latent means (bottom)."), self.pairs), self.tr("Reconstructions"))
        self.tabs.addTab(_page(self, self.tr("Each row changes one latent dimension from -3 to +3 with the others "
                                             "at 0; rows with the most information (KL) first. A row that does "
                                             "not change is an unused dimension."), self.traversal),
                         self.tr("Traversals"))
        self.tabs.addTab(self._build_map_page(), self.tr("Latent map"))
        self.tabs.addTab(_page(self, self.tr("Codes drawn at random from the prior N(0, 1), decoded: what the "
                                             "VAE imagines."), self.samples), self.tr("Samples"))
        self.tabs.addTab(_page(self, self.tr("The loss is reconstruction + KL (the negative ELBO). Reconstruction "
                                             "falls as images get sharper; KL rises as the code carries more "
                                             "information."), self.loss_terms), self.tr("Loss terms"))

        explore = QWidget(self)
        explore.setObjectName("vaeExplore")
        self.decoded = LabelledGrid(explore)
        self.decoded.set_placeholder(self.tr("Train, then drag a slider"))
        self.sliders = LatentSliders(explore)
        self.sliders.code_changed.connect(self._on_code_changed)
        self.zero_button = QPushButton(self.tr("All to 0"), explore)
        self.zero_button.setToolTip(self.tr("Put every slider back to the prior's centre"))
        self.zero_button.clicked.connect(lambda: self.sliders.set_code(np.zeros(self._latent_size(), np.float32)))
        self.status = QLabel(explore)
        self.status.setObjectName("vaeStatus")
        self.status.setWordWrap(True)
        box = QVBoxLayout(explore)
        box.setContentsMargins(6, 6, 6, 4)
        title = QLabel(self.tr("<b>Explore the latent space</b>"), explore)
        box.addWidget(title)
        box.addWidget(_hint(self.tr("Each slider sets one value of the code; the decoder draws the image."),
                            explore))
        box.addWidget(self.decoded, 3)
        box.addWidget(self.sliders, 2)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.zero_button)
        box.addLayout(row)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tabs)
        splitter.addWidget(explore)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _build_map_page(self) -> QWidget:
        page = QWidget(self)
        self.latent_map = LatentMap(page)
        self.latent_map.point_clicked.connect(self._on_point_clicked)
        self.picked = LabelledGrid(page)
        self.picked.set_placeholder(self.tr("Click\na point"))
        self.strip = LabelledGrid(page)
        self.strip.set_placeholder(self.tr("Click two points (or pick two test images) to walk from one to the "
                                           "other through the latent space"))
        self.from_index, self.to_index = QSpinBox(page), QSpinBox(page)
        self.from_index.setObjectName("interpolateFrom")
        self.to_index.setObjectName("interpolateTo")
        for spin in (self.from_index, self.to_index):
            spin.setRange(0, 0)
            spin.setToolTip(self.tr("Number of a test image"))
        self.interpolate_button = QPushButton(self.tr("Interpolate"), page)
        self.interpolate_button.setObjectName("interpolateButton")
        self.interpolate_button.clicked.connect(self._ask_interpolation)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("From test image A"), page))
        controls.addWidget(self.from_index)
        controls.addWidget(QLabel(self.tr("to B"), page))
        controls.addWidget(self.to_index)
        controls.addWidget(self.interpolate_button)
        controls.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.latent_map, 3)
        side = QVBoxLayout()
        side.addWidget(self.picked, 1)
        self.picked_label = _hint("", page)
        side.addWidget(self.picked_label)
        top.addLayout(side, 1)
        box = QVBoxLayout(page)
        box.setContentsMargins(8, 6, 8, 4)
        self.map_hint = _hint(self.tr("Every test image at its latent mean, coloured by label. Click a point to see "
                                      "it and its decoding (the sliders move there too)."), page)
        box.addWidget(self.map_hint)
        box.addLayout(top, 4)
        box.addLayout(controls)
        box.addWidget(self.strip, 1)
        return page

    # ---- the task-view contract ----------------------------------------------------------------
    def set_data(self, info) -> None:
        """A run was loaded (or reset): forget everything drawn; rebuild the sliders."""
        live = info.live or {}
        self._info = dict(live)
        self._in_flight.clear()
        self._waiting.clear()
        self._picked = []
        self._step = -1
        self._active = None
        self.sliders.set_size(int(live.get("latent_size", 0)))
        self.latent_map.set_classes(list(live.get("class_names", [])))
        n_test = max(int(live.get("n_test", 1)) - 1, 0)
        for spin in (self.from_index, self.to_index):
            spin.setRange(0, n_test)
        self.to_index.setValue(min(1, n_test))
        self.loss_terms.clear()
        self.loss_terms.set_run_length(info.total_steps)
        self._clear_views()

    def show_snapshot(self, snap) -> None:
        self.loss_terms.append(snap.steps, snap.step_metrics, snap.evaluations)
        live = snap.live
        if not isinstance(live, dict):
            return
        names = list(live.get("pairs", {}).get("indices", []))
        class_names = self._info.get("class_names", [])
        labels = self._info.get("test_labels", np.zeros(0))
        if "pairs" in live:
            pairs = live["pairs"]
            columns = [str(class_names[int(labels[i])]) if len(labels) > i else str(i) for i in names]
            self.pairs.set_grid(np.stack([pairs["inputs"], pairs["outputs"]]),
                                [self.tr("input"), self.tr("rebuilt")], columns)
        if "traversal" in live:
            t = live["traversal"]
            kl = t.get("kl")
            rows = [f"z{d}" + (f"  KL {kl[k]:.2f}" if kl is not None else "") for k, d in enumerate(t["dims"])]
            self.traversal.set_grid(t["images"], rows, [f"{v:+g}" if v else "0" for v in t["values"]])
        if "kl" in live:
            self.sliders.set_kl(live["kl"])
        if "map" in live:
            m = live["map"]
            self.latent_map.set_points(m["points"], m["labels"], tuple(m["dims"]))
        if "samples" in live:
            samples = live["samples"]
            cols = 8
            rows = len(samples) // cols
            self.samples.set_grid(samples[:rows * cols].reshape(rows, cols, *samples.shape[1:]))
        self._show_status(live)
        if live.get("step") != self._step:  # new weights: what the sliders and picks show is stale
            self._step = live.get("step")
            self._ask("decode", self.sliders.code())
            if self._picked:
                self._ask("encode_index", self._picked[-1])
            if len(self._picked) == 2 or self.strip.images() is not None:
                self._ask_interpolation()

    @Slot(str, object)
    def on_reply(self, name: str, result) -> None:
        self._in_flight.pop(name, None)
        if name == "decode":
            self.decoded.set_grid(np.asarray(result["image"])[None, None])
        elif name == "encode_index":
            self._show_picked(result)
        elif name == "interpolate":
            images = np.asarray(result["images"])
            labels = [""] * len(images)
            labels[0] = self.tr("A #{index}").format(index=result["a"])
            labels[-1] = self.tr("B #{index}").format(index=result["b"])
            self.strip.set_grid(images[None], None, labels)
        if name in self._waiting:  # the newest arguments waited for this answer
            self._send(name, self._waiting.pop(name))

    # ---- requests (coalesced) ------------------------------------------------------------------
    def _ask(self, name: str, args) -> None:
        """Send now, or - while the previous request of this kind is unanswered - keep only the newest."""
        sent = self._in_flight.get(name)
        if sent is not None and time.monotonic() - sent < STALE_REQUEST_S:
            self._waiting[name] = args
            return
        self._send(name, args)

    def _send(self, name: str, args) -> None:
        self._in_flight[name] = time.monotonic()
        payload = args.tolist() if isinstance(args, np.ndarray) else args
        self.request.emit(name, payload)

    # ---- user actions ----------------------------------------------------------------------------
    @Slot(object)
    def _on_code_changed(self, code) -> None:
        self.latent_map.set_code(code)
        if self._latent_size():
            self._ask("decode", code)

    @Slot(int)
    def _on_point_clicked(self, index: int) -> None:
        self._picked = (self._picked + [index])[-2:]
        self.latent_map.set_picked(self._picked)
        self._ask("encode_index", index)
        if len(self._picked) == 2:
            self.from_index.setValue(self._picked[0])
            self.to_index.setValue(self._picked[1])
            self._ask_interpolation()
        else:
            self.from_index.setValue(index)

    @Slot()
    def _ask_interpolation(self) -> None:
        if not self._latent_size():
            return
        self._ask("interpolate", (self.from_index.value(), self.to_index.value(), STRIP_STEPS))

    def _show_picked(self, result: dict) -> None:
        image, decoded = np.asarray(result["image"]), np.asarray(result["decoded"])
        self.picked.set_grid(np.stack([image, decoded])[None], None, [self.tr("image"), self.tr("decoded")])
        mean = ", ".join(f"{v:+.2f}" for v in np.asarray(result["mean"])[:8])
        more = ", …" if len(result["mean"]) > 8 else ""
        self.picked_label.setText(self.tr("Test image #{index} ({name}); latent mean ({mean}{more})").format(
            index=result["index"], name=result["class_name"], mean=mean, more=more))
        if self._picked and result["index"] == self._picked[-1]:
            self.sliders.set_code(result["mean"])

    # ---- helpers ---------------------------------------------------------------------------------
    def _latent_size(self) -> int:
        return int(self._info.get("latent_size", 0))

    def _show_status(self, live: dict) -> None:
        parts = [self.tr("Step {step}").format(step=f"{live.get('step', 0):,}"),
                 self.tr("β {beta}").format(beta=f"{live.get('beta', 0):.3g}")]
        if "active_units" in live:  # detailed snapshots only: remembered for the ones between
            self._active = live["active_units"]
        if self._active is not None:
            parts.append(self.tr("{active} of {size} latent dimensions in use").format(
                active=self._active, size=self._latent_size()))
        self.status.setText(" · ".join(parts))

    def _clear_views(self) -> None:
        for grid in (self.pairs, self.traversal, self.samples, self.decoded, self.picked, self.strip):
            grid.clear()
        for grid in (self.pairs, self.traversal, self.samples):
            grid.set_placeholder(self.tr("Waiting for the first snapshot…"))
        self.decoded.set_placeholder(self.tr("Train, then drag a slider"))
        self.picked.set_placeholder(self.tr("Click\na point"))
        self.strip.set_placeholder(self.tr("Click two points to walk from one to the other"))
        self.picked_label.setText("")
        self.status.setText("")
