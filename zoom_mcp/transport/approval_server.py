"""The approval page's own loopback server, for stdio (the HTTP transports serve it themselves)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator

import anyio
import uvicorn
from starlette.applications import Starlette

from zoom_mcp.safety.approvals import Approvals
from zoom_mcp.transport.approval_page import routes

log = logging.getLogger(__name__)


class _QuietServer(uvicorn.Server):
    """Leaves signal handling to the MCP server that owns the process."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def approval_server(approvals: Approvals, port: int = 0) -> AsyncIterator[str]:
    """Serve the approval pages on 127.0.0.1 (an ephemeral port by default); yields the base URL."""
    app = Starlette(routes=routes(approvals))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", server_header=False)
    server = _QuietServer(config)
    async with anyio.create_task_group() as group:
        group.start_soon(server.serve)
        while not server.started:
            if server.should_exit:
                raise RuntimeError("the approval page server did not start")
            await anyio.sleep(0.01)
        bound = server.servers[0].sockets[0].getsockname()[1]
        approvals.base_url = f"http://127.0.0.1:{bound}"
        log.info("approval pages at %s/approvals/...", approvals.base_url)
        try:
            yield approvals.base_url
        finally:
            server.should_exit = True
