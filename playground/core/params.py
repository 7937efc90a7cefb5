"""Parameter declarations: the one place where a setting's type, default, range and help live.

Layers, datasets and training options all declare their settings as :class:`Param` objects. The
preset validator checks values against them, the CLI and docs print their help, and the GUI builds
its editors and tooltips from them, so nothing about a setting is written twice.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field, replace
from typing import Any

INT = "int"
FLOAT = "float"
BOOL = "bool"
CHOICE = "choice"
TEXT = "text"
INT_LIST = "int_list"
FEATURES = "features"  # a list of names drawn from ``choices``

KINDS = (INT, FLOAT, BOOL, CHOICE, TEXT, INT_LIST, FEATURES)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where (a JSON path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(frozen=True)
class Param:
    """A single setting.

    ``minimum``/``maximum`` bound numbers (inclusive unless ``exclusive_minimum``), ``choices``
    lists the allowed values of a choice or feature list, ``optional`` lets the value be ``null``
    (meaning "off" or "derive it"), and ``log_scale`` tells editors to use a logarithmic control.
    ``applies_when`` = (name, values) says the setting only matters while the sibling setting ``name``
    has one of ``values`` (editors grey it out otherwise).
    """

    name: str
    kind: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple = ()
    optional: bool = False
    log_scale: bool = False
    unit: str = ""
    applies_when: tuple[str, tuple] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown parameter kind {self.kind!r}")

    def describe_expected(self) -> str:
        """A short phrase for error messages: 'a positive integer', 'one of sgd, adam', ..."""
        if self.kind == BOOL:
            text = "true or false"
        elif self.kind == CHOICE:
            text = "one of " + ", ".join(str(c) for c in self.choices)
        elif self.kind == TEXT:
            text = "a string"
        elif self.kind == INT_LIST:
            text = "a list of integers"
        elif self.kind == FEATURES:
            text = "a non-empty list drawn from " + ", ".join(self.choices)
        else:
            noun = "an integer" if self.kind == INT else "a number"
            text = _range_phrase(noun, self)
        if self.optional:
            text += " or null"
        return text

    def check(self, value: Any, path: str) -> list[Problem]:
        """Problems with ``value`` for this parameter (empty when it is acceptable)."""
        if value is None and self.optional:
            return []
        bad = [Problem(path, f"expected {self.describe_expected()}, got {_show(value)}")]
        if self.kind == BOOL:
            return [] if isinstance(value, bool) else bad
        if self.kind == TEXT:
            return [] if isinstance(value, str) else bad
        if self.kind == CHOICE:
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value in self.choices:
                return []
            return [Problem(path, bad[0].message + did_you_mean(value, self.choices))]
        if self.kind == INT_LIST:
            ok = isinstance(value, list) and all(_is_int(v) for v in value)
            return [] if ok else bad
        if self.kind == FEATURES:
            if not isinstance(value, list) or not value:
                return bad
            problems = []
            for i, v in enumerate(value):
                if v not in self.choices:
                    problems.append(
                        Problem(f"{path}[{i}]", f"expected one of {', '.join(self.choices)}, got {_show(v)}"
                                + did_you_mean(v, self.choices))
                    )
            if len(set(map(str, value))) != len(value):
                problems.append(Problem(path, "each feature may appear once"))
            return problems
        if self.kind == INT and not _is_int(value):
            return bad
        if self.kind == FLOAT and not _is_number(value):
            return bad
        if not _in_range(float(value), self):
            return [Problem(path, f"expected {self._violated_bound(float(value))}, got {_show(value)}")]
        return []

    def _violated_bound(self, v: float) -> str:
        """Name only the bound that was crossed: 'a positive integer' for -4, '<= 50' for 80."""
        noun = "an integer" if self.kind == INT else "a number"
        if not math.isfinite(v):
            return "a finite number"
        if self.maximum is not None and v > self.maximum:
            return f"{noun} <= {_fmt(self.maximum)}"
        return _range_phrase(noun, replace(self, maximum=None))

    def to_json(self) -> dict:
        """The declaration as plain data (for docs, and for editors built elsewhere)."""
        out = {"name": self.name, "kind": self.kind, "default": self.default, "help": self.help}
        for key in ("minimum", "maximum", "unit"):
            if getattr(self, key) not in (None, ""):
                out[key] = getattr(self, key)
        if self.choices:
            out["choices"] = list(self.choices)
        if self.optional:
            out["optional"] = True
        if self.log_scale:
            out["log_scale"] = True
        return out


@dataclass(frozen=True)
class ParamGroup:
    """An ordered set of parameters with a name and help: one layer type, dataset or section."""

    name: str
    help: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def defaults(self) -> dict[str, Any]:
        return {p.name: _copy(p.default) for p in self.params}


def check_object(
    data: Any,
    params: tuple[Param, ...] | list[Param],
    path: str,
    *,
    allowed_extra: tuple[str, ...] = (),
) -> tuple[dict[str, Any], list[Problem]]:
    """Validate a JSON object against declarations; returns (values with defaults filled, problems).

    Unknown keys are problems with a did-you-mean hint; keys in ``allowed_extra`` are left for the
    caller to check and are not copied into the result.
    """
    if not isinstance(data, dict):
        return {}, [Problem(path, f"expected an object, got {_show(data)}")]
    problems: list[Problem] = []
    known = [p.name for p in params]
    for key in data:
        if key not in known and key not in allowed_extra:
            hint = did_you_mean(key, known + list(allowed_extra))
            problems.append(Problem(join(path, key), f"unknown key{hint}"))
    values: dict[str, Any] = {}
    for p in params:
        if p.name in data:
            value = data[p.name]
            found = p.check(value, join(path, p.name))
            problems.extend(found)
            if not found:
                values[p.name] = _normalise(p, value)
        else:
            values[p.name] = _copy(p.default)
    return values, problems


def join(path: str, key: str | int) -> str:
    """Extend a JSON path: ``join('a', 'b') == 'a.b'``, ``join('a', 2) == 'a[2]'``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def did_you_mean(value: Any, options) -> str:
    """`` (did you mean 'adam'?)`` when ``value`` is close to one of ``options``, else ''."""
    if not isinstance(value, str):
        return ""
    words = [str(o) for o in options]
    lowered = {w.lower(): w for w in words}
    if value.lower() in lowered and lowered[value.lower()] != value:
        return f" (did you mean {lowered[value.lower()]!r}?)"
    close = difflib.get_close_matches(value, words, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _normalise(p: Param, value: Any) -> Any:
    if value is None:
        return None
    if p.kind == FLOAT:
        return float(value)
    if p.kind == INT:
        return int(value)
    if p.kind in (INT_LIST, FEATURES):
        return [int(v) for v in value] if p.kind == INT_LIST else list(value)
    return value


def _range_phrase(noun: str, p: Param) -> str:
    lo, hi = p.minimum, p.maximum
    if lo is not None and hi is None:
        if lo == 0 and p.exclusive_minimum:
            return "a positive " + noun.split(" ", 1)[1]
        if lo == 1 and p.kind == INT:
            return "a positive integer"
        if lo == 0:
            return "a non-negative " + noun.split(" ", 1)[1]
        return f"{noun} {'>' if p.exclusive_minimum else '>='} {_fmt(lo)}"
    if lo is not None and hi is not None:
        left = "(" if p.exclusive_minimum else "["
        return f"{noun} in {left}{_fmt(lo)}, {_fmt(hi)}]"
    if hi is not None:
        return f"{noun} <= {_fmt(hi)}"
    return noun if p.kind == INT else "a finite number"


def _in_range(v: float, p: Param) -> bool:
    if not math.isfinite(v):
        return False
    if p.minimum is not None and (v < p.minimum or (p.exclusive_minimum and v == p.minimum)):
        return False
    return not (p.maximum is not None and v > p.maximum)


def _is_int(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return True
    return isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 2**53


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _show(value: Any) -> str:
    """Render a bad value briefly for a message (JSON-like, truncated)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, dict):
        text = "an object"
    elif isinstance(value, list):
        text = "a list" if len(repr(value)) > 40 else repr(value)
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
