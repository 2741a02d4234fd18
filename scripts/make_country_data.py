"""Generate sql/data/countries.sql (salesflow.countries and salesflow.country_aliases) from CLDR via babel.

    python scripts/make_country_data.py          # rewrite sql/data/countries.sql
    python scripts/make_country_data.py --check  # exit 1 when the committed file is stale

babel is a build-time tool here ([test] extra), not a runtime dependency: the data ships as SQL,
so `salesflow deploy` and a DBA's psql run of DEPLOY_KI_SYSTEM.sql get the same rows.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from babel import Locale, __version__ as babel_version
from babel.core import get_global

OUTPUT = Path(__file__).resolve().parent.parent / "sql" / "data" / "countries.sql"
GERMAN_SPEAKING = {"DE", "AT", "CH", "LI", "LU"}  # salesflow speaks de and en only

# CLDR lists every zone of a territory but names no main one, so the countries with several zones
# get theirs here (capital or most people). A territory gaining a second zone in a newer CLDR makes
# the script stop rather than pick one alphabetically.
MAIN_ZONES = {
    "AQ": "Antarctica/McMurdo", "AR": "America/Argentina/Buenos_Aires", "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo", "CA": "America/Toronto", "CD": "Africa/Kinshasa", "CL": "America/Santiago",
    "CN": "Asia/Shanghai", "CY": "Asia/Nicosia", "DE": "Europe/Berlin", "EC": "America/Guayaquil",
    "ES": "Europe/Madrid", "FM": "Pacific/Pohnpei", "GL": "America/Nuuk", "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa", "KZ": "Asia/Almaty", "MH": "Pacific/Majuro", "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City", "MY": "Asia/Kuala_Lumpur", "NZ": "Pacific/Auckland", "PF": "Pacific/Tahiti",
    "PG": "Pacific/Port_Moresby", "PS": "Asia/Hebron", "PT": "Europe/Lisbon", "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv", "UM": "Pacific/Wake", "US": "America/New_York", "UZ": "Asia/Tashkent",
}

# babel has no ISO alpha-3 codes; these are the markets a salesflow team meets (checked against
# ISO 3166-1). Further spellings people type into a CRM's country field follow.
ALPHA3 = {
    "DE": "deu", "AT": "aut", "CH": "che", "LI": "lie", "LU": "lux", "US": "usa", "GB": "gbr", "FR": "fra",
    "IT": "ita", "ES": "esp", "PT": "prt", "NL": "nld", "BE": "bel", "DK": "dnk", "SE": "swe", "NO": "nor",
    "FI": "fin", "IS": "isl", "IE": "irl", "PL": "pol", "CZ": "cze", "SK": "svk", "HU": "hun", "SI": "svn",
    "HR": "hrv", "RO": "rou", "BG": "bgr", "GR": "grc", "CY": "cyp", "MT": "mlt", "EE": "est", "LV": "lva",
    "LT": "ltu", "UA": "ukr", "RU": "rus", "TR": "tur", "RS": "srb", "BA": "bih", "ME": "mne", "MK": "mkd",
    "AL": "alb", "CA": "can", "MX": "mex", "BR": "bra", "AR": "arg", "CL": "chl", "AU": "aus", "NZ": "nzl",
    "JP": "jpn", "CN": "chn", "KR": "kor", "IN": "ind", "IL": "isr", "AE": "are", "SA": "sau", "ZA": "zaf",
    "EG": "egy", "SG": "sgp", "HK": "hkg", "TW": "twn", "TH": "tha", "VN": "vnm", "ID": "idn", "MY": "mys",
    "PH": "phl",
}
EXTRA_ALIASES = {
    "DE": ("brd", "bundesrepublik deutschland", "federal republic of germany", "ger"),
    "AT": ("republik österreich", "republic of austria"),
    "CH": ("suisse", "svizzera", "swiss confederation", "schweizerische eidgenossenschaft"),
    "LU": ("luxemburg",),
    "US": ("usa", "u.s.", "u.s.a.", "united states of america", "america", "vereinigte staaten von amerika", "amerika"),
    "GB": ("uk", "u.k.", "great britain", "britain", "england", "scotland", "wales", "northern ireland",
           "großbritannien", "vereinigtes königreich von großbritannien und nordirland"),
    "NL": ("holland", "the netherlands"),
    "CZ": ("czech republic", "tschechische republik"),
    "KR": ("korea", "republic of korea"),
    "TR": ("turkey",),
    "AE": ("uae", "emirates", "vae"),
    "CI": ("ivory coast",),
    "RU": ("russian federation",),
}


def main_zone(code: str, zones: list[str]) -> str:
    if code in MAIN_ZONES:
        if MAIN_ZONES[code] not in zones:
            raise SystemExit(f"{code}: {MAIN_ZONES[code]} is not among CLDR's zones {zones}")
        return MAIN_ZONES[code]
    if len(zones) != 1:
        raise SystemExit(f"{code} has {len(zones)} zones in this CLDR; add its main zone to MAIN_ZONES")
    return zones[0]


def spellings(name: str) -> set[str]:
    """The name lower-cased, with umlauts spelled out (oesterreich) and with accents dropped."""
    low = name.lower().replace("’", "'")
    spelled = low.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    plain = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return {low, spelled, plain}


def countries() -> list[tuple[str, str, str, str, str]]:
    en, de = Locale("en").territories, Locale("de").territories
    # territory_zones holds every ISO 3166-1 country except BV and HM (uninhabited, no zone)
    zones = {k: v for k, v in get_global("territory_zones").items() if len(k) == 2 and k != "ZZ"}
    return [(code, en[code], de[code], "de" if code in GERMAN_SPEAKING else "en", main_zone(code, zones[code]))
            for code in sorted(zones)]


def aliases(rows: list[tuple[str, str, str, str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}

    def add(alias: str, code: str) -> None:
        if out.setdefault(alias, code) != code:
            raise SystemExit(f"alias {alias!r} would mean both {out[alias]} and {code}")

    for code, name_en, name_de, _, _ in rows:
        for alias in sorted(spellings(name_en) | spellings(name_de) | {ALPHA3.get(code, "")} - {""}):
            add(alias, code)
    for code, extra in EXTRA_ALIASES.items():
        for name in extra:
            for alias in sorted(spellings(name)):
                add(alias, code)
    return dict(sorted(out.items()))


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def render() -> str:
    rows = countries()
    names = aliases(rows)
    out = [
        "-- ============================================================================",
        "-- countries: ISO 3166-1 countries and the spellings of them found in CRM exports",
        "-- ============================================================================",
        f"-- GENERATED by scripts/make_country_data.py from CLDR (babel {babel_version}); edit the script, not this file.",
        "-- language: de for DE, AT, CH, LI, LU, en elsewhere; timezone: the country's main IANA zone.",
        "-- Re-runnable: rows are updated in place; aliases a DBA added stay.",
        "INSERT INTO salesflow.countries AS c (code, name_en, name_de, language, timezone)",
        "VALUES",
        ",\n".join(f"({', '.join(_lit(v) for v in row)})" for row in rows),
        "ON CONFLICT (code) DO UPDATE",
        "    SET",
        "        name_en = excluded.name_en,",
        "        name_de = excluded.name_de,",
        "        language = excluded.language,",
        "        timezone = excluded.timezone",
        "    WHERE (c.name_en, c.name_de, c.language, c.timezone)",
        "    IS DISTINCT FROM (excluded.name_en, excluded.name_de, excluded.language, excluded.timezone);",
        "",
        "INSERT INTO salesflow.country_aliases AS a (alias, code)",
        "VALUES",
        ",\n".join(f"({_lit(alias)}, {_lit(code)})" for alias, code in names.items()),
        "ON CONFLICT (alias) DO UPDATE",
        "    SET code = excluded.code",
        "    WHERE a.code IS DISTINCT FROM excluded.code;",
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is stale: run python scripts/make_country_data.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
