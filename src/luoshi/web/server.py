"""Running the app: uvicorn (httptools parser, uvloop loop) with TCP_NODELAY on every connection.

uvicorn (0.54) binds its own socket when it runs several workers and asyncio then leaves
Nagle's algorithm on: a response's headers and body go out as two packets and the body
waits for the client's delayed ACK, about 40 ms on every kept-alive request
(Kludex/uvicorn#3149). Setting TCP_NODELAY when a connection is made removes the wait.
"""

from __future__ import annotations

import asyncio
import socket
from functools import partial

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from luoshi.web.app import Settings, create_app


def _no_delay(transport: asyncio.Transport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """httptools parses requests in C: a third less CPU per request than the pure-Python h11."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)


def run(settings: Settings, host: str, port: int, workers: int) -> None:
    """Serve ``create_app(settings)``; with several workers each process builds its own app
    from the same factory and settings (uvicorn's ``run`` would want an import string and the
    settings in the environment)."""
    from uvicorn import Config, Server
    from uvicorn.supervisors import Multiprocess

    config = Config(partial(create_app, settings), factory=True, host=host, port=port, workers=workers,
                    http=NoDelayHttpToolsProtocol, loop="uvloop", log_level="warning")
    if workers == 1:
        Server(config).run()
        return
    Multiprocess(config, sockets=[config.bind_socket()]).run()
