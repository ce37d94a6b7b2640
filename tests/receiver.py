"""A loopback webhook receiver for Apprise's `json://` URLs, failing on demand.

    with Receiver() as receiver:
        receiver.url          # json://127.0.0.1:PORT/hook
        receiver.status = 500 # answer every post with this status
        receiver.delay = 2.0  # answer after this many seconds
        receiver.max_chars = 2000  # refuse (400) a message longer, as Discord does
        receiver.posts        # the JSON bodies accepted, in order

Run `python -m tests.receiver --port N` to watch posts arrive by hand.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class Receiver:
    def __init__(self, port: int = 0) -> None:
        self.posts: list[dict[str, Any]] = []
        self.attempts = 0
        self.status = 200
        self.delay = 0.0
        self.max_chars: int | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.attempts += 1
            if receiver.delay:
                time.sleep(receiver.delay)
            post = json.loads(body)
            status = receiver.status
            if receiver.max_chars is not None and len(post["message"]) > receiver.max_chars:
                status = 400
            if status == 200:
                receiver.posts.append(post)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8099)
    port = parser.parse_args().port
    with Receiver(port) as receiver:
        print(f"Receiving on {receiver.url}", flush=True)
        seen = 0
        while True:
            time.sleep(0.2)
            for post in receiver.posts[seen:]:
                print(json.dumps(post, indent=2, ensure_ascii=False), flush=True)
            seen = len(receiver.posts)


if __name__ == "__main__":
    main()
