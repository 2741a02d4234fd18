"""salesflow_cli/vocabulary.py equals the CHECK constraints of a deployed database."""

from __future__ import annotations

import re

import pytest

from salesflow_cli import vocabulary as v

# (table, column) -> the vocabulary tuple its CHECK (column IN (...)) must equal
CLOSED = {
    ("leads", "stage"): v.STAGES,
    ("lead_stage_events", "to_stage"): v.STAGES,
    ("lead_stage_events", "from_stage"): v.STAGES,
    ("lead_activities", "channel"): v.CHANNELS,
    ("followups", "channel"): v.CHANNELS,
    ("lead_activities", "direction"): v.DIRECTIONS,
    ("users", "role"): v.ROLES,
    ("users", "language"): v.LANGUAGES,
    ("leads", "language"): v.LANGUAGES,
    ("followups", "status"): v.FOLLOWUP_STATUSES,
    ("ai_recommendations", "status"): v.RECOMMENDATION_STATUSES,
}
# free-text columns with a pattern CHECK: every vocabulary value must pass it
PATTERNED = {("leads", "source"): v.SOURCE_NAMES, ("leads", "industry"): v.INDUSTRY_NAMES}


def _checks(db, table: str, column: str) -> list[str]:
    """pg_get_constraintdef of the CHECK constraints on exactly this one column."""
    return [r[0] for r in db.execute(
        """SELECT pg_get_constraintdef(c.oid) FROM pg_constraint AS c
           JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           WHERE c.conrelid = to_regclass(%s) AND c.contype = 'c' AND cardinality(c.conkey) = 1
             AND a.attname = %s""", (f"salesflow.{table}", column)).fetchall()]


@pytest.mark.parametrize(("table", "column"), sorted(CLOSED))
def test_closed_vocabulary_equals_the_check(db, table, column):
    defs = [d for d in _checks(db, table, column) if "ARRAY[" in d]
    assert len(defs) == 1, (table, column, _checks(db, table, column))
    values = tuple(re.findall(r"'([^']*)'::text", defs[0]))
    assert values == CLOSED[(table, column)]


@pytest.mark.parametrize(("table", "column"), sorted(PATTERNED))
def test_free_text_vocabulary_passes_the_check(db, table, column):
    defs = [d for d in _checks(db, table, column) if " ~ " in d]
    assert len(defs) == 1, (table, column, _checks(db, table, column))
    pattern = re.search(r"~ '((?:[^']|'')*)'::text", defs[0]).group(1).replace("''", "'")
    bad = [x for x in PATTERNED[(table, column)] if not db.execute("SELECT %s ~ %s", (x, pattern)).fetchone()[0]]
    assert bad == []
