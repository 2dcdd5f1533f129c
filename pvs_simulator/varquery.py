"""The varserver query language: ``name``, ``match``, ``cache``, ``fmt``, ``set``.

Query strings are split on ``&`` and on the first ``=`` only, and never URL-decoded: the
real server compares the text it was sent, so ``%2F`` matches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VarQuery:
    """One parsed ``/vars`` request."""

    names: tuple[str, ...] = ()
    match: str | None = None
    cache: str | None = None
    as_object: bool = False
    assignments: tuple[tuple[str, str], ...] = ()

    @property
    def is_write(self) -> bool:
        """A ``set=`` request."""
        return bool(self.assignments)


def parse_query(raw: str) -> VarQuery:
    """Parse a literal query string."""
    names: list[str] = []
    match = cache = None
    as_object = False
    assignments: list[tuple[str, str]] = []
    for part in raw.split("&"):
        key, _, value = part.partition("=")
        if key == "name":
            names += [name for name in value.split(",") if name]
        elif key == "match":
            match = value
        elif key == "cache":
            cache = value
        elif key == "fmt":
            as_object = value == "obj"
        elif key == "set":
            for assignment in value.split(","):
                name, _, new_value = assignment.partition("=")
                assignments.append((name, new_value))
    return VarQuery(tuple(names), match, cache, as_object, tuple(assignments))


def select(
    query: VarQuery, variables: Mapping[str, object], caches: dict[str, tuple[str, ...]]
) -> list[tuple[str, object]]:
    """The variables a query asks for, remembering named result sets in ``caches``.

    A cache id sent alone returns the membership it had when it was filled, even if
    variables came or went since (seen on real units).
    """
    if query.names:
        members = tuple(name for name in query.names if name in variables)
    elif query.match is not None:
        needle = query.match.lower()
        members = tuple(name for name in variables if needle in name.lower())
    elif query.cache is not None and query.cache in caches:
        members = caches[query.cache]
    else:
        members = ()
    if query.cache is not None and (query.names or query.match is not None):
        caches[query.cache] = members
    return [(name, variables[name]) for name in members if name in variables]


def render(selected: list[tuple[str, object]], *, as_object: bool) -> dict[str, object]:
    """``fmt=obj`` as a flat object, otherwise the ``values``/``count`` list form."""
    if as_object:
        return dict(selected)
    return {
        "values": [{"name": name, "value": value} for name, value in selected],
        "count": len(selected),
    }
