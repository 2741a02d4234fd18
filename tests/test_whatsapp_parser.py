"""The WhatsApp export parser (salesflow_cli/importer/whatsapp.py): fixture exports of both platforms
and locales, the held-out exports written before the parser, single line shapes, the day/month
decision, read_chat's txt/zip handling, and a round trip of random messages through every format.
No database."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesflow_cli.errors import EXIT_BAD_INPUT, UserError
from salesflow_cli.importer.whatsapp import ChatError, parse_chat, read_chat

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "whatsapp"
HELDOUT = FIXTURES / "heldout"


def parse_file(path: Path, **kw):
    text, _ = read_chat(path)
    return parse_chat(text, **kw)


# name: messages, system lines, senders, first, last, media, deleted, day_first
EXPECTED = {
    "android_de.txt": (19, 2, ["Jana Vogt", "Markus Weber"], datetime(2024, 3, 12, 14, 5),
                       datetime(2024, 3, 20, 7, 45), 2, 2, True),
    "ios_en.txt": (18, 2, ["Dana Reyes", "Chris Miller"], datetime(2024, 3, 4, 9, 41, 7),
                   datetime(2024, 3, 13, 8, 15, 37), 3, 1, False),
    "android_us.txt": (18, 1, ["Ashley Brooks", "+1 (555) 014-2290"], datetime(2024, 3, 11, 19, 2),
                       datetime(2024, 3, 18, 13, 30), 2, 1, False),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_exports_parse_to_the_expected_summary(name):
    count, system, senders, first, last, media, deleted, day_first = EXPECTED[name]
    chat = parse_file(FIXTURES / name)
    assert len(chat.messages) == count
    assert chat.system_lines == system
    assert chat.senders == senders
    assert (chat.messages[0].local_time, chat.messages[-1].local_time) == (first, last)
    assert sum(m.media for m in chat.messages) == media
    assert sum(m.deleted for m in chat.messages) == deleted
    assert chat.day_first is day_first
    assert not any(m.media and m.deleted for m in chat.messages)


def test_german_android_multiline_media_deleted_and_umlauts():
    chat = parse_file(FIXTURES / "android_de.txt")
    m = chat.messages
    assert (m[3].line, m[3].sender) == (5, "Markus Weber")
    assert m[3].text == ("Hi Jana, danke! Sieht interessant aus.\nZwei Fragen:\n1. Ist das laktosefrei?\n"
                         "2. Wie lange reicht eine Dose?")
    # "15.03. wäre auch gut" starts with a date but no time: it continues the message
    assert m[10].text == "Samstag klappt leider nicht.\n15.03. wäre auch gut, oder nächste Woche Dienstag."
    assert m[11].text == "Dienstag 19:00 Uhr? Adresse: Müllerstraße 12, Hinterhof."
    assert m[12].line == 19  # line numbers count continuation lines
    assert (m[2].media, m[2].text) == (True, "<Medien ausgeschlossen>")
    assert [(x.sender, x.text) for x in m if x.deleted] == [
        ("Markus Weber", "Diese Nachricht wurde gelöscht"), ("Jana Vogt", "Du hast diese Nachricht gelöscht")]
    assert m[-1].text == "Bestellung ist raus ✅ Grüße auch an Jörg!"


def test_english_ios_marks_attachments_and_system_lines_with_a_sender():
    chat = parse_file(FIXTURES / "ios_en.txt")
    m = chat.messages
    # the encryption notice (sender "Chris Miller", text after U+200E) is a system line, not a message
    assert not any("end-to-end" in x.text for x in m)
    assert not any("Missed voice call" in x.text for x in m)
    media = [x for x in m if x.media]
    assert [x.text for x in media] == ["<attached: 00000012-PHOTO-2024-03-04-10-17-09.jpg>",
                                       "image omitted", "audio omitted"]
    assert media[0].line == 7 and media[0].local_time == datetime(2024, 3, 4, 10, 17, 9)
    assert all("\u200e" not in x.text and "\u200e" not in x.sender for x in m)
    deleted = [x for x in m if x.deleted]
    assert [(x.sender, x.text) for x in deleted] == [("Chris Miller", "This message was deleted.")]
    assert m[7].text.startswith("The 12-week program is $597") and m[7].text.count("\n") == 4
    assert m[7].local_time == datetime(2024, 3, 4, 12, 9, 21)  # 12:xx PM is noon
    assert m[15].text == "Booked for Thursday 7:30 AM 👍"


def test_android_us_phone_number_sender_and_month_first_dates():
    chat = parse_file(FIXTURES / "android_us.txt")
    kayla = [x for x in chat.messages if x.sender == "+1 (555) 014-2290"]
    assert len(kayla) == 9
    assert chat.messages[4].text == ("Hi Kayla! So glad to hear that.\n"
                                    "I'm in your area Wednesday afternoon, does 4:30 work?")
    assert chat.messages[13].local_time == datetime(2024, 3, 18, 10, 5)


def test_heldout_exports_match_what_was_written_down_before_the_parser():
    expected = json.loads((HELDOUT / "expected.json").read_text(encoding="utf-8"))
    files = {k: v for k, v in expected.items() if not k.startswith("_")}
    assert len(files) == 3
    for name, e in files.items():
        chat = parse_file(HELDOUT / name)
        got = {"messages": len(chat.messages), "system_lines": chat.system_lines,
               "day_first": chat.day_first, "senders": chat.senders,
               "first": chat.messages[0].local_time.isoformat(),
               "last": chat.messages[-1].local_time.isoformat(),
               "media": sum(m.media for m in chat.messages),
               "deleted": sum(m.deleted for m in chat.messages)}
        assert got == {k: e[k] for k in got}, name
        for index, text in e["multiline"].items():
            assert chat.messages[int(index) - 1].text == text, (name, index)


@pytest.mark.parametrize("line, when, sender, text", [
    ("12.03.24, 14:05 - Name: Text", datetime(2024, 3, 12, 14, 5), "Name", "Text"),
    ("12.03.2024, 14:05 - Name: Text", datetime(2024, 3, 12, 14, 5), "Name", "Text"),
    ("3/6/18, 1:55 PM - Name: Text", datetime(2018, 3, 6, 13, 55), "Name", "Text"),
    ("3/6/18, 1:55 pm - Name: Text", datetime(2018, 3, 6, 13, 55), "Name", "Text"),
    ("3/6/18, 1:55\u202fPM - Name: Text", datetime(2018, 3, 6, 13, 55), "Name", "Text"),
    ("3/6/18, 12:05\u202fAM - Name: Text", datetime(2018, 3, 6, 0, 5), "Name", "Text"),
    ("06/03/2018, 13:55 - Name: Text", datetime(2018, 6, 3, 13, 55), "Name", "Text"),
    ("[12.03.24, 14:05:33] Name: Text", datetime(2024, 3, 12, 14, 5, 33), "Name", "Text"),
    ("[3/6/18, 1:55:33 PM] Name: Text", datetime(2018, 3, 6, 13, 55, 33), "Name", "Text"),
    ("[3/6/18, 1:55:33\u202fAM] Name: Text", datetime(2018, 3, 6, 1, 55, 33), "Name", "Text"),
    ("\u200e[12.03.24, 14:05:33] Name: Text\u200f", datetime(2024, 3, 12, 14, 5, 33), "Name", "Text"),
    ("\u200e12.03.24, 14:05 - \u202aName\u202c: \u200eText", datetime(2024, 3, 12, 14, 5), "Name", "Text"),
    ("2024-03-12, 14:05 - Name: Text", datetime(2024, 3, 12, 14, 5), "Name", "Text"),
    ("[2024-03-12, 14:05:33] Name: Text", datetime(2024, 3, 12, 14, 5, 33), "Name", "Text"),
    ("12.03.24, 14:05 - +49 151 2345678: Termin: morgen 10:00?", datetime(2024, 3, 12, 14, 5),
     "+49 151 2345678", "Termin: morgen 10:00?"),
    ("12.03.24, 14:05 - Lena 🏋️‍♀️ Coach: 💪💪", datetime(2024, 3, 12, 14, 5), "Lena 🏋️‍♀️ Coach", "💪💪"),
    ("\ufeff12.03.24, 14:05 - Name: Text", datetime(2024, 3, 12, 14, 5), "Name", "Text"),
])
def test_line_shapes(line, when, sender, text):
    chat = parse_chat(line, day_first=False)  # the argument only matters for slash dates
    [m] = chat.messages
    assert (m.line, m.local_time, m.sender, m.text, m.media, m.deleted) == (1, when, sender, text, False, False)


@pytest.mark.parametrize("text", [
    "<Media omitted>", "<Medien ausgeschlossen>", "<attached: 00000012-PHOTO-2024-03-04-10-17-09.jpg>",
    "<Anhang: 00000031-AUDIO-2024-03-04-10-17-09.opus>", "image omitted", "Bild weggelassen",
    "Video weggelassen", "audio omitted", "sticker omitted", "GIF omitted", "Dokument weggelassen",
    "Angebot.pdf • 2 Seiten Dokument weggelassen", "IMG-20240312-WA0004.jpg (Datei angehängt)",
    "IMG-20240312-WA0004.jpg (file attached)", "Contact card omitted", "\u200eimage omitted",
    "Location: https://maps.google.com/?q=52.52,13.40",
])
def test_media_messages_keep_their_text(text):
    [m] = parse_chat(f"12.03.24, 14:05 - Kim: {text}").messages
    assert (m.media, m.deleted, m.text) == (True, False, text.replace("\u200e", ""))


def test_a_media_message_with_a_caption_below_is_media_and_keeps_the_caption():
    [m] = parse_chat("12.03.24, 14:05 - Kim: IMG-20240312-WA0004.jpg (Datei angehängt)\nMein Frühstück 🥣").messages
    assert (m.media, m.text) == (True, "IMG-20240312-WA0004.jpg (Datei angehängt)\nMein Frühstück 🥣")


@pytest.mark.parametrize("text", ["This message was deleted", "You deleted this message",
                                  "Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht",
                                  "\u200eThis message was deleted."])
def test_deleted_messages(text):
    [m] = parse_chat(f"[12.03.24, 14:05:33] Kim: {text}").messages
    assert (m.deleted, m.media) == (True, False)


@pytest.mark.parametrize("line", [
    "12.03.24, 14:05 - Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Tippe, um mehr zu erfahren.",
    "12.03.24, 14:05 - Jana hat die Gruppe „Fit 2024“ erstellt",
    "3/6/18, 1:55 PM - You created group \"Fit crew\"",
    "3/6/18, 1:55 PM - Priya added +44 7700 900461",
    "3/6/18, 1:55 PM - Your security code with Kim changed. Tap to learn more.",
    "[3/6/18, 1:55:33 PM] Fit crew: \u200ePriya added Tom",
    "[12.03.24, 14:05:33] Kim: \u200eNachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.",
    "[12.03.24, 14:05:33] Kim: Messages and calls are end-to-end encrypted. No one outside…",
    "3/6/18, 1:55 PM - Kim: Missed voice call",
])
def test_system_lines_are_counted_not_returned(line):
    chat = parse_chat(f"{line}\n12.03.24, 14:06 - Kim: hi", day_first=True)
    assert chat.system_lines == 1
    assert [(m.sender, m.text) for m in chat.messages] == [("Kim", "hi")]


def test_a_real_message_that_mentions_group_words_stays_a_message():
    chat = parse_chat("12.03.24, 14:05 - Tom: I added 2 kg to my squat\n"
                      "12.03.24, 14:06 - Tom: You created group chats for every client?")
    assert chat.system_lines == 0 and len(chat.messages) == 2


def test_continuation_lines_crlf_blank_lines_and_unicode_line_separators():
    text = "12.03.24, 14:05 - Kim: one\r\n\r\ntwo\u2028still two\r\n12.03.24, 14:06 - Lu: three\r\n\r\n"
    chat = parse_chat(text)
    assert [(m.line, m.text) for m in chat.messages] == [(1, "one\n\ntwo\u2028still two"), (4, "three")]


def test_ambiguous_slash_dates_need_the_callers_word():
    text = "3/6/18, 1:55 PM - Kim: hi\n4/6/18, 9:00 AM - Lu: hello"
    with pytest.raises(ChatError, match="ambiguous") as info:
        parse_chat(text)
    assert "--day-first" in info.value.hint and "--month-first" in info.value.hint
    assert parse_chat(text, day_first=True).messages[1].local_time == datetime(2018, 6, 4, 9, 0)
    chat = parse_chat(text, day_first=False)
    assert (chat.day_first, chat.messages[1].local_time) == (False, datetime(2018, 4, 6, 9, 0))


def test_one_date_decides_the_order_for_the_whole_file():
    chat = parse_chat("3/6/18, 13:55 - Kim: hi\n13/6/18, 09:00 - Lu: hello")
    assert chat.day_first is True and chat.messages[0].local_time == datetime(2018, 6, 3, 13, 55)
    chat = parse_chat("3/6/18, 1:55 PM - Kim: hi\n3/13/18, 9:00 AM - Lu: hello")
    assert chat.day_first is False and chat.messages[0].local_time == datetime(2018, 3, 6, 13, 55)


def test_conflicting_dates_and_a_contradicting_argument_are_errors():
    with pytest.raises(ChatError, match=r"disagree.*line 2.*line 3"):
        parse_chat("3/6/18, 13:55 - Kim: a\n13/6/18, 09:00 - Lu: b\n3/13/18, 09:00 - Lu: c")
    with pytest.raises(ChatError, match="can only be day first, but --month-first"):
        parse_chat("13/6/18, 09:00 - Lu: b", day_first=False)


def test_dotted_dates_are_day_first_whatever_the_argument():
    chat = parse_chat("01.02.24, 10:00 - Kim: hi", day_first=False)
    assert chat.day_first is True  # what was used: dots are always day-first
    assert chat.messages[0].local_time == datetime(2024, 2, 1, 10, 0)


@pytest.mark.parametrize("text, message", [
    ("", "no WhatsApp message lines"),
    ("\n\n", "no WhatsApp message lines"),
    ("Hello there\n12.03.24, 14:05 - Kim: hi", "line 1 is not a WhatsApp message line"),
    ("12.03.24, 14:05 - Messages and calls are end-to-end encrypted.", "only 1 system line"),
    ("31.02.24, 14:05 - Kim: hi", "line 1: 31.02.24 is not a valid date"),
])
def test_bad_chats_are_chat_errors(text, message):
    with pytest.raises(ChatError, match=message) as info:
        parse_chat(text)
    assert isinstance(info.value, UserError) and info.value.exit_code == EXIT_BAD_INPUT


def test_impossible_clock_in_a_continuation_line_stays_text():
    chat = parse_chat("12.03.24, 14:05 - Kim: codes:\n1.2.33, 99:99 - x: y")
    assert chat.messages[0].text == "codes:\n1.2.33, 99:99 - x: y"


# read_chat ---------------------------------------------------------------------------------

def test_read_txt_with_and_without_bom(tmp_path):
    plain = (FIXTURES / "android_de.txt").read_bytes()
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + plain)
    assert read_chat(tmp_path / "bom.txt") == (plain.decode(), "bom.txt")
    assert read_chat(FIXTURES / "android_de.txt")[1] == "android_de.txt"
    (tmp_path / "u16.txt").write_bytes(plain.decode().encode("utf-16"))
    assert read_chat(tmp_path / "u16.txt")[0] == plain.decode()


def test_undecodable_bytes_name_the_offset(tmp_path):
    (tmp_path / "latin.txt").write_bytes("12.03.24, 14:05 - Jörg: hi".encode("cp1252"))
    with pytest.raises(ChatError, match=r"byte 0xf6 at offset 19") as info:
        read_chat(tmp_path / "latin.txt")
    assert info.value.exit_code == EXIT_BAD_INPUT


def test_missing_file(tmp_path):
    with pytest.raises(ChatError, match="no such file"):
        read_chat(tmp_path / "nope.zip")


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("member", ["_chat.txt", "WhatsApp Chat with Chris Miller.txt",
                                    "WhatsApp-Chat mit Markus Weber.txt"])
def test_zip_picks_the_chat_among_media(tmp_path, member):
    ios = (FIXTURES / "ios_en.txt").read_bytes()
    archive = make_zip(tmp_path / "WhatsApp Chat - Chris Miller.zip", {
        member: ios, "00000012-PHOTO-2024-03-04-10-17-09.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
        "notes.txt": b"a document someone sent", "__MACOSX/._chat.txt": b"\x00\x05"})
    text, source = read_chat(archive)
    assert source == f"WhatsApp Chat - Chris Miller.zip:{member}"
    assert parse_chat(text).messages == parse_file(FIXTURES / "ios_en.txt").messages


def test_zip_without_a_chat_or_with_two_is_an_error(tmp_path):
    none = make_zip(tmp_path / "none.zip", {"notes.txt": b"x", "IMG-1.jpg": b"y"})
    with pytest.raises(ChatError, match=r"no WhatsApp chat text in the zip \(found notes.txt\)"):
        read_chat(none)
    two = make_zip(tmp_path / "two.zip", {"a/_chat.txt": b"x", "b/_chat.txt": b"y"})
    with pytest.raises(ChatError, match="several chats"):
        read_chat(two)


def test_zip_member_that_is_not_utf8_names_the_member(tmp_path):
    archive = make_zip(tmp_path / "e.zip", {"_chat.txt": b"[12.03.24, 14:05:33] J\xf6rg: hi"})
    with pytest.raises(ChatError, match=r"e\.zip:_chat\.txt: not UTF-8.*offset 22"):
        read_chat(archive)


# round trip ----------------------------------------------------------------------------------

def _h12(d: datetime) -> tuple[int, str]:
    return (d.hour % 12 or 12), ("AM" if d.hour < 12 else "PM")


# name -> (render header, has seconds, day_first to pass)
FORMATS = {
    "android_de": (lambda d: f"{d:%d.%m.%y, %H:%M} - ", False, None),
    "android_de4": (lambda d: f"{d:%d.%m.%Y, %H:%M} - ", False, None),
    "android_us": (lambda d: f"{d.month}/{d.day}/{d:%y}, {_h12(d)[0]}:{d:%M} {_h12(d)[1]} - ", False, False),
    "android_us_nnbsp": (lambda d: f"{d.month}/{d.day}/{d:%y}, {_h12(d)[0]}:{d:%M}\u202f{_h12(d)[1].lower()} - ",
                         False, False),
    "android_gb": (lambda d: f"{d:%d/%m/%Y, %H:%M} - ", False, True),
    "ios_de": (lambda d: f"[{d:%d.%m.%y, %H:%M:%S}] ", True, None),
    "ios_us": (lambda d: f"\u200e[{d.month}/{d.day}/{d:%y}, {_h12(d)[0]}:{d:%M:%S}\u202f{_h12(d)[1]}] ", True, False),
    "iso": (lambda d: f"{d:%Y-%m-%d, %H:%M:%S} - ", True, None),
}

_NAME_CHARS = st.sampled_from(list("AaBbÄäÖöÜüßZz +()-.'_0123456789😀🏋️💪🌿") + ["\u00e9", ":"])
_TEXT_CHARS = st.sampled_from(list("abcXYZäöüß 0123456789:.,-/[]()!?€$@#😊🎉") + ["\u00a0", "\t"])
senders = st.text(_NAME_CHARS, min_size=1, max_size=20).filter(
    lambda s: s == s.strip() and ": " not in s and not s.endswith(":"))
# a continuation line that itself starts with a digit or "[" could be a timestamp: the fixtures
# test those on purpose, the round trip keeps to text that cannot be
lines = st.text(_TEXT_CHARS, max_size=30)
texts = st.lists(lines, min_size=1, max_size=4).map("\n".join).filter(
    lambda t: t == t.strip() and t != "" and all(not ln[:1].isdigit() and not ln.startswith("[")
                                                 for ln in t.split("\n")[1:]))
messages = st.lists(st.tuples(st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31, 23, 59, 59)),
                              senders, texts), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(fmt=st.sampled_from(sorted(FORMATS)), msgs=messages)
def test_round_trip_through_every_format(fmt, msgs):
    render, seconds, day_first = FORMATS[fmt]
    msgs = [(d.replace(microsecond=0, second=d.second if seconds else 0), s, t) for d, s, t in msgs]
    body = "".join(f"{render(d)}{s}: {t}\n" for d, s, t in msgs)
    chat = parse_chat(body, day_first=day_first)
    assert [(m.local_time, m.sender, m.text, m.media, m.deleted) for m in chat.messages] == [
        (d, s, t, False, False) for d, s, t in msgs]
    expected_lines, n = [], 1
    for _, _, t in msgs:
        expected_lines.append(n)
        n += t.count("\n") + 1
    assert [m.line for m in chat.messages] == expected_lines
    assert chat.senders == list(dict.fromkeys(s for _, s, _ in msgs)) and chat.system_lines == 0
