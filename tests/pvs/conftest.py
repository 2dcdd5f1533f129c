"""Library tests: no Home Assistant instance is needed, so the integration fixtures are off."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.sunpower_pvs.pvs import PVSClient
from pvs_simulator import Simulator, SimulatorConfig

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the suite-wide fixture: these tests never start Home Assistant."""


@pytest.fixture
def loopback(socket_enabled: None) -> None:
    """Transport tests serve on 127.0.0.1; Home Assistant's test plugin blocks sockets."""


def load(name: str) -> Any:
    """A saved PVS answer from tests/fixtures."""
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def capture() -> Callable[[str], Any]:
    """Load a capture by its original file name."""
    return load


CONFIG_COMMANDS = ("Start", "Stop", "GridProfileRefresh", "SetCellPurchased")
Site = Callable[..., AbstractAsyncContextManager[tuple[Simulator, PVSClient]]]


@pytest.fixture
def site() -> Site:
    """A simulator and a client for it, with tiny timeouts and no spacing."""

    @asynccontextmanager
    async def open_site(
        firmware: str = "legacy", profile: str = "typical", **client: Any
    ) -> AsyncIterator[tuple[Simulator, PVSClient]]:
        config = SimulatorConfig(
            profile=profile, firmware=firmware, speed=0.0, session_ttl_s=300.0, latency=False
        )
        options: dict[str, Any] = {
            "request_timeout": 1.0,
            "device_list_timeout": 1.0,
            "min_query_interval": 0.0,
        } | client
        async with Simulator(config) as sim, aiohttp.ClientSession() as session:
            pvs = PVSClient(sim.host, session, **options)
            try:
                yield sim, pvs
            finally:
                await pvs.close()
            assert sim.stats["config_commands"] == []
            endpoints = sim.stats["endpoints"]
            assert isinstance(endpoints, dict)
            assert not set(endpoints) & set(CONFIG_COMMANDS)

    return open_site
