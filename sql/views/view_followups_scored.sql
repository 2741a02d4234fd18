-- ============================================================================
-- view_followups_scored: open follow-ups and open recommendations with decayed priority
-- ============================================================================
-- As of the refresh:
--   recommendation: priority = effective_priority(base, created_at, half_life) = base * 0.5^(age h / half-life h)
--   follow-up:      priority = 100 when due or overdue, else 100 * 0.5^(hours until due / 24)
-- rounded to one decimal. Reads only the open rows (partial indexes on status = 'open').
-- item_key is unique: 'f:<followup id>' or 'r:<recommendation id>'.
CREATE MATERIALIZED VIEW salesflow.view_followups_scored AS
SELECT
    'f:' || f.id AS item_key,
    'followup'::text AS item_kind,
    f.id AS item_id,
    f.lead_id,
    f.user_id,
    f.user_id AS assignee_id,
    NULL::text AS rec_type,
    coalesce(f.note, 'follow-up') AS title,
    f.channel,
    f.due_at,
    NULL::numeric AS base_priority,
    round(
        CASE
            WHEN f.due_at <= now() THEN 100
            ELSE 100 * power(0.5, date_part('epoch', f.due_at - now()) / 3600 / 24)
        END::numeric, 1
    ) AS priority,
    f.due_at <= now() AS is_due,
    f.created_at,
    NULL::timestamptz AS expires_at
FROM salesflow.followups AS f
WHERE f.status = 'open'
UNION ALL
SELECT
    'r:' || r.id AS item_key,
    'recommendation' AS item_kind,
    r.id AS item_id,
    r.lead_id,
    r.user_id,
    coalesce(r.assignee_id, r.user_id) AS assignee_id,
    r.rec_type,
    r.title,
    r.action ->> 'channel' AS channel,
    NULL::timestamptz AS due_at,
    r.base_priority,
    round(salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()), 1) AS priority,
    false AS is_due,
    r.created_at,
    r.expires_at
FROM salesflow.ai_recommendations AS r
WHERE r.status = 'open';

COMMENT ON MATERIALIZED VIEW salesflow.view_followups_scored IS
'Open follow-ups (priority 100 when due, halving per day before) and open recommendations (base * 0.5^(age/half-life)), as of the last refresh.';
CREATE UNIQUE INDEX view_followups_scored_key_idx ON salesflow.view_followups_scored (item_key);
CREATE INDEX view_followups_scored_assignee_idx ON salesflow.view_followups_scored (assignee_id, priority DESC);
