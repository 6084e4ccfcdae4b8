"""The HTTP/1.1 protocol uvicorn runs for ``bri-kg serve``: httptools, answering an over-long URL with 414.

httptools parses a request target with 16-bit offsets, so uvicorn fails any URL over 64 KiB as a
parse error and answers "400 Invalid HTTP request received." before the application sees it. The
URL was read whole by then; this protocol answers such a request 414 (the application's own limit,
``api.web.guard``, gives shorter over-long URLs the same answer).
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.web.guard import error_body, url_too_long_message


def http_protocol(max_url_bytes: int) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, with 414 for URLs over *max_url_bytes* that the parser cannot take."""

    class Protocol(HttpToolsProtocol):
        def send_400_response(self, msg: str) -> None:
            url = getattr(self, "url", b"")
            if len(url) <= max_url_bytes:
                super().send_400_response(msg)
                return
            path = url.split(b"?", 1)[0].decode("latin-1")
            body, media = error_body(path, url_too_long_message(len(url), max_url_bytes))
            self.transport.write(b"".join([
                b"HTTP/1.1 414 URI Too Long\r\n",
                b"content-type: " + media + b"\r\n",
                b"content-length: " + str(len(body)).encode() + b"\r\n",
                b"connection: close\r\n\r\n",
                body,
            ]))
            self.transport.close()

    return Protocol
