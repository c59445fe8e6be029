"""Fixtures for the KKK app: the demo cluster in the database, and an application filled in
far enough to pass "Sprawdź wniosek". Django is imported lazily: the rules tests here run
without it (`-p no:django`)."""

from __future__ import annotations

import datetime as dt

import pytest

# A minimal valid PDF (one empty page): what an office would attach, byte for byte a PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
D = dt.date(2026, 6, 30)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def demo_dataset():
    from klaster.exchange.demo import demo_cluster

    return demo_cluster()


@pytest.fixture
def demo(db, demo_dataset, media):
    """The demo cluster imported; `demo.office` is its office user."""
    from klaster.exchange.dataset_io import cluster_import
    from tests.factories import UserFactory, grant

    cluster = cluster_import(demo_dataset, slug="demo")
    cluster.office = UserFactory(username="demo-office")
    grant(cluster.office, cluster, "office")
    return cluster


def pdf_upload(name="dokument.pdf", data=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def complete(application, user=None):
    """Fill in what the demo's registry leaves open, the way the office would: descriptions
    the instruction asks for, the funded flag, FTE of non-enterprises, 3.5, the statements
    and the attachments. Returns the application re-read."""
    from klaster.kkk import services
    from klaster.kkk.models import Application, FundingApplication
    from klaster.kkk.records import RECORD_KINDS
    from klaster.rules import kkk_application as ka

    cluster = application.cluster
    for kind in (
        "projects",
        "services",
        "dual_education",
        "startup_cooperations",
        "circular_economy",
        "low_emission",
        "joint_products",
    ):
        for record in RECORD_KINDS[kind].queryset(cluster):
            if not record.description:
                services.activity_record_update(
                    record=record,
                    kind=kind,
                    user=user,
                    data={"description": f"Opis: {record}"[:400]},
                )
    for fa in FundingApplication.objects.filter(cluster=cluster, funded__isnull=True):
        services.activity_record_update(
            record=fa, kind="funding_applications", user=user, data={"funded": False}
        )
    services.application_update(
        application=application,
        user=user,
        data={
            "appointment_document": "Umowa o utworzeniu klastra, § 3",
            "appointment_date": dt.date(2014, 3, 12),
            "statements": [n for n, _ in ka.STATEMENTS],
            "fte": {"iob": "12.5", "science": "140.0", "other": "3.0"},
        },
    )
    for kind, _title, modes, rule in ka.ATTACHMENTS:
        if application.mode in modes and rule != "optional":
            services.application_attachment_add(
                application=application,
                user=user,
                kind=kind,
                upload=pdf_upload(f"zalacznik-{kind}.pdf"),
            )
    return Application.objects.get(pk=application.pk)
