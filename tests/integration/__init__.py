"""Tests of the Home Assistant integration, run against the PVS simulator."""
