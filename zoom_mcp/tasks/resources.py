"""MCP resources and prompts: context a client can attach without the model making tool calls.

Resources: `zoom://meetings/{meetingId}` (the brief, Markdown) and
`zoom://meetings/{meetingId}/transcript` (plain text, one `[H:MM:SS] Speaker: text` line per turn);
`resources/list` offers the most recent recordings. A UUID in a URI is percent-encoded.
Prompts steer the model to the task-level tools and to cite speaker and time.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, unquote

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.shared.exceptions import MCPError

from zoom_mcp.insights.service import TRANSCRIPT_TYPES, InsightError, Insights, today
from zoom_mcp.insights.tools import brief, line
from zoom_mcp.zoom import ZoomCallError

log = logging.getLogger(__name__)

SCHEME = "zoom://meetings/"
RECENT_LIMIT = 20
TRANSCRIPT_CAP = 500_000  # characters; a resource is attached whole, so keep it bounded
RESOURCE_NOT_FOUND = -32002
INVALID_PARAMS = -32602

TEMPLATES = [
    types.ResourceTemplate(
        name="meeting",
        title="Meeting brief",
        uri_template=SCHEME + "{meetingId}",
        description="A past meeting at a glance: topic, time, attendees, files, talk time, AI summary.",
        mime_type="text/markdown",
    ),
    types.ResourceTemplate(
        name="meeting_transcript",
        title="Meeting transcript",
        uri_template=SCHEME + "{meetingId}/transcript",
        description="What was said, one line per speaker turn with its time in the recording.",
        mime_type="text/plain",
    ),
]


def meeting_uri(meeting_id: str | int, transcript: bool = False) -> str:
    return SCHEME + quote(str(meeting_id), safe="") + ("/transcript" if transcript else "")


class Context:
    def __init__(self, insights: Insights) -> None:
        self.insights = insights

    async def list_templates(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=TEMPLATES)

    async def list_resources(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        """The account owner's most recent recordings (bounded), each with its transcript when it has one."""
        try:
            meetings, _ = await self.insights.recorded_meetings("me", self.insights.scope(None, None, today()))
        except ZoomCallError as exc:
            log.warning("resources/list: %s", exc)
            return types.ListResourcesResult(resources=[])
        resources: list[types.Resource] = []
        for m in meetings[:RECENT_LIMIT]:
            when = m.start_time[:16].replace("T", " ")
            resources.append(
                types.Resource(
                    name=f"{m.topic} ({when})",
                    uri=meeting_uri(m.uuid),
                    description=f"Brief of {m.topic}, {when} UTC, {m.duration} min",
                    mime_type="text/markdown",
                )
            )
            if m.file(*TRANSCRIPT_TYPES) is not None:
                resources.append(
                    types.Resource(
                        name=f"Transcript: {m.topic} ({when})",
                        uri=meeting_uri(m.uuid, transcript=True),
                        mime_type="text/plain",
                    )
                )
        return types.ListResourcesResult(resources=resources)

    async def read_resource(
        self, ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        uri = str(params.uri)
        if not uri.startswith(SCHEME):
            raise MCPError(RESOURCE_NOT_FOUND, f"Unknown resource {uri}; expected {SCHEME}{{meetingId}}[/transcript]")
        rest = uri[len(SCHEME) :]
        raw, _, tail = rest.partition("/")
        if not raw or tail not in ("", "transcript"):
            raise MCPError(RESOURCE_NOT_FOUND, f"Unknown resource {uri}; expected {SCHEME}{{meetingId}}[/transcript]")
        meeting_id = unquote(raw)
        try:
            if tail == "transcript":
                text, mime = await self._transcript(meeting_id), "text/plain"
            else:
                text, mime = (await brief(self.insights, {"meeting_id": meeting_id}))[1], "text/markdown"
        except (InsightError, ZoomCallError) as exc:
            raise MCPError(RESOURCE_NOT_FOUND, str(exc)) from exc
        return types.ReadResourceResult(contents=[types.TextResourceContents(uri=uri, mime_type=mime, text=text)])

    async def _transcript(self, meeting_id: str) -> str:
        meeting = await self.insights.meeting(meeting_id)
        found = await self.insights.passages(meeting, "transcript")
        if found is None:
            raise InsightError(f"{meeting.topic} ({meeting.start_time}) has no transcript.")
        header = f"{meeting.topic} - {meeting.start_time}, {meeting.duration} min ({found[0].get('file_type')})\n"
        text = header + "\n".join(line(p) for p in found[1])
        return text if len(text) <= TRANSCRIPT_CAP else text[:TRANSCRIPT_CAP] + "\n[cut: use read_meeting_transcript]"

    # --- prompts --------------------------------------------------------------------------------------------

    async def list_prompts(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=[p for p, _ in PROMPTS.values()])

    async def get_prompt(
        self, ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        found = PROMPTS.get(params.name)
        if found is None:
            raise MCPError(INVALID_PARAMS, f"Unknown prompt {params.name!r}; known: {', '.join(PROMPTS)}")
        prompt, template = found
        args = dict(params.arguments or {})
        missing = [a.name for a in prompt.arguments or [] if a.required and not args.get(a.name)]
        if missing:
            raise MCPError(INVALID_PARAMS, f"Prompt {params.name} needs: {', '.join(missing)}")
        text = template.format_map(_Defaults(args))
        message = types.PromptMessage(role="user", content=types.TextContent(text=text))
        return types.GetPromptResult(description=prompt.description, messages=[message])


class _Defaults(dict[str, str]):
    """Prompt arguments, with wording for the optional ones left out."""

    def __missing__(self, key: str) -> str:
        return {"from": "30 days ago", "to": "today"}.get(key, "")


CITE = "Cite the meeting, the speaker and the time ([H:MM:SS]) for every point, and say when nothing was found."

PROMPTS: dict[str, tuple[types.Prompt, str]] = {
    "summarize_meeting": (
        types.Prompt(
            name="summarize_meeting",
            title="Summarize a meeting",
            description="Summarize a recorded meeting: decisions, action items, open questions.",
            arguments=[types.PromptArgument(name="meeting_id", description="meeting ID or UUID", required=True)],
        ),
        "Summarize Zoom meeting {meeting_id}. First call get_meeting_brief with meeting_id={meeting_id}; then "
        "read the transcript with read_meeting_transcript (follow next_cursor to the end). Give the decisions, "
        "the action items with their owners and dates, and the open questions. " + CITE,
    ),
    "action_items": (
        types.Prompt(
            name="action_items",
            title="Action items over a period",
            description="Collect the action items said in recorded meetings over a date range.",
            arguments=[
                types.PromptArgument(name="from", description="yyyy-mm-dd (default 30 days ago)"),
                types.PromptArgument(name="to", description="yyyy-mm-dd (default today)"),
            ],
        ),
        "List the action items from my recorded Zoom meetings from {from} to {to}. Call search_recordings with "
        'query "action item" over that range (and again with "follow up"), then read the surrounding turns '
        "with read_meeting_transcript (from_time/to_time) where a hit is unclear. Group them by owner, with "
        "due dates. " + CITE,
    ),
    "what_was_said_about": (
        types.Prompt(
            name="what_was_said_about",
            title="What was said about a topic",
            description="Find who said what about a topic across recorded meetings in a date range.",
            arguments=[
                types.PromptArgument(name="topic", description="what to look for", required=True),
                types.PromptArgument(name="from", description="yyyy-mm-dd (default 30 days ago)"),
                types.PromptArgument(name="to", description="yyyy-mm-dd (default today)"),
            ],
        ),
        "What was said about {topic} in my recorded Zoom meetings from {from} to {to}? Call search_recordings "
        "with query={topic!r} over that range; read more context with read_meeting_transcript where needed. "
        "Answer in a few sentences, then list the passages. " + CITE,
    ),
}
