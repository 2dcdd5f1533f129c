"""Site profiles: which hardware a simulated installation has."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from .config import Firmware

Model = Literal["PVS5", "PVS6"]

NET_CONSUMPTION_LOADSIDE = "NET_CONSUMPTION_LOADSIDE"
GROSS_CONSUMPTION_LINESIDE = "GROSS_CONSUMPTION_LINESIDE"


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteProfile:
    """One installation type."""

    name: str
    model: Model
    serial: str
    inverters: int
    inverter_model: str
    panel: str
    inverter_kw: float
    consumption: str | None
    ess: bool = False
    pos_ltea: bool = True
    load_scale: float = 1.0

    @property
    def meter_prefix(self) -> str:
        """Meter serials and models start with the supervisor generation."""
        return f"{self.model}M"

    @property
    def peak_kw(self) -> float:
        """AC nameplate of the array."""
        return self.inverters * self.inverter_kw


@dataclass(frozen=True, slots=True)
class FirmwareBuild:
    """What a supervisor reports about its software."""

    swver: str
    build: int
    sw_rev: str


def firmware_build(model: Model, firmware: Firmware) -> FirmwareBuild:
    """Builds seen in the field for each model and generation."""
    if model == "PVS5":
        if firmware == "localapi":
            return FirmwareBuild("2025.11, Build 5412", 5412, "2025.11.03.5412")
        return FirmwareBuild("2024.6, Build 5403", 5403, "2024.06.10.5403")
    if firmware == "localapi":
        return FirmwareBuild("2025.09, Build 61845", 61845, "2025.09.04.61845")
    return FirmwareBuild("2025.06, Build 61839", 61839, "2025.06.12.61839")


PROFILES: Mapping[str, SiteProfile] = MappingProxyType(
    {
        profile.name: profile
        for profile in (
            SiteProfile(
                name="small",
                model="PVS6",
                serial="ZT214285000549A0112",
                inverters=12,
                inverter_model="AC_Module_Type_G",
                panel="SPR-A410-G-AC",
                inverter_kw=0.366,
                consumption=None,
                load_scale=0.8,
            ),
            SiteProfile(
                name="typical",
                model="PVS6",
                serial="ZT204485000549A0324",
                inverters=24,
                inverter_model="AC_Module_Type_E",
                panel="SPR-X22-360-E-AC",
                inverter_kw=0.32,
                consumption=NET_CONSUMPTION_LOADSIDE,
            ),
            SiteProfile(
                name="lineside",
                model="PVS6",
                serial="ZT194085000549A0720",
                inverters=20,
                inverter_model="AC_Module_Type_E",
                panel="SPR-X22-360-E-AC",
                inverter_kw=0.32,
                consumption=GROSS_CONSUMPTION_LINESIDE,
            ),
            SiteProfile(
                name="pvs5",
                model="PVS5",
                serial="ZT163085000441C0118",
                inverters=16,
                inverter_model="AC_Module_Type_C",
                panel="SPR-X21-335-C-AC",
                inverter_kw=0.3,
                consumption=NET_CONSUMPTION_LOADSIDE,
                pos_ltea=False,
            ),
            SiteProfile(
                name="sunvault",
                model="PVS6",
                serial="ZT221585000549A1535",
                inverters=28,
                inverter_model="AC_Module_Type_H",
                panel="SPR-M440-H-AC",
                inverter_kw=0.384,
                consumption=NET_CONSUMPTION_LOADSIDE,
                ess=True,
                load_scale=1.3,
            ),
            SiteProfile(
                name="medium",
                model="PVS6",
                serial="ZT232685000549A2100",
                inverters=100,
                inverter_model="AC_Module_Type_H",
                panel="SPR-M440-H-AC",
                inverter_kw=0.384,
                consumption=NET_CONSUMPTION_LOADSIDE,
                load_scale=4.0,
            ),
            SiteProfile(
                name="large",
                model="PVS6",
                serial="ZT234785000549A3001",
                inverters=300,
                inverter_model="AC_Module_Type_H",
                panel="SPR-M440-H-AC",
                inverter_kw=0.384,
                consumption=NET_CONSUMPTION_LOADSIDE,
                load_scale=12.0,
            ),
        )
    }
)


def get_profile(name: str) -> SiteProfile:
    """Look a profile up by name, listing the choices on a typo."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; choose from {', '.join(PROFILES)}") from None
