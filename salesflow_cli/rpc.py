"""The SQL functions the CLI calls, each declared once: name, parameters with their casts, shape.

    rows = rpc.get_scored_leads(conn, limit=20, user_id=uid)          # list of dicts
    row = await rpc.check_compliance.acall(aconn, text=t, language="de")

Keyword arguments are the SQL parameter names without their `p_` prefix; the call uses named
notation (`p_limit => %(limit)s::integer`), so only the arguments given are sent and the SQL
defaults apply to the rest. Shapes: "rows" (SETOF / RETURNS TABLE: a list of dicts), "row" (one
composite: a dict or None), "value" (a scalar). Two compositions for value-shaped functions:
`avalues` sends several calls as ONE statement (one round trip, atomic in autocommit), and
`amap` calls one function for each element of an array (one query instead of one per element):

    row = await rpc.avalues(aconn, version=rpc.update_lead_memory.bind(lead_id=l, ...),
                            call_id=rpc.record_ai_call.bind(command="memory", ...))
    contexts = await rpc.ai_lead_context.amap(aconn, "lead_id", lead_ids, max_messages=40)

tests/test_rpc_layer.py checks every declaration
against pg_proc, and that no other module writes `salesflow.<fn>(` itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg.rows import dict_row

_UNCAST = {"vector"}  # extension types: the adapter sends them typed, and their schema varies


@dataclass(frozen=True)
class Rpc:
    name: str
    signature: str  # "p_lead_id uuid, p_limit integer" as in pg_proc
    shape: str  # rows | row | value
    params: tuple[tuple[str, str], ...] = field(init=False)

    def __post_init__(self) -> None:
        assert self.shape in ("rows", "row", "value"), self.shape
        params = tuple(tuple(p.strip().split(" ", 1)) for p in self.signature.split(",") if p.strip())
        object.__setattr__(self, "params", params)

    def expr(self, given: set[str], prefix: str = "", *, raw: dict[str, str] | None = None) -> str:
        """The call expression `salesflow.fn(p_x => %(<prefix>x)s::type, …)` for the arguments in
        `given` (names without p_); `raw` maps an argument to an SQL expression used as is."""
        raw = raw or {}
        known = {p[2:] if p.startswith("p_") else p for p, _ in self.params}
        unknown = (given | set(raw)) - known
        if unknown:
            raise TypeError(f"salesflow.{self.name}() has no parameter {', '.join(sorted(unknown))}")
        args = []
        for p, t in self.params:
            name = p[2:] if p.startswith("p_") else p
            if name in raw:
                args.append(f"{p} => {raw[name]}")
            elif name in given:
                args.append(f"{p} => %({prefix}{name})s" + ("" if t in _UNCAST else f"::{t}"))
        return f"salesflow.{self.name}({', '.join(args)})"

    def query(self, given: set[str]) -> str:
        """The SELECT for the keyword arguments in `given` (names without p_)."""
        call = self.expr(given)
        if self.shape == "value":
            return f"SELECT {call} AS value"
        return f"SELECT * FROM {call}"

    def _shape(self, rows: list[dict]) -> Any:
        if self.shape == "rows":
            return rows
        if not rows:
            return None
        return rows[0]["value"] if self.shape == "value" else rows[0]

    def __call__(self, conn, **kwargs: Any) -> Any:
        """Call on a psycopg Connection (sync)."""
        cur = conn.cursor(row_factory=dict_row)
        return self._shape(cur.execute(self.query(set(kwargs)), kwargs).fetchall())

    async def acall(self, conn, **kwargs: Any) -> Any:
        """Call on a psycopg AsyncConnection."""
        cur = conn.cursor(row_factory=dict_row)
        await cur.execute(self.query(set(kwargs)), kwargs)
        return self._shape(await cur.fetchall())

    def bind(self, **kwargs: Any) -> "Bound":
        """This call with its arguments, to be sent with others in one statement (avalues)."""
        assert self.shape == "value", f"{self.name}: only value-shaped calls compose"
        self.expr(set(kwargs))  # unknown arguments fail here, at the call site
        return Bound(self, kwargs)

    def map_query(self, over: str, given: set[str]) -> str:
        """One call per element of the array parameter %(<over>)s, in the array's order."""
        assert self.shape == "value", f"{self.name}: only value-shaped calls map"
        types = {(p[2:] if p.startswith("p_") else p): t for p, t in self.params}
        call = self.expr(given - {over}, raw={over: "u.v"})
        return (f"SELECT {call} AS value FROM unnest(%({over})s::{types[over]}[]) WITH ORDINALITY AS u (v, n) "
                "ORDER BY u.n")

    async def amap(self, conn, over: str, values: list, **kwargs: Any) -> list:
        """The value for each element of `values` (passed as argument `over`), on an AsyncConnection."""
        cur = conn.cursor(row_factory=dict_row)
        await cur.execute(self.map_query(over, set(kwargs) | {over}), dict(kwargs, **{over: values}))
        return [r["value"] for r in await cur.fetchall()]


