"""salesflow.is_valid_regex, the CHECK helper of compliance_rules.pattern, caps the pattern length before compiling."""

from __future__ import annotations

import time

import psycopg
import pytest


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
