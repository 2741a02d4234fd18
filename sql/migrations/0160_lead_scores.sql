-- ============================================================================
-- 0160 lead scores: per-lead rows kept incrementally instead of full materialized-view refreshes
-- ============================================================================
-- view_leads_scored and view_next_actions were materialized views recomputed in full by every
-- refresh (21 s at 1M leads, scores stale in between). They become plain views over two tables
-- kept per lead: a write to a lead's inputs queues the lead in dirty_leads (statement triggers,
-- queue_dirty_leads), and drain_dirty_leads recomputes only the queued leads (score_leads,
-- rank_next_actions). The views keep their names and columns (sql/views).
DROP MATERIALIZED VIEW IF EXISTS salesflow.view_next_actions;
DROP MATERIALIZED VIEW IF EXISTS salesflow.view_leads_scored;

-- No primary key and no unique index on purpose: a writer only appends, so concurrent writers never
-- wait on each other here (no unique check, no row lock) and cannot deadlock; the drain dedupes.
CREATE TABLE salesflow.dirty_leads (
    lead_id uuid NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE salesflow.dirty_leads IS
'Leads whose inputs changed since their scores were computed; appended by statement triggers, emptied by drain_dirty_leads. Owner only.';

-- One row per scored lead (view_leads_scored's columns but days_since_contact, which the view
-- computes at read time). No foreign key to leads on purpose: its per-row check was 40 % of a
-- drain's time; a deleted lead is queued by its DELETE and loses its rows at the next drain, and
-- gdpr_erase deletes them at once. Distribution-ready: keyed by lead_id alone (README "Scaling out").
CREATE TABLE salesflow.lead_scores (
    lead_id uuid PRIMARY KEY,
    user_id uuid NOT NULL,
    team_id uuid,
    lead_name text,
    company text,
    stage text NOT NULL,
    is_open boolean NOT NULL,
    deal_value numeric(12, 2),
    health_score numeric,
    traffic_light text,
    predicted_conversion numeric,
    last_contact_at timestamptz,
    inbound_count integer,
    outbound_count integer,
    reply_count integer,
    bant_score numeric(4, 1),
    bant_light text,
    disg_type character(1),
    first_channel text,
    created_at timestamptz,
    closed_at timestamptz,
    cycle_days numeric,
    computed_at timestamptz NOT NULL
);
COMMENT ON TABLE salesflow.lead_scores IS
'Per lead: health, traffic light, predicted conversion and the engagement counters as of computed_at (score_leads). '
'Kept by drain_dirty_leads; read through view_leads_scored. Owner only.';
CREATE INDEX lead_scores_user_health_idx ON salesflow.lead_scores (user_id, health_score DESC, lead_id) WHERE is_open;
CREATE INDEX lead_scores_team_health_idx ON salesflow.lead_scores (team_id, health_score DESC, lead_id) WHERE is_open;
CREATE INDEX lead_scores_won_idx ON salesflow.lead_scores (user_id, closed_at) INCLUDE (bant_light, cycle_days)
WHERE stage = 'won';
CREATE INDEX lead_scores_health_idx ON salesflow.lead_scores (health_score DESC, lead_id) WHERE is_open;
-- the drain's rolling pass recomputes the oldest rows (time-dependent terms: recency, decay)
CREATE INDEX lead_scores_computed_idx ON salesflow.lead_scores (computed_at);

-- One row per open, contactable lead: its best lead-derived next action (rank_next_actions).
CREATE TABLE salesflow.lead_next_actions (
    lead_id uuid PRIMARY KEY,  -- no foreign key, as lead_scores
    user_id uuid NOT NULL,
    action_type text,
    priority numeric,
    urgency numeric,
    predicted_conversion numeric,
    score numeric,
    computed_at timestamptz NOT NULL
);
COMMENT ON TABLE salesflow.lead_next_actions IS
'Per open lead: the best lead-derived next action (hot, BANT gap, ghosted, stalled, profile) as of computed_at '
'(rank_next_actions). Kept by drain_dirty_leads; read through view_next_actions. Owner only.';
CREATE INDEX lead_next_actions_user_score_idx ON salesflow.lead_next_actions (user_id, score DESC NULLS LAST);
CREATE INDEX lead_next_actions_user_pc_idx ON salesflow.lead_next_actions (user_id, predicted_conversion DESC);

-- Owner-only (no sales role has a grant); row-level security of the two with a user_id: policies/.
ALTER TABLE salesflow.dirty_leads ENABLE ROW LEVEL SECURITY;

-- An upgraded database has no rows yet: every lead is queued, and the deploy drains them.
INSERT INTO salesflow.dirty_leads (lead_id) SELECT l.id FROM salesflow.leads AS l;
