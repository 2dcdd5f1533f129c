"""Command line: ``python -m pvs_simulator --profile typical --firmware localapi``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import UTC, datetime
import logging
import signal
import sys

from . import __doc__ as package_doc
from .config import SimulatorConfig
from .faults import FaultSpecError, parse_fault
from .profiles import PROFILES
from .server import Simulator


def _start_time(text: str) -> datetime:
    """``now`` (the real time, UTC) or an ISO time, UTC unless it names its own offset."""
    if text.strip().lower() == "now":
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO time or 'now': {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _fault(text: str) -> str:
    try:
        parse_fault(text)
    except FaultSpecError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def _fault_grammar() -> str:
    """The package docstring's fault grammar, up to the SunVault settings, for ``--help``."""
    doc = package_doc or ""
    start, end = doc.find("Fault grammar"), doc.find("SunVault settings")
    return doc[start:end].strip() if 0 <= start < end else ""


def parse_args(argv: list[str]) -> SimulatorConfig:
    """Turn the command line into a configuration."""
    parser = argparse.ArgumentParser(
        prog="python -m pvs_simulator",
        description="Serve a simulated SunPower PVS5/PVS6.",
        epilog=_fault_grammar(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="HTTP(S) port (0 = any free)")
    parser.add_argument("--telemetry-port", type=int, default=9002, help="WebSocket port")
    parser.add_argument("--profile", default="typical", choices=sorted(PROFILES))
    parser.add_argument("--firmware", default="legacy", choices=("legacy", "localapi"))
    parser.add_argument("--tls", action="store_true", help="HTTPS, self-signed certificate")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per second")
    parser.add_argument(
        "--start",
        type=_start_time,
        default=None,
        metavar="ISO-TIME|now",
        help="simulated start: an ISO time (UTC unless an offset is given) or now (default)",
    )
    parser.add_argument("--replay", nargs="+", default=[], metavar="FILE")
    parser.add_argument(
        "--fault",
        action="append",
        type=_fault,
        default=[],
        metavar="SPEC",
        help="inject a fault at start (repeatable), e.g. vanish=SERIAL,for=3600; see below",
    )
    parser.add_argument("--session-ttl", type=float, default=300.0, help="session life (s)")
    parser.add_argument("--no-latency", action="store_true", help="answer without delay")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--password", default=None, help="LocalAPI password (default: derived)")
    parser.add_argument(
        "--import-counter",
        default="positive",
        choices=("positive", "negative"),
        help="consumption meter counter that grows with imported energy",
    )
    parser.add_argument(
        "--no-production-ct", action="store_true", help="production meter reads all zeros"
    )
    args = parser.parse_args(argv)
    return SimulatorConfig(
        profile=args.profile,
        firmware=args.firmware,
        host=args.host,
        port=args.port,
        telemetry_port=args.telemetry_port,
        tls=args.tls,
        speed=args.speed,
        start=args.start or datetime.now(UTC),
        faults=tuple(args.fault),
        session_ttl_s=args.session_ttl,
        replay=tuple(args.replay),
        latency=not args.no_latency,
        seed=args.seed,
        password=args.password,
        import_counter=args.import_counter,
        production_ct=not args.no_production_ct,
    )


async def serve(config: SimulatorConfig) -> None:
    """Run until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    async with Simulator(config):
        await stop.wait()
    logging.getLogger("pvs_simulator").info("stopped")


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    config = parse_args(sys.argv[1:] if argv is None else argv)
    asyncio.run(serve(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
