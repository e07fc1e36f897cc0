"""When to try a Zoom request again, and for how long.

| outcome                                   | GET, PUT, DELETE, PATCH        | POST                              |
|-------------------------------------------|--------------------------------|-----------------------------------|
| 429 Too Many Requests                     | wait Retry-After, retry        | wait Retry-After, retry           |
| 500, 502, 503, 504                        | backoff with jitter, retry     | no retry: it may have been applied|
| connection refused / connect timeout      | backoff with jitter, retry     | backoff with jitter, retry        |
| read timeout, dropped connection          | backoff with jitter, retry     | no retry: it may have been applied|
| any other status                          | no retry                       | no retry                          |

Every retry is bounded by `max_attempts` and by `max_total` seconds from the first attempt; a
Retry-After longer than what is left is not waited for.
"""

from __future__ import annotations

import email.utils
import random
from dataclasses import dataclass
from datetime import UTC, datetime

SAFE_TO_REPEAT = frozenset({"GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
RETRY_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    max_total: float = 60.0
    base_delay: float = 0.5
    max_delay: float = 8.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: uniform in [0, min(max_delay, base * 2**(attempt-1))]."""
        return rng.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds, HTTP-date or ISO 8601 (Zoom's daily limit)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    when: datetime | None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
