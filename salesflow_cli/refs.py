"""What a LEAD, follow-up or recommendation argument names, resolved once for every command.

A lead is named by its uuid, a unique prefix of at least 6 hex digits (as git names commits), its
e-mail or its name (salesflow.find_leads decides, with the caller's visibility). Follow-ups and
recommendations have integer ids. An unknown or ambiguous reference lists the candidates and
exits 2; users are resolved by acting.find_user the same way.
"""

from __future__ import annotations

from . import rpc
from .errors import UserError


def _candidates(rows: list[dict]) -> str:
    return "; ".join(
        f"{r['name']}{' (' + r['company'] + ')' if r.get('company') else ''} <{r.get('email') or '-'}> "
        f"{r['lead_id']} [{r.get('owner_name') or '?'}]"
        for r in rows
    )


def lead_id(conn, ref: str, what: str = "LEAD") -> str:
    """The uuid (text) of the one visible lead `ref` names; UserError (exit 2) when none or several."""
    return str(lead(conn, ref, what)["lead_id"])


def lead(conn, ref: str, what: str = "LEAD") -> dict:
    """The find_leads row (lead_id, name, company, email, owner_name, stage) of the one visible lead `ref` names."""
    return _pick(rpc.find_leads(conn, ref=_check(ref, what), limit=6), ref, what)


async def alead_id(conn, ref: str, what: str = "LEAD") -> str:
    """lead_id() on an AsyncConnection (the ai commands)."""
    return str(_pick(await rpc.find_leads.acall(conn, ref=_check(ref, what), limit=6), ref, what)["lead_id"])


def _check(ref: str, what: str) -> str:
    if not (ref or "").strip():
        raise UserError(f"{what} must not be empty", hint="pass a lead id, id prefix (6+ hex digits), e-mail or name")
    return ref.strip()


def _pick(rows: list[dict], ref: str, what: str) -> dict:
    exact = [r for r in rows if r["match"] != "partial"]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        if rows:
            raise UserError(f"{what} {ref!r} names no lead exactly; did you mean: {_candidates(rows)}",
                            hint="pass the full id, a unique id prefix (6+ hex digits), the e-mail or the exact name")
        raise UserError(f"{what} {ref!r} not found or not visible: no lead you may see has that id, id prefix, e-mail or name",
                        hint="list leads with: salesflow leads")
    more = " (and more)" if len(exact) >= 6 else ""
    raise UserError(f"{what} {ref!r} matches {len(exact)} leads{more}: {_candidates(exact)}",
                    hint="pass a longer id prefix, the full id or the e-mail")


def int_id(ref: str, what: str) -> int:
    """A follow-up or recommendation id (a positive integer)."""
    text = (ref or "").strip().lstrip("#")
    if not text.isdigit() or int(text) < 1 or int(text) > 2**63 - 1:
        raise UserError(f"{what} must be a positive whole number, got {ref!r}",
                        hint="copy the id from `salesflow today`, `salesflow recs` or `salesflow lead LEAD`")
    return int(text)


def short_ids(ids: list, minimum: int = 8) -> dict[str, str]:
    """The shortest prefix (at least `minimum` characters) that tells each id apart from the others
    shown, so a narrow table need not cut an id: `salesflow lead <prefix>` finds it."""
    texts = [str(i) for i in ids if i is not None]
    out: dict[str, str] = {}
    for t in texts:
        n = minimum
        while n < len(t) and any(o != t and o.startswith(t[:n]) for o in texts):
            n += 1
        out[t] = t[:n]
    return out


def shown_ids(ids: list, wide: bool) -> dict[str, str]:
    """How a table shows ids: whole when there is room, else the short unique prefix (never cut)."""
    return {str(i): str(i) for i in ids if i is not None} if wide else short_ids(ids)
