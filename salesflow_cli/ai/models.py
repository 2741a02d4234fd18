"""The pydantic models every structured LLM answer must satisfy (one per prompt key, OUTPUT_MODELS).

Strict: unknown keys are refused, ranges are the SQL columns' ranges, blank texts are refused;
tests/test_ai.py checks every shipped JSON schema (salesflow.ai_prompts) against its model.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _nonblank(value: str) -> str:
    if not value or not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class DisgEvidence(_Strict):
    type: Literal["D", "I", "S", "G"]
    quote: str
    reasoning: str


class DisgProfile(_Strict):
    d: int = Field(ge=0, le=100)
    i: int = Field(ge=0, le=100)
    s: int = Field(ge=0, le=100)
    g: int = Field(ge=0, le=100)
    confidence: float = Field(ge=0, le=1)
    evidence: list[DisgEvidence]
    summary: str
    communication_tips: list[str]


class BantDimension(_Strict):
    score: int = Field(ge=0, le=10)
    evidence: str
    next_question: str


class BantAssessment(_Strict):
    budget: BantDimension
    authority: BantDimension
    need: BantDimension
    timeline: BantDimension
    summary: str
    biggest_risk: str


class KeyFact(_Strict):
    key: str
    value: str


class LeadMemory(_Strict):
    summary: str
    key_facts: list[KeyFact]
    pain_points: list[str]
    objections: list[str]
    next_steps: list[str]

    _summary = field_validator("summary")(_nonblank)


Channel = Literal["whatsapp", "email", "phone", "instagram", "linkedin", "telegram", "sms", "in_person"]


class SalesScript(_Strict):
    channel: Channel
    subject: Optional[str]
    message: str
    call_to_action: str
    disg_adaptations: list[str]
    personalization_notes: list[str]

    _message = field_validator("message")(_nonblank)


class ObjectionResponse(_Strict):
    technique: str
    text: str

    _text = field_validator("text")(_nonblank)


class ObjectionReply(_Strict):
    objection_type: Literal[
        "price", "time", "trust", "need", "partner_or_family", "think_about_it", "pyramid_concern", "not_interested", "other"
    ]
    underlying_concern: str
    responses: list[ObjectionResponse] = Field(min_length=1, max_length=3)
    recommended_index: int = Field(ge=0, le=2)
    follow_up_question: str


class CoachAnswer(_Strict):
    answer: str
    suggested_actions: list[str]

    _answer = field_validator("answer")(_nonblank)


class ComplianceFinding(_Strict):
    category: str
    severity: Literal["low", "medium", "high", "critical"]
    matched: str
    explanation: str
    suggestion: str


class ComplianceReview(_Strict):
    decision: Literal["allowed", "flagged", "blocked"]
    violations: list[ComplianceFinding]
    compliant_rewrite: Optional[str]

    @model_validator(mode="after")
    def _findings_behind_the_verdict(self) -> "ComplianceReview":
        # SQL decides over the findings only (log_ai_output_compliance); a verdict with none would be lost there
        if self.decision != "allowed" and not self.violations:
            raise ValueError(f"decision {self.decision!r} without any violation: list the findings behind it")
        return self


RecType = Literal[
    "follow_up", "call", "send_message", "book_meeting", "send_proposal", "qualify_bant", "profile_lead",
    "handle_objection", "nurture", "re_engage", "ask_referral", "close_deal",
]


class Recommendation(_Strict):
    rec_type: RecType
    title: str = Field(max_length=200)
    reason: str = Field(max_length=4000)  # create_ai_recommendation refuses longer (22023)
    channel: Optional[Channel]
    suggested_message: Optional[str]
    priority: int = Field(ge=0, le=100)
    due_in_hours: int = Field(ge=0, le=720)

    _title = field_validator("title")(_nonblank)


class Recommendations(_Strict):
    recommendations: list[Recommendation] = Field(min_length=1, max_length=5)


# prompt_key -> the pydantic model its structured output must satisfy
OUTPUT_MODELS: dict[str, type[BaseModel]] = {
    "neuro_profiler": DisgProfile,
    "deal_medic": BantAssessment,
    "memory_extraction": LeadMemory,
    "script_generation": SalesScript,
    "objection_handler": ObjectionReply,
    "ai_coach": CoachAnswer,
    "compliance_filter": ComplianceReview,
    "recommendation_engine": Recommendations,
}
