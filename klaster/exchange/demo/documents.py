"""The demo's document archive (PLT-3): the statute in two versions, the General Assembly's
minutes, the Board's and the Council's resolutions, a report, and a confidential working group's
plan that only that group's members read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from klaster.documents.services import document_add, version_add
from klaster.governance.models import Organ
from klaster.groups.models import WorkingGroup


def _file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def documents_demo_build(*, cluster: Any, user: Any, today: dt.date) -> None:
    organs = {o.kind: o for o in Organ.objects.filter(cluster=cluster)}
    statute = document_add(
        cluster=cluster,
        user=user,
        title="Statut Klastra",
        category="statute",
        scope="members",
        description="Tekst jednolity statutu klastra.",
        upload=_file(
            "statut-2025.txt",
            "Statut Klastra. § 8. Walne Zgromadzenie zwołuje się co najmniej raz w roku. "
            "§ 12. Składki członkowskie płatne są miesięcznie.",
        ),
    )
    version_add(
        document=statute,
        user=user,
        upload=_file(
            "statut-2026.txt",
            "Statut Klastra (tekst jednolity 2026). § 8. Walne Zgromadzenie zwołuje się co "
            "najmniej raz w roku, zawiadomienie wysyła się 21 dni przed posiedzeniem. § 12. "
            "Składki członkowskie płatne są miesięcznie, do 10. dnia miesiąca.",
        ),
        note="Zmiany przyjęte uchwałą Walnego Zgromadzenia",
    )
    document_add(
        cluster=cluster,
        user=user,
        title="Regulamin Rady Klastra",
        category="statute",
        scope="members",
        upload=_file(
            "regulamin-rady.txt", "Regulamin Rady Klastra: posiedzenia, kworum, głosowania."
        ),
    )
    if "ga" in organs:
        document_add(
            cluster=cluster,
            user=user,
            title="Protokół Walnego Zgromadzenia",
            category="minutes",
            scope="organ",
            organ=organs["ga"],
            upload=_file(
                "protokol-wz.txt",
                "Protokół Walnego Zgromadzenia w Łodzi: przyjęcie sprawozdania, wybór Rady.",
            ),
        )
    if "board" in organs:
        resolutions = document_add(
            cluster=cluster,
            user=user,
            title="Uchwały Zarządu — plan szkoleń",
            category="resolution",
            scope="organ",
            organ=organs["board"],
            description="Uchwały Zarządu Klastra w sprawie planu szkoleń i jego budżetu.",
            upload=_file(
                "uchwala-zarzadu-1.txt",
                "Uchwała nr 1/2026 Zarządu Klastra w sprawie planu szkoleń i budżetu.",
            ),
        )
        version_add(
            document=resolutions,
            user=user,
            upload=_file(
                "uchwala-zarzadu-2.txt",
                "Uchwała nr 1/2026 Zarządu Klastra w sprawie planu szkoleń i budżetu. "
                "Uchwała nr 2/2026 w sprawie szkolenia z cyfryzacji produkcji w Łodzi.",
            ),
            note="Dołączona uchwała nr 2/2026",
        )
    if "council" in organs:
        document_add(
            cluster=cluster,
            user=user,
            title="Opinia Rady o strategii",
            category="resolution",
            scope="organ",
            organ=organs["council"],
            upload=_file("opinia-rady.txt", "Rada pozytywnie opiniuje strategię rozwoju klastra."),
        )
    document_add(
        cluster=cluster,
        user=user,
        title="Sprawozdanie z działalności klastra",
        category="report",
        scope="members",
        upload=_file(
            "sprawozdanie.txt",
            "Sprawozdanie: liczba członków, projekty badawczo-rozwojowe, eksport, szkolenia.",
        ),
    )
    document_add(
        cluster=cluster,
        user=user,
        title="Notatka biura: rozliczenie projektu",
        category="project",
        scope="office",
        upload=_file("notatka.txt", "Rozliczenie kosztów projektu — dokument roboczy biura."),
    )
    # a confidential group's material if there is one (GZW-4: the office and the group only)
    group = WorkingGroup.objects.filter(cluster=cluster).order_by("-confidential", "id").first()
    if group is not None:
        document_add(
            cluster=cluster,
            user=user,
            title=f"Plan prac grupy: {group.name}",
            category="project",
            scope="group",
            group=group,
            description="Materiał poufny grupy roboczej.",
            upload=_file("plan-gzw.txt", "Harmonogram prac, podział zadań, budżet grupy."),
        )
