"""Shape inference and the model summary, computed from declarations alone (no torch, no training).

:func:`summarize` walks a network's layers from its input shape. Every layer gets its output shape,
parameter count and multiply-adds; the first layer that cannot take its input gets an error naming
it, its position, the shape it received and what it needs, and every layer after it is marked
unknown. Nothing raises: the editor calls this on every keystroke.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from playground.core.layers import LAYERS, Shape, ShapeError, _shape_text
from playground.core.spec import LayerSpec


@dataclass
class LayerRow:
    """One line of the summary. ``path`` is the JSON path of the layer in the preset."""

    path: str
    position: str  # "3", or "4.1" for the second layer inside the Residual block at index 4
    depth: int
    type: str
    input_shape: Shape | None
    output_shape: Shape | None  # None when unknown (this layer or one before it failed)
    params: int = 0
    trainable: int = 0
    macs: int = 0
    error: str | None = None
    detail: str = ""  # e.g. "+ projection" for a Residual that needs one

    @property
    def shape_text(self) -> str:
        if self.error:
            return "error"
        return "?" if self.output_shape is None else _shape_text(self.output_shape)


@dataclass
class Summary:
    """Keras/torchinfo-style summary of one network: rows plus totals. The CLI prints it with
    ``str()``; the GUI renders ``rows``."""

    network: str
    input_shape: Shape
    rows: list[LayerRow] = field(default_factory=list)

    @property
    def total_params(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def trainable_params(self) -> int:
        return sum(r.trainable for r in self.rows)

    @property
    def total_macs(self) -> int:
        return sum(r.macs for r in self.rows)

    @property
    def errors(self) -> list[LayerRow]:
        return [r for r in self.rows if r.error]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def output_shape(self) -> Shape | None:
        if not self.ok:
            return None
        top = [r for r in self.rows if r.depth == 0]
        return top[-1].output_shape if top else self.input_shape

    def error_messages(self) -> list[str]:
        return [f"{r.path} ({r.type}): {r.error}" for r in self.errors]

    def to_dict(self) -> dict:
        return {
            "network": self.network,
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape) if self.output_shape else None,
            "layers": [
                {"position": r.position, "type": r.type, "output_shape": list(r.output_shape)
                 if r.output_shape else None, "params": r.params, "trainable": r.trainable, "macs": r.macs,
                 "error": r.error}
                for r in self.rows
            ],
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "total_macs": self.total_macs,
        }

    def __str__(self) -> str:
        head = ("Layer", "Output shape", "Params", "Trainable", "Mult-adds")
        lines = [("input", _shape_text(self.input_shape), "", "", "")]
        for r in self.rows:
            label = "  " * r.depth + f"{r.position} {r.type}" + (f" {r.detail}" if r.detail else "")
            lines.append((label, r.shape_text, f"{r.params:,}", f"{r.trainable:,}", f"{r.macs:,}"))
        widths = [max(len(row[i]) for row in [head, *lines]) for i in range(5)]
        rule = "-" * (sum(widths) + 8)

        def fmt(row: tuple[str, ...]) -> str:
            cells = zip(row, widths, strict=True)
            return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(cells))

        out = [f"Network '{self.network}'", rule, fmt(head), rule, *map(fmt, lines), rule]
        out.append(f"Total params: {self.total_params:,}   Trainable: {self.trainable_params:,}   "
                   f"Mult-adds: {self.total_macs:,}")
        for message in self.error_messages():
            out.append(f"error: {message}")
        return "\n".join(out)


def summarize(layers: list[LayerSpec], input_shape: Shape, network: str = "main") -> Summary:
    """Infer every layer's output shape, parameters and multiply-adds; never raises."""
    summary = Summary(network, tuple(input_shape))
    _walk(layers, tuple(input_shape), f"networks.{network}.layers", "", 0, summary.rows)
    return summary


def _walk(layers: list[LayerSpec], shape: Shape | None, json_path: str, prefix: str, depth: int,
          rows: list[LayerRow]) -> Shape | None:
    for i, spec in enumerate(layers):
        path = f"{json_path}[{i}]"
        row = LayerRow(path, f"{prefix}{i}", depth, spec.type, shape, None)
        rows.append(row)
        layer_type = LAYERS.get(spec.type)
        if layer_type is None:  # the validator catches this; stay total anyway
            row.error = f"unknown layer type {spec.type!r}"
            shape = None
            continue
        if layer_type.container:
            shape = _residual(spec, shape, path, row, depth, rows)
            continue
        if shape is None:
            continue
        try:
            out = layer_type.infer(shape, spec.params)
        except ShapeError as exc:
            row.error = f"receives {_shape_text(shape)}, but {exc}"
            shape = None
            continue
        row.output_shape = out
        row.params = row.trainable = layer_type.count_params(shape, spec.params)
        row.macs = layer_type.count_macs(shape, out, spec.params)
        shape = out
    return shape


def _residual(spec: LayerSpec, shape: Shape | None, path: str, row: LayerRow, depth: int,
              rows: list[LayerRow]) -> Shape | None:
    """Walk the block's body, then decide on identity skip or projection."""
    body_out = _walk(spec.layers, shape, f"{path}.layers", f"{row.position}.", depth + 1, rows)
    if shape is None or body_out is None:
        return None
    if body_out == shape:
        row.output_shape = shape
        return shape
    try:
        params, macs, detail = projection_cost(shape, body_out)
    except ShapeError as exc:
        row.error = str(exc)
        return None
    row.output_shape = body_out
    row.params = row.trainable = params
    row.macs = macs
    row.detail = detail
    return body_out


def projection_cost(shape: Shape, out: Shape) -> tuple[int, int, str]:
    """Parameters and multiply-adds of the learned projection a Residual block needs from ``shape``
    to ``out``, or ShapeError when no projection can make them match."""
    if len(shape) == 1 and len(out) == 1:
        return shape[0] * out[0] + out[0], shape[0] * out[0], "+ Linear projection"
    if len(shape) == 3 and len(out) == 3:
        stride = projection_stride(shape, out)
        if stride is not None:
            c_in, c_out = shape[0], out[0]
            return c_in * c_out + c_out, c_in * c_out * out[1] * out[2], "+ 1x1 conv projection"
    raise ShapeError(
        f"receives {_shape_text(shape)}, but its layers turn that into {_shape_text(out)}; a skip connection "
        "can only add the two when both are flat, or both are images whose size shrinks by a whole factor"
    )


def projection_stride(shape: Shape, out: Shape) -> int | None:
    """The stride of a 1x1 convolution that maps an image of ``shape`` to the size of ``out``."""
    h, w = shape[1], shape[2]
    oh, ow = out[1], out[2]
    for stride in range(1, max(h, w) + 1):
        if math.ceil(h / stride) == oh and math.ceil(w / stride) == ow:
            return stride
    return None
