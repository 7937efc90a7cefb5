"""Weight initialisations a preset can ask for, per layer and per tensor.

Fixed teaching examples ("every weight 1, every bias 1") need exact starting values; experiments
compare schemes. A layer's ``init`` maps a tensor name (``weight``, ``bias``) to one of these.
"""

from __future__ import annotations

from typing import Any

from playground.core.params import FLOAT, Param, ParamGroup

INITS: dict[str, ParamGroup] = {
    group.name: group
    for group in (
        ParamGroup("default", "PyTorch's default for the layer (scaled uniform)."),
        ParamGroup("zeros", "All zeros. For weights this makes every unit of a layer learn the same thing."),
        ParamGroup("constant", "Every value the same number.",
                   (Param("value", FLOAT, 1.0, "The value of every entry."),)),
        ParamGroup("normal", "Drawn from a normal distribution.",
                   (Param("mean", FLOAT, 0.0, "Mean of the distribution."),
                    Param("std", FLOAT, 0.1, "Standard deviation.", minimum=0))),
        ParamGroup("uniform", "Drawn uniformly between low and high.",
                   (Param("low", FLOAT, -0.1, "Smallest value."), Param("high", FLOAT, 0.1, "Largest value."))),
        ParamGroup("xavier_uniform", "Glorot/Xavier: variance scaled by fan-in and fan-out; suits tanh and "
                   "sigmoid.", (Param("gain", FLOAT, 1.0, "Extra scale factor.", minimum=0),)),
        ParamGroup("kaiming_normal", "He/Kaiming: variance scaled by fan-in for ReLU networks."),
    )
}


def apply_init(tensor: Any, kind: str, values: dict[str, Any]) -> None:
    """Overwrite ``tensor`` in place with the initialisation ``kind`` (validated beforehand)."""
    import torch
    from torch import nn

    with torch.no_grad():
        if kind == "default":
            return
        if kind == "zeros":
            tensor.zero_()
        elif kind == "constant":
            tensor.fill_(values["value"])
        elif kind == "normal":
            tensor.normal_(values["mean"], values["std"])
        elif kind == "uniform":
            tensor.uniform_(values["low"], values["high"])
        elif kind == "xavier_uniform":
            if tensor.dim() < 2:
                raise ValueError("xavier_uniform needs a weight matrix, not a bias vector")
            nn.init.xavier_uniform_(tensor, gain=values["gain"])
        elif kind == "kaiming_normal":
            if tensor.dim() < 2:
                raise ValueError("kaiming_normal needs a weight matrix, not a bias vector")
            nn.init.kaiming_normal_(tensor, nonlinearity="relu")
        else:
            raise KeyError(kind)
