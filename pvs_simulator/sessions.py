"""LocalAPI login sessions, timed by the simulated clock."""

from __future__ import annotations

import secrets

from .clock import SimClock


class SessionStore:
    """Session ids and when they expire.

    A session lives ``ttl_s`` simulated seconds from login, however much it is used: the
    stricter reading of owners' "5-8 minutes", so clients must cope with mid-use expiry.
    """

    def __init__(self, clock: SimClock, ttl_s: float) -> None:
        """Keep sessions for ``ttl_s`` simulated seconds."""
        self._clock = clock
        self._ttl_s = ttl_s
        self._expiry: dict[str, float] = {}

    def login(self) -> str:
        """Open a session; its id is 64 hex characters like the real one."""
        session = secrets.token_hex(32)
        self._expiry[session] = self._clock.epoch + self._ttl_s
        return session

    def is_valid(self, session: str) -> bool:
        """Whether ``session`` exists and has not expired."""
        expiry = self._expiry.get(session)
        if expiry is None:
            return False
        if expiry <= self._clock.epoch:
            del self._expiry[session]
            return False
        return True

    def logout(self, session: str) -> None:
        """Close one session."""
        self._expiry.pop(session, None)

    def expire_all(self) -> None:
        """Forget every session (expiry on demand, reboot, firmware change)."""
        self._expiry.clear()

    @property
    def active(self) -> int:
        """Sessions still valid now."""
        return sum(1 for session in list(self._expiry) if self.is_valid(session))
