-- ============================================================================
-- effective_priority: time decay of a recommendation's priority
-- ============================================================================
-- effective = base * 0.5^(age_hours / half_life_hours), age = p_at - p_created_at (never negative),
-- rounded to 4 decimals. A recommendation expires when this drops below 5 (expire_recommendations).
-- IMMUTABLE: p_at is an argument (default now() is evaluated by the caller). No SET search_path on
-- purpose, so the planner inlines it (view_followups_scored); only pg_catalog built-ins are used.
CREATE OR REPLACE FUNCTION salesflow.effective_priority(
    p_base numeric, p_created_at timestamptz, p_half_life_hours numeric, p_at timestamptz DEFAULT now()
)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    -- Total (never raises, so a view inlining it cannot fail on a row): infinite timestamps, a base
    -- outside 0-100 (or NaN) and a half-life that is not positive give NULL; the exponent is capped
    -- at 1000 half-lives (0.5^1000 rounds to 0 anyway) so power() cannot underflow.
    SELECT CASE
        WHEN NOT (pg_catalog.isfinite(p_created_at) AND pg_catalog.isfinite(p_at))
            OR NOT (p_base BETWEEN 0::numeric AND 100::numeric) OR NOT (p_half_life_hours > 0::numeric)
            THEN NULL::numeric
        ELSE pg_catalog.round((
            p_base::double precision * pg_catalog.power(
                0.5::double precision,
                least(
                    greatest(pg_catalog.date_part('epoch'::text, p_at - p_created_at), 0.0::double precision)
                    / 3600.0::double precision / p_half_life_hours::double precision,
                    1000.0::double precision
                )
            )
        )::numeric, 4)
    END;
$$;
COMMENT ON FUNCTION salesflow.effective_priority(numeric, timestamptz, numeric, timestamptz) IS
'Decayed priority: base * 0.5^(age hours / half-life hours) at p_at (default now()). Args: base, created_at, half_life_hours, at. '
'Never raises: NULL for infinite timestamps, a base outside 0-100 or a half-life <= 0.';
