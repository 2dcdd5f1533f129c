"""A whole benchmark: every (firmware, site) pair of a plan, and the ratios between sites."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
import time

from .adapter import Integration
from .figures import RunFigures, figures
from .machine import CodeVersion, Machine
from .run import Paths, RunPlan, run_site
from .site import SiteSpec
from .stats import ratio

# 11:00 in California on midsummer's day: a simulated day covers a whole daylight and night.
START = datetime(2026, 6, 21, 18, 0, tzinfo=UTC)
SITES = ("small", "typical", "medium", "large")
FIRMWARES = ("legacy", "localapi")
# The site the others are compared with (24 inverters).
BASE_SITE = "typical"


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """What one bench invocation measures."""

    profiles: tuple[str, ...] = SITES
    firmwares: tuple[str, ...] = FIRMWARES
    hours: float = 24.0
    identical: int = 20
    # a second, traced run of each site for memory; 0 leaves it out
    memory_hours: float = 0.0
    bare: bool = False
    seed: int = 1
    code_root: Path
    sim_root: Path
    scripts_dir: Path


@dataclass(frozen=True, slots=True, kw_only=True)
class Ratio:
    """A larger site's figures divided by the 24-inverter site's, same firmware and server."""

    firmware: str
    server: str
    profile: str
    inverters: str
    inverter_ratio: float
    cpu_new: float | None
    cpu_identical: float | None
    state_changes_per_hour: float | None
    pvs_kib_per_hour: float | None
    storage_kib_per_day: float | None
    memory_after_run: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The result of one bench invocation."""

    command: str
    started: str
    runtime_s: float
    machine: Machine
    code: CodeVersion
    plan: Plan
    runs: list[RunFigures]
    ratios: list[Ratio]


def _memory(run: RunFigures) -> float:
    return run.memory_kib.after_run if run.memory_kib else 0.0


def ratios(runs: list[RunFigures]) -> list[Ratio]:
    """Each larger site against the 24-inverter one."""
    out: list[Ratio] = []
    for base in (r for r in runs if r.profile == BASE_SITE):
        for run in runs:
            same = run.firmware == base.firmware and run.server == base.server
            if not same or run.inverters <= base.inverters:
                continue
            out.append(
                Ratio(
                    firmware=run.firmware,
                    server=run.server,
                    profile=run.profile,
                    inverters=f"{run.inverters}/{base.inverters}",
                    inverter_ratio=run.inverters / base.inverters,
                    cpu_new=ratio(
                        run.home_assistant.cpu_ms_new.median, base.home_assistant.cpu_ms_new.median
                    ),
                    cpu_identical=ratio(
                        run.home_assistant.cpu_ms_identical.median,
                        base.home_assistant.cpu_ms_identical.median,
                    ),
                    state_changes_per_hour=ratio(
                        run.home_assistant.state_changes_per_hour,
                        base.home_assistant.state_changes_per_hour,
                    ),
                    pvs_kib_per_hour=ratio(run.pvs.kib_per_hour, base.pvs.kib_per_hour),
                    storage_kib_per_day=ratio(run.storage.kib_per_day, base.storage.kib_per_day),
                    memory_after_run=ratio(_memory(run), _memory(base)),
                )
            )
    return out


async def run_plan(plan: Plan, command: str, log: Callable[[str], None] = print) -> Report:
    """Every (firmware, site) pair of ``plan``; each run in a fresh Home Assistant and site."""
    integration = Integration.load(plan.code_root)
    paths = Paths(sim_root=plan.sim_root, scripts_dir=plan.scripts_dir)
    began = time.perf_counter()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    runs: list[RunFigures] = []
    for firmware in plan.firmwares:
        for profile in plan.profiles:
            t0 = time.perf_counter()
            site = SiteSpec(
                profile=profile, firmware=firmware, start=START, seed=plan.seed, bare=plan.bare
            )
            run_plan_ = RunPlan(site=site, hours=plan.hours, identical=plan.identical)
            run = figures(await run_site(run_plan_, integration, paths))
            if plan.memory_hours > 0:
                traced = RunPlan(site=site, hours=plan.memory_hours, identical=0, trace_memory=True)
                memory = (await run_site(traced, integration, paths)).memory_kib
                run = replace(run, memory_kib=memory)
            runs.append(run)
            cost = run.home_assistant
            log(
                f"{profile:8} {firmware:8} {run.inverters:4} inverters: CPU/refresh "
                f"{cost.cpu_ms_new.median:6.2f} ms new data "
                f"({cost.cpu_ms_daylight.median:6.2f} in daylight), "
                f"{cost.cpu_ms_identical.median:6.2f} ms identical "
                f"({time.perf_counter() - t0:5.1f} s)"
            )
    return Report(
        command=command,
        started=started,
        runtime_s=time.perf_counter() - began,
        machine=Machine.here(),
        code=CodeVersion.of(plan.code_root),
        plan=plan,
        runs=runs,
        ratios=ratios(runs),
    )
