-- ============================================================================
-- apply_retention: apply the enabled retention rules (salesflow gdpr retention, cron)
-- ============================================================================
-- In this order, per enabled rule of salesflow.retention_rules (see migration 0120):
--   1. consent_withdrawn  (restrict) leads whose consent was withdrawn at least `period` ago and are not
--      restricted: restricted until legal_keep_until() (NULL when no legal period applies)
--   2. business_letters / accounting_records (restrict) restricted leads without an end date to
--      which the rule applies get restricted_until = legal_keep_until() (the latest end of both)
--   3. lost_inactive  (erase) lost leads, not restricted, whose last activity, close and creation are
--      all more than `period` ago
--   4. restriction_expired  (erase) restricted leads whose restricted_until lies more than `period` ago
-- p_dry_run: nothing changes; each rule reports how many leads it would act on now (rules are
-- counted on the current state, so a lead restricted by step 1 is not counted again in step 2).
-- Erasures go through retention_erase() (one place to wire gdpr_erase). Admins and the owner
-- (cron) only: require_admin, 42501 otherwise.
CREATE OR REPLACE FUNCTION salesflow.apply_retention(p_dry_run boolean)
RETURNS TABLE (rule_key text, action text, leads integer, dry_run boolean)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_rule salesflow.retention_rules;
    v_ids uuid [];
    v_id uuid;
    v_lead salesflow.leads;
    v_until timestamptz;
BEGIN
    PERFORM salesflow.require_admin('apply_retention');
    IF p_dry_run IS NULL THEN
        RAISE EXCEPTION 'p_dry_run must be true or false, got NULL'
            USING ERRCODE = '22023', HINT = 'true: report what would happen; false: apply the rules.';
    END IF;
    FOR v_rule IN
        SELECT r.* FROM salesflow.retention_rules AS r
        WHERE r.enabled
        ORDER BY CASE r.condition WHEN 'consent_withdrawn' THEN 1 WHEN 'business_letters' THEN 2
                 WHEN 'accounting_records' THEN 2 WHEN 'lost_inactive' THEN 3 ELSE 4 END, r.rule_key
    LOOP
        IF v_rule.condition = 'consent_withdrawn' THEN
            SELECT array_agg(l.id ORDER BY l.id) INTO v_ids
            FROM salesflow.leads AS l
            WHERE l.consent_withdrawn_at IS NOT NULL AND NOT l.consent
              AND l.consent_withdrawn_at <= now() - v_rule.period
              AND salesflow.lead_is_processable(l);
        ELSIF v_rule.condition IN ('business_letters', 'accounting_records') THEN
            SELECT array_agg(l.id ORDER BY l.id) INTO v_ids
            FROM salesflow.leads AS l
            WHERE NOT salesflow.lead_is_processable(l) AND l.restricted_until IS NULL
              AND CASE v_rule.condition
                  WHEN 'accounting_records' THEN l.stage = 'won'
                  ELSE EXISTS (SELECT 1 FROM salesflow.lead_activities AS a WHERE a.lead_id = l.id)
              END;
        ELSIF v_rule.condition = 'lost_inactive' THEN
            SELECT array_agg(l.id ORDER BY l.id) INTO v_ids
            FROM salesflow.leads AS l
            WHERE l.stage = 'lost' AND salesflow.lead_is_processable(l)
              AND greatest(l.created_at, l.closed_at) < now() - v_rule.period
              AND NOT EXISTS (
                  SELECT 1 FROM salesflow.lead_activities AS a
                  WHERE a.lead_id = l.id AND a.occurred_at >= now() - v_rule.period
              );
        ELSE  -- restriction_expired
            SELECT array_agg(l.id ORDER BY l.id) INTO v_ids
            FROM salesflow.leads AS l
            WHERE NOT salesflow.lead_is_processable(l) AND l.restricted_until < now() - v_rule.period;
        END IF;

        IF NOT p_dry_run THEN
            FOREACH v_id IN ARRAY coalesce(v_ids, '{}'::uuid []) LOOP
                IF v_rule.action = 'erase' THEN
                    PERFORM salesflow.retention_erase(v_id, v_rule.rule_key);
                ELSE
                    SELECT l.* INTO v_lead FROM salesflow.leads AS l WHERE l.id = v_id;
                    v_until := salesflow.legal_keep_until(v_lead);
                    IF v_until <= now() THEN
                        v_until := NULL;
                    END IF;
                    IF v_rule.condition = 'consent_withdrawn' THEN
                        UPDATE salesflow.leads AS l
                        SET restricted_at = now(), restricted_until = v_until,
                            restriction_reason = 'retention: ' || v_rule.rule_key
                        WHERE l.id = v_id;
                    ELSIF v_until IS NOT NULL THEN
                        UPDATE salesflow.leads AS l SET restricted_until = v_until WHERE l.id = v_id;
                    ELSE
                        CONTINUE;  -- the period is over already: restriction_expired cannot apply, an admin decides
                    END IF;
                    INSERT INTO salesflow.restriction_events (lead_id, action, reason, restricted_until, rule_key)
                    VALUES (v_id, 'restrict', 'retention: ' || v_rule.rule_key, v_until, v_rule.rule_key);
                END IF;
            END LOOP;
        END IF;
        rule_key := v_rule.rule_key;
        action := v_rule.action;
        leads := coalesce(cardinality(v_ids), 0);
        dry_run := p_dry_run;
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION salesflow.apply_retention(boolean) IS
'Apply the enabled retention rules (salesflow.retention_rules): restrict on withdrawn consent, set legal keeping periods, '
'erase lost inactive leads and restricted leads past their period. p_dry_run true: change nothing, report. '
'Returns rule, action, leads acted on (or that would be), dry_run. Admins and the owner only (42501).';
