"""The five AI commands about one lead (profile, bant, script, objection, recommend), each one
LeadCommand stating only what differs: its prompt, the template values, the texts that pass the
compliance gate, the write and the output. The shared skeleton — context, prompt, one LLM call,
the optional LLM review, then gates, write and usage rows in one transaction — is LeadCommand.run
and Session.turn."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Optional, Sequence

from psycopg.types.json import Jsonb
from rich.panel import Panel

from .. import rpc
from ..render import console, print_json, table
from .gate import gate_json, show_gate
from .prompts import data_json, format_messages, neutralise
from .session import Opts, Session, Turn, Write, run, usage_line


# ------------------------------------------------------------------ the lead commands' skeleton
@dataclass(frozen=True)
class Material:
    """What a command's template values may draw on."""

    s: Session
    lead: str
    ctx: dict  # ai_lead_context
    language: str
    args: dict  # the command's own arguments (goal, objection text)


@dataclass(frozen=True)
class LeadCommand:
    """One AI command about one lead, stated by what differs from the others."""

    name: str
    prompt_key: str
    values: Callable[[Material], Awaitable[dict[str, str]]]  # the prompt template's {{placeholders}}
    result: Callable[[Turn], dict]  # --json output (model, prompt_version and usage are added)
    show: Callable[[Turn], None]  # output for people (the usage line is added)
    write: Optional[Write] = None  # inside the transaction, after the gates
    texts: Callable[[Any], Sequence[str]] = field(default=lambda data: ())  # texts meant for people: gated
    content_type: Optional[str] = None  # of those texts, for log_ai_output_compliance

    def __call__(self, opts: Opts, lead: str, **args) -> None:
        run(self.run(opts, lead, args))

    async def run(self, opts: Opts, lead: str, args: dict) -> None:
        async with Session(opts, self.name) as s:
            lead = await s.resolve_lead(lead)
            c = await s.lead_context(lead)
            owner = uuid.UUID(str(c["owner"]["id"]))
            language = s.language(c)
            p = await s.prompt(self.prompt_key, language)
            values = await self.values(Material(s, lead, c, language, args))
            t = await s.turn(p, p.render(values), lead_id=lead, user_id=owner, language=language, texts=self.texts,
                             content_type=self.content_type, write=self.write)
        if opts.json:
            print_json(dict(self.result(t), model=t.comp.model, prompt_version=p.label, usage=t.comp.usage.__dict__))
            return
        self.show(t)
        console.print(usage_line(t.comp.model, p, t.comp.usage))


async def _lead_and_messages(m: Material) -> dict[str, str]:
    return {"lead_json": data_json(m.ctx["lead"]), "lead_messages": format_messages(m.ctx["messages"])}


async def _disg_material(s: Session, lead: str) -> dict:
    profile = await rpc.get_lead_disg.acall(s.conn, lead_id=lead)
    guidance = await rpc.generate_disg_recommendations.acall(s.conn, lead_id=lead)
    return {"profile": profile[0] if profile else None, "guidance": guidance}


# ------------------------------------------------------------------ ai profile
async def _write_profile(conn, t: Turn) -> dict:
    d = t.data
    rows = await rpc.record_personality_profile.acall(
        conn, lead_id=t.lead, d=d.d, i=d.i, s=d.s, g=d.g, source="ai", confidence=round(d.confidence, 2),
        evidence=Jsonb([e.model_dump() for e in d.evidence]), model=t.comp.model)
    return rows[0]


def _show_profile(t: Turn) -> None:
    d, row = t.data, t.written
    console.print(f"DISG profile #{row['profile_id']}: primary [bold]{row['primary_type']}[/bold], secondary {row['secondary_type']} "
                  f"(confidence {d.confidence:.2f})")
    console.print(table(None, ["D", "I", "S", "G"], [(d.d, d.i, d.s, d.g)]))
    console.print(d.summary)
    for e in d.evidence:
        console.print(f"  • {e.type}: “{e.quote}” — {e.reasoning}")
    for tip in d.communication_tips:
        console.print(f"  tip: {tip}")


