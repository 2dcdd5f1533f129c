"""Config flow: add a PVS by address or discovery, re-authenticate, reconfigure, set options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.core import callback
from homeassistant.helpers import selector
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo

from .compat import OptionsFlowWithReload, vol
from .connection import temporary_client
from .const import (
    CONF_NAME_TAG,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
    OPTION_GRID_IMPORT_REGISTER,
    OPTION_LIVE_FEED,
    OPTION_RAW_DIAGNOSTICS,
    OPTION_SCAN_INTERVAL,
    GridImportRegister,
)
from .pvs import (
    Generation,
    PVSAuthError,
    PVSConnectionError,
    PVSInvalidHostError,
    PVSProtocolError,
    UnitInfo,
    validate_host,
)
from .runtime import PVSConfigEntry

HOST_SCHEMA = vol.Schema({vol.Required(CONF_HOST): str})
PASSWORD_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_PASSWORD): selector.TextSelector(
            selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
        )
    }
)


def entry_title(unit: UnitInfo, tag: str | None = None) -> str:
    """Entry title such as SunPower PVS6: no full serial, its end is the default password."""
    return f"SunPower {unit.family} #{tag}" if tag else f"SunPower {unit.family}"


def _port(host: str) -> int | None:
    """The port of an ``address:port`` entry, None for a plain address."""
    _, colon, port = host.rpartition(":")
    return int(port) if colon and port.isdigit() and "]" not in port else None


def unique_id_of(serial: str) -> str:
    """The entry's unique id: the PVS serial, in the letter case the label prints."""
    return serial.strip().upper()


class PVSConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a PVS: detect its firmware, log in with the derived password, ask only if refused."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing known about the unit."""
        self._host: str | None = None
        self._unit: UnitInfo | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: PVSConfigEntry) -> PVSOptionsFlow:
        """Options: polling interval and raw responses in diagnostics."""
        return PVSOptionsFlow()

    async def _async_probe(
        self, host: str, password: str | None
    ) -> tuple[UnitInfo | None, str | None]:
        """Detect the unit at host and log in where its firmware needs it.

        Returns what was learnt and an error key; the unit is known when only the login failed.
        """
        try:
            host = validate_host(host)
        except PVSInvalidHostError:
            return None, "invalid_host"
        unit: UnitInfo | None = None
        try:
            async with temporary_client(self.hass, host, password) as client:
                unit = await client.detect()
                if not unit.serial:
                    # supervisor/info and the serial read both failed: a wedged or booting unit
                    return None, "cannot_connect"
                if unit.generation is Generation.LOCALAPI:
                    await client.login()
        except PVSAuthError:
            return unit, "invalid_auth"
        except PVSConnectionError:
            return unit, "cannot_connect"
        except PVSProtocolError:
            return unit, "not_a_pvs"
        except Exception:
            LOGGER.exception("Unexpected error while setting up the PVS")
            return unit, "unknown"
        return unit, None

    def _create_entry(self, password: str | None = None) -> ConfigFlowResult:
        assert self._unit is not None
        assert self._host is not None
        data = {CONF_HOST: self._host}
        if password is not None:
            data[CONF_PASSWORD] = password
        # A second PVS at the site: its title and device names carry its number, so the two
        # are told apart (and its entity ids need no "_2"); the first keeps its names. Not
        # the end of its serial: that is the default LocalAPI password.
        others = len(self._async_current_entries(include_ignore=False))
        tag = str(others + 1) if others else None
        if tag:
            data[CONF_NAME_TAG] = tag
        return self.async_create_entry(title=entry_title(self._unit, tag), data=data)

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the address of the PVS or of the bridge in front of it."""
        errors: dict[str, str] = {}
        if user_input is not None:
            unit, error = await self._async_probe(user_input[CONF_HOST], None)
            if unit is not None and error in (None, "invalid_auth"):
                self._unit = unit
                self._host = validate_host(user_input[CONF_HOST])
                await self.async_set_unique_id(unique_id_of(unit.serial), raise_on_progress=False)
                self._abort_if_unique_id_configured(updates={CONF_HOST: self._host})
                if error == "invalid_auth":
                    return await self.async_step_password()
                return self._create_entry()
            errors["base"] = error or "unknown"
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(HOST_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_password(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the LocalAPI password when the one derived from the serial was refused."""
        errors: dict[str, str] = {}
        assert self._host is not None
        if user_input is not None:
            password = user_input[CONF_PASSWORD]
            _, error = await self._async_probe(self._host, password)
            if error is None:
                if self.source == SOURCE_RECONFIGURE:
                    return self.async_update_reload_and_abort(
                        self._get_reconfigure_entry(),
                        data_updates={CONF_HOST: self._host, CONF_PASSWORD: password},
                    )
                return self._create_entry(password)
            errors["base"] = error
        return self.async_show_form(step_id="password", data_schema=PASSWORD_SCHEMA, errors=errors)

    async def async_step_zeroconf(self, discovery_info: ZeroconfServiceInfo) -> ConfigFlowResult:
        """A PVS announced itself; known units only get their new address."""
        serial = discovery_info.properties.get("serialnum")
        if not serial:
            return self.async_abort(reason="not_a_pvs")
        address = discovery_info.ip_address
        if address.version != 4 or address.is_link_local:
            return self.async_abort(reason="not_ipv4_address")
        # The PVS serves its interfaces on the standard ports, which the client tries itself.
        host = str(address)
        if discovery_info.port not in (None, 80, 443):
            host = f"{host}:{discovery_info.port}"
        await self.async_set_unique_id(unique_id_of(serial))
        existing = self.hass.config_entries.async_entry_for_domain_unique_id(
            DOMAIN, unique_id_of(serial)
        )
        if existing is not None and _port(existing.data.get(CONF_HOST, "")) not in (
            None,
            discovery_info.port,
        ):
            # Reached through a bridge (on a port of its own): the announced address is the
            # PVS's own LAN address, which may not answer the legacy interface.
            return self.async_abort(reason="already_configured")
        self._abort_if_unique_id_configured(updates={CONF_HOST: host})
        self._host = host
        self.context["title_placeholders"] = {"host": host}
        return await self.async_step_zeroconf_confirm()

    async def async_step_zeroconf_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the owner confirm adding the discovered PVS."""
        assert self._host is not None
        if user_input is None:
            self._set_confirm_only()
            return self.async_show_form(
                step_id="zeroconf_confirm", description_placeholders={"host": self._host}
            )
        unit, error = await self._async_probe(self._host, None)
        if unit is None or error not in (None, "invalid_auth"):
            return self.async_abort(reason=error or "unknown")
        if unique_id_of(unit.serial) != self.unique_id:
            return self.async_abort(reason="wrong_device")
        self._unit = unit
        if error == "invalid_auth":
            return await self.async_step_password()
        return self._create_entry()

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The PVS refused the stored (or derived) password."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the password again; the unit answering must be the configured one."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            password = user_input[CONF_PASSWORD]
            unit, error = await self._async_probe(entry.data[CONF_HOST], password)
            if unit is not None and error is None:
                await self.async_set_unique_id(unique_id_of(unit.serial))
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_PASSWORD: password}
                )
            errors["base"] = error or "unknown"
        return self.async_show_form(
            step_id="reauth_confirm", data_schema=PASSWORD_SCHEMA, errors=errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Move the entry to a new address; the unit there must be the same PVS."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            unit, error = await self._async_probe(
                user_input[CONF_HOST], entry.data.get(CONF_PASSWORD)
            )
            if unit is not None and error in (None, "invalid_auth"):
                await self.async_set_unique_id(unique_id_of(unit.serial))
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                self._host = validate_host(user_input[CONF_HOST])
                if error == "invalid_auth":
                    return await self.async_step_password()
                if self._host == entry.data[CONF_HOST]:
                    return self.async_abort(reason="reconfigure_unchanged")
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_HOST: self._host}
                )
            errors["base"] = error or "unknown"
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                HOST_SCHEMA, user_input or dict(entry.data)
            ),
            errors=errors,
        )


class PVSOptionsFlow(OptionsFlowWithReload):
    """Polling interval, live power, grid register and diagnostics options.

    Changed options reload the entry. The entry has no update listener: Home Assistant
    reloads it itself after reauthentication, reconfiguration or a discovered address.
    """

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the options with the PVS's 5-minute refresh explained in the description."""
        errors: dict[str, str] = {}
        if user_input is not None:
            seconds = user_input[OPTION_SCAN_INTERVAL]
            if seconds < MIN_SCAN_INTERVAL.total_seconds():
                errors[OPTION_SCAN_INTERVAL] = "interval_too_short"
            elif seconds > MAX_SCAN_INTERVAL.total_seconds():
                errors[OPTION_SCAN_INTERVAL] = "interval_too_long"
            else:
                return self.async_create_entry(data=user_input)
        schema = vol.Schema(
            {
                vol.Required(
                    OPTION_SCAN_INTERVAL, default=DEFAULT_SCAN_INTERVAL.total_seconds()
                ): selector.NumberSelector(
                    # the bounds are checked above, to say why (the selector's own check
                    # would only say "too small")
                    selector.NumberSelectorConfig(
                        step=30,
                        unit_of_measurement="s",
                        mode=selector.NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(OPTION_LIVE_FEED, default=True): selector.BooleanSelector(),
                vol.Required(
                    OPTION_GRID_IMPORT_REGISTER, default=GridImportRegister.AUTO.value
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[choice.value for choice in GridImportRegister],
                        translation_key=OPTION_GRID_IMPORT_REGISTER,
                        mode=selector.SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Required(OPTION_RAW_DIAGNOSTICS, default=False): selector.BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or self.config_entry.options
            ),
            errors=errors,
            description_placeholders={
                "minimum": f"{MIN_SCAN_INTERVAL.total_seconds():.0f}",
                "maximum": f"{MAX_SCAN_INTERVAL.total_seconds():.0f}",
            },
        )
