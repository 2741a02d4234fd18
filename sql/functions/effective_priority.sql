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
    SELECT pg_catalog.round((
        p_base::double precision * pg_catalog.power(
            0.5::double precision,
            greatest(pg_catalog.date_part('epoch'::text, p_at - p_created_at), 0.0::double precision)
            / 3600.0::double precision / p_half_life_hours::double precision
        )
    )::numeric, 4);
$$;
COMMENT ON FUNCTION salesflow.effective_priority(numeric, timestamptz, numeric, timestamptz) IS
'Decayed priority: base * 0.5^(age hours / half-life hours) at p_at (default now()). Args: base, created_at, half_life_hours, at.';
