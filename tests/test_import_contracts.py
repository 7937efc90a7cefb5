"""The boundaries between the layers ([tool.importlinter] in pyproject.toml) hold, checked by import-linter.

import-linter runs in a fresh process on this checkout. A second test plants one forbidden import per
contract in a copy of the package and expects every contract to break, so a contract that checks nothing
cannot pass unnoticed. import-linter (like pkgutil.walk_packages) does not see a folder without an
__init__.py at all, so every folder of the package must have one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter on the ``playground`` package under ``root`` with ``root``'s pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache", "--no-logo", "pyproject.toml"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)


def contracts() -> list[dict]:
    from importlinter.api import read_configuration

    return read_configuration(str(REPO / "pyproject.toml"))["contracts_options"]


def test_every_folder_of_the_package_is_a_regular_package():
    root = REPO / "playground"
    folders = {p.parent for p in root.rglob("*.py")}
    missing = sorted(str(f.relative_to(REPO)) for f in folders if not (f / "__init__.py").is_file())
    assert not missing, f"folders without __init__.py (invisible to import-linter and walk_packages): {missing}"


def test_the_import_contracts_are_kept():
    result = lint_imports(REPO)
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"an import boundary is broken (pyproject.toml [tool.importlinter]):\n{report}"
    assert f"Contracts: {len(contracts())} kept, 0 broken." in report, report


def test_a_forbidden_import_breaks_every_contract(tmp_path):
    shutil.copytree(REPO / "playground", tmp_path / "playground", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    found = contracts()
    assert found and all(c["type"] == "forbidden" for c in found)
    for contract in found:
        source, forbidden = contract["source_modules"][0], contract["forbidden_modules"][0]
        path = tmp_path.joinpath(*source.split("."))
        line = f"import {forbidden}  # planted by {__name__}\n"
        if path.is_dir():
            (path / "planted_import.py").write_text(line)
        else:
            module = path.with_suffix(".py")
            module.write_text(module.read_text() + "\n" + line)
    result = lint_imports(tmp_path)
    report = result.stdout + result.stderr
    assert result.returncode != 0, report
    assert f"Contracts: 0 kept, {len(found)} broken." in report, report
