-- ============================================================================
-- gdpr_export: everything salesflow stores about a person (Art. 15 DSGVO), as one document
-- ============================================================================
-- Visibility as lead_for_caller: reps export their own leads, managers their team's, admins
-- and the owner all (P0002 otherwise). "tables" holds the rows of every table with a lead_id
-- column, found in the catalog (a new table is included without touching this function;
-- vectors are left out, their metadata stays), plus the coaching sessions whose text names the
-- lead. "import_origin": origin, external system and id, and the import batch row.
-- "current_assessment": get_lead_intelligence (health score, win probability and factors,
-- DISG). "information": purposes, categories, recipients, storage periods, source and the
-- logic of the scoring in the lead's language (gdpr_information). Every export is logged in
-- gdpr_log (action export, lead id, who, counts).
CREATE OR REPLACE FUNCTION salesflow.gdpr_export(p_lead_id uuid)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads := salesflow.lead_for_caller(p_lead_id);
    v_me uuid := salesflow.require_identity();
    v_terms text[];
    v_tables jsonb := '{}'::jsonb;
    v_counts jsonb := '{}'::jsonb;
    v_rows jsonb;
    v_table text;
    v_request uuid := gen_random_uuid();
    v_batch jsonb;
BEGIN
    v_terms := salesflow.gdpr_lead_terms(v_lead, false);
    FOR v_table IN
        SELECT c.relname FROM pg_class AS c
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'lead_id' AND NOT a.attisdropped
        WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind = 'r'
        ORDER BY 1
    LOOP
        IF v_table = 'ai_coaching_sessions' THEN
            SELECT coalesce(jsonb_agg(to_jsonb(s) ORDER BY s.id), '[]'::jsonb) INTO v_rows
            FROM salesflow.ai_coaching_sessions AS s
            WHERE s.lead_id = p_lead_id OR salesflow.gdpr_mentions(s.messages::text, v_terms, salesflow.gdpr_phone_regex(v_lead.phone));
        ELSE
            EXECUTE format(
                'SELECT coalesce(jsonb_agg(to_jsonb(x) - ''embedding'' ORDER BY x::text), ''[]''::jsonb) '
                || 'FROM salesflow.%I AS x WHERE x.lead_id::text = $1', v_table
            ) INTO v_rows USING p_lead_id::text;
        END IF;
        v_tables := v_tables || jsonb_build_object(v_table, v_rows);
        v_counts := v_counts || jsonb_build_object(v_table, jsonb_array_length(v_rows));
    END LOOP;
    SELECT to_jsonb(b) INTO v_batch FROM salesflow.import_batches AS b WHERE b.id = v_lead.import_batch_id;

    INSERT INTO salesflow.gdpr_log (request_id, action, lead_id, actor_id, actor_role, counts)
    VALUES (
        v_request, 'export', p_lead_id, v_me,
        CASE WHEN v_me IS NULL THEN 'owner' ELSE (SELECT u.role FROM salesflow.users AS u WHERE u.id = v_me) END,
        v_counts
    );
    RETURN jsonb_build_object(
        'request_id', v_request,
        'generated_at', now(),
        'language', v_lead.language,
        'lead', to_jsonb(v_lead),
        'import_origin', jsonb_build_object(
            'origin', v_lead.origin, 'external_system', v_lead.external_system, 'external_id', v_lead.external_id,
            'import_batch', v_batch
        ),
        'tables', v_tables,
        'row_counts', v_counts,
        'current_assessment', salesflow.get_lead_intelligence(p_lead_id),
        'information', salesflow.gdpr_information(v_lead.language)
    );
END;
$$;
COMMENT ON FUNCTION salesflow.gdpr_export(uuid) IS
'DSGVO Art. 15 access export (reps: own leads, managers: team, admins: all; P0002 otherwise): one jsonb with the lead, '
'the rows of every table with a lead_id (from the catalog, vectors left out), coaching sessions naming the lead, import '
'origin, the current scores and the Art. 15 information in the lead''s language. Logged in gdpr_log.';
