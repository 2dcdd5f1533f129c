"""Binary sensors: device problems judged with sense, relays, fan and cloud connectivity."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .descriptions import PVSBinarySensorEntityDescription
from .entity import PVSEntity, add_entities_as_data_appears
from .kinds import BINARY_SENSORS
from .runtime import PVSConfigEntry

# Entities only read the coordinators' data; the client serialises requests to the PVS.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: PVSConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add binary sensors for what the PVS reports now and for what appears later."""
    runtime = entry.runtime_data
    add_entities_as_data_appears(
        runtime,
        BINARY_SENSORS,
        lambda description, source, data: description.exists(source, data),
        lambda family, member, description: PVSBinarySensor(runtime, family, member, description),
        async_add_entities,
        # a problem can be judged once the neighbours' data allows it
        source_decides=False,
    )


class PVSBinarySensor[T](PVSEntity[T], BinarySensorEntity):
    """A binary sensor of a family member."""

    entity_description: PVSBinarySensorEntityDescription[T]

    @property
    def is_on(self) -> bool | None:
        """The latest judgement; None (unknown) when it cannot be judged."""
        value: bool | None = self._current
        return value

    def _value(self, source: T) -> bool | None:
        return self.entity_description.is_on_fn(source, self._runtime.poll.data)
