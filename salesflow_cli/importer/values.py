"""Pure normalisers for imported values: each returns the value (None for an empty cell) or raises
ValueProblem(reason), the reason being what the reject report shows next to line, column and value."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import phonenumbers


class ValueProblem(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _clean(raw: str | None) -> str:
    return (raw or "").strip()


# --- phone ---------------------------------------------------------------------------------

def phone_e164(raw: str | None, default_region: str | None = "DE") -> str | None:
    """+4915123456789 from "0151 2345678" (region DE), "+43 664 1234567", "(212) 555-0100" (US).
    default_region: the lead's country code, used for numbers without a country prefix."""
    text = _clean(raw)
    if not text:
        return None
    region = (default_region or "DE").strip().upper()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueProblem(f"not a phone number ({_parse_error(exc)})") from None
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_number(number) or region
        raise ValueProblem(f"not a valid phone number for {where}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_error(exc: phonenumbers.NumberParseException) -> str:
    return {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "no digits to dial",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        phonenumbers.NumberParseException.TOO_LONG: "too long",
    }.get(exc.error_type, str(exc))


# --- dates and times -------------------------------------------------------------------------

_TIME = r"(?:[ ,T]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?"
_GERMAN = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})" + _TIME + r"(?:\s*Uhr)?")
_SLASHED = re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})" + _TIME + r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?")
# 2001-09-09 .. 2286-11-20 in milliseconds: long enough not to be mistaken for any other number
_EPOCH_MS = re.compile(r"\d{13}")


def parse_datetime(raw: str | None, date_format: str | None = None) -> datetime | None:
    """ISO 8601 (date, date-time, Z or offset, space instead of T), German 31.12.2025 [14:05],
    31.12.25, US 12/31/2025 [2:05 PM], epoch milliseconds (HubSpot internal exports, UTC).
    Naive unless the text carries an offset: the lead's time zone is applied later, in SQL.
    A slashed date whose two first parts could both be the month is refused (--date-format)."""
    text = _clean(raw)
    if not text:
        return None
    if date_format:
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            raise ValueProblem(f"does not match --date-format {date_format}") from None
    if _EPOCH_MS.fullmatch(text):
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=int(text))
    try:
        return datetime.fromisoformat(text.replace(" UTC", "Z"))
    except ValueError:
        pass
    if m := _GERMAN.fullmatch(text):
        return _build(m, int(m["d"]), int(m["m"]))
    if m := _SLASHED.fullmatch(text):
        month, day = _month_day(int(m["a"]), int(m["b"]), text)
        return _build(m, day, month)
    raise ValueProblem("not a date (expected e.g. 2025-12-31, 31.12.2025 or 12/31/2025)")


def _month_day(a: int, b: int, text: str) -> tuple[int, int]:
    if a > 12 and b <= 12:
        return b, a  # 31/12/2025: only day/month makes sense
    if a <= 12 and b <= 12 and a != b:
        raise ValueProblem(f"ambiguous date {text!r}: month/day or day/month? "
                           "pass --date-format, e.g. %d/%m/%Y or %m/%d/%Y")
    return a, b  # US order: 12/31/2025


def _build(m: re.Match, day: int, month: int) -> datetime:
    year = int(m["y"])
    if len(m["y"]) == 2:
        year += 2000 if year < 69 else 1900  # the POSIX %y pivot, as strptime would read it
    hour, minute, second = int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0)
    ampm = (m.groupdict().get("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueProblem(f"hour {hour} with {ampm.upper()}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise ValueProblem(f"not a date ({exc})") from None


# --- money -----------------------------------------------------------------------------------

_CURRENCY = re.compile(r"(?i)(€|\$|£|chf|eur|usd|gbp|fr\.)")
_GROUPED = re.compile(r"\d{1,3}(?:[.,'’]\d{3})+")


def parse_money(raw: str | None) -> Decimal | None:
    """1.234,56 € / 1,234.56 / EUR 1200 / 1'234.50 (Swiss) / 1200 -> Decimal. The last separator is
    the decimal one when both kinds occur; a lone separator before exactly three digits groups
    thousands (an amount with three decimals does not occur in a CRM export, 1.234 as 1234 does)."""
    text = _clean(raw)
    if not text:
        return None
    number = re.sub(r"[\s\u00a0\u202f]", "", _CURRENCY.sub("", text))
    negative = number.startswith("-")
    number = number.lstrip("+-")
    if not re.fullmatch(r"[\d.,'’]*\d[\d.,'’]*", number):
        raise ValueProblem("not an amount (expected e.g. 1.234,56 or 1,234.56)")
    integer, fraction = _split_decimal(number)
    if not (integer.isdigit() or _GROUPED.fullmatch(integer)):
        raise ValueProblem("not an amount: misplaced thousands separator")
    try:
        value = Decimal(re.sub(r"\D", "", integer) + ("." + fraction if fraction else ""))
    except InvalidOperation:
        raise ValueProblem("not an amount") from None
    if negative and value:
        raise ValueProblem("negative amount")
    return value


def _split_decimal(number: str) -> tuple[str, str]:
    """(integer part with grouping, fraction digits)."""
    last = max(number.rfind("."), number.rfind(","))
    if last < 0:
        return number, ""
    separator, tail = number[last], number[last + 1:]
    one_kind = len({c for c in number if c in ".,"}) == 1
    if one_kind and (number.count(separator) > 1 or len(tail) == 3):
        return number, ""  # 1.234.567, 1.234, 1,234: thousands only
    if not tail:
        raise ValueProblem("not an amount: nothing after the decimal separator")
    return number[:last], tail


# --- booleans, names, e-mail, labels ---------------------------------------------------------

_TRUE = {"ja", "j", "yes", "y", "true", "t", "wahr", "1", "x", "✓", "✔", "opt-in", "opted in"}
_FALSE = {"nein", "n", "no", "false", "f", "falsch", "0", "-", "opt-out", "opted out"}


def parse_bool(raw: str | None) -> bool | None:
    """ja/nein, yes/no, true/false, 1/0, x (a ticked Excel column) -> bool; empty -> None."""
    text = _clean(raw).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueProblem("not yes/no (expected ja/nein, yes/no, true/false, 1/0 or x)")


class Name(NamedTuple):
    first: str | None
    last: str | None
    full: str


def split_name(first: str | None, last: str | None, full: str | None) -> Name | None:
    """All three parts from whatever the export has: "Schmidt, Anna" and "Anna Schmidt" split on
    the comma or the last space; first+last join to the full name. None when all are empty."""
    first, last, full = _clean(first) or None, _clean(last) or None, " ".join(_clean(full).split()) or None
    if full and not (first or last):
        if "," in full:
            last_part, _, first_part = full.partition(",")
            first, last = first_part.strip() or None, last_part.strip() or None
            full = " ".join(p for p in (first, last) if p)  # "Schmidt, Anna" is Anna Schmidt
        elif " " in full:
            first, last = full.rsplit(" ", 1)
        else:
            first = full
    if not full:
        full = " ".join(p for p in (first, last) if p) or None
    return Name(first, last, full) if full else None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def normalise_email(raw: str | None) -> str | None:
    """Lower-cased, surrounding <> and mailto: removed; refused without a user, a domain and a dot.
    The import's rule is SQL's (import_leads); this twin only checks fixture files without a database."""
    text = _clean(raw).removeprefix("mailto:").strip("<> ").lower()
    if not text:
        return None
    if not _EMAIL.fullmatch(text):
        raise ValueProblem("not an e-mail address")
    return text
