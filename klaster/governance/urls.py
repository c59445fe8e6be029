from django.urls import path

from klaster.governance import views

urlpatterns = [
    path("c/<slug:slug>/governance/", views.governance_home, name="governance_home"),
    path("c/<slug:slug>/governance/action/", views.governance_action, name="governance_action"),
    path("c/<slug:slug>/governance/duties/", views.attendance_duties, name="attendance_duties"),
    path("c/<slug:slug>/governance/declarations/", views.declarations, name="declarations"),
    path(
        "c/<slug:slug>/governance/extraordinary/",
        views.extraordinary_requests,
        name="extraordinary_requests",
    ),
    path("c/<slug:slug>/governance/mediation/", views.mediation_list, name="mediation_list"),
    path(
        "c/<slug:slug>/governance/mediation/<int:case_id>/resolve/",
        views.mediation_resolve,
        name="mediation_resolve",
    ),
    path("c/<slug:slug>/governance/contacts/", views.contacts, name="contacts"),
    path("c/<slug:slug>/admissions/", views.admission_list, name="admission_list"),
    path(
        "c/<slug:slug>/admissions/<int:admission_id>/",
        views.admission_detail,
        name="admission_detail",
    ),
    path("c/<slug:slug>/meetings/", views.meeting_list, name="meeting_list"),
    path("c/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("c/<slug:slug>/meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path(
        "c/<slug:slug>/meetings/<int:meeting_id>/control/",
        views.meeting_control,
        name="meeting_control",
    ),
    path("c/<slug:slug>/meetings/<int:meeting_id>/live/", views.meeting_live, name="meeting_live"),
    path(
        "c/<slug:slug>/meetings/<int:meeting_id>/live.json",
        views.meeting_live_json,
        name="meeting_live_json",
    ),
    path("c/<slug:slug>/meetings/<int:meeting_id>/proxies/", views.proxy_add, name="proxy_add"),
    path("c/<slug:slug>/meetings/<int:meeting_id>/my/", views.meeting_my, name="meeting_my"),
    path(
        "c/<slug:slug>/meetings/<int:meeting_id>/my.json",
        views.meeting_my_json,
        name="meeting_my_json",
    ),
    path(
        "c/<slug:slug>/meetings/<int:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"
    ),
    path(
        "c/<slug:slug>/meetings/<int:meeting_id>/summary/", views.summary_send, name="summary_send"
    ),
    path("c/<slug:slug>/meetings/<int:meeting_id>/notice/", views.notice_send, name="notice_send"),
    path(
        "c/<slug:slug>/votes/<int:vote_id>/results.csv",
        views.vote_results_csv,
        name="vote_results_csv",
    ),
    path(
        "c/<slug:slug>/votes/<int:vote_id>/objection/", views.objection_file, name="objection_file"
    ),
    path("c/<slug:slug>/resolutions/", views.resolution_list, name="resolution_list"),
]

from klaster.governance import api  # noqa: E402

urlpatterns += [
    path(
        "api/clusters/<slug:cluster_slug>/resolutions/",
        api.ResolutionListView.as_view(),
        name="api_resolution_list",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/admissions/",
        api.AdmissionListView.as_view(),
        name="api_admission_list",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/admissions/<int:admission_id>/",
        api.AdmissionDetailView.as_view(),
        name="api_admission_detail",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/meetings/",
        api.MeetingListView.as_view(),
        name="api_meeting_list",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/meetings/<int:meeting_id>/proxies/",
        api.ProxyListView.as_view(),
        name="api_meeting_proxies",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/meetings/<int:meeting_id>/actions/",
        api.MeetingActionView.as_view(),
        name="api_meeting_action",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/meetings/<int:meeting_id>/live/",
        api.MeetingLiveView.as_view(),
        name="api_meeting_live",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/votes/<int:vote_id>/objections/",
        api.ObjectionFileView.as_view(),
        name="api_objection_file",
    ),
    # api_ballot_cast is the first of klaster/urls.py (matched before every other URL)
]

from klaster.governance import api_office  # noqa: E402

# the office's governance pages by the API (issue 9 point 6)
urlpatterns += [
    path(
        "api/clusters/<slug:cluster_slug>/governance/actions/",
        api_office.GovernanceActionView.as_view(),
        name="api_governance_action",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/governance/seats/",
        api_office.SeatListView.as_view(),
        name="api_seat_list",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/governance/declarations/",
        api_office.DeclarationListView.as_view(),
        name="api_declaration_list",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/governance/declarations/<int:declaration_id>/resend/",
        api_office.DeclarationResendView.as_view(),
        name="api_declaration_resend",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/governance/extraordinary/",
        api_office.ExtraordinaryRequestListView.as_view(),
        name="api_extraordinary_requests",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/governance/mediation/",
        api_office.MediationListView.as_view(),
        name="api_mediation_list",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/governance/mediation/<int:case_id>/resolve/",
        api_office.MediationResolveView.as_view(),
        name="api_mediation_resolve",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/governance/contacts/",
        api_office.ContactListView.as_view(),
        name="api_contacts",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/meetings/<int:meeting_id>/agenda/",
        api_office.AgendaView.as_view(),
        name="api_meeting_agenda",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/meetings/<int:meeting_id>/summary/",
        api_office.SummarySendView.as_view(),
        name="api_summary_send",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/meetings/<int:meeting_id>/proxies/import/",
        api_office.ProxyImportView.as_view(),
        name="api_proxy_import",
    ),
]

from klaster.governance import api_more  # noqa: E402

# the admission page's "update" form and a representative's online check-in (issue 9 point 6)
urlpatterns += [
    path(
        "api/clusters/<slug:cluster_slug>/admissions/<int:admission_id>/data/",
        api_more.AdmissionDataView.as_view(),
        name="api_admission_data",
    ),
    path(
        "api/clusters/<slug:cluster_slug>/meetings/<int:meeting_id>/check-in/",
        api_more.MeetingCheckInView.as_view(),
        name="api_meeting_check_in",
    ),
]
