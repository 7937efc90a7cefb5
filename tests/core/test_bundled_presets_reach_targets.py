"""Every bundled preset, trained with its own defaults, reaches the target its description states."""

import re

import pytest

from playground.core.presets import bundled_presets, load_preset
from tests.core.preset_runs import trained


@pytest.mark.parametrize("name", sorted(bundled_presets()))
def test_description_states_the_target(name):
    preset = load_preset(name)
    bound = preset.target["at_least"] if preset.target["at_least"] is not None else preset.target["at_most"]
    figures = {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*\.?\d*", preset.description)}
    assert bound in figures, f"{name}: the description should state the target {bound}"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(bundled_presets()))
def test_bundled_preset_reaches_its_target(name):
    preset = load_preset(name)
    value = trained(name).evaluate()[preset.target["metric"]]
    if preset.target["at_least"] is not None:
        assert value >= preset.target["at_least"], f"{name}: {preset.target['metric']} {value}"
    else:
        assert value <= preset.target["at_most"], f"{name}: {preset.target['metric']} {value}"
