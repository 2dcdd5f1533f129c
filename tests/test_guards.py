"""Guards: the rules hassfest and HACS enforce, the library's independence, deprecation reports."""

from __future__ import annotations

import copy
import json
import logging
import subprocess
import sys
from typing import Any

from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from homeassistant.loader import async_get_integration
import pytest

from tests import guards
from tests.conftest import DEPRECATION_REPORT


def _load(path: str) -> Any:
    return json.loads((guards.ROOT / path).read_text())


MANIFEST = "custom_components/sunpower_pvs/manifest.json"


def test_manifest_has_the_required_keys_in_hassfest_order() -> None:
    assert guards.manifest_problems(_load(MANIFEST)) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m.pop("iot_class"), "missing key iot_class"),
        (lambda m: m.pop("integration_type"), "missing key integration_type"),
        (lambda m: m.update(requirements=["pyfoo==1"]), "requirements must be empty"),
    ],
)
def test_manifest_guard_catches_a_broken_manifest(change: Any, problem: str) -> None:
    manifest = copy.deepcopy(_load(MANIFEST))
    change(manifest)
    assert any(problem in p for p in guards.manifest_problems(manifest))


def test_manifest_guard_catches_unsorted_keys() -> None:
    manifest = _load(MANIFEST)
    keys = list(manifest)
    shuffled = {key: manifest[key] for key in [*keys[:2], *reversed(keys[2:])]}
    assert "keys after domain and name must be sorted" in guards.manifest_problems(shuffled)
    name_last = {key: manifest[key] for key in [*keys[2:], *keys[:2]]}
    assert "domain and name must come first" in guards.manifest_problems(name_last)


def test_hacs_json_declares_the_minimum_home_assistant() -> None:
    minimum = guards.declared_minimum_version()
    assert guards.hacs_problems(_load("hacs.json"), minimum) == []
    assert guards.hacs_problems({"name": "x", "homeassistant": "2024.1.0"}, minimum)
    assert guards.hacs_problems({"homeassistant": minimum}, minimum) == ["hacs.json needs a name"]


def test_minimum_version_run_uses_the_declared_version() -> None:
    """On the --ha-min run, the Home Assistant installed is the one hacs.json declares."""
    minimum = guards.declared_minimum_version()
    newest = tuple(int(part) for part in ha_version.split(".")[:3])
    assert newest >= tuple(int(part) for part in minimum.split("."))


def test_translations_cover_every_key_the_code_uses() -> None:
    strings = _load("custom_components/sunpower_pvs/strings.json")
    english = _load("custom_components/sunpower_pvs/translations/en.json")
    used = guards.used_translation_keys()
    assert "config.step.user.title" in used
    assert "config.error.invalid_auth" in used
    assert "exceptions.wrong_unit.message" in used
    assert "entity.sensor.lifetime_energy.name" in used
    assert guards.translation_problems(strings, english, used) == []


def test_translation_guard_catches_missing_and_diverging_keys() -> None:
    strings = _load("custom_components/sunpower_pvs/strings.json")
    broken = copy.deepcopy(strings)
    del broken["entity"]["sensor"]["lifetime_energy"]
    problems = guards.translation_problems(broken, strings, guards.used_translation_keys())
    assert "strings.json and translations/en.json differ" in problems
    assert "missing translation entity.sensor.lifetime_energy.name" in problems


def test_client_library_imports_nothing_from_home_assistant() -> None:
    assert guards.homeassistant_imports(guards.LIBRARY) == []


def test_import_guard_catches_a_home_assistant_import(tmp_path: Any) -> None:
    (tmp_path / "bad.py").write_text("from homeassistant.core import HomeAssistant\n")
    (tmp_path / "ok.py").write_text("import aiohttp\n")
    assert [p.endswith("bad.py:1") for p in _relative(tmp_path)] == [True]


def _relative(folder: Any) -> list[str]:
    original = guards.ROOT
    try:
        guards.ROOT = folder
        return guards.homeassistant_imports(folder)
    finally:
        guards.ROOT = original


async def test_deprecation_guard_matches_what_home_assistant_logs(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """The message Home Assistant logs for a custom integration is the one the guard looks for."""
    await async_get_integration(hass, "sunpower_pvs")  # report_usage names loaded integrations
    caplog.set_level(logging.WARNING)
    frame.report_usage(
        "calls a retired helper",
        breaks_in_ha_version="2099.1",
        core_behavior=frame.ReportBehavior.LOG,
        core_integration_behavior=frame.ReportBehavior.LOG,
        custom_integration_behavior=frame.ReportBehavior.LOG,
        integration_domain="sunpower_pvs",
    )
    messages = [record.getMessage() for record in caplog.records]
    assert any(DEPRECATION_REPORT in message for message in messages), messages
    caplog.clear()  # the report was deliberate: keep the autouse guard from failing this test


def test_deprecation_guard_fails_a_test_that_triggers_a_report() -> None:
    """The autouse guard turns a deprecation report into a failing test (run in a subprocess)."""
    probe = guards.ROOT / "tests" / "deprecation_probe.py"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(probe), "-q", "-p", "no:randomly", "--no-cov"],
        cwd=guards.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0, result.stdout
    assert "Home Assistant reported deprecated use" in result.stdout
