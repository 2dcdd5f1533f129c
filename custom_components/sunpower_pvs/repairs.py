"""Repair issues: raised by the coordinator for conditions that last, removed when they end."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .health import Finding

FIRMWARE_CHANGED = "firmware_changed"


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


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The firmware-change notice is fixed by acknowledging it."""
    return ConfirmRepairFlow()
