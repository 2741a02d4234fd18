"""Which CSV column feeds which salesflow field: presets per CRM export, --map overrides.

Headers match case-, space-, '_'- and '-'-insensitively ("Record ID", "record_id" and "RecordId"
are one key), because the same CRM writes different spellings depending on the export screen.
Several columns may feed one field, in preference order: the first non-empty value wins (HubSpot
writes "Associated Company" or "Company Name", Pipedrive "Deal - Won time" or "Deal - Lost time").
Fields ending in _fallback are a second vocabulary kept apart (HubSpot Lifecycle Stage values are
not Lead Status values), so the SQL side can map each with its own table; collapse() picks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .csvfile import ImportFileError

LEAD_FIELDS = (
    "external_id", "external_id_fallback", "first_name", "last_name", "name", "company", "email", "phone",
    "owner", "stage", "stage_fallback", "deal_status", "source", "industry", "country", "language", "timezone",
    "deal_value", "created_at", "closed_at", "lost_reason", "consent", "converted",
)
USER_FIELDS = ("email", "name", "first_name", "last_name", "role", "team", "language", "timezone")
ACTIVITY_FIELDS = (
    "lead_email", "lead_phone", "lead_external_id", "external_system", "external_id", "channel", "direction",
    "kind", "occurred_at", "subject", "body", "user",
)
FIELDS = {"leads": LEAD_FIELDS, "users": USER_FIELDS, "activities": ACTIVITY_FIELDS}
# a file that maps none of these cannot produce a valid row, so it is refused before reading rows
_NEEDS_ONE_OF = {
    "leads": ("name", "first_name", "last_name", "company", "email"),
    "users": ("email",),
    "activities": ("lead_email", "lead_phone", "lead_external_id"),
}
_IGNORE = ("", "-", "ignore")


def header_key(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header).casefold()


@dataclass(frozen=True)
class Preset:
    name: str
    kind: str  # leads | users | activities
    columns: tuple[tuple[str, str], ...]  # (export header, field) in preference order per field

    def lookup(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for header, target in self.columns:
            key = header_key(header)
            if out.get(key, target) != target:
                raise ValueError(f"preset {self.name}: {header!r} maps to {out[key]} and {target}")
            out[key] = target
        return out


def _pairs(spec: dict[str, Sequence[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((header, target) for target, headers in spec.items() for header in headers)


HUBSPOT = Preset("hubspot", "leads", _pairs({
    "external_id": ("Record ID", "hs_object_id", "Contact ID"),
    "first_name": ("First Name", "firstname"),
    "last_name": ("Last Name", "lastname"),
    "email": ("Email", "email"),
    "phone": ("Phone Number", "phone", "Mobile Phone Number", "mobilephone"),
    "owner": ("Contact owner", "hubspot_owner_id"),
    "stage": ("Lead Status", "hs_lead_status"),
    "stage_fallback": ("Lifecycle Stage", "lifecyclestage"),
    "created_at": ("Create Date", "createdate"),
    "company": ("Associated Company", "Company Name", "company"),
    "country": ("Country/Region", "country"),
    "source": ("Original Source", "hs_analytics_source"),
    "industry": ("Industry", "industry"),
    "language": ("Preferred language", "hs_language"),
    "timezone": ("Time Zone", "hs_timezone"),
}))

PIPEDRIVE = Preset("pipedrive", "leads", _pairs({
    "external_id": ("Deal - ID",),
    "external_id_fallback": ("Person - ID",),
    "name": ("Person - Name",),
    "first_name": ("Person - First name",),
    "last_name": ("Person - Last name",),
    "email": ("Person - Email", "Person - Email - Work", "Person - Email - Home", "Person - Email - Other"),
    "phone": ("Person - Phone", "Person - Phone - Work", "Person - Phone - Mobile", "Person - Phone - Home"),
    "company": ("Organization - Name",),
    "stage": ("Deal - Stage",),
    "deal_status": ("Deal - Status",),
    "deal_value": ("Deal - Value",),
    "owner": ("Deal - Owner", "Person - Owner"),
    "lost_reason": ("Deal - Lost reason",),
    "created_at": ("Deal - Deal created", "Person - Person created"),
    "closed_at": ("Deal - Won time", "Deal - Lost time", "Deal - Deal closed on"),
    "source": ("Deal - Source channel", "Deal - Source origin"),
}))

SALESFORCE = Preset("salesforce", "leads", _pairs({
    "external_id": ("Id", "Lead ID"),
    "first_name": ("FirstName", "First Name"),
    "last_name": ("LastName", "Last Name"),
    "name": ("Name", "Full Name"),
    "company": ("Company", "Company / Account"),
    "email": ("Email",),
    "phone": ("Phone", "MobilePhone", "Mobile"),
    "stage": ("Status", "Lead Status"),
    "source": ("LeadSource", "Lead Source"),
    "owner": ("OwnerId", "Lead Owner", "Owner.Email"),
    "country": ("CountryCode", "Country", "Country Code"),
    "industry": ("Industry",),
    "created_at": ("CreatedDate", "Create Date", "Created Date"),
    "converted": ("IsConverted", "Converted"),
}))

GENERIC = Preset("generic", "leads", _pairs({
    "external_id": ("external_id", "id", "crm_id"),
    "first_name": ("first_name", "given name", "vorname"),
    "last_name": ("last_name", "surname", "family name", "nachname"),
    "name": ("name", "full name", "contact", "kontakt"),
    "company": ("company", "organisation", "organization", "account", "firma", "unternehmen"),
    "email": ("email", "e-mail address", "email address", "mail", "e-mail-adresse"),
    "phone": ("phone", "phone number", "telephone", "telefon", "tel", "mobile", "handy", "mobil"),
    "owner": ("owner", "rep", "sales rep", "betreuer", "vertriebler"),
    "stage": ("stage", "status", "phase"),
    "source": ("source", "lead source", "quelle"),
    "industry": ("industry", "branche"),
    "country": ("country", "country code", "land"),
    "language": ("language", "sprache"),
    "timezone": ("timezone", "time zone", "zeitzone", "tz"),
    "deal_value": ("deal_value", "value", "amount", "betrag", "wert", "auftragswert"),
    "created_at": ("created_at", "created", "erstellt", "erstellt am"),
    "closed_at": ("closed_at", "closed", "abgeschlossen am"),
    "lost_reason": ("lost_reason", "verlustgrund"),
    "consent": ("consent", "opt-in", "einwilligung", "marketing consent"),
    **{f: (f,) for f in ("external_id_fallback", "stage_fallback", "deal_status", "converted")},
}))

USERS = Preset("generic", "users", _pairs({
    "email": ("email", "e-mail address", "mail"),
    "name": ("name", "display_name", "display name", "full name"),
    "first_name": ("first_name", "vorname"),
    "last_name": ("last_name", "nachname"),
    "role": ("role", "rolle"),
    "team": ("team", "team name"),
    "language": ("language", "sprache"),
    "timezone": ("timezone", "time zone", "zeitzone"),
}))

ACTIVITIES = Preset("generic", "activities", _pairs({
    "lead_email": ("lead_email", "email", "contact email", "e-mail"),
    "lead_phone": ("lead_phone", "phone", "contact phone", "telefon", "number"),
    "lead_external_id": ("lead_external_id", "lead id", "contact id", "record id"),
    "external_system": ("external_system", "system", "source system"),
    "external_id": ("external_id", "activity id", "engagement id", "call id", "message id"),
    "channel": ("channel", "kanal", "type"),
    "direction": ("direction", "richtung"),
    "kind": ("kind", "art"),
    "occurred_at": ("occurred_at", "timestamp", "date", "datum", "time", "zeitpunkt", "start time"),
    "subject": ("subject", "betreff"),
    "body": ("body", "text", "notes", "notiz", "message", "nachricht", "content"),
    "user": ("user", "rep", "owner", "user_email"),
}))

PRESETS = {"hubspot": HUBSPOT, "pipedrive": PIPEDRIVE, "salesforce": SALESFORCE, "generic": GENERIC}
PRESETS_BY_KIND = {"leads": PRESETS, "users": {"generic": USERS}, "activities": {"generic": ACTIVITIES}}


def preset_for(kind: str, name: str = "generic") -> Preset:
    presets = PRESETS_BY_KIND.get(kind)
    if presets is None:
        raise ImportFileError(f"unknown import kind {kind!r}", hint="one of: " + ", ".join(PRESETS_BY_KIND))
    if name not in presets:
        raise ImportFileError(f"no preset {name!r} for {kind}", hint="one of: " + ", ".join(presets))
    return presets[name]


@dataclass(frozen=True)
class Mapping:
    """The resolved columns of one file: fields maps each salesflow field to its columns in
    preference order; unmapped are the file's columns nothing reads; warnings say so in words."""

    kind: str
    fields: dict[str, tuple[str, ...]]
    unmapped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def apply(self, record: dict[str, str]) -> dict[str, str]:
        """field -> the first non-empty value among its columns (stripped); absent when all empty."""
        out = {}
        for target, columns in self.fields.items():
            for column in columns:
                value = record.get(column, "").strip()
                if value:
                    out[target] = value
                    break
        return out


