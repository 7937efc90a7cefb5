"""Fixtures shared by the core tests."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture
def one_thread():
    """Tiny networks train fastest on one torch thread, which leaves the other core to the rest of the
    suite; the previous count comes back afterwards. Modules that train use it for every test through
    ``pytestmark = pytest.mark.usefixtures("one_thread")``."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
