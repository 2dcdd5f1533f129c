"""The Energy dashboard offer as a repair issue: raised once, kept current while it is open."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .const import DOMAIN
from .energy_offer import (
    async_decide,
    async_flatten_grid_sources,
    async_forget,
    async_pending_offer,
    site_unique_ids,
)
from .repairs import ENERGY_OFFER, issue_id, offer_placeholders


class EnergyOfferIssue:
    """The Energy dashboard offer of one loaded entry."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, supervisor_serial: str) -> None:
        """The offer of one config entry, whose site sensors carry the supervisor's serial."""
        self._hass = hass
        self._entry = entry
        self._issue_id = issue_id(entry.entry_id, ENERGY_OFFER)
        self._unique_ids = site_unique_ids(supervisor_serial)
        self._listed: set[str] = set()

    async def async_update(self) -> None:
        """Raise the offer when it is decided; while it is open, list what it would add now.

        An open offer (ignored ones included: they stay ignored) is re-raised after a restart,
        listing the sensors that exist by then, and removed once the owner has a solar source.
        """
        registry = ir.async_get(self._hass)
        if registry.async_get_issue(DOMAIN, self._issue_id) is None:
            offer = await async_decide(self._hass, self._entry)
        elif (offer := await async_pending_offer(self._hass, self._entry)) is None:
            ir.async_delete_issue(self._hass, DOMAIN, self._issue_id)
            return
        if offer is None or not offer.sources:
            return
        self._listed = set(offer.entity_ids)
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            self._issue_id,
            data={"entry_id": self._entry.entry_id},
            is_fixable=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ENERGY_OFFER,
            translation_placeholders=offer_placeholders(self._entry, offer),
        )

    @callback
    def concerns(self, event_data: er.EventEntityRegistryUpdatedData) -> bool:
        """Whether a registry change touches one of the sensors the offer adds or lists."""
        if event_data["entity_id"] in self._listed:
            return True
        entity = er.async_get(self._hass).async_get(event_data["entity_id"])
        return entity is not None and entity.unique_id in self._unique_ids

    @callback
    def registry_updated(self, event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        """A sensor appeared, went or changed: decide, or refresh what the open offer lists."""
        self._entry.async_create_task(self._hass, self.async_update(), "energy offer")


async def async_start_energy_offer(
    hass: HomeAssistant, entry: ConfigEntry, supervisor_serial: str
) -> None:
    """Offer the Energy dashboard set-up when due, and follow the sensors as they appear."""
    await async_flatten_grid_sources(hass)
    offer = EnergyOfferIssue(hass, entry, supervisor_serial)
    await offer.async_update()
    entry.async_on_unload(
        hass.bus.async_listen(
            er.EVENT_ENTITY_REGISTRY_UPDATED, offer.registry_updated, event_filter=offer.concerns
        )
    )


async def async_remove_energy_offer(hass: HomeAssistant, entry_id: str) -> None:
    """A removed entry takes its offer along."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(entry_id, ENERGY_OFFER))
    await async_forget(hass, entry_id)