PROFILE = LeadCommand(
    "profile", "neuro_profiler", _lead_and_messages, write=_write_profile, show=_show_profile,
    result=lambda t: {"lead_id": t.lead, "profile_id": t.written["profile_id"], "primary_type": t.written["primary_type"],
                      "secondary_type": t.written["secondary_type"],
                      "scores": {"D": t.data.d, "I": t.data.i, "S": t.data.s, "G": t.data.g},
                      "confidence": t.data.confidence, "evidence": [e.model_dump() for e in t.data.evidence],
                      "summary": t.data.summary, "communication_tips": t.data.communication_tips})


# ------------------------------------------------------------------ ai bant
BANT = ("budget", "authority", "need", "timeline")


def _bant_notes(t: Turn) -> dict:
    b = t.data
    notes = {dim: {"evidence": getattr(b, dim).evidence, "next_question": getattr(b, dim).next_question} for dim in BANT}
    notes.update(summary=b.summary, biggest_risk=b.biggest_risk, prompt_version=t.prompt.label)
    return notes


async def _write_bant(conn, t: Turn) -> dict:
    b = t.data
    rows = await rpc.assess_bant.acall(conn, lead_id=t.lead, budget=b.budget.score, authority=b.authority.score,
                                       need=b.need.score, timeline=b.timeline.score, notes=Jsonb(_bant_notes(t)),
                                       source="ai", model=t.comp.model)
    return rows[0]


def _show_bant(t: Turn) -> None:
    b, row = t.data, t.written
    console.print(f"BANT assessment #{row['assessment_id']}: {row['total_score']}/100 [bold]{row['traffic_light']}[/bold], "
                  f"weakest: {row['weakest']}")
    console.print(table(None, ["dimension", "score", "evidence", "next question"],
                        [(d, getattr(b, d).score, getattr(b, d).evidence, getattr(b, d).next_question) for d in BANT]))
    console.print(f"{b.summary}\nbiggest risk: {b.biggest_risk}")


BANT_COMMAND = LeadCommand(
    "bant", "deal_medic", _lead_and_messages, write=_write_bant, show=_show_bant,
    result=lambda t: {"lead_id": t.lead, "assessment_id": t.written["assessment_id"], "total_score": t.written["total_score"],
                      "traffic_light": t.written["traffic_light"], "weakest": t.written["weakest"],
                      "scores": {d: getattr(t.data, d).score for d in BANT}, "notes": _bant_notes(t)})


# ------------------------------------------------------------------ ai script
def _script_text(sc) -> str:
    return (f"{sc.subject}\n\n" if sc.subject else "") + sc.message


async def _script_values(m: Material) -> dict[str, str]:
    window = await rpc.get_best_contact_window.acall(m.s.conn, lead_id=m.lead, limit=3)
    default_goal = "Nächsten Schritt vereinbaren" if m.language == "de" else "Agree on the next step"
    return {"goal": neutralise(m.args.get("goal") or default_goal), "lead_json": data_json(m.ctx["lead"]),
            "disg_json": data_json(await _disg_material(m.s, m.lead)), "memory_json": data_json(m.ctx.get("memory")),
            "contact_window_json": data_json(window), "lead_messages": format_messages(m.ctx["messages"])}


def _script_result(t: Turn) -> dict:
    sc, gate = t.data, t.gates[0]
    out = {"lead_id": t.lead, "compliance": gate_json(gate)}
    if not gate.blocked:
        out.update(channel=sc.channel, subject=sc.subject, message=sc.message, call_to_action=sc.call_to_action,
                   disg_adaptations=sc.disg_adaptations, personalization_notes=sc.personalization_notes)
    return out


def _show_script(t: Turn) -> None:
    sc, gate = t.data, t.gates[0]
    show_gate(gate, "script")
    if not gate.blocked:
        console.print(Panel(t.texts[0], title=f"{sc.channel} message", title_align="left"))
        console.print(f"call to action: {sc.call_to_action}")
        for a in sc.disg_adaptations:
            console.print(f"  DISG: {a}")


SCRIPT = LeadCommand("script", "script_generation", _script_values, result=_script_result, show=_show_script,
                     texts=lambda sc: [_script_text(sc)], content_type="script")


