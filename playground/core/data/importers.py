"""Bringing in a student's own points: from a CSV file, or written inline in the preset.

Students make CSV files by hand or in a spreadsheet, so the reader is forgiving about the format
(optional header, ',', ';' or tab separators, quotes, comments, blank lines) and strict about
content: anything it cannot use becomes a :class:`DatasetError` that names the file, the 1-based
line and what is wrong, never a traceback. Inline points are checked the same way but report
problems at their JSON path (``dataset.x[3][1]``). Both end as label texts turned into classes or
regression targets by one shared pair of functions, so the two sources behave alike.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.core.params import FLOAT, Param, Problem, _show, join

MAX_BYTES = 50 * 1024 * 1024
MAX_CLASSES = 50  # more distinct labels than this is almost surely a regression file
_FLOAT32_MAX = float(np.finfo(np.float32).max)
_SEPARATORS = (",", ";", "\t")
_FIELDS = ("x1", "x2", "label")
_MAX_REPORTED = 10  # inline problems listed per key before summarising the rest
_CELL = Param("x", FLOAT, 0.0, "One input value of an inline row.")  # "expected a finite number"


class DatasetError(Exception):
    """A dataset cannot be built; the message says what is wrong and where (file + line for CSV)."""


@dataclass
class CsvPoints:
    """What a CSV file holds: points float64 (n, 2), label texts, and each row's line number."""

    points: np.ndarray
    labels: list[str]
    lines: list[int]
    name: str

    def where(self) -> list[str]:
        """A location per row for error messages, e.g. 'points.csv, line 7'."""
        return [f"{self.name}, line {n}" for n in self.lines]


def parse_number(text: str) -> float | None:
    """The text as a float if it is a finite number that fits in float32, else None."""
    try:
        value = float(text)
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) and abs(value) <= _FLOAT32_MAX else None


def load_points_csv(path: Path) -> tuple[np.ndarray, list[str]]:
    """Read ``x1, x2, label`` rows: returns (points float64 (n, 2), label texts)."""
    data = read_points_csv(path)
    return data.points, data.labels


def read_points_csv(path: Path) -> CsvPoints:
    """Like :func:`load_points_csv` but keeps line numbers so later errors can point at a line."""
    path = Path(path)
    text = _read_text(path)
    name = path.name
    rows = [(i + 1, line) for i, line in enumerate(text.split("\n"))
            if line.strip() and not line.lstrip().startswith("#")]
    if not rows:
        raise DatasetError(f"{name}: the file is empty (expected lines of x1, x2, label)")
    sep = _separator([line for _, line in rows])
    points: list[tuple[float, float]] = []
    labels: list[str] = []
    lines: list[int] = []
    for index, (number, line) in enumerate(rows):
        fields = _split(line, sep, f"{name}, line {number}")
        if len(fields) != 3:
            raise DatasetError(
                f"{name}, line {number}: expected 3 fields (x1, x2, label), got {len(fields)}")
        if index == 0 and _is_header(fields):
            continue
        values = [_number(fields[k], _FIELDS[k], name, number) for k in (0, 1)]
        if not fields[2]:
            raise DatasetError(f"{name}, line {number}: the label is empty")
        points.append((values[0], values[1]))
        labels.append(fields[2])
        lines.append(number)
    if not points:
        raise DatasetError(f"{name}: no data rows, only a header")
    if len(points) < 2:
        raise DatasetError(f"{name}: needs at least 2 data rows, found 1")
    return CsvPoints(np.array(points, dtype=np.float64), labels, lines, name)


def encode_classes(labels: Sequence[str], source: str) -> tuple[np.ndarray, list[str]]:
    """Label texts -> (class indices int64, class names).

    If every label is a number the classes are ordered numerically ("-1" before "1", "2" before
    "10") and named by the text first seen; otherwise they are the distinct texts sorted
    alphabetically. ``source`` (file name or preset path) prefixes error messages.
    """
    numbers = [parse_number(t) for t in labels]
    if all(v is not None for v in numbers):
        first_text: dict[float, str] = {}
        for value, text in zip(numbers, labels, strict=True):
            first_text.setdefault(value, text)  # type: ignore[arg-type]
        keys = sorted(first_text)
        names = [first_text[k] for k in keys]
        index = {k: i for i, k in enumerate(keys)}
        y = [index[v] for v in numbers]  # type: ignore[index]
    else:
        names = sorted(set(labels), key=lambda s: (s.casefold(), s))
        index_s = {k: i for i, k in enumerate(names)}
        y = [index_s[t] for t in labels]
    if len(names) < 2:
        only = repr(names[0]) if names else "none"
        raise DatasetError(f"{source}: classification needs at least two classes, found only {only}")
    if len(names) > MAX_CLASSES:
        raise DatasetError(f"{source}: {len(names)} different labels is too many classes (at most "
                           f"{MAX_CLASSES}); for numeric targets use a regression task")
    return np.array(y, dtype=np.int64), names


def encode_targets(labels: Sequence[str], where: Sequence[str]) -> np.ndarray:
    """Label texts -> regression targets float32 (n, 1); ``where[i]`` locates row i in errors."""
    out = np.empty((len(labels), 1), dtype=np.float32)
    for i, text in enumerate(labels):
        value = parse_number(text)
        if value is None:
            raise DatasetError(f"{where[i]}: regression needs a number as the label, got {text!r}")
        out[i, 0] = value
    return out


