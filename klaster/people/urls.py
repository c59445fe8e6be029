"""People and access (PLT-1): the office's people page under /c/<slug>/people/, the public
invitation link /invite/<token>/ and Django's password reset under /accounts/password-reset/."""

from django.urls import path

from klaster.people import views

urlpatterns = [
    path("c/<slug:slug>/people/", views.people_view, name="people"),
    path("c/<slug:slug>/people/invite/", views.invite_view, name="people_invite"),
    path(
        "c/<slug:slug>/people/roles/<int:role_id>/revoke/",
        views.role_revoke_view,
        name="people_role_revoke",
    ),
    path(
        "c/<slug:slug>/people/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke_view,
        name="people_invitation_revoke",
    ),
    path("invite/<str:token>/", views.invite_accept_view, name="invite_accept"),
    path(
        "accounts/password-reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
