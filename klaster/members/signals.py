"""Signals the member registry sends for other apps to act on.

``delegate_link_ended`` — MEM-8: a delegated person's link with the member they represent
ended (001 "Podejmowanie decyzji" 7). Sent by ``services.delegate_link_end`` inside its
transaction, with ``person`` (the DelegatedPerson), ``ended`` (the date) and ``user``.
The governance app connects a receiver that ends the person's seats in organs from that
date; because the signal is sent inside the transaction, a receiver that raises undoes the
recorded link end too, so a link never ends with the seats left standing.
"""

from __future__ import annotations

from django.dispatch import Signal

delegate_link_ended = Signal()
