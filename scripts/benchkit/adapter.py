"""The code under test: which checkout's integration, and the few ways its layouts differ.

The bench measures the working tree or an older checkout (``--code DIR``) with the same
steps. Three things differ between them, and are answered here only:

* the poll coordinator: ``entry.runtime_data.poll`` now, ``entry.runtime_data`` before;
* where setup builds its client: ``create_client`` in the package now, in the coordinator
  module before. The bench replaces it there, the way Home Assistant's tests patch a
  library's constructor, with a factory that builds the client with the bench's clock and
  no spacing between queries;
* handing the client a clock: ``PVSClient(clock=...)`` now. Older clients had no such
  argument; for them (and only them) the slow reads' default clock is replaced instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
import importlib
import inspect
from pathlib import Path
import sys
from types import ModuleType
from typing import Any, cast
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

PACKAGE = "custom_components.sunpower_pvs"
DOMAIN = "sunpower_pvs"

type Clock = Callable[[], float]


def use_code_root(root: Path) -> None:
    """Import ``custom_components`` from ``root`` (before anything imports it)."""
    loaded = sys.modules.get("custom_components")
    where = Path(getattr(loaded, "__path__", [""])[0]).resolve().parent if loaded else None
    if loaded is not None and where != root.resolve():
        raise RuntimeError(f"custom_components is already imported from {where}")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))


@dataclass(frozen=True, slots=True)
class Integration:
    """The integration of one checkout, as loaded."""

    root: Path
    package: ModuleType
    const: ModuleType
    pvs: ModuleType

    @classmethod
    def load(cls, root: Path) -> Integration:
        """Import the integration from ``root``."""
        use_code_root(root)
        package = importlib.import_module(PACKAGE)
        return cls(
            root=root,
            package=package,
            const=importlib.import_module(f"{PACKAGE}.const"),
            pvs=importlib.import_module(f"{PACKAGE}.pvs"),
        )

    @property
    def directory(self) -> Path:
        """Where its files are (memory is attributed by file)."""
        return Path(cast("str", self.package.__file__)).parent

    @property
    def query_spacing_s(self) -> float:
        """The spacing a real client keeps between queries (0 in the bench)."""
        return float(self.const.MIN_QUERY_INTERVAL)

    @property
    def live_feed_option(self) -> str:
        """The option that switches the live feed."""
        return str(self.const.OPTION_LIVE_FEED)

    @staticmethod
    def poll(entry: ConfigEntry) -> DataUpdateCoordinator[Any]:
        """The poll coordinator of a loaded entry."""
        runtime = entry.runtime_data
        coordinator = getattr(runtime, "poll", runtime)
        if not isinstance(coordinator, DataUpdateCoordinator):
            raise TypeError(f"no poll coordinator in {type(runtime).__name__}")
        return coordinator

    @staticmethod
    def inverter_stamps(poll: DataUpdateCoordinator[Any]) -> dict[str, datetime | None]:
        """Each inverter's data time stamp in the poll coordinator's data (``PVSData``)."""
        return {serial: device.last_report for serial, device in poll.data.inverters.items()}

    @contextmanager
    def client_with(self, clock: Clock) -> Iterator[None]:
        """While set up, entries get a client on ``clock`` with no spacing between queries."""
        client_class = self.pvs.PVSClient
        takes_clock = "clock" in inspect.signature(client_class).parameters
        const = self.const

        def create_client(session: Any, host: str, password: str | None) -> Any:
            extra: dict[str, Any] = {"clock": clock} if takes_clock else {}
            return client_class(
                host,
                session,
                password=password,
                request_timeout=const.REQUEST_TIMEOUT,
                device_list_timeout=const.DEVICE_LIST_TIMEOUT,
                min_query_interval=0.0,
                **extra,
            )

        original = importlib.import_module(f"{PACKAGE}.connection").create_client
        with ExitStack() as stack:
            for name, module in list(sys.modules.items()):
                if name.startswith(PACKAGE) and getattr(module, "create_client", None) is original:
                    stack.enter_context(patch.object(module, "create_client", create_client))
            if not takes_clock:
                slow_reads = importlib.import_module(f"{PACKAGE}.pvs.slow_reads").SlowReads
                stack.enter_context(patch.object(slow_reads.__init__, "__defaults__", (clock,)))
            yield