# ------------------------------------------------------------------ ai objection
async def _objection_values(m: Material) -> dict[str, str]:
    return {"objection": neutralise(m.args["text"]), "lead_json": data_json(m.ctx["lead"]),
            "disg_json": data_json(await _disg_material(m.s, m.lead)), "memory_json": data_json(m.ctx.get("memory")),
            "lead_messages": format_messages(m.ctx["messages"])}


def _objection_result(t: Turn) -> dict:
    o = t.data
    return {"lead_id": t.lead, "objection_type": o.objection_type, "underlying_concern": o.underlying_concern,
            "responses": [dict({"technique": r.technique, "compliance": gate_json(g)}, **({} if g.blocked else {"text": r.text}))
                          for r, g in zip(o.responses, t.gates)],
            "recommended_index": o.recommended_index, "follow_up_question": o.follow_up_question}


def _show_objection(t: Turn) -> None:
    o = t.data
    console.print(f"objection type: [bold]{o.objection_type}[/bold] — {o.underlying_concern}")
    for i, (r, g) in enumerate(zip(o.responses, t.gates)):
        mark = " (recommended)" if i == o.recommended_index else ""
        show_gate(g, f"reply {i + 1}")
        if not g.blocked:
            console.print(Panel(r.text, title=f"{i + 1}. {r.technique}{mark}", title_align="left"))
    console.print(f"follow-up question: {o.follow_up_question}")


OBJECTION = LeadCommand("objection", "objection_handler", _objection_values, result=_objection_result,
                        show=_show_objection, texts=lambda o: [r.text for r in o.responses], content_type="objection_reply")


# ------------------------------------------------------------------ ai recommend
def _rec_text(r) -> str:
    return "\n".join(x for x in (r.title, r.reason, r.suggested_message) if x)


async def _recommend_values(m: Material) -> dict[str, str]:
    intel = await rpc.get_lead_intelligence.acall(m.s.conn, lead_id=m.lead)
    return {"intelligence_json": data_json(intel), "lead_messages": format_messages(m.ctx["messages"])}


async def _write_recommendations(conn, t: Turn) -> list[Optional[int]]:
    """create_ai_recommendation for each recommendation the gate did not block (its id, else None)."""
    ids = []
    for r, g in zip(t.data.recommendations, t.gates):
        rec_id = None
        if not g.blocked:
            action = {"channel": r.channel, "suggested_message": r.suggested_message, "due_in_hours": r.due_in_hours,
                      "model": t.comp.model, "prompt_version": t.prompt.label, "compliance": g.decision}
            rec_id = await rpc.create_ai_recommendation.acall(
                conn, lead_id=t.lead, rec_type=r.rec_type, title=r.title, reason=r.reason, action=Jsonb(action),
                base_priority=r.priority, half_life_hours=72, expires_at=None, source="ai")
        ids.append(rec_id)
    return ids


def _recommend_result(t: Turn) -> dict:
    return {"lead_id": t.lead, "recommendations": [
        dict({"recommendation_id": rid, "rec_type": r.rec_type, "compliance": gate_json(g)},
             **({} if g.blocked else {"title": r.title, "reason": r.reason, "channel": r.channel,
                                      "suggested_message": r.suggested_message, "priority": r.priority,
                                      "due_in_hours": r.due_in_hours}))
        for r, g, rid in zip(t.data.recommendations, t.gates, t.written)]}


def _show_recommendations(t: Turn) -> None:
    for r, g, rid in zip(t.data.recommendations, t.gates, t.written):
        show_gate(g, f"recommendation {r.rec_type}")
        if not g.blocked:
            console.print(f"#{rid} [bold]{r.title}[/bold] ({r.rec_type}, priority {r.priority}, due in {r.due_in_hours} h"
                          + (f", {r.channel}" if r.channel else "") + f")\n   {r.reason}")
            if r.suggested_message:
                console.print(f"   suggested: {r.suggested_message}")


RECOMMEND = LeadCommand("recommend", "recommendation_engine", _recommend_values, write=_write_recommendations,
                        result=_recommend_result, show=_show_recommendations,
                        texts=lambda data: [_rec_text(r) for r in data.recommendations], content_type="recommendation")
