"""Pages of the archive (PLT-3): the list with its search, a document with its versions, adding
a document and a version (the office), and the download of any version the reader may see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core.feedback import apply_errors, messages_from
from klaster.documents import access, services
from klaster.documents.forms import DocumentChangeForm, DocumentForm, VersionForm
from klaster.documents.models import Document
from klaster.documents.selectors import documents_search, last_versions

PAGE = 50


@login_required
def documents_view(request, slug):
    cluster, grants = access.access_documents(request.user, slug)
    q = request.GET.get("q", "")[:200]
    category = request.GET.get("category", "")
    found = documents_search(
        user=request.user, cluster=cluster, q=q, category=category, grants=grants
    )
    page = Paginator(found, PAGE).get_page(request.GET.get("page"))
    numbers = last_versions(list(page.object_list))
    for d in page.object_list:
        d.last_version = numbers.get(d.pk, 1)
    return render(
        request,
        "documents/documents.html",
        {
            "cluster": cluster,
            "grants": grants,
            "page": page,
            "q": q,
            "category": category,
            "categories": Document.Category.choices,
            "query": urlencode({k: v for k, v in (("q", q), ("category", category)) if v}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_new_view(request, slug):
    cluster, grants = access.access_documents(request.user, slug, for_write=True)
    form = DocumentForm(request.POST or None, request.FILES or None, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_add(
                cluster=cluster,
                user=request.user,
                title=data["title"],
                upload=data["file"],
                scope=data["scope"],
                category=data["category"],
                description=data["description"],
                organ=data["organ"],
                group=data["group"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The document is in the archive."))
            return redirect("document", cluster.slug, document.pk)
    return render(
        request,
        "documents/document_form.html",
        {"cluster": cluster, "grants": grants, "form": form, "document": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit_view(request, slug, doc_id):
    cluster, grants, document = access.access_document(request.user, slug, doc_id, for_write=True)
    initial = {
        "title": document.title,
        "category": document.category,
        "scope": document.scope,
        "organ": document.organ_id,
        "group": document.group_id,
        "description": document.description,
    }
    form = DocumentChangeForm(request.POST or None, initial=initial, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_change(
                document=document,
                user=request.user,
                title=data["title"],
                scope=data["scope"],
                category=data["category"],
                description=data["description"],
                organ=data["organ"],
                group=data["group"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The document's card is saved."))
            return redirect("document", cluster.slug, document.pk)
    return render(
        request,
        "documents/document_form.html",
        {"cluster": cluster, "grants": grants, "form": form, "document": document},
    )


@login_required
def document_view(request, slug, doc_id):
    cluster, grants, document = access.access_document(request.user, slug, doc_id)
    return render(
        request,
        "documents/document.html",
        {
            "cluster": cluster,
            "grants": grants,
            "document": document,
            "versions": document.versions.select_related("uploaded_by"),
            "form": VersionForm() if grants.office else None,
        },
    )


@login_required
@require_POST
def version_new_view(request, slug, doc_id):
    cluster, _grants, document = access.access_document(request.user, slug, doc_id, for_write=True)
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("document", cluster.slug, document.pk)
    try:
        version = services.version_add(
            document=document,
            user=request.user,
            upload=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(
            request, _("Version %(n)s is added; the earlier ones are kept.") % {"n": version.number}
        )
    return redirect("document", cluster.slug, document.pk)


@login_required
def version_download_view(request, slug, doc_id, version_id):
    _cluster, _document, version = access.access_version(request.user, slug, doc_id, version_id)
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=version.name, content_type=version.content_type
    )
