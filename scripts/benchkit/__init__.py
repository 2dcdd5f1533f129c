"""The benchmark behind ``scripts/bench``: cost per poll inside Home Assistant, load on the PVS.

Each run sets a fresh Home Assistant core (the test harness's, custom integrations enabled)
up against a simulated site and follows it through a simulated stretch of time:

* ``cli``       the command line; ``suite`` every (firmware, site) pair of a plan
* ``run``       one run: setup, steady polling, identical answers
* ``harness``   the Home Assistant core and the entry in it; its timers
* ``adapter``   the code under test (this checkout or an older one) and the client injected
* ``site``      the simulated PVS: ``processes`` start the simulator and ``front`` (the tiny
                server Home Assistant talks to, passing, repeating or canning answers)
* ``clock``     the run's simulated time
* ``measure``   CPU, state changes, store writes, memory; ``figures`` and ``stats`` sum up
* ``report``    bench.json and bench.md; ``machine`` says what and where

See docs/benchmarks.md.
"""
