"""Tests of the SunPower PVS integration, its client library and the simulator."""
