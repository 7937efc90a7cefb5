"""The layer registry: every layer type a user can place, declared once.

Each :class:`LayerType` names its category, help text and parameters (see :mod:`params`), and knows
three things without building anything: the output shape for a per-sample input shape, its
parameter count and its multiply-adds. The palette, property editors, tooltips, the validator, the
summary and the builder all read this table. Shapes are per sample (no batch dimension): ``(F,)``
for feature vectors, ``(C, H, W)`` for images. Building the torch module lives in
:mod:`playground.core.modules` so that importing this file does not import torch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from playground.core.params import BOOL, CHOICE, FLOAT, INT, INT_LIST, Param

Shape = tuple[int, ...]

CATEGORIES = ("Dense", "Convolution", "Pooling", "Normalisation", "Regularisation", "Activation", "Shape",
              "Blocks")


class ShapeError(Exception):
    """A layer cannot take the shape it receives; the message says what it needs."""


@dataclass(frozen=True)
class LayerType:
    name: str
    category: str
    help: str
    params: tuple[Param, ...]
    infer: Callable[[Shape, dict], Shape]
    count_params: Callable[[Shape, dict], int] = lambda shape, p: 0
    count_macs: Callable[[Shape, Shape, dict], int] = lambda shape, out, p: 0
    weights: tuple[str, ...] = ()  # tensors an initialisation can target
    container: bool = False  # Residual holds its own list of layers

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def key_params(self, values: dict) -> str:
        """The few settings worth showing on a block, e.g. 'width 8' or 'k3 s1 p1'."""
        shown = []
        for p in self.params[:3]:
            value = values.get(p.name, p.default)
            if value is None or isinstance(value, bool):  # "stride None", "bias True" say nothing
                continue
            shown.append(f"{p.name.replace('_', ' ')} {value}")
        return ", ".join(shown[:2])


def _shape_text(shape: Shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _need_flat(name: str, shape: Shape) -> None:
    if len(shape) != 1:
        raise ShapeError("needs a flat input (features,); add a Flatten before it")


def _need_image(name: str, shape: Shape) -> None:
    if len(shape) != 3:
        hint = "; add a Reshape before it" if len(shape) == 1 else ""
        raise ShapeError(f"needs an image input (channels, height, width){hint}")


# ---- shared parameter declarations -------------------------------------------------------------
BIAS = Param("bias", BOOL, True, "Add a learned offset to every output.")
KERNEL = Param("kernel_size", INT, 3, "Height and width of the sliding window, in pixels.", minimum=1, maximum=31)
STRIDE = Param("stride", INT, 1, "Step between window positions; 2 halves the height and width.", minimum=1,
               maximum=16)
PADDING = Param("padding", INT, 0, "Zeros added around the border; kernel_size // 2 keeps the size at stride 1.",
                minimum=0, maximum=31)
DILATION = Param("dilation", INT, 1, "Spacing between kernel taps; widens the view without more weights.",
                 minimum=1, maximum=16)
CHANNELS = Param("channels", INT, 8, "Number of output channels (filters).", minimum=1, maximum=4096)
POOL_KERNEL = Param("kernel_size", INT, 2, "Size of the pooling window.", minimum=1, maximum=31)
POOL_STRIDE = Param("stride", INT, None, "Step between windows; empty means the same as kernel_size.", minimum=1,
                    maximum=31, optional=True)
POOL_PADDING = Param("padding", INT, 0, "Padding added on each side; at most half the kernel size.", minimum=0,
                     maximum=15)
AFFINE = Param("affine", BOOL, True, "Learn a scale and shift after normalising.")
EPS = Param("eps", FLOAT, 1e-5, "Small number added to the variance to avoid dividing by zero.", minimum=0,
            maximum=1, exclusive_minimum=True, log_scale=True)
BN_MOMENTUM = Param("momentum", FLOAT, 0.1, "How fast the running mean and variance follow each batch.",
                    minimum=0, maximum=1)


# ---- shape arithmetic --------------------------------------------------------------------------
def _conv_out(size: int, k: int, s: int, p: int, d: int) -> int:
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def _conv2d(shape: Shape, v: dict) -> Shape:
    _need_image("Conv2d", shape)
    c, h, w = shape
    k, s, p, d = v["kernel_size"], v["stride"], v["padding"], v["dilation"]
    oh, ow = _conv_out(h, k, s, p, d), _conv_out(w, k, s, p, d)
    if oh < 1 or ow < 1:
        span = d * (k - 1) + 1
        raise ShapeError(f"a {span}x{span} kernel does not fit a {h}x{w} image with padding {p}")
    return (v["channels"], oh, ow)


def _conv_t2d(shape: Shape, v: dict) -> Shape:
    _need_image("ConvTranspose2d", shape)
    c, h, w = shape
    k, s, p, op, d = v["kernel_size"], v["stride"], v["padding"], v["output_padding"], v["dilation"]
    if op >= max(s, d):
        raise ShapeError(f"output_padding {op} must be smaller than stride {s} or dilation {d}")
    oh = (h - 1) * s - 2 * p + d * (k - 1) + op + 1
    ow = (w - 1) * s - 2 * p + d * (k - 1) + op + 1
    if oh < 1 or ow < 1:
        raise ShapeError(f"padding {p} leaves no output for a {h}x{w} image")
    return (v["channels"], oh, ow)


def _pool(name: str) -> Callable[[Shape, dict], Shape]:
    def infer(shape: Shape, v: dict) -> Shape:
        _need_image(name, shape)
        c, h, w = shape
        k, p = v["kernel_size"], v["padding"]
        s = v["stride"] or k
        if 2 * p > k:
            raise ShapeError(f"padding {p} must be at most half of kernel_size {k}")
        oh, ow = _conv_out(h, k, s, p, 1), _conv_out(w, k, s, p, 1)
        if oh < 1 or ow < 1:
            raise ShapeError(f"a {k}x{k} window does not fit a {h}x{w} image")
        return (c, oh, ow)

    return infer


def _reshape(shape: Shape, v: dict) -> Shape:
    target = list(v["shape"])
    total = math.prod(shape)
    if not target or any(t == 0 or t < -1 for t in target) or target.count(-1) > 1:
        raise ShapeError("the shape needs positive sizes and at most one -1 (meaning 'the rest')")
    known = math.prod(t for t in target if t != -1)
    if -1 in target:
        if total % known:
            raise ShapeError(f"its {total} values do not divide into {target}")
        target[target.index(-1)] = total // known
    if math.prod(target) != total:
        raise ShapeError(f"it holds {total} values and {target} holds {math.prod(target)}")
    return tuple(target)


def _linear(shape: Shape, v: dict) -> Shape:
    _need_flat("Linear", shape)
    return (v["width"],)


def _batchnorm1d(shape: Shape, v: dict) -> Shape:
    _need_flat("BatchNorm1d", shape)
    return shape


def _batchnorm2d(shape: Shape, v: dict) -> Shape:
    _need_image("BatchNorm2d", shape)
    return shape


def _upsample(shape: Shape, v: dict) -> Shape:
    _need_image("Upsample", shape)
    c, h, w = shape
    return (c, h * v["scale_factor"], w * v["scale_factor"])


def _same(shape: Shape, v: dict) -> Shape:
    return shape


def _flatten(shape: Shape, v: dict) -> Shape:
    return (math.prod(shape),)


def _residual(shape: Shape, v: dict) -> Shape:  # the real work happens in shapes.py (it needs the body)
    return shape


# ---- the registry ------------------------------------------------------------------------------
def _activation(name: str, help_text: str, params: tuple[Param, ...] = ()) -> LayerType:
    return LayerType(name, "Activation", help_text, params, _same)


_LAYERS = [
    LayerType(
        "Linear", "Dense",
        "Fully connected layer: every output is a weighted sum of all inputs plus a bias.",
        (Param("width", INT, 8, "Number of outputs (neurons) of this layer.", minimum=1, maximum=65536), BIAS),
        _linear,
        count_params=lambda s, v: s[0] * v["width"] + (v["width"] if v["bias"] else 0),
        count_macs=lambda s, o, v: s[0] * v["width"],
        weights=("weight", "bias"),
    ),
    LayerType(
        "Conv2d", "Convolution",
        "2-D convolution: slides small learned filters over the image; each filter makes one output channel.",
        (CHANNELS, KERNEL, STRIDE, PADDING, DILATION, BIAS),
        _conv2d,
        count_params=lambda s, v: v["channels"] * s[0] * v["kernel_size"] ** 2 + (v["channels"] if v["bias"] else 0),
        count_macs=lambda s, o, v: math.prod(o) * s[0] * v["kernel_size"] ** 2,
        weights=("weight", "bias"),
    ),
    LayerType(
        "ConvTranspose2d", "Convolution",
        "Transposed convolution: the reverse of a strided convolution; makes images larger (decoders, generators).",
        (CHANNELS, KERNEL, STRIDE, PADDING,
         Param("output_padding", INT, 0, "Extra rows and columns added on one side to reach an exact size.",
               minimum=0, maximum=15),
         DILATION, BIAS),
        _conv_t2d,
        count_params=lambda s, v: s[0] * v["channels"] * v["kernel_size"] ** 2 + (v["channels"] if v["bias"] else 0),
        count_macs=lambda s, o, v: math.prod(s) * v["channels"] * v["kernel_size"] ** 2,
        weights=("weight", "bias"),
    ),
    LayerType("MaxPool2d", "Pooling", "Keeps the largest value in each window: shrinks the image, keeps strong "
              "features.", (POOL_KERNEL, POOL_STRIDE, POOL_PADDING), _pool("MaxPool2d")),
    LayerType("AvgPool2d", "Pooling", "Averages each window: shrinks the image smoothly.",
              (POOL_KERNEL, POOL_STRIDE, POOL_PADDING), _pool("AvgPool2d")),
    LayerType(
        "BatchNorm1d", "Normalisation",
        "Normalises each feature over the batch, then scales and shifts it; steadies and speeds up training.",
        (AFFINE, BN_MOMENTUM, EPS), _batchnorm1d,
        count_params=lambda s, v: 2 * s[0] if v["affine"] else 0, weights=("weight", "bias"),
    ),
    LayerType(
        "BatchNorm2d", "Normalisation",
        "Normalises each channel over the batch and the image, then scales and shifts it.",
        (AFFINE, BN_MOMENTUM, EPS), _batchnorm2d,
        count_params=lambda s, v: 2 * s[0] if v["affine"] else 0, weights=("weight", "bias"),
    ),
    LayerType(
        "LayerNorm", "Normalisation",
        "Normalises all values of each sample on its own (no batch statistics), then scales and shifts them.",
        (AFFINE, EPS), _same,
        count_params=lambda s, v: 2 * math.prod(s) if v["affine"] else 0, weights=("weight", "bias"),
    ),
    LayerType(
        "Dropout", "Regularisation",
        "During training, zeroes each value with probability p (and rescales the rest); fights overfitting.",
        (Param("p", FLOAT, 0.5, "Probability that a value is dropped.", minimum=0, maximum=1),), _same,
    ),
    _activation("ReLU", "max(0, x): passes positives, zeroes negatives. The default choice."),
    _activation("LeakyReLU", "Like ReLU but lets a small slope through for negatives, so units never die.",
                (Param("negative_slope", FLOAT, 0.01, "Slope used for negative inputs.", minimum=0, maximum=1),)),
    _activation("ELU", "Smooth ReLU: exponential for negatives, which pushes mean activations towards zero.",
                (Param("alpha", FLOAT, 1.0, "Value approached for very negative inputs (as -alpha).", minimum=0,
                       maximum=10),)),
    _activation("GELU", "Smooth ReLU weighted by the Gaussian CDF; used in transformers."),
    _activation("SiLU", "x * sigmoid(x) (also called Swish): smooth and non-monotonic."),
    _activation("Tanh", "Squashes to (-1, 1); zero-centred. TF Playground's favourite."),
    _activation("Sigmoid", "Squashes to (0, 1); saturates, so deep stacks of it learn slowly."),
    _activation("Softplus", "log(1 + exp(beta x)) / beta: a smooth ReLU.",
                (Param("beta", FLOAT, 1.0, "Sharpness: larger values look more like ReLU.", minimum=0,
                       maximum=100, exclusive_minimum=True),)),
    _activation("Sine", "sin(frequency x): periodic; networks of it (SIRENs) fit fine detail.",
                (Param("frequency", FLOAT, 1.0, "Multiplies the input before the sine.", minimum=0, maximum=100,
                       exclusive_minimum=True),)),
    _activation("Identity", "Passes its input through unchanged (a linear activation)."),
    LayerType("Flatten", "Shape", "Turns an image (channels, height, width) into one flat vector.", (), _flatten),
    LayerType(
        "Reshape", "Shape", "Rearranges the values of each sample into a new shape with the same number of values.",
        (Param("shape", INT_LIST, [-1], "Target shape per sample, e.g. [1, 8, 8]; one -1 means 'the rest'."),),
        _reshape,
    ),
    LayerType(
        "Upsample", "Shape", "Enlarges an image by repeating (nearest) or blending (bilinear) pixels.",
        (Param("scale_factor", INT, 2, "How many times larger each side becomes.", minimum=1, maximum=16),
         Param("mode", CHOICE, "nearest", "How new pixels are filled in.", choices=("nearest", "bilinear"))),
        _upsample,
    ),
    LayerType(
        "Residual", "Blocks",
        "Runs its own layers and adds the block's input to their output (a skip connection). When the shapes "
        "differ, a learned projection (Linear, or a 1x1 convolution) matches them.",
        (), _residual, container=True,
    ),
]

LAYERS: dict[str, LayerType] = {layer.name: layer for layer in _LAYERS}
