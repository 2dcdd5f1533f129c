"""Run only by test_guards in a subprocess: a test during which Home Assistant reports a
deprecated use by this integration, which the autouse guard in conftest.py must fail."""

from __future__ import annotations

import logging

from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from homeassistant.loader import async_get_integration
import pytest


async def test_integration_reported_for_deprecated_use(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    await async_get_integration(hass, "sunpower_pvs")
    caplog.set_level(logging.WARNING)
    frame.report_usage(
        "calls a retired helper",
        breaks_in_ha_version="2099.1",
        core_behavior=frame.ReportBehavior.LOG,
        custom_integration_behavior=frame.ReportBehavior.LOG,
        integration_domain="sunpower_pvs",
    )
