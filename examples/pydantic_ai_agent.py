# /// script
# requires-python = ">=3.11"
# dependencies = [
#     "pydantic-ai-slim[mcp,openai,anthropic]==2.68.0",
# ]
# ///
"""A pydantic-ai agent that answers a question about Zoom recordings through zoom-mcp.

Shows: `MCPToolset` starting zoom-mcp over stdio from this repository, and an `Agent` that calls its
`search_recordings` tool to answer "What was said about the launch date in recent meetings?".

With OPENAI_API_KEY (or ANTHROPIC_API_KEY) set, a real model answers; without a key, pydantic-ai's
own test double `FunctionModel` plays the model: it calls `search_recordings` with
{"query": "launch date"} and answers by quoting the top hit the server returned.

    uv run examples/pydantic_ai_agent.py           # against the sandbox (dependencies come from the header above)
    uv run examples/pydantic_ai_agent.py --real    # against Zoom (ZOOM_* credentials set)
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from fastmcp.client.transports import StdioTransport
from pydantic_ai import Agent
from pydantic_ai.mcp import MCPToolset
from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

QUESTION = "What was said about the launch date in recent meetings?"
REPO = Path(__file__).resolve().parents[1]


def zoom_mcp(real: bool) -> MCPToolset:
    """zoom-mcp as a stdio subprocess, run by uv in the repository's own environment."""
    args = ["run", "--project", str(REPO), "zoom-mcp"] + ([] if real else ["--sandbox"])
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}  # the server has its own venv
    return MCPToolset(StdioTransport("uv", args, env=env), read_timeout=120)


def scripted_model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    """Offline stand-in for an LLM: first search, then answer from what the tool returned."""
    results = [p for m in messages if isinstance(m, ModelRequest) for p in m.parts if isinstance(p, ToolReturnPart)]
    if not results:
        return ModelResponse(parts=[ToolCallPart("search_recordings", {"query": "launch date"})])
    hits = results[-1].content.get("hits", []) if isinstance(results[-1].content, dict) else []
    if not hits:
        return ModelResponse(parts=[TextPart("Nothing was said about the launch date in recent meetings.")])
    top = hits[0]
    snippet = top["snippet"].replace("**", "")
    answer = f'In "{top["topic"]}" ({top["date"]}), {top["speaker"]} said at {top["at"]}: "{snippet}"'
    return ModelResponse(parts=[TextPart(answer)])


def choose_model():
    if os.environ.get("OPENAI_API_KEY"):
        return "openai:gpt-5.6-luna"
    if os.environ.get("ANTHROPIC_API_KEY"):
        return "anthropic:claude-sonnet-4-6"
    return FunctionModel(scripted_model)


async def main(real: bool) -> None:
    agent = Agent(
        choose_model(),
        toolsets=[zoom_mcp(real)],
        instructions="Answer from the Zoom tools; quote speaker, time and meeting.",
    )
    async with agent:  # starts the server once for the whole run
        result = await agent.run(QUESTION)
    print(f"Q: {QUESTION}\nA: {result.output}")


def stopped(exc: BaseException) -> str:
    """The innermost reason a failed run gives (the SDKs wrap the server's exit in exception groups)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}"


if __name__ == "__main__":
    try:
        asyncio.run(main("--real" in sys.argv))
    except Exception as exc:  # e.g. --real without Zoom credentials: the server said why on stderr, above
        sys.exit(f"zoom-mcp stopped ({stopped(exc)}); its own message above says what to set.")
