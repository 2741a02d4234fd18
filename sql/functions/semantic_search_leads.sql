-- ============================================================================
-- semantic_search_leads: the leads nearest to a query embedding (pgvector module)
-- ============================================================================
-- requires-extension: vector
-- The vector type in the signature resolves through the deploying session's search_path (public,
-- or extensions on Supabase). The body qualifies type and operator with the extension's schema,
-- and casts to the fixed dimension so the partial HNSW expression indexes of 0003 are used
-- (1536 and 768; other sizes are searched exactly). One row per lead: its best-matching text.
-- SECURITY INVOKER: RLS applies; with an identity set, rows are also limited to visible_user_ids().
CREATE OR REPLACE FUNCTION salesflow.semantic_search_leads(
    p_query_embedding vector, p_limit integer DEFAULT 10, p_model text DEFAULT NULL
)
RETURNS TABLE (lead_id uuid, lead_name text, source text, content text, similarity double precision)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_schema text;
    v_dims integer;
    v_visible uuid [];
BEGIN
    IF p_query_embedding IS NULL THEN
        RAISE EXCEPTION 'p_query_embedding must not be NULL'
            USING ERRCODE = '22023', HINT = 'Pass the embedding of the search text.';
    END IF;
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'p_limit % is out of range', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Use 1 to 200.';
    END IF;
    PERFORM salesflow.check_text_length('p_model', p_model, 200, 'Pass the embedding model name, or NULL for all models.');
    SELECT n.nspname INTO v_schema
    FROM pg_extension AS e INNER JOIN pg_namespace AS n ON e.extnamespace = n.oid
    WHERE e.extname = 'vector';
    v_dims := cardinality(p_query_embedding::real []);
    IF salesflow.require_identity() IS NOT NULL THEN
        v_visible := coalesce(salesflow.visible_user_ids(), '{}'::uuid []);
    END IF;
    -- pgvector >= 0.8: keep scanning the HNSW graph until enough rows pass the filters.
    BEGIN
        PERFORM set_config('hnsw.iterative_scan', 'relaxed_order', true);
    EXCEPTION WHEN OTHERS THEN
        NULL;
    END;
    PERFORM set_config('hnsw.ef_search', greatest(40, least(1000, p_limit * 8))::text, true);
    RETURN QUERY EXECUTE format(
        $q$
        WITH hits AS (
            SELECT e.lead_id, e.source, e.content,
                   (e.embedding::%1$I.vector(%2$s)) OPERATOR(%1$I.<=>) ($1::%1$I.vector(%2$s)) AS distance
            FROM salesflow.lead_embeddings AS e
            WHERE e.dimensions = %2$s
              AND ($2::text IS NULL OR e.model = $2)
              AND ($3::uuid[] IS NULL OR e.user_id = ANY ($3))
            ORDER BY distance
            LIMIT $4 * 4
        ), best AS (
            SELECT DISTINCT ON (h.lead_id) h.lead_id, h.source, h.content, h.distance
            FROM hits AS h
            ORDER BY h.lead_id, h.distance
        )
        SELECT b.lead_id, l.name, b.source, left(b.content, 240), (1 - b.distance)::double precision
        FROM best AS b INNER JOIN salesflow.leads AS l ON l.id = b.lead_id
        WHERE salesflow.lead_is_processable(l)  -- restricted leads (GDPR Art. 18) are not searched
        ORDER BY b.distance, b.lead_id
        LIMIT $4
        $q$,
        v_schema, v_dims
    ) USING p_query_embedding, p_model, v_visible, p_limit;
END;
$$;
COMMENT ON FUNCTION salesflow.semantic_search_leads(vector, integer, text) IS
'Semantic search: visible leads nearest (cosine) to p_query_embedding (p_limit 1-200, optionally only embeddings of p_model); '
'one row per lead with its best text snippet and similarity.';
