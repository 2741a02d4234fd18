-- ============================================================================
-- 0003 pgvector module: embedding columns and HNSW indexes for semantic search
-- ============================================================================
-- requires-extension: vector
-- Skipped on servers without pgvector (deploy says so); applied by a later deploy once it exists.

CREATE EXTENSION IF NOT EXISTS vector;

-- The extension may live in any schema (public, extensions on Supabase): qualify the type.
DO $$
DECLARE
    v_schema text := (
        SELECT n.nspname FROM pg_extension AS e JOIN pg_namespace AS n ON e.extnamespace = n.oid
        WHERE e.extname = 'vector'
    );
BEGIN
    EXECUTE format('ALTER TABLE salesflow.lead_embeddings ADD COLUMN embedding %I.vector NOT NULL', v_schema);
    EXECUTE format('ALTER TABLE salesflow.lead_context_summaries ADD COLUMN embedding %I.vector', v_schema);
    -- HNSW needs a fixed dimension: one partial expression index per common embedding size
    -- (1536: OpenAI text-embedding-3-small; 768: nomic-embed-text and most local models).
    EXECUTE format(
        'CREATE INDEX lead_embeddings_hnsw_1536_idx ON salesflow.lead_embeddings '
        'USING hnsw ((embedding::%1$I.vector(1536)) %1$I.vector_cosine_ops) WHERE dimensions = 1536',
        v_schema
    );
    EXECUTE format(
        'CREATE INDEX lead_embeddings_hnsw_768_idx ON salesflow.lead_embeddings '
        'USING hnsw ((embedding::%1$I.vector(768)) %1$I.vector_cosine_ops) WHERE dimensions = 768',
        v_schema
    );
END;
$$;
