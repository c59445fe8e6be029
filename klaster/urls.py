from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from klaster.api_pages import ActionListView, PageActionView
from klaster.core import views as core
from klaster.core import views_mailbox as mailbox_pages
from klaster.core import views_outbox as outbox_pages
from klaster.core.admin_site import restrict_admin_to_office
from klaster.core.api import RedocBundleView, RedocView
from klaster.core.auth_views import TokenObtainView, TokenRevokeView
from klaster.exchange import import_views as member_import
from klaster.governance import api as governance_api
from klaster.members import cluster_views as cluster_pages
from klaster.members import views as members
from klaster.members import views_rounds as rounds
from klaster.office import views_home as office_home
from klaster.office import views_search as office_search

restrict_admin_to_office(admin.site)

urlpatterns = [
    # first: the URL a thousand voters post to at once is matched before ~200 others (issue 8)
    path(
        "api/clusters/<slug:cluster_slug>/votes/<int:vote_id>/ballots/",
        governance_api.BallotCastView.as_view(),
        name="api_ballot_cast",
    ),
    path("", core.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="core/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("c/<slug:slug>/", office_home.cluster_home, name="cluster_home"),
    path("c/<slug:slug>/audit/", core.audit_view, name="audit"),
    path("c/<slug:slug>/mailbox/", mailbox_pages.mailbox_view, name="mailbox"),
    path("c/<slug:slug>/outbox/", outbox_pages.outbox_view, name="outbox"),
    path(
        "c/<slug:slug>/outbox/<int:message_id>/",
        outbox_pages.outbox_message_view,
        name="outbox_message",
    ),
    path(
        "c/<slug:slug>/outbox/<int:message_id>/resend/",
        outbox_pages.outbox_resend_view,
        name="outbox_resend",
    ),
    path(
        "c/<slug:slug>/mailbox/<str:message_id>/",
        mailbox_pages.mailbox_message_view,
        name="mailbox_message",
    ),
    path("c/<slug:slug>/search/", office_search.search_view, name="search"),
    path("c/<slug:slug>/statute/", core.statute_view, name="statute"),
    path("c/<slug:slug>/settings/", cluster_pages.cluster_edit_view, name="cluster_edit"),
    path("c/<slug:slug>/strategies/add/", core.strategy_add_view, name="strategy_add"),
    path(
        "c/<slug:slug>/strategies/<int:strategy_id>/", core.strategy_edit_view, name="strategy_edit"
    ),
    path(
        "c/<slug:slug>/strategies/<int:strategy_id>/remove/",
        core.strategy_remove_view,
        name="strategy_remove",
    ),
    path("c/<slug:slug>/members/", members.member_list_view, name="member_list"),
    path("c/<slug:slug>/members/import/", member_import.member_import_view, name="member_import"),
    path(
        "c/<slug:slug>/members/import/<slug:token>/",
        member_import.member_import_preview_view,
        name="member_import_preview",
    ),
    path(
        "c/<slug:slug>/members/import/<slug:token>/confirm/",
        member_import.member_import_confirm_view,
        name="member_import_confirm",
    ),
    path(
        "c/<slug:slug>/members/<int:member_id>/", members.member_detail_view, name="member_detail"
    ),
    path(
        "c/<slug:slug>/members/<int:member_id>/edit/", members.member_edit_view, name="member_edit"
    ),
    path(
        "c/<slug:slug>/members/<int:member_id>/events/",
        members.member_event_add_view,
        name="member_event_add",
    ),
    path(
        "c/<slug:slug>/members/<int:member_id>/subunits/",
        members.subunit_save_view,
        name="subunit_save",
    ),
    path(
        "c/<slug:slug>/subunits/<int:subunit_id>/remove/",
        members.subunit_remove_view,
        name="subunit_remove",
    ),
    path(
        "c/<slug:slug>/members/<int:member_id>/links/",
        members.independence_link_add_view,
        name="independence_link_add",
    ),
    path(
        "c/<slug:slug>/links/<int:link_id>/remove/",
        members.independence_link_remove_view,
        name="independence_link_remove",
    ),
    path("c/<slug:slug>/statistics/", members.member_statistics_view, name="member_statistics"),
    path("c/<slug:slug>/statistics/round/", rounds.statistics_round_view, name="statistics_round"),
    path(
        "c/<slug:slug>/statistics/round/<int:round_id>/close/",
        rounds.statistics_round_close_view,
        name="statistics_round_close",
    ),
    path(
        "c/<slug:slug>/delegates/reminders/",
        members.delegate_reminders_view,
        name="delegate_reminders",
    ),
    path(
        "c/<slug:slug>/delegates/<int:person_id>/end/",
        members.delegate_link_end_view,
        name="delegate_link_end",
    ),
    path(
        "c/<slug:slug>/delegates/<int:person_id>/reported/",
        members.delegate_link_end_reported_view,
        name="delegate_link_end_reported",
    ),
    path(
        "c/<slug:slug>/delegates/<int:person_id>/personal-data/",
        members.person_data_view,
        name="person_data",
    ),
    path(
        "c/<slug:slug>/delegates/<int:person_id>/personal-data/export/",
        members.person_data_export_view,
        name="person_data_export",
    ),
    path(
        "c/<slug:slug>/delegates/<int:person_id>/personal-data/erase/",
        members.person_data_erase_view,
        name="person_data_erase",
    ),
    path(
        "c/<slug:slug>/delegates/<int:person_id>/legal-holds/",
        members.legal_hold_add_view,
        name="legal_hold_add",
    ),
    path(
        "c/<slug:slug>/legal-holds/<int:hold_id>/release/",
        members.legal_hold_release_view,
        name="legal_hold_release",
    ),
    path("c/<slug:slug>/portal/<int:member_id>/", members.portal_view, name="portal"),
    path("c/<slug:slug>/kkk/", include("klaster.kkk.urls")),
    path("", include("klaster.governance.urls")),
    path("c/<slug:slug>/groups/", include("klaster.groups.urls")),
    path("c/<slug:slug>/money/", include("klaster.money.urls")),
    path("c/<slug:slug>/aid/", include("klaster.aid.urls")),
    path("", include("klaster.people.urls")),
    path("", include("klaster.forum.urls")),
    path("", include("klaster.comms.urls")),
    path("", include("klaster.events.urls")),
    path("", include("klaster.documents.urls")),
    path("", include("klaster.offers.urls")),
    path("api/actions/", ActionListView.as_view(), name="api_actions"),
    path("api/actions/<path:page>", PageActionView.as_view(), name="api_page_action"),
    path("api/", include("klaster.api_urls")),
    path("api/token/", TokenObtainView.as_view(), name="api_token"),
    path("api/token/revoke/", TokenRevokeView.as_view(), name="api_token_revoke"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # the split view serves its start-up script as a file (/api/docs/?script): no inline script
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/redoc/", RedocView.as_view(url_name="api_schema"), name="api_redoc"),
    path("api/redoc/redoc.standalone.js", RedocBundleView.as_view(), name="api_redoc_bundle"),
    path("admin/", admin.site.urls),
]
