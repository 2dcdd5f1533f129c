"""Validation of the host the user typed: an IP address, a hostname, or either with a port."""

from __future__ import annotations

import ipaddress
import re

from .errors import PVSInvalidHostError

_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def _valid_name(name: str) -> bool:
    if len(name) > 253:
        return False
    labels = name.removesuffix(".").split(".")
    return all(_LABEL.match(label) for label in labels)


def _split_port(host: str) -> tuple[str, int | None]:
    if host.startswith("["):
        address, bracket, rest = host[1:].partition("]")
        if not bracket:
            raise PVSInvalidHostError("unclosed '[' in host")
        if not rest:
            return address, None
        if not rest.startswith(":"):
            raise PVSInvalidHostError("unexpected text after ']' in host")
        return address, _port(rest[1:])
    if host.count(":") == 1:
        name, _, port = host.partition(":")
        return name, _port(port)
    return host, None


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise PVSInvalidHostError("port must be a number from 1 to 65535")
    return int(text)


def validate_host(host: str) -> str:
    """Return ``host`` or ``host:port`` normalised (trimmed, lower case), else raise.

    Refused: empty text, a scheme (``http://``), a path, spaces, user info, bad ports.
    IPv6 addresses are written in brackets when a port is given (``[fe80::1]:8080``).
    """
    candidate = host.strip() if isinstance(host, str) else ""
    if not candidate:
        raise PVSInvalidHostError("host is empty")
    if "://" in candidate:
        raise PVSInvalidHostError("host must not include a scheme such as http://")
    if any(char in candidate for char in "/?#@ \t\\"):
        raise PVSInvalidHostError("host must be an address or name, optionally with :port")
    name, port = _split_port(candidate)
    name = name.lower()
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        if not _valid_name(name):
            raise PVSInvalidHostError("host is not a valid IP address or hostname") from None
        normalised = name
    else:
        normalised = f"[{address.compressed}]" if address.version == 6 else address.compressed
    return normalised if port is None else f"{normalised}:{port}"
