"""Constants of the SunPower PVS integration."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
import logging
from typing import Final

DOMAIN: Final = "sunpower_pvs"
LOGGER = logging.getLogger(__package__)

MANUFACTURER: Final = "SunPower"

# Entry data: the PVS's number at the site when another one was set up first (see names).
CONF_NAME_TAG: Final = "name_tag"

OPTION_SCAN_INTERVAL: Final = "scan_interval"
OPTION_RAW_DIAGNOSTICS: Final = "include_raw_responses"
OPTION_LIVE_FEED: Final = "live_feed"
OPTION_GRID_IMPORT_REGISTER: Final = "grid_import_register"


class GridImportRegister(StrEnum):
    """Which consumption-meter register counts grid import: learnt, or the owner's choice."""

    AUTO = "auto"
    POSITIVE = "positive"
    NEGATIVE = "negative"


# The PVS refreshes per-device data every 5 minutes: polling faster adds load on a fragile box
# (owners polling every 30 s saw crashes every few hours) and no fresher data.
DEFAULT_SCAN_INTERVAL: Final = timedelta(minutes=5)
MIN_SCAN_INTERVAL: Final = timedelta(minutes=2)
MAX_SCAN_INTERVAL: Final = timedelta(hours=1)

# SunStrong asks for no more than one LocalAPI query every few seconds.
MIN_QUERY_INTERVAL: Final = 2.0

# Every request has a timeout; DeviceList takes 6-60 s on a real unit.
REQUEST_TIMEOUT: Final = 30.0
DEVICE_LIST_TIMEOUT: Final = 120.0
