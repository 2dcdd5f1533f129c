"""Command line: ``scripts/pvs probe|dump|parse`` (aiohttp alone, from a checkout).

* ``probe HOST`` — generation, model, serial and firmware build.
* ``dump HOST [--password P]`` — one poll, the normalised model as JSON.
* ``parse FILE [FILE ...]`` — saved answers (any kind, recognised from content) as JSON.

Errors end the program with one line on stderr: status 2 for unreadable files or bodies that
are not PVS answers, 1 when the PVS cannot be reached or refuses the login.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import json
import logging
from pathlib import Path
import sys
from typing import Any

import aiohttp

from .client import PVSClient
from .errors import PVSError, PVSProtocolError
from .jsonout import to_jsonable
from .parse import decode_json, parse_responses

EXIT_FAILED = 1
EXIT_UNREADABLE = 2


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/pvs",
        description="Read a SunPower PVS5/PVS6 locally, or parse saved answers.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request")
    commands = parser.add_subparsers(dest="command", required=True)
    probe = commands.add_parser("probe", help="detect generation, model, serial and build")
    probe.add_argument("host", help="IP address or hostname, optionally with :port")
    dump = commands.add_parser("dump", help="poll once and print the normalised data as JSON")
    dump.add_argument("host", help="IP address or hostname, optionally with :port")
    dump.add_argument("--password", help="LocalAPI password (default: from the serial)")
    for command in (probe, dump):
        command.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
        command.add_argument(
            "--device-list-timeout", type=float, default=120.0, help="seconds for DeviceList"
        )
        command.add_argument(
            "--interval", type=float, default=2.0, help="minimum seconds between requests"
        )
    parse = commands.add_parser("parse", help="parse saved responses and print JSON")
    parse.add_argument("files", nargs="+", type=Path, help="saved response bodies")
    return parser.parse_args(argv)


def _print_json(value: Any) -> None:
    json.dump(to_jsonable(value), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


async def _online(arguments: argparse.Namespace) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        client = PVSClient(
            arguments.host,
            session,
            password=getattr(arguments, "password", None),
            request_timeout=arguments.timeout,
            device_list_timeout=arguments.device_list_timeout,
            min_query_interval=arguments.interval,
        )
        try:
            unit = await client.detect()
            if arguments.command == "probe":
                _print_json(unit)
            else:
                _print_json(await client.poll())
        finally:
            await client.close()


def _parse(files: Sequence[Path]) -> None:
    bodies = []
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise PVSProtocolError(f"{path}: cannot read ({err.strerror})") from None
        body = decode_json(raw, str(path))
        if not isinstance(body, dict | list):
            raise PVSProtocolError(f"{path}: not a JSON object")
        bodies.append(body)
    _print_json(parse_responses(bodies))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status tells how it went."""
    arguments = _arguments(argv)
    logging.basicConfig(
        level=logging.DEBUG if arguments.verbose else logging.WARNING,
        format="%(levelname)s %(message)s",
    )
    try:
        if arguments.command == "parse":
            _parse(arguments.files)
        else:
            asyncio.run(_online(arguments))
    except PVSProtocolError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_UNREADABLE if arguments.command == "parse" else EXIT_FAILED
    except PVSError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
