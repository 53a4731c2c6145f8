"""Pages about the official's own account, beside allauth's: invitations, profile, MFA, and the
language switcher (for visitors too)."""

from django.urls import path

from networks import account_views

app_name = "officials"

urlpatterns = [
    path("invitations/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
    path("accounts/", account_views.account, name="account"),
    path("accounts/profile/", account_views.profile_edit, name="profile_edit"),
    path("accounts/close/", account_views.deactivate, name="deactivate"),
    path("accounts/my-data/", account_views.data_download, name="data_download"),
    path("accounts/2fa/required/", account_views.mfa_required, name="mfa_required"),
    path("officials/<int:pk>/", account_views.profile, name="profile"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
]
