"""Bodies and headers the real units answer with, including their error pages."""

from __future__ import annotations

from http import HTTPStatus
import json

from aiohttp import web

FORBIDDEN = {"status": 403, "error": "Unauthorized", "path": ""}
UNAUTHORIZED = {"status": 401, "description": "Unauthorized"}
# No capture shows the body of varserver's 400; it mirrors the 401 shape. The same answer
# stands for an empty result and for a refused write.
BAD_REQUEST = {"status": 400, "description": "Bad Request"}
EMPTY_RESULT = BAD_REQUEST
NOT_FOUND = {"status": 404, "description": "Not Found"}

LIGHTTPD_HEADERS = {
    "Server": "lighttpd/1.4.51",
    "Pragma": "no-cache",
    "Cache-Control": "no-cache, no-store, must-revalidate, post-check=0, pre-check=0",
    "Access-Control-Allow-Origin": "*",
}

LIGHTTPD_ERROR = """<?xml version="1.0" encoding="iso-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
         "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title>{code} {reason}</title>
 </head>
 <body>
  <h1>{code} {reason}</h1>
 </body>
</html>
"""

# What the seed saw through haproxy while the supervisor restarted.
HAPROXY_503 = """<html><body><h1>503 Service Unavailable</h1>
No server is available to handle this request.
</body></html>
"""

# A proxy or captive page where JSON was expected.
MIME_ERROR_PAGE = """<!DOCTYPE html>
<html><head><title>PVS</title></head>
<body><h1>Error</h1><p>Could not connect to mime</p></body></html>
"""


def json_response(body: object, status: int = 200, *, legacy: bool = True) -> web.Response:
    """A JSON answer with the headers of the firmware generation."""
    headers = LIGHTTPD_HEADERS if legacy else {}
    return web.Response(
        text=json.dumps(body, indent=1 if legacy else None),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def error_page(status: int) -> web.Response:
    """The HTML a real unit or its proxy returns for an HTTP error."""
    if status == 403:
        return json_response(FORBIDDEN, 403)
    if status == 503:
        return web.Response(text=HAPROXY_503, status=503, content_type="text/html")
    text = LIGHTTPD_ERROR.format(code=status, reason=HTTPStatus(status).phrase)
    return web.Response(
        text=text, status=status, content_type="text/html", headers=LIGHTTPD_HEADERS
    )


def html_page(status: int) -> web.Response:
    """An HTML page where the client expects JSON."""
    return web.Response(text=MIME_ERROR_PAGE, status=status, content_type="text/html")
