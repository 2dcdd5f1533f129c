"""A PVS outage: the site's power sensors turn unavailable, and come back by themselves.

After a failed poll the integration backs off 30 s, 60 s, 120 s (each up to 20 % shorter) and
keeps the last values through 2 failed polls. The simulator reboots for 130 s, and a poll is
asked for at once (Home Assistant's "Update entity" on the PVS's *Last poll* sensor) instead
of waiting up to 5 minutes for the next scheduled one: the third failed poll (72-90 s on)
still finds the PVS down, the fourth (168-210 s on) finds it back.
"""

from __future__ import annotations

import asyncio
import time

from devstack.integration import LAST_POLL
from devstack.site import GRID_POWER, HOME_POWER, PRODUCTION_POWER

from .common import OUT, CheckError
from .owner import Owner
from .page import row_texts

DOWN_S = 130
UNAVAILABLE_WITHIN_S = 150
BACK_WITHIN_S = 270
SITE_POWERS = (PRODUCTION_POWER, HOME_POWER, GRID_POWER)
UNAVAILABLE = "Unavailable"


async def watch_rows(
    owner: Owner, entities: list[str], until: float, *, unavailable: bool
) -> set[str]:
    """Poll the rows until all (unavailable) or none (back) read Unavailable, or until until.

    Returns the entities whose rows read Unavailable at the end.
    """
    while True:
        texts = await row_texts(owner.browser, entities)
        showing = {e for e, text in texts.items() if UNAVAILABLE in text}
        done = showing == set(entities) if unavailable else not showing
        if done or time.monotonic() > until:
            return showing
        await asyncio.sleep(2)


async def check_outage(owner: Owner) -> str:
    """The PVS stops answering: the site's power turns unavailable, then comes back."""
    site = owner.the_site()
    entities = [site.sensors[key] for key in SITE_POWERS if key in site.sensors]
    last_poll = site.entity(LAST_POLL)
    if last_poll is None:
        raise CheckError("the PVS has no Last poll sensor to ask for a poll with")
    await owner.open_device(await owner.site_device(), "SunPower site")
    url = f"{owner.stack.pvs_url}/_sim/fault"
    async with owner.api.session.post(url, params={"spec": f"reboot={DOWN_S}"}) as resp:
        resp.raise_for_status()
    started = time.monotonic()
    await owner.api.call(
        "POST", "/api/services/homeassistant/update_entity", {"entity_id": last_poll}
    )
    owner.progress.step(f"the PVS reboots for {DOWN_S} s; a poll asked for now")
    showing = await watch_rows(owner, entities, started + UNAVAILABLE_WITHIN_S, unavailable=True)
    gone_s = time.monotonic() - started
    await owner.browser.screenshot(OUT / "14-outage.png")
    kept = sorted(set(entities) - showing)
    owner.progress.step(
        f"{gone_s:.0f} s into the outage: {len(showing)} of {len(entities)} read Unavailable"
        + (f"; still a value: {', '.join(kept)}" if kept else "")
    )
    still = await watch_rows(owner, entities, started + BACK_WITHIN_S, unavailable=False)
    back_s = time.monotonic() - started
    if kept:
        others = (
            f"; the others read Unavailable after {gone_s:.0f} s"
            + (" and still do" if still else f" and were back after {back_s:.0f} s")
            if showing
            else ""
        )
        rows = await row_texts(owner.browser, kept)
        raise CheckError(
            f"{', '.join(kept)} kept showing a value through the outage {rows}{others}"
        )
    if still:
        raise CheckError(f"{', '.join(sorted(still))} still Unavailable {back_s:.0f} s on")
    return f"unavailable after {gone_s:.0f} s, back after {back_s:.0f} s (down {DOWN_S} s)"
