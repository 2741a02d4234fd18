"""WHEN and duration arguments (`--due`, `--until`, `--for`, `--at`) as aware timestamps.

Read in the acting user's time zone (users.timezone; the owner without --user: UTC):
  2026-12-03 10:00 | 2026-12-03T10:00+01:00 | 2026-12-03 (09:00)   ISO 8601 (an offset wins over the zone)
  today 15:00 | tomorrow 10:00 | heute / morgen [HH:MM] (09:00)     a day and an optional time
  mon..sun / mo, di, mi, do, fr, sa, so [HH:MM]                     the next such weekday (09:00)
  +2d | +3h | +90m | +1w                                            from now (d days, h hours, m minutes, w weeks)
  -2h | -1d | yesterday / gestern [HH:MM]                            in the past (for --at)
Durations (`--for`): 2d, 3h, 90m, 1w (with or without +).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from ..errors import UserError

FORMS = "ISO (2026-12-03 10:00), today|tomorrow|yesterday (heute|morgen|gestern) [HH:MM], a weekday (mon, fr) [HH:MM], +2d, +3h, +90m, +1w, -2h"
_DEFAULT_TIME = time(9, 0)
_REL = re.compile(r"^\+?\s*(\d{1,4})\s*(m|min|h|d|w)$", re.I)
_DAY = re.compile(r"^(today|tomorrow|yesterday|heute|morgen|gestern|[a-z]{2,3})(?:\s+(\d{1,2})(?::(\d{2}))?)?$", re.I)
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
             "mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6}
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def duration(text: str, what: str) -> timedelta:
    m = _REL.match((text or "").strip())
    if not m:
        raise UserError(f"{what} must be a duration like 2d, 3h, 90m or 1w, got {text!r}", hint="e.g. --for 2d")
    return timedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})


def parse(text: str, tz: str, what: str, now: Optional[datetime] = None) -> datetime:
    """The aware timestamp `text` names, in zone `tz`; UserError (exit 2) naming the forms otherwise."""
    zone = ZoneInfo(tz)
    now = (now or datetime.now(zone)).astimezone(zone)
    value = " ".join((text or "").split())
    if value.startswith("+"):
        return now + duration(value, what)
    if value.startswith("-") and _REL.match(value[1:].strip()):
        return now - duration(value[1:], what)
    m = _DAY.match(value)
    if m and (m.group(1).lower() in ("today", "tomorrow", "yesterday", "heute", "morgen", "gestern") or m.group(1).lower() in _WEEKDAYS):
        word = m.group(1).lower()
        hour, minute = int(m.group(2) or _DEFAULT_TIME.hour), int(m.group(3) or 0)
        if hour > 23 or minute > 59:
            raise UserError(f"{what}: {hour}:{minute:02d} is not a time of day", hint=f"forms: {FORMS}")
        if word in ("today", "heute"):
            day = now.date()
        elif word in ("tomorrow", "morgen"):
            day = now.date() + timedelta(days=1)
        elif word in ("yesterday", "gestern"):
            day = now.date() - timedelta(days=1)
        else:  # the next such weekday, never today
            day = now.date() + timedelta(days=(_WEEKDAYS[word] - now.weekday() - 1) % 7 + 1)
        return datetime.combine(day, time(hour, minute), zone)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"{what} must be a time, got {text!r}", hint=f"forms: {FORMS}") from None
    if len(value) == 10:  # a date alone: the default time of day
        parsed = datetime.combine(parsed.date(), _DEFAULT_TIME)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