def _parse_override(item: str) -> tuple[str, str]:
    column, sep, target = item.rpartition("=")  # the last '=': a header may contain one, a field never does
    if not sep or not column.strip():
        raise ImportFileError(f"--map {item!r}: expected COLUMN=FIELD", hint="e.g. --map 'Telefon (mobil)=phone'")
    return column.strip(), target.strip()


def _find_column(column: str, headers: Sequence[str]) -> str:
    if column in headers:
        return column
    matches = [h for h in headers if header_key(h) == header_key(column)]
    if len(matches) == 1:
        return matches[0]
    raise ImportFileError(f"--map: column {column!r} is not in the file",
                          hint="the file's columns: " + ", ".join(headers))


def _overrides_first(chosen: dict[str, str], headers: Sequence[str], fields: Sequence[str],
                     overrides: Iterable[str] | dict[str, str]) -> dict[str, str]:
    """chosen (column -> field) with the overrides applied; an overridden column becomes the first
    choice for its field, since naming it explicitly means "this one"."""
    items = overrides.items() if isinstance(overrides, dict) else map(_parse_override, overrides)
    explicit: dict[str, str] = {}
    dropped: set[str] = set()
    for column, target in items:
        header = _find_column(column, headers)
        if target.lower() in _IGNORE:
            dropped.add(header)
            explicit.pop(header, None)
            continue
        if target not in fields:
            raise ImportFileError(f"--map {column}={target}: unknown field {target!r}",
                                  hint="valid fields: " + ", ".join(fields) + " (or '-' to ignore the column)")
        explicit[header] = target
        dropped.discard(header)
    rest = {h: t for h, t in chosen.items() if h not in explicit and h not in dropped}
    return {**explicit, **rest}


