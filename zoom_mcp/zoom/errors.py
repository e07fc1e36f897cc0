"""Every way a Zoom call can fail, as one small tree; turned into tool results in one place.

ZoomCallError                 anything that stopped a call from giving an answer
├── ZoomAPIError              Zoom answered with an error status ({"code", "message"})
├── ZoomAuthError             no usable credentials: token endpoint refused, or 401 after refresh
├── ZoomTransportError        the request failed on the way (connection, timeout)
└── ZoomResponseError         Zoom's answer could not be read (malformed body)
"""

from __future__ import annotations


class ZoomCallError(Exception):
    """Base of the tree. Its text is safe to show to a model: it never holds a secret."""

    attempts: int = 1


class ZoomAPIError(ZoomCallError):
    def __init__(self, status: int, code: int | None, message: str, method: str, path: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.method = method
        self.path = path
        code_text = f", Zoom code {code}" if code is not None else ""
        super().__init__(f"Zoom answered HTTP {status}{code_text}: {message} ({method} {path})")


class ZoomAuthError(ZoomCallError):
    pass


class ZoomTransportError(ZoomCallError):
    pass


class ZoomResponseError(ZoomCallError):
    pass
