"""Checks that hassfest and the HACS action would make, runnable offline.

Each check returns a list of problems; an empty list means the rule holds.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path
import re
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "sunpower_pvs"
LIBRARY = INTEGRATION / "pvs"

MANIFEST_REQUIRED = (
    "domain",
    "name",
    "codeowners",
    "config_flow",
    "documentation",
    "integration_type",
    "iot_class",
    "issue_tracker",
    "requirements",
    "version",
)


def manifest_problems(manifest: Mapping[str, Any]) -> list[str]:
    """Required keys for a custom integration, and hassfest's key order."""
    problems = [f"missing key {key}" for key in MANIFEST_REQUIRED if key not in manifest]
    keys = list(manifest)
    if keys[:2] != ["domain", "name"]:
        problems.append("domain and name must come first")
    if keys[2:] != sorted(keys[2:]):
        problems.append("keys after domain and name must be sorted")
    if manifest.get("iot_class") != "local_polling":
        problems.append("iot_class must be local_polling")
    if manifest.get("domain") != "sunpower_pvs":
        problems.append("domain must be sunpower_pvs")
    if manifest.get("requirements") != []:
        problems.append(
            "requirements must be empty: the integration uses Home Assistant's own libraries"
        )
    return problems


def hacs_problems(hacs: Mapping[str, Any], minimum_version: str) -> list[str]:
    """hacs.json names the integration and declares the minimum Home Assistant we test."""
    problems = []
    if not isinstance(hacs.get("name"), str) or not hacs["name"]:
        problems.append("hacs.json needs a name")
    if hacs.get("homeassistant") != minimum_version:
        problems.append(f"hacs.json homeassistant must be {minimum_version}")
    unknown = set(hacs) - {
        "name",
        "homeassistant",
        "render_readme",
        "content_in_root",
        "zip_release",
        "filename",
        "hide_default_branch",
        "country",
        "hacs",
        "persistent_directory",
    }
    if unknown:
        problems.append(f"unknown hacs.json keys: {sorted(unknown)}")
    return problems


def declared_minimum_version() -> str:
    """The minimum Home Assistant, as pinned (in a comment) by requirements_test_min.txt."""
    text = (ROOT / "requirements_test_min.txt").read_text()
    match = re.search(r"homeassistant==(\d+\.\d+\.\d+)", text)
    assert match, "requirements_test_min.txt must name the homeassistant version it pins"
    return match.group(1)


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        keys.add(path)
        if isinstance(value, Mapping):
            keys |= _flatten(value, path + ".")
    return keys


def translation_problems(
    strings: Mapping[str, Any], english: Mapping[str, Any], used: Iterable[str]
) -> list[str]:
    """strings.json and translations/en.json agree, and every key the code uses exists."""
    problems = []
    if strings != english:
        problems.append("strings.json and translations/en.json differ")
    present = _flatten(strings)
    problems += [f"missing translation {key}" for key in sorted(set(used)) if key not in present]
    return problems


def _literal_kwargs(tree: ast.AST, name: str) -> set[str]:
    return {
        kw.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == name and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)
    }


def used_translation_keys() -> set[str]:
    """Translation keys the code uses: flow steps, errors, aborts, entities, devices, exceptions."""
    from custom_components.sunpower_pvs import (
        const,
        devices,
        kinds,
        number,
        repairs,
        select,
        sunvault_control,
    )

    used: set[str] = set()
    flow = ast.parse((INTEGRATION / "config_flow.py").read_text())
    for step in _literal_kwargs(flow, "step_id"):
        used.add(f"options.step.{step}.title" if step == "init" else f"config.step.{step}.title")
    for reason in _literal_kwargs(flow, "reason"):
        used.add(f"config.abort.{reason}")
    # raised by Home Assistant's own helpers inside the flow
    used |= {"config.abort.already_configured", "config.abort.already_in_progress"}
    for node in ast.walk(flow):
        # error keys travel as the second element of (unit, error) tuples
        if (
            isinstance(node, ast.Return)
            and isinstance(node.value, ast.Tuple)
            and len(node.value.elts) == 2
        ):
            error = node.value.elts[1]
            if isinstance(error, ast.Constant) and isinstance(error.value, str):
                # discovery steps abort with the same keys a form shows as errors
                used.add(f"config.error.{error.value}")
                used.add(f"config.abort.{error.value}")
    for path in INTEGRATION.rglob("*.py"):
        if path.name == "config_flow.py":
            continue
        tree = ast.parse(path.read_text())
        if "translation_domain" in path.read_text():
            used |= {
                f"exceptions.{key}.message" for key in _literal_kwargs(tree, "translation_key")
            }
    for _, descriptions in kinds.SENSORS:
        used |= {
            f"entity.sensor.{d.translation_key}.name" for d in descriptions if d.translation_key
        }
        used |= {  # the options of enum sensors
            f"entity.sensor.{d.translation_key}.state.{option}"
            for d in descriptions
            if d.translation_key and d.options
            for option in d.options
        }
    for _, descriptions in kinds.BINARY_SENSORS:
        used |= {
            f"entity.binary_sensor.{d.translation_key}.name"
            for d in descriptions
            if d.translation_key
        }
    # the SunVault settings: their names, the modes, and the messages of a failed write
    used.add(f"entity.number.{number.BACKUP_RESERVE.translation_key}.name")
    mode = select.CONTROL_MODE.translation_key
    used.add(f"entity.select.{mode}.name")
    used |= {f"entity.select.{mode}.state.{option}" for option in select.CONTROL_MODE.options or ()}
    used |= {f"exceptions.{key}.message" for _, key in sunvault_control.FAILURE_MESSAGES}
    used |= {f"device.{kind}.name" for kind in devices.DEVICE_KINDS}
    used |= {f"issues.{key}.title" for key in issue_keys()}
    used |= {f"issues.{repairs.FIRMWARE_CHANGED}.fix_flow.step.confirm.title"}
    offer = f"issues.{repairs.ENERGY_OFFER}"
    used |= {f"{offer}.title", f"{offer}.fix_flow.step.confirm.title"}
    repairs_tree = ast.parse((INTEGRATION / "repairs.py").read_text())
    used |= {f"{offer}.fix_flow.abort.{r}" for r in _literal_kwargs(repairs_tree, "reason")}
    used |= {
        f"selector.{const.OPTION_GRID_IMPORT_REGISTER}.options.{choice.value}"
        for choice in const.GridImportRegister
    }
    return used


def issue_keys() -> set[str]:
    """Translation keys of repair issues: every Finding(...) and the firmware notice."""
    tree = ast.parse((INTEGRATION / "health.py").read_text())
    keys = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Finding"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    return {str(key) for key in keys} | {"firmware_changed"}


def homeassistant_imports(package: Path) -> list[str]:
    """Modules under package that import homeassistant."""
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name == "homeassistant" or name.startswith("homeassistant.") for name in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found
