"""The benchmark runs its own Home Assistant; its package lives in scripts/ (``benchkit``)."""

from pathlib import Path
import sys

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No ``hass`` fixture here: it would mock the storage the bench measures."""
