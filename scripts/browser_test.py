"""Browser test of the real Home Assistant frontend with this integration (scripts/browser-test).

Starts the simulator (run through its past day) and Home Assistant (fresh configuration under
out/browser/, free ports), then drives headless chromium over the DevTools protocol like an
owner: log in, Settings → Devices & services → Add integration (the integration's brand icon
shows), pick SunPower PVS, type the simulator's address, finish the flow, open the devices and
check the supervisor, the meters and every inverter are listed, show values and no time in the
future; accept the integration's Energy dashboard offer under Settings → Repairs; load the
example dashboard (production, the power flow, today's figures, history graphs with the past
day) and the Energy dashboard (filled cards); last, a PVS outage: the site's power sensors turn
unavailable and come back by themselves. Screenshots go to out/browser/.

Exit status 0 only when every check passed and Home Assistant logged no error; each check's
result is listed at the end. The checks live in the package browser_checks/.
"""

import sys

from browser_checks.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
