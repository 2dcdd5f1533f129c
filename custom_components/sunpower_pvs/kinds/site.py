"""The site: its power flows (live where the firmware allows) and its Energy dashboard sensors.

Both sit on the site device. Energy comes from the site ledger, which never lets a counter
drop or jump; power from the site power coordinator.
"""

from __future__ import annotations

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import PERCENTAGE, UnitOfEnergy, UnitOfPower, UnitOfTime

from ..descriptions import PVSSensorEntityDescription
from ..entity import Family
from ..pvs import MeterKind, PVSData
from ..site import SitePower
from ..site_energy import SiteEnergy

SITE_POWER: Family[SitePower] = Family(
    coordinator=lambda runtime: runtime.site_power,
    members=lambda data: (data.supervisor,),
    read=lambda runtime, _serial: runtime.site_power.data,
    on_site_device=True,
    clock=lambda site: site.time,
)
SITE_ENERGY: Family[SiteEnergy] = Family(
    coordinator=lambda runtime: runtime.energy,
    members=lambda data: (data.supervisor,),
    read=lambda runtime, _serial: runtime.energy.data,
    on_site_device=True,
)


def _wh(kwh: float | None) -> float | None:
    """To the watt-hour, the meters' resolution."""
    return None if kwh is None else round(kwh, 3)


def _has_solar(_energy: SiteEnergy, data: PVSData) -> bool:
    return bool(data.inverters) or data.meter(MeterKind.PRODUCTION) is not None


def _has_grid(_energy: SiteEnergy, data: PVSData) -> bool:
    return data.meter(MeterKind.CONSUMPTION) is not None


def _has_storage(_energy: SiteEnergy, data: PVSData) -> bool:
    return bool(data.storage)


SITE_POWER_SENSORS: tuple[PVSSensorEntityDescription[SitePower], ...] = (
    PVSSensorEntityDescription[SitePower](
        key="site_production_power",
        translation_key="site_production_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda site: site.production_kw,
        significant_change=0.5,
    ),
    PVSSensorEntityDescription[SitePower](
        key="site_consumption_power",
        translation_key="site_consumption_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda site: site.consumption_kw,
        significant_change=0.5,
    ),
    PVSSensorEntityDescription[SitePower](
        key="site_grid_power",
        translation_key="site_grid_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda site: site.grid_kw,
        significant_change=0.5,
    ),
    PVSSensorEntityDescription[SitePower](
        key="site_battery_power",
        translation_key="site_battery_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda site: site.battery_kw,
        significant_change=0.5,
    ),
    PVSSensorEntityDescription[SitePower](
        key="site_state_of_charge",
        translation_key="site_state_of_charge",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda site: site.state_of_charge_pct,
        significant_change=1.0,
    ),
    PVSSensorEntityDescription[SitePower](
        key="backup_time_remaining",
        translation_key="backup_time_remaining",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=lambda site: site.backup_time_remaining_min,
        significant_change=30.0,
    ),
)

SITE_ENERGY_SENSORS: tuple[PVSSensorEntityDescription[SiteEnergy], ...] = (
    PVSSensorEntityDescription[SiteEnergy](
        key="site_solar_energy",
        translation_key="site_solar_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda energy: _wh(energy.solar),
        exists_fn=_has_solar,
    ),
    PVSSensorEntityDescription[SiteEnergy](
        key="site_grid_import_energy",
        translation_key="site_grid_import_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda energy: _wh(energy.grid_import),
        exists_fn=_has_grid,
    ),
    PVSSensorEntityDescription[SiteEnergy](
        key="site_grid_export_energy",
        translation_key="site_grid_export_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda energy: _wh(energy.grid_export),
        exists_fn=_has_grid,
    ),
    PVSSensorEntityDescription[SiteEnergy](
        key="site_home_energy",
        translation_key="site_home_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda energy: _wh(energy.home),
        exists_fn=_has_grid,
    ),
    PVSSensorEntityDescription[SiteEnergy](
        key="site_battery_charged_energy",
        translation_key="site_battery_charged_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda energy: _wh(energy.battery_charged),
        exists_fn=_has_storage,
    ),
    PVSSensorEntityDescription[SiteEnergy](
        key="site_battery_discharged_energy",
        translation_key="site_battery_discharged_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda energy: _wh(energy.battery_discharged),
        exists_fn=_has_storage,
    ),
)
