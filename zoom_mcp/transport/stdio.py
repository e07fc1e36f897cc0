"""Standard input for the stdio transport, read so that Ctrl-C and SIGTERM always end the server.

The SDK reads stdin in an AnyIO worker thread, which a cancellation cannot interrupt and the interpreter
waits for at exit: on a terminal, Ctrl-C left `zoom-mcp --sandbox` running until a line was typed.
Here a daemon thread reads the lines and hands them to the event loop; a cancelled server stops at
once, and the blocked read dies with the process.
"""

from __future__ import annotations

import os
import threading

import anyio
import anyio.from_thread
import anyio.lowlevel
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream


class ThreadedStdin:
    """`async for line in ThreadedStdin()`: the lines of stdin (decoded as UTF-8), until end of file."""

    def __init__(self, fd: int = 0) -> None:
        self._fd = fd  # read with os.read: no buffered reader's lock for the interpreter's exit to trip on
        send: MemoryObjectSendStream[str]
        receive: MemoryObjectReceiveStream[str]
        send, receive = anyio.create_memory_object_stream[str](16)
        self._send, self._receive = send, receive
        self._token = anyio.lowlevel.current_token()
        threading.Thread(target=self._pump, name="zoom-mcp stdin", daemon=True).start()

    def _pump(self) -> None:
        pending = b""
        try:
            while chunk := os.read(self._fd, 65536):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for raw in lines:
                    anyio.from_thread.run(self._send.send, raw.decode("utf-8", errors="replace"), token=self._token)
            if pending.strip():
                anyio.from_thread.run(self._send.send, pending.decode("utf-8", errors="replace"), token=self._token)
        except (RuntimeError, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError, ValueError):
            return  # the loop is gone or the stream closed: the server is stopping
        try:
            anyio.from_thread.run_sync(self._send.close, token=self._token)
        except RuntimeError:
            return

    def __aiter__(self) -> ThreadedStdin:
        return self

    async def __anext__(self) -> str:
        try:
            return await self._receive.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            raise StopAsyncIteration from None
