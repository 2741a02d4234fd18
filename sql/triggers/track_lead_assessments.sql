-- ============================================================================
-- track_lead_assessments: latest BANT, DISG type and funnel milestones per lead into lead_engagement
-- ============================================================================
-- (lead_stage_events: the first time a lead reached contacted/replied/meeting/proposal/won, read by
-- view_conversion_microsteps so a refresh reads one row per lead, not the whole stage history.)
-- STATEMENT-level AFTER INSERT triggers on bant_assessments and personality_profiles: the newest
-- row per lead (by created_at) replaces the stored one when it is at least as new, so views and
-- the learning engine read one row per lead. Deleting an assessment does not roll back the copy.
-- SECURITY DEFINER: lead_engagement is written by triggers only.

-- The BANT and DISG triggers run one statement, written once (v_statement) and placed into both
-- functions by this DO block with their columns and transition table; each stays static SQL (its
-- plan cached per session). Edit the statement here; deploy regenerates the functions.
DO $do$
DECLARE
    -- %1$s: the columns copied, %2$I: the lead_engagement column with the copy's created_at,
    -- %3$I: the transition table
    v_statement constant text := $statement$
    UPDATE salesflow.lead_engagement AS le
    SET %1$s, %2$I = n.created_at, updated_at = now()
    FROM (
        SELECT DISTINCT ON (a.lead_id) a.*
        FROM %3$I AS a
        ORDER BY a.lead_id, a.created_at DESC, a.id DESC
    ) AS n
    WHERE le.lead_id = n.lead_id AND (le.%2$I IS NULL OR n.created_at >= le.%2$I)
$statement$;
    v_body constant text := $body$
BEGIN
%s;
    RETURN NULL;
END;
$body$;
BEGIN
    EXECUTE format($create$
CREATE OR REPLACE FUNCTION salesflow.track_lead_bant() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp AS %L
$create$, format(v_body, format(v_statement, 'bant_score = n.total_score, bant_light = n.traffic_light', 'bant_at', 'new_assessments')));
    EXECUTE format($create$
CREATE OR REPLACE FUNCTION salesflow.track_lead_disg() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp AS %L
$create$, format(v_body, format(v_statement, 'disg_type = n.primary_type', 'disg_at', 'new_profiles')));
END;
$do$;
COMMENT ON FUNCTION salesflow.track_lead_bant() IS
'Trigger (statement level): copies the newest BANT score and traffic light per lead into lead_engagement.';
COMMENT ON FUNCTION salesflow.track_lead_disg() IS
'Trigger (statement level): copies the newest personality profile primary type per lead into lead_engagement.';

CREATE OR REPLACE TRIGGER bant_assessments_track AFTER INSERT ON salesflow.bant_assessments
REFERENCING NEW TABLE AS new_assessments
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.track_lead_bant();

CREATE OR REPLACE TRIGGER personality_profiles_track AFTER INSERT ON salesflow.personality_profiles
REFERENCING NEW TABLE AS new_profiles
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.track_lead_disg();

CREATE OR REPLACE FUNCTION salesflow.track_lead_stage()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    UPDATE salesflow.lead_engagement AS le
    SET
        reached_contacted_at = least(le.reached_contacted_at, n.contacted_at),
        reached_replied_at = least(le.reached_replied_at, n.replied_at),
        reached_meeting_at = least(le.reached_meeting_at, n.meeting_at),
        reached_proposal_at = least(le.reached_proposal_at, n.proposal_at),
        reached_won_at = least(le.reached_won_at, n.won_at),
        updated_at = now()
    FROM (
        SELECT
            e.lead_id,
            min(e.changed_at) FILTER (WHERE e.to_stage = 'contacted') AS contacted_at,
            min(e.changed_at) FILTER (WHERE e.to_stage = 'replied') AS replied_at,
            min(e.changed_at) FILTER (WHERE e.to_stage = 'meeting') AS meeting_at,
            min(e.changed_at) FILTER (WHERE e.to_stage = 'proposal') AS proposal_at,
            min(e.changed_at) FILTER (WHERE e.to_stage = 'won') AS won_at
        FROM new_events AS e
        WHERE e.to_stage IN ('contacted', 'replied', 'meeting', 'proposal', 'won')
        GROUP BY e.lead_id
    ) AS n
    WHERE le.lead_id = n.lead_id;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.track_lead_stage() IS
'Trigger (statement level): records the first time each lead reached contacted/replied/meeting/proposal/won in lead_engagement.';

CREATE OR REPLACE TRIGGER lead_stage_events_track AFTER INSERT ON salesflow.lead_stage_events
REFERENCING NEW TABLE AS new_events
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.track_lead_stage();
