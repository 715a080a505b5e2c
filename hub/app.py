"""The hub's HTTP face (Starlette): routes, body limits, JSON errors, one log line per request.

Everything protocol-related happens in hub/service.py and hub/ops.py; this module turns HTTP
into `HubRequest`s and `ProtocolError`s into `{"error": {"code", "message"}}` answers.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
import time
import traceback
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute

from hub import devicekeys, ops
from hub.limits import ConnectionLimits
from hub.service import DEVICE, ENROLLING, ORG, RETIRED, Hub, HubRequest, Route
from screening.org.documents import MAX_DOCUMENT_BYTES
from screening.sync import protocol as P
from screening.sync.batch import MAX_BATCH_BYTES, MAX_ENVELOPE_BYTES
from screening.sync.protocol import ProtocolError

log = logging.getLogger("screening.hub")

MAX_JSON_BODY = 64 * 1024
MAX_ENVELOPE_BODY = MAX_ENVELOPE_BYTES


def build_routes(max_envelope_bytes: int = MAX_ENVELOPE_BODY) -> list[Route]:
    org, dev = frozenset({ORG}), frozenset({DEVICE})
    enrolling, anyone = frozenset({ENROLLING}), frozenset({ORG, DEVICE})
    json_limit = MAX_JSON_BODY
    return [
        Route("enrol_code", "POST", P.PATH_ENROL_CODES, org, json_limit, ops.create_enrol_code),
        Route("enrol", "POST", P.PATH_DEVICES, enrolling, json_limit, ops.enrol_device),
        Route("devices", "GET", P.PATH_DEVICES, org, 0, devicekeys.list_devices, readonly=True),
        Route("device_self", "GET", P.PATH_DEVICE_SELF, dev, 0, ops.device_self, readonly=True),
        Route("revoke", "POST", P.PATH_REVOKE, org, json_limit, ops.revoke_device),
        Route("rotate_key", "POST", P.PATH_ROTATE_KEY, frozenset({DEVICE, RETIRED}), json_limit,
              devicekeys.rotate_device_key),
        Route("push", "POST", P.PATH_ENVELOPES, dev, max_envelope_bytes, ops.push_envelope,
              prepare=ops.prepare_envelope),
        Route("push_batch", "POST", P.PATH_ENVELOPE_BATCH, dev, MAX_BATCH_BYTES,
              ops.push_envelope_batch, prepare=ops.prepare_envelope_batch, offload=True),
        Route("pull", "GET", P.PATH_ENVELOPES, org, 0, ops.pull_envelopes, readonly=True,
              settled=True),
        Route("ack", "POST", P.PATH_ACK, org, json_limit, ops.ack_envelopes),
        Route("publish_form", "POST", P.PATH_FORMS, org, MAX_DOCUMENT_BYTES, ops.publish_form,
              prepare=ops.prepare_form),
        Route("pull_forms", "GET", P.PATH_FORMS, anyone, 0, ops.pull_forms, readonly=True),
    ]  # fmt: skip


async def _read_body(request: Request, limit: int, limits: ConnectionLimits) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ProtocolError("bad_request", "Content-Length is not a number.")
        if int(declared) > limit:
            raise ProtocolError("body_too_large", details={"limit": limit})
    chunks: list[bytes] = []
    size = 0
    # A body that trickles in holds a connection and a task: it gets a deadline that grows
    # with what it may hold (the declared length, else the endpoint's limit).
    expected = int(declared) if declared is not None else limit
    try:
        async with asyncio.timeout(limits.body_deadline(expected)):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:  # chunked uploads declare no length: count as they arrive
                    raise ProtocolError("body_too_large", details={"limit": limit})
                chunks.append(chunk)
    except TimeoutError:
        raise ProtocolError("request_timeout") from None
    return b"".join(chunks)


def _target(scope: dict[str, Any]) -> str:
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    query = scope.get("query_string") or b""
    try:
        target = raw_path.decode("ascii") + ("?" + query.decode("ascii") if query else "")
    except UnicodeDecodeError:
        raise ProtocolError("bad_request", "The request target is not ASCII.") from None
    return target


def _unexpected(exc: Exception) -> ProtocolError:
    psycopg = sys.modules.get("psycopg")
    if isinstance(exc, sqlite3.OperationalError) or (
        psycopg is not None and isinstance(exc, psycopg.OperationalError)
    ):
        log.error("database unavailable: %s", type(exc).__name__)
        return ProtocolError("unavailable")
    # The exception text may quote data (a driver repeating a value); the traceback's frames
    # and the type name are what an operator needs, so only those are logged.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("internal error: %s\n%s", type(exc).__name__, frames)
    return ProtocolError("internal_error")


def _endpoint(hub: Hub, route: Route, limits: ConnectionLimits) -> Any:
    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        close = False
        try:
            try:
                body = await _read_body(request, route.max_body, limits)
            except ProtocolError:
                # The rest of the body may still be on its way: end the connection rather
                # than keep reading (or keep it open for) what was refused.
                close = True
                raise
            hub_request = HubRequest(
                method=request.method,
                target=_target(request.scope),
                headers=request.headers,
                body=body,
                path_params=dict(request.path_params),
                query=dict(request.query_params),
            )
            status, payload = await hub.handle_async(route, hub_request)
            code = ""
        except ProtocolError as exc:
            status, payload, code = exc.status, exc.to_json(), exc.code
        except ClientDisconnect:
            status, payload, code = 400, ProtocolError("bad_request").to_json(), "disconnected"
            close = True
        except Exception as exc:
            error = _unexpected(exc)
            status, payload, code = error.status, error.to_json(), error.code
        elapsed = (time.perf_counter() - started) * 1000
        log.info(
            "%s %s -> %d %s(%.1f ms)",
            request.method,
            route.name,
            status,
            code and f"{code} ",
            elapsed,
        )
        headers = {"Connection": "close"} if close else None
        return JSONResponse(payload, status_code=status, headers=headers)

    return endpoint


def create_app(
    hub: Hub,
    *,
    max_envelope_bytes: int = MAX_ENVELOPE_BODY,
    limits: ConnectionLimits | None = None,
) -> Starlette:
    """The hub's ASGI app. `limits` sets the body deadline; give the same object to
    `uvicorn_config` so that the connection limits apply too."""
    limits = limits or ConnectionLimits()

    async def health(request: Request) -> Response:
        try:
            status, payload = await run_in_threadpool(hub.health)
        except Exception as exc:
            error = _unexpected(exc) if isinstance(exc, Exception) else ProtocolError("unavailable")
            status, payload = 503, {**error.to_json(), "status": "unavailable"}
        return JSONResponse(payload, status_code=status)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, "bad_request")
        log.info("%s (no route) -> %d %s", request.method, status, code)
        return JSONResponse(ProtocolError(code).to_json(), status_code=status)

    routes = [StarletteRoute(P.PATH_HEALTH, health, methods=["GET"])]
    routes += [
        StarletteRoute(r.path, _endpoint(hub, r, limits), methods=[r.method], name=r.name)
        for r in build_routes(max_envelope_bytes)
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
    # uvicorn_config (hub/server.py) takes the connection limits from here.
    app.state.connection_limits = limits
    return app
