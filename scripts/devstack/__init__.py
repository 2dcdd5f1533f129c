"""A simulated PVS and a real Home Assistant with this integration, for scripts/develop.

Also the toolkit of scripts/browser-test (scripts/browser_checks/). One job per module:

* ``options``: scripts/develop's command line (standard library only, so ``--help`` works
  before .venv-develop exists)
* ``config_dir``: the configuration folder (configuration.yaml, the integration linked in,
  Home Assistant's HTTP settings, the simulated site's start)
* ``processes``: free ports, the simulator and Home Assistant as child processes
* ``ha_client``: Home Assistant's REST and websocket APIs, logging in
* ``onboarding``: onboarding without the online services, the development account
* ``site``: the running site's entity ids and states
* ``integration``: adding the integration, its options, replacing an earlier site
* ``energy``: the integration's Energy dashboard offer, accepted under Repairs
* ``sim_model``: the simulator's own model of the site, run here
* ``statistics``: hourly statistics of the site's sensors, from that model
* ``past_day``: the site's past day, run through and put into Home Assistant's statistics
* ``dashboards``: the example dashboard, filled in with the running site's entity ids
* ``bringup``: all of that in order; ``cli``: scripts/develop itself

Runs with .venv-develop's Python (Home Assistant, aiohttp, PyYAML) from the repository root,
with scripts/ on the path.
"""
