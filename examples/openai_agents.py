# /// script
# requires-python = ">=3.11"
# dependencies = [
#     "openai-agents==0.24.0",
# ]
# ///
"""An OpenAI Agents SDK agent that answers a question about Zoom recordings through zoom-mcp.

Shows: `MCPServerStdio` starting zoom-mcp over stdio from this repository, and an `Agent` that calls
its `search_recordings` tool to answer "What was said about the launch date in recent meetings?".

With OPENAI_API_KEY set, an OpenAI model answers; without it, the SDK's own test double
`agents.testing.ScriptedModel` plays the model: it calls `search_recordings` with
{"query": "launch date"} and answers by quoting the top hit the server returned.

    uv run examples/openai_agents.py           # against the sandbox (dependencies come from the header above)
    uv run examples/openai_agents.py --real    # against Zoom (ZOOM_* credentials set)
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from agents import Agent, Runner, set_tracing_disabled
from agents.mcp import MCPServerStdio
from agents.testing import ModelCall, ModelStep, ScriptedModel, assistant_message, function_call

QUESTION = "What was said about the launch date in recent meetings?"
REPO = Path(__file__).resolve().parents[1]


def zoom_mcp(real: bool) -> MCPServerStdio:
    """zoom-mcp as a stdio subprocess, run by uv in the repository's own environment."""
    args = ["run", "--project", str(REPO), "zoom-mcp"] + ([] if real else ["--sandbox"])
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}  # the server has its own venv
    return MCPServerStdio(
        {"command": "uv", "args": args, "env": env},
        name="zoom",
        use_structured_content=True,  # tool results reach the model as the server's JSON
        client_session_timeout_seconds=120,
    )


def answer_from_search(call: ModelCall) -> list:
    """Second model turn: read the search_recordings output from the input and quote its top hit."""
    outputs = [item for item in call.input if isinstance(item, dict) and item.get("type") == "function_call_output"]
    hits = json.loads(outputs[-1]["output"]).get("hits", []) if outputs else []
    if not hits:
        return [assistant_message("Nothing was said about the launch date in recent meetings.")]
    top = hits[0]
    snippet = top["snippet"].replace("**", "")
    answer = f'In "{top["topic"]}" ({top["date"]}), {top["speaker"]} said at {top["at"]}: "{snippet}"'
    return [assistant_message(answer)]


def choose_model():
    if os.environ.get("OPENAI_API_KEY"):
        return "gpt-5.6-luna"
    set_tracing_disabled(True)  # offline: nothing to upload traces to
    return ScriptedModel(
        [
            [function_call("search_recordings", {"query": "launch date"}, call_id="call_search")],
            ModelStep.respond(answer_from_search),
        ]
    )


async def main(real: bool) -> None:
    async with zoom_mcp(real) as server:
        agent = Agent(
            name="Zoom assistant",
            instructions="Answer from the Zoom tools; quote speaker, time and meeting.",
            model=choose_model(),
            mcp_servers=[server],
        )
        result = await Runner.run(agent, QUESTION)
    print(f"Q: {QUESTION}\nA: {result.final_output}")


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
