# /// script
# requires-python = ">=3.11"
# dependencies = [
#     "langchain==1.5.2",
#     "langgraph==1.2.24",
#     "langchain-mcp-adapters==0.3.2",
#     "langchain-openai==1.7.4",
#     "mcp==1.30.0",
# ]
# ///
"""A LangGraph agent that answers a question about Zoom recordings through zoom-mcp.

Shows: langchain-mcp-adapters starting zoom-mcp over stdio from this repository and turning its tools
into LangChain tools, and a LangGraph agent that calls `search_recordings` to answer "What was said
about the launch date in recent meetings?". The agent comes from `langchain.agents.create_agent`, a
LangGraph graph that replaces `langgraph.prebuilt.create_react_agent` (deprecated since LangGraph 1.0).

With OPENAI_API_KEY set, `ChatOpenAI` answers; without it, a minimal scripted chat model (a
`BaseChatModel` subclass) calls `search_recordings` with {"query": "launch date"} and answers by
quoting the top hit the server returned.

This environment has `mcp` 1.x (langchain-mcp-adapters 0.3.2 needs `mcp<2`); the server runs the
2.x SDK in its own environment, and the two talk over stdio.

    uv run examples/langgraph_agent.py           # against the sandbox (dependencies come from the header above)
    uv run examples/langgraph_agent.py --real    # against Zoom (ZOOM_* credentials set)
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools

QUESTION = "What was said about the launch date in recent meetings?"
REPO = Path(__file__).resolve().parents[1]


def zoom_mcp(real: bool) -> MultiServerMCPClient:
    """zoom-mcp as a stdio subprocess, run by uv in the repository's own environment."""
    args = ["run", "--project", str(REPO), "zoom-mcp"] + ([] if real else ["--sandbox"])
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}  # the server has its own venv
    return MultiServerMCPClient({"zoom": {"transport": "stdio", "command": "uv", "args": args, "env": env}})


class ScriptedChatModel(BaseChatModel):
    """Offline stand-in for an LLM: first search, then answer from what the tool returned."""

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedChatModel:
        return self

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        results = [m for m in messages if isinstance(m, ToolMessage)]
        if not results:
            call = {"name": "search_recordings", "args": {"query": "launch date"}, "id": "call_search"}
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content="", tool_calls=[call]))])
        structured = (results[-1].artifact or {}).get("structured_content") or {}
        hits = structured.get("hits", [])
        if hits:
            top = hits[0]
            snippet = top["snippet"].replace("**", "")
            answer = f'In "{top["topic"]}" ({top["date"]}), {top["speaker"]} said at {top["at"]}: "{snippet}"'
        else:
            answer = "Nothing was said about the launch date in recent meetings."
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=answer))])


def choose_model() -> BaseChatModel:
    if os.environ.get("OPENAI_API_KEY"):
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(model="gpt-5.6-luna")
    return ScriptedChatModel()


async def main(real: bool) -> None:
    async with zoom_mcp(real).session("zoom") as session:  # one server process for the whole run
        tools = await load_mcp_tools(session)
        agent = create_agent(
            choose_model(), tools, system_prompt="Answer from the Zoom tools; quote speaker, time and meeting."
        )
        state = await agent.ainvoke({"messages": [("user", QUESTION)]})
    print(f"Q: {QUESTION}\nA: {state['messages'][-1].content}")


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