@dataclass(frozen=True)
class Bound:
    rpc: Rpc
    kwargs: dict


def values_query(named: dict[str, Bound]) -> tuple[str, dict]:
    """`SELECT call1 AS name1, call2 AS name2 …` and its parameters (each call's prefixed by its name)."""
    cols, params = [], {}
    for name, b in named.items():
        cols.append(f"{b.rpc.expr(set(b.kwargs), f'{name}__')} AS {name}")
        params.update({f"{name}__{k}": v for k, v in b.kwargs.items()})
    return "SELECT " + ", ".join(cols), params


def values(conn, **named: Bound) -> dict:
    """Several value-shaped calls as one statement on a sync Connection: {name: value}."""
    q, params = values_query(named)
    return conn.cursor(row_factory=dict_row).execute(q, params).fetchone()


async def avalues(conn, **named: Bound) -> dict:
    """The same on an AsyncConnection (one round trip; in autocommit one statement is one transaction)."""
    q, params = values_query(named)
    cur = conn.cursor(row_factory=dict_row)
    await cur.execute(q, params)
    return await cur.fetchone()


# --------------------------------------------------------------------------- declarations (A-Z)

add_followup = Rpc("add_followup", "p_lead_id uuid, p_due_at timestamp with time zone, p_channel text, p_note text", "rows")
add_lead = Rpc(
    "add_lead",
    "p_name text, p_email text, p_phone text, p_company text, p_source text, p_country text, p_language text, "
    "p_timezone text, p_stage text, p_deal_value numeric, p_consent_wording text, p_owner_id uuid",
    "value",
)
advance_playbook = Rpc("advance_playbook", "p_execution_id bigint, p_outcome text", "rows")
ai_lead_context = Rpc("ai_lead_context", "p_lead_id uuid, p_max_messages integer", "value")
ai_stale_leads = Rpc("ai_stale_leads", "p_limit integer, p_user_id uuid", "rows")
analyze_personality_from_messages = Rpc("analyze_personality_from_messages", "p_lead_id uuid", "rows")
apply_retention = Rpc("apply_retention", "p_dry_run boolean", "rows")
assess_bant = Rpc(
    "assess_bant",
    "p_lead_id uuid, p_budget integer, p_authority integer, p_need integer, p_timeline integer, "
    "p_notes jsonb, p_source text, p_model text",
    "rows",
)
begin_import = Rpc("begin_import", "p_kind text, p_system text, p_file_name text, p_mode text", "value")
check_compliance = Rpc("check_compliance", "p_text text, p_language text", "rows")
complete_followup = Rpc("complete_followup", "p_followup_id bigint, p_note text", "rows")
consent_history = Rpc("consent_history", "p_lead_id uuid", "rows")
create_ai_recommendation = Rpc(
    "create_ai_recommendation",
    "p_lead_id uuid, p_rec_type text, p_title text, p_reason text, p_action jsonb, "
    "p_base_priority numeric, p_half_life_hours numeric, p_expires_at timestamp with time zone, "
    "p_source text, p_assignee_id uuid",
    "value",
)
current_user_id = Rpc("current_user_id", "", "value")
current_user_role = Rpc("current_user_role", "", "value")
deploy_needed = Rpc("deploy_needed", "p_kind text, p_name text, p_sha256 text", "value")
deployment_checklist = Rpc("deployment_checklist", "", "rows")
effective_priority = Rpc(
    "effective_priority",
    "p_base numeric, p_created_at timestamp with time zone, p_half_life_hours numeric, p_at "
    "timestamp with time zone",
    "value",
)
drain_dirty_leads = Rpc("drain_dirty_leads", "p_limit integer, p_stale_limit integer, p_max_age interval", "rows")
# bulk loaders (seed, bench): count the activities a batch queued, in the batch's transaction
claim_dirty_leads = Rpc("claim_dirty_leads", "p_limit integer, p_activities_only boolean", "row")
expire_recommendations = Rpc("expire_recommendations", "", "value")
finish_import = Rpc("finish_import", "", "value")
find_leads = Rpc("find_leads", "p_ref text, p_limit integer", "rows")
generate_disg_recommendations = Rpc("generate_disg_recommendations", "p_lead_id uuid", "value")
gdpr_erase = Rpc("gdpr_erase", "p_lead_id uuid, p_reason text, p_override_retention boolean, p_action text", "value")
gdpr_export = Rpc("gdpr_export", "p_lead_id uuid", "value")
gdpr_find_leads = Rpc("gdpr_find_leads", "p_email text, p_phone text", "rows")
gdpr_reapply = Rpc("gdpr_reapply", "p_lead_refs text[]", "rows")
get_ai_prompt = Rpc("get_ai_prompt", "p_key text, p_language text", "rows")
get_best_contact_window = Rpc("get_best_contact_window", "p_lead_id uuid, p_limit integer", "rows")
get_conversion_funnel = Rpc("get_conversion_funnel", "p_user_id uuid", "rows")
get_kpis = Rpc("get_kpis", "p_weeks integer, p_user_id uuid", "value")
get_lead_disg = Rpc("get_lead_disg", "p_lead_id uuid", "rows")
get_lead_intelligence = Rpc("get_lead_intelligence", "p_lead_id uuid", "value")
get_personality_insights = Rpc("get_personality_insights", "p_team_id uuid", "rows")
get_sales_kpis = Rpc("get_sales_kpis", "p_weeks integer, p_user_id uuid, p_team_id uuid", "value")
get_scored_leads = Rpc("get_scored_leads", "p_limit integer, p_offset integer, p_user_id uuid", "rows")
get_team_actions = Rpc("get_team_actions", "p_team_id uuid, p_limit integer", "rows")
get_team_overview = Rpc("get_team_overview", "p_team_id uuid, p_weeks integer", "rows")
health_traffic_light = Rpc("health_traffic_light", "p_score numeric", "value")
lead_health_score = Rpc(
    "lead_health_score",
    "p_bant_score numeric, p_last_inbound_at timestamp with time zone, p_inbound_30d integer, "
    "p_reply_count integer, p_outbound_count integer, p_stage text, p_at timestamp with time "
    "zone",
    "value",
)
import_activities = Rpc("import_activities", "", "rows")
import_leads = Rpc("import_leads", "p_default_owner uuid, p_stage_map jsonb, p_owner_map jsonb", "rows")
import_users = Rpc("import_users", "", "rows")
learn_success_patterns = Rpc("learn_success_patterns", "", "value")
evaluate_conversion_model = Rpc("evaluate_conversion_model", "p_test_percent integer", "rows")
link_user_login = Rpc("link_user_login", "p_user_id uuid, p_db_role name", "value")
list_playbooks = Rpc("list_playbooks", "", "rows")
list_recommendations = Rpc("list_recommendations", "p_status text, p_limit integer, p_lead_id uuid", "rows")
list_import_rejects = Rpc("list_import_rejects", "", "rows")
list_teams = Rpc("list_teams", "", "rows")
log_activity = Rpc(
    "log_activity",
    "p_lead_id uuid, p_channel text, p_direction text, p_body text, p_kind text, p_occurred_at timestamp with "
    "time zone, p_confirm boolean, p_dry_run boolean",
    "rows",
)
log_ai_output_compliance = Rpc(
    "log_ai_output_compliance",
    "p_content text, p_content_type text, p_lead_id uuid, p_language text, p_model text, "
    "p_extra_violations jsonb, p_checker text, p_user_id uuid",
    "rows",
)
mark_lead_memory_current = Rpc("mark_lead_memory_current", "p_lead_id uuid, p_input_hash text", "value")
predict_conversion = Rpc("predict_conversion", "p_lead_id uuid", "rows")
plan_day = Rpc("plan_day", "p_user_id uuid, p_day date, p_capacity integer, p_limit integer", "rows")
recommend_followup_actions = Rpc("recommend_followup_actions", "p_user_id uuid, p_limit integer, p_day date, p_capacity integer", "rows")
record_ai_call = Rpc(
    "record_ai_call",
    "p_command text, p_lead_id uuid, p_user_id uuid, p_model text, p_prompt_key text, "
    "p_prompt_version text, p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms "
    "integer, p_status text, p_error text, p_input_hash text, p_attempts integer",
    "value",
)
record_applied = Rpc(
    "record_applied",
    "p_kind text, p_name text, p_sha256 text, p_started timestamp with time zone, "
    "p_tool_version text",
    "value",
)
record_consent = Rpc("record_consent", "p_lead_id uuid, p_consent boolean, p_source text, p_wording text", "value")
record_coaching_turn = Rpc(
    "record_coaching_turn",
    "p_session_id bigint, p_user_id uuid, p_lead_id uuid, p_language text, p_question text, "
    "p_answer text, p_model text, p_prompt_tokens integer, p_completion_tokens integer, "
    "p_latency_ms integer, p_persona text",
    "value",
)
record_personality_profile = Rpc(
    "record_personality_profile",
    "p_lead_id uuid, p_d integer, p_i integer, p_s integer, p_g integer, p_source text, "
    "p_confidence numeric, p_evidence jsonb, p_model text",
    "rows",
)
refresh_all_ki_views = Rpc("refresh_all_ki_views", "", "rows")
restrict_lead = Rpc("restrict_lead", "p_lead_id uuid, p_reason text, p_until timestamp with time zone", "rows")
semantic_search_leads = Rpc(
    "semantic_search_leads",
    "p_query_embedding vector, p_limit integer, p_model text",
    "rows",
)
set_lead_stage = Rpc("set_lead_stage", "p_lead_id uuid, p_stage text, p_reason text, p_deal_value numeric", "rows")
skip_followup = Rpc("skip_followup", "p_followup_id bigint, p_reason text", "rows")
snooze_followup = Rpc("snooze_followup", "p_followup_id bigint, p_until timestamp with time zone", "rows")
start_playbook = Rpc("start_playbook", "p_lead_id uuid, p_playbook_key text", "value")
store_lead_embedding = Rpc(
    "store_lead_embedding",
    "p_lead_id uuid, p_source text, p_content text, p_model text, p_embedding vector, "
    "p_source_id bigint",
    "value",
)
train_compliance_scorer = Rpc("train_compliance_scorer", "p_alpha double precision, p_clean_target double precision", "rows")
unrestrict_lead = Rpc("unrestrict_lead", "p_lead_id uuid, p_reason text", "rows")
update_lead_memory = Rpc(
    "update_lead_memory",
    "p_lead_id uuid, p_summary text, p_key_facts jsonb, p_pain_points jsonb, p_objections "
    "jsonb, p_next_steps jsonb, p_input_hash text, p_model text, p_prompt_version text",
    "value",
)
update_recommendation = Rpc(
    "update_recommendation",
    "p_id bigint, p_status text, p_feedback text, p_rating integer",
    "rows",
)
verify_audit_chain = Rpc("verify_audit_chain", "p_anchor_id bigint, p_anchor_hash text", "row")
visible_user_ids = Rpc("visible_user_ids", "", "value")

ALL: dict[str, Rpc] = {v.name: v for v in list(globals().values()) if isinstance(v, Rpc)}
