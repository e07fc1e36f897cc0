"""Parse throughput of zoom_mcp.tasks.transcripts on synthetic Zoom files, beside a hand-written parser.

    uv run python bench/transcript_parse.py [--mb 5] [--runs 5]

(a) parse_transcript on a Zoom-style WebVTT transcript of about --mb MB (numbered cues, five
    speakers talking in runs of cues, some cues without a speaker, a third of cues on two lines,
    a NOTE block), best of --runs, in MB/s; beside it webvtt.from_string alone (the library's share)
    and a minimal hand-written line parser giving the same turns (the cost of using webvtt-py).
(b) parse_chat on a chat file of the same size (newer tab-separated lines, some older
    "From X to Y :" lines, some continuation lines), best of --runs, in MB/s.
Best of N rather than median: the figure is the parser's speed, not the machine's noise.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable

import webvtt

from zoom_mcp.tasks.transcripts import Turn, _split_speaker, clock, parse_chat, parse_transcript

SPEAKERS = ["Alex Rivera", "Sam Okafor", "Jamie Chen", "Dr. Priya Natarajan", "Maria de la Cruz"]
VOCABULARY = (
    "we the budget launch next quarter numbers revisit decided action item customers migration billing scope "
    "freeze two weeks before agree think maybe slides shared drive follow up Friday review team hiring plan"
)
WORDS = VOCABULARY.split()


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 16))
    return " ".join(words).capitalize() + rng.choice([".", ".", "?", ","])


def stamp(seconds: float) -> str:
    return f"{clock(seconds)}.{int(seconds * 1000) % 1000:03d}"


def transcript(size: int, rng: random.Random) -> bytes:
    out = ["WEBVTT\n\nNOTE synthetic Zoom cloud-recording transcript\n"]
    total, at, cue, speaker = 0, 0.0, 0, SPEAKERS[0]
    while total < size:
        if rng.random() < 0.3:  # speakers talk in runs of cues
            speaker = rng.choice(SPEAKERS)
        cue += 1
        length = rng.uniform(1.5, 6.0)
        text = sentence(rng)
        if rng.random() < 0.33:
            text += "\n" + sentence(rng)
        if rng.random() > 0.05:
            text = f"{speaker}: {text}"
        block = f"\n{cue}\n{stamp(at)} --> {stamp(at + length)}\n{text}\n"
        out.append(block)
        total += len(block)
        at += length + rng.uniform(0.0, 0.8)
    return "".join(out).encode()


def chat(size: int, rng: random.Random) -> bytes:
    out, total, at = [], 0, 0
    while total < size:
        at += rng.randint(1, 20)
        sender, to = rng.sample(SPEAKERS, 2)
        roll = rng.random()
        if roll < 0.8:
            line = f"{clock(at)}\t{sender}:\t{sentence(rng)}\n"
        elif roll < 0.9:
            line = f"{clock(at)}\t From  {sender} to Everyone : {sentence(rng)}\n"
        else:
            line = f"{clock(at)} From {sender} to {to}(Direct Message): {sentence(rng)}\n{sentence(rng)}\n"
        out.append(line)
        total += len(line)
    return "".join(out).encode()


_TIMING = re.compile(r"(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})\s+-->\s+(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})")


def hand_parse(data: bytes) -> list[Turn]:
    """The same turns without webvtt-py: blocks split on blank lines, timings by one regex."""
    text = data.decode("utf-8-sig", errors="replace")
    if not text.startswith("WEBVTT"):
        raise ValueError("not WebVTT")
    turns: list[tuple[str | None, float, float, list[str]]] = []
    for block in re.split(r"(?:\r?\n){2,}", text):
        lines = block.splitlines()
        i = 0 if lines and "-->" in lines[0] else 1
        if i >= len(lines) or not (m := _TIMING.match(lines[i])):
            continue
        g = [int(x or 0) for x in m.groups()]
        start = ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + g[3]
        end = ((g[4] * 60 + g[5]) * 60 + g[6]) * 1000 + g[7]
        speaker, said = _split_speaker(" ".join(" ".join(lines[i + 1 :]).split()))
        if not said:
            continue
        if turns and speaker is not None and turns[-1][0] == speaker:
            turns[-1][3].append(said)
            turns[-1] = (speaker, turns[-1][1], end / 1000, turns[-1][3])
        else:
            turns.append((speaker, start / 1000, end / 1000, [said]))
    return [Turn(s, a, b, " ".join(p)) for s, a, b, p in turns]


def best(fn: Callable[[bytes], object], data: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    vtt, txt = transcript(int(args.mb * 1e6), rng), chat(int(args.mb * 1e6), rng)
    turns = parse_transcript(vtt)
    same = "same" if hand_parse(vtt) == turns else "DIFFERENT"
    cases: list[tuple[str, Callable[[bytes], object], bytes]] = [
        ("parse_transcript (webvtt-py)", parse_transcript, vtt),
        ("  webvtt.from_string alone", lambda d: webvtt.from_string(d.decode("utf-8-sig")), vtt),
        (f"  hand-written line parser ({same} turns)", hand_parse, vtt),
        ("parse_chat", parse_chat, txt),
    ]
    print(f"## Parse throughput, best of {args.runs}")
    print(f"transcript: {len(vtt) / 1e6:.1f} MB, {vtt.count(b' --> ')} cues -> {len(turns)} turns")
    print(f"chat: {len(txt) / 1e6:.1f} MB, {len(parse_chat(txt))} messages\n")
    print("| parser | MB/s | ms per MB |")
    print("|---|---|---|")
    for label, fn, data in cases:
        seconds = best(fn, data, args.runs)
        mb = len(data) / 1e6
        print(f"| {label} | {mb / seconds:.1f} | {seconds / mb * 1000:.0f} |")


if __name__ == "__main__":
    main()
