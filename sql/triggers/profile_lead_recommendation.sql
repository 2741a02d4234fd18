-- ============================================================================
-- profile_lead_recommendation: 3+ inbound messages and no DISG profile -> 'profile_lead'
-- ============================================================================
-- STATEMENT-level AFTER INSERT on lead_activities with a transition table: one set-based
-- statement per INSERT or COPY, never a per-row trigger (bulk loads of millions of rows stay
-- cheap). The trigger name sorts after lead_activities_track (analytics), and PostgreSQL fires
-- same-event triggers in name order, so lead_engagement.inbound_count already includes the new
-- rows. For each open lead that received inbound contacts in the statement, has >= 3 inbound
-- contacts in total, no personality profile and no profile_lead recommendation (except expired
-- ones: a dismissed suggestion is not repeated), one recommendation in the owner's language,
-- base priority 40, half-life 168 h. A second trigger closes open profile_lead
-- recommendations (status done) as soon as a profile is stored.
CREATE OR REPLACE FUNCTION salesflow.profile_lead_recommendation()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    INSERT INTO salesflow.ai_recommendations AS r (
        lead_id, user_id, rec_type, title, reason, action, base_priority, half_life_hours, source
    )
    SELECT
        l.id, l.user_id, 'profile_lead',
        CASE WHEN u.language = 'de' THEN 'DISG-Profil erstellen' ELSE 'Profile this lead (DISG)' END,
        format(CASE WHEN u.language = 'de'
            THEN '%s Nachrichten von %s, aber noch kein DISG-Profil: Stil und Ansprache lassen sich jetzt anpassen.'
            ELSE '%s messages from %s but no DISG profile yet: tailor your style and approach now.' END,
            coalesce(le.inbound_count, n.inbound), l.name),
        jsonb_build_object('kind', 'profile_lead', 'sql', 'salesflow.analyze_personality_from_messages(lead_id)',
                           'cli', 'salesflow ai profile ' || l.id),
        40, 168, 'trigger'
    FROM (
        SELECT a.lead_id, count(*) AS inbound
        FROM new_activities AS a
        WHERE a.direction = 'in' AND a.kind <> 'note'
        GROUP BY a.lead_id
    ) AS n
    INNER JOIN salesflow.leads AS l ON l.id = n.lead_id
    INNER JOIN salesflow.users AS u ON u.id = l.user_id  -- the rep reads it: the owner's language
    LEFT JOIN salesflow.lead_engagement AS le ON le.lead_id = n.lead_id
    WHERE coalesce(le.inbound_count, n.inbound) >= 3
      AND l.stage NOT IN ('won', 'lost')
      AND NOT EXISTS (SELECT 1 FROM salesflow.personality_profiles AS p WHERE p.lead_id = l.id)
      AND NOT EXISTS (
          SELECT 1 FROM salesflow.ai_recommendations AS x
          WHERE x.lead_id = l.id AND x.rec_type = 'profile_lead' AND x.status <> 'expired'
      )
    ON CONFLICT (lead_id, rec_type) WHERE status = 'open' DO NOTHING;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.profile_lead_recommendation() IS
'Trigger (statement level): recommends profiling leads that have 3+ inbound contacts and no DISG profile.';

-- Name sorts after lead_activities_track (analytics' counters), so counts are current here.
CREATE OR REPLACE TRIGGER lead_activities_track_then_profile_lead AFTER INSERT ON salesflow.lead_activities
REFERENCING NEW TABLE AS new_activities
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.profile_lead_recommendation();

CREATE OR REPLACE FUNCTION salesflow.profile_lead_done()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    UPDATE salesflow.ai_recommendations AS r
    SET status = 'done', resolved_at = now(), feedback = coalesce(r.feedback, 'profile recorded')
    WHERE r.rec_type = 'profile_lead' AND r.status = 'open'
      AND r.lead_id IN (SELECT p.lead_id FROM new_profiles AS p);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.profile_lead_done() IS
'Trigger (statement level): a stored personality profile completes the lead''s open profile_lead recommendation.';

CREATE OR REPLACE TRIGGER personality_profiles_profile_lead_done AFTER INSERT ON salesflow.personality_profiles
REFERENCING NEW TABLE AS new_profiles
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.profile_lead_done();
