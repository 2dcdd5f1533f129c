"""A SunPower PVS5/PVS6 stand-in for tests, development, benchmarks and bug reports.

Run ``python -m pvs_simulator [--host 127.0.0.1] [--port 8080] [--profile NAME]
[--firmware legacy|localapi] [--tls] [--speed N] [--start ISO-TIME|now] [--replay FILE ...]
[--fault SPEC ...] [--import-counter positive|negative] [--no-production-ct]`` or,
in-process::

    async with Simulator(SimulatorConfig(profile="typical", firmware="localapi")) as sim:
        sim.advance(300)

Profiles: small, typical, lineside, pvs5, sunvault, medium, large.

Clock: ``speed`` simulated seconds pass per real second (0 = frozen, moved only by
``advance``). Sessions, the 5-minute device refresh, 15-second meter refresh, reboots and
telemetry frames all follow the simulated clock. Delays (built-in latency, ``latency=``
faults) are device seconds divided by ``max(speed, 1)``: at ``--speed 60`` a 7 s DeviceList
takes about 0.12 s, at speed 0 or 1 it takes 7 s. ``--start now`` starts at the real time.

Fault grammar (``--fault``, ``Simulator.add_fault``, ``POST /_sim/fault?spec=``)::

    SPEC    := KIND[=VALUE][,count=N][,for=S][,path=ENDPOINT][,kwh=X]
    count=N                the fault affects N matching requests, polls or writes
    for=S                  the fault is in force for S simulated seconds from when it is
                           added, however many requests come meanwhile (with count=N too:
                           until either runs out); on response, glitch, write_ignored and
                           latency faults
    status=CODE            next N requests (default 1) answer CODE: 403 with the dl_cgi
                           403 body, 503 with haproxy's page, others lighttpd's HTML page
    hang                   next N requests never answer (released when the client leaves)
    truncate               next N bodies cut in half (broken JSON)
    html[=CODE]            next N answers are an HTML page (default status 200)
    latency=[ENDPOINT:]S   every matching request waits S more device seconds (until clear)
    reboot[=S]             refuse connections for S simulated seconds (default 600); then
                           uptime restarts, sessions, telemetry and glitches are gone
    vanish=SERIAL          the device is missing (until clear/reboot, for N polls or for S
                           seconds) while the site runs on: its counters come back grown.
                           Its children go with it (DeviceList PARENT). Vanishing the ESS
                           serial is "the battery's data missing": legacy DeviceList loses
                           the ESS and its batteries, BMS, storage inverter and ESS Hub, and
                           energy-storage-system/status still answers but with empty
                           battery_status, ess_status, ess_state and inverter_status (Hub+
                           stays); LocalAPI loses /sys/devices/ess/... and livedata ess_p,
                           ess_en, soc and backupTimeRemaining read "nan"
    counter_zero=SERIAL    its lifetime counters read 0 for N polls (default 1)
    counter_drop=SERIAL    its lifetime counters read kwh=X (default 5) lower for N polls
    counter_jump=SERIAL    its lifetime counters read kwh=X (default 5) higher for N polls
    write_ignored[=NAME]   next N varserver writes (of NAME, if given; default 1) answer
                           200 with the old value and change nothing
    replace=SERIAL         swap that inverter for a new one: next serial, lifetime 0
    upgrade[=S]            switch to LocalAPI firmware (after an S-second reboot if given)
    expire                 end every LocalAPI session now
    uploads_down           cloud uploads fail: dl_untransmitted grows (until clear)
    clear                  remove every fault

A poll is one DeviceList, one energy-storage-system/status or one /vars read that asks for
device variables (a vanished device's included).

ENDPOINT names (as in ``/_sim/stats``): dl_cgi command names (DeviceList, Get_Comm, ...),
dl_cgi sub-paths (supervisor/info, energy-storage-system/status, devices/list),
auth?login, auth?logout, vars (reads), vars?set (writes), telemetry.

SunVault settings (LocalAPI, sites with storage)::

    /ess/config/dcm/mode_param/control_mode      STANDBY | SELF_CONSUMPTION (default) |
                                                 ENERGY_ARBITRAGE | BACKUP_ONLY
    /ess/config/dcm/control_param/min_customer_soc
                                                 backup reserve, customer SOC 0-1 ("0.30")

Read like any other variable with a session (``name=``, ``match=/ess/config/``). Write with
``GET /vars?set=NAME=VALUE[,NAME=VALUE]`` and a valid session (else 401): 200 with the list
form of the new values; an unknown name, an unknown mode or a reserve that is not a plain
decimal 0-1 answers 400 ``{"status":400,"description":"Bad Request"}`` and changes nothing.
The reserve reads back with at least two decimals ("0.5" -> "0.50"). Every write but
``/sys/telemetryws/enable`` is listed in ``config_commands``. The battery follows the mode:
SELF_CONSUMPTION soaks up surplus solar and covers the house down to the reserve;
BACKUP_ONLY only charges from surplus; STANDBY does nothing; ENERGY_ARBITRAGE charges from
surplus and covers the house 16:00-21:00 site solar time down to the reserve. ``opMode``
(and legacy ``ess_state.operational_mode``) reports the mode as of the last device refresh,
TARIFF_OPTIMIZER while arbitrage sits at the reserve or full. The reserve is on the
customer scale (``customerSocVal``; 0 % customer is 20 % system charge). In-process:
``sim.ess_control`` (``EssControl(mode, reserve)``, None without storage) and
``sim.set_ess_control(mode=..., reserve=...)``, on either firmware, as the SunStrong app;
``SimulatorConfig(ess_control=EssControl(...))`` sets them at start (``reserve=0.0`` is the
battery of earlier versions, emptied to 0 % customer charge every night).

Control endpoints (never PVS paths): ``GET /_sim/stats``, ``POST /_sim/fault?spec=SPEC``,
``POST /_sim/advance?seconds=N``, ``POST /_sim/firmware?to=localapi``,
``POST /_sim/expire``, ``GET /_sim/ess`` and ``POST /_sim/ess?mode=M&reserve=R`` (either
or both; 400 with the reason if refused). They share the main port, so they are unreachable
during a reboot.
"""

from __future__ import annotations

from .battery import EssControl
from .config import SimulatorConfig
from .faults import FaultSpecError
from .server import Simulator

__all__ = ["EssControl", "FaultSpecError", "Simulator", "SimulatorConfig"]
