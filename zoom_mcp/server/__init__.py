"""The MCP server: the SDK's low-level server, its handlers, and the call pipeline behind them."""
