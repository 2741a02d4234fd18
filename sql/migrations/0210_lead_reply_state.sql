-- ============================================================================
-- 0210 lead reply state: the drain extends a lead's answers from its last run instead of re-reading it
-- ============================================================================
-- refresh_activity_answers re-read every activity of a changed lead: for 16,490 leads at 1M
-- (~167,000 activities) about 1.3-1.7 s per drain, more than the rest of the drain. Activities
-- almost always arrive after the lead's last one, and then only the lead's current run matters:
-- its direction and first activity (where a reply's wait starts), and the last activity (to tell an
-- append from a late entry). append_activity_answers uses and updates this row; a late entry, an
-- update or a delete still recomputes the lead (refresh_activity_answers, which rewrites the row).
-- No foreign key on purpose (as activity_answers). Owner only.
CREATE TABLE salesflow.lead_reply_state (
    lead_id uuid PRIMARY KEY,
    direction text NOT NULL CHECK (direction IN ('in', 'out')),
    run_started_at timestamptz NOT NULL,
    last_at timestamptz NOT NULL,
    last_id bigint NOT NULL
);
COMMENT ON TABLE salesflow.lead_reply_state IS
'Per lead: the direction and start of its current run of activities (notes left out) and its last activity; '
'kept by refresh_activity_answers / append_activity_answers. Owner only.';
ALTER TABLE salesflow.lead_reply_state ENABLE ROW LEVEL SECURITY;

-- every lead with activities recomputed once more, now with its state row
INSERT INTO salesflow.dirty_leads (lead_id, activity_ids)
SELECT
    l.id,
    '{}'::bigint[]
FROM salesflow.leads AS l
WHERE EXISTS (
    SELECT 1 FROM salesflow.lead_activities AS a
    WHERE a.lead_id = l.id
);
