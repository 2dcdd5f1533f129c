"""What the simulated unit was asked: requests and bytes per endpoint, configuration commands."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class EndpointStats:
    """Counters of one endpoint."""

    requests: int = 0
    bytes: int = 0
    statuses: Counter[int] = field(default_factory=Counter)


class Stats:
    """Request accounting, as served by ``GET /_sim/stats``."""

    def __init__(self) -> None:
        """Start from zero."""
        self._endpoints: dict[str, EndpointStats] = {}
        self._config_commands: list[str] = []

    def record(self, endpoint: str, status: int, body_bytes: int) -> None:
        """Count one answered (or refused) request."""
        entry = self._endpoints.setdefault(endpoint, EndpointStats())
        entry.requests += 1
        entry.bytes += body_bytes
        entry.statuses[status] += 1

    def config_command(self, description: str) -> None:
        """Remember a request that would change a real unit's configuration."""
        self._config_commands.append(description)

    def requests(self, endpoint: str) -> int:
        """Requests seen on one endpoint."""
        entry = self._endpoints.get(endpoint)
        return entry.requests if entry else 0

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "requests": sum(entry.requests for entry in self._endpoints.values()),
            "bytes": sum(entry.bytes for entry in self._endpoints.values()),
            "endpoints": {
                name: {
                    "requests": entry.requests,
                    "bytes": entry.bytes,
                    "statuses": {str(code): n for code, n in sorted(entry.statuses.items())},
                }
                for name, entry in sorted(self._endpoints.items())
            },
            "config_commands": list(self._config_commands),
        }
