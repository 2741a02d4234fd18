"""Read WhatsApp "Export chat" files (Android and iOS, German and English locales) into messages.

Pure Python, no database: `salesflow import whatsapp` turns the messages into activities.
Written here because whatstk, the maintained parser, is GPL-3.0.

Line shapes understood (each with 2- or 4-digit years, optional seconds, 12h or 24h clock, AM/PM
after a space, a no-break space or the narrow no-break space U+202F newer exports write):

    Android  12.03.24, 14:05 - Name: Text          3/6/18, 1:55 PM - Name: Text
    iOS      [12.03.24, 14:05:33] Name: Text       [3/6/18, 1:55:33 PM] Name: Text
    either   2024-03-12, 14:05 - Name: Text        (year first: always year-month-day)

Decisions:
- Dates with dots are day-first, year-first dates are y-m-d; with slashes or dashes the order is
  decided once for the whole file from a part > 12 (see `_decide_order`), else the caller says.
- A media message keeps its original text (e.g. "<attached: 00000012-PHOTO-….jpg>") with
  media=True: the file name is worth keeping in an activity and the flag is what code tests.
- System lines (encryption notice, group changes, missed calls, …) are counted, not returned:
  a line with no "Name: " after the time is one. iOS writes them as "Chat name: ‎text" with the
  generated text starting with U+200E, so a bracketed line whose text starts with U+200E and is
  not media or a deletion notice is one, and so is a well-known notice (encryption, security code,
  missed call) whatever its sender.
- Text is stripped of direction marks (U+200E/F, U+202A-E, U+2066-9) and the BOM, and of
  surrounding whitespace; continuation lines are joined with "\\n".
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from salesflow_cli.errors import UserError


class ChatError(UserError):
    """A chat export that cannot be read (exit code 2, like all bad input)."""


@dataclass(frozen=True)
class ChatMessage:
    line: int  # 1-based line of the file where the message starts
    local_time: datetime  # naive: the export has no zone, the caller applies the lead's
    sender: str
    text: str
    media: bool = False
    deleted: bool = False


@dataclass
class Chat:
    messages: list[ChatMessage]
    system_lines: int
    senders: list[str]  # in order of first message
    day_first: bool  # the date order used


_MARK_CHARS = "\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_MARKS = re.compile(f"[{_MARK_CHARS}]")
_M = f"[{_MARK_CHARS}]*"
_SP = "[ \u00a0\u202f]"
_STAMP = (rf"(?P<date>(?P<a>\d{{1,4}})(?P<sep>[./-])(?P<b>\d{{1,2}})(?P=sep)(?P<c>\d{{2,4}})),?{_SP}+{_M}"
          rf"(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second>\d{{2}}))?"
          rf"(?:{_SP}*(?P<ampm>[AaPp])\.?{_SP}?[Mm]\.?)?")
_IOS = re.compile(rf"{_M}\[{_M}{_STAMP}{_M}\]{_SP}?{_M}(?P<rest>.*)")
_ANDROID = re.compile(rf"{_M}{_STAMP}{_M}{_SP}-{_SP}(?P<rest>.*)")

_MEDIA = re.compile(r"""(?:
      <(?:media\ omitted|medien\ ausgeschlossen|medien\ weggelassen)>
    | <(?:attached|anhang):\s*[^>]+>
    | (?:image|photo|video|audio|sticker|gif|contact\ card|bild|foto|kontaktkarte)\ (?:omitted|weggelassen)
    | .*\b(?:document|dokument)\ (?:omitted|weggelassen)
    | \S.*\ \((?:file\ attached|datei\ angehängt)\)
    | (?:location|standort):\ *https?://\S+
    )""", re.I | re.X)
_DELETED = re.compile(r"(?:this message was deleted|you deleted this message"
                      r"|diese nachricht wurde gelöscht|du hast diese nachricht gelöscht)\.?", re.I)
# Notices matched at the start of a line that has "Name: " (iOS writes the chat name as sender).
# Only distinctive phrases: group events ("X added Y") read like real messages ("I added 2 kg"), so
# they count as system only without a sender or with iOS's U+200E (see _to_message).
_NOTICE = re.compile(r"""(?:
      messages\ and\ calls\ are\ end-to-end\ encrypted
    | messages\ to\ this\ group\ are\ now\ secured\ with\ end-to-end\ encryption
    | nachrichten\ und\ anrufe\ sind\ ende-zu-ende-verschlüsselt
    | nachrichten\ (?:an|in)\ diese(?:r)?\ gruppe\ .*ende-zu-ende
    | your\ security\ code\ with\ .*\ changed | dein\ sicherheitscode\ für\ .*\ hat\ sich\ geändert
    | this\ chat\ is\ with\ a\ business\ account | dieser\ chat\ ist\ mit\ einem\ unternehmenskonto
    | (?:missed\ (?:voice|video)\ call|verpasster\ (?:sprach|video)anruf)(?:,.*)?$
    )""", re.I | re.X)


def read_chat(path: Path) -> tuple[str, str]:
    """The export's text and a name for it ("file.txt", or "file.zip:_chat.txt")."""
    path = Path(path)
    if not path.is_file():
        raise ChatError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        return _decode(path.read_bytes(), path.name), path.name
    try:
        with zipfile.ZipFile(path) as archive:
            name = _chat_member(archive, path.name)
            data = archive.read(name)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ChatError(f"{path.name}: cannot read the zip file ({exc})") from exc
    source = f"{path.name}:{name}"
    return _decode(data, source), source


