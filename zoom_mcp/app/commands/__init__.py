"""The commands of `zoom-mcp`, one module each; `cli.run` imports a command when it runs."""
