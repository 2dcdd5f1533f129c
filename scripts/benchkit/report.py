"""The report: ``bench.json`` (every figure and sample) and ``bench.md`` (the tables)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
import json
from pathlib import Path
from typing import Any

from .figures import HomeAssistantCost, RunFigures
from .suite import Ratio, Report

LARGE_SITE = "large"


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def as_json(report: Report) -> str:
    """Every figure, the samples they came from, the machine and the code."""
    return json.dumps(_plain(asdict(report)), indent=1) + "\n"


def _f(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _x(value: float | None) -> str:
    return "-" if value is None else f"x{value:.2f}"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _memory(run: RunFigures) -> str:
    memory = run.memory_kib
    return "-" if memory is None else f"{memory.after_setup:.0f} / {memory.after_run:.0f}"


type Column[T] = tuple[str, Callable[[T], object]]


def _table[T](columns: Sequence[Column[T]], items: Sequence[T]) -> list[str]:
    """A markdown table: one row per item, a column per (heading, cell) pair."""
    if not items:
        return []
    rows = [_row(*(cell(item) for _head, cell in columns)) for item in items]
    return [_row(*(head for head, _cell in columns)), "|" + "---|" * len(columns), *rows]


def _ha(run: RunFigures) -> HomeAssistantCost:
    return run.home_assistant


COST: tuple[Column[RunFigures], ...] = (
    ("site", lambda r: r.profile),
    ("firmware", lambda r: r.firmware),
    ("inverters", lambda r: r.inverters),
    ("entities (enabled)", lambda r: f"{r.entities} ({r.enabled})"),
    ("CPU/refresh new median ms", lambda r: _f(_ha(r).cpu_ms_new.median, 2)),
    ("p95", lambda r: _f(_ha(r).cpu_ms_new.p95, 2)),
    ("daylight median ms", lambda r: _f(_ha(r).cpu_ms_daylight.median, 2)),
    ("identical median ms", lambda r: _f(_ha(r).cpu_ms_identical.median, 2)),
    ("p95", lambda r: _f(_ha(r).cpu_ms_identical.p95, 2)),
    ("state changes/refresh new", lambda r: _f(_ha(r).state_changes_new.median, 0)),
    ("identical", lambda r: _f(_ha(r).state_changes_identical.median, 0)),
    ("state changes/h", lambda r: _f(_ha(r).state_changes_per_hour, 0)),
    ("unchanged writes", lambda r: _ha(r).unchanged_writes),
    ("setup CPU ms", lambda r: _f(r.setup.cpu_ms, 0)),
    ("memory KiB setup / run", _memory),
)

LOAD: tuple[Column[RunFigures], ...] = (
    ("site", lambda r: r.profile),
    ("firmware", lambda r: r.firmware),
    ("polls (new/late)", lambda r: f"{r.polls_new}/{r.polls_late}"),
    ("requests/poll median", lambda r: _f(r.pvs.requests_per_poll.median, 0)),
    ("max", lambda r: _f(r.pvs.requests_per_poll.max, 0)),
    ("requests/h", lambda r: _f(r.pvs.requests_per_hour)),
    ("heavy/h", lambda r: _f(r.pvs.heavy_per_hour)),
    ("KiB/h", lambda r: _f(r.pvs.kib_per_hour, 0)),
    ("poll on a unit s", lambda r: _f(r.pvs.poll_on_unit_s.median)),
    ("store writes/day", lambda r: _f(r.storage.writes_per_day, 0)),
    ("store KiB/day", lambda r: _f(r.storage.kib_per_day, 0)),
    ("freshness median s", lambda r: _f(r.freshness_s.median, 0)),
    ("max", lambda r: _f(r.freshness_s.max, 0)),
)

RATIOS: tuple[Column[Ratio], ...] = (
    ("firmware", lambda r: r.firmware),
    ("site", lambda r: r.profile),
    ("inverters", lambda r: f"{r.inverters} (x{r.inverter_ratio:.1f})"),
    ("CPU/refresh new", lambda r: _x(r.cpu_new)),
    ("identical", lambda r: _x(r.cpu_identical)),
    ("state changes/h", lambda r: _x(r.state_changes_per_hour)),
    ("KiB/h from the PVS", lambda r: _x(r.pvs_kib_per_hour)),
    ("store KiB/day", lambda r: _x(r.storage_kib_per_day)),
    ("memory", lambda r: _x(r.memory_after_run)),
)


def _headline(report: Report) -> list[str]:
    """The figures the targets are about, at 300 inverters."""
    scale = {(r.firmware, r.profile): r.cpu_new for r in report.ratios}
    columns: tuple[Column[RunFigures], ...] = (
        ("firmware", lambda r: r.firmware),
        ("server", lambda r: r.server),
        (
            "CPU/refresh new data ms",
            lambda r: f"{_f(_ha(r).cpu_ms_new.median)} (p95 {_f(_ha(r).cpu_ms_new.p95)})",
        ),
        (
            "of which daylight ms",
            lambda r: f"{_f(_ha(r).cpu_ms_daylight.median)} (p95 {_f(_ha(r).cpu_ms_daylight.p95)})",
        ),
        (
            "identical answers ms",
            lambda r: (
                f"{_f(_ha(r).cpu_ms_identical.median)} (p95 {_f(_ha(r).cpu_ms_identical.p95)})"
            ),
        ),
        ("300/24 CPU", lambda r: _x(scale.get((r.firmware, r.profile)))),
        ("requests/poll", lambda r: _f(r.pvs.requests_per_poll.median, 0)),
        ("store KiB/day", lambda r: _f(r.storage.kib_per_day, 0)),
    )
    table = _table(columns, [run for run in report.runs if run.profile == LARGE_SITE])
    return ["At 300 inverters:", "", *table, ""] if table else []


def _names(entity_ids: Sequence[str], most: int = 5) -> str:
    more = f" and {len(entity_ids) - most} more" if len(entity_ids) > most else ""
    return ", ".join(f"`{name}`" for name in entity_ids[:most]) + more


def _notes(report: Report) -> list[str]:
    """Which entities were written unchanged, or changed although no answer did."""
    lines = []
    for run in report.runs:
        cost = run.home_assistant
        if cost.unchanged_written:
            names = _names(cost.unchanged_written)
            lines.append(f"* {run.profile} {run.firmware}: written unchanged: {names}")
        if cost.identical_changed:
            names = _names(cost.identical_changed)
            lines.append(f"* {run.profile} {run.firmware}: changed on identical answers: {names}")
    return ["", "Notes:", "", *lines] if lines else []


def as_markdown(report: Report) -> str:
    """The tables docs/benchmarks.md shows."""
    m, code, plan = report.machine, report.code, report.plan
    server = "bare replay" if plan.bare else "simulator"
    modified = ", with uncommitted changes" if code.modified else ""
    lines = [
        f"Command: `{report.command}`  ",
        f"Code: `{code.root}` at {code.commit}{modified}  ",
        f"Machine: {m.cpu}, {m.cores} cores, Python {m.python}, "
        f"Home Assistant {m.home_assistant} ({m.platform})  ",
        f"Run: {report.started}, {report.runtime_s:.0f} s; {server}, "
        f"{plan.hours:g} simulated hours per site, {plan.identical} refreshes with identical "
        f"answers" + (f", memory after {plan.memory_hours:g} h" if plan.memory_hours > 0 else ""),
        "",
        *_headline(report),
        "In Home Assistant (CPU is the process's, per poll coordinator refresh):",
        "",
        *_table(COST, report.runs),
        "",
        "On the PVS and the disk (steady state, setup excluded):",
        "",
        *_table(LOAD, report.runs),
    ]
    ratio_table = _table(RATIOS, report.ratios)
    if ratio_table:
        lines += ["", "Ratios to the 24-inverter site, same firmware:", "", *ratio_table]
    lines += _notes(report)
    return "\n".join(lines) + "\n"
