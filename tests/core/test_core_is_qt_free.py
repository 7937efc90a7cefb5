"""playground.core must run on a server: importing any of it may not load Qt, pyqtgraph or the GUI.

Checked in a fresh interpreter (pytest-qt has already loaded PySide6 into this one), which imports every
module of playground.core, found by pkgutil.walk_packages, and the command line.
"""

import json
import subprocess
import sys
from pathlib import Path

import playground.core

SCRIPT = """
import importlib
import json
import pkgutil
import sys

import playground.core

names = ["playground.core"] + [m.name for m in pkgutil.walk_packages(playground.core.__path__, "playground.core.")]
for name in names:
    importlib.import_module(name)
import playground.cli
# (a planted import goes here)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6")
                or m == "playground.gui" or m.startswith("playground.gui."))
print(json.dumps({"imported": names, "loaded": loaded}))
"""


def run(script: str) -> dict:
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_core_module_and_the_cli_import_no_qt_pyqtgraph_or_gui():
    found = run(SCRIPT)
    assert found["loaded"] == [], f"importing playground.core and playground.cli loaded {found['loaded']}"
    root = Path(playground.core.__file__).parent
    on_disk = {".".join(("playground", "core", *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
               for p in root.rglob("*.py")}
    unseen = sorted(on_disk - set(found["imported"]))
    assert not unseen, f"pkgutil.walk_packages does not reach {unseen}: a folder without __init__.py?"


def test_the_check_itself_notices_qt_and_the_gui():
    """Guard against a check that cannot fail: loading PySide6 or a GUI module must show up."""
    planted = SCRIPT.replace("# (a planted import goes here)", "import PySide6.QtCore, playground.gui")
    found = run(planted)
    assert {"PySide6.QtCore", "playground.gui"} <= set(found["loaded"])
