-- ============================================================================
-- import_leads: validate, normalise and upsert the leads staged in this transaction's batch
-- ============================================================================
-- One pass builds the normalised rows (pg_temp.import_lead_rows), one statement records every
-- problem in import_rejects, one upsert writes the good rows. A lead is recognised by
-- (source system, external id); without an id column its e-mail (else phone) is the id, so
-- re-importing a file is idempotent either way. Mode 'all' writes nothing when any row is
-- refused; 'skip_invalid' writes the rest; 'dry_run' only counts. Stages: p_stage_map, then
-- import_stage_map for the system, then for '*'; a won/lost stage_fallback (HubSpot's lifecycle
-- 'customer') wins over stage, else stage, else stage_fallback.
-- The caller may own leads for the users it sees (rep: itself, manager: team, admin: all);
-- an external id held by a lead it cannot see is refused, never updated; so is a restricted lead
-- (GDPR Art. 18: line refused with a reason, lead_is_processable).
CREATE OR REPLACE FUNCTION salesflow.import_leads(
    p_default_owner uuid DEFAULT NULL, p_stage_map jsonb DEFAULT NULL, p_owner_map jsonb DEFAULT NULL
)
RETURNS TABLE (created integer, updated integer, unchanged integer, rejected integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
SET work_mem = '128MB'  -- the window, UNION and hash steps over a whole file sort in memory
AS $$
DECLARE
    v_batch salesflow.import_batches := salesflow.import_batch_for_caller(ARRAY['leads', 'whatsapp']);
    v_me uuid := salesflow.require_identity();
    v_visible uuid [] := CASE WHEN v_me IS NOT NULL THEN coalesce(salesflow.visible_user_ids(), '{}') END;
    v_default uuid := coalesce(p_default_owner, v_me);
BEGIN
    IF p_stage_map IS NOT NULL AND jsonb_typeof(p_stage_map) <> 'object' THEN
        RAISE EXCEPTION 'p_stage_map must be a JSON object {"crm value": "stage"}, got %', jsonb_typeof(p_stage_map)
            USING ERRCODE = '22023', HINT = 'e.g. {"Closed Won": "won"}';
    END IF;
    IF p_owner_map IS NOT NULL AND jsonb_typeof(p_owner_map) <> 'object' THEN
        RAISE EXCEPTION 'p_owner_map must be a JSON object {"crm owner": "e-mail"}, got %', jsonb_typeof(p_owner_map)
            USING ERRCODE = '22023', HINT = 'e.g. {"0055g00000AbCdE": "anna@example.com"}';
    END IF;
    IF p_default_owner IS NOT NULL AND (v_visible IS NOT NULL AND NOT p_default_owner = ANY (v_visible)
                                        OR NOT EXISTS (SELECT 1 FROM salesflow.users AS u WHERE u.id = p_default_owner)) THEN
        RAISE EXCEPTION 'default owner % not found or not visible', p_default_owner
            USING ERRCODE = 'P0002', HINT = 'Reps import their own leads; managers their team''s; admins anyone''s.';
    END IF;

    DROP TABLE IF EXISTS pg_temp.import_lead_rows;
    CREATE TEMP TABLE import_lead_rows ON COMMIT DROP AS
    WITH s AS MATERIALIZED (
        SELECT st.*, coalesce(st.line, (st.row_no - min(st.row_no) OVER () + 2)::integer) AS at_line
        FROM salesflow.staged_leads AS st WHERE st.batch_id = v_batch.id AND st.staged_by = v_batch.db_role
    ),
    -- owners, countries and stages are resolved once per distinct value, not per row
    owners AS MATERIALIZED (
        SELECT d.raw, salesflow.import_owner(d.raw, p_owner_map, v_visible) AS user_id
        FROM (SELECT DISTINCT nullif(btrim(s.owner), '') AS raw FROM s) AS d WHERE d.raw IS NOT NULL
    ),
    countries AS MATERIALIZED (
        SELECT d.raw, c.code, c.language, c.timezone
        FROM (SELECT DISTINCT nullif(btrim(s.country), '') AS raw FROM s) AS d
        LEFT JOIN salesflow.countries AS c ON c.code = salesflow.import_country(d.raw)
        WHERE d.raw IS NOT NULL
    ),
    stages AS MATERIALIZED (
        SELECT d.raw, coalesce(
            p_stage_map ->> d.raw, p_stage_map ->> lower(d.raw),
            (SELECT x.stage FROM salesflow.import_stage_map AS x
             WHERE x.value = lower(d.raw) AND x.system IN (v_batch.source_system, '*')
             ORDER BY x.system = '*' LIMIT 1)
        ) AS stage
        FROM (SELECT DISTINCT btrim(v.raw) AS raw FROM s CROSS JOIN LATERAL unnest(ARRAY[s.stage, s.stage_fallback]) AS v (raw)
              WHERE nullif(btrim(v.raw), '') IS NOT NULL) AS d
    ),
    n AS (
        SELECT
            s.at_line AS line, s.row_no,
            coalesce(nullif(btrim(s.name), ''), nullif(btrim(concat_ws(' ', btrim(s.first_name), btrim(s.last_name))), '')) AS name,
            nullif(btrim(s.company), '') AS company,
            lower(nullif(btrim(regexp_replace(btrim(s.email), '^(mailto:)?<|>$', '', 'gi')), '')) AS email, s.email AS raw_email,
            salesflow.import_phone(s.phone) AS phone, s.phone AS raw_phone,
            nullif(btrim(s.owner), '') AS raw_owner,
            CASE WHEN nullif(btrim(s.owner), '') IS NULL THEN v_default ELSE o.user_id END AS user_id,
            nullif(btrim(s.stage), '') AS raw_stage, nullif(btrim(s.stage_fallback), '') AS raw_stage_fallback,
            CASE WHEN st2.stage IN ('won', 'lost') THEN st2.stage ELSE coalesce(st1.stage, st2.stage) END AS stage,
            coalesce(salesflow.import_slug(s.source), 'other') AS source, s.source AS raw_source,
            salesflow.import_slug(s.industry) AS industry, s.industry AS raw_industry,
            co.code AS country, nullif(btrim(s.country), '') AS raw_country, co.language AS country_language,
            co.timezone AS country_timezone,
            CASE WHEN lower(btrim(s.language)) ~ '^(de|deu|ger|deutsch|german)([-_].*)?$' THEN 'de'
                 WHEN lower(btrim(s.language)) ~ '^(en|eng|englisch|english)([-_].*)?$' THEN 'en' END AS language,
            nullif(btrim(s.language), '') AS raw_language,
            nullif(btrim(s.timezone), '') AS raw_timezone,
            CASE WHEN btrim(s.deal_value) ~ '^\d{1,10}(\.\d{1,2})?$' THEN btrim(s.deal_value)::numeric(12, 2) END AS deal_value,
            nullif(btrim(s.deal_value), '') AS raw_deal_value,
            nullif(btrim(s.created_at), '') AS raw_created_at, nullif(btrim(s.closed_at), '') AS raw_closed_at,
            CASE WHEN lower(btrim(s.consent)) IN ('1', 'true', 't', 'yes', 'y', 'ja', 'j', 'x', 'wahr') THEN true
                 WHEN lower(btrim(s.consent)) IN ('0', 'false', 'f', 'no', 'n', 'nein', 'falsch') THEN false END AS consent,
            nullif(btrim(s.consent), '') AS raw_consent,
            nullif(btrim(s.lost_reason), '') AS lost_reason,
            nullif(btrim(s.external_id), '') AS given_id
        FROM s
        LEFT JOIN owners AS o ON o.raw = nullif(btrim(s.owner), '')
        LEFT JOIN countries AS co ON co.raw = nullif(btrim(s.country), '')
        LEFT JOIN stages AS st1 ON st1.raw = btrim(s.stage)
        LEFT JOIN stages AS st2 ON st2.raw = btrim(s.stage_fallback)
    ),
    z AS (
        SELECT n.*,
               coalesce(n.language, n.country_language, 'de') AS eff_language,
               coalesce(n.raw_timezone, n.country_timezone, u.timezone, 'Europe/Berlin') AS eff_timezone,
               coalesce(n.given_id, 'email:' || n.email, 'phone:' || n.phone) AS external_id,
               salesflow.is_valid_timezone(coalesce(n.raw_timezone, n.country_timezone, u.timezone, 'Europe/Berlin')) AS tz_ok
        FROM n
        LEFT JOIN salesflow.users AS u ON u.id = n.user_id
    )
    SELECT z.*,
           CASE WHEN z.tz_ok THEN salesflow.import_timestamp(z.raw_created_at, z.eff_timezone) END AS created_at,
           CASE WHEN z.tz_ok THEN salesflow.import_timestamp(z.raw_closed_at, z.eff_timezone) END AS closed_at,
           min(z.line) OVER (PARTITION BY z.external_id) AS first_line,
           l.id AS existing_id, l.user_id AS existing_owner,
           l.id IS NOT NULL AND NOT salesflow.lead_is_processable(l) AS existing_restricted
    FROM z
    LEFT JOIN salesflow.leads AS l ON l.external_system = v_batch.source_system AND l.external_id = z.external_id;

    INSERT INTO salesflow.import_rejects (batch_id, line, field, value, reason)
    SELECT v_batch.id, r.line, p.field, left(p.value, 200), p.reason
    FROM pg_temp.import_lead_rows AS r
    CROSS JOIN LATERAL (VALUES
        (r.name IS NULL, 'name', NULL, 'no name: give name, or first and last name'),
        (r.email IS NOT NULL AND r.email !~ '^[^@\s]+@[^@\s]+\.[^@\s.]+$', 'email', r.raw_email, 'not an e-mail address'),
        (r.phone IS NOT NULL AND r.phone !~ '^\+?[0-9]{4,20}$', 'phone', r.raw_phone, 'not a phone number'),
        (r.user_id IS NULL AND r.raw_owner IS NOT NULL, 'owner', r.raw_owner,
         'no salesflow user you may see has this e-mail or name (CRM owner ids: --owner-map ID=E-MAIL)'),
        (r.user_id IS NULL AND r.raw_owner IS NULL, 'owner', NULL, 'no owner: pass a default owner (--owner)'),
        (r.stage IS NULL AND coalesce(r.raw_stage, r.raw_stage_fallback) IS NOT NULL, 'stage',
         concat_ws(' / ', r.raw_stage, r.raw_stage_fallback),
         'unknown stage: map it (--stage-map "VALUE=won") or add it to salesflow.import_stage_map'),
        (r.source !~ '^[a-z][a-z0-9_]{1,39}$', 'source', r.raw_source, 'not usable as a source (2-40 letters/digits)'),
        (r.industry IS NOT NULL AND r.industry !~ '^[a-z][a-z0-9_]{1,39}$', 'industry', r.raw_industry,
         'not usable as an industry (2-40 letters/digits)'),
        (r.raw_country IS NOT NULL AND r.country IS NULL, 'country', r.raw_country, 'unknown country (name or ISO code)'),
        (r.raw_language IS NOT NULL AND r.language IS NULL, 'language', r.raw_language, 'salesflow speaks de or en'),
        (NOT r.tz_ok, 'timezone', r.raw_timezone, 'not an IANA time zone (e.g. Europe/Berlin)'),
        (r.raw_deal_value IS NOT NULL AND r.deal_value IS NULL, 'deal_value', r.raw_deal_value,
         'not an amount (digits with a decimal point, at most 2 decimals)'),
        (r.tz_ok AND r.raw_created_at IS NOT NULL AND r.created_at IS NULL, 'created_at', r.raw_created_at, 'not a date (ISO 8601)'),
        (r.tz_ok AND r.raw_closed_at IS NOT NULL AND r.closed_at IS NULL, 'closed_at', r.raw_closed_at, 'not a date (ISO 8601)'),
        (r.raw_consent IS NOT NULL AND r.consent IS NULL, 'consent', r.raw_consent, 'not yes/no'),
        (r.external_id IS NULL, 'external_id', NULL, 'no id, e-mail or phone to recognise the lead by on the next import'),
        (length(r.external_id) > 200, 'external_id', left(r.external_id, 60), 'longer than 200 characters'),
        (r.line > r.first_line, 'external_id', r.external_id, 'the same lead is already on line ' || r.first_line),
        (r.existing_id IS NOT NULL AND v_visible IS NOT NULL AND NOT r.existing_owner = ANY (v_visible), 'external_id',
         r.external_id, 'belongs to a lead you may not see'),
        (r.existing_restricted AND (v_visible IS NULL OR r.existing_owner = ANY (v_visible)), 'external_id', r.external_id,
         'the lead is restricted (GDPR Art. 18): an import may not update it (an admin lifts it: salesflow gdpr unrestrict)')
    ) AS p (failed, field, value, reason)
    WHERE p.failed;

    SELECT count(DISTINCT j.line)::integer INTO rejected FROM salesflow.import_rejects AS j WHERE j.batch_id = v_batch.id;
    created := 0;
    updated := 0;
    unchanged := 0;
    IF v_batch.mode = 'dry_run' OR (v_batch.mode = 'all' AND rejected > 0) THEN
        SELECT count(*) FILTER (WHERE r.existing_id IS NULL)::integer, count(*) FILTER (WHERE r.existing_id IS NOT NULL)::integer
        INTO created, updated
        FROM pg_temp.import_lead_rows AS r
        WHERE NOT EXISTS (SELECT 1 FROM salesflow.import_rejects AS j WHERE j.batch_id = v_batch.id AND j.line = r.line);
        -- dry run: "would create / would match"; nothing is written either way
    ELSE
        -- the consent history (trigger leads_consent_history_*) records the import as the source
        PERFORM set_config('salesflow.consent_source', CASE WHEN v_batch.kind = 'whatsapp' THEN 'whatsapp' ELSE 'import' END, true);
        WITH up AS (
            INSERT INTO salesflow.leads AS l (
                user_id, name, company, email, phone, source, industry, country, language, timezone, stage,
                deal_value, consent, consent_at, closed_at, created_at, origin, external_system, external_id, import_batch_id
            )
            SELECT r.user_id, r.name, r.company, r.email, r.phone, r.source, r.industry, r.country, r.eff_language,
                   r.eff_timezone, coalesce(r.stage, 'new'), r.deal_value, coalesce(r.consent, false),
                   CASE WHEN r.consent THEN now() END, r.closed_at, coalesce(r.created_at, now()), 'import',
                   v_batch.source_system, r.external_id, v_batch.id
            FROM pg_temp.import_lead_rows AS r
            WHERE NOT EXISTS (SELECT 1 FROM salesflow.import_rejects AS j WHERE j.batch_id = v_batch.id AND j.line = r.line)
            ON CONFLICT (external_system, external_id) DO UPDATE
            SET user_id = excluded.user_id, name = excluded.name,
                company = coalesce(excluded.company, l.company), email = coalesce(excluded.email, l.email),
                phone = coalesce(excluded.phone, l.phone), source = excluded.source,
                industry = coalesce(excluded.industry, l.industry), country = coalesce(excluded.country, l.country),
                language = excluded.language, timezone = excluded.timezone,
                stage = CASE WHEN excluded.stage = 'new' AND l.stage <> 'new' THEN l.stage ELSE excluded.stage END,
                deal_value = coalesce(excluded.deal_value, l.deal_value),
                consent = excluded.consent OR l.consent, consent_at = coalesce(l.consent_at, excluded.consent_at),
                closed_at = coalesce(excluded.closed_at, l.closed_at), import_batch_id = excluded.import_batch_id
            WHERE (l.user_id, l.name, l.company, l.email, l.phone, l.source, l.industry, l.country, l.language,
                   l.timezone, l.stage, l.deal_value, l.consent, l.closed_at)
                  IS DISTINCT FROM
                  (excluded.user_id, excluded.name, coalesce(excluded.company, l.company), coalesce(excluded.email, l.email),
                   coalesce(excluded.phone, l.phone), excluded.source, coalesce(excluded.industry, l.industry),
                   coalesce(excluded.country, l.country), excluded.language, excluded.timezone,
                   CASE WHEN excluded.stage = 'new' AND l.stage <> 'new' THEN l.stage ELSE excluded.stage END,
                   coalesce(excluded.deal_value, l.deal_value), excluded.consent OR l.consent,
                   coalesce(excluded.closed_at, l.closed_at))
            RETURNING (l.xmax = 0) AS is_new
        )
        SELECT count(*) FILTER (WHERE up.is_new)::integer, count(*) FILTER (WHERE NOT up.is_new)::integer
        INTO created, updated FROM up;
        PERFORM set_config('salesflow.consent_source', '', true);
        SELECT count(*)::integer - created - updated INTO unchanged
        FROM pg_temp.import_lead_rows AS r
        WHERE NOT EXISTS (SELECT 1 FROM salesflow.import_rejects AS j WHERE j.batch_id = v_batch.id AND j.line = r.line);
    END IF;
    DELETE FROM salesflow.staged_leads AS st WHERE st.batch_id = v_batch.id;
    UPDATE salesflow.import_batches AS b
    SET counts = b.counts || jsonb_build_object('leads', jsonb_build_object(
        'created', created, 'updated', updated, 'unchanged', unchanged, 'rejected', rejected))
    WHERE b.id = v_batch.id;
    RETURN NEXT;
END;
$$;
COMMENT ON FUNCTION salesflow.import_leads(uuid, jsonb, jsonb) IS
'Validate, normalise and upsert the staged leads of this transaction''s import (default owner, stage map, owner map); returns counts.';
