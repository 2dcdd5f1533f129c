"""Shared fixtures: custom integrations enabled, and a guard against deprecation reports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation

from custom_components.sunpower_pvs.const import DOMAIN

# Importing the integration here also makes `custom_components` resolve to this repository's
# package before Home Assistant's test harness imports its own testing one under that name.
DEPRECATION_REPORT = f"Detected that custom integration '{DOMAIN}'"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components/."""


@pytest.fixture(autouse=True)
def fail_on_deprecation_report(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail any test during which Home Assistant reports deprecated use by this integration."""
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    reports = [r.getMessage() for r in records if DEPRECATION_REPORT in r.getMessage()]
    if reports:
        pytest.fail("Home Assistant reported deprecated use:\n" + "\n".join(reports))


class VersionedSnapshotExtension(HomeAssistantSnapshotExtension):
    """Snapshots per Home Assistant release: its registry entries gain fields between releases.

    Sibling folders rather than subfolders of ``snapshots/``: syrupy reports (and with
    ``--snapshot-update`` deletes) every file under a folder it walks that no test used.
    """

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        release = f"{MAJOR_VERSION}.{MINOR_VERSION}"
        return str(Path(test_location.filepath).parent / f"snapshots_ha{release}")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Home Assistant's snapshot format, stored per Home Assistant release."""
    return snapshot.use_extension(VersionedSnapshotExtension)
