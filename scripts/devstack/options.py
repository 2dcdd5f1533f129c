"""scripts/develop's command line. Standard library only: ``--help`` runs on any Python 3.

``python3 -m devstack.options --help`` (with scripts/ on the path) prints the help.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
import sys

PROFILES = ("small", "typical", "lineside", "pvs5", "sunvault", "large")
FIRMWARES = ("localapi", "legacy")
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config"


@dataclass(frozen=True, slots=True, kw_only=True)
class DevelopOptions:
    """What scripts/develop was asked to do."""

    profile: str
    firmware: str
    speed: float
    start: datetime | None  # None: the simulated clock follows yours
    port: int
    pvs_port: int
    config: Path
    add_integration: bool
    past_day: bool


def parser() -> argparse.ArgumentParser:
    """The argument parser of scripts/develop."""
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description="Run a simulated PVS and a real Home Assistant with this integration on "
        "127.0.0.1: onboarded, the integration added, the Energy dashboard set up through "
        "its offer, the example dashboard loaded and the site's past day in the history. "
        "Ctrl-C stops both.",
    )
    parser.add_argument(
        "--profile",
        default="typical",
        choices=PROFILES,
        help="simulated site (default: typical)",
    )
    parser.add_argument(
        "--firmware",
        default="localapi",
        choices=FIRMWARES,
        help="PVS firmware generation (default: localapi)",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="simulated seconds per real second (default: 1); above 1 the simulated clock "
        "runs ahead of yours",
    )
    parser.add_argument(
        "--start",
        default="now",
        help="when the simulated clock starts: 'now' (default: your clock, after running "
        "the site through the past day) or an ISO 8601 time (no past day then)",
    )
    parser.add_argument(
        "--port", type=int, default=8123, help="Home Assistant's port (default: 8123)"
    )
    parser.add_argument(
        "--pvs-port", type=int, default=0, help="the simulator's port (default: a free one)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="Home Assistant's configuration folder (default: config/)",
    )
    parser.add_argument(
        "--no-integration",
        action="store_true",
        help="leave the integration out, to try Add integration yourself",
    )
    parser.add_argument(
        "--no-past-day",
        action="store_true",
        help="start the site now, with no history of the past day",
    )
    return parser


def parse_start(value: str) -> datetime | None:
    """--start as a timezone-aware time; None for 'now'."""
    if value == "now":
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_options(argv: list[str]) -> DevelopOptions:
    """The command line as options; exits with argparse's message when it is wrong."""
    command = parser()
    args = command.parse_args(argv)
    try:
        start = parse_start(args.start)
    except ValueError:
        command.error(f"--start: not 'now' nor an ISO 8601 time: {args.start!r}")
    return DevelopOptions(
        profile=args.profile,
        firmware=args.firmware,
        speed=args.speed,
        start=start,
        port=args.port,
        pvs_port=args.pvs_port,
        config=args.config.resolve(),
        add_integration=not args.no_integration,
        past_day=start is None and not args.no_past_day,
    )


if __name__ == "__main__":
    parse_options(sys.argv[1:])
