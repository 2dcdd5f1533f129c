"""The health of one PVS as repair issues: raised while a condition lasts, deleted when it clears.

It judges every poll (failed ones included) with the rules of ``health``: an unreachable
PVS, low or worn flash, an upload backlog that grows for a day, a silent microinverter.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import PollCoordinator
from .health import Finding, HealthWatch
from .pvs import PVSData
from .repairs import issue_id


class HealthMonitor:
    """Keeps the issue registry in step with the findings of the latest poll."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, poll: PollCoordinator) -> None:
        """Issues of one config entry, judged after each of its polls."""
        self._hass = hass
        self._entry = entry
        self._poll = poll
        self._watch = HealthWatch()
        self._findings: dict[str, Finding] = {}
        self._observed: PVSData | None = None
        entry.async_on_unload(poll.async_on_poll_finished(self._judge))

    @callback
    def _judge(self) -> None:
        data = self._poll.data
        if self._poll.last_update_success and data is not None and data is not self._observed:
            self._observed = data  # a failed poll within the grace period repeats the last data
            self._watch.observe(data)
        health = self._poll.health
        self._sync(self._watch.findings(health, health.last_attempt or dt_util.utcnow()))

    def _sync(self, findings: dict[str, Finding]) -> None:
        """Raise an issue per finding and delete those whose condition cleared."""
        placeholders = {"title": self._entry.title}
        for key, finding in findings.items():
            ir.async_create_issue(
                self._hass,
                DOMAIN,
                issue_id(self._entry.entry_id, key),
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=finding.translation_key,
                translation_placeholders=placeholders | finding.placeholders,
            )
        for key in self._findings.keys() - findings.keys():
            ir.async_delete_issue(self._hass, DOMAIN, issue_id(self._entry.entry_id, key))
        self._findings = dict(findings)

    @callback
    def forget(self, serial: str) -> None:
        """A device the PVS no longer reports was deleted: drop what was raised about it."""
        self._watch.forget(serial)
        self._sync(
            {
                key: finding
                for key, finding in self._findings.items()
                if finding.placeholders.get("serial") != serial
            }
        )

    @callback
    def clear(self) -> None:
        """Remove this entry's condition issues (on unload; they are raised again if true)."""
        self._sync({})
