-- ============================================================================
-- track_consent: consent bookkeeping and history on leads (GDPR Art. 7, issue 14 item 5)
-- ============================================================================
-- BEFORE UPDATE OF consent (row, only when it changes): giving consent sets consent_at and clears
-- consent_withdrawn_at; withdrawing sets consent_withdrawn_at (from then on no outbound suggestions).
-- AFTER INSERT / UPDATE (statement level, transition tables: one INSERT per statement, so COPY and
-- imports of many leads stay set-based): one consent_events row per lead created with consent or
-- whose consent changed. Source: salesflow.consent_source (set by record_consent and the imports),
-- else 'import' / 'seed' by the lead's origin on insert, else 'sql'; wording:
-- salesflow.consent_wording; by: current_user_id(), else the lead owner.
CREATE OR REPLACE FUNCTION salesflow.consent_bookkeeping()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF NEW.consent THEN
        NEW.consent_at := now();
        NEW.consent_withdrawn_at := NULL;
    ELSE
        NEW.consent_withdrawn_at := now();
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION salesflow.consent_bookkeeping() IS
'Trigger (row, BEFORE UPDATE OF consent when it changes): sets consent_at / consent_withdrawn_at.';

CREATE OR REPLACE TRIGGER leads_consent_bookkeeping BEFORE UPDATE OF consent ON salesflow.leads
FOR EACH ROW WHEN (old.consent IS DISTINCT FROM new.consent)
EXECUTE FUNCTION salesflow.consent_bookkeeping();

CREATE OR REPLACE FUNCTION salesflow.consent_history_insert()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_source text := nullif(current_setting('salesflow.consent_source', true), '');
    v_wording text := nullif(current_setting('salesflow.consent_wording', true), '');
    v_me uuid := salesflow.current_user_id();
BEGIN
    INSERT INTO salesflow.consent_events (lead_id, consent, previous, source, wording, changed_by)
    SELECT n.id, n.consent, NULL,
           coalesce(v_source, CASE n.origin WHEN 'import' THEN 'import' WHEN 'seed' THEN 'seed' ELSE 'sql' END),
           v_wording, coalesce(v_me, n.user_id)
    FROM new_leads AS n
    WHERE n.consent;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.consent_history_insert() IS
'Trigger (statement, AFTER INSERT on leads): a consent_events row for every lead created with consent.';

CREATE OR REPLACE TRIGGER leads_consent_history_insert AFTER INSERT ON salesflow.leads
REFERENCING NEW TABLE AS new_leads
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.consent_history_insert();

CREATE OR REPLACE FUNCTION salesflow.consent_history_update()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_source text := coalesce(nullif(current_setting('salesflow.consent_source', true), ''), 'sql');
    v_wording text := nullif(current_setting('salesflow.consent_wording', true), '');
    v_me uuid := salesflow.current_user_id();
BEGIN
    INSERT INTO salesflow.consent_events (lead_id, consent, previous, source, wording, changed_by)
    SELECT n.id, n.consent, o.consent, v_source, v_wording, coalesce(v_me, n.user_id)
    FROM new_leads AS n
    INNER JOIN old_leads AS o ON n.id = o.id
    WHERE n.consent IS DISTINCT FROM o.consent;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.consent_history_update() IS
'Trigger (statement, AFTER UPDATE on leads): a consent_events row for every lead whose consent changed.';

CREATE OR REPLACE TRIGGER leads_consent_history_update AFTER UPDATE ON salesflow.leads
REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.consent_history_update();
