"""The WSGI application that gunicorn serves (gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")


class IncompleteBody(OSError):
    """The client closed the connection before sending the whole body its Content-Length announced."""


class AnnouncedLengthInput:
    """`wsgi.input` that fails, rather than ends early, when the body stops short of its Content-Length.

    gunicorn (like most WSGI servers) hands the application a short body as if it were complete, and a form
    cut after its last field's first half still parses. Django turns this OSError into UnreadablePostError:
    the CSRF check then refuses the form (403), and the API answers 400 (annotator.api.exceptions)."""

    def __init__(self, stream, length: int):
        self._stream = stream
        self._announced = length
        self._left = length

    def _ended_early(self):
        received = self._announced - self._left
        raise IncompleteBody(f"the client sent {received} of the {self._announced} bytes it announced, then closed")

    def read(self, size: int | None = -1) -> bytes:
        wanted = self._left if size is None or size < 0 else min(size, self._left)
        parts, received = [], 0
        while received < wanted:  # a short read is not the end; only an empty one is
            data = self._stream.read(wanted - received)
            if not data:
                self._ended_early()
            parts.append(data)
            received += len(data)
        self._left -= received
        return b"".join(parts)

    def readline(self, size: int | None = -1) -> bytes:
        if self._left <= 0:
            return b""
        line = self._stream.readline(self._left if size is None or size < 0 else min(size, self._left))
        if not line:
            self._ended_early()
        self._left -= len(line)
        return line

    def readlines(self, hint: int | None = None) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self):
        return iter(self.readline, b"")


def whole_bodies_only(app):
    """Wrap `app` so that it reads request bodies through AnnouncedLengthInput."""

    def application(environ, start_response):
        length = environ.get("CONTENT_LENGTH", "")
        if length.isdigit() and int(length) > 0:
            environ["wsgi.input"] = AnnouncedLengthInput(environ["wsgi.input"], int(length))
        return app(environ, start_response)

    return application


application = whole_bodies_only(get_wsgi_application())
