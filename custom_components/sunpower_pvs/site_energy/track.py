"""The rules that keep a lifetime counter's long-term statistics clean.

A ``Track`` follows one lifetime counter of the PVS (a meter register, an inverter's
lifetime energy) and says how much energy each new reading adds. Site energy sensors are
sums of these additions, so they never drop and never spike:

* **Drops add nothing.** A reading below the last accepted one (a glitch reading 0, a
  counter that sags after a reboot) is ignored. If it is at least ``RESET_MIN_DROP_KWH``
  lower for ``CONFIRM_DROP_POLLS`` polls in a row the counter really was reset or the device
  replaced: the low reading becomes the new starting point and only growth from there on
  counts. A smaller drop is waited out.
* **Implausible jumps are held.** A reading higher than the counter can have grown since
  the last accepted one (the device's maximum power times the elapsed time, with margin) is
  held back. If the next reading continues from it, it was a replacement or a corrected
  register: it becomes the new starting point without adding the jump. If the next reading
  continues from the old value, the jump was a glitch and is forgotten.
* **A device first seen counts from its first reading**, so an inverter that wakes at
  sunrise or reappears after vanishing adds only what it produces from then on. A new
  device whose counter is small enough to have been filled since the last poll (a fresh
  replacement) counts from 0.
* A missing reading changes nothing: the counter keeps its last value.

A ``NetTrack`` follows a register that really runs both ways (a grid meter's net energy,
falling while the site exports) with the same rules in both directions: it may fall, but
never faster than the meter can move energy; a glitch to 0 or a spike is held back.

``Direction`` learns which of a pair of registers (a meter's positive and negative ones, a
battery's two) runs with energy drawn in: for the grid the one that grows at night, when
the panels produce nothing. Owners report both orientations, depending on the installer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CONFIRM_DROP_POLLS = 3
# A reading beyond what the device can do, and the one after it continuing from it.
CONFIRM_JUMP_POLLS = 2
# A reset or a replacement starts a counter again from near 0; a smaller drop is a register
# sagging or rounding noise (a PVS5's import register derived from two rounded ones), and
# the counter just waits until it is above its last value again.
RESET_MIN_DROP_KWH = 1.0
# Counters come with 2 decimals (dl_cgi) or as float32 text (varserver): a reading this little
# below the last one is rounding, not a drop. Any rise counts: a sunset's last few watt-hours
# per panel are real.
RESOLUTION_KWH = 0.005
# Growth allowed over the elapsed time: the device's maximum power with this margin, and
# never less than one 5-minute data set's worth plus a little for rounding.
JUMP_MARGIN = 1.5
MIN_ELAPSED_H = 5 / 60
SLACK_KWH = 0.02
# Night growth needed before deciding a direction, and how lopsided it must be.
EVIDENCE_KWH = 0.2
EVIDENCE_RATIO = 0.25


def allowed_growth(max_kw: float, elapsed_s: float) -> float:
    """The most a counter of a device of ``max_kw`` can grow in ``elapsed_s`` seconds."""
    hours = max(elapsed_s / 3600.0, MIN_ELAPSED_H)
    return max_kw * hours * JUMP_MARGIN + SLACK_KWH


@dataclass(slots=True)
class Track:
    """One lifetime counter: the last accepted reading (and when), and pending doubts."""

    base: float | None = None
    base_time: float | None = None
    low: float | None = None
    low_time: float | None = None
    low_polls: int = 0
    high: float | None = None
    high_time: float | None = None

    def step(
        self, reading: float | None, when: float, max_kw: float, *, new: bool = False
    ) -> float:
        """The energy (kWh, >= 0) that ``reading`` adds.

        ``when`` (epoch s) is the reading's own time stamp where the device sends one, so
        the growth allowed is that of the time the data really covers.

        ``new``: the device appeared after the site was first seen, so a counter small
        enough to have been filled since then counts from 0.
        """
        if reading is None:
            return 0.0
        if self.base is None:
            fresh = new and reading <= allowed_growth(max_kw, 0.0)
            self._accept(0.0 if fresh else reading, when)
            return self.step(reading, when, max_kw) if fresh else 0.0
        if self.base_time is None:  # restored: the time since is unknown, any rise is real
            if reading < self.base:
                return self._drop(reading, when, max_kw)
            grown = reading - self.base
            self._accept(reading, when)
            return grown
        delta = reading - self.base
        if delta < -RESOLUTION_KWH:
            return self._drop(reading, when, max_kw)
        self.low, self.low_time, self.low_polls = None, None, 0
        if delta <= 0.0:
            self.base_time = max(self.base_time, when)  # unchanged (or rounding) as of now
            return 0.0
        if delta > allowed_growth(max_kw, when - self.base_time):
            return self._jump(reading, when, max_kw)
        self.high = self.high_time = None
        self._accept(reading, when)
        return delta

    def restore(self, value: float) -> None:
        """Go on from a value shown before a restart, if above what was read since."""
        if self.base is None or value > self.base:
            self.base, self.base_time = value, None
            self.low = self.low_time = self.high = self.high_time = None
            self.low_polls = 0

    def _accept(self, reading: float, when: float) -> None:
        self.base, self.base_time = reading, when

    def _drop(self, reading: float, when: float, max_kw: float) -> float:
        if self.base is not None and self.base - reading < RESET_MIN_DROP_KWH:
            self.low, self.low_time, self.low_polls = None, None, 0
            return 0.0
        if self.low is None or self.low_time is None or reading < self.low - RESOLUTION_KWH:
            self.low, self.low_time, self.low_polls = reading, when, 1
        else:
            self.low_polls += 1
        if self.low_polls < CONFIRM_DROP_POLLS:
            return 0.0
        # Lower for several polls: a reset or a replacement. Count its growth since then.
        start, start_time = self.low, self.low_time
        self.low, self.low_time, self.low_polls = None, None, 0
        self._accept(reading, when)
        grown = reading - start
        return grown if 0 < grown <= allowed_growth(max_kw, when - start_time) else 0.0

    def _jump(self, reading: float, when: float, max_kw: float) -> float:
        if (
            self.high is not None
            and self.high_time is not None
            and -RESOLUTION_KWH
            <= reading - self.high
            <= allowed_growth(max_kw, when - self.high_time)
        ):
            # Confirmed: the counter goes on from the higher value. Count only what followed.
            grown = max(reading - self.high, 0.0)
            self.high = self.high_time = None
            self._accept(reading, when)
            return grown
        self.high, self.high_time = reading, when
        return 0.0


@dataclass(slots=True)
class NetTrack:
    """A register that runs both ways (a grid meter's net: import minus export).

    Its rules are ``Track``'s, both ways: a reading further from the last accepted one than
    the device can have moved since is held back; it becomes the new value once the next
    reading continues from it (``CONFIRM_DROP_POLLS`` readings in a row for a fall, two for
    a rise), and is forgotten otherwise. A glitch to 0 or a spike never shows.
    """

    base: float | None = None
    base_time: float | None = None
    doubt: float | None = None
    doubt_time: float | None = None
    doubt_polls: int = 0

    def step(self, reading: float | None, when: float, max_kw: float) -> None:
        """Take ``reading`` (epoch s ``when``) if the device can have got there."""
        if reading is None:
            return
        if self.base is None:
            self._accept(reading, when)
            return
        elapsed = 0.0 if self.base_time is None else when - self.base_time
        if abs(reading - self.base) <= allowed_growth(max_kw, elapsed):
            self._accept(reading, when)
            return
        if (
            self.doubt is not None
            and self.doubt_time is not None
            and abs(reading - self.doubt) <= allowed_growth(max_kw, when - self.doubt_time)
        ):
            self.doubt_polls += 1
        else:
            self.doubt_polls = 1
        self.doubt, self.doubt_time = reading, when
        needed = CONFIRM_JUMP_POLLS if reading > self.base else CONFIRM_DROP_POLLS
        if self.doubt_polls >= needed:
            self._accept(reading, when)

    def restore(self, value: float) -> None:
        """Go on from a value shown before a restart (the time since is unknown)."""
        self.base, self.base_time = value, None
        self.doubt = self.doubt_time = None
        self.doubt_polls = 0

    def _accept(self, reading: float, when: float) -> None:
        self.base, self.base_time = reading, when
        self.doubt = self.doubt_time = None
        self.doubt_polls = 0


class Orientation(StrEnum):
    """Which register of a pair runs with energy drawn in (grid import, battery discharge)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


@dataclass(slots=True)
class Direction:
    """Learns the orientation of a register pair from growth seen with evidence, then keeps it.

    Evidence is a poll during which energy can only have been drawn in: night for a grid
    meter (no production), a falling state of charge for a battery.
    """

    decided: Orientation | None = None
    night_positive_kwh: float = 0.0
    night_negative_kwh: float = 0.0

    def observe(self, positive_kwh: float, negative_kwh: float, *, evidence: bool) -> None:
        """Add one poll's growth of each register if it was a poll with evidence."""
        if self.decided is not None or not evidence:
            return
        self.night_positive_kwh += positive_kwh
        self.night_negative_kwh += negative_kwh
        larger = max(self.night_positive_kwh, self.night_negative_kwh)
        smaller = min(self.night_positive_kwh, self.night_negative_kwh)
        if larger >= EVIDENCE_KWH and smaller <= EVIDENCE_RATIO * larger:
            self.decided = (
                Orientation.POSITIVE
                if self.night_positive_kwh >= self.night_negative_kwh
                else Orientation.NEGATIVE
            )
