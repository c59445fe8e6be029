"""The KSeF number: what KSeF gives an accepted invoice, `NIP-YYYYMMDD-XXXXXXXXXXXX-CC`.

35 characters (the ministry's "Numer KSeF – struktura i walidacja", ksef-api faktury/numer-ksef.md):
the seller's NIP (10 digits), the day KSeF took the invoice for processing, a technical part of 12
upper-case hex digits and a checksum of 2 upper-case hex digits: CRC-8 with polynomial 0x07 and
initial value 0x00 over the first 32 characters (ASCII), no reflection, no final XOR. The example
there, 5265877635-20250826-0100001AF629-AF, checks; so does ksef-client's validator
(`ksef_client.utils.ksef_number`), which the tests compare with this one.
"""

from __future__ import annotations

import datetime as dt
import re

KSEF_NUMBER_LENGTH = 35
_SHAPE = re.compile(r"([0-9]{10})-([0-9]{8})-([0-9A-F]{12})-([0-9A-F]{2})")  # ASCII digits only
_TECHNICAL = re.compile(r"[0-9A-F]{12}")


def crc8(data: bytes) -> int:
    """CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), initial value 0, MSB first."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def ksef_checksum(first_32: str) -> str:
    """The two checksum characters for the first 32 characters of a KSeF number."""
    return f"{crc8(first_32.encode('ascii')):02X}"


def ksef_number_valid(value: str) -> bool:
    """Whether `value` is a well-formed KSeF number: shape, a real calendar day, the CRC-8."""
    if not isinstance(value, str) or len(value) != KSEF_NUMBER_LENGTH:
        return False
    match = _SHAPE.fullmatch(value)
    if match is None:
        return False
    try:
        dt.datetime.strptime(match.group(2), "%Y%m%d")  # noqa: DTZ007 (a calendar day only)
    except ValueError:
        return False
    return ksef_checksum(value[:32]) == match.group(4)


def make_ksef_number(nip: str, day: dt.date, technical: str) -> str:
    """A well-formed KSeF number (what the local fake KSeF hands out)."""
    if not (len(nip) == 10 and nip.isascii() and nip.isdigit()):
        raise ValueError(f"NIP: 10 digits are required, got {nip!r}")
    if not _TECHNICAL.fullmatch(technical):
        raise ValueError(
            f"technical part: 12 upper-case hex digits are required, got {technical!r}"
        )
    head = f"{nip}-{day:%Y%m%d}-{technical}"
    return f"{head}-{ksef_checksum(head)}"
