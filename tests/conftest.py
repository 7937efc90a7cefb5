"""Suite-wide hooks.

Qt for Python with pyqtgraph can crash while the interpreter tears down Qt objects at exit (the app
avoids it by ending its process after the event loop; see playground.gui.app.end_process). Tests
never run an event loop of their own, so once pytest has reported everything the process ends the
same way, with pytest's own exit status - a crash after the summary must not turn a green run red.
"""

from __future__ import annotations

import os
import sys

import pytest

_STATUS = pytest.StashKey[int]()


def pytest_sessionfinish(session, exitstatus) -> None:
    session.config.stash[_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config) -> None:
    if "PySide6.QtCore" not in sys.modules or _STATUS not in config.stash:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(config.stash[_STATUS])
