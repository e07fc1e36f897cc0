"""Prompts that steer the model to the task-level tools and ask it to cite speaker and time.

Each prompt names the task-level tools its text tells the model to call (`via`): the inventory
offers a prompt only where all of them are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CITE = "Cite the meeting, the speaker and the time ([H:MM:SS]) for every point, and say when nothing was found."
DEFAULTS = {"from": "30 days ago", "to": "today"}  # wording for optional arguments left out


@dataclass(frozen=True)
class PromptArgument:
    name: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class Prompt:
    name: str
    title: str
    description: str
    template: str
    via: tuple[str, ...]
    arguments: tuple[PromptArgument, ...] = field(default=())
    toolset: str = "recordings"
    safety: str = "read"

    def render(self, arguments: dict[str, str]) -> str:
        return self.template.format_map(_Defaults(arguments))


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return DEFAULTS.get(key, "")


FROM = PromptArgument("from", "yyyy-mm-dd (default 30 days ago)")
TO = PromptArgument("to", "yyyy-mm-dd (default today)")

PROMPTS: tuple[Prompt, ...] = (
    Prompt(
        name="summarize_meeting",
        title="Summarize a meeting",
        description="Summarize a recorded meeting: decisions, action items, open questions.",
        arguments=(PromptArgument("meeting_id", "meeting ID or UUID", required=True),),
        template="Summarize Zoom meeting {meeting_id}. First call get_meeting_brief with meeting_id={meeting_id}; "
        "then read the transcript with read_meeting_transcript (follow next_cursor to the end). Give the decisions, "
        "the action items with their owners and dates, and the open questions. " + CITE,
        via=("get_meeting_brief", "read_meeting_transcript"),
    ),
    Prompt(
        name="action_items",
        title="Action items over a period",
        description="Collect the action items said in recorded meetings over a date range.",
        arguments=(FROM, TO),
        template="List the action items from my recorded Zoom meetings from {from} to {to}. Call search_recordings "
        'with query "action item" over that range (and again with "follow up"), then read the surrounding turns '
        "with read_meeting_transcript (from_time/to_time) where a hit is unclear. Group them by owner, with "
        "due dates. " + CITE,
        via=("search_recordings", "read_meeting_transcript"),
    ),
    Prompt(
        name="what_was_said_about",
        title="What was said about a topic",
        description="Find who said what about a topic across recorded meetings in a date range.",
        arguments=(PromptArgument("topic", "what to look for", required=True), FROM, TO),
        template="What was said about {topic} in my recorded Zoom meetings from {from} to {to}? Call "
        "search_recordings with query={topic!r} over that range; read more context with read_meeting_transcript "
        "where needed. Answer in a few sentences, then list the passages. " + CITE,
        via=("search_recordings", "read_meeting_transcript"),
    ),
)
