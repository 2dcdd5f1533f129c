"""Library tests: no Home Assistant instance is needed, so the integration fixtures are off."""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
from typing import Any

import pytest

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
