-- ============================================================================
-- store_lead_embedding: keep one embedding per (lead, source, text, model) (pgvector module)
-- ============================================================================
-- requires-extension: vector
-- A 'summary' embedding replaces the lead's older summary embeddings of the same model and is
-- also written to lead_context_summaries.embedding.
CREATE OR REPLACE FUNCTION salesflow.store_lead_embedding(
    p_lead_id uuid, p_source text, p_content text, p_model text, p_embedding vector, p_source_id bigint DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_owner uuid;
    v_id bigint;
BEGIN
    IF p_source IS NULL OR p_source NOT IN ('summary', 'message', 'note') THEN
        RAISE EXCEPTION 'p_source % is not an embedding source', coalesce(quote_literal(p_source), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use summary, message or note.';
    END IF;
    IF p_content IS NULL OR btrim(p_content) = '' OR p_model IS NULL OR p_embedding IS NULL THEN
        RAISE EXCEPTION 'p_content, p_model and p_embedding are required'
            USING ERRCODE = '22023', HINT = 'Pass the embedded text, the embedding model and the vector.';
    END IF;
    -- p_model is part of a unique index (row limit ~2.7 kB): cap it well below, with 22023 not 54000
    PERFORM salesflow.check_text_length('p_model', p_model, 200, 'Pass the embedding model name, e.g. text-embedding-3-small.');
    PERFORM salesflow.check_text_length('p_content', p_content, 100000, 'Embed a summary or one message, not a whole export.');
    SELECT l.user_id INTO v_owner
    FROM salesflow.leads AS l
    WHERE
        l.id = p_lead_id
        AND (salesflow.require_identity() IS NULL OR l.user_id = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid [])));
    IF v_owner IS NULL THEN
        RAISE EXCEPTION 'lead % not found or not visible', coalesce(p_lead_id::text, 'NULL')
            USING ERRCODE = 'P0002', HINT = 'Check the lead id and who you act as.';
    END IF;
    -- GDPR Art. 18: a restricted lead is not embedded (55000)
    PERFORM salesflow.require_lead_processable(l, 'embedding it for semantic search')
    FROM salesflow.leads AS l WHERE l.id = p_lead_id;
    INSERT INTO salesflow.lead_embeddings (
        lead_id, user_id, source, source_id, content, content_sha256, model, dimensions, embedding
    ) VALUES (
        p_lead_id, v_owner, p_source, p_source_id, p_content, encode(sha256(convert_to(p_content, 'UTF8')), 'hex'),
        p_model, cardinality(p_embedding::real []), p_embedding
    )
    ON CONFLICT ON CONSTRAINT lead_embeddings_lead_id_source_content_sha256_model_key DO UPDATE
    SET embedding = excluded.embedding, dimensions = excluded.dimensions, source_id = excluded.source_id, created_at = now()
    RETURNING id INTO v_id;
    IF p_source = 'summary' THEN
        DELETE FROM salesflow.lead_embeddings AS e
        WHERE e.lead_id = p_lead_id AND e.source = 'summary' AND e.model = p_model AND e.id <> v_id;
        UPDATE salesflow.lead_context_summaries AS s SET embedding = p_embedding WHERE s.lead_id = p_lead_id;
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.store_lead_embedding(uuid, text, text, text, vector, bigint) IS
'Stores an embedding of a lead text (p_source summary|message|note, p_content, p_model, p_embedding); '
'a summary replaces older ones and fills lead_context_summaries.embedding; returns the row id. '
'22023: bad source, missing or too long content (> 100,000 characters) or model (> 200); P0002: unknown or invisible lead.';
