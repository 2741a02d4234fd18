"""Text that enters the CLI (argv, stdin) must be valid UTF-8 without NUL: PostgreSQL text cannot hold
NUL, and undecodable bytes would otherwise surface as a traceback deep inside psycopg."""

from __future__ import annotations

import sys

from .errors import UserError

_HINT_UTF8 = "convert the input to UTF-8 (e.g. iconv -f latin1 -t utf-8)"


def _surrogate_at(text: str) -> int | None:
    """Python decodes undecodable argv/stdin bytes as lone surrogates U+DC80..U+DCFF (surrogateescape)."""
    for i, ch in enumerate(text):
        if "\udc80" <= ch <= "\udcff":
            return i
    return None


def check_argv(args: list[str]) -> None:
    for n, arg in enumerate(args, start=1):
        at = _surrogate_at(arg)
        if at is not None:
            shown = arg.encode("utf-8", "surrogateescape")[:40]
            raise UserError(f"command-line argument {n} is not valid UTF-8 (byte 0x{ord(arg[at]) - 0xDC00:02x} "
                            f"at position {at}): {shown!r}", hint=_HINT_UTF8)


def check_text(text: str, what: str) -> str:
    at = _surrogate_at(text)
    if at is not None:
        raise UserError(f"{what} is not valid UTF-8 (byte 0x{ord(text[at]) - 0xDC00:02x} at character {at})", hint=_HINT_UTF8)
    if "\x00" in text:
        raise UserError(f"{what} contains a NUL byte at character {text.index(chr(0))}",
                        hint="PostgreSQL text cannot hold NUL; remove it (e.g. tr -d '\\000')")
    return text


def read_stdin(what: str = "stdin") -> str:
    """All of stdin, decoded strictly as UTF-8 (whatever the locale), without NUL."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text-only stream (tests replacing sys.stdin)
        return check_text(sys.stdin.read(), what)
    data = buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", hint=_HINT_UTF8) from None
    if text.startswith("\ufeff"):  # a UTF-8 byte-order mark (Windows editors) is not part of the text
        text = text[1:]
    return check_text(text, what)
