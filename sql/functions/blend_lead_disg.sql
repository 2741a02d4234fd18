-- ============================================================================
-- blend_lead_disg: a lead's stored DISG profiles blended into one (the formula, once)
-- ============================================================================
-- weight = source weight (questionnaire 1.0, manual 0.9, ai 0.8, heuristic 0.4)
--          x confidence (at least 0.01) x recency 0.5^(age_days / 180), the latest 50 profiles;
-- score_t = sum(weight * score_t) / sum(weight); types from the rounded blended scores
-- (ties D, I, S, G); confidence = 1 - prod(1 - source weight x confidence x recency), the
-- chance that at least one source is right; sources = the profiles with their share of the
-- weight. No profile: no row.
-- Internal, no access check: get_lead_disg checks the caller may see the lead; the contact
-- windows (best_contact_windows) read only the primary type. LANGUAGE sql without SET clauses,
-- so it is inlined there (a plpgsql call with its access check cost ~0.2 ms per lead).
CREATE OR REPLACE FUNCTION salesflow.blend_lead_disg(p_lead_id uuid)
RETURNS TABLE (
    primary_type text,
    secondary_type text,
    d_score numeric,
    i_score numeric,
    s_score numeric,
    g_score numeric,
    confidence numeric,
    sources jsonb
)
LANGUAGE sql
STABLE
AS $$
WITH prof AS (
    SELECT
        p.id, p.source, p.confidence AS conf, p.primary_type AS ptype, p.created_at,
        p.d_score AS d, p.i_score AS i, p.s_score AS s, p.g_score AS g,
        CASE p.source WHEN 'questionnaire' THEN 1.0 WHEN 'manual' THEN 0.9 WHEN 'ai' THEN 0.8 ELSE 0.4 END
        * power(0.5, greatest(extract(EPOCH FROM now() - p.created_at), 0) / 86400.0 / 180) AS base_w
    FROM salesflow.personality_profiles AS p
    WHERE p.lead_id = p_lead_id
    ORDER BY p.created_at DESC
    LIMIT 50
),
w AS (
    SELECT
        prof.*,
        prof.base_w * greatest(prof.conf, 0.01) AS wt,
        sum(prof.base_w * greatest(prof.conf, 0.01)) OVER () AS total_w
    FROM prof
),
blend AS (
    SELECT
        sum(w.wt * w.d) / sum(w.wt) AS d,
        sum(w.wt * w.i) / sum(w.wt) AS i,
        sum(w.wt * w.s) / sum(w.wt) AS s,
        sum(w.wt * w.g) / sum(w.wt) AS g,
        1 - exp(sum(ln(greatest(1 - least(w.base_w * w.conf, 0.999999), 1e-9)))) AS conf,
        jsonb_agg(jsonb_build_object(
            'profile_id', w.id, 'source', w.source, 'confidence', w.conf, 'primary_type', w.ptype,
            'weight', round(w.wt / w.total_w, 3), 'created_at', w.created_at
        ) ORDER BY w.wt DESC) AS src
    FROM w
    HAVING count(*) > 0
)
SELECT
    salesflow.disg_type_at(round(b.d)::integer, round(b.i)::integer, round(b.s)::integer, round(b.g)::integer, 1)::text,
    salesflow.disg_type_at(round(b.d)::integer, round(b.i)::integer, round(b.s)::integer, round(b.g)::integer, 2)::text,
    round(b.d, 1), round(b.i, 1), round(b.s, 1), round(b.g, 1), round(b.conf, 2), b.src
FROM blend AS b;
$$;
COMMENT ON FUNCTION salesflow.blend_lead_disg(uuid) IS
'Internal: the blended DISG profile of a lead (types, scores, confidence, sources); no row when unprofiled; no access check.';
