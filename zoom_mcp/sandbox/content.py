"""What the seeded recording files contain: WebVTT transcripts with `Name: text` cues and chat logs.

Kept apart from the seed so the data reads as data; the words are what an agent would summarise. The
history's meetings (`history.py`) are written from the templates below by `script`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

BUDGET_TRANSCRIPT = """WEBVTT

1
00:00:01.000 --> 00:00:06.500
Alex Rivera: Good morning everyone, let's go through the Q3 budget.

2
00:00:07.000 --> 00:00:14.000
Sam Okafor: Marketing is asking for 120,000 dollars, up from 95,000.

3
00:00:14.500 --> 00:00:20.000
Alex Rivera: We decided to approve 110,000 and revisit in October.

4
00:00:21.000 --> 00:00:27.000
Jamie Chen: Action item for me: send the revised numbers by Friday.
"""

RETRO_TRANSCRIPT = """WEBVTT

1
00:00:02.000 --> 00:00:08.000
Sam Okafor: The launch date slipped to March 3rd because of the billing migration.

2
00:00:08.500 --> 00:00:13.000
Alex Rivera: Next time we freeze scope two weeks before launch.
"""

CHAT = "00:00:05\tSam Okafor:\tSlides are in the shared drive\n00:00:19\tJamie Chen:\tI'll take the revised numbers\n"

# --- four months of history: meetings written from templates -------------------------------------------------
# Each kind of meeting has themes; a theme is (label, recap for the AI summary, lines spoken). Placeholders are
# filled once per theme, so the recap quotes the same numbers the speakers said. Words are drawn with a Random
# seeded from the meeting's own key: the same meeting always says the same thing, in any process.

WORDS: dict[str, tuple[str, ...]] = {
    "project": ("Orion", "Atlas", "Beacon", "Nimbus", "Juniper"),
    "service": ("checkout", "search", "billing", "auth", "notifications", "export"),
    "screen": ("onboarding", "settings", "invite", "dashboard", "payment", "sign-up"),
    "customer": ("Acme", "Globex", "Initech", "Umbrella Health", "Northwind", "Hooli", "Vandelay"),
    "role": ("backend engineer", "product designer", "data analyst", "support lead", "site reliability engineer"),
    "month": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "vendor": ("Stripe", "Twilio", "Okta", "Snowflake", "PagerDuty"),
    "table": ("orders", "sessions", "invoices", "events", "audit_log"),
}
NUMBERS: dict[str, tuple[int, int]] = {
    "n": (2, 9), "n2": (10, 40), "pct": (2, 38), "ms": (120, 480), "ms2": (520, 1400), "price": (12, 29),
    "price2": (32, 49), "seats": (40, 900), "k": (15, 250), "day": (2, 28), "ticket": (1200, 4800),
}  # fmt: skip

THEMES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "weekly": (
        ("Deploys", "{n2} changes shipped this week; the {service} deploy needed one rollback.", (
            "We shipped {n2} changes this week, all green except one rollback on {service}.",
            "The rollback was a config typo, fixed within twenty minutes.",
            "Can we add a check for that in the pipeline so it can't happen twice?",
        )),
        ("Latency", "p95 latency on {service} is {ms} ms, down from {ms2} ms after the cache change.", (
            "p95 on {service} is at {ms} milliseconds now, down from {ms2} before the cache change.",
            "Nice. Is that holding during the evening peak as well?",
            "Mostly, we still see spikes when the {table} job runs at the top of the hour.",
        )),
        ("On-call", "On-call was quiet: {n} pages, ticket PLAT-{ticket} covers the noisy alert.", (
            "On-call was quiet, only {n} pages and none of them woke anyone up.",
            "One alert is pure noise, I opened PLAT-{ticket} to tune it.",
            "{other}, can you pair with me on that one?",
        )),
        ("Vendor", "Still waiting on {vendor} for production API keys.", (
            "I'm still blocked on the {vendor} keys, their security review takes another week.",
            "Let's escalate through our account manager if nothing comes by {month} {day}.",
        )),
        ("Migrations", "The {table} migration is {pct} percent done; backfill finishes {weekday}.", (
            "The {table} migration is about {pct} percent done.",
            "The backfill should finish by {weekday} if the replicas keep up.",
            "Please post in the channel before you flip the read path.",
        )),
    ),
    "customers": (
        ("Renewals", "{customer} renewed for {seats} seats; one renewal is at risk.", (
            "Good news first, {customer} renewed for {seats} seats.",
            "The other renewal is at risk, their contract ends on {month} {day} and they keep asking about SSO.",
            "Let's get them on a call with product before the end of the month.",
        )),
        ("Tickets", "{customer} opened {n2} tickets about the {screen} page.", (
            "{customer} opened {n2} tickets about the {screen} page this week.",
            "Most of them are the same bug, the save button does nothing on Safari.",
            "Engineering has it as ticket CS-{ticket}, fix is in review.",
        )),
        ("NPS", "NPS came in at {n2}, up {n} points; exports remain the top complaint.", (
            "NPS came in at {n2}, that's up {n} points on last month.",
            "The top complaint is still slow exports for large workspaces.",
            "I'll share the verbatims in the doc after this.",
        )),
        ("Escalations", "{customer} escalated {service} outages; a credit of {price} percent is on the table.", (
            "{customer} escalated the {service} outage to their VP.",
            "They asked for a service credit, I think {price} percent of the month is fair.",
            "Let's offer it together with the postmortem, not before.",
        )),
    ),
    "design": (
        ("Flow", "The new {screen} flow cuts the steps from {n2} to {n}.", (
            "The new {screen} flow cuts the steps from {n2} to {n}.",
            "That's a big drop. What did we remove?",
            "Mostly the confirmation pages, they were doing nothing for anyone.",
        )),
        ("Research", "Usability tests with {n} customers: most stalled on the {screen} page.", (
            "We ran usability tests with {n} customers last week.",
            "Most of them stalled on the {screen} page, the labels are confusing.",
            "I'd rather fix the copy than redesign the whole page again.",
        )),
        ("Accessibility", "The audit flagged contrast and focus order on {screen}.", (
            "The accessibility audit flagged contrast on the {screen} buttons.",
            "Focus order is also wrong in the modal, keyboard users get stuck.",
            "Those are must-fix for {project}, not nice-to-have.",
        )),
        ("Scope", "{project} scope: the mobile layout moves to the next milestone.", (
            "For {project} I'd like to move the mobile layout to the next milestone.",
            "Agreed, desktop is {pct} percent of usage for this screen anyway.",
        )),
    ),
    "pricing": (
        ("Team plan", "Team plan goes from {price} to {price2} dollars per seat for new customers.", (
            "The proposal is to move the Team plan from {price} to {price2} dollars per seat.",
            "Existing customers keep their price until {month} {day} next year.",
            "Sales will want a script for that conversation.",
        )),
        ("Churn", "Starter churn is {pct} percent a month, mostly in the first {n} weeks.", (
            "Starter churn is running at {pct} percent a month.",
            "Most of it happens in the first {n} weeks, before they invite anyone.",
            "So it's an activation problem more than a price problem.",
        )),
        ("Usage", "Sales asked for a usage add-on above {k} thousand API calls.", (
            "Sales is asking for a usage add-on above {k} thousand API calls a month.",
            "We'd need metering in {service} first, that's a quarter of work.",
        )),
        ("Discounts", "Annual discount stays at {pct} percent; no custom discounts without finance.", (
            "The annual discount stays at {pct} percent.",
            "And no more custom discounts without finance in the loop, please.",
        )),
    ),
    "hiring": (
        ("Pipeline", "{n} candidates are in onsite loops for the {role} role.", (
            "We have {n} candidates in the onsite loop for the {role} role.",
            "Two of them are strong, one has an offer elsewhere already.",
            "Let's move fast on that one, debrief on {weekday}.",
        )),
        ("Offers", "The {role} offer went out {weekday}; the answer is due in {n} days.", (
            "The offer for the {role} went out on {weekday}.",
            "They asked for {n} days to decide, and they could start on {month} {day}.",
        )),
        ("Process", "Take-home reduced to {n} hours; interview panel training on {weekday}.", (
            "Candidates keep dropping at the take-home, it's too long.",
            "Let's cut it to {n} hours and say so in the invite.",
            "I'll run the panel training on {weekday} for the new interviewers.",
        )),
    ),
    "incident": (
        ("Timeline", "Checkout latency hit {ms2} ms for {n2} minutes; paging took {n} minutes.", (
            "Latency on checkout went to {ms2} milliseconds for about {n2} minutes.",
            "The first page went out after {n} minutes, which is too slow.",
            "The dashboard showed it earlier, nobody was looking at that panel.",
        )),
        ("Root cause", "Root cause: a missing index on the {table} table after the migration.", (
            "Root cause was a missing index on the {table} table after the migration.",
            "The migration script created it on staging but not in production.",
            "So the fix is in the tooling, not in the query.",
        )),
        ("Customers", "{customer} and {n} other accounts saw failed payments.", (
            "{customer} saw failed payments, plus {n} smaller accounts.",
            "Support already reached out to all of them, refunds go out on {month} {day}.",
        )),
    ),
}  # fmt: skip
THEMES["planning"] = tuple(theme for kind in ("weekly", "customers", "design", "pricing") for theme in THEMES[kind])

DECISIONS: dict[str, tuple[str, ...]] = {
    "weekly": ("freeze deploys on Fridays until the {service} alerts are fixed", "move the {table} job off the hour"),
    "customers": ("offer {customer} a {price} percent credit with the postmortem", "run a renewal review every month"),
    "design": (
        "ship the {screen} redesign to ten percent of accounts first",
        "keep the old {screen} page for a release",
    ),
    "pricing": (
        "raise the Team plan to {price2} dollars per seat in {month}",
        "keep the Starter tier at {price} dollars",
    ),
    "hiring": ("open a second {role} position in {month}", "cut the take-home to {n} hours"),
    "incident": ("add an index check to every migration", "page on checkout latency above {ms} milliseconds"),
    "planning": (
        "put {project} ahead of the {service} rewrite for the second half",
        "staff {project} with {n} engineers",
    ),
}
TASKS: dict[str, tuple[str, ...]] = {
    "weekly": ("file the ticket for the {table} index", "check the {vendor} contract terms",
               "write the runbook for the {service} rollback"),
    "customers": ("book the follow-up with {customer}", "draft the customer email about {service}",
                  "send {customer} the renewal quote"),
    "design": ("update the {screen} mockups", "write up the {project} rollout plan",
               "schedule two more usability sessions"),
    "pricing": ("send the numbers to finance", "write the sales script for the Team plan change",
                "model churn at the new price"),
    "hiring": ("share the interview scorecards", "post the {role} opening", "send the panel the rubric"),
    "incident": ("file the ticket for the {table} index", "publish the postmortem", "add the latency alert"),
}  # fmt: skip
TASKS["planning"] = tuple(task for kind in ("weekly", "customers", "design", "pricing") for task in TASKS[kind])
OPENERS = (
    "Morning all, let's get started.",
    "Thanks for joining, we have a full agenda today.",
    "Okay, I think everyone is here. Let's begin.",
    "Hi everyone, let's keep this one short.",
)
ACKS = (
    "Makes sense.",
    "Agreed.",
    "Sounds good to me.",
    "Fair point.",
    "Okay, noted.",
    "Right, that matches what I saw.",
)
TALK = (
    "I think the risk there is mostly on the {service} side.",
    "Do we have data on that, or is it a gut feeling?",
    "Let me pull up the dashboard, one second.",
    "Can you say more about how that affects {project}?",
    "We tried something similar in {month} and it didn't stick.",
    "I'd like {customer} to see this before we commit.",
    "That's roughly {pct} percent of the accounts we talked about.",
    "Let's not solve it in this meeting, but it needs an owner.",
)
DECISION_FRAMES = ("Okay, decision: we {0}.", "So we're agreed to {0}.", "Let's go with that, we {0}.")
CLOSERS = ("Thanks everyone, see you next week.", "Great, that's time. I'll send notes.", "Thanks all, talk soon.")
CHAT_LINES = (
    "Notes doc: https://docs.example.com/{project}-notes",
    "+1",
    "Dropping off for another call, will read the notes",
    "Numbers are in the sheet, tab {n}",
    "Can someone share the dashboard link?",
    "PLAT-{ticket} for reference",
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


SPEECH_RATE = 16.0  # characters a second: a brisk 160 words a minute
GAP = 0.6  # seconds between cues, on average


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
    themes, recaps, fill = THEMES[kind], [], _Fill(rng)
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
