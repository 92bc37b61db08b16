"""A real HTTP receiver on 127.0.0.1 (random port) that records every request: the far end
of webhooks, SMS/WhatsApp gateways and web-push endpoints in tests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: Message  # case-insensitive, as HTTP header names are
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    # Answers given in order (status, body); the last one repeats.
    answers: list[tuple[int, bytes]] = field(default_factory=lambda: [(200, b'{"ok": true}')])


def start() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            receiver.requests.append(Received("POST", self.path, self.headers, body))
            index = min(len(receiver.requests), len(receiver.answers)) - 1
            status, answer = receiver.answers[index]
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
