"""A SunPower PVS5/PVS6 stand-in for tests, development, benchmarks and bug reports.

Run ``python -m pvs_simulator [--host 127.0.0.1] [--port 8080] [--profile NAME]
[--firmware legacy|localapi] [--tls] [--speed N] [--start ISO-TIME] [--replay FILE ...]
[--fault SPEC ...] [--import-counter positive|negative] [--no-production-ct]`` or,
in-process::

    async with Simulator(SimulatorConfig(profile="typical", firmware="localapi")) as sim:
        sim.advance(300)

Profiles: small, typical, lineside, pvs5, sunvault, large.

Clock: ``speed`` simulated seconds pass per real second (0 = frozen, moved only by
``advance``). Sessions, the 5-minute device refresh, 15-second meter refresh, reboots and
telemetry frames all follow the simulated clock. Delays (built-in latency, ``latency=``
faults) are device seconds divided by ``max(speed, 1)``: at ``--speed 60`` a 7 s DeviceList
takes about 0.12 s, at speed 0 or 1 it takes 7 s.

Fault grammar (``--fault``, ``Simulator.add_fault``, ``POST /_sim/fault?spec=``)::

    SPEC    := KIND[=VALUE][,count=N][,path=ENDPOINT][,kwh=X]
    status=CODE            next N requests (default 1) answer CODE: 403 with the dl_cgi
                           403 body, 503 with haproxy's page, others lighttpd's HTML page
    hang                   next N requests never answer (released when the client leaves)
    truncate               next N bodies cut in half (broken JSON)
    html[=CODE]            next N answers are an HTML page (default status 200)
    latency=[ENDPOINT:]S   every matching request waits S more device seconds (until clear)
    reboot[=S]             refuse connections for S simulated seconds (default 600); then
                           uptime restarts, sessions, telemetry and glitches are gone
    vanish=SERIAL          the device is missing from DeviceList / vars (until clear/reboot,
                           or for N polls)
    counter_zero=SERIAL    its lifetime counters read 0 for N polls (default 1)
    counter_drop=SERIAL    its lifetime counters read kwh=X (default 5) lower for N polls
    counter_jump=SERIAL    its lifetime counters read kwh=X (default 5) higher for N polls
    replace=SERIAL         swap that inverter for a new one: next serial, lifetime 0
    upgrade[=S]            switch to LocalAPI firmware (after an S-second reboot if given)
    expire                 end every LocalAPI session now
    uploads_down           cloud uploads fail: dl_untransmitted grows (until clear)
    clear                  remove every fault

ENDPOINT names (as in ``/_sim/stats``): dl_cgi command names (DeviceList, Get_Comm, ...),
dl_cgi sub-paths (supervisor/info, energy-storage-system/status, devices/list),
auth?login, auth?logout, vars, telemetry.

Control endpoints (never PVS paths): ``GET /_sim/stats``, ``POST /_sim/fault?spec=SPEC``,
``POST /_sim/advance?seconds=N``, ``POST /_sim/firmware?to=localapi``,
``POST /_sim/expire``. They share the main port, so they are unreachable during a reboot.
"""

from __future__ import annotations

from .config import SimulatorConfig
from .faults import FaultSpecError
from .server import Simulator

__all__ = ["FaultSpecError", "Simulator", "SimulatorConfig"]
