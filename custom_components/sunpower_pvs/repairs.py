"""Repair issues: conditions that last (raised by the coordinator), notices and offers."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .compat import RepairsFlowResult, vol
from .const import DOMAIN
from .energy_offer import (
    Offer,
    async_accept,
    async_decide,
    async_flatten_grid_sources,
    async_forget,
    async_pending_offer,
    site_unique_ids,
)
from .health import Finding

FIRMWARE_CHANGED = "firmware_changed"
ENERGY_OFFER = "energy_offer"


def issue_id(entry_id: str, key: str) -> str:
    """Issue ids carry the entry, so two PVS units at one site keep separate issues."""
    return f"{entry_id}_{key}"


class RepairSync:
    """Keeps the issue registry in step with the findings of the latest poll."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Issues of one config entry."""
        self._hass = hass
        self._entry_id = entry_id
        self._raised: set[str] = set()

    @callback
    def sync(self, findings: dict[str, Finding], placeholders: dict[str, str]) -> None:
        """Raise an issue per finding and delete those whose condition cleared."""
        for key, finding in findings.items():
            ir.async_create_issue(
                self._hass,
                DOMAIN,
                issue_id(self._entry_id, key),
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=finding.translation_key,
                translation_placeholders=placeholders | finding.placeholders,
            )
        for key in self._raised - set(findings):
            ir.async_delete_issue(self._hass, DOMAIN, issue_id(self._entry_id, key))
        self._raised = set(findings)

    @callback
    def firmware_changed(self, old: str, new: str, title: str) -> None:
        """Tell the owner once that the PVS moved to another interface; they acknowledge it."""
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue_id(self._entry_id, FIRMWARE_CHANGED),
            is_fixable=True,
            is_persistent=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=FIRMWARE_CHANGED,
            translation_placeholders={"old": old, "new": new, "title": title},
        )

    @callback
    def clear(self) -> None:
        """Remove this entry's condition issues (on unload; they are raised again if true)."""
        for key in self._raised:
            ir.async_delete_issue(self._hass, DOMAIN, issue_id(self._entry_id, key))
        self._raised = set()


def _placeholders(entry: ConfigEntry, offer: Offer) -> dict[str, str]:
    return {
        "title": entry.title,
        "sensors": "\n".join(f"- {entity_id}" for entity_id in offer.entity_ids),
    }


class EnergyOfferIssue:
    """The Energy dashboard offer of one loaded entry: raised once, kept current while open."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """The offer of one config entry."""
        self._hass = hass
        self._entry = entry
        self._issue_id = issue_id(entry.entry_id, ENERGY_OFFER)
        self._unique_ids = site_unique_ids(entry)
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
            translation_placeholders=_placeholders(self._entry, offer),
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


async def async_start_energy_offer(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Offer the Energy dashboard set-up when due, and follow the sensors as they appear."""
    await async_flatten_grid_sources(hass)
    offer = EnergyOfferIssue(hass, entry)
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


class EnergyOfferFlow(RepairsFlow):
    """Add the site's meters to the Energy dashboard, keeping everything the owner set up."""

    def __init__(self, entry_id: str) -> None:
        """The offer of one config entry."""
        self._entry_id = entry_id

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Go straight to the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Show what will be added; on confirmation add it, unless solar was set up meanwhile."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None:
            return self.async_abort(reason="no_sensors")
        if user_input is None:
            offer = await async_pending_offer(self.hass, entry)
        else:
            offer = await async_accept(self.hass, entry)
        if offer is None:
            ir.async_delete_issue(self.hass, DOMAIN, self.issue_id)
            return self.async_abort(reason="solar_configured")
        if not offer.sources:
            return self.async_abort(reason="no_sensors")
        if user_input is None:
            return self.async_show_form(
                step_id="confirm",
                data_schema=vol.Schema({}),
                description_placeholders=_placeholders(entry, offer),
            )
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The Energy dashboard offer runs its own flow; the firmware notice is acknowledged."""
    if issue_id.endswith(f"_{ENERGY_OFFER}") and data and isinstance(data.get("entry_id"), str):
        return EnergyOfferFlow(data["entry_id"])
    return ConfirmRepairFlow()
