"""The voice menu of `ivr` as a plain WSGI application, served by the standard library.

Run it with ``python examples/web/stdlib_app.py --port 8080`` and point the PBX's notification
URL (an API extension's IncomingCall subscription) at ``http://HOST:8080/``. `application` is
plain WSGI: any WSGI server (gunicorn, uWSGI, waitress) can serve it instead.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.util import application_uri

from ivr import CONTEXT, MAX_BODY, PATHS, answer

from ozml.notifications import NotificationError
from ozml.notifications.wsgi import from_environ, refuse, respond


def application(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    try:
        if environ.get("PATH_INFO", "/") not in PATHS:
            raise NotificationError("no such page", 404)
        if environ["REQUEST_METHOD"] != "POST":
            raise NotificationError("notifications are POSTed", 405)
        note = from_environ(environ, max_bytes=MAX_BODY)
    except NotificationError as error:
        return refuse(start_response, error)
    return respond(start_response, answer(note, application_uri(environ)), CONTEXT)


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(host: str = "127.0.0.1", port: int = 8080, quiet: bool = False) -> WSGIServer:
    handler = QuietHandler if quiet else WSGIRequestHandler
    return make_server(host, port, application, ThreadingWSGIServer, handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    args = parser.parse_args(argv)
    server = serve(args.host, args.port)
    host, port = server.server_address[:2]
    print(f"Listening on http://{host!s}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
