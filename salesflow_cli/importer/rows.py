"""From a mapped CSV record to the text a staging table takes.

Only what needs Python is done here: phone numbers to E.164 (the phonenumbers library, with the
row's country as the region for national numbers), dates in German/US/epoch forms to ISO 8601,
amounts with thousands separators and currency to plain decimals, yes/no words to true/false.
Everything else (case, slugs, stage mapping, owners, countries, validation) is the SQL's job, so a
psql import behaves the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Optional

from psycopg.rows import dict_row

from .presets import collapse
from .values import ValueProblem, parse_bool, parse_datetime, parse_money, phone_e164

COLUMNS = ("external_id", "first_name", "last_name", "name", "company", "email", "phone", "owner", "stage",
           "stage_fallback", "source", "industry", "country", "language", "timezone", "deal_value", "created_at",
           "closed_at", "lost_reason", "consent")
ACTIVITY_COLUMNS = ("lead_id", "external_system", "lead_external_id", "lead_email", "lead_phone", "channel",
                    "direction", "kind", "occurred_at", "subject", "body")
USER_COLUMNS = ("email", "display_name", "role", "team", "language", "timezone")
# fields a preset reads that salesflow has no place for: the import says so instead of dropping them silently
NOT_STORED = {"leads": ("lost_reason", "converted"), "activities": ("external_id", "user"), "users": ()}

Found = list[tuple[str, Optional[str], str]]

_REGIONS = """
SELECT lower(c.code) AS k, c.code FROM salesflow.countries AS c
UNION ALL SELECT lower(c.name_en), c.code FROM salesflow.countries AS c
UNION ALL SELECT lower(c.name_de), c.code FROM salesflow.countries AS c
UNION ALL SELECT a.alias, a.code FROM salesflow.country_aliases AS a
"""


def regions(conn) -> dict[str, str]:
    """Country spelling -> ISO code, read from the reference tables (the one source of country names)."""
    return {r["k"]: r["code"] for r in conn.cursor(row_factory=dict_row).execute(_REGIONS)}


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(sep=" ")


def _try(found: Found, field: str, raw: Optional[str], parse: Callable):
    try:
        return parse(raw)
    except ValueProblem as exc:
        found.append((field, raw, exc.reason))
        return None


def normaliser(region_of: dict[str, str], default_country: Optional[str], date_format: Optional[str]):
    """(values) -> (staged values, problems) for a leads file."""
    def normalise(values: dict) -> tuple[dict, Found]:
        out, found = collapse(values), []
        if default_country and not out.get("country"):
            out["country"] = default_country
        region = region_of.get((out.get("country") or "").strip().lower(), "DE")
        if out.get("phone"):
            out["phone"] = _try(found, "phone", out["phone"], lambda v: phone_e164(v, region))
        for f in ("created_at", "closed_at"):
            if out.get(f):
                out[f] = iso(_try(found, f, out[f], lambda v: parse_datetime(v, date_format)))
        if out.get("deal_value"):
            amount = _try(found, "deal_value", out["deal_value"], parse_money)
            out["deal_value"] = None if amount is None else str(amount)
        if out.get("consent"):
            flag = _try(found, "consent", out["consent"], parse_bool)
            out["consent"] = None if flag is None else str(flag).lower()
        return out, found
    return normalise


def activity_normaliser(region_of: dict[str, str], default_country: Optional[str], date_format: Optional[str]):
    """(values) -> (staged values, problems) for an activities file."""
    region = region_of.get((default_country or "").strip().lower(), "DE")

    def normalise(values: dict) -> tuple[dict, Found]:
        out, found = dict(values), []
        if out.get("lead_phone"):
            out["lead_phone"] = _try(found, "lead_phone", out["lead_phone"], lambda v: phone_e164(v, region))
        if out.get("occurred_at"):
            out["occurred_at"] = iso(_try(found, "occurred_at", out["occurred_at"], lambda v: parse_datetime(v, date_format)))
        return out, found
    return normalise


def user_values(values: dict) -> dict:
    """A users row: the name from name, or first and last name."""
    out = dict(values)
    out["display_name"] = out.get("name") or " ".join(p for p in (out.get("first_name"), out.get("last_name")) if p) or None
    return out
