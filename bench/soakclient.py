"""A small HTTP client for the soak test: keep-alive http.client connections, a cookie jar,
url-encoded and multipart forms. The standard library is enough, so no new dependency."""

from __future__ import annotations

import http.client
import re
import select
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_KEY_INPUT = re.compile(r'name="form_key" value="([^"]+)"')


@dataclass
class Answer:
    status: int | None  # None: no answer (connection refused, reset or timed out)
    headers: dict = field(default_factory=dict)
    body: str = ""
    error: str = ""
    started: float = 0.0
    ended: float = 0.0

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    """One user's browser: its cookies and one keep-alive connection to 127.0.0.1."""

    def __init__(self, port: int, cookies: dict | None = None, timeout: float = 60):
        self.port = port
        self.cookies = dict(cookies or {})
        self.timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def get(self, path: str, headers: dict | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict | list, files: dict | None = None, headers: dict | None = None) -> Answer:
        if files:
            body, content_type = multipart(data, files)
        else:
            body, content_type = urlencode(data, doseq=True).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body=body, headers={"Content-Type": content_type, **(headers or {})})

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> Answer:
        """One request. Like urllib3, a kept-alive connection the server has closed meanwhile (gunicorn
        closes idle ones after a few seconds) is replaced before sending, and a GET that fails on a
        reused connection is sent once more on a new one; a POST never is."""
        reused = self._drop_if_closed()
        answer = self._send(method, path, body=body, headers=headers)
        if answer.status is None and reused and method == "GET":
            answer = self._send(method, path, body=body, headers=headers)
        return answer

    def _drop_if_closed(self) -> bool:
        """Whether there is a kept-alive connection to reuse (after dropping one the server closed)."""
        if self._connection is None or self._connection.sock is None:
            return False
        readable, _, _ = select.select([self._connection.sock], [], [], 0)
        if readable:  # the server closed it (or sent something unasked): not reusable
            self.close()
            return False
        return True

    def _send(self, method: str, path: str, *, body: bytes | None, headers: dict | None) -> Answer:
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.monotonic()
        try:
            if self._connection is None:
                self._connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self._connection.request(method, path, body=body, headers=sent)
            response = self._connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return Answer(None, error=f"{type(error).__name__}: {error}", started=started, ended=time.monotonic())
        for raw in response.msg.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, headers, text, started=started, ended=time.monotonic())


def csrf_token(page: str) -> str:
    match = CSRF_INPUT.search(page)
    return match.group(1) if match else ""


def form_key(page: str) -> str:
    match = FORM_KEY_INPUT.search(page)
    return match.group(1) if match else ""


def multipart(data: dict | list, files: dict) -> tuple[bytes, str]:
    """`files`: field name → (filename, content type, bytes)."""
    boundary = uuid.uuid4().hex
    items = data.items() if isinstance(data, dict) else data
    parts = []
    for name, value in items:
        for single in value if isinstance(value, list | tuple) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{single}\r\n'.encode())
    for name, (filename, content_type, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
