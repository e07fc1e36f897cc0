"""What Zoom writes for a recording: WebVTT transcripts (speaker turns) and in-meeting chat files.

Transcript cues carry the speaker as a `Name: ` prefix (or, from other tools, a `<v Name>` voice tag);
consecutive cues of one speaker become one turn. Chat files come in Zoom's newer tab-separated form
and its older `From X to Y :` form. webvtt-py does the WebVTT block and timestamp parsing: at ~4 MB/s
(bench/transcript_parse.py; a hand-written parser does ~12) an hour's transcript (~100 KB) takes ~25 ms,
once per file before it is indexed, so the spec-following parser is worth it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from zoom_mcp.errors import TranscriptError


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str | None  # None when the cue has no "Name: " prefix
    start: float  # seconds from the start of the recording
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class ChatMessage:
    time: float  # seconds from the start of the recording
    sender: str
    text: str
    to: str | None = None  # recipient when the line names one ("to Everyone" -> "Everyone")


# Which `Xxx: ` prefixes are names. Zoom writes the display name, which may be one word ("Sam") or
# lowercase ("sam"), so one word counts unless it is a label people type or say before a colon
# ("Note: the time is 10:30" has no speaker). Several words count when each starts with a capital (or
# is a particle such as "de", or a "(she/her)"-style suffix), so a sentence like "Action item for me: x"
# stays text. No sentence punctuation; a period only ends an initial or title ("J.", "Dr.").
_MAX_NAME = 60
_LABELS = frozenset({"note", "ps", "fyi", "todo", "q", "a", "question", "answer", "update", "reminder", "agenda"})
_PARTICLES = frozenset(
    {"al", "bin", "da", "de", "del", "della", "der", "di", "du", "el", "la", "le", "van", "von", "y", "zu"}
)
_SENTENCE_PUNCT = re.compile(r'[?!;:,"]')
_INITIAL = re.compile(r"[A-Z][A-Za-z]{0,2}\.")


def _is_name(head: str) -> bool:
    if not head or len(head) > _MAX_NAME or head != head.strip() or _SENTENCE_PUNCT.search(head):
        return False
    words = head.split()
    if any("." in w and not _INITIAL.fullmatch(w) for w in words):
        return False
    if len(words) == 1:
        return head.casefold() not in _LABELS
    return all(not w[0].islower() or w in _PARTICLES for w in words)


def _split_speaker(text: str) -> tuple[str | None, str]:
    head, sep, rest = text.partition(": ")
    if not sep and text.endswith(":"):  # "Sam:" and nothing said (the space went with the whitespace)
        head, sep, rest = text[:-1], ":", ""
    if sep and _is_name(head):
        return head, rest.strip()
    return None, text


def _decode(data: bytes | str) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8-sig", errors="replace")
    return data.removeprefix("\ufeff")


def parse_transcript(data: bytes | str) -> list[Turn]:
    """Speaker turns of a WebVTT transcript, in order; raises TranscriptError if it is not WebVTT.

    Only same-speaker cues merge: cues without a speaker stay separate turns, as they may be anyone.
    """
    import webvtt  # late: only once a transcript is read, never at server start-up
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    # from_string, not from_buffer: from_buffer decodes BytesIO line by line as strict UTF-8 (no BOM
    # handling, fails on a bad byte), and from_string already splits CR/LF/CRLF and drops a BOM.
    try:
        captions = webvtt.from_string(_decode(data)).captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise TranscriptError(f"Not a WebVTT transcript: {exc}") from exc
    turns: list[tuple[str | None, float, float, list[str]]] = []
    for caption in captions:
        lines = caption.lines
        raw = lines[0] if len(lines) == 1 else " ".join(lines)
        speaker: str | None = None
        if "<" in raw:  # cue tags: take the voice, drop the rest (Caption.text strips them per line)
            speaker = caption.voice
            raw = caption.text
        text = " ".join(raw.split())
        if "&" in text:  # webvtt-py leaves character references (&amp; &lt;) as written
            text = html.unescape(text)
        if speaker is None:
            speaker, text = _split_speaker(text)
        if not text:
            continue
        # Timestamp.in_seconds() (and Caption.start_in_seconds) drop the milliseconds.
        start = caption.start_time.in_milliseconds() / 1000
        end = caption.end_time.in_milliseconds() / 1000
        last = turns[-1] if turns else None
        if last is not None and speaker is not None and last[0] == speaker:
            last[3].append(text)
            turns[-1] = (speaker, last[1], end, last[3])
        else:
            turns.append((speaker, start, end, [text]))
    return [Turn(speaker, start, end, " ".join(parts)) for speaker, start, end, parts in turns]


_TIME = r"(?P<h>\d{1,3}):(?P<m>\d{2}):(?P<s>\d{2})"
# Newer: "00:00:05\tSam Okafor:\tSlides are in the shared drive".
_CHAT_TAB = re.compile(_TIME + r"\t(?P<sender>.+?):\t(?P<text>.*)")
# Older: "00:00:05\t From  Alex Rivera to Everyone : hello" or "00:00:05 From Alex Rivera to Everyone: hello".
_CHAT_FROM = re.compile(_TIME + r"\s+From\s+(?P<sender>.+?)(?:\s+to\s+(?P<to>.+?))?\s*:(?:\s(?P<text>.*)|$)")
_PRIVATE = re.compile(r"\s*\((?:Direct Message|Privately)\)$", re.IGNORECASE)


def parse_chat(data: bytes | str) -> list[ChatMessage]:
    """Messages of a Zoom chat file; a line that is not a new message continues the previous one."""
    found: list[tuple[float, str, str | None, list[str]]] = []
    for line in _decode(data).splitlines():
        if not line.strip():
            continue
        match = (_CHAT_TAB.match(line) or _CHAT_FROM.match(line)) if line[:1].isdigit() else None
        if match is None:
            if found:
                found[-1][3].append(line.rstrip())
            continue
        g = match.groupdict()
        to = _PRIVATE.sub("", g["to"]) if g.get("to") else None
        time = int(g["h"]) * 3600 + int(g["m"]) * 60 + int(g["s"])
        found.append((float(time), g["sender"].strip(), to, [(g["text"] or "").strip()]))
    return [ChatMessage(time, sender, "\n".join(parts), to) for time, sender, to, parts in found]


def hms(seconds: float) -> str:
    """`HH:MM:SS` of a time in seconds, hours always shown, fractions dropped."""
    total = max(int(seconds), 0)
    return f"{total // 3600:02d}:{total // 60 % 60:02d}:{total % 60:02d}"
