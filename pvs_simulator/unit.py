"""The simulated supervisor: its site, firmware, counters, sessions, faults and statistics."""

from __future__ import annotations

from dataclasses import replace

from .battery import EssControl
from .clock import SimClock
from .config import Firmware, SimulatorConfig
from .faults import FaultBook
from .hardware import Installation, build_installation, successor
from .profiles import FirmwareBuild, SiteProfile, firmware_build, get_profile
from .replay import ReplayData
from .sessions import SessionStore
from .site import DEVICE_REFRESH_S, Site
from .stats import Stats

INITIAL_UPTIME_S = 99696.0
INITIAL_FLASH_AVAIL_KIB = 104808.0
# Old firmware logged every DeviceList request to flash.
FLASH_PER_DEVICE_LIST_KIB = 0.5


class PvsUnit:
    """State shared by every endpoint of one simulated PVS."""

    def __init__(self, config: SimulatorConfig, replay: ReplayData | None = None) -> None:
        """Build the unit described by ``config``."""
        self.config = config
        self.profile: SiteProfile = get_profile(config.profile)
        self.clock = SimClock(config.start, config.speed)
        self.installation: Installation = build_installation(self.profile, config.seed)
        self.site = Site(self.profile, config.seed, self.clock.epoch, config.ess_control)
        self.replay = replay
        self.firmware: Firmware = replay.firmware if replay else config.firmware
        self.faults = FaultBook(self.clock)
        self.sessions = SessionStore(self.clock, config.session_ttl_s)
        self.stats = Stats()
        self.telemetry_enabled = False
        self.owner_password = config.password
        self.var_caches: dict[str, tuple[str, ...]] = {}
        self.down_until: float | None = None
        self._boot_epoch = self.clock.epoch - INITIAL_UPTIME_S
        self._flash_avail_kib = INITIAL_FLASH_AVAIL_KIB
        self._untransmitted = 0.0
        self._synced_epoch = self.clock.epoch

    @property
    def serial(self) -> str:
        """The supervisor serial (its last five characters are the LocalAPI password)."""
        if self.replay and self.replay.serial:
            return self.replay.serial
        return self.installation.pvs_serial

    @property
    def password(self) -> str:
        """The LocalAPI password: the owner's own, or the default derived from the serial."""
        return self.owner_password if self.owner_password is not None else self.serial[-5:]

    @property
    def build(self) -> FirmwareBuild:
        """Software version strings of the current firmware."""
        return firmware_build(self.profile.model, self.firmware)

    @property
    def uptime_s(self) -> float:
        """Seconds since the last (simulated) boot."""
        return max(0.0, self.clock.epoch - self._boot_epoch)

    @property
    def flash_avail_kib(self) -> float:
        """Free flash in KiB."""
        return self._flash_avail_kib

    @property
    def untransmitted(self) -> int:
        """Records waiting for upload to the cloud."""
        return int(self._untransmitted)

    @property
    def is_down(self) -> bool:
        """Rebooting: no connections accepted."""
        return self.down_until is not None

    def site_parts(self) -> tuple[SiteProfile, Installation, Site]:
        """What the measurement builders need."""
        return self.profile, self.installation, self.site

    def sync(self) -> None:
        """Bring the site and counters up to the simulated now."""
        now = self.clock.epoch
        self.site.advance_to(now)
        if self.faults.uploads_down:
            devices = len(self.installation.inverters) + 3
            self._untransmitted += (now - self._synced_epoch) / DEVICE_REFRESH_S * devices
        self._synced_epoch = now

    def set_ess_control(self, control: EssControl) -> None:
        """New battery settings, in force from the simulated now (they survive reboots)."""
        self.sync()
        self.site.set_control(control)

    def note_device_list(self) -> None:
        """A legacy DeviceList was served: it left a trace in flash."""
        self._flash_avail_kib = max(0.0, self._flash_avail_kib - FLASH_PER_DEVICE_LIST_KIB)

    def go_down(self, seconds: float) -> None:
        """Start a reboot: sessions, telemetry and glitches do not survive it."""
        self.down_until = self.clock.epoch + seconds
        self.sessions.expire_all()
        self.telemetry_enabled = False
        self.faults.forget_glitches()

    def come_up(self) -> None:
        """Finish a reboot: uptime starts again."""
        self.down_until = None
        self._boot_epoch = self.clock.epoch

    def replace_inverter(self, serial: str) -> str:
        """Swap a microinverter for a new one (new serial, lifetime 0 from now); its serial."""
        inverters = self.installation.inverters
        index = next((i for i, unit in enumerate(inverters) if unit.serial == serial), None)
        if index is None:
            raise ValueError(f"no inverter {serial!r}")
        new = successor(inverters[index], self.site.device_reading.totals.pv_kwh)
        self.installation = replace(
            self.installation, inverters=(*inverters[:index], new, *inverters[index + 1 :])
        )
        return new.serial

    def set_firmware(self, firmware: Firmware) -> None:
        """Switch generation (an over-the-air update); sessions do not survive it."""
        self.firmware = firmware
        self.sessions.expire_all()
        self.telemetry_enabled = False
