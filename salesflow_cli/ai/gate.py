"""The compliance gate of AI texts meant for people: log_ai_output_compliance decides, Python shows.

The decision (the stricter of the SQL rules and an optional LLM review's findings) is made in SQL
by log_ai_output_compliance / compliance_verdict and logged there; this module passes the findings
in, and shows the logged decision: a blocked text is never printed, only why and what instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from psycopg.types.json import Jsonb

from .. import rpc
from ..render import console
from .models import ComplianceReview


@dataclass
class Gate:
    decision: str
    max_severity: str
    violations: list
    log_id: Optional[int] = None

    @property
    def blocked(self) -> bool:
        return self.decision == "blocked"


@dataclass
class Review:
    """The findings of an LLM compliance review of one text (optional pass), input to the SQL gate."""

    extra: list = field(default_factory=list)
    checker: str = "sql_rules"


def review_of(data: ComplianceReview) -> Review:
    """An LLM review's findings as extra violations; its own verdict is not passed on (SQL decides)."""
    extra = [
        {"rule_key": f"llm_{category_key(v.category)}", "category": category_key(v.category), "severity": v.severity,
         "matched": v.matched, "explanation": v.explanation, "suggestion": v.suggestion}
        for v in data.violations
    ]
    return Review(extra, "sql_rules+llm")


async def log_gate(conn, text: str, content_type: str, language: str, review: Review, *, lead_id, user_id,
                   model: str) -> Gate:
    """log_ai_output_compliance inside the caller's transaction. Its decision is the one logged and
    the one shown: never re-decided here."""
    row = await rpc.log_ai_output_compliance.acall(
        conn, content=text, content_type=content_type, lead_id=lead_id, language=language, model=model,
        extra_violations=Jsonb(review.extra), checker=review.checker, user_id=user_id)
    row = row[0]
    violations = row["violations"] or []
    if isinstance(violations, str):
        violations = json.loads(violations)
    return Gate(row["decision"], row["max_severity"], violations, row["log_id"])


def category_key(category: str) -> str:
    """A model's free-form category as the key log_ai_output_compliance expects: ^[a-z][a-z0-9_]{1,39}$."""
    key = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in (category or "").lower())
    key = "_".join(part for part in key.split("_") if part)
    if not key:
        return "llm_finding"
    if not key[0].isalpha():
        key = "llm_" + key
    return key[:40] if len(key) >= 2 else "llm_finding"


def show_gate(gate: Gate, what: str) -> None:
    """Never prints the blocked text: only why and what to write instead."""
    if gate.decision == "blocked":
        console.print(f"[bold red]{what} blocked by the compliance check[/bold red] (not shown; log #{gate.log_id}).")
    elif gate.decision == "flagged":
        console.print(f"[yellow]{what} flagged by the compliance check[/yellow] (log #{gate.log_id}): review before sending.")
    for v in gate.violations:
        if not isinstance(v, dict):
            continue
        console.print(f"  • [{v.get('severity', '?')}] {v.get('category') or v.get('rule_key')}: {v.get('explanation') or ''}")
        if v.get("suggestion"):
            console.print(f"    suggestion: {v['suggestion']}")


def gate_json(gate: Gate) -> dict:
    return {"decision": gate.decision, "max_severity": gate.max_severity, "log_id": gate.log_id,
            "violations": [{k: v for k, v in x.items() if k != "matched"} for x in gate.violations if isinstance(x, dict)]}
