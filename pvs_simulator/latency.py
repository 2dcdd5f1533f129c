"""How long a real unit takes to answer, in device seconds."""

from __future__ import annotations

import random

from .profiles import SiteProfile

# Owners report 6-10 s for 24-37 panels; each further inverter adds roughly 0.1 s.
DEVICE_LIST_BASE_S = 7.0
DEVICE_LIST_PER_EXTRA_INVERTER_S = 0.1
BASE_INVERTERS = 24

FIXED_S = {
    "devices/list": 35.0,
    "energy-storage-system/status": 2.5,
    "auth?login": 0.4,
    "auth?logout": 0.1,
    "vars": 0.25,
    # A write waits for the busy ESS controller (SunStrong: "write rarely").
    "vars?set": 0.6,
    "supervisor/info": 0.2,
}
VARS_MATCH_S = 0.8
OTHER_S = 0.3


def device_seconds(
    endpoint: str, profile: SiteProfile, *, match: bool, rng: random.Random
) -> float:
    """Typical response time of ``endpoint`` on this site, with some jitter."""
    extra_inverters = max(0, profile.inverters - BASE_INVERTERS)
    if endpoint == "DeviceList":
        base = DEVICE_LIST_BASE_S + DEVICE_LIST_PER_EXTRA_INVERTER_S * extra_inverters
        return base * rng.uniform(0.85, 1.3)
    if endpoint == "devices/list":
        return (FIXED_S[endpoint] + DEVICE_LIST_PER_EXTRA_INVERTER_S * extra_inverters) * (
            rng.uniform(0.85, 1.6)
        )
    if endpoint == "vars" and match:
        return VARS_MATCH_S * rng.uniform(0.8, 1.5)
    return FIXED_S.get(endpoint, OTHER_S) * rng.uniform(0.8, 1.5)
