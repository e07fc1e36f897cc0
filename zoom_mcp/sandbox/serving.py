"""The sandbox served over HTTP (`zoom-mcp sandbox --port N`)."""

from __future__ import annotations

import copy

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from zoom_mcp.sandbox.engine.faults import FaultPlan
from zoom_mcp.sandbox.sandbox import Sandbox


def listening_url(host: str, port: int) -> str:
    """The origin clients reach a server on `host`:`port` by (a wildcard address means this machine)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(host: str = "127.0.0.1", port: int = 8080, sandbox: Sandbox | None = None, faults: str | None = None) -> None:
    """Serve the sandbox over HTTP (blocking). Every log line goes to stderr, never stdout."""
    sandbox = sandbox or Sandbox(public_url=listening_url(host, port))
    if faults:
        sandbox.faults = FaultPlan.parse(faults)
    log_config = copy.deepcopy(LOGGING_CONFIG)
    for handler in log_config["handlers"].values():
        handler["stream"] = "ext://sys.stderr"
    uvicorn.run(sandbox.app, host=host, port=port, log_level="warning", log_config=log_config, lifespan="off")
