"""What every module of the stack shares: where things are, and how progress is told."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOMAIN = "sunpower_pvs"
LOCALHOST = "127.0.0.1"


def say(message: str) -> None:
    """A progress line, like scripts/lib.sh's say."""
    print(f"==> {message}", flush=True)


def numeric(state: str | None) -> bool:
    """True when a state is a number (not unknown, unavailable or missing)."""
    try:
        float(state)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True
