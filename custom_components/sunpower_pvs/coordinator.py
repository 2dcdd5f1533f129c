"""The coordinator: one poll of the PVS per interval, turned into PVSData or a translated error."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, EVENT_HOMEASSISTANT_CLOSE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .connection import create_client, create_session
from .const import DEFAULT_SCAN_INTERVAL, DOMAIN, LOGGER, OPTION_SCAN_INTERVAL
from .pvs import (
    Generation,
    PVSAuthError,
    PVSConnectionError,
    PVSData,
    PVSProtocolError,
    PVSTimeoutError,
)

type PVSConfigEntry = ConfigEntry[PVSCoordinator]


class PVSCoordinator(DataUpdateCoordinator[PVSData]):
    """Polls one PVS and guards that the unit at the host is still the one configured."""

    config_entry: PVSConfigEntry

    def __init__(self, hass: HomeAssistant, entry: PVSConfigEntry) -> None:
        """Set up polling at the interval the owner chose (the PVS refresh by default)."""
        interval = entry.options.get(OPTION_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.total_seconds())
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=timedelta(seconds=interval),
        )
        self._session = create_session(hass)
        # Config entries stay loaded when Home Assistant stops: close the session then too.
        entry.async_on_unload(
            hass.bus.async_listen_once(EVENT_HOMEASSISTANT_CLOSE, self._detach_session)
        )
        self.options = dict(entry.options)
        self.client = create_client(
            self._session, entry.data[CONF_HOST], entry.data.get(CONF_PASSWORD)
        )
        self.generation: Generation | None = None

    @callback
    def _detach_session(self, _event: Event) -> None:
        self._session.detach()

    async def async_shutdown(self) -> None:
        """Stop polling, log out of the PVS and release the HTTP session (on unload)."""
        await super().async_shutdown()
        await self.client.close()
        self._session.detach()

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
