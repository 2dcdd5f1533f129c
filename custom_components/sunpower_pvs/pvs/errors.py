"""Errors raised by the PVS client. Messages are one line and never contain credentials."""

from __future__ import annotations


class PVSError(Exception):
    """Base class of every error the client raises."""


class PVSConnectionError(PVSError):
    """The PVS could not be reached (refused, reset, DNS, TLS, HTTP 5xx while restarting)."""


class PVSTimeoutError(PVSConnectionError):
    """The PVS did not answer within the request's timeout."""


class PVSAuthError(PVSError):
    """LocalAPI login was refused, or a fresh session was refused again."""


class PVSProtocolError(PVSError):
    """Not what a PVS sends: truncated, HTML, wrong shape, ``result`` not ``succeed``."""


class PVSInvalidHostError(PVSError):
    """The host is not an IP address, a hostname or ``host:port``."""


class PVSHTTPStatusError(PVSConnectionError):
    """The PVS answered with an HTTP status the request cannot use (5xx, 403/404 on dl_cgi, ...)."""

    def __init__(self, what: str, status: int) -> None:
        """Keep the status so callers can tell a restart (503) from a missing endpoint (404)."""
        super().__init__(f"{what}: HTTP {status}")
        self.status = status


class PVSSettingError(PVSError):
    """A SunVault setting was not changed as asked."""


class PVSSettingRefusedError(PVSSettingError):
    """The PVS refused the value (HTTP 400): nothing was changed."""


class PVSSettingNotAppliedError(PVSSettingError):
    """The PVS accepted the write but reads back another value (kept in ``settings``)."""

    def __init__(self, what: str, settings: object) -> None:
        """``settings``: what the PVS reads back now (an ``EssSettings``)."""
        super().__init__(f"{what}: the PVS reads back another value")
        self.settings = settings
