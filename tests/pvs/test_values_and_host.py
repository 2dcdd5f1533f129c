"""Value conversions and host validation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.sunpower_pvs.pvs import PVSInvalidHostError, derive_password, validate_host
from custom_components.sunpower_pvs.pvs.values import (
    build_number,
    dl_time,
    flag,
    fraction_to_pct,
    iso_time,
    number,
)


@pytest.mark.parametrize("raw", ["nan", "NaN", "", " ", "-", None, "n/a", "inf", [], {}, True])
def test_absent_numbers_are_none(raw: object) -> None:
    assert number(raw) is None


@pytest.mark.parametrize(("raw", "value"), [("0", 0.0), (" 1.5 ", 1.5), (3, 3.0), ("-0.2", -0.2)])
def test_numbers(raw: object, value: float) -> None:
    assert number(raw) == value


def test_times_are_utc() -> None:
    assert dl_time("2024,04,16,23,45,00") == datetime(2024, 4, 16, 23, 45, tzinfo=UTC)
    assert dl_time("2024,04,16") is None
    assert iso_time("2025-06-28T03:35:00Z") == datetime(2025, 6, 28, 3, 35, tzinfo=UTC)
    assert iso_time("2020-02-15 01:23:45") == datetime(2020, 2, 15, 1, 23, 45, tzinfo=UTC)
    assert iso_time("yesterday") is None


def test_small_conversions() -> None:
    assert fraction_to_pct("0.86") == pytest.approx(86.0)
    assert fraction_to_pct("nan") is None
    assert flag("1") is True
    assert flag(False) is False
    assert flag("maybe") is None
    assert build_number("2025.06, Build 61839") == 61839
    assert build_number("2025.09.04.61845") == 61845
    assert build_number("V1") is None
    assert derive_password("ZT214285000549A0621") == "A0621"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("172.27.153.1", "172.27.153.1"),
        (" PVS6.local ", "pvs6.local"),
        ("127.0.0.1:8080", "127.0.0.1:8080"),
        ("bridge:80", "bridge:80"),
        ("fe80::1", "[fe80::1]"),
        ("[fe80::1]:8443", "[fe80::1]:8443"),
    ],
)
def test_valid_hosts(raw: str, normalised: str) -> None:
    assert validate_host(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "http://172.27.153.1",
        "172.27.153.1/cgi-bin",
        "pvs 6",
        "host:0",
        "host:99999",
        "host:abc",
        "user@host",
        "-bad-.local",
        "[fe80::1",
        "a..b",
    ],
)
def test_invalid_hosts(raw: str) -> None:
    with pytest.raises(PVSInvalidHostError):
        validate_host(raw)