def _chat_member(archive: zipfile.ZipFile, zip_name: str) -> str:
    """The chat inside an export zip; other .txt files may be sent documents, so match the names
    WhatsApp gives the chat itself."""
    texts = [n for n in archive.namelist()
             if n.lower().endswith(".txt") and not n.startswith("__MACOSX/")]
    chats = [n for n in texts if _is_chat_name(PurePosixPath(n).name)]
    if len(chats) == 1:
        return chats[0]
    if not chats:
        found = f" (found {', '.join(texts)})" if texts else ""
        raise ChatError(f"{zip_name}: no WhatsApp chat text in the zip{found}",
                        hint="expected _chat.txt (iOS) or 'WhatsApp Chat with NAME.txt' (Android)")
    raise ChatError(f"{zip_name}: several chats in the zip ({', '.join(chats)}); import them one by one")


def _is_chat_name(name: str) -> bool:
    lower = name.lower()
    return lower == "_chat.txt" or lower.startswith(("whatsapp chat", "whatsapp-chat"))


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Save as Unicode" on Windows re-encodes
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChatError(f"{source}: not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                        "cannot be decoded", hint="WhatsApp exports are UTF-8; was the file re-saved "
                        "in another encoding?") from exc


@dataclass
class _Entry:
    line: int
    stamp: re.Match
    ios: bool
    lines: list[str]


def parse_chat(text: str, *, day_first: bool | None = None) -> Chat:
    """The messages of an export's text. `day_first` settles slash dates no part > 12 decides."""
    entries = _split_entries(text)
    if not entries:
        raise ChatError("no WhatsApp message lines found (empty file or not a chat export)",
                        hint="expected lines like '12.03.24, 14:05 - Name: Text' or "
                             "'[12.03.24, 14:05:33] Name: Text'")
    order = _decide_order(entries, day_first)
    messages, system = [], 0
    for entry in entries:
        message = _to_message(entry, order)
        if message is None:
            system += 1
        else:
            messages.append(message)
    if not messages:
        raise ChatError(f"the chat has no messages, only {system} system line(s)")
    senders = list(dict.fromkeys(m.sender for m in messages))
    return Chat(messages=messages, system_lines=system, senders=senders, day_first=order)


