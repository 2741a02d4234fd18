"""Edge input: the formula helpers never raise (views inline them); is_valid_regex caps the pattern length."""

from __future__ import annotations

import time
from decimal import Decimal

import psycopg
import pytest


def test_formula_helpers_are_total_and_still_inlined(db):
    one = lambda q: db.execute(q).fetchone()  # noqa: E731
    # out-of-domain input gives NULL (or a clamped score), never an error: views inline these per row
    assert one("SELECT salesflow.effective_priority(50, 'infinity', 72, now()), "
               "salesflow.effective_priority(50, now(), 0, now()), salesflow.effective_priority('NaN', now(), 72, now())") \
        == (None, None, None)
    assert one("SELECT salesflow.effective_priority(50, '1900-01-01', 72, now())")[0] == 0  # underflowed (22003) before
    assert one("SELECT salesflow.effective_priority(50, now() - interval '72 hours', 72, now())")[0] == 25
    score = one("SELECT salesflow.lead_health_score(1e300, '1900-01-01', 2147483647, 2147483647, -2, 'won', now())")[0]
    assert 0 <= score <= 100  # integer overflow, exp() underflow and division by zero before
    assert one("SELECT salesflow.lead_health_score(75, now() - interval '2 days', 3, 2, 4, 'meeting', now())")[0] == Decimal("70.4")
    plan = "\n".join(r[0] for r in db.execute(
        "EXPLAIN VERBOSE SELECT salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()), "
        "salesflow.lead_health_score(e.bant_score, e.last_inbound_at, e.outbound_count + 1, e.reply_count, e.outbound_count, "
        "'new', now()) FROM salesflow.ai_recommendations AS r, salesflow.lead_engagement AS e"))
    assert "effective_priority" not in plan and "lead_health_score" not in plan, plan


def test_is_valid_regex_caps_the_length(db):
    t0 = time.monotonic()
    assert db.execute("SELECT salesflow.is_valid_regex(repeat('a', 262144))").fetchone()[0] is False  # 107 s before
    assert time.monotonic() - t0 < 0.5
    row = db.execute("SELECT salesflow.is_valid_regex(repeat('a', 4000)), salesflow.is_valid_regex(repeat('a', 4001)), "
                     "salesflow.is_valid_regex('(unclosed'), salesflow.is_valid_regex('(a)\\1'), "
                     "salesflow.is_valid_regex('\\mgarantiert\\M')").fetchone()
    assert row == (True, False, False, False, True)
    # every shipped rule still passes (the longest is ~3000 characters)
    assert db.execute("SELECT bool_and(salesflow.is_valid_regex(pattern)), max(length(pattern)) > 2000 "
                      "FROM salesflow.compliance_rules").fetchone() == (True, True)
    # the deployed function is this file's (functions are applied after migration 0010)
    assert "4000" in db.execute("SELECT prosrc FROM pg_proc WHERE oid = 'salesflow.is_valid_regex(text)'::regprocedure").fetchone()[0]
    t0 = time.monotonic()
    with pytest.raises(psycopg.errors.CheckViolation):
        db.execute("INSERT INTO salesflow.compliance_rules (rule_key, category, severity, language, pattern, explanation, "
                   "suggestion) VALUES ('edge_long', 'income_claim', 'high', 'de', repeat('a', 262144), 'e', 's')")
    assert time.monotonic() - t0 < 0.5
