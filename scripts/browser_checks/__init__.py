"""scripts/browser-test's checks of the real frontend, one job per module.

* ``common``: where screenshots go, the check results, progress lines
* ``page``: what the test reads off a page (JavaScript through shadow roots, brand images)
* ``owner``: an owner's browser: logging in, Add integration, the devices
* ``energy_pages``: the Energy offer under Repairs, the example dashboard, the Energy dashboard
* ``outage``: the PVS stops answering, and comes back
* ``cli``: scripts/browser-test itself

The stack (simulator, Home Assistant, its APIs) comes from ``devstack``.
"""
