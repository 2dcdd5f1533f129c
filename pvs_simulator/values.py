"""How the PVS spells numbers and times."""

from __future__ import annotations

from datetime import UTC, datetime


def dl_number(value: float, places: int = 4) -> str:
    """A dl_cgi measurement: a string, trailing zeros cut ("0.28", "243.1", "0")."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def dl_time(epoch: float) -> str:
    """dl_cgi DATATIME / CURTIME: ``"YYYY,MM,DD,HH,MM,SS"`` in UTC."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y,%m,%d,%H,%M,%S")


def ess_time(epoch: float) -> str:
    """ESS status ``last_updated``: ``"YYYY-MM-DD HH:MM:SS"`` in UTC."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d %H:%M:%S")


def var_number(value: float) -> str:
    """A varserver value: a string with six decimals ("59.970001")."""
    text = f"{value:.6f}"
    return "0.000000" if text == "-0.000000" else text


def iso_time(epoch: float) -> str:
    """The varserver ``msmtEps``: ISO-8601 UTC with a Z."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
