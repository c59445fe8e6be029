"""Issue 7 point 7: every kind of upload has a size limit, kept in one place
(klaster/core/uploads.py, overridable by KLASTER_UPLOAD_LIMITS); a file over it is refused
with a Polish message naming the limit and nothing is stored; a request body larger than any
upload may be is answered 413 before Django reads it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.core import uploads
from klaster.core.models import AuditLog
from klaster.members.models import Member

MB = uploads.MB


def test_issue7_every_upload_form_checks_its_kind_s_limit_from_one_place(settings):
    from klaster.exchange.forms import ImportUploadForm
    from klaster.governance.forms import ProxyImportForm
    from klaster.groups.forms import MaterialForm
    from klaster.kkk.forms import AttachmentForm
    from klaster.money.forms import StatementForm

    forms = {
        "bank_statement": StatementForm,
        "member_import": ImportUploadForm,
        "group_material": MaterialForm,
        "kkk_attachment": AttachmentForm,
        "proxy_csv": ProxyImportForm,
    }
    for kind, form in forms.items():
        assert uploads.UploadSizeValidator(kind) in form.base_fields["file"].validators, kind
    assert {k: uploads.limit(k) for k in uploads.KINDS} == {
        "member_import": 5 * MB,
        "group_material": 25 * MB,
        "kkk_attachment": 25 * MB,
        "proxy_csv": 1 * MB,
        "bank_statement": 20 * MB,
        "document": 25 * MB,
        "dataset": 64 * MB,
    }
    settings.KLASTER_UPLOAD_LIMITS = {"group_material": 3 * MB}
    assert uploads.limit("group_material") == 3 * MB
    assert uploads.limit("kkk_attachment") == 25 * MB
    # the dataset is read by the command line, not uploaded: it does not widen the web's guard
    assert uploads.max_request_bytes() == 25 * MB + uploads.REQUEST_MARGIN
    # one message, Polish, naming the size and the limit
    assert uploads.too_large_message("group_material", 200 * MB) == (
        "Plik jest za duży (200 MB): limit dla materiału grupy roboczej to 3 MB. Nic nie zapisano."
    )
    assert "(5,00 MB)" in uploads.too_large_message("member_import", 5 * MB + 1)


def test_issue7_member_list_over_its_limit_is_refused_unread(
    world, client_for, settings, monkeypatch
):
    from klaster.exchange import import_views

    settings.KLASTER_UPLOAD_LIMITS = {"member_import": 1 * MB}
    monkeypatch.setattr(
        import_views, "plan_import", lambda **kw: pytest.fail("a file over the limit was read")
    )
    office = client_for("office")
    before = (Member.objects.count(), AuditLog.objects.count())
    data = ("Nazwa;Typ\n" + "".join(f"Firma {i:06d};mikro\n" for i in range(67_000))).encode()
    assert 1.2 * MB < len(data) < 1.25 * MB
    response = office.post(
        reverse("member_import", kwargs={"slug": "alfa"}),
        {"file": SimpleUploadedFile("lista.csv", data)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Plik jest za duży (1,2 MB): limit dla listy członków to 1 MB. Nic nie zapisano." in page
    assert (Member.objects.count(), AuditLog.objects.count()) == before
    assert not office.session.get("member_imports")


# ------------------------------------------------------------------ the global guard (413)


def test_issue7_a_body_over_the_largest_limit_is_413_before_anything_reads_it(
    world, client_for, monkeypatch
):
    from django.core.handlers.wsgi import WSGIRequest

    office = client_for("office")
    url = reverse("member_import", kwargs={"slug": "alfa"})
    # a body within the limit passes the guard: the form answers
    response = office.post(
        url, {"file": SimpleUploadedFile("l.csv", "Miasto;Kod\nŁódź;90-001\n".encode())}
    )
    assert response.status_code == 200

    def no_reading(self):
        raise AssertionError("the body was read")

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", no_reading)
    declared = uploads.max_request_bytes() + 1
    response = office.post(
        url,
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(declared),
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert (
        "Za duże dane" in page
        and f"najwyżej {uploads.megabytes(uploads.max_request_bytes())} MB" in page
    )
    assert "Nic nie zapisano" in page


def test_issue7_an_api_request_is_guarded_too(world, client_for):
    response = client_for("office").post(
        reverse("api_token"),
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(500 * MB),
    )
    assert response.status_code == 413


def test_issue7_upload_limits_from_the_environment(monkeypatch):
    """KLASTER_UPLOAD_LIMITS_MB (docs/deploy.md): kind=MB pairs; anything else refuses to start."""
    import pytest as _pytest
    from django.core.exceptions import ImproperlyConfigured

    from klaster.settings import envsizes

    monkeypatch.setenv("KLASTER_UPLOAD_LIMITS_MB", "group_material=50, kkk_attachment=2.5")
    assert envsizes("KLASTER_UPLOAD_LIMITS_MB") == {
        "group_material": 50 * 2**20,
        "kkk_attachment": int(2.5 * 2**20),
    }
    for bad in ("group_material", "group_material=", "=5", "proxy_csv=-1", "proxy_csv=abc"):
        monkeypatch.setenv("KLASTER_UPLOAD_LIMITS_MB", bad)
        with _pytest.raises(ImproperlyConfigured):
            envsizes("KLASTER_UPLOAD_LIMITS_MB")