def check_inline(data: dict, path: str) -> tuple[dict, list[Problem]]:
    """Check inline ``x`` (rows of finite numbers, all one width) and ``y`` (one label per row,
    all numbers or all non-empty strings). Returns (copies of x and y, problems)."""
    problems: list[Problem] = []
    values: dict = {}
    x, y = data.get("x"), data.get("y")
    px, py = join(path, "x"), join(path, "y")
    for key, where, what in (("x", px, "rows of numbers, e.g. [[0, 1], [1, 0]]"),
                             ("y", py, 'labels, one per row, e.g. [1, -1] or ["cat", "dog"]')):
        item = data.get(key)
        if key not in data:
            problems.append(Problem(where, f"required: a list of {what}"))
        elif not isinstance(item, list) or not item:
            problems.append(Problem(where, f"expected a non-empty list of {what}, got {_show(item)}"))
    if isinstance(x, list) and x:
        values["x"] = [list(r) if isinstance(r, list) else r for r in x]
        problems += _limit(_check_rows(x, px), px)
    if isinstance(y, list) and y:
        values["y"] = list(y)
        problems += _limit(_check_labels(y, py), py)
        if isinstance(x, list) and x and len(x) != len(y):
            problems.append(Problem(py, f"expected {len(x)} labels (one per row of x), got {len(y)}"))
    return values, problems


def inline_points(values: dict) -> tuple[np.ndarray, list[str], list[str]]:
    """Valid inline values -> (points float64 (n, d), label texts, JSON path of each label)."""
    points = np.array(values["x"], dtype=np.float64).reshape(len(values["x"]), -1)
    labels = [v.strip() if isinstance(v, str) else str(v) for v in values["y"]]
    return points, labels, [f"dataset.y[{i}]" for i in range(len(labels))]


def _check_rows(x: list, px: str) -> list[Problem]:
    problems: list[Problem] = []
    width = None
    for i, row in enumerate(x):
        pr = join(px, i)
        if not isinstance(row, list) or not row:
            problems.append(Problem(pr, f"expected a non-empty list of numbers, got {_show(row)}"))
            continue
        if width is None:
            width = len(row)
        elif len(row) != width:
            problems.append(Problem(pr, f"expected {width} numbers like the first row, got {len(row)}"))
        for j, value in enumerate(row):
            problems += _CELL.check(value, join(pr, j))
    return problems


def _check_labels(y: list, py: str) -> list[Problem]:
    problems: list[Problem] = []
    first_is_text = isinstance(y[0], str)
    for i, value in enumerate(y):
        pi = join(py, i)
        if isinstance(value, str):
            if not value.strip():
                problems.append(Problem(pi, "expected a non-empty label"))
            elif not first_is_text:
                problems.append(Problem(pi, f"expected a number like y[0], got {_show(value)}"))
        elif _CELL.check(value, pi):
            problems.append(Problem(pi, f"expected a finite number or a string, got {_show(value)}"))
        elif first_is_text:
            problems.append(Problem(pi, f"expected a string like y[0], got {_show(value)}"))
    return problems


def _limit(problems: list[Problem], path: str) -> list[Problem]:
    """Keep a long list of data problems readable: the first few, then a count."""
    if len(problems) <= _MAX_REPORTED:
        return problems
    rest = len(problems) - _MAX_REPORTED
    return problems[:_MAX_REPORTED] + [Problem(path, f"... and {rest} more problems like these")]


def _read_text(path: Path) -> str:
    """The file as text, refusing missing, huge and binary files with a clear message."""
    try:
        if path.is_dir():
            raise DatasetError(f"{path}: is a folder, not a CSV file")
        if not path.is_file():
            raise DatasetError(f"{path}: file not found")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DatasetError(f"{path.name}: the file is {size / 2**20:.0f} MB; files over "
                               f"{MAX_BYTES // 2**20} MB are refused")
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DatasetError(f"{path.name}, line {line}: not UTF-8 text (is this a binary file?)") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DatasetError(f"{path.name}, line {line}: contains a NUL byte (is this a binary file?)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _separator(lines: list[str]) -> str:
    """The first of ',', ';', tab that every line contains ('1;2;a' files, tab exports); else ','."""
    for sep in _SEPARATORS:
        if all(sep in line for line in lines):
            return sep
    return ","


def _split(line: str, sep: str, where: str) -> list[str]:
    """Fields of one line, honouring double quotes, with whitespace and quotes stripped."""
    try:
        fields = next(csv.reader([line], delimiter=sep), [])
    except csv.Error as exc:
        raise DatasetError(f"{where}: cannot split the line into fields ({exc})") from None
    return [f.strip().strip("\"'").strip() for f in fields]


def _is_header(fields: list[str]) -> bool:
    """A header is a first line whose x1 and x2 fields are both not numbers."""
    return parse_number(fields[0]) is None and parse_number(fields[1]) is None


def _number(text: str, field: str, name: str, line: int) -> float:
    value = parse_number(text)
    if value is not None:
        return value
    try:
        float(text)
    except (ValueError, OverflowError):
        raise DatasetError(f"{name}, line {line}: {field} is not a number: {text!r}") from None
    raise DatasetError(f"{name}, line {line}: {field} is not a finite number (or too large): {text!r}")
