"""The one base entity: where its value comes from, its device, unique id and availability.

A ``Family`` is a group of entities that read the same kind of thing: the devices of one
kind in each poll (inverters, meters, ...), or the site (its power, its energy, the polling
itself). Every entity of the integration is a ``PVSEntity`` of a family: it writes its state
only when what it shows (value or availability) changed, so a poll that brings the same
reading costs neither the recorder nor the state machine anything.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator

from .descriptions import WRITE_INTERVAL
from .devices import device_link
from .identity import device_identity, device_unique_id, site_identity, site_unique_id
from .pvs import Device, PVSData
from .runtime import PVSRuntime


@dataclass(frozen=True, slots=True, kw_only=True)
class Family[T]:
    """Entities that read the same kind of thing.

    ``members`` are the devices that carry the family's entities in a poll (one, the
    supervisor, for site-wide families); ``read`` gives what a member's descriptions read
    now (None: the member is gone, its entities are unavailable); ``coordinator`` is the one
    whose updates they follow.
    """

    coordinator: Callable[[PVSRuntime], DataUpdateCoordinator[Any]]
    members: Callable[[PVSData], Iterable[Device]]
    read: Callable[[PVSRuntime, str], T | None]
    # the site's entities sit on the site device, keyed by the supervisor's serial
    on_site_device: bool = False
    # available while the PVS is not (the entities about polling itself)
    always_available: bool = False
    # the time of what ``read`` gives, by the PVS's clock, for values that come fast
    clock: Callable[[T], datetime | None] | None = None

    def unique_id(self, data: PVSData, member: Device, key: str) -> str:
        """The unique id of the member's entity of ``key``."""
        if self.on_site_device:
            return site_unique_id(data.supervisor.serial, key)
        return device_unique_id(device_identity(member, data), key)

    def device(self, data: PVSData, member: Device) -> str:
        """The identifier of the device the member's entities belong to."""
        if self.on_site_device:
            return site_identity(data.supervisor.serial)
        return device_identity(member, data)


def device_family[D: Device](pick: Callable[[PVSData], Mapping[str, D]]) -> Family[D]:
    """The devices of one kind in each poll, read from the poll by serial."""
    return Family(
        coordinator=lambda runtime: runtime.poll,
        members=lambda data: pick(data).values(),
        read=lambda runtime, serial: pick(runtime.poll.data).get(serial),
    )


