"""The coordinator: one poll of the PVS per interval, turned into PVSData or a translated error."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import DEFAULT_SCAN_INTERVAL, DOMAIN, LOGGER, MIN_QUERY_INTERVAL, OPTION_SCAN_INTERVAL
from .pvs import (
    Generation,
    PVSAuthError,
    PVSClient,
    PVSConnectionError,
    PVSData,
    PVSProtocolError,
    PVSTimeoutError,
)

type PVSConfigEntry = ConfigEntry[PVSCoordinator]


def create_client(hass: HomeAssistant, host: str, password: str | None) -> PVSClient:
    """A client on Home Assistant's shared session (the client keeps its own session cookie)."""
    return PVSClient(
        host,
        async_get_clientsession(hass),
        password=password,
        min_query_interval=MIN_QUERY_INTERVAL,
    )


class PVSCoordinator(DataUpdateCoordinator[PVSData]):
    """Polls one PVS and guards that the unit at the host is still the one configured."""

    config_entry: PVSConfigEntry

    def __init__(self, hass: HomeAssistant, entry: PVSConfigEntry, client: PVSClient) -> None:
        """Set up polling at the interval the owner chose (the PVS refresh by default)."""
        interval = entry.options.get(OPTION_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.total_seconds())
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=timedelta(seconds=interval),
        )
        self.client = client
        self.generation: Generation | None = None

    async def _async_update_data(self) -> PVSData:
        try:
            data = await self.client.poll()
        except PVSAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except PVSTimeoutError as err:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="timeout") from err
        except PVSConnectionError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"error": str(err)},
            ) from err
        except PVSProtocolError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="protocol_error",
                translation_placeholders={"error": str(err)},
            ) from err

        if data.supervisor.serial != self.config_entry.unique_id:
            # Another unit answers at this address (DHCP handed it out again): never mix its
            # data into this one's history.
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="wrong_unit")
        if self.generation is None:
            self.generation = data.generation
        elif data.generation is not self.generation:
            LOGGER.warning(
                "The PVS firmware changed from the %s to the %s interface; reloading",
                self.generation,
                data.generation,
            )
            self.generation = data.generation
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
        return data
