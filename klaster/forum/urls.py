"""Pages of forums of clusters (FOR-1, FOR-2): /forum/… and a cluster office's /c/<slug>/forum/."""

from django.urls import path

from klaster.forum import api, views

urlpatterns = [
    path("forum/", views.forum_list_view, name="forum_list"),
    path("forum/<slug:forum_slug>/", views.forum_home_view, name="forum_home"),
    path("forum/<slug:forum_slug>/members/", views.forum_members_view, name="forum_members"),
    path("forum/<slug:forum_slug>/benchmark/", views.forum_benchmark_view, name="forum_benchmark"),
    path(
        "forum/<slug:forum_slug>/benchmark/<str:key>/",
        views.forum_indicator_view,
        name="forum_indicator",
    ),
    path(
        "forum/<slug:forum_slug>/benchmark.json",
        views.forum_benchmark_json_view,
        name="forum_benchmark_json",
    ),
    path(
        "forum/<slug:forum_slug>/benchmark.xlsx",
        views.forum_benchmark_xlsx_view,
        name="forum_benchmark_xlsx",
    ),
    path(
        "forum/<slug:forum_slug>/benchmark.pdf",
        views.forum_benchmark_pdf_view,
        name="forum_benchmark_pdf",
    ),
    path("forum/<slug:forum_slug>/work/new/", views.forum_work_new_view, name="forum_work_new"),
    path("forum/<slug:forum_slug>/work/<int:work_id>/", views.forum_work_view, name="forum_work"),
    path(
        "forum/<slug:forum_slug>/work/<int:work_id>/take-part/<slug:slug>/",
        views.forum_work_take_part_view,
        name="forum_work_take_part",
    ),
    path(
        "forum/<slug:forum_slug>/work/<int:work_id>/members/<slug:slug>/",
        views.forum_work_members_view,
        name="forum_work_members",
    ),
    path(
        "forum/<slug:forum_slug>/work/<int:work_id>/kkk/<slug:slug>/",
        views.forum_linkage_kkk_view,
        name="forum_linkage_kkk",
    ),
    path("c/<slug:slug>/forum/", views.forum_sharing_view, name="forum_sharing"),
    path(
        "api/forums/<slug:forum_slug>/benchmark/",
        api.ForumBenchmarkView.as_view(),
        name="api_forum_benchmark",
    ),
]
