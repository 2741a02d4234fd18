"""The closed vocabularies of salesflow's tables, written once for the Python side.

Used by the seed generator (salesflow_cli/seed/), the bench dataset and workload
(salesflow_cli/bench/) and anything else that writes rows. tests/test_vocabulary.py reads the CHECK
constraints of a deployed database (pg_constraint) and asserts these tuples equal them; for the
free-text columns with a pattern CHECK (leads.source, leads.industry) it asserts every value here
passes that CHECK.
"""

from __future__ import annotations

# leads.stage, lead_stage_events.from_stage/to_stage: the ladder in order, then the exit
STAGES = ("new", "contacted", "replied", "meeting", "proposal", "won", "lost")
# the ladder a lead climbs (lost is where it leaves it)
LADDER = STAGES[:-1]
# lead_activities.channel, followups.channel (and the channel lists of the reference tables)
CHANNELS = ("whatsapp", "email", "phone", "instagram", "linkedin", "telegram", "sms", "in_person")
# lead_activities.direction
DIRECTIONS = ("in", "out")
# users.role
ROLES = ("rep", "manager", "admin")
# users.language, leads.language and every other language column
LANGUAGES = ("de", "en")
# followups.status
FOLLOWUP_STATUSES = ("open", "done", "skipped", "cancelled")
# ai_recommendations.status
RECOMMENDATION_STATUSES = ("open", "accepted", "dismissed", "done", "expired")

# leads.source and leads.industry are free text (CHECK: a lowercase identifier); these are the values
# the generators use, with their weights in the seed's mix.
SOURCES = (
    ("instagram", 20), ("facebook", 12), ("referral", 12), ("linkedin", 10), ("website", 12),
    ("event", 8), ("whatsapp", 10), ("cold_outreach", 16),
)
INDUSTRIES = (
    ("fitness", 16), ("beauty", 14), ("nutrition", 14), ("coaching", 12), ("finance", 12),
    ("real_estate", 8), ("it", 10), ("retail", 14),
)
SOURCE_NAMES = tuple(s for s, _ in SOURCES)
INDUSTRY_NAMES = tuple(i for i, _ in INDUSTRIES)
