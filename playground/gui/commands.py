"""The commands the GUI thread sends the training worker: one small dataclass each.

The controller numbers every command (``seq``) as it posts it; the worker carries them out in that
order and stamps every report with the number of the last one it has carried out
(``Snapshot.answers``), so the window can tell a report that already reflects its latest command from
a late one that does not. ``changes_state`` marks the commands whose answer decides whether the run is
running, where it stands and what status it has; the worker answers each of them with a snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass
class Command:
    seq: int = field(default=0, init=False)
    changes_state: ClassVar[bool] = True


@dataclass
class Load(Command):
    """Build a new run of ``preset`` (a copy: later edits do not reach the worker)."""

    preset: object
    run_id: int


@dataclass
class LoadSession(Command):
    """Replace the run by a saved session in ``folder``."""

    folder: str
    run_id: int


@dataclass
class Start(Command):
    """Train until the run is complete or another command arrives that stops it."""


@dataclass
class Pause(Command):
    """Stop training after the current step and report the true step at once."""


@dataclass
class Step(Command):
    """Train exactly one step (pausing first if running)."""


@dataclass
class Reset(Command):
    """Back to step 0 with the same initial weights; the run gets a new id."""

    run_id: int


@dataclass
class UpdateTraining(Command):
    """Apply an edited training section between steps."""

    training: dict


@dataclass
class ViewRequest(Command):
    """Ask the task's ``view_request(name, args)`` (decode a code, trace an input, train D one step...)."""

    name: str
    args: object = None
    changes_state: ClassVar[bool] = False  # a stepping request is answered with a snapshot all the same


@dataclass
class ExportFormat(Command):
    """Export one network in one format (see playground.core.export_formats.FORMATS)."""

    format: str
    path: str
    network: str | None = None
    changes_state: ClassVar[bool] = False


@dataclass
class ExportRun(Command):
    """Write the run folder (metrics, preset, weights, session, the task's files)."""

    folder: str
    changes_state: ClassVar[bool] = False


@dataclass
class SaveSession(Command):
    folder: str
    changes_state: ClassVar[bool] = False


@dataclass
class Quit(Command):
    """End the worker's loop (the thread then finishes)."""

    changes_state: ClassVar[bool] = False
