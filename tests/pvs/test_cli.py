"""The command line: parse saved files, probe and dump a (simulated) unit."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import time

import pytest

from custom_components.sunpower_pvs.pvs.__main__ import main
from pvs_simulator import Simulator, SimulatorConfig

from .conftest import FIXTURES, load


def test_parse_prints_the_normalised_model(capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        "devicelist-2024.2-b61640-krbaker-sample.json",
        "sungazer-Get_Comm.json",
        "sungazer-GridProfileGet.json",
    ]
    assert main(["parse", *(str(FIXTURES / name) for name in files)]) == 0

    output = json.loads(capsys.readouterr().out)
    assert output["generation"] == "legacy"
    assert output["supervisor"]["serial"] == "ZT204485000549A0321"
    assert output["supervisor"]["last_report"] == "2024-04-16T23:45:00+00:00"
    meter = output["meters"]["PVS6M20440321c"]
    assert meter["kind"] == "consumption"
    assert meter["serial"] == "PVS6M20440321c"
    assert meter["power_kw"] == pytest.approx(1.3493)
    assert output["meters"]["PVS6M20440321p"]["kind"] == "production"
    assert output["inverters"]["E00202040011392"]["lifetime_energy_kwh"] == pytest.approx(1328.2679)
    assert output["network"]["active_interface"] == "sta0"
    assert output["grid_profile"]["active_name"].startswith("IEEE-1547a")


def test_parse_varserver_list_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(FIXTURES / "varserver-2025.06-b61840-values-rev-1.json")]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["generation"] == "localapi"
    assert output["supervisor"]["build"] == 61840


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("<html><body>502</body></html>", "HTML page"),
        ('{"result": "succeed", "devices": [', "truncated or not JSON"),
        ('{"hello": "world"}', "not a PVS answer"),
        ('"just a string"', "not a JSON object"),
    ],
)
def test_parse_refuses_what_is_not_a_pvs_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "answer.json"
    if content is not None:
        path.write_text(content)
    assert main(["parse", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]
    assert "Traceback" not in captured.err


@pytest.mark.usefixtures("loopback")
async def test_probe_and_dump_a_simulated_unit(capsys: pytest.CaptureFixture[str]) -> None:
    config = SimulatorConfig(profile="small", firmware="localapi", speed=0.0)
    async with Simulator(config) as sim:
        # The command line runs its own event loop, so it runs in a worker thread here.
        assert await asyncio.to_thread(main, ["probe", sim.host, "--interval", "0"]) == 0
        probe = json.loads(capsys.readouterr().out)
        assert probe["generation"] == "localapi"
        assert probe["serial"] == sim.serial
        assert await asyncio.to_thread(main, ["dump", sim.host, "--interval", "0"]) == 0
        dump = json.loads(capsys.readouterr().out)
        assert dump["supervisor"]["serial"] == sim.serial
        assert dump["inverters"]
        assert (
            await asyncio.to_thread(
                main, ["dump", sim.host, "--password", "nope", "--interval", "0"]
            )
            == 1
        )
        assert "wrong password" in capsys.readouterr().err
        assert sim.stats["config_commands"] == []


def test_parse_of_a_300_inverter_device_list_is_fast() -> None:
    sample = load("devicelist-2025.06-b61839-smcneece-sample.json")
    supervisor, meters, inverter = (
        sample["devices"][0],
        sample["devices"][1:3],
        sample["devices"][3],
    )
    inverters = [inverter | {"SERIAL": f"E{n:014d}"} for n in range(300)]
    body = json.dumps({"result": "succeed", "devices": [supervisor, *meters, *inverters]})
    from custom_components.sunpower_pvs.pvs import parse_responses

    started = time.perf_counter()
    data = parse_responses([body])
    elapsed = time.perf_counter() - started
    assert len(data.inverters) == 300
    assert elapsed < 1.0
