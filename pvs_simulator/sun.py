"""Weather and household habits: where the solar and load powers come from."""

from __future__ import annotations

from datetime import UTC, datetime
import math
import random

# A Californian roof: most published captures come from there.
LATITUDE_DEG = 37.4
LONGITUDE_DEG = -122.0
LOCAL_OFFSET_H = LONGITUDE_DEG / 15.0


def solar_elevation_deg(epoch: float) -> float:
    """Sun elevation above the horizon (NOAA approximation, good to a fraction of a degree)."""
    when = datetime.fromtimestamp(epoch, UTC)
    hour = when.hour + when.minute / 60 + (when.second + when.microsecond / 1e6) / 3600
    gamma = 2 * math.pi / 365 * (when.timetuple().tm_yday - 1 + (hour - 12) / 24)
    eqtime = 229.18 * (
        0.000075
        + 0.001868 * math.cos(gamma)
        - 0.032077 * math.sin(gamma)
        - 0.014615 * math.cos(2 * gamma)
        - 0.040849 * math.sin(2 * gamma)
    )
    decl = (
        0.006918
        - 0.399912 * math.cos(gamma)
        + 0.070257 * math.sin(gamma)
        - 0.006758 * math.cos(2 * gamma)
        + 0.000907 * math.sin(2 * gamma)
        - 0.002697 * math.cos(3 * gamma)
        + 0.00148 * math.sin(3 * gamma)
    )
    solar_minutes = hour * 60 + eqtime + 4 * LONGITUDE_DEG
    hour_angle = math.radians(solar_minutes / 4 - 180)
    lat = math.radians(LATITUDE_DEG)
    cos_zenith = math.sin(lat) * math.sin(decl) + math.cos(lat) * math.cos(decl) * math.cos(
        hour_angle
    )
    return 90.0 - math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))


def local_hour(epoch: float) -> float:
    """Mean solar hour of day at the site, 0-24."""
    return ((epoch / 3600.0) + LOCAL_OFFSET_H) % 24.0


class Sky:
    """Clear-sky irradiance with drifting clouds, a pure function of time.

    Clouds are a sum of slow waves (periods of 25 minutes to a day) so power changes
    smoothly: a client sampling every few minutes still sees a consistent integral.
    """

    def __init__(self, seed: int) -> None:
        """Pick the cloud waves from ``seed``."""
        rng = random.Random(seed * 7919 + 17)
        self._waves = [
            (rng.uniform(0.5, 1.0), rng.uniform(25, 90) * 60, rng.uniform(0, 2 * math.pi))
            for _ in range(4)
        ] + [(1.2, rng.uniform(20, 30) * 3600, rng.uniform(0, 2 * math.pi))]
        self._norm = sum(amplitude for amplitude, _, _ in self._waves)

    def clearness(self, epoch: float) -> float:
        """Fraction of clear-sky light that gets through, 0.3-1."""
        wave = sum(a * math.sin(2 * math.pi * epoch / p + phase) for a, p, phase in self._waves)
        cover = max(0.0, min(1.0, (wave / self._norm - 0.1) / 0.6))
        return 1.0 - 0.7 * cover

    def irradiance(self, epoch: float) -> float:
        """Plane-of-array irradiance relative to full sun, 0-1."""
        elevation = solar_elevation_deg(epoch)
        if elevation <= 0.0:
            return 0.0
        return float(math.sin(math.radians(elevation)) ** 1.2) * self.clearness(epoch)

    def ambient_degc(self, epoch: float) -> float:
        """Outdoor temperature: cool before dawn, warm mid-afternoon."""
        return 19.0 + 8.0 * math.sin(2 * math.pi * (local_hour(epoch) - 9.0) / 24.0)


class Household:
    """A family's electricity use: base load, appliances cycling, morning and evening peaks."""

    def __init__(self, seed: int, scale: float) -> None:
        """Pick appliance rhythms from ``seed``; ``scale`` sizes the house."""
        rng = random.Random(seed * 104729 + 3)
        self._scale = scale
        self._cycles = [
            (rng.uniform(0.1, 0.3), rng.uniform(30, 70) * 60, rng.uniform(0, 2 * math.pi))
            for _ in range(3)
        ]

    def load_kw(self, epoch: float, irradiance: float) -> float:
        """House consumption in kW."""
        hour = local_hour(epoch)
        cycling = sum(a * (1 + math.sin(2 * math.pi * epoch / p + f)) for a, p, f in self._cycles)
        morning = 0.9 * math.exp(-(((hour - 7.5) / 1.0) ** 2))
        evening = 2.2 * math.exp(-(((hour - 19.0) / 1.8) ** 2))
        cooling = 1.1 * irradiance
        return self._scale * (0.35 + cycling + morning + evening + cooling)
