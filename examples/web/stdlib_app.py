"""An OzML web application with nothing but the standard library and ozml.

Run it with ``python examples/web/stdlib_app.py --port 8080`` and point the PBX's notification
URL (an API extension's IncomingCall subscription) at ``http://HOST:8080/``. Every POST is
answered with the OzML of `ivr.answer`, checked as an extension script.
"""

from __future__ import annotations

import argparse
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from ivr import CONTEXT, answer

#: Notifications are small forms; anything larger is refused.
MAX_BODY = 64 * 1024


class NotificationHandler(BaseHTTPRequestHandler):
    server_version = "ozml-example/1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.send_error(413, "notification too large")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        form = {key: values[-1] for key, values in parse_qs(body, keep_blank_values=True).items()}
        host, port = self.server.server_address[:2]
        base_url = f"http://{self.headers.get('Host') or f'{host}:{port}'}"
        payload = answer(form, base_url).to_bytes(CONTEXT)
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


def make_server(
    host: str = "127.0.0.1", port: int = 8080, quiet: bool = False
) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), NotificationHandler)
    server.quiet = quiet  # type: ignore[attr-defined]
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    args = parser.parse_args(argv)
    server = make_server(args.host, args.port)
    host, port = server.server_address[:2]
    print(f"Listening on http://{host}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
