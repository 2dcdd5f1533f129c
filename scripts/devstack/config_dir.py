"""Home Assistant's configuration folder, made ready for this working tree before it starts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import os
from pathlib import Path
import shutil

from homeassistant.components.http.config import (
    HTTP_STORAGE_SCHEMA,
    KEY_PENDING,
    KEY_STABLE,
    KEY_YAML_MIGRATION_DONE,
    STORAGE_KEY as HTTP_STORAGE_KEY,
    STORAGE_MINOR_VERSION as HTTP_STORAGE_MINOR_VERSION,
    STORAGE_VERSION as HTTP_STORAGE_VERSION,
)

from .common import DOMAIN, LOCALHOST, REPO

SITE_FILE = "devstack-site.json"  # profile -> when its simulated site began
SITE_MAX_AGE = timedelta(days=30)


def prepare_config(config_dir: Path, port: int) -> None:
    """configuration.yaml, the integration linked in, and Home Assistant listening on port."""
    config_dir.mkdir(parents=True, exist_ok=True)
    template = REPO / "config" / "configuration.yaml"
    if config_dir.resolve() != template.parent.resolve():
        shutil.copyfile(template, config_dir / "configuration.yaml")
    link_integration(config_dir)
    listen_on(config_dir, port)


def link_integration(config_dir: Path) -> None:
    """custom_components/sunpower_pvs -> the working tree's, so edits are what runs."""
    custom = config_dir / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / DOMAIN
    target = REPO / "custom_components" / DOMAIN
    if link.is_symlink() or link.exists():
        if link.is_symlink() and link.resolve() == target.resolve():
            return
        if link.is_symlink() or link.is_file():
            link.unlink()
        else:
            shutil.rmtree(link)
    link.symlink_to(os.path.relpath(target, custom))


def listen_on(config_dir: Path, port: int) -> None:
    """Home Assistant's HTTP settings: 127.0.0.1 and port, confirmed.

    Since 2026.x they live in the http store, not in configuration.yaml: an ``http:`` section
    there is moved into the store once, as a trial that Home Assistant reverts (restarting on
    0.0.0.0:8123) unless it is confirmed in the UI within five minutes, and ignored after.
    So the store is written here, with the settings as the confirmed ("stable") ones, before
    every start: --port works on every run.
    """
    stable = dict(HTTP_STORAGE_SCHEMA({"server_host": [LOCALHOST], "server_port": port}))
    stable |= {"created_at": datetime.now(UTC).isoformat(), "error": None, "error_message": None}
    body = {
        "version": HTTP_STORAGE_VERSION,
        "minor_version": HTTP_STORAGE_MINOR_VERSION,
        "key": HTTP_STORAGE_KEY,
        "data": {KEY_STABLE: stable, KEY_PENDING: None, KEY_YAML_MIGRATION_DONE: True},
    }
    store = config_dir / ".storage" / HTTP_STORAGE_KEY
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps(body, indent=2))


def known_pvs_port(config_dir: Path) -> int | None:
    """The simulator port the integration's entry in config_dir was added with, if any.

    Reusing it on the next run lets the entry find the PVS at once, where a new port leaves it
    failing to connect until scripts/develop has updated its address.
    """
    store = config_dir / ".storage" / "core.config_entries"
    try:
        entries = json.loads(store.read_text())["data"]["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for entry in entries:
        host = str(entry.get("data", {}).get("host", "")) if entry.get("domain") == DOMAIN else ""
        if host.startswith(f"{LOCALHOST}:") and host.rsplit(":", 1)[1].isdigit():
            return int(host.rsplit(":", 1)[1])
    return None


def _site_file(config_dir: Path) -> Path:
    return config_dir / SITE_FILE


def site_start(config_dir: Path, profile: str, fresh: datetime) -> datetime:
    """When the simulated site of profile began in config_dir: kept from the first run.

    A site that keeps its start keeps its counters running from one run to the next (what it
    made while scripts/develop was stopped comes with the first poll), instead of starting a
    new day each time. A start older than SITE_MAX_AGE starts again at fresh.
    """
    path = _site_file(config_dir)
    try:
        starts = dict(json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        starts = {}
    try:
        start = datetime.fromisoformat(str(starts[profile]))
    except (KeyError, ValueError):
        start = None
    if start is None or start.tzinfo is None or fresh - start > SITE_MAX_AGE or start > fresh:
        start = fresh
        starts[profile] = start.isoformat()
        config_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(starts, indent=2) + "\n")
    return start
