"""The register's facts by the API, under /api/clusters/<cluster_slug>/ (included from
klaster.api_urls): the member page's sub-units and links, delegated persons' link ends, personal
data and legal holds, and the cluster's settings page."""

from django.urls import path

from klaster.members import api_facts as api

urlpatterns = [
    path("settings/", api.ClusterSettingsView.as_view(), name="api_cluster_settings"),
    path("members/<int:pk>/subunits/", api.SubunitListView.as_view(), name="api_subunit_list"),
    path("subunits/<int:subunit_id>/", api.SubunitDetailView.as_view(), name="api_subunit_detail"),
    path(
        "members/<int:pk>/links/",
        api.IndependenceLinkListView.as_view(),
        name="api_independence_link_list",
    ),
    path(
        "links/<int:link_id>/",
        api.IndependenceLinkDetailView.as_view(),
        name="api_independence_link_detail",
    ),
    path(
        "delegates/reminders/",
        api.DelegateRemindersView.as_view(),
        name="api_delegate_reminders",
    ),
    path(
        "delegates/<int:person_id>/link-end/",
        api.DelegateLinkEndView.as_view(),
        name="api_delegate_link_end",
    ),
    path(
        "delegates/<int:person_id>/link-end-reported/",
        api.DelegateLinkReportedView.as_view(),
        name="api_delegate_link_end_reported",
    ),
    path(
        "delegates/<int:person_id>/personal-data/export/",
        api.PersonDataExportView.as_view(),
        name="api_person_data_export",
    ),
    path(
        "delegates/<int:person_id>/personal-data/erase/",
        api.PersonDataEraseView.as_view(),
        name="api_person_data_erase",
    ),
    path(
        "delegates/<int:person_id>/legal-holds/",
        api.LegalHoldListView.as_view(),
        name="api_legal_holds",
    ),
    path(
        "legal-holds/<int:hold_id>/release/",
        api.LegalHoldReleaseView.as_view(),
        name="api_legal_hold_release",
    ),
]
