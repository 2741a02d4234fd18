-- ============================================================================
-- grants: every privilege PUBLIC and the salesflow roles hold, re-applied by every deploy
-- ============================================================================
-- Runs last in every deploy, changed or not (so group roles a DBA creates later get their
-- grants on the next deploy). It starts from nothing — PUBLIC and the salesflow roles lose every
-- privilege in the schema — and grants exactly what is listed here, so this file is the whole
-- answer to "what may a rep do".
--
-- Writes: sales roles insert and update the base CRM tables (leads, lead_activities, followups)
-- directly, under RLS, without choosing ids or bookkeeping timestamps (column grants; no DELETE).
-- Everything with derived or audit meaning (assessments, profiles, memory, recommendations,
-- embeddings, playbook runs, coaching, AI calls, the compliance log, counters, stage events) is
-- written only by the API functions, which are SECURITY DEFINER and check identity themselves
-- (require_identity, lead_for_caller).
DO $$
DECLARE
    -- The API: what a rep, manager or admin may execute. Everything else is internal.
    c_api constant text [] := ARRAY[
        'advance_playbook', 'ai_lead_context', 'ai_stale_leads', 'analyze_personality_from_messages', 'assess_bant',
        'check_compliance', 'create_ai_recommendation', 'current_user_id', 'current_user_role', 'effective_priority',
        'generate_disg_recommendations', 'get_ai_prompt', 'get_best_contact_window', 'get_conversion_funnel',
        'get_kpis', 'get_lead_disg', 'get_lead_intelligence', 'get_personality_insights', 'get_scored_leads',
        'health_traffic_light', 'lead_health_score', 'list_recommendations', 'log_ai_output_compliance',
        'mark_lead_memory_current', 'predict_conversion', 'plan_day', 'recommend_followup_actions', 'record_ai_call',
        'record_coaching_turn', 'record_personality_profile', 'semantic_search_leads', 'start_playbook',
        'store_lead_embedding', 'update_lead_memory', 'update_recommendation', 'visible_user_ids',
        -- imports: begin, stage with COPY, import_*, list rejects, finish (import_users: admins)
        'begin_import', 'finish_import', 'import_activities', 'import_leads', 'list_import_rejects',
        -- DSGVO access requests (visibility as lead_for_caller)
        'gdpr_export', 'gdpr_find_leads',
        -- what a LEAD argument names (uuid, id prefix, e-mail, name)
        'find_leads',
        -- GDPR consent: anyone, on the leads they see
        'consent_history', 'record_consent',
        -- working the day from the CLI (issue 12): leads, activities, follow-ups, stages, playbooks
        'add_followup', 'add_lead', 'complete_followup', 'list_playbooks', 'log_activity', 'set_lead_stage',
        'skip_followup', 'snooze_followup',
        -- called by CHECK constraints and generated columns of rows the sales roles write
        'disg_type_at', 'is_valid_timezone',
        -- the win probability formula predict_conversion applies as its caller
        'calibrated_probability',
        -- manager views and sales KPIs (issue 12: team, teams, kpis, report)
        'get_sales_kpis', 'get_team_actions', 'get_team_overview', 'list_teams'
    ];
    -- Admin operations (the functions also refuse a non-admin identity: require_admin).
    c_admin_api constant text [] := ARRAY[
        'expire_recommendations', 'learn_success_patterns', 'refresh_all_ki_views', 'evaluate_conversion_model',
        'train_compliance_scorer', 'drain_dirty_leads',
        'is_valid_regex',  -- the CHECK on compliance_rules.pattern (admins maintain rules)
        'verify_audit_chain', 'import_users',
        'gdpr_erase', 'gdpr_reapply',  -- DSGVO erasure (managers and reps cannot)
        'apply_retention', 'restrict_lead', 'unrestrict_lead'  -- GDPR: retention rules, Art. 18 restriction
    ];
    -- Tables the sales roles read (under RLS where rows carry user_id).
    c_readable constant text [] := ARRAY[
        'ai_calls', 'ai_coaching_sessions', 'ai_prompts', 'ai_recommendations', 'bant_assessments',
        'channel_performance_metrics', 'compliance_logs', 'compliance_rules', 'countries', 'country_aliases',
        'disg_guidance', 'followups', 'import_batches', 'import_stage_map', 'lead_activities', 'lead_context_summaries', 'lead_embeddings',
        'lead_engagement', 'lead_stage_events', 'leads', 'personality_profiles', 'playbook_executions', 'playbooks',
        'retention_rules', 'success_patterns', 'conversion_calibration', 'teams', 'users'
    ];
    -- Base CRM tables the sales roles write directly (RLS decides whose rows).
    c_writable constant text [] := ARRAY['followups', 'lead_activities', 'leads'];
    -- Import staging: INSERT (COPY) only, so no one reads another import's rows; the batch is
    -- the transaction's (column default), not chosen.
    c_stageable constant text [] := ARRAY['staged_activities', 'staged_leads', 'staged_users'];
    -- Reference tables admins maintain (ai_prompts: override rows only, by its RLS policy).
    c_admin_writable constant text [] := ARRAY[
        'ai_prompts', 'compliance_rules', 'compliance_training_messages', 'disg_guidance', 'import_stage_map', 'playbooks',
        'retention_rules'
    ];
    -- Columns nobody but the owner sets: ids, bookkeeping timestamps, the login mapping.
    c_system_columns constant text [] := ARRAY['id', 'created_at', 'updated_at', 'db_role'];
    -- Provenance only the import functions and the seed write.
    c_provenance_columns constant text [] := ARRAY['origin', 'external_system', 'external_id', 'import_batch_id', 'fingerprint'];
    -- GDPR state only restrict_lead / unrestrict_lead / apply_retention and the consent trigger write.
    c_gdpr_columns constant text [] := ARRAY[
        'restricted_at', 'restricted_until', 'restriction_reason', 'restricted_by', 'consent_withdrawn_at'
    ];
    v_sales text;
    v_everyone text;
    v_has_admin boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'salesflow_admin');
    v_fn regprocedure;
    v_table text;
    v_cols text;
