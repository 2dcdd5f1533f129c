"""Typed keys for what the aiohttp applications share."""

from __future__ import annotations

from aiohttp import web

from .unit import PvsUnit

UNIT = web.AppKey("unit", PvsUnit)
