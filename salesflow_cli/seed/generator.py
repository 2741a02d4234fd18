"""The deterministic building blocks of the seed: ids, weighted picks, the clock, one lead's record.

Every draw comes from a random.Random the caller owns, in a fixed order: the same seed gives the
same data (tests/test_seed.py compares fingerprints).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from dataclasses import dataclass
from typing import Optional
from zoneinfo import ZoneInfo

from ..vocabulary import INDUSTRIES, SOURCES
from .corpus import COUNTRIES, DISG, REPLY_PATTERNS

DAY = 86400
HOUR = 3600


def _uuid(rng: random.Random) -> str:
    """Same value as str(uuid.UUID(int=rng.getrandbits(128), version=4)), without the slow constructor."""
    x = rng.getrandbits(128)
    x = (x & ~(0xC000 << 48)) | (0x8000 << 48)
    x = (x & ~(0xF000 << 64)) | (4 << 76)
    h = f"{x:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _weighted(items):
    names = [i[0] for i in items]
    cum, total = [], 0
    for i in items:
        total += i[1]
        cum.append(total)
    return names, cum


def _pick(rng: random.Random, table) -> object:
    names, cum = table
    return rng.choices(names, cum_weights=cum)[0]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class _Clock:
    """Epoch seconds -> COPY text, and per-timezone UTC offsets (per day, DST-correct to the day)."""

    def __init__(self, anchor: int, days_back: int):
        self.anchor = anchor
        self.base = (anchor // DAY - days_back - 2) * DAY
        self.ndays = days_back + 40
        self._days = [
            time.strftime("%Y-%m-%d ", time.gmtime(self.base + d * DAY)) for d in range(self.ndays)
        ]
        self._offsets: dict[str, list[int]] = {}

    def ts(self, t: int) -> str:
        d, s = divmod(t - self.base, DAY)
        h, s = divmod(s, HOUR)
        m, s = divmod(s, 60)
        return f"{self._days[d]}{h:02d}:{m:02d}:{s:02d}+00"

    def offsets(self, tz: str) -> list[int]:
        off = self._offsets.get(tz)
        if off is None:
            z = ZoneInfo(tz)
            off = []
            for d in range(self.ndays):
                when = dt.datetime.fromtimestamp(self.base + d * DAY + 12 * HOUR, dt.timezone.utc)
                off.append(int(when.astimezone(z).utcoffset().total_seconds()))
            self._offsets[tz] = off
        return off


def _esc(value) -> str:
    if value is None:
        return "\\N"
    return str(value)



@dataclass
class _Lead:
    id: str
    user_id: str
    lang: str
    tz: str
    first: str
    product: str
    source: str
    disg: str
    z: float
    stage: str
    depth: int  # index in STAGES of the furthest stage reached (won = 5)
    created: int
    closed: Optional[int]
    end: int
    pref: tuple
    channels: tuple
    weight: float
    reply_p: float



def fingerprint_team_id(seed: int) -> str:
    """The id the first seeded team gets for this seed (demo uses it to recognise its own data)."""
    return _uuid(random.Random(seed))



_SOURCE_T = _weighted(SOURCES)
_INDUSTRY_T = _weighted(INDUSTRIES)
_COUNTRY_T = _weighted([(c, c[1]) for c in COUNTRIES])
_DISG_T = _weighted(DISG)
_PATTERN_T = _weighted(REPLY_PATTERNS)
_STAGE_WEIGHT = (0.25, 0.55, 1.0, 1.35, 1.55, 1.7)

