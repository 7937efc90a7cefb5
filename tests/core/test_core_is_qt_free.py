"""playground.core must run on a server: importing it may not load Qt or pyqtgraph.

Checked in a fresh interpreter, because pytest-qt has already loaded PySide6 into this one.
"""

import subprocess
import sys

SCRIPT = """
import sys
import playground.core
import playground.core.training.loop, playground.core.presets, playground.core.shape_inference, playground.core.build
import playground.core.data, playground.core.run_output, playground.cli
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'pyqtgraph', 'shiboken6'))
print(','.join(loaded))
"""


def test_core_and_cli_import_no_qt_and_no_pyqtgraph():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt modules loaded by playground.core: {result.stdout}"


def test_the_check_itself_notices_qt():
    """Guard against a check that cannot fail: loading PySide6 must show up."""
    script = SCRIPT.replace("import playground.core\n", "import playground.core\nimport PySide6.QtCore\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "PySide6" in result.stdout
