"""The benchmark's core on the small site: its result holds together.

A functional check of scripts/benchkit, never a timing assertion: refreshes happened, each
was counted by the simulator, nothing was written unchanged, the store's writes were seen.
"""

from __future__ import annotations

from pathlib import Path

from benchkit.adapter import Integration
from benchkit.figures import RunFigures, figures
from benchkit.machine import CodeVersion, Machine
from benchkit.report import as_json, as_markdown
from benchkit.run import Paths, RunPlan, run_site
from benchkit.site import SiteSpec
from benchkit.suite import START, Plan, Report, ratios
import pytest

REPO = Path(__file__).resolve().parents[2]
HOURS = 0.75
IDENTICAL = 3


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """The simulator and the front listen on 127.0.0.1; the harness blocks sockets otherwise."""


async def _run(firmware: str, *, bare: bool = False) -> RunFigures:
    plan = RunPlan(
        site=SiteSpec(profile="small", firmware=firmware, start=START, bare=bare),
        hours=HOURS,
        identical=IDENTICAL,
    )
    paths = Paths(sim_root=REPO, scripts_dir=REPO / "scripts")
    return figures(await run_site(plan, Integration.load(REPO), paths))


@pytest.mark.parametrize("firmware", ["legacy", "localapi"])
async def test_small_site(firmware: str) -> None:
    run = await _run(firmware)

    assert (run.profile, run.firmware, run.server) == ("small", firmware, "simulator")
    assert run.inverters == 12
    assert run.entities >= run.enabled > run.inverters
    # Polls happened at the coordinator's own pace: about one per 5-minute data set.
    assert run.polls_new >= 7
    assert 0.5 <= run.simulated_hours <= HOURS
    assert run.setup.requests > 0
    assert run.setup.cpu_ms > 0

    cost = run.home_assistant
    assert cost.cpu_ms_new.n == run.polls_new
    assert cost.cpu_ms_identical.n == IDENTICAL
    assert 0 < cost.cpu_ms_new.median <= cost.cpu_ms_new.p95 <= cost.cpu_ms_new.max
    # A midday run: every new data set has each inverter report, so each one is daylight.
    daylight = [r for r in run.refreshes if r.kind == "new" and r.state_changes >= 12]
    assert cost.cpu_ms_daylight.n == len(daylight) == run.polls_new
    # New data changes states; nothing is ever written unchanged.
    assert cost.state_changes_new.median > 0
    assert cost.state_changes_identical.median < cost.state_changes_new.median
    assert cost.state_changes_per_hour > 0
    assert cost.unchanged_writes == 0
    assert cost.unchanged_written == []

    # The simulator counted every request (the front's count agreed, or the run had failed).
    pvs = run.pvs
    assert pvs.requests_per_poll.median >= 1
    assert pvs.requests_per_hour == pytest.approx(sum(pvs.endpoints_per_hour.values()))
    assert pvs.polls_per_hour <= pvs.requests_per_hour
    assert 0 < pvs.heavy_per_hour <= pvs.requests_per_hour
    assert pvs.kib_per_hour > 0
    heavy = "DeviceList" if firmware == "legacy" else "vars"
    assert pvs.endpoints_per_hour[heavy] > 0
    assert pvs.requests_identical.median >= 1
    # Every answer of those refreshes was a byte-for-byte repeat.
    assert pvs.identical_not_repeated == 0
    assert pvs.poll_on_unit_s.median > 0

    # The energy store is written after each poll, through Home Assistant's storage layer.
    storage = run.storage
    assert storage.keys == [key for key in storage.keys if key.startswith("sunpower_pvs.")]
    assert storage.keys
    assert storage.writes_per_day > 0
    assert storage.kib_per_day > 0
    assert storage.bytes_per_write > 0

    assert run.freshness_s.n > 0
    assert 0 <= run.freshness_s.median <= run.freshness_s.max


async def test_bare_replay_and_report() -> None:
    run = await _run("localapi", bare=True)

    assert run.server == "bare replay"
    assert run.polls_new >= 7
    assert run.pvs.requests_per_poll.median >= 1
    assert run.home_assistant.unchanged_writes == 0
    assert run.storage.writes_per_day > 0

    plan = Plan(
        profiles=("small",),
        firmwares=("localapi",),
        hours=HOURS,
        identical=IDENTICAL,
        bare=True,
        code_root=REPO,
        sim_root=REPO,
        scripts_dir=REPO / "scripts",
    )
    report = Report(
        command="scripts/bench --bare --profile small --firmware localapi",
        started="2026-06-21T18:00:00+00:00",
        runtime_s=1.0,
        machine=Machine.here(),
        code=CodeVersion.of(REPO),
        plan=plan,
        runs=[run],
        ratios=ratios([run]),
    )
    table = as_markdown(report)
    assert "| small | localapi | 12 |" in table
    assert report.machine.home_assistant in table
    assert '"server": "bare replay"' in as_json(report)
