"""What the figures were measured on, and which code they are of."""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import platform
import subprocess

from homeassistant.const import __version__ as ha_version


@dataclass(frozen=True, slots=True)
class Machine:
    """The computer and the software stack."""

    cpu: str
    cores: int
    python: str
    home_assistant: str
    platform: str

    @classmethod
    def here(cls) -> Machine:
        """The machine the bench runs on."""
        cpu = platform.processor() or platform.machine()
        try:
            with open("/proc/cpuinfo", encoding="utf-8") as info:
                names = (line.split(":", 1)[1] for line in info if line.startswith("model name"))
                cpu = next(names, cpu).strip()
        except OSError:
            pass
        return cls(
            cpu=cpu,
            cores=os.cpu_count() or 0,
            python=platform.python_version(),
            home_assistant=ha_version,
            platform=platform.platform(),
        )


@dataclass(frozen=True, slots=True)
class CodeVersion:
    """The checkout measured: its folder, commit, and whether its tree had changes."""

    root: str
    commit: str
    modified: bool

    @classmethod
    def of(cls, root: Path) -> CodeVersion:
        """Ask git (``unknown`` where it cannot say)."""

        def git(*args: str) -> str:
            try:
                done = subprocess.run(
                    ["git", "-C", str(root), *args],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=10,
                )
            except (OSError, subprocess.SubprocessError):
                return ""
            return done.stdout.strip()

        commit = git("rev-parse", "--short", "HEAD") or "unknown"
        changes = git("status", "--porcelain", "--", "custom_components")
        return cls(root=str(root), commit=commit, modified=bool(changes))
