-- ============================================================================
-- 0200 activity answers: reply times kept per lead by the drain, activity counts index-only
-- ============================================================================
-- get_sales_kpis found the reply times with two window passes over every activity of the users in
-- the period (~30,000 a rep over 8 weeks at 1M leads: ~120-200 ms a call). The answers now live in
-- activity_answers, recomputed per lead by the drain for the leads whose activities changed
-- (refresh_activity_answers), and the report reads them by user and time. Its activity counts
-- read lead_activities_user_idx, which now carries direction and kind: an index-only scan.
-- No foreign key on purpose (as lead_scores): the drain deletes and rewrites a lead's rows, a deleted
-- activity queues its lead, gdpr_erase deletes them at once. Distribution-ready: lead_id is a column.
CREATE TABLE salesflow.activity_answers (
    activity_id bigint PRIMARY KEY,
    lead_id uuid NOT NULL,
    user_id uuid NOT NULL,
    direction text NOT NULL CHECK (direction IN ('in', 'out')),
    answered_at timestamptz NOT NULL,
    minutes double precision NOT NULL CHECK (minutes >= 0)
);
COMMENT ON TABLE salesflow.activity_answers IS
'One row per activity that answers the other side (refresh_activity_answers: out = a rep response, in = a lead reply; '
'minutes waited); kept by the drain for get_sales_kpis. Owner only.';
CREATE INDEX activity_answers_user_idx ON salesflow.activity_answers (user_id, answered_at) INCLUDE (direction, minutes);
CREATE INDEX activity_answers_lead_idx ON salesflow.activity_answers (lead_id);

-- the counts per week and rep read only these columns: one index-only scan per user
DROP INDEX salesflow.lead_activities_user_idx;
CREATE INDEX lead_activities_user_idx ON salesflow.lead_activities (user_id, occurred_at DESC) INCLUDE (direction, kind);

-- the answers of the activities already stored: every lead that has any is queued with '{}'
-- (recompute its answers), so the next drain or full refresh writes them (refresh_activity_answers)
INSERT INTO salesflow.dirty_leads (lead_id, activity_ids)
SELECT
    l.id,
    '{}'::bigint[]
FROM salesflow.leads AS l
WHERE EXISTS (
    SELECT 1 FROM salesflow.lead_activities AS a
    WHERE a.lead_id = l.id
);
