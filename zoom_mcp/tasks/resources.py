"""Context a client can attach without the model making tool calls: meeting briefs and transcripts.

`zoom://meetings/{meetingId}` is the brief (Markdown, what `get_meeting_brief` answers) and
`zoom://meetings/{meetingId}/transcript` the transcript (plain text, one `[H:MM:SS] Speaker: text`
line per turn, what `read_meeting_transcript` reads). A UUID in a URI is percent-encoded. Each
template names the task-level tool whose answer it is (`via`): the inventory offers a template
only where that tool is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

from zoom_mcp.errors import NotFound
from zoom_mcp.tasks.service import TaskService
from zoom_mcp.tasks.tools import brief, line

SCHEME = "zoom://meetings/"
RECENT_LIMIT = 20
TRANSCRIPT_CAP = 500_000  # characters; a resource is attached whole, so keep it bounded


@dataclass(frozen=True)
class ResourceTemplate:
    name: str
    title: str
    uri_template: str
    description: str
    mime_type: str
    via: str  # the task-level tool whose answer this resource is
    toolset: str = "recordings"
    safety: str = "read"


@dataclass(frozen=True)
class ResourceEntry:
    """One concrete resource offered by `resources/list`."""

    template: str  # ResourceTemplate.name
    uri: str
    name: str
    description: str | None
    mime_type: str


BRIEF = ResourceTemplate(
    name="meeting",
    title="Meeting brief",
    uri_template=SCHEME + "{meetingId}",
    description="A past meeting at a glance: topic, time, attendees, files, talk time, AI summary.",
    mime_type="text/markdown",
    via="get_meeting_brief",
)
TRANSCRIPT = ResourceTemplate(
    name="meeting_transcript",
    title="Meeting transcript",
    uri_template=SCHEME + "{meetingId}/transcript",
    description="What was said, one line per speaker turn with its time in the recording.",
    mime_type="text/plain",
    via="read_meeting_transcript",
)
TEMPLATES = (BRIEF, TRANSCRIPT)


def meeting_uri(meeting_id: str | int, transcript: bool = False) -> str:
    return SCHEME + quote(str(meeting_id), safe="") + ("/transcript" if transcript else "")


def template_of(uri: str) -> tuple[ResourceTemplate, str]:
    """Which template a URI belongs to, and the meeting ID in it; NotFound for anything else."""
    expected = f"Unknown resource {uri}; expected {SCHEME}{{meetingId}}[/transcript]"
    if not uri.startswith(SCHEME):
        raise NotFound(expected)
    raw, _, tail = uri[len(SCHEME) :].partition("/")
    if not raw or tail not in ("", "transcript"):
        raise NotFound(expected)
    return (TRANSCRIPT if tail else BRIEF), unquote(raw)


async def recent(service: TaskService, offered: set[str]) -> list[ResourceEntry]:
    """The account owner's most recent recordings (bounded), for the templates in `offered`; from the index
    alone while webhooks keep the last 30 days complete."""
    found = await service.meetings_in("me", service.scope(None, None))
    entries: list[ResourceEntry] = []
    for m in found.rows[:RECENT_LIMIT]:
        when = m.start_time[:16].replace("T", " ")
        if BRIEF.name in offered:
            entries.append(
                ResourceEntry(
                    BRIEF.name,
                    meeting_uri(m.uuid),
                    f"{m.topic} ({when})",
                    f"Brief of {m.topic}, {when} UTC, {m.duration} min",
                    BRIEF.mime_type,
                )
            )
        if TRANSCRIPT.name in offered and m.transcript_file is not None:
            entries.append(
                ResourceEntry(
                    TRANSCRIPT.name,
                    meeting_uri(m.uuid, transcript=True),
                    f"Transcript: {m.topic} ({when})",
                    None,
                    TRANSCRIPT.mime_type,
                )
            )
    return entries


async def read(service: TaskService, template: ResourceTemplate, meeting_id: str) -> str:
    """The text of one resource."""
    if template is BRIEF:
        return (await brief(service, {"meeting_id": meeting_id}))[1]
    meeting = await service.meeting(meeting_id)
    found = await service.passages(meeting, "transcript")
    if found is None:
        raise NotFound(f"{meeting.topic} ({meeting.start_time}) has no transcript.")
    header = f"{meeting.topic} - {meeting.start_time}, {meeting.duration} min ({found[0].get('file_type')})\n"
    text = header + "\n".join(line(p) for p in found[1])
    return text if len(text) <= TRANSCRIPT_CAP else text[:TRANSCRIPT_CAP] + "\n[cut: use read_meeting_transcript]"
