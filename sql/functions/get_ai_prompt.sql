-- ============================================================================
-- get_ai_prompt: the prompt the AI commands use for (key, language): an active override
-- when one exists, else the shipped default; highest version inside each origin
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.get_ai_prompt(p_key text, p_language text)
RETURNS TABLE (
    prompt_key text,
    language text,
    version integer,
    origin text,
    version_label text,
    title text,
    system_prompt text,
    user_template text,
    schema_name text,
    json_schema jsonb,
    temperature numeric
)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF p_language IS NULL OR p_language NOT IN ('de', 'en') THEN
        RAISE EXCEPTION 'p_language % is not a supported language', coalesce(quote_literal(p_language), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use ''de'' or ''en''.';
    END IF;
    IF p_key IS NULL OR length(p_key) > 200 THEN
        RAISE EXCEPTION 'p_key must be a prompt key of at most 200 characters, got %', coalesce(quote_literal(left(p_key, 60)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Known keys: SELECT DISTINCT prompt_key FROM salesflow.ai_prompts.';
    END IF;
    RETURN QUERY
    SELECT p.prompt_key, p.language, p.version, p.origin,
           'v' || p.version || CASE WHEN p.origin = 'override' THEN '-override' ELSE '' END,
           p.title, p.system_prompt, p.user_template, p.schema_name, p.json_schema, p.temperature
    FROM salesflow.ai_prompts AS p
    WHERE p.prompt_key = p_key AND p.language = p_language AND p.is_active
    ORDER BY (p.origin = 'override') DESC, p.version DESC
    LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'prompt % (language %) not found', quote_literal(p_key), p_language
            USING ERRCODE = 'P0002',
                  HINT = 'Known keys: SELECT DISTINCT prompt_key FROM salesflow.ai_prompts; redeploy to restore the shipped defaults.';
    END IF;
END;
$$;
COMMENT ON FUNCTION salesflow.get_ai_prompt(text, text) IS
'The prompt for (p_key, p_language de|en): the active override row if any, else the builtin default (highest version); version_label like v1 or v2-override.';
