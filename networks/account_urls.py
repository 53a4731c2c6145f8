"""Pages about the official's own account: invitations, profile, MFA requirement."""

from django.urls import path

from networks import account_views

app_name = "officials"

urlpatterns = [
    path("invitations/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
]
