-- ============================================================================
-- learn_success_patterns: rebuild the learning engine from closed leads (won / lost)
-- ============================================================================
-- For every closed lead, seven features: source, first_channel, industry, disg_type (latest
-- profile), bant_light (latest assessment), country, language; a missing value counts as 'none'.
-- Counts won/lost per (team, feature, value) and globally (team_id NULL), plus per scope:
--   feature 'total' / value 'all': all closed leads, log_likelihood_ratio = prior log odds
--       ln((W + 0.1) / (L + 0.1))
--   value '*': values never seen in that scope (won = lost = 0).
-- With K = distinct values of the feature in the scope + 1 (for '*') and alpha = 0.1:
--   P(v|won) = (won_v + alpha) / (W + alpha K),  P(v|lost) = (lost_v + alpha) / (L + alpha K)
--   log_likelihood_ratio = ln P(v|won) - ln P(v|lost);  factor_weight = P(v|won) / (P(v|won) + P(v|lost))
--   lift = conversion_rate / (W / (W + L)) of the scope.
-- Reads one row per closed lead (leads + users + lead_engagement), never lead_activities.
-- Then refits conversion_calibration (Platt scaling per scope on out-of-fold logits:
-- fit_conversion_calibration), which predict_conversion and view_leads_scored apply.
-- Replaces the table contents in one transaction; returns the number of pattern rows.
-- requires: nb_log_likelihood_ratio, fit_conversion_calibration, closed_lead_features
CREATE OR REPLACE FUNCTION salesflow.learn_success_patterns()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM salesflow.require_admin('learn_success_patterns');
    DELETE FROM salesflow.success_patterns;

    WITH closed AS (
        -- closed leads collapsed to distinct feature combinations first (far fewer rows to unpivot)
        SELECT
            f.team_id,
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
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ),
    features AS (
        SELECT c.team_id, c.won, c.lost, f.feature, f.value
        FROM closed AS c
        CROSS JOIN LATERAL (
            VALUES
            ('total', 'all'), ('source', c.source), ('first_channel', c.first_channel), ('industry', c.industry),
            ('disg_type', c.disg_type), ('bant_light', c.bant_light), ('country', c.country), ('language', c.language)
        ) AS f (feature, value)
    ),
    counted AS (
        SELECT
            CASE WHEN grouping(f.team_id) = 0 THEN f.team_id END AS team_id,
            grouping(f.team_id) = 1 AS is_global,
            f.feature,
            f.value,
            sum(f.won)::integer AS won,
            sum(f.lost)::integer AS lost
        FROM features AS f
        GROUP BY GROUPING SETS ((f.team_id, f.feature, f.value), (f.feature, f.value))
    ),
    scoped AS (
        -- leads of users without a team count only globally
        SELECT c.* FROM counted AS c WHERE c.is_global OR c.team_id IS NOT NULL
    ),
    unseen AS (
        SELECT DISTINCT s.team_id, s.is_global, s.feature, '*' AS value, 0 AS won, 0 AS lost
        FROM scoped AS s
        WHERE s.feature <> 'total'
    ),
    rows_ AS (
        SELECT * FROM scoped
        UNION ALL
        SELECT * FROM unseen
    ),
    model AS (
        SELECT
            r.*,
            t.won AS total_won,
            t.lost AS total_lost,
            count(*) OVER (PARTITION BY r.team_id, r.is_global, r.feature) AS k
        FROM rows_ AS r
        INNER JOIN scoped AS t
            ON t.feature = 'total' AND t.is_global = r.is_global AND t.team_id IS NOT DISTINCT FROM r.team_id
    )
    INSERT INTO salesflow.success_patterns (team_id, feature, value, won, lost, lift, log_likelihood_ratio, factor_weight)
    SELECT
        m.team_id,
        m.feature,
        m.value,
        m.won,
        m.lost,
        CASE
            WHEN m.won + m.lost > 0 AND m.total_won > 0
                THEN round((m.won::numeric / (m.won + m.lost)) / (m.total_won::numeric / (m.total_won + m.total_lost)), 4)
        END,
        CASE
            WHEN m.feature = 'total' THEN ln((m.total_won + 0.1) / (m.total_lost + 0.1))
            ELSE salesflow.nb_log_likelihood_ratio(m.won, m.lost, m.total_won, m.total_lost, m.k)
        END,
        CASE
            WHEN m.feature <> 'total' THEN round((
                ((m.won + 0.1) / (m.total_won + 0.1 * m.k))
                / ((m.won + 0.1) / (m.total_won + 0.1 * m.k) + (m.lost + 0.1) / (m.total_lost + 0.1 * m.k))
            )::numeric, 5)
        END
    FROM model AS m;
    GET DIAGNOSTICS v_count = ROW_COUNT;

    -- the naive Bayes is too sure of itself (correlated features): refit its calibration too
    DELETE FROM salesflow.conversion_calibration;
    INSERT INTO salesflow.conversion_calibration (team_id, slope, intercept, closed_leads, won_leads, folds)
    SELECT c.team_id, c.slope, c.intercept, c.closed_leads, c.won_leads, 5
    FROM salesflow.fit_conversion_calibration(0) AS c;
    RETURN v_count;
END;
$$;
COMMENT ON FUNCTION salesflow.learn_success_patterns() IS
'Learning engine: rebuilds success_patterns (won/lost, lift, naive Bayes log-likelihood ratios) '
'from closed leads per team and globally; returns the row count.';
