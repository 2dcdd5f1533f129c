"""``scripts/bench``: the command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from pathlib import Path
import signal
import sys

from .report import as_json, as_markdown
from .suite import FIRMWARES, SITES, Plan, Report, run_plan

SCRIPTS_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = SCRIPTS_DIR.parent
QUICK_HOURS = 2.0
FULL_HOURS = 24.0
QUICK_MEMORY_HOURS = 0.5


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Cost per poll inside Home Assistant, and load on the PVS and the disk.",
        epilog="scripts/bench --venv DIR runs it with DIR/bin/python (default .venv).",
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"CI: {QUICK_HOURS:g} simulated hours per site"
    )
    parser.add_argument("--profile", action="append", help=f"site (repeatable; {', '.join(SITES)})")
    parser.add_argument("--firmware", action="append", choices=FIRMWARES)
    parser.add_argument("--hours", type=float, help="simulated hours per site")
    parser.add_argument(
        "--identical", type=int, default=20, help="refreshes with identical answers per site"
    )
    parser.add_argument(
        "--memory-hours",
        type=float,
        help="simulated hours of a second, traced run for memory (0: none; default 24, quick 0.5)",
    )
    parser.add_argument(
        "--bare",
        action="store_true",
        help="a bare replay: canned answers, one data set per 5 minutes, no simulator logic",
    )
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "bench")
    parser.add_argument(
        "--code", type=Path, default=REPO_ROOT, help="checkout whose integration is measured"
    )
    parser.add_argument(
        "--simulator",
        type=Path,
        default=REPO_ROOT,
        help="checkout whose pvs_simulator serves the site (default: this one)",
    )
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


async def _until_terminated(plan: Plan, command: str) -> Report:
    """The bench; SIGTERM cancels it, so that its child processes are stopped as well."""
    task = asyncio.current_task()
    if task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    return await run_plan(plan, command)


def main(argv: list[str]) -> int:
    """Run the bench and write bench.json and bench.md."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("homeassistant.loader").setLevel(logging.ERROR)
    default_hours = QUICK_HOURS if args.quick else FULL_HOURS
    memory_default = QUICK_MEMORY_HOURS if args.quick else FULL_HOURS
    plan = Plan(
        profiles=tuple(args.profile or SITES),
        firmwares=tuple(args.firmware or FIRMWARES),
        hours=args.hours if args.hours is not None else default_hours,
        identical=args.identical,
        memory_hours=args.memory_hours if args.memory_hours is not None else memory_default,
        bare=args.bare,
        seed=args.seed,
        code_root=args.code.resolve(),
        sim_root=args.simulator.resolve(),
        scripts_dir=SCRIPTS_DIR,
    )
    command = os.environ.get("BENCH_COMMAND") or " ".join(["scripts/bench", *argv])
    try:
        report = asyncio.run(_until_terminated(plan, command))
    except asyncio.CancelledError:
        print("bench: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(as_json(report), encoding="utf-8")
    table = as_markdown(report)
    (args.out / "bench.md").write_text(table, encoding="utf-8")
    print(table)
    print(f"wrote {args.out / 'bench.json'} and {args.out / 'bench.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
