"""Access-matrix rows of the money app's ksef pages (wired in tests/core/test_access_matrix.py).

The KSeF outbox is the office's (FIN-2): the page and "Send now". What "Send now" writes depends
on the server's KSeF configuration, not on the body it is posted (a button, no fields): without
KLASTER_KSEF — as here — the office's POST changes nothing and says so, so there is no payload
that writes; the refused personas' POSTs are still checked to leave the database as it was, and
tests/money/test_ksef_outbox.py sends through the fake KSeF when it is configured."""

from __future__ import annotations

from tests.money.matrix import OFFICE, OFFICE_POST, s


def rows():
    return {
        "money_ksef": ("get", s, OFFICE),
        "money_ksef_send": ("post", s, OFFICE_POST),
    }


def payloads():
    return {}
