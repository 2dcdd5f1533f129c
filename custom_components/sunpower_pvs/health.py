"""How polling goes, and which conditions deserve a repair issue.

Everything here is plain bookkeeping over poll results, so its rules can be read in one
place: the poll coordinator keeps ``PollHealth``, ``health_monitor`` turns the findings into
repair issues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .night import daylight, producing
from .pvs import PVSData

UNREACHABLE_AFTER = timedelta(minutes=30)
BACKLOG_GROWING_FOR = timedelta(hours=24)
SILENT_INVERTER_FOR = timedelta(hours=24)
FLASH_LOW_KIB = 10 * 1024
FLASH_WEAR_PCT = 70.0


@dataclass(slots=True)
class PollHealth:
    """Outcome of the recent polls, shown by the supervisor's diagnostic sensors."""

    last_success: datetime | None = None
    last_attempt: datetime | None = None
    last_duration_s: float | None = None
    # the PVS's clock minus Home Assistant's at the last successful poll: device time stamps
    # are moved by it, so a PVS with a wrong clock never shows times in the future
    clock_offset_s: float | None = None
    consecutive_failures: int = 0
    failing_since: datetime | None = None
    last_error: str | None = None

    def succeeded(
        self, now: datetime, duration_s: float, device_time: datetime | None = None
    ) -> None:
        """A poll brought data; ``device_time`` is the PVS's clock when it answered."""
        self.last_success = self.last_attempt = now
        self.last_duration_s = round(duration_s, 2)
        if device_time is not None:
            self.clock_offset_s = round((device_time - now).total_seconds(), 1)
        self.consecutive_failures = 0
        self.failing_since = None
        self.last_error = None

    def failed(self, now: datetime, reason: str) -> None:
        """A poll failed; ``reason`` is a short word (timeout, refused, http_503, ...)."""
        self.last_attempt = now
        if self.consecutive_failures == 0:
            self.failing_since = now
        self.consecutive_failures += 1
        self.last_error = reason


@dataclass(frozen=True, slots=True)
class Finding:
    """A condition for a repair issue: its translation key and the values it names."""

    translation_key: str
    placeholders: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class HealthWatch:
    """Conditions that last: an unreachable PVS, a growing upload backlog, a silent inverter.

    Times of the data are the PVS's own clock; unreachability is measured with Home
    Assistant's, since an absent PVS has no clock to read.
    """

    _backlog: tuple[datetime, int] | None = None
    _silent_since: dict[str, datetime] = field(default_factory=dict)
    _known: set[str] = field(default_factory=set)
    # inverters missing from the last daylight poll (at night the coordinator carries them)
    _absent: set[str] = field(default_factory=set)
    _data_findings: dict[str, Finding] = field(default_factory=dict)

    def observe(self, data: PVSData) -> None:
        """Update the trackers from a successful poll."""
        now = data.device_time or data.supervisor.last_report
        findings: dict[str, Finding] = {}
        supervisor = data.supervisor
        if (
            supervisor.flash_available_kib is not None
            and supervisor.flash_available_kib < FLASH_LOW_KIB
        ):
            findings["flash_low"] = Finding(
                "flash_low", {"free_mib": f"{supervisor.flash_available_kib / 1024:.1f}"}
            )
        if supervisor.flash_wear_pct is not None and supervisor.flash_wear_pct >= FLASH_WEAR_PCT:
            findings["flash_wear"] = Finding(
                "flash_wear", {"wear": f"{supervisor.flash_wear_pct:.0f}"}
            )
        if now is not None:
            if self._backlog_growing(now, supervisor.untransmitted_records):
                findings["upload_backlog"] = Finding(
                    "upload_backlog", {"records": str(supervisor.untransmitted_records)}
                )
            findings |= self._silent_inverters(now, data)
        self._data_findings = findings

    def _backlog_growing(self, now: datetime, records: int | None) -> bool:
        """Records waiting for upload that never went down for a whole day."""
        if not records:
            self._backlog = None
            return False
        if self._backlog is None or records < self._backlog[1]:
            self._backlog = (now, records)
            return False
        started, _ = self._backlog
        self._backlog = (started, records)
        return now - started >= BACKLOG_GROWING_FOR

    def _silent_inverters(self, now: datetime, data: PVSData) -> dict[str, Finding]:
        """Inverters that produced nothing in daylight for a day while others did.

        One missing from the list in daylight for that long is named as gone instead: a
        dead unit often drops out of the DeviceList, and a replaced one does for good (its
        device can then be deleted). The clock only runs while others produce.
        """
        if daylight(data):
            self._known |= set(data.inverters)
            self._absent = self._known - set(data.inverters)
            for serial in self._known:
                inverter = data.inverters.get(serial)
                if inverter is not None and producing(inverter):
                    self._silent_since.pop(serial, None)
                else:
                    self._silent_since.setdefault(serial, now)
        findings: dict[str, Finding] = {}
        for serial, since in self._silent_since.items():
            if now - since < SILENT_INVERTER_FOR:
                continue
            if serial in self._absent:
                findings[f"inverter_gone_{serial}"] = Finding("inverter_gone", {"serial": serial})
            else:
                findings[f"inverter_silent_{serial}"] = Finding(
                    "inverter_silent", {"serial": serial}
                )
        return findings

    def forget(self, serial: str) -> None:
        """The owner deleted a device that is gone: stop watching it."""
        self._known.discard(serial)
        self._absent.discard(serial)
        self._silent_since.pop(serial, None)
        self._data_findings = {
            key: finding
            for key, finding in self._data_findings.items()
            if finding.placeholders.get("serial") != serial
        }

    def findings(self, health: PollHealth, now: datetime) -> dict[str, Finding]:
        """Every condition that holds now, keyed by repair issue id."""
        if health.failing_since is not None and now - health.failing_since >= UNREACHABLE_AFTER:
            return {"unreachable": Finding("unreachable", {"error": health.last_error or "?"})}
        return dict(self._data_findings)
