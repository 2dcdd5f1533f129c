"""The figures of one run, from what it collected."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .measure import StoreWrite
from .samples import Memory, RawRun, Refresh, RunInfo, Setup
from .stats import Summary, median

HOURS_PER_DAY = 24.0


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeAssistantCost:
    """What the integration costs inside Home Assistant."""

    # process CPU per refresh (ms): with a new 5-minute data set, and with identical answers
    cpu_ms_new: Summary
    cpu_ms_identical: Summary
    # new data in daylight (a state changed per inverter at least): a day's median above
    # mixes these with the night's, which change a handful of states
    cpu_ms_daylight: Summary
    # state_changed events of the entry's entities
    state_changes_new: Summary
    state_changes_identical: Summary
    state_changes_per_hour: float
    # writes that changed nothing (state_reported events): should be 0
    unchanged_writes: int
    unchanged_written: list[str]
    identical_changed: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class PvsLoad:
    """What the PVS was asked in steady state."""

    requests_per_poll: Summary
    requests_per_hour: float
    heavy_per_hour: float
    kib_per_hour: float
    endpoints_per_hour: dict[str, float]
    polls_per_hour: float
    requests_identical: Summary
    # requests of the identical-answers refreshes the front could not repeat (should be 0)
    identical_not_repeated: int
    poll_delay_s: Summary
    poll_on_unit_s: Summary


@dataclass(frozen=True, slots=True, kw_only=True)
class Storage:
    """What the integration's stores wrote to ``.storage``."""

    writes_per_day: float
    kib_per_day: float
    bytes_per_write: float
    keys: list[str]
    # writes after refreshes with identical answers, per refresh
    writes_per_identical_refresh: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RunFigures(RunInfo):
    """Everything the report shows about one run."""

    polls_new: int
    polls_late: int
    setup: Setup
    home_assistant: HomeAssistantCost
    pvs: PvsLoad
    storage: Storage
    freshness_s: Summary
    memory_kib: Memory | None
    refreshes: list[Refresh]


def _of(refreshes: Sequence[Refresh], field: str) -> list[float]:
    return [float(getattr(refresh, field)) for refresh in refreshes]


def _storage(steady: list[StoreWrite], identical: list[StoreWrite], run: RawRun) -> Storage:
    per_day = HOURS_PER_DAY / run.simulated_hours if run.simulated_hours else 0.0
    identical_refreshes = sum(r.kind == "identical" for r in run.refreshes)
    return Storage(
        writes_per_day=len(steady) * per_day,
        kib_per_day=sum(w.bytes for w in steady) / 1024 * per_day,
        bytes_per_write=median([float(w.bytes) for w in steady]),
        keys=sorted({w.key for w in steady + identical}),
        writes_per_identical_refresh=len(identical) / identical_refreshes
        if identical_refreshes
        else 0.0,
    )


def figures(run: RawRun) -> RunFigures:
    """Summarise one run."""
    steady = [r for r in run.refreshes if r.kind != "identical"]
    new = [r for r in steady if r.kind == "new"]
    daylight = [r for r in new if r.state_changes >= run.inverters]
    identical = [r for r in run.refreshes if r.kind == "identical"]
    hours = run.simulated_hours or 1.0
    endpoints: Counter[str] = Counter()
    for refresh in steady:
        endpoints.update(refresh.endpoints)
    return RunFigures(
        **run.info(),
        polls_new=len(new),
        polls_late=len(steady) - len(new),
        setup=run.setup,
        home_assistant=HomeAssistantCost(
            cpu_ms_new=Summary.of(_of(new, "cpu_ms")),
            cpu_ms_identical=Summary.of(_of(identical, "cpu_ms")),
            cpu_ms_daylight=Summary.of(_of(daylight, "cpu_ms")),
            state_changes_new=Summary.of(_of(new, "state_changes")),
            state_changes_identical=Summary.of(_of(identical, "state_changes")),
            state_changes_per_hour=sum(_of(steady, "state_changes")) / hours,
            unchanged_writes=int(sum(_of(run.refreshes, "unchanged_writes"))),
            unchanged_written=run.unchanged_written,
            identical_changed=run.identical_changed,
        ),
        pvs=PvsLoad(
            requests_per_poll=Summary.of(_of(steady, "requests")),
            requests_per_hour=sum(_of(steady, "requests")) / hours,
            heavy_per_hour=sum(_of(steady, "heavy")) / hours,
            kib_per_hour=sum(_of(steady, "bytes")) / 1024 / hours,
            endpoints_per_hour={name: n / hours for name, n in sorted(endpoints.items())},
            polls_per_hour=len(steady) / hours,
            requests_identical=Summary.of(_of(identical, "requests")),
            identical_not_repeated=sum(r.requests - r.repeated for r in identical),
            poll_delay_s=Summary.of(_of(steady, "delay_s")),
            poll_on_unit_s=Summary.of(_of(steady, "on_unit_s")),
        ),
        storage=_storage(run.steady_writes, run.identical_writes, run),
        freshness_s=Summary.of(run.freshness_s),
        memory_kib=run.memory_kib,
        refreshes=run.refreshes,
    )
