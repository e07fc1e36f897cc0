"""What the seeded recording files contain: WebVTT transcripts with `Name: text` cues and a chat log.

Kept apart from the seed so the data reads as data; the words are what an agent would summarise.
"""

from __future__ import annotations

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
