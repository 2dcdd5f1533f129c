"""The library stands alone: its command line runs with aiohttp and without Home Assistant."""

from __future__ import annotations

import ast
import json
from pathlib import Path
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "custom_components" / "sunpower_pvs" / "pvs"
LAUNCHER = ROOT / "scripts" / "pvs"
FIXTURE = ROOT / "tests" / "fixtures" / "devicelist-2024.2-b61640-krbaker-sample.json"

# Home Assistant is installed in the test environment: refuse it to the program, as if it
# were not, and report what the program imported.
PROGRAM = f"""
import atexit, importlib.abc, json, runpy, sys

class NoHomeAssistant(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "homeassistant":
            raise ImportError(f"{{name}} is not installed here")
        return None

sys.meta_path.insert(0, NoHomeAssistant())
atexit.register(lambda: print(json.dumps(sorted(m for m in sys.modules if "homeassistant" in m)),
                              file=sys.stderr))
sys.argv = [{str(LAUNCHER)!r}, "parse", {str(FIXTURE)!r}]
runpy.run_path({str(LAUNCHER)!r}, run_name="__main__")
"""


def test_the_command_line_parses_a_capture_without_home_assistant() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["generation"] == "legacy"
    assert len(parsed["inverters"]) == 20
    assert result.stderr.strip().splitlines()[-1] == "[]"  # no Home Assistant module loaded


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
