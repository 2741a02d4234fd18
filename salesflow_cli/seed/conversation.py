"""One lead's conversation: outbound messages at the rep's hours, replies at the lead's preferred hours."""

from __future__ import annotations

import random
from typing import Callable

from .corpus import CALL, FIRST_IN, INBOUND, INBOUND_SOURCES, MEETING, NEUTRAL_IN, NOTE, OUTBOUND
from .generator import DAY, HOUR, _Clock, _Lead


def _conversations(rng: random.Random, clock: _Clock, leads: list[_Lead], activities_per_lead: int,
                   write: Callable[[str], None]) -> int:
    """Every lead's conversation, its length following the lead's stage weight, written in chunks;
    returns how many activity lines were written."""
    mean_w = sum(ld.weight for ld in leads) / max(1, len(leads))
    # conversations end early when a lead's time runs out: scale the requests by requested/produced
    act_scale, produced_acts, requested_acts = 1.15, 0, 0
    buf: list[str] = []
    for ld in leads:
        want = activities_per_lead * ld.weight / mean_w * act_scale * rng.uniform(0.6, 1.4)
        n = int(want) + (1 if rng.random() < want - int(want) else 0)
        if n <= 0:
            continue
        made = _conversation(rng, clock, ld, n, buf)
        requested_acts += n
        produced_acts += made
        if produced_acts > 500:
            act_scale = min(2.5, max(1.0, requested_acts / produced_acts))
        if len(buf) >= 20000:
            write("".join(buf))
            buf.clear()
    # the per-lead draws are noisy: when the batch still falls short of the requested average, top it
    # up with short extra threads (leads in order), so --activities-per-lead is a floor on the mean
    short = activities_per_lead * len(leads) - produced_acts
    for ld in leads if short > 0 else ():
        made = _conversation(rng, clock, ld, min(3, short), buf)
        produced_acts += made
        short -= made
        if short <= 0:
            break
    if buf:
        write("".join(buf))
    return produced_acts


# 89 lines: one loop over a conversation's state (t, direction, channel, meeting, count); in steps it would
# hand those five back and forth on every message of the seed's hottest loop
def _conversation(rng: random.Random, clock: _Clock, ld: _Lead, n: int, out: list[str]) -> int:
    """Append up to n activity lines for one lead; returns how many were written."""
    off = clock.offsets(ld.tz)
    base = clock.base
    lang = ld.lang
    name, product = ld.first, ld.product
    prefix = f"{ld.id}\t{ld.user_id}\t"
    primary, secondary = ld.channels
    pref = ld.pref
    styled = INBOUND[(ld.disg, lang)]
    neutral = NEUTRAL_IN[lang]
    outbound = OUTBOUND[lang]
    start, end = ld.created + rng.randrange(600, 2 * DAY), ld.end
    if start >= end:
        start = ld.created + 60
    gap = max(2 * HOUR, (end - start) / (n + 1))
    made = 0
    t = start
    depth = ld.depth
    # 'new': only the lead has written; 'contacted' (or lost there): the lead never answered
    if depth == 0:
        mode_in_only, never_reply = True, False
    else:
        mode_in_only, never_reply = False, depth == 1
    lead_first = ld.source in INBOUND_SOURCES and rng.random() < 0.7
    if depth == 0 and not lead_first:
        return 0
    direction = "in" if lead_first else "out"
    first_in = True
    meeting_done = depth < 3
    while made < n and t < end:
        channel = primary if rng.random() < 0.82 else secondary
        if direction == "out":
            # the rep writes during working hours (8-19 local, Monday-Saturday)
            local = t + _offset_at(off, base, t)
            h = (local % DAY) // HOUR
            if h < 8 or h >= 20:
                t += ((8 - h) % 24) * HOUR + rng.randrange(0, 11 * HOUR)
                local = t + _offset_at(off, base, t)
            if (local // DAY + 4) % 7 == 0:  # Sunday
                t += DAY
            if t >= end:
                break
            r = rng.random()
            if r < 0.05:
                kind, body = "note", NOTE[lang].format(p=product)
            elif not meeting_done and made >= n // 2:
                kind, body, channel, meeting_done = "meeting", MEETING[lang].format(p=product), "in_person", True
            elif channel == "phone" and r < 0.5:
                kind, body = "call", CALL[lang]
            else:
                kind, body = "message", rng.choice(outbound).format(n=name, p=product)
            if channel == "in_person" and kind == "message":
                channel = "whatsapp"
            out.append(f"{prefix}{channel}\tout\t{kind}\t{body}\t{clock.ts(t)}\n")
            made += 1
            if kind == "note":
                t += rng.randrange(300, 3 * HOUR)
                continue
            if kind == "meeting":  # the next contact is the rep's follow-up after the meeting
                t += rng.randrange(2 * HOUR, 2 * DAY)
                continue
            # will the lead answer within 24 h? More likely when sent shortly before the preferred hours
            h = ((t + _offset_at(off, base, t)) % DAY) // HOUR
            near = any(0 <= p - h <= 2 for p in pref)
            p_reply = 0.0 if never_reply or mode_in_only else ld.reply_p * (1.25 if near else 0.55)
            if rng.random() < p_reply:
                direction = "in"
                t = _reply_time(rng, t, off, base, pref)
            else:
                t += int(gap * rng.uniform(0.6, 1.6)) + DAY
        else:
            if first_in and lead_first:
                body = rng.choice(FIRST_IN[lang]).format(p=product)
            elif rng.random() < 0.15:
                body = rng.choice(neutral)
            else:
                body = rng.choice(styled).format(n=name, p=product)
            first_in = False
            out.append(f"{prefix}{channel if channel != 'in_person' else 'whatsapp'}\tin\tmessage\t{body}\t{clock.ts(t)}\n")
            made += 1
            if mode_in_only:
                t = _reply_time(rng, t + int(gap * rng.uniform(0.5, 1.5)), off, base, pref)
            elif rng.random() < 0.12:  # a second message from the lead, at its usual hours
                t = _reply_time(rng, t + 2 * HOUR, off, base, pref)
            else:
                direction = "out"
                t += rng.randrange(15 * 60, int(min(gap, 2 * DAY)) + 20 * 60)
    return made


def _offset_at(off: list[int], base: int, t: int) -> int:
    """The UTC offset on t's day; a moment past the clock's last day (a reply computed after the
    conversation's end, then discarded) takes the last day's offset."""
    return off[min((t - base) // DAY, len(off) - 1)]


def _reply_time(rng: random.Random, t: int, off: list[int], base: int, pref: tuple) -> int:
    """A moment within 24 h after t in the lead's preferred local hours (15 %: any time within 20 h)."""
    if rng.random() < 0.15:
        return t + rng.randrange(10 * 60, 20 * HOUR)
    o = _offset_at(off, base, t)
    sod = (t + o) % DAY + 600  # earliest: ten minutes later
    for p in pref:
        lo, hi = p * HOUR, (p + 1) * HOUR
        if hi > sod:
            s = max(lo, sod)
            return t + (s - sod) + 600 + rng.randrange(0, max(60, hi - s))
    s = pref[0] * HOUR + DAY
    return t + (s - sod) + 600 + rng.randrange(0, HOUR)

