"""SunPower PVS5/PVS6 client library: detection, login, polling and parsing.

Both firmware generations (legacy dl_cgi and LocalAPI) end in the same ``PVSData``.
Pure asyncio + aiohttp; nothing here imports Home Assistant.
"""

from .client import PVSClient
from .errors import (
    PVSAuthError,
    PVSConnectionError,
    PVSError,
    PVSHTTPStatusError,
    PVSInvalidHostError,
    PVSProtocolError,
    PVSSettingError,
    PVSSettingNotAppliedError,
    PVSSettingRefusedError,
    PVSTimeoutError,
)
from .ess_settings import ControlMode, EssSettings
from .host import validate_host
from .localapi import derive_password
from .models import (
    Battery,
    Capabilities,
    Device,
    EnergyStorage,
    EssHub,
    Generation,
    GenericDevice,
    GridProfile,
    Inverter,
    LiveData,
    Meter,
    MeterKind,
    NetworkInterface,
    NetworkStatus,
    PVDisconnect,
    PVSData,
    StorageInverter,
    Supervisor,
    TransferSwitch,
    UnitInfo,
    capabilities_of,
    model_family,
)
from .parse import parse_responses
from .telemetry import TELEMETRY_PORT, telemetry_frames
from .varserver import merge_live

__all__ = [
    "TELEMETRY_PORT",
    "Battery",
    "Capabilities",
    "ControlMode",
    "Device",
    "EnergyStorage",
    "EssHub",
    "EssSettings",
    "Generation",
    "GenericDevice",
    "GridProfile",
    "Inverter",
    "LiveData",
    "Meter",
    "MeterKind",
    "NetworkInterface",
    "NetworkStatus",
    "PVDisconnect",
    "PVSAuthError",
    "PVSClient",
    "PVSConnectionError",
    "PVSData",
    "PVSError",
    "PVSHTTPStatusError",
    "PVSInvalidHostError",
    "PVSProtocolError",
    "PVSSettingError",
    "PVSSettingNotAppliedError",
    "PVSSettingRefusedError",
    "PVSTimeoutError",
    "StorageInverter",
    "Supervisor",
    "TransferSwitch",
    "UnitInfo",
    "capabilities_of",
    "derive_password",
    "merge_live",
    "model_family",
    "parse_responses",
    "telemetry_frames",
    "validate_host",
]
