"""The benchmark's core on the small site: its result holds together and nothing is rewritten.

A functional check of scripts/bench.py, never a timing assertion.
"""

from __future__ import annotations

from collections.abc import Iterator
import importlib.util
from pathlib import Path
import sys
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    """scripts/bench.py as a module (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location("sunpower_pvs_bench", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """The simulator listens on 127.0.0.1; Home Assistant's harness blocks sockets otherwise."""


@pytest.mark.parametrize("firmware", ["legacy", "localapi"])
async def test_bench_core_on_small_site(bench: ModuleType, firmware: str, tmp_path: Path) -> None:
    options = bench.Options(
        profiles=("small",), firmwares=(firmware,), hours=0.5, memory_hours=0.25
    )
    report: dict[str, Any] = await bench.run_bench(options, log=lambda _line: None)

    assert {"cpu", "cores", "python", "home_assistant"} <= report["machine"].keys()
    (run,) = report["runs"]
    assert run["profile"] == "small"
    assert run["firmware"] == firmware
    assert run["inverters"] == 12
    assert run["polls"] >= 4
    assert run["entities"] > 12
    assert run["cpu_ms"]["median"] > 0
    assert run["cpu_ms"]["p95"] >= run["cpu_ms"]["median"]
    assert run["setup"]["requests"] > 0
    assert run["pvs"]["requests_per_hour"] > 0
    assert run["pvs"]["heavy_per_hour"] > 0
    assert run["memory_kib"]["after_setup"] > 0
    assert run["memory_kib"]["after_day"] > 0
    assert run["freshness_s"]["readings"] > 0
    assert 0 <= run["freshness_s"]["median"] <= run["freshness_s"]["max"]
    # New readings are written; nothing is written again unchanged.
    assert run["writes"]["per_update_median"] > 0
    assert run["writes"]["redundant_writes"] == 0
    if firmware == "localapi":
        # Polls that bring nothing new write no state at all. (On legacy each DeviceList
        # really does take free flash, so the supervisor's flash sensor changes.)
        assert run["writes"]["unchanged_poll_writes"] == [0, 0]
    else:
        assert set(run["writes"]["unchanged_poll_written"]) <= {"sensor.pvs6_flash_available"}

    table = bench.markdown(report, "scripts/bench --profile small")
    assert "| small |" in table
    assert report["machine"]["home_assistant"] in table
