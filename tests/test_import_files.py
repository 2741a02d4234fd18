"""The file-reading layer of `salesflow import` (no database): encodings, delimiters, line numbers,
presets and --map, and the value normalisers, on the fixture exports in tests/fixtures/import/."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from salesflow_cli.errors import EXIT_BAD_INPUT, UserError
from salesflow_cli.importer import csvfile
from salesflow_cli.importer.csvfile import ImportFileError, open_table
from salesflow_cli.importer.presets import PRESETS, collapse, header_key, preset_for, resolve_columns
from salesflow_cli.importer.values import (
    ValueProblem, normalise_email, parse_bool, parse_datetime, parse_money, phone_e164, split_name,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"

# file, encoding, delimiter, preset, kind, data rows
EXPORTS = [
    ("hubspot_contacts.csv", "utf-8", ",", "hubspot", "leads", 10),
    ("hubspot_internal.csv", "utf-8-sig", ",", "hubspot", "leads", 7),
    ("pipedrive_deals.csv", "utf-8", ",", "pipedrive", "leads", 8),
    ("salesforce_leads.csv", "utf-8", ",", "salesforce", "leads", 8),
    ("excel_de_leads.csv", "cp1252", ";", "generic", "leads", 9),
    ("users.csv", "utf-8", ",", "generic", "users", 8),
    ("activities.csv", "utf-8", ",", "generic", "activities", 9),
]


def read(name: str, **kw) -> tuple[csvfile.Table, list[tuple[int, dict[str, str]]]]:
    with open_table(FIXTURES / name, **kw) as table:
        return table, list(table)


def write(tmp_path: Path, data: bytes, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- reading files ---------------------------------------------------------------------------

@pytest.mark.parametrize("name,encoding,delimiter,preset,kind,rows", EXPORTS)
def test_every_fixture_is_detected_and_maps(name, encoding, delimiter, preset, kind, rows):
    table, records = read(name)
    assert (table.encoding, table.delimiter, len(records)) == (encoding, delimiter, rows)
    mapping = resolve_columns(table.headers, preset, kind=kind)
    assert all(mapping.apply(r) for _, r in records)


def test_bom_is_not_part_of_the_first_header():
    table, records = read("hubspot_internal.csv")
    assert table.headers[0] == "hs_object_id"
    assert records[0][1]["lastname"] == "Schäfer"


def test_explicit_utf8_on_a_bom_file_still_drops_the_bom():
    table, _ = read("hubspot_internal.csv", encoding="utf-8")
    assert table.encoding == "utf-8-sig" and table.headers[0] == "hs_object_id"


def test_windows_1252_umlauts_and_quoted_semicolon():
    table, records = read("excel_de_leads.csv")
    first, second = records[0][1], records[1][1]
    assert (first["Vorname"], first["Nachname"], first["Auftragswert"]) == ("Jürgen", "Größer", "1.234,56 €")
    assert second["Firma"] == "Öztürk; Söhne & Co. KG"
    assert records[2][1]["Land"] == "Österreich"


def test_embedded_newlines_keep_physical_line_numbers():
    _, records = read("hubspot_contacts.csv")
    lines = [line for line, _ in records]
    assert lines[:3] == [2, 3, 5]  # record 2's Notes spans lines 3-4
    assert records[1][1]["Notes"] == "Rief zurück am Dienstag.\nWill ein Angebot bis Freitag."
    _, activities = read("activities.csv")
    assert [line for line, _ in activities][:2] == [2, 5]


def test_crlf_is_read_as_line_ends():
    _, records = read("salesforce_leads.csv")
    assert records[0][1]["IsConverted"] == "false"
    assert records[0][0] == 2


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(tmp_path, delimiter):
    rows = ["Name,Email,Wert", "Anna Berger,anna@example.de,\"1,5\"", "Max Weber,max@example.de,2"]
    text = "\n".join(r.replace(",", delimiter) if delimiter != "," else r for r in rows) + "\n"
    text = text.replace('"1' + delimiter + '5"', '"1,5"')
    table = open_table(write(tmp_path, text.encode()))
    with table:
        assert table.delimiter == delimiter and table.headers == ("Name", "Email", "Wert")
        assert [r["Wert"] for _, r in table] == ["1,5", "2"]


def test_semicolon_wins_over_commas_inside_german_amounts(tmp_path):
    data = "Name;Betrag\nAnna;1.234,56\nMax;2,50\n".encode("cp1252")
    with open_table(write(tmp_path, data)) as table:
        assert table.delimiter == ";"


def test_given_encoding_and_delimiter_are_used(tmp_path):
    path = write(tmp_path, "a|b\nä|ö\n".encode("cp1252"))
    with open_table(path, encoding="windows-1252", delimiter="pipe") as table:
        assert (table.encoding, table.delimiter, list(table)) == ("cp1252", "|", [(2, {"a": "ä", "b": "ö"})])
    with pytest.raises(ImportFileError, match="unsupported delimiter"):
        open_table(path, delimiter=":")
    with pytest.raises(ImportFileError, match="unknown encoding"):
        open_table(path, encoding="klingon")


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_empty_file(tmp_path, data):
    with pytest.raises(ImportFileError, match="empty") as info:
        open_table(write(tmp_path, data))
    assert isinstance(info.value, UserError) and info.value.exit_code == EXIT_BAD_INPUT


def test_duplicate_and_missing_headers(tmp_path):
    with pytest.raises(ImportFileError, match=r"duplicate header 'Email' \(columns 2 and 3\)"):
        open_table(write(tmp_path, b"Name,Email,Email\nA,b@c.de,d@e.de\n"))
    with pytest.raises(ImportFileError, match="column 2 has no header"):
        open_table(write(tmp_path, b"Name,,Email\n"))


def test_trailing_delimiter_and_short_rows_are_tolerated(tmp_path):
    with open_table(write(tmp_path, b"Name;Email;\nAnna;a@b.de;\nMax\n")) as table:
        assert table.headers == ("Name", "Email")
        assert list(table) == [(2, {"Name": "Anna", "Email": "a@b.de"}), (3, {"Name": "Max", "Email": ""})]


def test_too_many_fields_reports_the_line(tmp_path):
    path = write(tmp_path, b'Name,Email\n"Anna\nBerger",a@b.de\nMax,m@b.de,extra\n')
    with open_table(path) as table, pytest.raises(ImportFileError, match=r":4: 3 fields but 2 headers"):
        list(table)


def test_unclosed_quote_reports_where_the_record_starts(tmp_path):
    path = write(tmp_path, b'Name,Email\nAnna,a@b.de\n"Max,m@b.de\nLea,l@b.de\n')
    with open_table(path) as table, pytest.raises(ImportFileError, match=r":3: unexpected end of data"):
        list(table)


def test_cp1252_byte_after_the_sample_fails_with_its_line_but_streams_first(tmp_path):
    """The sample (first MiB) is UTF-8, a Windows-1252 'ä' comes later: rows before it are yielded
    before the error, which names the physical line. That only works if open_table streams."""
    filler = b"".join(b"Person %d,p%d@example.de\n" % (i, i) for i in range(60_000))
    assert len(filler) > csvfile.SAMPLE_BYTES
    path = write(tmp_path, b"Name,Email\n" + filler + b"J\xe4ger,jaeger@example.de\n")
    table = open_table(path)
    assert table.encoding == "utf-8"
    rows = iter(table)
    assert next(rows) == (2, {"Name": "Person 0", "Email": "p0@example.de"})
    with pytest.raises(ImportFileError, match=rf":{60_002}: byte 0xe4 at column 2 is not valid utf-8") as info:
        for _ in rows:
            pass
    assert "--encoding cp1252" in info.value.hint
    table.close()


def test_first_row_is_read_before_a_broken_tail(tmp_path):
    path = write(tmp_path, b"Name,Email\nAnna,a@b.de\nMax,m@b.de,x,y\n")
    with open_table(path) as table:
        rows = iter(table)
        assert next(rows)[1]["Name"] == "Anna"
        with pytest.raises(ImportFileError, match=":3:"):
            next(rows)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(ImportFileError, match="No such file"):
        open_table(tmp_path / "nope.csv")


# --- presets and --map -----------------------------------------------------------------------

def mapped(name: str, preset: str, kind: str = "leads", overrides=()):
    table, records = read(name)
    mapping = resolve_columns(table.headers, preset, overrides, kind=kind)
    return mapping, [mapping.apply(r) for _, r in records]


def test_header_keys_ignore_case_space_underscore_dash():
    assert header_key("Record ID") == header_key("record_id") == header_key("RecordId") == "recordid"


def test_hubspot_display_names():
    mapping, rows = mapped("hubspot_contacts.csv", "hubspot")
    assert mapping.fields["phone"] == ("Phone Number", "Mobile Phone Number")
    assert rows[0]["stage"] == "NEW" and rows[0]["stage_fallback"] == "lead"
    assert rows[1]["phone"] == "0151 23456789"  # mobile when no phone
    assert "stage" not in rows[2] and rows[2]["stage_fallback"] == "opportunity"
    assert mapping.unmapped == ("Marketing contact status", "Notes")
    assert any("'Notes' is not imported" in w for w in mapping.warnings)


def test_hubspot_internal_names():
    mapping, rows = mapped("hubspot_internal.csv", "hubspot")
    assert rows[0]["owner"] == "31337001" and rows[0]["created_at"] == "1710252300000"
    assert set(mapping.fields) >= {"external_id", "first_name", "stage", "stage_fallback", "country", "source"}


def test_pipedrive_status_and_ids():
    _, rows = mapped("pipedrive_deals.csv", "pipedrive")
    won, lost, person_only = (collapse(r) for r in rows[1:4])
    assert won["stage"] == "won" and won["closed_at"] == "2024-05-02 15:30:00"
    assert lost["stage"] == "lost" and lost["lost_reason"] == "Zu teuer"
    assert collapse(rows[0])["stage"] == "Proposal Made"  # open: the pipeline stage stays
    assert person_only["external_id"] == "person-1104" and person_only["name"] == "Yilmaz, Deniz"
    assert collapse(rows[0])["external_id"] == "301"


def test_salesforce_prefers_country_code():
    _, rows = mapped("salesforce_leads.csv", "salesforce")
    assert rows[0]["country"] == "US" and rows[2]["converted"] == "true"
    assert rows[2]["phone"] == "0160 1234567"


def test_generic_german_headers():
    mapping, rows = mapped("excel_de_leads.csv", "generic")
    assert mapping.unmapped == ()
    assert rows[0]["email"] == "juergen.groesser@example.de" and rows[0]["created_at"] == "31.12.2025"


def test_users_and_activities_presets():
    _, users = mapped("users.csv", "generic", "users")
    assert users[0] == {"email": "anna.berger@salesflow.example", "name": "Anna Berger", "role": "manager",
                        "team": "Team Berlin", "language": "de", "timezone": "Europe/Berlin"}
    _, acts = mapped("activities.csv", "generic", "activities")
    assert acts[2]["lead_phone"] == "030 12345678" and acts[3]["lead_external_id"] == "51234004"
    assert preset_for("users").kind == "users"


def test_map_overrides_extend_replace_and_drop():
    mapping, rows = mapped("hubspot_contacts.csv", "hubspot",
                           overrides=["Notes=lost_reason", "mobile phone number=phone", "Industry=-"])
    assert mapping.fields["phone"] == ("Mobile Phone Number", "Phone Number")
    assert "industry" not in mapping.fields and "Industry" in mapping.unmapped
    assert rows[4]["lost_reason"] == "bad e-mail"
    mapping = resolve_columns(["Kunde", "Mail=Adresse"], "generic", {"Mail=Adresse": "email", "Kunde": "name"})
    assert mapping.fields == {"email": ("Mail=Adresse",), "name": ("Kunde",)}
    mapping = resolve_columns(["Kunde", "Mail=Adresse"], "generic", ["Mail=Adresse=email", "Kunde=name"])
    assert mapping.fields["email"] == ("Mail=Adresse",)


def test_map_errors_list_what_is_valid():
    headers = ("Name", "Email")
    with pytest.raises(ImportFileError, match="unknown field 'mail'") as info:
        resolve_columns(headers, "generic", ["Email=mail"])
    assert "external_id" in info.value.hint and "consent" in info.value.hint
    with pytest.raises(ImportFileError, match="column 'Telefon' is not in the file") as info:
        resolve_columns(headers, "generic", ["Telefon=phone"])
    assert info.value.hint.endswith("Name, Email")
    with pytest.raises(ImportFileError, match="expected COLUMN=FIELD"):
        resolve_columns(headers, "generic", ["phone"])
    with pytest.raises(ImportFileError, match="no preset 'zoho'"):
        resolve_columns(headers, "zoho")
    with pytest.raises(ImportFileError, match="no column maps to any of"):
        resolve_columns(("Foo", "Bar"), "hubspot")


def test_presets_have_no_conflicting_keys():
    for preset in PRESETS.values():
        preset.lookup()  # raises on a header that maps to two fields


# --- values ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,region,expected", [
    ("0151 23456789", "DE", "+4915123456789"),
    ("0171 2345678", "DE", "+491712345678"),
    ("030 12345678", None, "+493012345678"),
    ("+43 664 1234567", "DE", "+436641234567"),
    ("0664 1234567", "AT", "+436641234567"),
    ("044 668 18 00", "CH", "+41446681800"),
    ("+41 79 123 45 67", "DE", "+41791234567"),
    ("(212) 555-0100", "US", "+12125550100"),
    ("0049 89 12345678", "DE", "+498912345678"),
    ("", "DE", None),
])
def test_phone_e164(raw, region, expected):
    assert phone_e164(raw, region) == expected


@pytest.mark.parametrize("raw,region,reason", [
    ("0151 2345678", "DE", "not a valid phone number for DE"),  # one digit short for a 0151 number
    ("12345", "DE", "not a valid phone number"),
    ("(000) 000-0000", "US", "not a valid phone number"),
    ("anrufen!", "DE", "not a phone number"),
])
def test_phone_rejects(raw, region, reason):
    with pytest.raises(ValueProblem, match=reason):
        phone_e164(raw, region)


@pytest.mark.parametrize("raw,expected", [
    ("2025-12-31", datetime(2025, 12, 31)),
    ("2024-03-12 14:05", datetime(2024, 3, 12, 14, 5)),
    ("2024-03-12T14:05:33", datetime(2024, 3, 12, 14, 5, 33)),
    ("2024-03-12T14:05:00Z", datetime(2024, 3, 12, 14, 5, tzinfo=timezone.utc)),
    ("2024-03-12T14:05:00.000+0000", datetime(2024, 3, 12, 14, 5, tzinfo=timezone.utc)),
    ("31.12.2025", datetime(2025, 12, 31)),
    ("31.12.2025 14:05", datetime(2025, 12, 31, 14, 5)),
    ("1.2.2026 9:05:07", datetime(2026, 2, 1, 9, 5, 7)),
    ("31.12.25", datetime(2025, 12, 31)),
    ("12/31/2025", datetime(2025, 12, 31)),
    ("12/31/2025 2:05 PM", datetime(2025, 12, 31, 14, 5)),
    ("12/31/2025 12:30 am", datetime(2025, 12, 31, 0, 30)),
    ("31/12/2025", datetime(2025, 12, 31)),
    ("5/5/2025", datetime(2025, 5, 5)),
    ("1710252300000", datetime(2024, 3, 12, 14, 5, tzinfo=timezone.utc)),
    ("  ", None),
])
def test_parse_datetime(raw, expected):
    assert parse_datetime(raw) == expected


def test_ambiguous_date_asks_for_a_format():
    with pytest.raises(ValueProblem, match=r"ambiguous date '03/04/2025'.*--date-format, e\.g\. %d/%m/%Y"):
        parse_datetime("03/04/2025")
    assert parse_datetime("03/04/2025", "%d/%m/%Y") == datetime(2025, 4, 3)
    assert parse_datetime("03/04/2025", "%m/%d/%Y") == datetime(2025, 3, 4)
    with pytest.raises(ValueProblem, match="does not match --date-format %d/%m/%Y"):
        parse_datetime("2025-04-03", "%d/%m/%Y")


@pytest.mark.parametrize("raw", ["gestern", "31.13.2024", "32.03.2026", "2024-13-01T09:00:00.000+0000",
                                 "13/13/2025", "12/31/2025 14:05 PM", "not-a-date"])
def test_parse_datetime_rejects(raw):
    with pytest.raises(ValueProblem, match="not a date|hour 14 with PM"):
        parse_datetime(raw)


@pytest.mark.parametrize("raw,expected", [
    ("1.234,56 €", Decimal("1234.56")), ("1,234.56", Decimal("1234.56")), ("EUR 1200", Decimal("1200")),
    ("1200", Decimal("1200")), ("12.500,00", Decimal("12500.00")), ("2.400", Decimal("2400")),
    ("1'234.50 CHF", Decimal("1234.50")), ("$ 1,200.50", Decimal("1200.50")), ("0,99", Decimal("0.99")),
    ("1.234.567", Decimal("1234567")), ("1 234,5", Decimal("1234.5")), ("", None),
])
def test_parse_money(raw, expected):
    assert parse_money(raw) == expected


@pytest.mark.parametrize("raw,reason", [("abc", "not an amount"), ("1.23.4", "misplaced thousands"),
                                        ("-5", "negative"), ("12,34,5", "misplaced"), ("1200,", "nothing after")])
def test_parse_money_rejects(raw, reason):
    with pytest.raises(ValueProblem, match=reason):
        parse_money(raw)


@pytest.mark.parametrize("raw,expected", [("ja", True), ("Nein", False), ("yes", True), ("no", False), ("TRUE", True),
                                          ("false", False), ("1", True), ("0", False), ("x", True), ("", None)])
def test_parse_bool(raw, expected):
    assert parse_bool(raw) is expected


def test_parse_bool_rejects():
    with pytest.raises(ValueProblem, match="not yes/no"):
        parse_bool("vielleicht")


def test_split_name():
    assert split_name("Jörg", "Müller", None) == ("Jörg", "Müller", "Jörg Müller")
    assert split_name(None, None, "Yilmaz, Deniz") == ("Deniz", "Yilmaz", "Deniz Yilmaz")
    assert split_name(None, None, " Anna  Maria Schmidt ") == ("Anna Maria", "Schmidt", "Anna Maria Schmidt")
    assert split_name("Cher", None, None) == ("Cher", None, "Cher")
    assert split_name("Lena", "Hoffmann", "Dr. Lena Hoffmann") == ("Lena", "Hoffmann", "Dr. Lena Hoffmann")
    assert split_name("", " ", None) is None


def test_email():
    assert normalise_email(" <Lena.Hoffmann@Example.DE> ") == "lena.hoffmann@example.de"
    for bad in ("jonas.weber@", "joerg.weiss(at)example.de", "ben.richter@example"):
        with pytest.raises(ValueProblem, match="not an e-mail address"):
            normalise_email(bad)


def test_fixture_bad_rows_are_caught_by_the_normalisers():
    """Each leads fixture carries a bad e-mail, an invalid phone and an unparseable date."""
    _, rows = mapped("excel_de_leads.csv", "generic")
    problems = set()
    for row in rows:
        for check, field in ((normalise_email, "email"), (phone_e164, "phone"), (parse_datetime, "created_at"),
                             (parse_money, "deal_value"), (parse_bool, "consent")):
            try:
                check(row.get(field))
            except ValueProblem:
                problems.add(field)
    assert problems == {"email", "phone", "created_at", "consent"}
