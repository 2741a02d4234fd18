-- ============================================================================
-- gdpr_erase: erase a person (Art. 17 DSGVO) — the lead and everything derived from it
-- ============================================================================
-- Admin only (the trusted owner or an admin identity; managers and reps get 42501). In one
-- transaction:
--   * compliance_logs about the lead (lead_id, lead_ref, or the text names them) are redacted:
--     text, snippets and the person's identifiers go (another lead's row that only names them
--     keeps its own lead_id/lead_ref), category/severity/decision/checker/content type/model/
--     user/timestamps stay (the one UPDATE the append-only trigger allows, see
--     compliance_logs_append_only.sql; verify_audit_chain still passes);
--   * coaching sessions linked to or naming the lead: name, e-mail, phone and id replaced by
--     [erased], the lead's link removed; ai_calls for the lead: lead_id, input hash and error
--     text removed (tokens and latency stay for cost accounting), other calls' error text redacted;
--   * staged import rows and import rejects naming the lead are deleted, an import file name
--     naming them is removed; earlier export log rows get the keyed reference instead of the id;
--   * the lead is deleted (activities, follow-ups, stage events, BANT, profiles, memory,
--     embeddings, recommendations, playbook runs, engagement counters cascade) and the
--     materialized views are refreshed; any table with a lead_id column still holding the lead
--     makes the erasure fail (a new table must be handled here).
-- The erasure is logged in gdpr_log without personal data: request id, time, who, reason,
-- categories with row counts and gdpr_lead_ref(lead id) (keyed; gdpr_reapply uses it after a
-- restore). p_reason must not contain the lead's name, e-mail or phone. A legal hold
-- (gdpr_legal_hold_until) refuses the erasure (55000) unless p_override_retention.
CREATE OR REPLACE FUNCTION salesflow.gdpr_erase(
    p_lead_id uuid,
    p_reason text,
    p_override_retention boolean DEFAULT false,
    p_action text DEFAULT 'erase'
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid;
    v_lead salesflow.leads;
    v_terms text[];
    v_terms_linked text[];
    v_json_terms text[];
    v_ref text;
    v_phone_re text;
    v_hold timestamptz;
    v_counts jsonb := '{}'::jsonb;
    v_n bigint;
    v_table text;
    v_now timestamptz := clock_timestamp();
    v_request uuid := gen_random_uuid();
    v_empty_sha constant text := encode(sha256(''::bytea), 'hex');
BEGIN
    PERFORM salesflow.require_admin('gdpr_erase');
    v_me := salesflow.require_identity();
    IF p_lead_id IS NULL THEN
        RAISE EXCEPTION 'p_lead_id must not be NULL'
            USING ERRCODE = '22023', HINT = 'Pass the uuid of the lead to erase.';
    END IF;
    IF p_action IS NULL OR p_action NOT IN ('erase', 'reapply') THEN
        RAISE EXCEPTION 'p_action must be erase or reapply, got %', coalesce(quote_literal(p_action), 'NULL')
            USING ERRCODE = '22023', HINT = 'Leave it out (erase); gdpr_reapply passes reapply.';
    END IF;
    IF p_reason IS NULL OR btrim(p_reason) = '' OR length(p_reason) > 500 THEN
        RAISE EXCEPTION 'p_reason must be a non-empty text of at most 500 characters'
            USING ERRCODE = '22023', HINT = 'Say why, without personal data, e.g. ''Art. 17 request of 2026-12-01, ticket 4711''.';
    END IF;
    SELECT l.* INTO v_lead FROM salesflow.leads AS l WHERE l.id = p_lead_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'lead % (p_lead_id) not found', p_lead_id
            USING ERRCODE = 'P0002', HINT = 'Check the lead id (salesflow gdpr export --email finds it); nothing was erased.';
    END IF;
    v_phone_re := salesflow.gdpr_phone_regex(v_lead.phone);
    v_terms := salesflow.gdpr_lead_terms(v_lead, false);
    v_terms_linked := salesflow.gdpr_lead_terms(v_lead, true);
    IF salesflow.gdpr_mentions(p_reason, v_terms, v_phone_re) THEN  -- whole name, not its parts: "lost" is a word too
        RAISE EXCEPTION 'p_reason names the person (name, e-mail, phone or id): the erasure log must not hold personal data'
            USING ERRCODE = '22023', HINT = 'Refer to the request by a ticket number or date instead.';
    END IF;
    v_hold := salesflow.gdpr_legal_hold_until(p_lead_id);
    IF v_hold > now() AND NOT coalesce(p_override_retention, false) THEN
        RAISE EXCEPTION 'lead % must be kept until % (legal retention): not erased', p_lead_id, v_hold
            USING ERRCODE = '55000', HINT = 'Restrict it instead, or pass p_override_retention => true with a reason (logged).';
    END IF;
    v_ref := salesflow.gdpr_lead_ref(p_lead_id);
    -- terms safe to replace inside jsonb text (no quote or backslash that would need escaping)
    SELECT array_agg(t) INTO v_json_terms FROM unnest(v_terms_linked) AS t WHERE t !~ '["\\]';

    INSERT INTO salesflow.gdpr_erasure_in_progress (txid) VALUES (pg_current_xact_id());

    -- what cascades with the lead, counted per table first
    FOR v_table IN
        SELECT c.relname FROM pg_class AS c
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'lead_id' AND NOT a.attisdropped
        WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind = 'r'
          AND c.relname NOT IN ('compliance_logs', 'ai_coaching_sessions', 'ai_calls', 'gdpr_log', 'staged_activities')
        ORDER BY 1
    LOOP
        EXECUTE format('SELECT count(*) FROM salesflow.%I AS x WHERE x.lead_id = $1', v_table) INTO v_n USING p_lead_id;
        IF v_n > 0 THEN
            v_counts := v_counts || jsonb_build_object(v_table, v_n);
        END IF;
    END LOOP;
    v_counts := v_counts || jsonb_build_object('leads', 1);

    -- the person's own rows lose lead_id and lead_ref; another lead's row that only names them keeps its link
    UPDATE salesflow.compliance_logs AS c
    SET content = '', content_sha256 = v_empty_sha, lead_id = x.new_lead_id, lead_ref = x.new_lead_ref,
        violations = salesflow.compliance_redact_violations(c.violations), erased_at = v_now,
        erasure_seal = salesflow.compliance_log_erasure_seal(
            c.row_hash, c.id, c.user_id, x.new_lead_ref, c.content_type, c.language, salesflow.compliance_redact_violations(c.violations),
            c.max_severity, c.decision, c.checker, c.model, c.created_at, v_now
        )
    FROM (
        SELECT l.id,
               CASE WHEN l.own THEN NULL ELSE l.lead_id END AS new_lead_id,
               CASE WHEN l.own THEN NULL ELSE l.lead_ref END AS new_lead_ref
        FROM (
            SELECT c2.id, c2.lead_id, c2.lead_ref,
                   coalesce(c2.lead_id = p_lead_id OR c2.lead_ref = salesflow.compliance_lead_ref(p_lead_id), false) AS own
            FROM salesflow.compliance_logs AS c2
            WHERE c2.erased_at IS NULL
              AND (c2.lead_id = p_lead_id OR c2.lead_ref = salesflow.compliance_lead_ref(p_lead_id)
                   OR salesflow.gdpr_mentions(c2.content, v_terms, v_phone_re)
                   OR salesflow.gdpr_mentions(c2.violations::text, v_terms, v_phone_re))
        ) AS l
    ) AS x
    WHERE c.id = x.id;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_counts := v_counts || jsonb_build_object('compliance_logs_redacted', v_n);

    UPDATE salesflow.ai_coaching_sessions AS s
    SET messages = salesflow.gdpr_redact_text(
            s.messages::text, CASE WHEN s.lead_id = p_lead_id THEN v_json_terms ELSE v_terms END, v_phone_re
        )::jsonb,
        lead_id = CASE WHEN s.lead_id = p_lead_id THEN NULL ELSE s.lead_id END, updated_at = now()
    WHERE s.lead_id = p_lead_id OR salesflow.gdpr_mentions(s.messages::text, v_terms, v_phone_re);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_counts := v_counts || jsonb_build_object('ai_coaching_sessions_redacted', v_n);

    UPDATE salesflow.ai_calls AS a
    SET lead_id = CASE WHEN a.lead_id = p_lead_id THEN NULL ELSE a.lead_id END,
        input_hash = CASE WHEN a.lead_id = p_lead_id THEN NULL ELSE a.input_hash END,
        error = CASE WHEN a.lead_id = p_lead_id THEN NULL ELSE salesflow.gdpr_redact_text(a.error, v_terms, v_phone_re) END
    WHERE a.lead_id = p_lead_id OR salesflow.gdpr_mentions(a.error, v_terms, v_phone_re);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_counts := v_counts || jsonb_build_object('ai_calls_anonymised', v_n);

    DELETE FROM salesflow.staged_leads AS s
    WHERE lower(s.email) = lower(v_lead.email) OR s.phone = v_lead.phone
       OR regexp_replace(s.phone, '[^0-9]', '', 'g') = nullif(regexp_replace(v_lead.phone, '[^0-9]', '', 'g'), '')
       OR s.external_id = v_lead.external_id OR lower(btrim(s.name)) = lower(btrim(v_lead.name))
       OR lower(btrim(concat_ws(' ', s.first_name, s.last_name))) = lower(btrim(v_lead.name));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_counts := v_counts || jsonb_build_object('staged_leads', v_n);
    DELETE FROM salesflow.staged_activities AS s
    WHERE s.lead_id IN (p_lead_id::text, replace(p_lead_id::text, '-', '')) OR lower(s.lead_email) = lower(v_lead.email)
       OR regexp_replace(s.lead_phone, '[^0-9]', '', 'g') = nullif(regexp_replace(v_lead.phone, '[^0-9]', '', 'g'), '')
       OR (s.external_system = v_lead.external_system AND s.lead_external_id = v_lead.external_id)
       OR salesflow.gdpr_mentions(s.body, v_terms, v_phone_re) OR salesflow.gdpr_mentions(s.subject, v_terms, v_phone_re);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_counts := v_counts || jsonb_build_object('staged_activities', v_n);
    DELETE FROM salesflow.import_rejects AS r WHERE salesflow.gdpr_mentions(r.value, v_terms, v_phone_re);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_counts := v_counts || jsonb_build_object('import_rejects', v_n);
    UPDATE salesflow.import_batches AS b SET file_name = NULL WHERE salesflow.gdpr_mentions(b.file_name, v_terms_linked, v_phone_re);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_counts := v_counts || jsonb_build_object('import_batches_file_name_removed', v_n);

    UPDATE salesflow.gdpr_log AS g SET lead_id = NULL, lead_ref = v_ref WHERE g.lead_id = p_lead_id;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_counts := v_counts || jsonb_build_object('gdpr_log_exports_pseudonymised', v_n);

    DELETE FROM salesflow.leads AS l WHERE l.id = p_lead_id;
    -- its scores, next action and reply times at once (no foreign key: they would go only at the next drain) and
    -- the queue rows its rows' deletions just added (no foreign key: writers never wait on the queue)
    DELETE FROM salesflow.lead_next_actions AS x WHERE x.lead_id = p_lead_id;
    DELETE FROM salesflow.lead_scores AS x WHERE x.lead_id = p_lead_id;
    DELETE FROM salesflow.activity_answers AS x WHERE x.lead_id = p_lead_id;
    DELETE FROM salesflow.lead_reply_state AS x WHERE x.lead_id = p_lead_id;
    DELETE FROM salesflow.dirty_leads AS d WHERE d.lead_id = p_lead_id;

    -- nothing may be left in any table with a lead_id (a future table must be handled above)
    FOR v_table IN
        SELECT c.relname FROM pg_class AS c
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'lead_id' AND NOT a.attisdropped
        WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind = 'r'
        ORDER BY 1
    LOOP
        EXECUTE format('SELECT count(*) FROM salesflow.%I AS x WHERE x.lead_id::text IN ($1, $2)', v_table)
        INTO v_n USING p_lead_id::text, replace(p_lead_id::text, '-', '');
        IF v_n > 0 THEN
            RAISE EXCEPTION 'gdpr_erase: % row(s) of salesflow.% still refer to the lead', v_n, v_table
                USING ERRCODE = 'XX000', HINT = 'A table gdpr_erase does not know yet: handle it in gdpr_erase.sql. Nothing was erased.';
        END IF;
    END LOOP;

    -- the materialized views held its name and scores
    REFRESH MATERIALIZED VIEW CONCURRENTLY salesflow.view_followups_scored;
    REFRESH MATERIALIZED VIEW CONCURRENTLY salesflow.view_conversion_microsteps;
    REFRESH MATERIALIZED VIEW CONCURRENTLY salesflow.view_personality_insights;

    INSERT INTO salesflow.gdpr_log (request_id, action, lead_ref, actor_id, actor_role, reason, override_retention, counts, created_at)
    VALUES (
        v_request, p_action, v_ref, v_me,
        CASE WHEN v_me IS NULL THEN 'owner' ELSE (SELECT u.role FROM salesflow.users AS u WHERE u.id = v_me) END,
        btrim(p_reason), coalesce(p_override_retention, false), v_counts, v_now
    );
    DELETE FROM salesflow.gdpr_erasure_in_progress AS e WHERE e.txid = pg_current_xact_id();
    RETURN jsonb_build_object(
        'request_id', v_request, 'action', p_action, 'lead_ref', v_ref, 'erased_at', v_now, 'counts', v_counts,
        'legal_hold_until', v_hold, 'override_retention', coalesce(p_override_retention, false)
    );
END;
$$;
COMMENT ON FUNCTION salesflow.gdpr_erase(uuid, text, boolean, text) IS
'DSGVO Art. 17 erasure (admin only, 42501 otherwise): deletes the lead and everything derived, redacts compliance logs, '
'coaching turns and AI call rows about them, removes staged import rows; logs request id, who, reason, counts and the '
'keyed lead_ref in gdpr_log (no personal data). 22023 bad input, P0002 unknown lead, 55000 legal hold without override.';
