"""The words of a generated meeting: its WebVTT transcript, its chat log and Zoom's AI summary of it.

Written from the templates in `fixtures.transcripts`. Words are drawn with a Random seeded from the
meeting's own key: the same meeting always says the same thing, in any process.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from zoom_mcp.sandbox.fixtures.transcripts import (
    ACKS,
    CHAT_LINES,
    CLOSERS,
    DECISION_FRAMES,
    DECISIONS,
    GAP,
    NUMBERS,
    OPENERS,
    SPEECH_RATE,
    TALK,
    TASKS,
    THEMES,
    WORDS,
)


@dataclass(frozen=True)
class Script:
    """One meeting's words: its WebVTT transcript, its chat log, and what Zoom's AI summary says about it."""

    vtt: bytes
    chat: bytes
    overview: str
    details: tuple[tuple[str, str], ...]
    next_steps: tuple[str, ...]


class _Fill(dict[str, object]):
    """Placeholder values, drawn on first use and then fixed, so a theme's recap quotes what was said."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> object:
        value: object = self.rng.randint(*NUMBERS[key]) if key in NUMBERS else self.rng.choice(WORDS[key])
        self[key] = value
        return value


@cache
def script(
    key: str, kind: str, speakers: tuple[str, ...], minutes: int, pinned: tuple[int, str, str] | None = None
) -> Script:
    """The words of one meeting, the same for the same `key` in every process (cached: built once per process).

    Meetings of an hour or more are talked through densely, theme after theme, to fill their length; shorter
    ones are the highlights, spread over the meeting. `pinned` is (second, speaker, decision): that decision
    is said at exactly that second and is the one the summary reports.
    """
    rng = random.Random(key)
    host, dense = speakers[0], minutes >= 60
    lines: list[tuple[str, str, float]] = []  # speaker, words, seconds to say them
    clock = [0.0]  # seconds of talk so far
    last = [host]
    others = {s: [o for o in speakers if o != s] or [s] for s in speakers}

    def say(who: str, text: str) -> None:
        seconds = max(1.5, len(text) / SPEECH_RATE)
        lines.append((who, text, seconds))
        last[0] = who
        clock[0] += seconds + GAP

    def turn(avoid: str | None = None) -> str:
        if avoid is None:
            return rng.choice(others[last[0]])
        return rng.choice([s for s in speakers if s not in (last[0], avoid)] or list(speakers))

    say(host, rng.choice(OPENERS))
    themes, fill = THEMES[kind], _Fill(rng)
    recaps: list[tuple[str, str]] = []
    decision = pinned[2] if pinned else ""
    count = len(themes) if dense else min(len(themes), 2 + minutes // 25)
    while not recaps or (dense and clock[0] < minutes * 60 - 60):
        for n, (label, recap, said) in enumerate(rng.sample(themes, count)):
            if dense and recaps and clock[0] >= minutes * 60 - 60:
                break
            fill = _Fill(rng)
            for text in said:
                who = turn()
                fill["other"] = rng.choice(others[who]).split()[0]
                say(who, text.format_map(fill))
                if rng.random() < 0.3:
                    say(turn(), rng.choice(ACKS))
                if dense and rng.random() < 0.6:
                    say(turn(), rng.choice(TALK).format_map(fill))
            if len(recaps) < 6:
                recaps.append((label, recap.format_map(fill)))
            if not decision and n == count // 2:
                decision = rng.choice(DECISIONS[kind]).format_map(fill)
                say(host, rng.choice(DECISION_FRAMES).format(decision))
    steps = []
    for task in rng.sample(TASKS[kind], 1 + len(speakers) // 3):
        person = turn(avoid=host)
        task, day = task.format_map(fill), rng.choice(WORDS["weekday"])
        say(host, f"{person.split()[0]}, can you {task} by {day}?")
        say(person, f"Yes, action item for me: {task} by {day}.")
        steps.append(f"{person} to {task} by {day}.")
    say(host, rng.choice(CLOSERS))
    cues = _layout(lines, minutes, dense, pinned, rng)
    vtt = "WEBVTT\n\n" + "\n\n".join(
        f"{i}\n{_stamp(start)} --> {_stamp(end)}\n{who}: {text}" for i, (start, end, who, text) in enumerate(cues, 1)
    )
    chat_times = sorted(rng.uniform(30, minutes * 60 - 30) for _ in range(3 + len(speakers) % 3))
    chat = "".join(
        f"{_stamp(t)[:8]}\t{rng.choice(speakers)}:\t{rng.choice(CHAT_LINES).format_map(fill)}\n" for t in chat_times
    )
    labels = [label.lower() for label, _ in recaps]
    topics = ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else labels[0]
    overview = f"{host} led the discussion of {topics}. The group agreed to {decision}."
    return Script((vtt + "\n").encode(), chat.encode(), overview, tuple(recaps), tuple(steps))


def _layout(
    lines: list[tuple[str, str, float]],
    minutes: int,
    dense: bool,
    pinned: tuple[int, str, str] | None,
    rng: random.Random,
) -> list[tuple[float, float, str, str]]:
    """Cue times: back to back when dense, else spread over the meeting; the pinned cue at its exact second."""
    slot = 0.0 if dense else minutes * 60 / (len(lines) + 1)
    cues: list[tuple[float, float, str, str]] = []
    pending = pinned
    t = 1.0
    for i, (who, text, seconds) in enumerate(lines):
        t = max(t, i * slot + 1 + rng.random() * slot * 0.3)
        if pending and (t >= pending[0] or i == len(lines) - 1):
            at, speaker, decision = pending
            said = f"Okay, decision: we {decision}."
            if cues and cues[-1][1] > at - 0.2:  # the cue before it ends as the decision is spoken
                begin, _, name, words = cues[-1]
                cues[-1] = (begin, max(begin + 0.5, at - 0.2), name, words)
            cues.append((float(at), at + max(1.5, len(said) / SPEECH_RATE), speaker, said))
            t, pending = max(t, cues[-1][1] + GAP), None
        cues.append((t, t + seconds, who, text))
        t += seconds + GAP * (0.5 + rng.random())
    return cues


def _stamp(seconds: float) -> str:
    """WebVTT's HH:MM:SS.mmm."""
    whole, ms = divmod(round(seconds * 1000), 1000)
    minutes, s = divmod(whole, 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{s:02d}.{ms:03d}"
