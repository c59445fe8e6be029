"""Encoding detection for Polish bank files: UTF-8, CP852, ISO-8859-2, Windows-1250.

Each candidate is scored by the Polish letters it yields (ąćęłńóśźż) against control
characters and mojibake; a tie between encodings that give different text is refused
rather than guessed.
"""

from __future__ import annotations

from klaster.rules.message import Msg
from klaster.rules.money.bank.model import BAD_ENCODING, StatementError

CANDIDATES = ("utf-8", "cp852", "iso-8859-2", "cp1250")
POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
# letters that a wrong 8-bit code page produces from Polish text
SUSPICIOUS = set(
    "ŕ˘¤ĄĽ¦§¨©Ş«¬®Ż°±˛ł´µ¶·¸ąş»Ľ˝ľżÂĂÄĹĆÇČÉĘËĚÍÎĎĐŃŇÓÔŐÖ×ŘŮÚŰÜÝŢßĺćčéęëěíîďđńňóôőö÷řůúűüýţ˙"
)
BOX = set(chr(c) for c in range(0x2500, 0x25A0))


def _score(text: str) -> float:
    polish = sum(1 for ch in text if ch in POLISH)
    controls = sum(
        1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t") or 0x80 <= ord(ch) < 0xA0
    )
    box = sum(1 for ch in text if ch in BOX)
    odd = sum(
        1
        for ch in text
        if ord(ch) > 127 and ch not in POLISH and ch in SUSPICIOUS and ch not in "óÓ"
    )
    return polish - 5 * controls - 5 * box - 2 * odd


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Raises StatementError when two encodings fit equally well."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if all(b < 128 for b in data):
        return data.decode("ascii"), "ascii"
    scored: list[tuple[float, str, str]] = []
    for enc in CANDIDATES[1:]:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        scored.append((_score(text), enc, text))
    scored.sort(key=lambda s: -s[0])
    if not scored or scored[0][0] <= 0:
        raise StatementError(Msg.of(BAD_ENCODING))
    best = scored[0]
    for other in scored[1:]:
        if other[0] == best[0] and other[2] != best[2]:
            raise StatementError(Msg.of(BAD_ENCODING))
    return best[2], best[1]