class PVSEntity[T](CoordinatorEntity[DataUpdateCoordinator[Any]]):
    """An entity of one family member; unavailable while its data is missing."""

    _attr_has_entity_name = True

    def __init__(
        self,
        runtime: PVSRuntime,
        family: Family[T],
        member: Device,
        description: EntityDescription,
    ) -> None:
        """Bind the entity to the member's serial, never to a list position or an address."""
        super().__init__(family.coordinator(runtime))
        self.entity_description = description
        self._runtime = runtime
        self._family = family
        self._serial = member.serial
        data = runtime.poll.data
        self._attr_unique_id = family.unique_id(data, member, description.key)
        self._attr_device_info = device_link(family.device(data, member))
        self._current: Any = None
        self._source: T | None = None
        self._shown: tuple[bool, Any] | None = None
        self._shown_at: datetime | None = None
        self._follows_source = self._value_follows_source

    @property
    def source(self) -> T | None:
        """What the description reads now; None while the member is missing."""
        return self._family.read(self._runtime, self._serial)

    @property
    def available(self) -> bool:
        """Available while its coordinator succeeds and the member's data is there.

        The data as of the last update: what the value shown was computed from.
        """
        return self._available_with(self._source)

    def _available_with(self, source: T | None) -> bool:
        if self._family.always_available:
            return True
        return self.coordinator.last_update_success and source is not None

    @property
    def _significant_change(self) -> float | None:
        """For a fast value: the change written at once (smaller ones wait, see below)."""
        return None

    @property
    def _value_follows_source(self) -> bool:
        """Whether the value depends on nothing but the member's own data."""
        return False

    @abstractmethod
    def _value(self, source: T) -> Any:
        """The entity's value in ``source``; it may look at the value it shows now."""

    def _refresh(self, source: T | None) -> datetime | None:
        """Compute the value from ``source``; returns the time of the data it came from."""
        self._current = None if source is None else self._value(source)
        self._source = source
        clock = self._family.clock
        return None if source is None or clock is None else clock(source)

    async def async_added_to_hass(self) -> None:
        """Compute the first value; Home Assistant writes it right after this."""
        await super().async_added_to_hass()
        self._shown_at = self._refresh(self.source)
        self._shown = (self.available, self._current)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write what changed: availability, a value, a small change of a fast value in time."""
        source = self.source
        if (
            source is self._source
            and self._shown is not None
            and self._shown[0]
            and self._follows_source
            and isinstance(source, Device)
            and self.coordinator.last_update_success
        ):
            return  # the same (immutable) device record, still available: nothing changed
        at = self._refresh(source)
        shown = (self._available_with(self._source), self._current)
        if shown == self._shown or self._small_change_too_soon(shown, at):
            return
        self._shown, self._shown_at = shown, at
        self.async_write_ha_state()

    def _small_change_too_soon(self, shown: tuple[bool, Any], at: datetime | None) -> bool:
        """A fast value's small change within the write interval waits for the next one."""
        significant = self._significant_change
        previous = self._shown
        return (
            significant is not None
            and previous is not None
            and previous[0] == shown[0]
            and isinstance(previous[1], float)
            and isinstance(shown[1], float)
            and abs(shown[1] - previous[1]) < significant
            and at is not None
            and self._shown_at is not None
            and at - self._shown_at < WRITE_INTERVAL
        )


def add_entities_as_data_appears[D: EntityDescription](
    runtime: PVSRuntime,
    families: Iterable[tuple[Family[Any], tuple[D, ...]]],
    exists: Callable[[D, Any, PVSData], bool],
    create: Callable[[Family[Any], Device, D], Entity],
    async_add_entities: AddConfigEntryEntitiesCallback,
    *,
    source_decides: bool = True,
) -> None:
    """Add an entity per member and description once it exists, now and after each poll.

    Inverters first seen at sunrise, replaced units and values a firmware starts sending later
    get their entities without a reload. ``source_decides``: whether an entity exists is
    decided by its member's data alone (not by the rest of the poll), so an unchanged record
    need not be looked at again.
    """
    known: set[str] = set()
    groups = tuple(families)
    poll = runtime.poll
    # Per family and member serial, the descriptions whose entity does not exist yet, and the
    # data they were last looked at in: a poll looks only at those, and only when that data
    # changed (with 300 inverters, nearly every member has none left or the same record).
    waiting: dict[tuple[int, str], tuple[object, tuple[D, ...]]] = {}

    looked_at: list[PVSData | None] = [None]  # the poll data add_new last went through

    @callback
    def add_new() -> None:
        data = poll.data
        if data is looked_at[0]:
            return  # the same poll data (an answer repeated): nothing new in it
        looked_at[0] = data
        new: list[Entity] = []
        for index, (family, descriptions) in enumerate(groups):
            for member in family.members(data):
                slot = (index, member.serial)
                seen, candidates = waiting.get(slot, (None, descriptions))
                if not candidates:
                    continue
                value = family.read(runtime, member.serial)
                if source_decides and value is seen and isinstance(value, Device):
                    continue  # the same (immutable) record as last time
                still: list[D] = []
                for description in candidates:
                    if not exists(description, value, data):
                        still.append(description)
                        continue
                    unique_id = family.unique_id(data, member, description.key)
                    if unique_id in known:
                        continue
                    known.add(unique_id)
                    new.append(create(family, member, description))
                waiting[slot] = (value, tuple(still))
        if new:
            async_add_entities(new)

    add_new()
    poll.config_entry.async_on_unload(poll.async_add_listener(add_new))
