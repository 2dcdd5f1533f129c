"""Saving and restoring the site's energy state: dataclasses to plain JSON data and back.

Each flow's state is a dataclass of plain values, counters (``Track``), direction learners
(``Direction``) and maps of counters; one pair of functions serialises all of them, so a
field added to a flow is saved and restored without more code.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from enum import Enum
import types
from typing import Any, Union, get_args, get_origin, get_type_hints


def dump(state: Any, *, defaults: bool = False) -> dict[str, Any]:
    """A dataclass as JSON-ready data (enums by value, tuples as lists).

    A field at its plain default is left out unless ``defaults`` (``load`` gives it back):
    at 300 inverters most of each counter's fields are an empty doubt, and the store is
    rewritten all day.
    """
    saved: dict[str, Any] = {}
    for field in dataclasses.fields(state):
        value = getattr(state, field.name)
        if not defaults and field.default is not dataclasses.MISSING and value == field.default:
            continue
        saved[field.name] = _dump(value, defaults)
    return saved


def _dump(value: Any, defaults: bool) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dump(value, defaults=defaults)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {key: _dump(item, defaults) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_dump(item, defaults) for item in value]
    return value


def load[S](cls: type[S], stored: Mapping[str, Any]) -> S:
    """``cls`` from ``dump`` output: missing fields keep their defaults, unknown ones go."""
    hints = get_type_hints(cls)
    values = {
        field.name: _load(hints[field.name], stored[field.name])
        for field in dataclasses.fields(cls)  # type: ignore[arg-type]
        if field.name in stored
    }
    return cls(**values)


def _load(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        return _load(options[0], raw) if len(options) == 1 else raw
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return load(hint, raw)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(raw)
    if origin is dict:
        _, item = get_args(hint)
        return {key: _load(item, value) for key, value in raw.items()}
    if origin is tuple:
        return tuple(_load(arg, item) for arg, item in zip(get_args(hint), raw, strict=True))
    if hint is float and isinstance(raw, int | float):
        return float(raw)
    return raw
