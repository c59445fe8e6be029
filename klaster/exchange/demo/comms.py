"""The demo's communications (PLT-2): last month's newsletter sent (through the outbox, so the
demo's worker delivers it to the demo mailbox), this month's as a draft for the office to finish
and send — the page shows the monthly warning until it goes — and one member reading in the
portal instead of e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from klaster.comms import services
from klaster.comms.models import Newsletter
from klaster.members.models import Member

LAST_MONTH = """Drodzy Członkowie Klastra,

w minionym miesiącu:
- Zarząd przyjął plan szkoleń na przyszły rok — zgłoszenia potrzeb szkoleniowych zbieramy w portalu;
- zakończyliśmy nabór do wspólnego projektu automatyzacji linii produkcyjnych;
- biuro przypomina o corocznym uzupełnieniu danych statystycznych w portalu.

Zapraszamy do kontaktu z biurem klastra.
"""

THIS_MONTH = """Drodzy Członkowie Klastra,

w tym miesiącu zapraszamy na spotkanie sieciujące i warsztaty z finansowania projektów B+R.
Szczegóły i zapisy — w zakładce „Wydarzenia”.
"""


def _link(token: str) -> str:
    return f"http://127.0.0.1:8000/newsletter/leave/{token}/"


def comms_demo_build(*, cluster: Any, user: Any, today: dt.date) -> None:
    last = services.newsletter_create(
        cluster=cluster,
        user=user,
        subject="Newsletter klastra — podsumowanie miesiąca",
        body=LAST_MONTH,
    )
    services.newsletter_send(newsletter=last, user=user, link=_link)
    first_of_month = dt.datetime.combine(
        today.replace(day=1), dt.time(10), timezone.get_current_timezone()
    )
    Newsletter.objects.filter(pk=last.pk).update(sent_at=first_of_month - dt.timedelta(days=20))
    services.newsletter_create(
        cluster=cluster,
        user=user,
        subject="Newsletter klastra — zaproszenia na ten miesiąc",
        body=THIS_MONTH,
    )
    reader = Member.objects.filter(cluster=cluster, status="active").order_by("-id").first()
    if reader is not None:
        services.portal_reading_set(member=reader, user=user, portal_only=True)
