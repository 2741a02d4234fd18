-- ============================================================================
-- conversion_fold_logits: naive Bayes logits of closed leads from models that never saw them
-- ============================================================================
-- Each closed lead goes to a group by a hash of its id: held out (fold -1) when
-- hash % 100 < p_test_percent, else one of p_folds training folds (a second hash). A lead is scored
-- by the naive Bayes of learn_success_patterns (same seven features, nb_log_likelihood_ratio)
-- trained on the training leads outside its group: held-out leads by all training leads,
-- training leads out-of-fold. Counts are the scope's training counts minus the group's own, so
-- it costs one pass, not one per fold, and each ratio is computed once per (scope, group, value). K (distinct values + 1) is that of all training leads.
-- Two scopes per lead: global, and its team when the team has >= 30 training closed leads
-- (team_logit NULL otherwise), as predict_conversion chooses. One row per team, group and
-- feature combination, with its won and lost leads: what fit_platt and
-- evaluate_conversion_model need, never one row per lead.
-- requires: nb_log_likelihood_ratio, closed_lead_features
CREATE OR REPLACE FUNCTION salesflow.conversion_fold_logits(p_test_percent integer, p_folds integer DEFAULT 5)
RETURNS TABLE (
    team_id uuid, fold integer, won integer, lost integer, global_logit double precision, team_logit double precision
)
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    WITH closed AS (
        SELECT
            f.team_id,
            CASE
                WHEN abs(hashtextextended(f.lead_id::text, 0)) % 100 < p_test_percent THEN -1
                ELSE (abs(hashtextextended(f.lead_id::text, 1)) % p_folds)::integer
            END AS fold,
            f.source,
            f.first_channel,
            f.industry,
            f.disg_type,
            f.bant_light,
            f.country,
            f.language,
            count(*) FILTER (WHERE f.is_won)::integer AS won,
            count(*) FILTER (WHERE NOT f.is_won)::integer AS lost
        FROM salesflow.closed_lead_features() AS f
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ),
    combos AS (
        SELECT row_number() OVER () AS combo, c.* FROM closed AS c
    ),
    unpivoted AS (
        SELECT c.combo, c.team_id, c.fold, c.won, c.lost, f.feature, f.value
        FROM combos AS c
        CROSS JOIN LATERAL (
            VALUES
            ('source', c.source), ('first_channel', c.first_channel), ('industry', c.industry), ('disg_type', c.disg_type),
            ('bant_light', c.bant_light), ('country', c.country), ('language', c.language)
        ) AS f (feature, value)
    ),
    fold_counts AS (
        -- training counts per scope (a team, or the zero uuid for global), fold and value
        SELECT
            CASE WHEN grouping(u.team_id) = 1 THEN '00000000-0000-0000-0000-000000000000'::uuid ELSE u.team_id END AS scope_key,
            u.fold,
            u.feature,
            u.value,
            sum(u.won) AS w,
            sum(u.lost) AS l
        FROM unpivoted AS u
        WHERE u.fold >= 0
        GROUP BY GROUPING SETS ((u.team_id, u.fold, u.feature, u.value), (u.fold, u.feature, u.value))
    ),
    value_counts AS (
        SELECT fc.scope_key, fc.feature, fc.value, sum(fc.w) AS w, sum(fc.l) AS l
        FROM fold_counts AS fc
        WHERE fc.scope_key IS NOT NULL
        GROUP BY fc.scope_key, fc.feature, fc.value
    ),
    k AS (
        SELECT vc.scope_key, vc.feature, count(*) + 1 AS k FROM value_counts AS vc GROUP BY vc.scope_key, vc.feature
    ),
    fold_totals AS (
        -- every lead has exactly one source, so the source counts add up to the leads
        SELECT fc.scope_key, fc.fold, sum(fc.w) AS w, sum(fc.l) AS l
        FROM fold_counts AS fc
        WHERE fc.feature = 'source' AND fc.scope_key IS NOT NULL
        GROUP BY fc.scope_key, fc.fold
    ),
    totals AS (
        SELECT ft.scope_key, sum(ft.w) AS w, sum(ft.l) AS l
        FROM fold_totals AS ft
        GROUP BY ft.scope_key
        HAVING ft.scope_key = '00000000-0000-0000-0000-000000000000'::uuid OR sum(ft.w) + sum(ft.l) >= 30
    ),
    keyed AS (
        -- each lead's feature values in both scopes (the team's: NULL for leads without a team)
        SELECT u.combo, s.scope_key, u.fold, u.feature, u.value
        FROM unpivoted AS u
        CROSS JOIN LATERAL (VALUES ('00000000-0000-0000-0000-000000000000'::uuid), (u.team_id)) AS s (scope_key)
        WHERE s.scope_key IS NOT NULL
    ),
    llr AS MATERIALIZED (
        -- one ratio per (scope, group, feature, value) that occurs: few rows, however many leads
        SELECT
            x.scope_key,
            x.fold,
            x.feature,
            x.value,
            salesflow.nb_log_likelihood_ratio(
                coalesce(vc.w, 0) - coalesce(fc.w, 0), coalesce(vc.l, 0) - coalesce(fc.l, 0),
                t.w - coalesce(ft.w, 0), t.l - coalesce(ft.l, 0), coalesce(k.k, 1)
            ) AS ratio,
            ln((t.w - coalesce(ft.w, 0) + 0.1) / (t.l - coalesce(ft.l, 0) + 0.1))::double precision AS prior
        FROM (SELECT DISTINCT ky.scope_key, ky.fold, ky.feature, ky.value FROM keyed AS ky) AS x
        INNER JOIN totals AS t ON x.scope_key = t.scope_key
        LEFT JOIN fold_totals AS ft ON x.scope_key = ft.scope_key AND x.fold = ft.fold
        LEFT JOIN value_counts AS vc ON x.scope_key = vc.scope_key AND x.feature = vc.feature AND x.value = vc.value
        LEFT JOIN fold_counts AS fc
            ON x.scope_key = fc.scope_key AND x.fold = fc.fold AND x.feature = fc.feature AND x.value = fc.value
        LEFT JOIN k ON x.scope_key = k.scope_key AND x.feature = k.feature
    ),
    scored AS (
        SELECT ky.combo, ky.scope_key, max(r.prior) + sum(r.ratio) AS logit
        FROM keyed AS ky
        INNER JOIN llr AS r ON ky.scope_key = r.scope_key AND ky.fold = r.fold AND ky.feature = r.feature AND ky.value = r.value
        GROUP BY ky.combo, ky.scope_key
    )
    SELECT c.team_id, c.fold, c.won, c.lost, g.logit, tm.logit
    FROM combos AS c
    LEFT JOIN scored AS g ON c.combo = g.combo AND g.scope_key = '00000000-0000-0000-0000-000000000000'::uuid
    LEFT JOIN scored AS tm ON c.combo = tm.combo AND c.team_id = tm.scope_key;
$$;
COMMENT ON FUNCTION salesflow.conversion_fold_logits(integer, integer) IS
'Internal: out-of-fold / held-out naive Bayes logits (global and team scope) of the closed leads, per feature combination.';
