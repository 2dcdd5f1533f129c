"""Repair issues' ids and fix flows: the firmware notice and the Energy dashboard offer.

Conditions that last (an unreachable PVS, low flash, ...) are raised and cleared by
``health_monitor``; the offer is raised by ``energy_offer_issue``.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .compat import RepairsFlowResult, vol
from .const import DOMAIN
from .energy_offer import Offer, async_accept, async_pending_offer
from .pvs import Generation

FIRMWARE_CHANGED = "firmware_changed"
ENERGY_OFFER = "energy_offer"


def issue_id(entry_id: str, key: str) -> str:
    """Issue ids carry the entry, so two PVS units at one site keep separate issues."""
    return f"{entry_id}_{key}"


@callback
def async_firmware_notice(
    hass: HomeAssistant, entry: ConfigEntry, old: Generation, new: Generation
) -> None:
    """Tell the owner once that the PVS moved to another interface; they acknowledge it."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(entry.entry_id, FIRMWARE_CHANGED),
        is_fixable=True,
        is_persistent=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=FIRMWARE_CHANGED,
        translation_placeholders={"old": old.value, "new": new.value, "title": entry.title},
    )


def offer_placeholders(entry: ConfigEntry, offer: Offer) -> dict[str, str]:
    """What the offer's issue and its dialog name: the entry and the sensors to add."""
    return {
        "title": entry.title,
        "sensors": "\n".join(f"- {entity_id}" for entity_id in offer.entity_ids),
    }


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
                description_placeholders=offer_placeholders(entry, offer),
            )
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The Energy dashboard offer runs its own flow; the firmware notice is acknowledged."""
    if issue_id.endswith(f"_{ENERGY_OFFER}") and data and isinstance(data.get("entry_id"), str):
        return EnergyOfferFlow(data["entry_id"])
    return ConfirmRepairFlow()