BEGIN
    SELECT string_agg(quote_ident(r.rolname), ', ' ORDER BY r.rolname) INTO v_sales
    FROM pg_roles AS r WHERE r.rolname IN ('salesflow_rep', 'salesflow_manager', 'salesflow_admin');
    SELECT string_agg(quote_ident(r.rolname), ', ' ORDER BY r.rolname) INTO v_everyone
    FROM pg_roles AS r WHERE r.rolname IN ('salesflow_rep', 'salesflow_manager', 'salesflow_admin', 'salesflow_gateway');
    v_everyone := concat_ws(', ', 'PUBLIC', v_everyone);

    -- 1. From nothing. Per object, not ON ALL ... IN SCHEMA, so functions of extensions that
    --    live in this schema keep their own grants.
    FOR v_fn IN
        SELECT p.oid::regprocedure
        FROM pg_proc AS p
        WHERE p.pronamespace = 'salesflow'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM %s', v_fn, v_everyone);
    END LOOP;
    FOR v_table IN
        SELECT c.relname FROM pg_class AS c
        WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('REVOKE ALL ON salesflow.%I FROM %s', v_table, v_everyone);
    END LOOP;
    EXECUTE format('REVOKE ALL ON SCHEMA salesflow FROM %s', v_everyone);
    IF v_sales IS NULL THEN
        RAISE WARNING 'no salesflow group roles exist: nobody but the owner can use salesflow; a DBA creates them (CREATE ROLE salesflow_rep NOLOGIN, ...) and deploys again';
        RETURN;
    END IF;

    -- 2. The API.
    EXECUTE format('GRANT USAGE ON SCHEMA salesflow TO %s', v_sales);
    FOR v_fn IN
        SELECT p.oid::regprocedure FROM pg_proc AS p
        WHERE p.pronamespace = 'salesflow'::regnamespace AND p.proname = ANY (c_api)
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %s', v_fn, v_sales);
    END LOOP;
    IF v_has_admin THEN
        FOR v_fn IN
            SELECT p.oid::regprocedure FROM pg_proc AS p
            WHERE p.pronamespace = 'salesflow'::regnamespace AND p.proname = ANY (c_admin_api)
        LOOP
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO salesflow_admin', v_fn);
        END LOOP;
    END IF;

    -- 3. Tables.
    FOREACH v_table IN ARRAY c_readable LOOP
        EXECUTE format('GRANT SELECT ON salesflow.%I TO %s', v_table, v_sales);
    END LOOP;
    FOREACH v_table IN ARRAY c_writable LOOP
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
        FROM pg_attribute AS a
        WHERE a.attrelid = format('salesflow.%I', v_table)::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND a.attgenerated = '' AND NOT a.attname = ANY (c_system_columns || c_provenance_columns || c_gdpr_columns);
        -- no table-level UPDATE/DELETE: those would also let a login LOCK TABLE ... IN EXCLUSIVE MODE
        -- (blocking everyone); column grants do not. Deleting a lead is erasure, an owner's job.
        EXECUTE format('GRANT INSERT (%s), UPDATE (%s) ON salesflow.%I TO %s', v_cols, v_cols, v_table, v_sales);
    END LOOP;
    FOREACH v_table IN ARRAY c_stageable LOOP
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
        FROM pg_attribute AS a
        WHERE a.attrelid = format('salesflow.%I', v_table)::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND NOT a.attname IN ('batch_id', 'row_no', 'staged_by');
        EXECUTE format('GRANT INSERT (%s) ON salesflow.%I TO %s', v_cols, v_table, v_sales);
    END LOOP;
    EXECUTE format('GRANT USAGE ON SEQUENCE salesflow.staged_row_seq TO %s', v_sales);
    IF v_has_admin THEN
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
        FROM pg_attribute AS a
        WHERE a.attrelid = 'salesflow.users'::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND NOT a.attname = ANY (c_system_columns);
        EXECUTE format('GRANT INSERT (%s), UPDATE (%s), DELETE ON salesflow.users TO salesflow_admin', v_cols, v_cols);
        FOREACH v_table IN ARRAY c_admin_writable LOOP
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON salesflow.%I TO salesflow_admin', v_table);
        END LOOP;
    END IF;
END;
$$;
