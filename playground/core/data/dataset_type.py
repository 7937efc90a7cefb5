"""What a dataset declares: its name, the task kind it serves, its help text and its settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.core.params import Param


@dataclass(frozen=True)
class DatasetType:
    """One dataset a preset can name: what it is, which task it serves and its settings.

    ``params`` lists every key allowed in the preset's dataset object except "name";
    ``extra_keys`` are further keys (inline ``x``/``y``) checked by custom code because they are
    data, not settings.
    """

    name: str
    kind: str  # "classification", "regression" or "any" (csv/inline: the task decides)
    title: str
    help: str
    params: tuple[Param, ...]
    extra_keys: tuple[str, ...] = ()

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        return {p.name: (list(p.default) if isinstance(p.default, list) else p.default) for p in self.params}
