"""`salesflow seed`: realistic synthetic sales data (German and English), loaded with COPY.

What it makes (deterministic for a given --seed and --anchor; ids come from the RNG):
- teams, one manager per team, reps spread over the teams, one admin;
- leads with source, industry, country (DE/AT/CH mostly, GB/US/NL), matching timezone and language,
  German or English names, companies, phone, e-mail, deal value, consent (mostly true);
- conversations (lead_activities): outbound messages at the rep's working hours, inbound replies
  written in the lead's DISG style (D short and direct, I enthusiastic with emojis, S cautious,
  family and security, G detailed with numbers and questions) in the lead's language. Every lead
  has preferred reply hours (morning, lunch, after work or evening, local time): replies land in
  them within 24 h of an outbound message, and outbound messages sent shortly before them get
  answered more often, so the contact window has something to find;
- stage histories (lead_stage_events, past timestamps) and the final leads.stage. Outcomes follow
  the features through a hidden quality score: referral and events win more, cold outreach less,
  D and I types more than S and G, green BANT (drawn from the same quality) more than red; the
  learning engine therefore finds real signal;
- BANT assessments and questionnaire/manual DISG profiles for part of the leads, open follow-ups
  (about a third overdue), done follow-ups, and resolved recommendations for the KPIs.

Scale: rows are generated per batch of users and streamed into COPY in text format, so memory
stays flat (only one batch's lead metadata is held). All salesflow triggers stay on: the
statement-level ones see one COPY per table per batch. Everything runs in one transaction.

The bench imports `generate()` (on a connection) or `bench_load()` (on a DSN, the bench_data
adapter signature).
"""

from __future__ import annotations

from .command import seed_command, seed_database
from .generator import DAY, HOUR, _Clock, fingerprint_team_id
from .conversation import _offset_at, _reply_time
from .load import COUNTED, SeedResult, bench_load, generate
from .reset import existing_leads, reset_data

# the private names are re-exported for tests/test_seed.py (the clock and reply-time edge cases)
__all__ = [
    "COUNTED", "DAY", "HOUR", "SeedResult", "bench_load", "existing_leads", "fingerprint_team_id", "generate",
    "reset_data", "seed_command", "seed_database", "_Clock", "_offset_at", "_reply_time",
]
