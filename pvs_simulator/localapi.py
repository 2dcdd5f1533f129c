"""LocalAPI endpoints: ``/auth`` login/logout and ``/vars``."""

from __future__ import annotations

import base64
import binascii

from aiohttp import web

from .appkeys import UNIT
from .responses import EMPTY_RESULT, NOT_FOUND, UNAUTHORIZED, json_response
from .unit import PvsUnit
from .varquery import VarQuery, parse_query, render, select
from .varstore import PUBLIC_VARIABLES, variables
from .varwrite import write_variables

USERNAME = "ssm_owner"


def _not_present() -> web.Response:
    """Legacy firmware has no varserver."""
    return json_response(NOT_FOUND, 404, legacy=False)


def _password_ok(unit: PvsUnit, header: str) -> bool:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, _, password = decoded.partition(":")
    return user == USERNAME and password == unit.password


async def auth(request: web.Request) -> web.StreamResponse:
    """``/auth?login`` (HTTP Basic) and ``/auth?logout``."""
    unit = request.app[UNIT]
    if unit.firmware != "localapi":
        return _not_present()
    keys = {part.partition("=")[0] for part in request.rel_url.raw_query_string.split("&")}
    if "logout" in keys:
        unit.sessions.logout(request.cookies.get("session", ""))
        return web.Response(status=204)
    if "login" not in keys:
        return json_response(NOT_FOUND, 404, legacy=False)
    if not _password_ok(unit, request.headers.get("Authorization", "")):
        return json_response(UNAUTHORIZED, 401, legacy=False)
    session = unit.sessions.login()
    response = json_response({"session": session}, legacy=False)
    # Secure only over TLS: clients (rightly) never send Secure cookies over plain HTTP.
    response.set_cookie("session", session, httponly=True, secure=unit.config.tls)
    return response


async def vars_query_text(request: web.Request) -> str:
    """The literal ``/vars`` query: the query string, or a POST body holding the same."""
    raw = request.rel_url.raw_query_string
    if request.method == "POST":
        raw = (await request.text()).strip() or raw
    return raw


async def vars_handler(request: web.Request) -> web.StreamResponse:
    """``/vars`` reads (``name``, ``match``, ``cache``) and writes (``set``)."""
    unit = request.app[UNIT]
    if unit.firmware != "localapi":
        return _not_present()
    query = parse_query(await vars_query_text(request))
    session = request.cookies.get("session")
    # A stale cookie fails even where no cookie would have been fine.
    if session is not None and not unit.sessions.is_valid(session):
        return json_response(UNAUTHORIZED, 401, legacy=False)
    logged_in = session is not None
    if query.is_write:
        if not logged_in:
            return json_response(UNAUTHORIZED, 401, legacy=False)
        status, body = write_variables(unit, query.assignments)
        return json_response(body, status, legacy=False)
    public_only = bool(query.names) and set(query.names) <= PUBLIC_VARIABLES
    if not logged_in and not public_only:
        return json_response(UNAUTHORIZED, 401, legacy=False)
    if unit.replay:
        selected = select(query, replay_variables(unit), unit.var_caches)
    else:
        selected = select(query, variables(unit, consume_glitches=False), unit.var_caches)
        if unit.faults.glitches() and _reads_devices(unit, query):
            selected = select(query, variables(unit), unit.var_caches)
    if not selected:
        return json_response(EMPTY_RESULT, 400, legacy=False)
    return json_response(render(selected, as_object=query.as_object), legacy=False)


DEVICES = "/sys/devices/"


def _reads_devices(unit: PvsUnit, query: VarQuery) -> bool:
    """Whether a query asks for device variables, even vanished ones: only such a read is a poll.

    Asking only for a vanished device must still use up a ``count=N`` vanish.
    """
    asked = select(query, variables(unit, glitches=False), dict(unit.var_caches))
    return any(name.startswith(DEVICES) for name, _ in asked)


def replay_variables(unit: PvsUnit) -> dict[str, object]:
    """A replayed dump, plus the unit's identity where the dump lacks it.

    Owners' captures hold device variables only; without a serial and model no client could
    log in to the replayed unit.
    """
    assert unit.replay is not None
    identity = {"/sys/info/serialnum": unit.serial, "/sys/info/model": f"{unit.profile.model} "}
    return identity | unit.replay.variables
