-- ============================================================================
-- closed_lead_features: the learning engine's seven features of every closed lead
-- ============================================================================
-- source, first_channel, industry, disg_type (latest profile), bant_light (latest assessment),
-- country, language; a missing value is 'none'. One definition for learn_success_patterns and
-- conversion_fold_logits (predict_conversion and view_leads_scored read the same columns for
-- open leads too). No SET clause and LANGUAGE sql STABLE on purpose: the planner inlines it into
-- its callers' queries (both SECURITY DEFINER or called from one); every name is qualified.
CREATE OR REPLACE FUNCTION salesflow.closed_lead_features()
RETURNS TABLE (
    lead_id uuid, team_id uuid, is_won boolean, source text, first_channel text, industry text, disg_type text,
    bant_light text, country text, language text
)
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    SELECT
        l.id,
        u.team_id,
        l.stage = 'won',
        l.source,
        coalesce(le.first_channel, 'none'),
        coalesce(l.industry, 'none'),
        coalesce(le.disg_type::text, 'none'),
        coalesce(le.bant_light, 'none'),
        coalesce(l.country, 'none'),
        l.language
    FROM salesflow.leads AS l
    INNER JOIN salesflow.users AS u ON l.user_id = u.id
    LEFT JOIN salesflow.lead_engagement AS le ON l.id = le.lead_id
    WHERE l.stage IN ('won', 'lost');
$$;
COMMENT ON FUNCTION salesflow.closed_lead_features() IS
'Internal: the seven learning features (none when missing) of every closed lead, with its team and outcome.';