def _split_entries(text: str) -> list[_Entry]:
    """Group lines into entries: a timestamped line and the continuation lines after it."""
    entries: list[_Entry] = []
    # split("\n"), not splitlines(): U+2028 and friends can sit inside a message line.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        stamp = _IOS.fullmatch(line) or _ANDROID.fullmatch(line)
        if stamp and _plausible(stamp):
            entries.append(_Entry(number, stamp, stamp.re is _IOS, [stamp["rest"]]))
        elif entries:
            entries[-1].lines.append(line)
        elif _MARKS.sub("", line).strip():
            raise ChatError(f"line {number} is not a WhatsApp message line: {line[:60]!r}",
                            hint="a chat export starts with a timestamped line")
    return entries


def _plausible(stamp: re.Match) -> bool:
    """A line "3/6/18, 1:55 PM - …" inside a message is a new message only if the clock is real;
    this keeps e.g. "1.2.3, 99:99 - x" in the text it belongs to."""
    hour, minute = int(stamp["hour"]), int(stamp["minute"])
    limit = 12 if stamp["ampm"] else 23
    return hour <= limit and minute <= 59 and int(stamp["second"] or 0) <= 59


def _decide_order(entries: list[_Entry], day_first: bool | None) -> bool:
    """Dots are day-first and year-first is y-m-d whatever the locale; slash dates are one order
    per file, so a single 13/… or …/13 settles every line."""
    ambiguous = [e for e in entries if e.stamp["sep"] != "." and len(e.stamp["a"]) != 4]
    if not ambiguous:
        return True  # the argument has nothing to settle
    first = next((e for e in ambiguous if int(e.stamp["a"]) > 12), None)
    second = next((e for e in ambiguous if int(e.stamp["b"]) > 12), None)
    if first and second:
        raise ChatError(f"the dates disagree on day/month order: line {first.line} has "
                        f"{first.stamp['date']} (day first), line {second.line} has "
                        f"{second.stamp['date']} (month first)")
    evidence = first or second
    if evidence is None:
        if day_first is None:
            raise ChatError("the dates are ambiguous: no day is above 12, so "
                            f"{ambiguous[0].stamp['date']} could be day/month or month/day",
                            hint="pass --day-first or --month-first")
        return day_first
    found = evidence is first
    if day_first is not None and day_first != found:
        raise ChatError(f"line {evidence.line} has {evidence.stamp['date']}, which can only be "
                        f"{'day' if found else 'month'} first, but "
                        f"{'--day-first' if day_first else '--month-first'} was given")
    return found


def _timestamp(entry: _Entry, day_first: bool) -> datetime:
    s = entry.stamp
    a, b, c = int(s["a"]), int(s["b"]), int(s["c"])
    if len(s["a"]) == 4:
        year, month, day = a, b, c
    else:
        year = c + 2000 if len(s["c"]) == 2 else c
        day, month = (a, b) if s["sep"] == "." or day_first else (b, a)
    hour = int(s["hour"])
    if s["ampm"]:
        hour = hour % 12 + (12 if s["ampm"].lower() == "p" else 0)
    try:
        return datetime(year, month, day, hour, int(s["minute"]), int(s["second"] or 0))
    except ValueError as exc:
        raise ChatError(f"line {entry.line}: {s['date']} is not a valid date ({exc})") from exc


def _to_message(entry: _Entry, day_first: bool) -> ChatMessage | None:
    """The entry as a message, or None for a system line."""
    when = _timestamp(entry, day_first)  # system lines' dates are checked too
    head, sep, body = entry.lines[0].partition(": ")
    sender = _MARKS.sub("", head).strip()
    if not sep or not sender:
        return None  # "X created group …", "Messages and calls are end-to-end encrypted…"
    text = _MARKS.sub("", "\n".join([body, *entry.lines[1:]])).strip()
    media = bool(_MEDIA.fullmatch(text.split("\n", 1)[0]))  # Android puts a caption below the file
    deleted = bool(_DELETED.fullmatch(text))
    if not (media or deleted):
        generated = entry.ios and body.startswith("\u200e")
        if generated or _NOTICE.match(text):
            return None
    return ChatMessage(line=entry.line, local_time=when, sender=sender, text=text,
                       media=media, deleted=deleted)
