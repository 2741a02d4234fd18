-- ============================================================================
-- track_lead_assessments: latest BANT and DISG type per lead into lead_engagement
-- ============================================================================
-- STATEMENT-level AFTER INSERT triggers on bant_assessments and personality_profiles: the newest
-- row per lead (by created_at) replaces the stored one when it is at least as new, so views and
-- the learning engine read one row per lead. Deleting an assessment does not roll back the copy.
-- SECURITY DEFINER: lead_engagement is written by triggers only.

CREATE OR REPLACE FUNCTION salesflow.track_lead_bant()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    UPDATE salesflow.lead_engagement AS le
    SET bant_score = n.total_score, bant_light = n.traffic_light, bant_at = n.created_at, updated_at = now()
    FROM (
        SELECT DISTINCT ON (a.lead_id) a.lead_id, a.total_score, a.traffic_light, a.created_at
        FROM new_assessments AS a
        ORDER BY a.lead_id, a.created_at DESC, a.id DESC
    ) AS n
    WHERE le.lead_id = n.lead_id AND (le.bant_at IS NULL OR n.created_at >= le.bant_at);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.track_lead_bant() IS
'Trigger (statement level): copies the newest BANT score and traffic light per lead into lead_engagement.';

CREATE OR REPLACE TRIGGER bant_assessments_track AFTER INSERT ON salesflow.bant_assessments
REFERENCING NEW TABLE AS new_assessments
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.track_lead_bant();

CREATE OR REPLACE FUNCTION salesflow.track_lead_disg()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    UPDATE salesflow.lead_engagement AS le
    SET disg_type = n.primary_type, disg_at = n.created_at, updated_at = now()
    FROM (
        SELECT DISTINCT ON (p.lead_id) p.lead_id, p.primary_type, p.created_at
        FROM new_profiles AS p
        ORDER BY p.lead_id, p.created_at DESC, p.id DESC
    ) AS n
    WHERE le.lead_id = n.lead_id AND (le.disg_at IS NULL OR n.created_at >= le.disg_at);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.track_lead_disg() IS
'Trigger (statement level): copies the newest personality profile primary type per lead into lead_engagement.';

CREATE OR REPLACE TRIGGER personality_profiles_track AFTER INSERT ON salesflow.personality_profiles
REFERENCING NEW TABLE AS new_profiles
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.track_lead_disg();
