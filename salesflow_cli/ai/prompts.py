"""Prompt material: the prompt rows (salesflow.get_ai_prompt) and the untrusted lead texts put into them.

Lead texts are untrusted: they go into the prompt between <lead_messages> … </lead_messages> (and
<objection>, <lead_data>) with angle brackets neutralised, so a message can neither close the
block nor pass as an instruction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..errors import EXIT_FAILURE, UserError
from ..render import _default as _json_default


@dataclass(frozen=True)
class Prompt:
    """One row of salesflow.get_ai_prompt()."""

    key: str
    language: str
    version: int
    origin: str
    version_label: str
    system_prompt: str
    user_template: str
    schema_name: str
    json_schema: dict
    temperature: float

    @property
    def label(self) -> str:
        return f"{self.key}/{self.language}/{self.version_label}"

    def render(self, values: dict[str, str]) -> str:
        """Fill {{placeholders}}; an unknown placeholder left in the template is an error."""
        text = self.user_template
        for name, value in values.items():
            text = text.replace("{{" + name + "}}", value)
        if "{{" in text:
            start = text.index("{{")
            name = text[start + 2: text.find("}}", start)]
            raise UserError(
                f"prompt {self.label} uses the placeholder {{{{{name}}}}}, which this command does not fill",
                hint="fix the override row in salesflow.ai_prompts (or deactivate it)",
                exit_code=EXIT_FAILURE,
            )
        return text

    @classmethod
    def from_row(cls, r: dict) -> "Prompt":
        """A row of salesflow.get_ai_prompt(key, language)."""
        return cls(key=r["prompt_key"], language=r["language"], version=r["version"], origin=r["origin"],
                   version_label=r["version_label"], system_prompt=r["system_prompt"], user_template=r["user_template"],
                   schema_name=r["schema_name"], json_schema=r["json_schema"], temperature=float(r["temperature"]))


def neutralise(text: str) -> str:
    """Untrusted text inside a delimited block: no angle brackets, so no tag can be closed or opened."""
    return str(text).replace("<", "‹").replace(">", "›")


def format_messages(messages: list[dict]) -> str:
    lines = []
    for m in messages:
        at = str(m.get("at") or "")[:16].replace("T", " ")
        who = "from lead" if m.get("direction") == "in" else "from sales partner"
        kind = "" if m.get("kind") == "message" else f" | {m.get('kind')}"
        body = neutralise(m.get("body") or "").strip().replace("\r", "")
        body = body.replace("\n", "\n    ")
        lines.append(f"- [{at} | {m.get('channel')} | {who}{kind}] {body}")
    return "\n".join(lines) if lines else "(no messages)"


def data_json(value: Any) -> str:
    """Compact JSON (fewer tokens; the C encoder) of CRM data for a <lead_data> block."""
    return neutralise(json.dumps(value if value is not None else {}, default=_json_default, ensure_ascii=False,
                                 separators=(",", ":")))


def input_hash(messages: list[dict], prompt: Prompt) -> str:
    material = {
        "prompt": prompt.label,
        "messages": [[m.get("id"), m.get("at"), m.get("direction"), m.get("channel"), m.get("kind"), m.get("body")] for m in messages],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
