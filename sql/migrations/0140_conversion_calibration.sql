-- ============================================================================
-- 0140 conversion calibration: Platt scaling of the learning engine's naive Bayes logit
-- ============================================================================
-- Naive Bayes counts correlated features as independent evidence, so its probabilities are too
-- sure of themselves (issue 13). learn_success_patterns fits, per scope (a team with >= 30 closed
-- leads, and globally: team_id NULL), P(won) = 1 / (1 + exp(-(slope * logit + intercept))) on
-- out-of-fold logits of the closed leads; predict_conversion and view_leads_scored apply it.
-- Empty until the next learning run: without a row the raw logit is used (slope 1, intercept 0).
CREATE TABLE salesflow.conversion_calibration (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id uuid REFERENCES salesflow.teams (id) ON DELETE CASCADE, -- NULL: all teams (global fallback)
    slope double precision NOT NULL CHECK (slope >= 0),
    intercept double precision NOT NULL,
    closed_leads integer NOT NULL CHECK (closed_leads >= 0),
    won_leads integer NOT NULL CHECK (won_leads BETWEEN 0 AND closed_leads),
    folds integer NOT NULL CHECK (folds >= 2),
    fitted_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE salesflow.conversion_calibration IS
'Learning engine: Platt scaling of the naive Bayes logit per team (NULL = global), fitted on out-of-fold logits.';
CREATE UNIQUE INDEX conversion_calibration_scope_idx ON salesflow.conversion_calibration (
    coalesce(team_id, '00000000-0000-0000-0000-000000000000'::uuid)
);
