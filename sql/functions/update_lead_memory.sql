-- ============================================================================
-- update_lead_memory: AUTO-MEMORY write-back — upsert the lead's context summary
-- ============================================================================
-- One row per lead: version + 1 on every write, is_stale = false, stale_since = NULL.
-- The activity trigger (analytics) turns is_stale back on when something new happens.
CREATE OR REPLACE FUNCTION salesflow.update_lead_memory(
    p_lead_id uuid,
    p_summary text,
    p_key_facts jsonb DEFAULT '{}',
    p_pain_points jsonb DEFAULT '[]',
    p_objections jsonb DEFAULT '[]',
    p_next_steps jsonb DEFAULT '[]',
    p_input_hash text DEFAULT NULL,
    p_model text DEFAULT NULL,
    p_prompt_version text DEFAULT NULL
)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
    v_version integer;
BEGIN
    IF p_summary IS NULL OR btrim(p_summary) = '' THEN
        RAISE EXCEPTION 'p_summary must not be empty, got %', coalesce(quote_literal(p_summary), 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass a short prose summary of the lead''s situation.';
    END IF;
    PERFORM salesflow.check_text_length('p_summary', p_summary, 20000, 'Summaries are meant to be short; keep details in key facts.', false);
    PERFORM salesflow.check_jsonb('p_key_facts', p_key_facts, 'object', NULL, 'Pass facts as {"name": "value"}, e.g. {"budget": "500 EUR"}.');
    PERFORM salesflow.check_jsonb(a.arg, a.val, 'array', NULL, 'Pass a list, e.g. ["too expensive"] (or [] for none).')
    FROM (VALUES ('p_pain_points', p_pain_points), ('p_objections', p_objections), ('p_next_steps', p_next_steps)) AS a (arg, val);
    IF p_input_hash IS NOT NULL AND (btrim(p_input_hash) = '' OR length(p_input_hash) > 200) THEN
        RAISE EXCEPTION 'p_input_hash must be a non-empty hash of at most 200 characters, got %', quote_literal(left(p_input_hash, 40))
            USING ERRCODE = '22023', HINT = 'Pass e.g. the sha256 hex of the messages the summary was made from, or NULL.';
    END IF;
    PERFORM salesflow.check_text_length('p_model', p_model, 200, 'Pass the model name, e.g. gpt-4o-mini, or NULL.');
    PERFORM salesflow.check_text_length('p_prompt_version', p_prompt_version, 200, 'Pass a prompt version label such as v1, or NULL.');
    IF length(p_key_facts::text) + length(p_pain_points::text) + length(p_objections::text) + length(p_next_steps::text) > 100000 THEN
        RAISE EXCEPTION 'p_key_facts, p_pain_points, p_objections and p_next_steps are % characters of JSON together (at most 100000)',
            length(p_key_facts::text) + length(p_pain_points::text) + length(p_objections::text) + length(p_next_steps::text)
            USING ERRCODE = '22023', HINT = 'Memory is a digest: keep facts and lists short.';
    END IF;
    v_lead := salesflow.lead_for_caller(p_lead_id);
    PERFORM salesflow.require_lead_processable(v_lead, 'updating its AI memory');  -- GDPR Art. 18: 55000 when restricted

    INSERT INTO salesflow.lead_context_summaries AS s (
        lead_id, user_id, summary, key_facts, pain_points, objections, next_steps,
        input_hash, is_stale, version, model, prompt_version, stale_since
    )
    VALUES (
        v_lead.id, v_lead.user_id, p_summary, p_key_facts, p_pain_points, p_objections, p_next_steps,
        p_input_hash, false, 1, p_model, p_prompt_version, NULL
    )
    ON CONFLICT (lead_id) DO UPDATE
        SET summary = excluded.summary,
            key_facts = excluded.key_facts,
            pain_points = excluded.pain_points,
            objections = excluded.objections,
            next_steps = excluded.next_steps,
            input_hash = excluded.input_hash,
            is_stale = false,
            stale_since = NULL,
            version = s.version + 1,
            model = excluded.model,
            prompt_version = excluded.prompt_version,
            updated_at = now()
    RETURNING s.version INTO v_version;
    RETURN v_version;
END;
$$;
COMMENT ON FUNCTION salesflow.update_lead_memory(uuid, text, jsonb, jsonb, jsonb, jsonb, text, text, text) IS
'AUTO-MEMORY: upsert the lead''s context summary (lead, summary, key_facts object, pain_points/objections/next_steps '
'arrays, input_hash, model, prompt_version); returns the new version, clears the stale flag.';
