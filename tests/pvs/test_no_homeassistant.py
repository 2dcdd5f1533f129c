"""The library is independent of Home Assistant: no import of it, direct or indirect."""

from __future__ import annotations

import ast
from pathlib import Path
import subprocess
import sys

LIBRARY = Path(__file__).resolve().parents[2] / "custom_components" / "sunpower_pvs" / "pvs"
ROOT = LIBRARY.parents[2]

# The parent package is the integration itself, so it is replaced by empty packages here.
PROGRAM = f"""
import sys, types
for name, path in (("custom_components", {str(ROOT / "custom_components")!r}),
                   ("custom_components.sunpower_pvs", {str(LIBRARY.parent)!r})):
    module = types.ModuleType(name)
    module.__path__ = [path]
    sys.modules[name] = module
import custom_components.sunpower_pvs.pvs
import custom_components.sunpower_pvs.pvs.__main__
print(sorted(name for name in sys.modules if name.split(".")[0] == "homeassistant"))
"""


def test_importing_the_library_loads_no_homeassistant_module() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_no_source_file_imports_homeassistant() -> None:
    offenders = []
    for path in sorted(LIBRARY.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else []
                if node.level > 1:
                    offenders.append(f"{path.name}: relative import outside the library")
            offenders += [
                f"{path.name}: {name}" for name in names if name.split(".")[0] == "homeassistant"
            ]
    assert offenders == []
