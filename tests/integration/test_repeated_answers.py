"""A poll whose answers repeat the last ones byte for byte: the same data, nothing written."""

from __future__ import annotations

from pathlib import Path

from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs.pvs import PVSData
from custom_components.sunpower_pvs.site_energy.ledger import SiteLedger
from pvs_simulator import SimulatorConfig

from .rig import AFTERNOON

# A published DeviceList, served back unchanged: the simulator's own legacy answers change
# with every DeviceList (each leaves a trace in the PVS's flash, dl_flash_avail).
FIXTURES = Path(__file__).parent.parent / "fixtures"
REPLAYED = FIXTURES / "devicelist-2025.06-b61839-smcneece-sample.json"


@pytest.mark.parametrize(
    "sim_config",
    [
        SimulatorConfig(firmware="legacy", speed=0.0, start=AFTERNOON, replay=(REPLAYED,)),
        SimulatorConfig(profile="typical", firmware="localapi", speed=0.0, start=AFTERNOON, seed=1),
    ],
    ids=["legacy", "localapi"],
)
@pytest.mark.freeze_time(AFTERNOON)
async def test_repeated_answers_are_the_same_poll_data_and_change_nothing(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poll = setup_entry.runtime_data.poll
    await poll.async_refresh()  # the slow reads of the first poll are behind us
    await hass.async_block_till_done()
    before = poll.data
    changed: list[str] = []

    @callback
    def note(event: Event[EventStateChangedData]) -> None:
        changed.append(event.data["entity_id"])

    steps: list[object] = []
    step = SiteLedger.update

    def counted(ledger: SiteLedger, data: PVSData, now: float) -> None:
        steps.append(data)
        step(ledger, data, now)

    monkeypatch.setattr(SiteLedger, "update", counted)
    hass.bus.async_listen(EVENT_STATE_CHANGED, note)
    # the simulator's clock stands still: every answer is the same bytes again
    for _ in range(3):
        await poll.async_refresh()
        await hass.async_block_till_done()
    assert poll.last_update_success
    assert poll.data is before
    assert changed == []
    assert steps == []  # the energy ledger is not stepped for data it has seen