def resolve_columns(headers: Sequence[str], preset: Preset | str = "generic",
                    overrides: Iterable[str] | dict[str, str] = (), *, kind: str | None = None) -> Mapping:
    """Which column feeds which field. Overrides are 'COLUMN=FIELD' strings (or a dict); FIELD '-'
    drops a column. Errors (ImportFileError) on an unknown field, a column not in the file, or a
    file from which no row could be built; unmapped columns only warn."""
    if isinstance(preset, str):
        preset = preset_for(kind or "leads", preset)
    fields = FIELDS[preset.kind]
    lookup = preset.lookup()
    order: dict[str, int] = {}
    for i, (h, _) in enumerate(preset.columns):
        order.setdefault(header_key(h), i)  # a key's first spelling decides its rank
    # column -> field, in preset preference order (so "Phone Number" beats "Mobile Phone Number")
    by_pref = sorted((h for h in headers if header_key(h) in lookup), key=lambda h: order[header_key(h)])
    chosen = {h: lookup[header_key(h)] for h in by_pref}
    overridden = _overrides_first(chosen, headers, fields, overrides)
    result: dict[str, list[str]] = {}
    for header, target in overridden.items():
        result.setdefault(target, []).append(header)
    needs = _NEEDS_ONE_OF[preset.kind]
    if not any(f in result for f in needs):
        raise ImportFileError(f"no column maps to any of {', '.join(needs)} (preset {preset.name})",
                              hint="add --map COLUMN=FIELD; the file's columns: " + ", ".join(headers))
    unmapped = tuple(h for h in headers if h not in overridden)
    warnings = tuple(f"column {h!r} is not imported (preset {preset.name}); --map '{h}=FIELD' to use it"
                     for h in unmapped)
    return Mapping(preset.kind, {t: tuple(c) for t, c in result.items()}, unmapped, warnings)


def collapse(values: dict[str, str]) -> dict[str, str]:
    """Resolve the per-CRM special cases: a Pipedrive deal that is won or lost is in that stage
    whatever its pipeline stage says; external_id falls back to external_id_fallback (Pipedrive:
    the person id when the row has no deal). stage_fallback stays: it is another vocabulary."""
    out = dict(values)
    status = out.pop("deal_status", "").strip().lower()
    if status in ("won", "lost"):
        out["stage"] = status
    fallback = out.pop("external_id_fallback", None)
    if fallback and not out.get("external_id"):
        # Pipedrive numbers persons and deals separately: person 17 must not be deal 17
        out["external_id"] = f"person-{fallback}"
    return out
